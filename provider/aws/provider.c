/*
 * provider.c - the aws provider's table, its block's validation and its
 * configuration: region, endpoints, credentials, then STS
 * GetCallerIdentity for the account id (unless skipped).
 */
#include <stdlib.h>
#include <string.h>

#include "aws.h"
#include "config.h"
#include "creds.h"
#include "profile.h"
#include "sts.h"

#define MAX_FILES 16

static const struct tf_resource *const resources[] = {
	&aws_iot_thing_resource,
	&aws_iot_thing_principal_attachment_resource,
	&aws_iot_certificate_resource,
	&aws_iot_policy_resource,
	&aws_iot_policy_attachment_resource,
	NULL,
};
static const struct tf_data_source *const data_sources[] = {
	&aws_arn_data_source,
	&aws_iot_endpoint_data_source,
	NULL,
};

/* Attributes accepted for compatibility that change nothing here. */
static const char *const no_effect[] = {
	"s3_use_path_style", "s3_us_east_1_regional_endpoint", "use_dualstack_endpoint",
	"use_fips_endpoint", "tag_policy_compliance", "token_bucket_rate_limiter_capacity",
};

static void warn_no_effect(struct tf_ctx *c, const struct tf_value *config)
{
	for (size_t i = 0; i < sizeof(no_effect) / sizeof(no_effect[0]); i++)
		if (!tf_value_is_null(tf_value_get(config, no_effect[i])))
			tf_diag_warning_at(c->diags, no_effect[i], "Argument has no effect",
					   "%s is accepted for compatibility with hashicorp/aws but "
					   "this provider (AWS IoT only) does not use it.", no_effect[i]);
	const struct tf_value *eps = tf_value_get(config, "endpoints");
	for (size_t i = 0; eps && eps->kind == TF_SET && i < eps->u.seq.n; i++) {
		const struct tf_value *e = eps->u.seq.items[i];
		for (size_t k = 0; e->kind == TF_OBJECT && k < e->u.kv.n; k++)
			if (e->u.kv.vals[k]->kind == TF_STRING && strcmp(e->u.kv.keys[k], "iot") &&
			    strcmp(e->u.kv.keys[k], "sts"))
				tf_diag_warning_at(c->diags, "endpoints", "Endpoint has no effect",
						   "This provider calls only iot and sts; the %s "
						   "endpoint is not used.", e->u.kv.keys[k]);
	}
}

static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	const char *region = tf_value_get_string(config, "region");
	if (region && !aws_get_bool(config, "skip_region_validation") && !aws_region_valid(region)) {
		tf_diag_error_at(c->diags, "region", "Invalid region",
				 "\"%s\" is not a region name such as us-east-1 (set "
				 "skip_region_validation for other names).", region);
		return -1;
	}
	return 0;
}

static bool set_has(const struct tf_value *set, const char *s)
{
	for (size_t i = 0; set && set->kind == TF_SET && i < set->u.seq.n; i++)
		if (set->u.seq.items[i]->kind == TF_STRING && !strcmp(set->u.seq.items[i]->u.str.ptr, s))
			return true;
	return false;
}

/* Account id from STS, checked against allowed/forbidden_account_ids. */
static int check_account(struct tf_ctx *c, const struct tf_value *config, struct aws_config *cfg)
{
	struct aws_identity id;
	if (aws_get_bool(config, "skip_credentials_validation") &&
	    aws_get_bool(config, "skip_requesting_account_id"))
		return 0;
	if (aws_sts_get_caller_identity(c, cfg, &cfg->creds, &id) < 0) {
		tf_diag_error_at(c->diags, NULL, "Invalid AWS credentials",
				 "Validating the credentials (from %s) with STS GetCallerIdentity "
				 "failed; see the error above.", cfg->creds.source);
		return -1;
	}
	cfg->account_id = id.account;
	id.account = NULL;
	aws_identity_release(&id);
	const struct tf_value *allowed = tf_value_get(config, "allowed_account_ids");
	const struct tf_value *forbidden = tf_value_get(config, "forbidden_account_ids");
	bool has_allowed = allowed && allowed->kind == TF_SET && allowed->u.seq.n;
	if ((has_allowed && !set_has(allowed, cfg->account_id)) || set_has(forbidden, cfg->account_id)) {
		tf_diag_error_at(c->diags, has_allowed ? "allowed_account_ids" : "forbidden_account_ids",
				 "AWS account not allowed",
				 "The credentials belong to account %s, which this configuration "
				 "does not allow.", cfg->account_id);
		return -1;
	}
	return 0;
}

static int configure_with(struct tf_ctx *c, const struct tf_value *config,
			  const struct aws_profile *profile, struct aws_config *cfg,
			  struct aws_chain_input *chain)
{
	const char *region = tf_value_get_string(config, "region");
	if (!region || !*region)
		region = aws_getenv("AWS_REGION") ? aws_getenv("AWS_REGION") : aws_getenv("AWS_DEFAULT_REGION");
	if (!region)
		region = aws_profile_get(profile, "region");
	if (!region) {
		tf_diag_error_at(c->diags, "region", "Missing region",
				 "Set region in the provider block, AWS_REGION, or region in the "
				 "shared config profile.");
		return -1;
	}
	if (!aws_get_bool(config, "skip_region_validation") && !aws_region_valid(region)) {
		tf_diag_error_at(c->diags, "region", "Invalid region",
				 "\"%s\" is not a region name such as us-east-1.", region);
		return -1;
	}
	struct aws_config_input in = { config, region, aws_profile_get(profile, "endpoint_url") };
	if (aws_config_transport(c, &in, cfg) < 0 || aws_config_tags(c, config, cfg) < 0 ||
	    aws_creds_resolve(c, cfg, chain) < 0)
		return -1;
	return check_account(c, config, cfg);
}

static int configure(struct tf_ctx *c, const struct tf_value *config, void **meta)
{
	const char *cfiles[MAX_FILES], *kfiles[MAX_FILES];
	const char *profile_arg = tf_value_get_string(config, "profile");
	const char *name = profile_arg && *profile_arg ? profile_arg
			   : aws_getenv("AWS_PROFILE") ? aws_getenv("AWS_PROFILE")
			   : aws_getenv("AWS_DEFAULT_PROFILE") ? aws_getenv("AWS_DEFAULT_PROFILE") : "default";
	const char *skip_md = tf_value_get_string(config, "skip_metadata_api_check");
	struct aws_chain_input chain = {
		.config = config,
		.files = { cfiles,
			   aws_strings_of(tf_value_get(config, "shared_config_files"), cfiles, MAX_FILES),
			   kfiles,
			   aws_strings_of(tf_value_get(config, "shared_credentials_files"), kfiles,
					  MAX_FILES) },
		.profile_arg = profile_arg && *profile_arg ? profile_arg : NULL,
		.metadata_disabled = (skip_md && !strcmp(skip_md, "true")) ||
				     (aws_getenv("AWS_EC2_METADATA_DISABLED") &&
				      !strcasecmp(aws_getenv("AWS_EC2_METADATA_DISABLED"), "true")),
	};
	struct aws_profile profile;
	char *err = NULL;
	if (aws_profile_load(&chain.files, name, &profile, &err) < 0) {
		tf_diag_error_at(c->diags, "shared_config_files", "Cannot read the shared config",
				 "%s.", err ? err : "out of memory");
		free(err);
		return -1;
	}
	struct aws_config *cfg = calloc(1, sizeof(*cfg));
	int rc = cfg ? configure_with(c, config, &profile, cfg, &chain) : -1;
	aws_profile_release(&profile);
	if (rc < 0) {
		if (!tf_diags_has_errors(c->diags))
			tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot configure the provider.");
		aws_config_free(cfg);
		return -1;
	}
	warn_no_effect(c, config);
	*meta = cfg;
	return 0;
}

static void release(void *meta)
{
	aws_config_free(meta);
}

const struct tf_provider thingform_provider = {
	.name = "aws",
	.resources = resources,
	.data_sources = data_sources,
	.validate = validate,
	.configure = configure,
	.release = release,
};

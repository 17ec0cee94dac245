/*
 * creds.c - the credential chain (see creds.h for the order).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "creds.h"
#include "imds.h"
#include "sts.h"

#define MAX_PROFILE_DEPTH 5
#define MAX_LIST 64  /* policy ARNs, tags, ... read from one block */

static int set_keys(struct aws_creds *out, const char *ak, const char *sk, const char *token,
		    const char *source)
{
	struct aws_creds in = { (char *)ak, (char *)sk, (char *)(token && *token ? token : NULL),
				source };
	return aws_creds_copy(out, &in);
}

static int from_profile(struct tf_ctx *c, const struct aws_config *cfg,
			const struct aws_chain_input *in, const char *name, int depth,
			struct aws_creds *out);

/* AssumeRole with the profile's role_arn, on the source profile's credentials. */
static int profile_role(struct tf_ctx *c, const struct aws_config *cfg,
			const struct aws_chain_input *in, const struct aws_profile *p,
			const char *name, int depth, struct aws_creds *out)
{
	struct aws_creds base = { 0 };
	const char *source = aws_profile_get(p, "source_profile");
	const char *cs = aws_profile_get(p, "credential_source");
	int rc;
	if (source && depth < MAX_PROFILE_DEPTH) {
		rc = !strcmp(source, name)
			     ? set_keys(&base, aws_profile_get(p, "aws_access_key_id"),
					aws_profile_get(p, "aws_secret_access_key"),
					aws_profile_get(p, "aws_session_token"), "shared profile")
			     : from_profile(c, cfg, in, source, depth + 1, &base);
	} else if (cs && !strcmp(cs, "Environment") && aws_getenv("AWS_ACCESS_KEY_ID") &&
		   aws_getenv("AWS_SECRET_ACCESS_KEY")) {
		rc = set_keys(&base, aws_getenv("AWS_ACCESS_KEY_ID"), aws_getenv("AWS_SECRET_ACCESS_KEY"),
			      aws_getenv("AWS_SESSION_TOKEN"), "environment");
	} else {
		tf_diag_error_at(c->diags, "profile", "Invalid profile",
				 "Profile \"%s\" has role_arn but no usable source_profile or "
				 "credential_source (Environment is supported), or its "
				 "source_profile chain is longer than %d.", name, MAX_PROFILE_DEPTH);
		return -1;
	}
	if (rc < 0 || !base.access_key || !base.secret_key) {
		if (!tf_diags_has_errors(c->diags))
			tf_diag_error_at(c->diags, "profile", "No credentials",
					 "Source profile of \"%s\" has no credentials.", name);
		aws_creds_release(&base);
		return -1;
	}
	char *end;
	const char *dur = aws_profile_get(p, "duration_seconds");
	struct aws_assume_role ar = {
		.role_arn = aws_profile_get(p, "role_arn"),
		.session_name = aws_profile_get(p, "role_session_name"),
		.external_id = aws_profile_get(p, "external_id"),
		.duration_seconds = dur ? strtol(dur, &end, 10) : 0,
	};
	rc = aws_sts_assume_role(c, "profile", cfg, &base, &ar, out);
	aws_creds_release(&base);
	return rc;
}

/* Credentials of profile `name`: 0, 1 when the profile does not exist, -1 on error. */
static int from_profile(struct tf_ctx *c, const struct aws_config *cfg,
			const struct aws_chain_input *in, const char *name, int depth,
			struct aws_creds *out)
{
	struct aws_profile p;
	char *err = NULL;
	int rc = aws_profile_load(&in->files, name, &p, &err);
	if (rc < 0) {
		tf_diag_error_at(c->diags, "shared_config_files", "Cannot read the shared config",
				 "%s.", err ? err : "out of memory");
		free(err);
		return -1;
	}
	if (rc > 0)
		return 1;
	const char *process = aws_profile_get(&p, "credential_process");
	if (aws_profile_get(&p, "role_arn")) {
		rc = profile_role(c, cfg, in, &p, name, depth, out);
	} else if (aws_profile_get(&p, "aws_access_key_id") &&
		   aws_profile_get(&p, "aws_secret_access_key")) {
		rc = set_keys(out, aws_profile_get(&p, "aws_access_key_id"),
			      aws_profile_get(&p, "aws_secret_access_key"),
			      aws_profile_get(&p, "aws_session_token"), "shared profile");
	} else if (process) {
		rc = aws_creds_from_process(process, out, &err);
		if (rc < 0)
			tf_diag_error_at(c->diags, "profile", "credential_process failed",
					 "The credential_process of profile \"%s\" failed: %s.", name,
					 err ? err : "out of memory");
		free(err);
	} else {
		rc = 1;
	}
	aws_profile_release(&p);
	return rc;
}

/* A web identity token: the text itself, or the first line of `file`; NULL
 * with a diagnostic on `attr` when neither gives one. */
static char *web_token(struct tf_ctx *c, const char *attr, const char *text, const char *file)
{
	char buf[16384];
	FILE *f;
	size_t n;
	if (text && *text)
		return strdup(text);
	f = file ? fopen(file, "r") : NULL;
	n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = 0;
	buf[strcspn(buf, "\r\n")] = 0;
	char *s = buf[0] ? strdup(buf) : NULL;
	OPENSSL_cleanse(buf, sizeof(buf));
	if (!s)
		tf_diag_error_at(c->diags, attr, "Cannot read the web identity token",
				 "The web identity token file (%s) cannot be read or is empty.",
				 file ? file : "not set");
	return s;
}

/* AssumeRoleWithWebIdentity: from the provider's block when it is there,
 * else from AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE. */
static int from_web_identity(struct tf_ctx *c, const struct aws_config *cfg,
			     const struct tf_value *block, struct aws_creds *out)
{
	const char *attr = block ? "assume_role_with_web_identity" : NULL;
	const char *file = block ? tf_value_get_string(block, "web_identity_token_file") : NULL;
	char *token = web_token(c, attr, block ? tf_value_get_string(block, "web_identity_token") : NULL,
				file ? file : aws_getenv("AWS_WEB_IDENTITY_TOKEN_FILE"));
	const char *dur = block ? tf_value_get_string(block, "duration") : NULL;
	const char *arns[MAX_LIST];
	long secs = 0;
	if (!token)
		return -1;
	if (dur && aws_parse_duration(dur, &secs) < 0) {
		aws_free_secret(token);
		tf_diag_error_at(c->diags, attr, "Invalid duration",
				 "\"%s\" is not a duration such as \"1h\" or \"15m\".", dur);
		return -1;
	}
	struct aws_assume_role ar = {
		.role_arn = block ? tf_value_get_string(block, "role_arn") : aws_getenv("AWS_ROLE_ARN"),
		.session_name = block ? tf_value_get_string(block, "session_name")
				      : aws_getenv("AWS_ROLE_SESSION_NAME"),
		.duration_seconds = secs,
		.policy = block ? tf_value_get_string(block, "policy") : NULL,
		.policy_arns = arns,
		.n_policy_arns = block ? aws_strings_of(tf_value_get(block, "policy_arns"), arns, MAX_LIST) : 0,
		.web_identity_token = token,
	};
	if (!ar.role_arn) {
		aws_free_secret(token);
		tf_diag_error_at(c->diags, attr, "Missing role_arn",
				 "A web identity needs the ARN of the role to assume.");
		return -1;
	}
	struct aws_creds none = { 0 };
	int rc = aws_sts_assume_role(c, attr, cfg, &none, &ar, out);
	aws_free_secret(token);
	return rc;
}

/* The first element of a list-nested block, or NULL. */
static const struct tf_value *first_block(const struct tf_value *config, const char *name)
{
	const struct tf_value *v = tf_value_get(config, name);
	return v && v->kind == TF_LIST && v->u.seq.n ? v->u.seq.items[0] : NULL;
}

/* The chain up to the provider's assume_role blocks; 0, 1 (nothing found), -1. */
static int base_chain(struct tf_ctx *c, const struct aws_config *cfg,
		      const struct aws_chain_input *in, struct aws_creds *out)
{
	const char *ak = tf_value_get_string(in->config, "access_key");
	const char *sk = tf_value_get_string(in->config, "secret_key");
	if (ak && *ak && sk && *sk)
		return set_keys(out, ak, sk, tf_value_get_string(in->config, "token"),
				"provider configuration");
	const struct tf_value *wi = first_block(in->config, "assume_role_with_web_identity");
	if (wi)
		return from_web_identity(c, cfg, wi, out);
	if (in->profile_arg) {
		int rc = from_profile(c, cfg, in, in->profile_arg, 0, out);
		if (rc > 0)
			tf_diag_error_at(c->diags, "profile", "Profile not found",
					 "No shared config or credentials file has a profile "
					 "named \"%s\" with credentials.", in->profile_arg);
		return rc ? -1 : 0;
	}
	if (aws_getenv("AWS_ACCESS_KEY_ID") && aws_getenv("AWS_SECRET_ACCESS_KEY"))
		return set_keys(out, aws_getenv("AWS_ACCESS_KEY_ID"), aws_getenv("AWS_SECRET_ACCESS_KEY"),
				aws_getenv("AWS_SESSION_TOKEN"), "environment");
	if (aws_getenv("AWS_ROLE_ARN") && aws_getenv("AWS_WEB_IDENTITY_TOKEN_FILE"))
		return from_web_identity(c, cfg, NULL, out);
	const char *name = aws_getenv("AWS_PROFILE");
	if (!name)
		name = aws_getenv("AWS_DEFAULT_PROFILE");
	int rc = from_profile(c, cfg, in, name ? name : "default", 0, out);
	if (rc <= 0)
		return rc;
	rc = aws_creds_from_container(c, out);
	if (rc <= 0 || in->metadata_disabled)
		return rc;
	const char *mode = tf_value_get_string(in->config, "ec2_metadata_service_endpoint_mode");
	if (!mode)
		mode = aws_getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
	return aws_creds_from_imds(c, tf_value_get_string(in->config, "ec2_metadata_service_endpoint"),
				   mode && !strcmp(mode, "IPv6"), out);
}

/* One assume_role block on top of `creds` (replaced by the new ones). */
static int assume_block(struct tf_ctx *c, const struct aws_config *cfg,
			const struct tf_value *block, struct aws_creds *creds, long duration)
{
	const char *arns[MAX_LIST], *keys[MAX_LIST], *vals[MAX_LIST], *trans[MAX_LIST];
	const struct tf_value *tags = tf_value_get(block, "tags");
	size_t nt = 0;
	for (size_t i = 0; tags && tags->kind == TF_MAP && i < tags->u.kv.n && nt < MAX_LIST; i++)
		if (tags->u.kv.vals[i]->kind == TF_STRING) {
			keys[nt] = tags->u.kv.keys[i];
			vals[nt++] = tags->u.kv.vals[i]->u.str.ptr;
		}
	struct aws_assume_role ar = {
		.role_arn = tf_value_get_string(block, "role_arn"),
		.session_name = tf_value_get_string(block, "session_name"),
		.duration_seconds = duration,
		.external_id = tf_value_get_string(block, "external_id"),
		.policy = tf_value_get_string(block, "policy"),
		.source_identity = tf_value_get_string(block, "source_identity"),
		.policy_arns = arns,
		.n_policy_arns = aws_strings_of(tf_value_get(block, "policy_arns"), arns, MAX_LIST),
		.tag_keys = keys, .tag_values = vals, .n_tags = nt,
		.transitive_tag_keys = trans,
		.n_transitive = aws_strings_of(tf_value_get(block, "transitive_tag_keys"), trans, MAX_LIST),
	};
	struct aws_creds next;
	if (!ar.role_arn || !*ar.role_arn)
		return 0; /* upstream: a block without role_arn does nothing */
	if (aws_sts_assume_role(c, "assume_role", cfg, creds, &ar, &next) < 0)
		return -1;
	aws_creds_release(creds);
	*creds = next;
	return 0;
}

int aws_creds_resolve(struct tf_ctx *c, struct aws_config *cfg, const struct aws_chain_input *in)
{
	int rc = base_chain(c, cfg, in, &cfg->creds);
	if (rc > 0) {
		tf_diag_error_at(c->diags, NULL, "No valid credential sources found",
				 "Set access_key and secret_key, a profile, AWS_ACCESS_KEY_ID and "
				 "AWS_SECRET_ACCESS_KEY, a shared credentials file, or run where a "
				 "container or instance role is available.");
		return -1;
	}
	const struct tf_value *blocks = tf_value_get(in->config, "assume_role");
	for (size_t i = 0; rc == 0 && blocks && blocks->kind == TF_LIST && i < blocks->u.seq.n; i++) {
		const struct tf_value *b = blocks->u.seq.items[i];
		const char *d = tf_value_get_string(b, "duration");
		long secs = 0;
		if (d && aws_parse_duration(d, &secs) < 0) {
			tf_diag_error_at(c->diags, "assume_role", "Invalid duration",
					 "\"%s\" is not a duration such as \"1h\" or \"15m\".", d);
			return -1;
		}
		rc = assume_block(c, cfg, b, &cfg->creds, secs);
	}
	return rc;
}

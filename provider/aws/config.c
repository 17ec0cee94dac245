/*
 * config.c - the provider block, the environment and the shared config
 * turned into the immutable struct aws_config.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "config.h"
#include "creds.h"
#include "sts.h"

#define DEFAULT_MAX_RETRIES 25
#define MAX_FILES 16

static const char *first(const char *a, const char *b)
{
	return a && *a ? a : b;
}

int aws_parse_duration(const char *text, long *seconds)
{
	double total = 0;
	const char *p = text;
	if (!*p)
		return -1;
	while (*p) {
		char *end;
		double n = strtod(p, &end);
		if (end == p || n < 0)
			return -1;
		p = end;
		if (!strncmp(p, "ms", 2))
			total += n / 1000, p += 2;
		else if (*p == 'h' || *p == 'm' || *p == 's')
			total += n * (*p == 'h' ? 3600 : *p == 'm' ? 60 : 1), p++;
		else
			return -1;
	}
	if (total > 43200 * 4)
		return -1;
	*seconds = (long)total;
	return 0;
}

/* [a-z]{2}(-[a-z]+)+-[0-9]+ : the shape of every region name. */
bool aws_region_valid(const char *r)
{
	const char *p = r;
	int words = 0;
	if (!islower((unsigned char)p[0]) || !islower((unsigned char)p[1]))
		return false;
	p += 2;
	while (*p == '-' && islower((unsigned char)p[1])) {
		p++;
		while (islower((unsigned char)*p))
			p++;
		words++;
	}
	if (words < 1 || *p != '-' || !isdigit((unsigned char)p[1]))
		return false;
	for (p++; isdigit((unsigned char)*p); p++)
		;
	return *p == 0;
}

static const char *partition_of(const char *region)
{
	if (!strncmp(region, "cn-", 3))
		return "aws-cn";
	if (!strncmp(region, "us-gov-", 7))
		return "aws-us-gov";
	if (!strncmp(region, "us-isob-", 8))
		return "aws-iso-b";
	if (!strncmp(region, "us-iso-", 7))
		return "aws-iso";
	if (!strncmp(region, "eu-isoe-", 8))
		return "aws-iso-e";
	return "aws";
}

/* The service's URL from the endpoints block, or NULL. */
static const char *endpoint_block(const struct tf_value *config, const char *service)
{
	const struct tf_value *set = tf_value_get(config, "endpoints");
	for (size_t i = 0; set && set->kind == TF_SET && i < set->u.seq.n; i++) {
		const char *url = tf_value_get_string(set->u.seq.items[i], service);
		if (url && *url)
			return url;
	}
	return NULL;
}

int aws_default_endpoint(const char *service, const char *region, char **out)
{
	const char *suffix = !strcmp(partition_of(region), "aws-cn") ? ".com.cn" : ".com";
	return asprintf(out, "https://%s.%s.amazonaws%s", service, region, suffix) < 0 ? -1 : 0;
}

/* A malloc'd endpoint URL without its trailing slashes (*custom: it was
 * configured); -1 with a diagnostic. */
static int endpoint_for(struct tf_ctx *c, const struct aws_config_input *in,
			const char *service, const char *env_name, char **out, bool *custom)
{
	const char *url = endpoint_block(in->config, service);
	bool ignore = aws_getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") &&
		      !strcasecmp(aws_getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true");
	if (!url && !ignore)
		url = first(aws_getenv(env_name), first(aws_getenv("AWS_ENDPOINT_URL"), in->profile_endpoint));
	*custom = url != NULL;
	if (!url)
		return aws_default_endpoint(service, in->region, out);
	if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8)) {
		tf_diag_error_at(c->diags, "endpoints", "Invalid endpoint",
				 "The %s endpoint \"%s\" must be an http:// or https:// URL.", service, url);
		return -1;
	}
	size_t n = strlen(url);
	while (n > 8 && url[n - 1] == '/')
		n--;
	*out = strndup(url, n);
	return *out ? 0 : -1;
}

static char *user_agent(const struct tf_value *config)
{
	const char *extra[MAX_FILES];
	size_t n = aws_strings_of(tf_value_get(config, "user_agent"), extra, MAX_FILES);
	struct tf_bytes b = { 0 };
	const char *base = "thingform-aws/" THINGFORM_VERSION;
	const char *append = aws_getenv("TF_APPEND_USER_AGENT");
	int rc = tf_bytes_add(&b, base, strlen(base));
	for (size_t i = 0; i < n; i++)
		rc |= tf_bytes_add(&b, " ", 1) | tf_bytes_add(&b, extra[i], strlen(extra[i]));
	if (append)
		rc |= tf_bytes_add(&b, " ", 1) | tf_bytes_add(&b, append, strlen(append));
	if (rc) {
		tf_bytes_release(&b);
		return NULL;
	}
	return (char *)b.data;
}

static char *dup_opt(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

/* Retry settings: max_retries / AWS_MAX_ATTEMPTS, retry_mode / AWS_RETRY_MODE. */
static int retry_settings(struct tf_ctx *c, const struct tf_value *config, struct aws_config *cfg)
{
	int64_t n;
	const char *mode = first(tf_value_get_string(config, "retry_mode"), aws_getenv("AWS_RETRY_MODE"));
	cfg->max_attempts = DEFAULT_MAX_RETRIES;
	if (tf_value_get_int(config, "max_retries", &n))
		cfg->max_attempts = n < 1 ? 1 : n > 1000 ? 1000 : (int)n;
	else if (aws_getenv("AWS_MAX_ATTEMPTS"))
		cfg->max_attempts = atoi(aws_getenv("AWS_MAX_ATTEMPTS"));
	if (cfg->max_attempts < 1)
		cfg->max_attempts = 1;
	if (mode && strcmp(mode, "standard") && strcmp(mode, "adaptive")) {
		tf_diag_error_at(c->diags, "retry_mode", "Invalid retry mode",
				 "retry_mode must be \"standard\" or \"adaptive\", got \"%s\".", mode);
		return -1;
	}
	cfg->retry_mode = mode && !strcmp(mode, "adaptive") ? AWS_RETRY_ADAPTIVE : AWS_RETRY_STANDARD;
	return 0;
}

int aws_config_transport(struct tf_ctx *c, const struct aws_config_input *in,
			 struct aws_config *cfg)
{
	const struct tf_value *config = in->config;
	bool sts_custom;
	cfg->region = strdup(in->region);
	cfg->partition = strdup(partition_of(in->region));
	cfg->sts_region = dup_opt(tf_value_get_string(config, "sts_region"));
	cfg->insecure = aws_get_bool(config, "insecure");
	cfg->ca_bundle = dup_opt(first(tf_value_get_string(config, "custom_ca_bundle"),
				       aws_getenv("AWS_CA_BUNDLE")));
	cfg->http_proxy = dup_opt(tf_value_get_string(config, "http_proxy"));
	cfg->https_proxy = dup_opt(tf_value_get_string(config, "https_proxy"));
	cfg->no_proxy = dup_opt(tf_value_get_string(config, "no_proxy"));
	cfg->user_agent = user_agent(config);
	cfg->client = aws_client_new();
	if (!cfg->region || !cfg->partition || !cfg->user_agent || !cfg->client) {
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot configure the provider.");
		return -1;
	}
	if (retry_settings(c, config, cfg) < 0 ||
	    endpoint_for(c, in, "iot", "AWS_ENDPOINT_URL_IOT", &cfg->iot_endpoint,
			 &cfg->iot_endpoint_custom) < 0 ||
	    endpoint_for(c, in, "sts", "AWS_ENDPOINT_URL_STS", &cfg->sts_endpoint, &sts_custom) < 0) {
		if (!tf_diags_has_errors(c->diags))
			tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot configure the provider.");
		return -1;
	}
	return 0;
}

void aws_config_free(struct aws_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->region);
	free(cfg->sts_region);
	free(cfg->iot_endpoint);
	free(cfg->sts_endpoint);
	aws_creds_release(&cfg->creds);
	free(cfg->account_id);
	free(cfg->partition);
	free(cfg->ca_bundle);
	free(cfg->http_proxy);
	free(cfg->https_proxy);
	free(cfg->no_proxy);
	free(cfg->user_agent);
	aws_client_free(cfg->client);
	free(cfg);
}

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
#define DEFAULT_TAGS_ENV "TF_AWS_DEFAULT_TAGS_"

extern char **environ;

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

const char *aws_region_partition(const char *region)
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
	const char *suffix = !strcmp(aws_region_partition(region), "aws-cn") ? ".com.cn" : ".com";
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
	cfg->partition = strdup(aws_region_partition(in->region));
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

/* The one block of a `nesting: list`, `max_items: 1` block, or NULL. */
static const struct tf_value *only_block(const struct tf_value *config, const char *name)
{
	const struct tf_value *l = tf_value_get(config, name);
	return l && l->kind == TF_LIST && l->u.seq.n == 1 ? l->u.seq.items[0] : NULL;
}

/* Adds the string members of `from` (a map's values or a set's
 * elements) to `to`: under their key when it is a MAP, else as elements. */
static int add_strings(struct tf_value *to, const struct tf_value *from)
{
	bool keyed = from && from->kind == TF_MAP;
	size_t n = !from ? 0 : keyed ? from->u.kv.n : from->kind == TF_SET ? from->u.seq.n : 0;
	for (size_t i = 0; i < n; i++) {
		const struct tf_value *v = keyed ? from->u.kv.vals[i] : from->u.seq.items[i];
		if (v->kind != TF_STRING)
			continue;
		struct tf_value *copy = tf_value_dup(v);
		/* both take `copy`, also when they fail */
		if (!copy || (keyed ? tf_value_set(to, from->u.kv.keys[i], copy)
				    : tf_value_append(to, copy)) < 0)
			return -1;
	}
	return 0;
}

/* TF_AWS_DEFAULT_TAGS_<key>=<value>, then the block's tags over them. */
static int default_tags(const struct tf_value *config, struct tf_value **out)
{
	struct tf_value *m = tf_value_new_collection(TF_MAP);
	size_t plen = strlen(DEFAULT_TAGS_ENV);
	for (char **e = environ; m && *e; e++) {
		const char *eq = strchr(*e, '=');
		if (strncmp(*e, DEFAULT_TAGS_ENV, plen) || !eq || eq == *e + plen)
			continue;
		char *key = strndup(*e + plen, (size_t)(eq - *e) - plen);
		struct tf_value *v = tf_value_new_string(eq + 1);
		int rc = key && v ? tf_value_set(m, key, v) : (tf_value_free(v), -1);
		free(key);
		if (rc < 0) {
			tf_value_free(m);
			return -1;
		}
	}
	if (!m || add_strings(m, tf_value_get(only_block(config, "default_tags"), "tags")) < 0) {
		tf_value_free(m);
		return -1;
	}
	*out = m;
	return 0;
}

/* A set of the block's strings and the comma-separated ones of `env`. */
static int ignore_set(const struct tf_value *block, const char *attr, const char *env,
		      struct tf_value **out)
{
	struct tf_value *set = tf_value_new_collection(TF_SET);
	const char *list = aws_getenv(env);
	if (!set || add_strings(set, tf_value_get(block, attr)) < 0)
		goto fail;
	while (list && *list) {
		size_t n = strcspn(list, ",");
		const char *p = list;
		size_t len = n;
		while (len && isspace((unsigned char)*p))
			p++, len--;
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		struct tf_value *key = len ? tf_value_new_stringn(p, len) : NULL;
		if (len && (!key || tf_value_append(set, key) < 0))
			goto fail;
		list += n + (list[n] == ',');
	}
	*out = set;
	return 0;
fail:
	tf_value_free(set);
	return -1;
}

/* A MAP or SET with no members is kept as NULL: "none". */
static struct tf_value *none_if_empty(struct tf_value *v)
{
	size_t n = v->kind == TF_MAP ? v->u.kv.n : v->u.seq.n;
	if (n)
		return v;
	tf_value_free(v);
	return NULL;
}

int aws_config_tags(struct tf_ctx *c, const struct tf_value *config, struct aws_config *cfg)
{
	const struct tf_value *ignore = only_block(config, "ignore_tags");
	struct aws_tag_rules *r = &cfg->tags;
	if (default_tags(config, &r->defaults) < 0 ||
	    ignore_set(ignore, "keys", "TF_AWS_IGNORE_TAGS_KEYS", &r->ignore_keys) < 0 ||
	    ignore_set(ignore, "key_prefixes", "TF_AWS_IGNORE_TAGS_KEY_PREFIXES",
		       &r->ignore_prefixes) < 0) {
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot configure the provider.");
		return -1;
	}
	r->defaults = none_if_empty(r->defaults);
	r->ignore_keys = none_if_empty(r->ignore_keys);
	r->ignore_prefixes = none_if_empty(r->ignore_prefixes);
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
	tf_value_free(cfg->tags.defaults);
	tf_value_free(cfg->tags.ignore_keys);
	tf_value_free(cfg->tags.ignore_prefixes);
	aws_client_free(cfg->client);
	free(cfg);
}

/*
 * aws.h - the aws provider: its data sources, its configuration (the
 * immutable `meta` every slot gets) and the helpers they share.
 *
 * Ownership: struct aws_config is built once by the provider's configure
 * and freed by its release; every string in it is owned by it.  Secrets
 * (secret key, session token) are wiped with OPENSSL_cleanse when freed and
 * never logged.
 */
#ifndef THINGFORM_AWS_H
#define THINGFORM_AWS_H

#include <stdbool.h>

#include "provider.h"

extern const struct tf_data_source aws_arn_data_source;
extern const struct tf_data_source aws_iot_endpoint_data_source;
extern const struct tf_resource aws_iot_thing_resource;
extern const struct tf_resource aws_iot_thing_principal_attachment_resource;
extern const struct tf_resource aws_iot_certificate_resource;
extern const struct tf_resource aws_iot_policy_resource;
extern const struct tf_resource aws_iot_policy_attachment_resource;

/* Sets obj[key] to a new string (NULL: null); 0 or -1 (ENOMEM). */
int aws_set_string(struct tf_value *obj, const char *key, const char *s);
/* A non-empty environment variable, or NULL. */
const char *aws_getenv(const char *name);
/* True when obj[key] is the bool true. */
bool aws_get_bool(const struct tf_value *obj, const char *key);
/* Up to `max` string elements of a list or set (borrowed); returns the count. */
size_t aws_strings_of(const struct tf_value *v, const char **out, size_t max);
/* Sets *err to a new printf-style message (NULL if memory runs out); returns -1. */
int aws_errf(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* free() after OPENSSL_cleanse of the whole string; NULL is fine. */
void aws_free_secret(char *s);

/* A Go duration ("1h30m", "900s", "15m") in whole seconds; 0 or -1. */
int aws_parse_duration(const char *text, long *seconds);

struct aws_creds {
	char *access_key;
	char *secret_key;     /* secret */
	char *session_token;  /* secret; NULL for long-term keys */
	const char *source;   /* static text: where they came from, for messages */
};

void aws_creds_release(struct aws_creds *c);
int aws_creds_copy(struct aws_creds *dst, const struct aws_creds *src);

enum aws_retry_mode { AWS_RETRY_STANDARD, AWS_RETRY_ADAPTIVE };

struct aws_client;

/* The provider's default_tags and ignore_tags (used through tags.h). */
struct aws_tag_rules {
	struct tf_value *defaults;        /* MAP of strings, or NULL when there are none */
	struct tf_value *ignore_keys;     /* SET of strings, or NULL */
	struct tf_value *ignore_prefixes; /* SET of strings, or NULL */
};

struct aws_config {
	char *region;
	char *sts_region;
	char *iot_endpoint;        /* base URL without a trailing slash */
	bool iot_endpoint_custom;  /* configured, so the same for every region */
	char *sts_endpoint;
	struct aws_creds creds;
	char *account_id;          /* NULL when skipped */
	char *partition;           /* "aws", "aws-cn", "aws-us-gov" */
	int max_attempts;          /* max_retries (25 when unset), at least 1 */
	enum aws_retry_mode retry_mode;
	bool insecure;
	char *ca_bundle;
	char *http_proxy, *https_proxy, *no_proxy;  /* NULL: from the environment */
	char *user_agent;
	struct aws_tag_rules tags;
	struct aws_client *client; /* shared mutable state: connections, rate limits */
};

void aws_config_free(struct aws_config *cfg);

#endif

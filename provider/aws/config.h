/*
 * config.h - building struct aws_config (aws.h) from the provider block.
 */
#ifndef THINGFORM_AWS_CONFIG_H
#define THINGFORM_AWS_CONFIG_H

#include "aws.h"

struct aws_config_input {
	const struct tf_value *config;  /* the provider block */
	const char *region;             /* resolved */
	const char *profile_endpoint;   /* the profile's endpoint_url, or NULL */
};

/* Region, partition, endpoints, retries, TLS, proxies, user agent and the
 * client; -1 with an error in c->diags. */
int aws_config_transport(struct tf_ctx *c, const struct aws_config_input *in,
			 struct aws_config *cfg);

/* default_tags (over TF_AWS_DEFAULT_TAGS_<key>) and ignore_tags (with
 * TF_AWS_IGNORE_TAGS_KEYS and TF_AWS_IGNORE_TAGS_KEY_PREFIXES, comma
 * separated) into cfg->tags; -1 with an error in c->diags. */
int aws_config_tags(struct tf_ctx *c, const struct tf_value *config, struct aws_config *cfg);

/* The service's public endpoint in `region` ("https://iot.eu-west-1.amazonaws.com"),
 * malloc'd into *out; 0 or -1 (ENOMEM). */
int aws_default_endpoint(const char *service, const char *region, char **out);

/* The partition a region belongs to ("aws", "aws-cn", ...); a static string. */
const char *aws_region_partition(const char *region);

/* The shape of a region name: [a-z]{2}(-[a-z]+)+-[0-9]+. */
bool aws_region_valid(const char *region);

#endif

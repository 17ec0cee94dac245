/*
 * data_arn.c - data "aws_arn": an ARN split into its parts, no AWS call.
 */
#include "arn.h"
#include "aws.h"

/* Parses the configured ARN; an invalid one is an error on `arn`. */
static int parse(struct tf_ctx *c, const struct tf_value *config, struct aws_arn *arn)
{
	const char *text = tf_value_get_string(config, "arn"), *why;
	if (!text)
		return 1; /* null or unknown: the schema's business, or checked at read */
	if (aws_arn_parse(text, arn, &why) == 0)
		return 0;
	tf_diag_error_at(c->diags, "arn", "Invalid ARN", "\"%s\" is an invalid ARN: %s.", text, why);
	return -1;
}

static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	struct aws_arn arn;
	int rc = parse(c, config, &arn);
	if (rc == 0)
		aws_arn_release(&arn);
	return rc < 0 ? -1 : 0;
}

static int read(struct tf_ctx *c, struct tf_value *state)
{
	struct aws_arn arn;
	int rc = parse(c, state, &arn);
	if (rc > 0) {
		tf_diag_error_at(c->diags, "arn", "Missing ARN", "The arn argument must be set.");
		return -1;
	}
	if (rc < 0)
		return -1;
	const char *id = tf_value_get_string(state, "arn");
	rc = aws_set_string(state, "id", id) | aws_set_string(state, "partition", arn.partition) |
	     aws_set_string(state, "service", arn.service) |
	     aws_set_string(state, "region", arn.region) |
	     aws_set_string(state, "account", arn.account) |
	     aws_set_string(state, "resource", arn.resource);
	aws_arn_release(&arn);
	if (rc)
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot store the ARN's parts.");
	return rc ? -1 : 0;
}

const struct tf_data_source aws_arn_data_source = {
	.name = "aws_arn",
	.validate = validate,
	.read = read,
};

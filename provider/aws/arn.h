/*
 * arn.h - Amazon Resource Names: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.
 *
 * Parsing follows the AWS SDK (six colon-separated sections, the resource
 * keeps any further colons) plus the upstream provider's checks on the
 * parts: partition `aws(-[a-z]+)*`, region empty or `[a-z]{2}(-[a-z]+)+-N`,
 * account empty, 12 digits, `aws`, `aws-managed`, `third-party` or `cw`
 * and 10 more characters, and a non-empty resource.
 */
#ifndef THINGFORM_AWS_ARN_H
#define THINGFORM_AWS_ARN_H

#include <stddef.h>

struct aws_arn {
	char *partition, *service, *region, *account, *resource; /* owned */
};

/*
 * Parses `text` into `arn` (0), or returns -1 with *why set to a static
 * reason ("invalid prefix", "invalid region value", ...) and `arn` empty.
 * ENOMEM also returns -1, with *why "out of memory".
 */
int aws_arn_parse(const char *text, struct aws_arn *arn, const char **why);
void aws_arn_release(struct aws_arn *arn);

#endif

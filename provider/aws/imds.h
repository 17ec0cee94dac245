/*
 * imds.h - credentials from the container credentials endpoint (ECS, EKS
 * pod identity) and from the EC2 instance metadata service (IMDSv2).
 *
 * Both return 0 with credentials, 1 when the source is not there (not
 * configured, or nothing answers), -1 with an error in c->diags when it
 * answered with something unusable.
 */
#ifndef THINGFORM_AWS_IMDS_H
#define THINGFORM_AWS_IMDS_H

#include "aws.h"

int aws_creds_from_container(struct tf_ctx *c, struct aws_creds *out);
/* `endpoint`: the metadata service's base URL; NULL: from
 * AWS_EC2_METADATA_SERVICE_ENDPOINT, else http://169.254.169.254 (or the
 * IPv6 address with `ipv6`). */
int aws_creds_from_imds(struct tf_ctx *c, const char *endpoint, bool ipv6, struct aws_creds *out);

#endif

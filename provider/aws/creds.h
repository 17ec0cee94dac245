/*
 * creds.h - the credential chain, in the upstream provider's order:
 *
 *   1. access_key/secret_key (+ token) in the provider block;
 *   2. the `profile` argument (it beats the environment's keys);
 *   3. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN);
 *   4. AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE (STS AssumeRoleWithWebIdentity);
 *   5. the profile from AWS_PROFILE (else "default"): static keys,
 *      role_arn + source_profile, credential_process;
 *   6. the container endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI/RELATIVE_URI);
 *   7. the EC2 instance metadata service (IMDSv2), unless disabled.
 *
 * Then each assume_role block of the provider block is applied in order.
 */
#ifndef THINGFORM_AWS_CREDS_H
#define THINGFORM_AWS_CREDS_H

#include "aws.h"
#include "profile.h"

struct aws_chain_input {
	const struct tf_value *config;      /* the provider block */
	struct aws_profile_files files;
	const char *profile_arg;            /* `profile`, or NULL */
	bool metadata_disabled;
};

/* Fills cfg->creds; -1 with an error in c->diags when no source has credentials. */
int aws_creds_resolve(struct tf_ctx *c, struct aws_config *cfg, const struct aws_chain_input *in);

/* Runs a credential_process command (through /bin/sh) and reads its JSON;
 * 0, or -1 with a message in *err (malloc'd; never holds the output). */
int aws_creds_from_process(const char *command, struct aws_creds *out, char **err);

/* Fills `out` from a JSON credentials document (credential_process,
 * container, IMDS); 0 or -1 with a static reason in *why. */
int aws_creds_from_json(const char *text, size_t len, struct aws_creds *out, const char **why);

#endif

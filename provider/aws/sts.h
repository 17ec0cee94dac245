/*
 * sts.h - the STS calls the provider makes (query protocol, XML answers).
 */
#ifndef THINGFORM_AWS_STS_H
#define THINGFORM_AWS_STS_H

#include "aws.h"
#include "client.h"

struct aws_identity {
	char *account, *arn, *user_id;
};
void aws_identity_release(struct aws_identity *id);

/* GetCallerIdentity with `creds`; 0, or -1 with an error in c->diags. */
int aws_sts_get_caller_identity(struct tf_ctx *c, const struct aws_config *cfg,
				const struct aws_creds *creds, struct aws_identity *out);

struct aws_assume_role {
	const char *role_arn;
	const char *session_name;    /* NULL: a generated one */
	long duration_seconds;       /* 0: STS's default */
	const char *external_id, *policy, *source_identity;
	const char *const *policy_arns;
	size_t n_policy_arns;
	const char *const *tag_keys, *const *tag_values;
	size_t n_tags;
	const char *const *transitive_tag_keys;
	size_t n_transitive;
	const char *web_identity_token;  /* set: AssumeRoleWithWebIdentity (unsigned) */
};

/* AssumeRole (or AssumeRoleWithWebIdentity) with `creds`; the temporary
 * credentials go to *out.  -1 with an error on `attr` in c->diags. */
int aws_sts_assume_role(struct tf_ctx *c, const char *attr, const struct aws_config *cfg,
			const struct aws_creds *creds, const struct aws_assume_role *ar,
			struct aws_creds *out);

#endif

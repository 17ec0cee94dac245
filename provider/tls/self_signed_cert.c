/*
 * self_signed_cert.c - tls_self_signed_cert: a certificate signed by its
 * own private_key_pem.  Every input but early_renewal_hours forces a new
 * certificate; the renewal rules live in cert_plan.c.
 */
#include "tls.h"

static const char *const pem_inputs[] = { "private_key_pem", NULL };

static int plan(struct tf_ctx *c, const struct tf_value *prior, const struct tf_value *config,
		struct tf_value *planned, struct tf_paths *replace)
{
	return tls_cert_plan(c, prior, config, planned, replace, pem_inputs);
}

static int create(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	struct tls_request_parts rp;
	int rc = tls_request_parts_init(c, state, &rp);
	(void)config;
	if (rc == 0) {
		struct tls_cert_parts parts = {
			.subject = rp.subject, .sans = rp.sans,
			.subject_key = rp.key, .issuer_key = rp.key,
		};
		rc = tls_cert_create(c, state, &parts);
	}
	tls_request_parts_release(&rp);
	return rc;
}

const struct tf_resource tls_self_signed_cert_resource = {
	.name = "tls_self_signed_cert",
	.validate = tls_request_validate,
	.plan = plan,
	.create = create,
	.read = tls_cert_read,
};

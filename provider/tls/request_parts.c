/*
 * request_parts.c - reads what tls_cert_request and tls_self_signed_cert
 * both start from: the private key, the subject and the SANs.
 */
#include <string.h>

#include "tls.h"

int tls_request_parts_init(struct tf_ctx *c, struct tf_value *state,
			   struct tls_request_parts *p)
{
	const char *pem = tf_value_get_string(state, "private_key_pem");
	memset(p, 0, sizeof(*p));
	p->key = tls_key_from_pem(c, "private_key_pem", pem ? pem : "");
	if (!p->key)
		return -1;
	if (!(p->subject = tls_subject_from_config(state))) {
		tf_diag_error_at(c->diags, "subject", "Out of memory", "Cannot build the subject.");
		return -1;
	}
	if (tls_sans_from_config(c, state, &p->sans) < 0)
		return -1;
	return tls_set_string(c, state, "key_algorithm",
			      strdup(tls_algorithm_name(tls_key_algorithm(p->key))), false);
}

void tls_request_parts_release(struct tls_request_parts *p)
{
	EVP_PKEY_free(p->key);
	X509_NAME_free(p->subject);
	GENERAL_NAMES_free(p->sans);
	memset(p, 0, sizeof(*p));
}

int tls_request_validate(struct tf_ctx *c, const struct tf_value *config)
{
	const char *pem = tf_value_get_string(config, "private_key_pem");
	int rc = tls_cert_validate(c, config, true);
	if (pem) {
		EVP_PKEY *key = tls_key_from_pem(c, "private_key_pem", pem);
		rc |= key ? 0 : -1;
		EVP_PKEY_free(key);
	}
	return rc ? -1 : 0;
}

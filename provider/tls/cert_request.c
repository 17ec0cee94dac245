/*
 * cert_request.c - tls_cert_request: a PKCS#10 certificate signing request
 * as Go's x509.CreateCertificateRequest writes it: version 0, the subject,
 * and the SANs (when there are any) in an extensionRequest attribute.
 */
#include <openssl/pem.h>

#include "tls.h"

static const char *const pem_inputs[] = { "private_key_pem", NULL };

static int plan(struct tf_ctx *c, const struct tf_value *prior, const struct tf_value *config,
		struct tf_value *planned, struct tf_paths *replace)
{
	(void)config;
	if (prior && tls_plan_pem_replace(prior, planned, pem_inputs[0], replace) < 0) {
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot plan the request.");
		return -1;
	}
	return 0;
}

/* The SANs as the request's only requested extension. */
static bool add_sans(X509_REQ *req, GENERAL_NAMES *sans)
{
	STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
	X509_EXTENSION *ext = exts ? X509V3_EXT_i2d(NID_subject_alt_name, 0, sans) : NULL;
	bool ok = ext && sk_X509_EXTENSION_push(exts, ext) && X509_REQ_add_extensions(req, exts);
	if (!ok && ext && sk_X509_EXTENSION_num(exts) == 0)
		X509_EXTENSION_free(ext);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	return ok;
}

/* The signed request's DER; its length, or -1. */
static int build_request(const struct tls_request_parts *p, unsigned char **der)
{
	X509_REQ *req = X509_REQ_new();
	int len = -1;
	if (req && X509_REQ_set_version(req, X509_REQ_VERSION_1) &&
	    X509_REQ_set_subject_name(req, p->subject) && X509_REQ_set_pubkey(req, p->key) &&
	    (!p->sans || add_sans(req, p->sans)) &&
	    X509_REQ_sign(req, p->key, tls_signature_digest(p->key)) > 0)
		len = i2d_X509_REQ(req, der);
	X509_REQ_free(req);
	return len;
}

static int create(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	struct tls_request_parts rp;
	unsigned char *der = NULL;
	int rc = tls_request_parts_init(c, state, &rp), len = -1;
	(void)config;
	if (rc == 0 && (len = build_request(&rp, &der)) <= 0) {
		tf_diag_error_at(c->diags, NULL, "Failed to create certificate request",
				 "OpenSSL could not build or sign the request.");
		rc = -1;
	}
	if (rc == 0)
		rc = tls_set_string(c, state, "cert_request_pem",
				    tls_pem_encode("CERTIFICATE REQUEST", der, (size_t)len), false);
	if (rc == 0)
		rc = tls_set_string(c, state, "id", tls_hash_for_state(der, (size_t)len), false);
	OPENSSL_free(der);
	tls_request_parts_release(&rp);
	return rc;
}

const struct tf_resource tls_cert_request_resource = {
	.name = "tls_cert_request",
	.validate = tls_request_validate,
	.plan = plan,
	.create = create,
};

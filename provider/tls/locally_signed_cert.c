/*
 * locally_signed_cert.c - tls_locally_signed_cert: a certificate for a CSR,
 * signed by a CA given as certificate and private key.  As upstream, only
 * the CSR's subject, DNS names, IP addresses and URIs are used, and the
 * CSR's own signature is not checked.
 */
#include <string.h>

#include <openssl/err.h>

#include "tls.h"

static const char *const pem_inputs[] = {
	"cert_request_pem", "ca_cert_pem", "ca_private_key_pem", NULL,
};

enum pem_object { READ_REQUEST, READ_CERTIFICATE };

/* The first PEM block of `pem`, which must be a CSR or a certificate,
 * parsed; NULL after an error on `attr`. */
static void *read_pem_object(struct tf_ctx *c, const char *attr, const char *pem,
			     enum pem_object kind)
{
	const char *type = kind == READ_REQUEST ? "CERTIFICATE REQUEST" : "CERTIFICATE";
	struct tls_pem_block b;
	void *obj = NULL;
	if (!tls_pem_block_read(pem, &b)) {
		tf_diag_error_at(c->diags, attr, "Failed to decode PEM block",
				 "The value holds no PEM block (\"-----BEGIN %s-----\").", type);
	} else if (strcmp(b.type, type)) {
		tf_diag_error_at(c->diags, attr, "Unsupported PEM block",
				 "unsupported PEM preamble/type: %s; expected %s.", b.type, type);
	} else {
		const unsigned char *p = b.der;
		obj = kind == READ_REQUEST ? (void *)d2i_X509_REQ(NULL, &p, b.len)
					  : (void *)d2i_X509(NULL, &p, b.len);
		if (!obj)
			tf_diag_error_at(c->diags, attr, "Failed to parse PEM block",
					 "The %s block is not valid DER.", type);
	}
	ERR_clear_error();
	tls_pem_block_release(&b);
	return obj;
}

struct inputs {
	X509_REQ *req;
	X509 *ca;
	EVP_PKEY *ca_key;
};

static void inputs_release(struct inputs *in)
{
	X509_REQ_free(in->req);
	X509_free(in->ca);
	EVP_PKEY_free(in->ca_key);
}

/* Reads whichever PEM inputs are known; -1 when one of them is bad. */
static int read_inputs(struct tf_ctx *c, const struct tf_value *v, struct inputs *in)
{
	const char *req = tf_value_get_string(v, "cert_request_pem");
	const char *ca = tf_value_get_string(v, "ca_cert_pem");
	const char *key = tf_value_get_string(v, "ca_private_key_pem");
	memset(in, 0, sizeof(*in));
	if (req)
		in->req = read_pem_object(c, "cert_request_pem", req, READ_REQUEST);
	if (ca)
		in->ca = read_pem_object(c, "ca_cert_pem", ca, READ_CERTIFICATE);
	if (key)
		in->ca_key = tls_key_from_pem(c, "ca_private_key_pem", key);
	if (in->ca && in->ca_key && X509_check_private_key(in->ca, in->ca_key) != 1)
		tf_diag_error_at(c->diags, "ca_private_key_pem", "Failed to create certificate",
				 "x509: provided PrivateKey doesn't match parent's PublicKey");
	ERR_clear_error();
	return tf_diags_has_errors(c->diags) ? -1 : 0;
}

static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	struct inputs in;
	int rc = tls_cert_validate(c, config, false);
	rc |= read_inputs(c, config, &in);
	inputs_release(&in);
	return rc ? -1 : 0;
}

static int plan(struct tf_ctx *c, const struct tf_value *prior, const struct tf_value *config,
		struct tf_value *planned, struct tf_paths *replace)
{
	return tls_cert_plan(c, prior, config, planned, replace, pem_inputs);
}

static int issue(struct tf_ctx *c, struct tf_value *state, struct inputs *in)
{
	X509_NAME *subject = tls_subject_go_roundtrip(X509_REQ_get_subject_name(in->req));
	EVP_PKEY *pub = X509_REQ_get0_pubkey(in->req);
	GENERAL_NAMES *sans = NULL;
	int rc = -1;
	if (!(X509_get_extension_flags(in->ca) & EXFLAG_CA))
		tf_diag_warning_at(c->diags, "ca_cert_pem", "Potentially Invalid Certificate Authority",
				   "Signing CA certificate is not a valid Certificate Authority: its "
				   "basicConstraints do not say CA:TRUE.");
	if (!subject || !pub || tls_key_algorithm(pub) == TLS_ALG_NONE)
		tf_diag_error_at(c->diags, "cert_request_pem", "Failed to parse certificate request",
				 "The request's subject or public key is not supported.");
	else if (tls_sans_from_request(in->req, &sans) < 0)
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot copy the request's names.");
	else {
		struct tls_cert_parts parts = {
			.subject = subject, .sans = sans, .subject_key = pub,
			.issuer = in->ca, .issuer_key = in->ca_key,
		};
		rc = tls_set_string(c, state, "ca_key_algorithm",
				    strdup(tls_algorithm_name(tls_key_algorithm(in->ca_key))), false);
		if (rc == 0)
			rc = tls_cert_create(c, state, &parts);
	}
	GENERAL_NAMES_free(sans);
	X509_NAME_free(subject);
	return rc;
}

static int create(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	struct inputs in;
	int rc = read_inputs(c, state, &in);
	(void)config;
	if (rc == 0 && (!in.req || !in.ca || !in.ca_key)) {
		tf_diag_error_at(c->diags, NULL, "Missing input",
				 "cert_request_pem, ca_cert_pem and ca_private_key_pem are required.");
		rc = -1;
	}
	if (rc == 0)
		rc = issue(c, state, &in);
	inputs_release(&in);
	return rc;
}

const struct tf_resource tls_locally_signed_cert_resource = {
	.name = "tls_locally_signed_cert",
	.validate = validate,
	.plan = plan,
	.create = create,
	.read = tls_cert_read,
};

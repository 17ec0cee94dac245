/*
 * fuzz_pem.c - PEM, X.509 certificates and certificate requests, and PEM
 * private keys, as the tls and aws providers read them from configuration
 * and from AWS.
 *
 * Input: one byte choosing what reads it (anything after it up to the
 * first NUL is ignored), then up to three texts cut at NUL bytes:
 *   0  the tls_certificate data source with content = text 1
 *      (PEM -> X.509 -> the certificate's attributes, its id and dump)
 *   1  tls_locally_signed_cert's checks of cert_request_pem = text 1,
 *      ca_cert_pem = text 2 and ca_private_key_pem = text 3; then the
 *      CSR's subject and SANs as a certificate would copy them
 *   2  a PEM private key (tls_key_from_pem) and its public outputs
 *   3  aws_iot_certificate's PEM checks: certificate text 1 and CSR text 2,
 *      whether the CSR fits the certificate, whether text 1 is signed by
 *      text 3, and PEM sameness of texts 1 and 2
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "common.h"
#include "provider/aws/pem.h"
#include "provider/tls/tls.h"

static struct tf_value *object_of(const char *const *keys, const char *const *texts, size_t n)
{
	struct tf_value *o = tf_value_new_collection(TF_OBJECT);
	for (size_t i = 0; o && i < n; i++) {
		struct tf_value *v = texts[i] ? tf_value_new_string(texts[i]) : tf_value_new_null();
		if (!v || tf_value_set(o, keys[i], v) < 0)
			abort();
	}
	if (!o)
		abort();
	return o;
}

static void certificate_data_source(struct fuzz_ctx *f, const char *content)
{
	static const char *const keys[] = { "content", "url", "verify_chain", "certificates", "id" };
	const char *texts[] = { content, NULL, NULL, NULL, NULL };
	struct tf_value *state = object_of(keys, texts, 5);
	int rc = tls_certificate_data_source.read(&f->c, state);
	FUZZ_CHECK(rc == 0 || tf_diags_has_errors(&f->d));
	if (rc == 0) {
		char *dump = tls_certificates_dump(tf_value_get(state, "certificates"));
		FUZZ_CHECK(dump);
		free(dump);
	}
	tf_value_free(state);
}

static void locally_signed(struct fuzz_ctx *f, const struct fuzz_parts *p)
{
	static const char *const keys[] = { "cert_request_pem", "ca_cert_pem", "ca_private_key_pem" };
	const char *texts[] = { p->s[1], p->s[2], p->s[3] };
	struct tf_value *config = object_of(keys, texts, 3);
	int rc = tls_locally_signed_cert_resource.validate(&f->c, config);
	FUZZ_CHECK(rc == 0 || tf_diags_has_errors(&f->d));
	tf_value_free(config);

	const char *why;
	X509_REQ *req = aws_pem_csr(p->s[1], p->len[1], &why);
	if (req) {
		X509_NAME *subject = tls_subject_go_roundtrip(X509_REQ_get_subject_name(req));
		char *name = subject ? tls_go_name_string(subject) : NULL;
		GENERAL_NAMES *sans = NULL;
		tls_sans_from_request(req, &sans);
		GENERAL_NAMES_free(sans);
		free(name);
		X509_NAME_free(subject);
		X509_REQ_free(req);
	}
}

static void private_key(struct fuzz_ctx *f, const char *pem)
{
	EVP_PKEY *key = tls_key_from_pem(&f->c, "private_key_pem", pem);
	FUZZ_CHECK(key || tf_diags_has_errors(&f->d));
	if (key) {
		struct tf_value *state = tf_value_new_collection(TF_OBJECT);
		FUZZ_CHECK(state && tls_set_public_outputs(&f->c, state, key) == 0);
		tf_value_free(state);
		EVP_PKEY_free(key);
	}
}

static void aws_pem(const struct fuzz_parts *p)
{
	const char *why = NULL;
	X509 *x = aws_pem_certificate(p->s[1], p->len[1], &why);
	FUZZ_CHECK(x || why);
	X509_free(x);
	why = NULL;
	X509_REQ *r = aws_pem_csr(p->s[2], p->len[2], &why);
	FUZZ_CHECK(r || why);
	X509_REQ_free(r);
	aws_pem_csr_fits(p->s[2], p->len[2], p->s[1], p->len[1]);
	aws_pem_signed_by(p->s[1], p->len[1], p->s[3], p->len[3]);
	FUZZ_CHECK(aws_pem_same(p->s[1], p->len[1], p->s[2], p->len[2]) ==
		   aws_pem_same(p->s[2], p->len[2], p->s[1], p->len[1]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct fuzz_parts p;
	struct fuzz_ctx f;
	fuzz_parts_split(&p, data, size, 4);
	fuzz_ctx_init(&f);
	switch (data[0] % 4) {
	case 0: certificate_data_source(&f, p.s[1]); break;
	case 1: locally_signed(&f, &p); break;
	case 2: private_key(&f, p.s[1]); break;
	case 3: aws_pem(&p); break;
	}
	ERR_clear_error();
	fuzz_ctx_release(&f);
	fuzz_parts_release(&p);
	return 0;
}

/*
 * pem.c - PEM equivalence and parsing with OpenSSL (pem.h).
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "ossl.h"
#include "pem.h"

/* A read-only BIO over text[0..len), or NULL. */
static BIO *text_bio(const char *text, size_t len)
{
	return len > (size_t)INT32_MAX ? NULL : BIO_new_mem_buf(text, (int)len);
}

struct block {
	char *name;
	unsigned char *data;
	long len;
};

static void block_release(struct block *b)
{
	OPENSSL_free(b->name);
	OPENSSL_free(b->data);
	memset(b, 0, sizeof(*b));
}

/* 1: the next block; 0: no block left; -1: a block that does not decode. */
static int next_block(BIO *bio, struct block *b)
{
	char *header = NULL;
	memset(b, 0, sizeof(*b));
	int ok = PEM_read_bio(bio, &b->name, &header, &b->data, &b->len);
	OPENSSL_free(header);
	if (ok)
		return 1;
	unsigned long e = ERR_peek_last_error();
	bool end = ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE;
	ERR_clear_error();
	block_release(b);
	return end ? 0 : -1;
}

bool aws_pem_same(const char *a, size_t alen, const char *b, size_t blen)
{
	BIO *ba = text_bio(a, alen), *bb = text_bio(b, blen);
	bool same = false;
	size_t blocks = 0;
	while (ba && bb) {
		struct block x, y;
		int rx = next_block(ba, &x), ry = next_block(bb, &y);
		bool equal = rx == 1 && ry == 1 && !strcmp(x.name, y.name) && x.len == y.len &&
			     !memcmp(x.data, y.data, (size_t)x.len);
		block_release(&x);
		block_release(&y);
		if (rx == 0 && ry == 0) {
			same = blocks > 0;
			break;
		}
		if (!equal)
			break;
		blocks++;
	}
	BIO_free(ba);
	BIO_free(bb);
	ERR_clear_error();
	return same;
}

/* OpenSSL's reason for the last failure, or `fallback`; clears the queue. */
static const char *reason(const char *fallback)
{
	const char *r = tf_ossl_reason(ERR_peek_last_error());
	ERR_clear_error();
	return r ? r : fallback;
}

X509 *aws_pem_certificate(const char *text, size_t len, const char **why)
{
	BIO *bio = text_bio(text, len);
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	*why = x ? NULL : reason("no PEM certificate found");
	ERR_clear_error();
	return x;
}

X509_REQ *aws_pem_csr(const char *text, size_t len, const char **why)
{
	BIO *bio = text_bio(text, len);
	X509_REQ *r = bio ? PEM_read_bio_X509_REQ(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	*why = r ? NULL : reason("no PEM certificate request found");
	ERR_clear_error();
	return r;
}

bool aws_pem_csr_fits(const char *csr, size_t csrlen, const char *cert, size_t certlen)
{
	const char *why;
	X509_REQ *req = aws_pem_csr(csr, csrlen, &why);
	X509 *x = req ? aws_pem_certificate(cert, certlen, &why) : NULL;
	EVP_PKEY *want = req ? X509_REQ_get_pubkey(req) : NULL;
	EVP_PKEY *have = x ? X509_get0_pubkey(x) : NULL;
	bool fits = want && have && EVP_PKEY_eq(want, have) == 1;
	EVP_PKEY_free(want);
	X509_REQ_free(req);
	X509_free(x);
	ERR_clear_error();
	return fits;
}

bool aws_pem_signed_by(const char *cert, size_t certlen, const char *ca, size_t calen)
{
	const char *why;
	X509 *x = aws_pem_certificate(cert, certlen, &why);
	X509 *issuer = x ? aws_pem_certificate(ca, calen, &why) : NULL;
	EVP_PKEY *key = issuer ? X509_get0_pubkey(issuer) : NULL;
	bool ok = key && X509_verify(x, key) == 1;
	X509_free(x);
	X509_free(issuer);
	ERR_clear_error();
	return ok;
}

/*
 * buf.c - appending to a tls_buf: the core's byte buffer (wiped whenever
 * freed or moved, since it often holds private key material) plus a sticky
 * failure flag, with the SSH wire encodings (RFC 4251); and the string
 * setter every tls handler uses.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>

#include "tls.h"

/* Far beyond any key or certificate; keeps hostile sizes from wrapping. */
#define TLS_BUF_MAX (64u << 20)

void tls_buf_release(struct tls_buf *b)
{
	tf_bytes_release(&b->b);
	b->failed = false;
}

void tls_buf_put(struct tls_buf *b, const void *p, size_t n)
{
	if (b->failed || n == 0)
		return;
	if (n > TLS_BUF_MAX - b->b.len || tf_bytes_add(&b->b, p, n) < 0)
		b->failed = true;
}

void tls_buf_put_u32(struct tls_buf *b, uint32_t v)
{
	unsigned char be[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
				(unsigned char)(v >> 8), (unsigned char)v };
	tls_buf_put(b, be, 4);
}

void tls_buf_put_string(struct tls_buf *b, const void *p, size_t n)
{
	if (n > UINT32_MAX) {
		b->failed = true;
		return;
	}
	tls_buf_put_u32(b, (uint32_t)n);
	tls_buf_put(b, p, n);
}

void tls_buf_put_cstring(struct tls_buf *b, const char *s)
{
	tls_buf_put_string(b, s, strlen(s));
}

/* BN_bn2mpi writes exactly the SSH mpint: a 4-byte big-endian length, then
 * the magnitude with a leading zero byte when its top bit is set. */
void tls_buf_put_mpint(struct tls_buf *b, const BIGNUM *bn)
{
	int n = bn ? BN_bn2mpi(bn, NULL) : -1;
	unsigned char *mpi = n >= 4 ? OPENSSL_malloc((size_t)n) : NULL;
	if (!mpi) {
		b->failed = true;
		return;
	}
	BN_bn2mpi(bn, mpi);
	tls_buf_put(b, mpi, (size_t)n);
	OPENSSL_clear_free(mpi, (size_t)n); /* private exponents pass through here */
}

void tls_free_secret(char *s)
{
	if (s)
		OPENSSL_clear_free(s, strlen(s));
}

int tls_set_string(struct tf_ctx *c, struct tf_value *state, const char *key, char *s,
		   bool secret)
{
	struct tf_value *v = s ? tf_value_new_string(s) : NULL;
	if (secret)
		tls_free_secret(s);
	else
		free(s);
	if (!v || tf_value_set(state, key, v) < 0) {
		tf_diag_error_at(c->diags, key, "Out of memory", "Cannot store %s.", key);
		return -1;
	}
	return 0;
}

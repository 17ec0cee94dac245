/*
 * key.c - the keys the tls provider knows: RSA, ECDSA on the NIST P
 * curves and Ed25519.  Generation (cancellable) and reading private key
 * PEM the way upstream does (first block; PKCS#1, SEC1 or PKCS#8).
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "tls.h"

/* The curves upstream supports: schema name, OpenSSL group name. */
static const struct { const char *name, *group; } curves[] = {
	{ "P224", "secp224r1" },
	{ "P256", "prime256v1" },
	{ "P384", "secp384r1" },
	{ "P521", "secp521r1" },
};

const char *tls_algorithm_name(enum tls_algorithm alg)
{
	switch (alg) {
	case TLS_ALG_RSA: return "RSA";
	case TLS_ALG_ECDSA: return "ECDSA";
	case TLS_ALG_ED25519: return "ED25519";
	default: return "";
	}
}

const char *tls_curve_group(const char *curve)
{
	for (size_t i = 0; curve && i < sizeof(curves) / sizeof(curves[0]); i++)
		if (!strcmp(curves[i].name, curve))
			return curves[i].group;
	return NULL;
}

/* True when an EC key is on one of the supported curves. */
static bool supported_curve(const EVP_PKEY *key)
{
	char group[64];
	if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
					    NULL))
		return false;
	for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (!strcmp(curves[i].group, group))
			return true;
	return false;
}

enum tls_algorithm tls_key_algorithm(const EVP_PKEY *key)
{
	switch (key ? EVP_PKEY_get_base_id(key) : EVP_PKEY_NONE) {
	case EVP_PKEY_RSA: return TLS_ALG_RSA;
	case EVP_PKEY_EC: return supported_curve(key) ? TLS_ALG_ECDSA : TLS_ALG_NONE;
	case EVP_PKEY_ED25519: return TLS_ALG_ED25519;
	default: return TLS_ALG_NONE;
	}
}

/* OpenSSL calls this between steps of RSA prime search: 0 aborts. */
static int keygen_progress(EVP_PKEY_CTX *ctx)
{
	const struct tf_ctx *c = EVP_PKEY_CTX_get_app_data(ctx);
	return !tf_ctx_stopping(c);
}

static bool keygen_setup(EVP_PKEY_CTX *ctx, enum tls_algorithm alg, int64_t rsa_bits,
			 const char *curve)
{
	if (EVP_PKEY_keygen_init(ctx) <= 0)
		return false;
	if (alg == TLS_ALG_RSA)
		return EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)rsa_bits) > 0;
	if (alg == TLS_ALG_ECDSA)
		return EVP_PKEY_CTX_set_group_name(ctx, tls_curve_group(curve)) > 0;
	return true;
}

EVP_PKEY *tls_key_generate(struct tf_ctx *c, enum tls_algorithm alg, int64_t rsa_bits,
			   const char *curve)
{
	static const char *const openssl_names[] = {
		[TLS_ALG_RSA] = "RSA", [TLS_ALG_ECDSA] = "EC", [TLS_ALG_ED25519] = "ED25519",
	};
	if (alg == TLS_ALG_NONE || (alg == TLS_ALG_ECDSA && !tls_curve_group(curve))) {
		tf_diag_error_at(c->diags, alg == TLS_ALG_NONE ? "algorithm" : "ecdsa_curve",
				 "Unsupported key type", "Cannot generate this kind of key.");
		return NULL;
	}
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, openssl_names[alg], NULL);
	EVP_PKEY *key = NULL;
	if (ctx) {
		EVP_PKEY_CTX_set_app_data(ctx, c);
		EVP_PKEY_CTX_set_cb(ctx, keygen_progress);
	}
	if (!ctx || !keygen_setup(ctx, alg, rsa_bits, curve) || EVP_PKEY_generate(ctx, &key) <= 0) {
		EVP_PKEY_free(key);
		key = NULL;
		if (tf_ctx_stopping(c))
			tf_diag_error_at(c->diags, NULL, "Key generation cancelled",
					 "Terraform asked the provider to stop.");
		else
			tf_diag_error_at(c->diags, NULL, "Failed to generate key",
					 "OpenSSL could not generate a %s key.",
					 tls_algorithm_name(alg));
	}
	EVP_PKEY_CTX_free(ctx);
	return key;
}

/* The DER of one of the three private key PEM types, as a key. */
static EVP_PKEY *key_from_der(const char *type, const unsigned char *der, long len)
{
	const unsigned char *p = der;
	if (!strcmp(type, "RSA PRIVATE KEY"))
		return d2i_PrivateKey(EVP_PKEY_RSA, NULL, &p, len);
	if (!strcmp(type, "EC PRIVATE KEY"))
		return d2i_PrivateKey(EVP_PKEY_EC, NULL, &p, len);
	PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, len);
	EVP_PKEY *key = p8 ? EVP_PKCS82PKEY(p8) : NULL;
	PKCS8_PRIV_KEY_INFO_free(p8);
	return key;
}

bool tls_pem_block_read(const char *text, struct tls_pem_block *b)
{
	BIO *bio = BIO_new_mem_buf(text ? text : "", -1);
	memset(b, 0, sizeof(*b));
	bool ok = bio && PEM_read_bio(bio, &b->type, &b->header, &b->der, &b->len) == 1;
	BIO_free(bio);
	ERR_clear_error();
	return ok;
}

void tls_pem_block_release(struct tls_pem_block *b)
{
	OPENSSL_free(b->type);
	OPENSSL_free(b->header);
	OPENSSL_clear_free(b->der, b->len > 0 ? (size_t)b->len : 0);
	memset(b, 0, sizeof(*b));
}

EVP_PKEY *tls_key_from_pem(struct tf_ctx *c, const char *attr, const char *pem)
{
	struct tls_pem_block b;
	EVP_PKEY *key = NULL;
	if (!tls_pem_block_read(pem, &b)) {
		tf_diag_error_at(c->diags, attr, "Failed to decode PEM block",
				 "The value holds no PEM block (\"-----BEGIN ...-----\").");
	} else if (strcmp(b.type, "RSA PRIVATE KEY") && strcmp(b.type, "EC PRIVATE KEY") &&
		   strcmp(b.type, "PRIVATE KEY")) {
		tf_diag_error_at(c->diags, attr, "Unsupported private key",
				 "unsupported PEM preamble/type: %s. Use an unencrypted RSA PRIVATE "
				 "KEY, EC PRIVATE KEY or PRIVATE KEY.", b.type);
	} else if (b.header[0]) {
		tf_diag_error_at(c->diags, attr, "Unsupported private key",
				 "Encrypted PEM keys are unsupported: decrypt the key first.");
	} else if (!(key = key_from_der(b.type, b.der, b.len))) {
		tf_diag_error_at(c->diags, attr, "Failed to parse private key",
				 "The %s block does not hold a valid key.", b.type);
	} else if (tls_key_algorithm(key) == TLS_ALG_NONE) {
		tf_diag_error_at(c->diags, attr, "Unsupported private key",
				 "Only RSA, ECDSA (P224, P256, P384, P521) and ED25519 keys are "
				 "supported.");
		EVP_PKEY_free(key);
		key = NULL;
	}
	ERR_clear_error();
	tls_pem_block_release(&b);
	return key;
}

size_t tls_ec_point(const EVP_PKEY *key, unsigned char out[133])
{
	size_t n = ((size_t)EVP_PKEY_get_bits(key) + 7) / 8;
	BIGNUM *x = NULL, *y = NULL;
	bool ok = n > 0 && n <= 66 && EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x) &&
		  EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y) &&
		  BN_bn2binpad(x, out + 1, (int)n) > 0 && BN_bn2binpad(y, out + 1 + n, (int)n) > 0;
	BN_free(x);
	BN_free(y);
	out[0] = 0x04;
	return ok ? 1 + 2 * n : 0;
}

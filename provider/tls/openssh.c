/*
 * openssh.c - the OpenSSH key formats, which no library here writes:
 * the wire public key blob (RFC 4253, RFC 5656, RFC 8709), authorized_keys
 * lines, fingerprints, and "openssh-key-v1" private keys as Go's
 * x/crypto/ssh MarshalPrivateKey writes them (unencrypted, no comment).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/md5.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "encode.h"
#include "tls.h"

#define OPENSSH_MAGIC "openssh-key-v1" /* followed by a NUL byte */

/* SSH names of the curves OpenSSH knows (not P-224). */
static const struct { const char *group, *curve; } ssh_curves[] = {
	{ "prime256v1", "nistp256" },
	{ "secp384r1", "nistp384" },
	{ "secp521r1", "nistp521" },
};

static int ssh_curve_index(const EVP_PKEY *key)
{
	char group[64];
	if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
					    NULL))
		return -1;
	for (int i = 0; i < (int)(sizeof(ssh_curves) / sizeof(ssh_curves[0])); i++)
		if (!strcmp(ssh_curves[i].group, group))
			return i;
	return -1;
}

/* "ecdsa-sha2-nistp256" and so on. */
static void put_ecdsa_key_type(struct tls_buf *b, int curve)
{
	char type[32];
	snprintf(type, sizeof(type), "ecdsa-sha2-%s", ssh_curves[curve].curve);
	tls_buf_put_cstring(b, type);
}

/* One BIGNUM parameter of a key as an mpint. */
static void put_param_mpint(struct tls_buf *b, const EVP_PKEY *key, const char *name)
{
	BIGNUM *bn = NULL;
	if (!EVP_PKEY_get_bn_param(key, name, &bn))
		b->failed = true;
	else
		tls_buf_put_mpint(b, bn);
	BN_clear_free(bn);
}

/* The uncompressed point as a string. */
static void put_ec_point(struct tls_buf *b, const EVP_PKEY *key)
{
	unsigned char point[133];
	size_t n = tls_ec_point(key, point);
	if (n)
		tls_buf_put_string(b, point, n);
	else
		b->failed = true;
}

static void put_ed25519_public(struct tls_buf *b, const EVP_PKEY *key)
{
	unsigned char pub[32];
	size_t n = sizeof(pub);
	if (EVP_PKEY_get_raw_public_key(key, pub, &n) && n == sizeof(pub))
		tls_buf_put_string(b, pub, n);
	else
		b->failed = true;
}

bool tls_ssh_public_blob(const EVP_PKEY *key, struct tls_buf *out)
{
	switch (tls_key_algorithm(key)) {
	case TLS_ALG_RSA:
		tls_buf_put_cstring(out, "ssh-rsa");
		put_param_mpint(out, key, OSSL_PKEY_PARAM_RSA_E);
		put_param_mpint(out, key, OSSL_PKEY_PARAM_RSA_N);
		return true;
	case TLS_ALG_ECDSA: {
		int curve = ssh_curve_index(key);
		if (curve < 0)
			return false;
		put_ecdsa_key_type(out, curve);
		tls_buf_put_cstring(out, ssh_curves[curve].curve);
		put_ec_point(out, key);
		return true;
	}
	case TLS_ALG_ED25519:
		tls_buf_put_cstring(out, "ssh-ed25519");
		put_ed25519_public(out, key);
		return true;
	default:
		return false;
	}
}

/* The key type name at the start of a blob (a string of at most 32). */
static bool blob_key_type(const struct tls_buf *blob, char type[33])
{
	if (blob->b.len < 4)
		return false;
	uint32_t n = (uint32_t)blob->b.data[0] << 24 | (uint32_t)blob->b.data[1] << 16 |
		     (uint32_t)blob->b.data[2] << 8 | blob->b.data[3];
	if (n > 32 || n > blob->b.len - 4)
		return false;
	memcpy(type, blob->b.data + 4, n);
	type[n] = '\0';
	return true;
}

char *tls_ssh_authorized_key(const EVP_PKEY *key)
{
	struct tls_buf blob = { 0 };
	char type[33], *line = NULL;
	if (!tls_ssh_public_blob(key, &blob)) {
		tls_buf_release(&blob);
		return strdup("");
	}
	char *b64 = blob.failed ? NULL : tf_base64_encode(blob.b.data, blob.b.len, TF_BASE64_STD);
	if (b64 && blob_key_type(&blob, type) &&
	    (line = malloc(strlen(type) + strlen(b64) + 3)))
		sprintf(line, "%s %s\n", type, b64);
	free(b64);
	tls_buf_release(&blob);
	return line;
}

char *tls_ssh_fingerprint_md5(const unsigned char *blob, size_t len)
{
	unsigned char md[MD5_DIGEST_LENGTH];
	char *text = malloc(3 * sizeof(md));
	if (!text || !EVP_Digest(blob, len, md, NULL, EVP_md5(), NULL)) {
		free(text);
		return NULL;
	}
	for (size_t i = 0; i < sizeof(md); i++)
		sprintf(text + 3 * i, i + 1 < sizeof(md) ? "%02x:" : "%02x", md[i]);
	return text;
}

char *tls_ssh_fingerprint_sha256(const unsigned char *blob, size_t len)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256(blob, len, md);
	char *b64 = tf_base64_encode(md, sizeof(md), TF_BASE64_STD_RAW);
	char *text = b64 ? malloc(strlen(b64) + 8) : NULL;
	if (text)
		sprintf(text, "SHA256:%s", b64);
	free(b64);
	return text;
}

/* The private fields after the key type, as Go writes them, comment "". */
static void put_private_fields(struct tls_buf *b, const EVP_PKEY *key, int curve)
{
	static const char *const rsa[] = {
		OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E, OSSL_PKEY_PARAM_RSA_D,
		OSSL_PKEY_PARAM_RSA_COEFFICIENT1, /* q^-1 mod p */
		OSSL_PKEY_PARAM_RSA_FACTOR1, OSSL_PKEY_PARAM_RSA_FACTOR2,
	};
	unsigned char seed_pub[64];
	size_t n = 32;
	switch (tls_key_algorithm(key)) {
	case TLS_ALG_RSA:
		for (size_t i = 0; i < sizeof(rsa) / sizeof(rsa[0]); i++)
			put_param_mpint(b, key, rsa[i]);
		break;
	case TLS_ALG_ECDSA:
		tls_buf_put_cstring(b, ssh_curves[curve].curve);
		put_ec_point(b, key);
		put_param_mpint(b, key, OSSL_PKEY_PARAM_PRIV_KEY);
		break;
	default: /* Ed25519: the public key, then seed||public */
		put_ed25519_public(b, key);
		if (EVP_PKEY_get_raw_private_key(key, seed_pub, &n) && n == 32 &&
		    EVP_PKEY_get_raw_public_key(key, seed_pub + 32, &n) && n == 32)
			tls_buf_put_string(b, seed_pub, sizeof(seed_pub));
		else
			b->failed = true;
		OPENSSL_cleanse(seed_pub, sizeof(seed_pub));
		break;
	}
	tls_buf_put_cstring(b, ""); /* comment */
}

/* check, check, key type, fields, padding 1, 2, 3... to 8 bytes. */
static void put_private_section(struct tls_buf *b, const EVP_PKEY *key,
				const struct tls_buf *blob)
{
	uint32_t check;
	char type[33];
	if (RAND_bytes((unsigned char *)&check, sizeof(check)) != 1 || !blob_key_type(blob, type)) {
		b->failed = true;
		return;
	}
	tls_buf_put_u32(b, check);
	tls_buf_put_u32(b, check);
	tls_buf_put_cstring(b, type);
	put_private_fields(b, key, ssh_curve_index(key));
	for (unsigned char pad = 1; b->b.len % 8; pad++)
		tls_buf_put(b, &pad, 1);
}

char *tls_ssh_private_key_pem(const EVP_PKEY *key)
{
	struct tls_buf blob = { 0 }, priv = { 0 }, out = { 0 };
	char *pem = NULL;
	if (!tls_ssh_public_blob(key, &blob)) {
		tls_buf_release(&blob);
		return strdup("");
	}
	put_private_section(&priv, key, &blob);
	tls_buf_put(&out, OPENSSH_MAGIC, sizeof(OPENSSH_MAGIC)); /* with its NUL */
	tls_buf_put_cstring(&out, "none");                      /* cipher */
	tls_buf_put_cstring(&out, "none");                      /* kdf */
	tls_buf_put_cstring(&out, "");                          /* kdf options */
	tls_buf_put_u32(&out, 1);                               /* number of keys */
	tls_buf_put_string(&out, blob.b.data, blob.b.len);
	tls_buf_put_string(&out, priv.b.data, priv.b.len);
	if (!blob.failed && !priv.failed && !out.failed)
		pem = tls_pem_encode("OPENSSH PRIVATE KEY", out.b.data, out.b.len);
	tls_buf_release(&blob);
	tls_buf_release(&priv);
	tls_buf_release(&out);
	return pem;
}

/*
 * key_output.c - the text forms of a key that end up in state: private
 * key PEMs, the public key PEM and OpenSSH line, fingerprints and the id.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "encode.h"
#include "tls.h"

char *tls_pem_encode(const char *type, const unsigned char *der, size_t len)
{
	BIO *bio = BIO_new(BIO_s_secmem());
	char *text = NULL, *mem;
	if (bio && len <= INT32_MAX && PEM_write_bio(bio, type, "", der, (long)len) > 0) {
		long n = BIO_get_mem_data(bio, &mem);
		if (n >= 0 && (text = malloc((size_t)n + 1))) {
			memcpy(text, mem, (size_t)n);
			text[n] = '\0';
		}
	}
	BIO_free(bio);
	return text;
}

/* DER from an i2d function as PEM; the DER is wiped. */
static char *der_to_pem(const char *type, unsigned char *der, int len)
{
	char *pem = len > 0 ? tls_pem_encode(type, der, (size_t)len) : NULL;
	OPENSSL_clear_free(der, len > 0 ? (size_t)len : 0);
	return pem;
}

char *tls_private_key_pkcs8_pem(const EVP_PKEY *key)
{
	PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(key);
	unsigned char *der = NULL;
	int len = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &der) : -1;
	PKCS8_PRIV_KEY_INFO_free(p8);
	return der_to_pem("PRIVATE KEY", der, len);
}

char *tls_private_key_pem(const EVP_PKEY *key)
{
	enum tls_algorithm alg = tls_key_algorithm(key);
	if (alg == TLS_ALG_ED25519 || alg == TLS_ALG_NONE)
		return tls_private_key_pkcs8_pem(key);
	/* i2d_PrivateKey writes RSA as PKCS#1 and EC as SEC1 with the named
	 * curve and the public key, as Go's Marshal{PKCS1,EC}PrivateKey do. */
	unsigned char *der = NULL;
	int len = i2d_PrivateKey(key, &der);
	return der_to_pem(alg == TLS_ALG_RSA ? "RSA PRIVATE KEY" : "EC PRIVATE KEY", der, len);
}

/* Go's unicode.IsSpace for the runes whose UTF-8 is 2 or 3 bytes. */
static size_t unicode_space_suffix(const unsigned char *s, size_t len)
{
	static const unsigned char spaces[][3] = {
		{ 0xc2, 0x85 }, { 0xc2, 0xa0 },                 /* U+0085, U+00A0 */
		{ 0xe1, 0x9a, 0x80 },                           /* U+1680 */
		{ 0xe2, 0x80, 0x80 }, { 0xe2, 0x80, 0x81 }, { 0xe2, 0x80, 0x82 },
		{ 0xe2, 0x80, 0x83 }, { 0xe2, 0x80, 0x84 }, { 0xe2, 0x80, 0x85 },
		{ 0xe2, 0x80, 0x86 }, { 0xe2, 0x80, 0x87 }, { 0xe2, 0x80, 0x88 },
		{ 0xe2, 0x80, 0x89 }, { 0xe2, 0x80, 0x8a },     /* U+2000..U+200A */
		{ 0xe2, 0x80, 0xa8 }, { 0xe2, 0x80, 0xa9 },     /* U+2028, U+2029 */
		{ 0xe2, 0x80, 0xaf }, { 0xe2, 0x81, 0x9f },     /* U+202F, U+205F */
		{ 0xe3, 0x80, 0x80 },                           /* U+3000 */
	};
	for (size_t i = 0; i < sizeof(spaces) / sizeof(spaces[0]); i++) {
		size_t n = spaces[i][0] == 0xc2 ? 2 : 3;
		if (len >= n && !memcmp(s + len - n, spaces[i], n))
			return n;
	}
	return 0;
}

/*
 * strings.TrimSpace on the tail: ASCII \t \n \v \f \r and space, and the
 * UTF-8 of Unicode spaces.  A space rune is recognised exactly when Go's
 * utf8.DecodeLastRune would decode it, since its lead byte is the nearest
 * non-continuation byte.
 */
size_t tls_go_trim_space_len(const unsigned char *der, size_t len)
{
	for (;;) {
		if (len == 0)
			return 0;
		unsigned char last = der[len - 1];
		if (last == ' ' || (last >= '\t' && last <= '\r')) {
			len--;
			continue;
		}
		size_t n = last >= 0x80 ? unicode_space_suffix(der, len) : 0;
		if (!n)
			return len;
		len -= n;
	}
}

char *tls_hash_for_state(const unsigned char *der, size_t len)
{
	unsigned char md[SHA_DIGEST_LENGTH];
	SHA1(der, tls_go_trim_space_len(der, len), md);
	return tf_hex_encode(md, sizeof(md));
}

/* The OpenSSH line and fingerprints, or "" for all three. */
static int set_ssh_outputs(struct tf_ctx *c, struct tf_value *state, const EVP_PKEY *key)
{
	struct tls_buf blob = { 0 };
	bool ok = tls_ssh_public_blob(key, &blob) && !blob.failed;
	char *line = ok ? tls_ssh_authorized_key(key) : strdup("");
	char *md5 = ok ? tls_ssh_fingerprint_md5(blob.b.data, blob.b.len) : strdup("");
	char *sha = ok ? tls_ssh_fingerprint_sha256(blob.b.data, blob.b.len) : strdup("");
	tls_buf_release(&blob);
	int rc = 0;
	rc |= tls_set_string(c, state, "public_key_openssh", line, false);
	rc |= tls_set_string(c, state, "public_key_fingerprint_md5", md5, false);
	rc |= tls_set_string(c, state, "public_key_fingerprint_sha256", sha, false);
	return rc ? -1 : 0;
}

int tls_set_public_outputs(struct tf_ctx *c, struct tf_value *state, const EVP_PKEY *key)
{
	unsigned char *der = NULL;
	int len = i2d_PUBKEY(key, &der);
	char *pem = len > 0 ? tls_pem_encode("PUBLIC KEY", der, (size_t)len) : NULL;
	char *id = len > 0 ? tls_hash_for_state(der, (size_t)len) : NULL;
	OPENSSL_free(der);
	int rc = 0;
	rc |= tls_set_string(c, state, "public_key_pem", pem, false);
	if (tf_value_get(state, "id")) /* the type has an id (the ephemeral key has none) */
		rc |= tls_set_string(c, state, "id", id, false);
	else
		free(id);
	rc |= set_ssh_outputs(c, state, key);
	return rc ? -1 : 0;
}

/*
 * openssh_parse.c - reads a private key the way Go's ssh.ParseRawPrivateKey
 * does: an unencrypted "openssh-key-v1" block, or a PEM private key.
 * Everything is hostile input: each read is bounds-checked.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>

#include "tls.h"

#define OPENSSH_MAGIC "openssh-key-v1"

struct reader {
	const unsigned char *p;
	size_t n;
	bool bad; /* a read ran past the end; later reads return nothing */
};

static uint32_t get_u32(struct reader *r)
{
	if (r->bad || r->n < 4) {
		r->bad = true;
		return 0;
	}
	uint32_t v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 |
		     r->p[3];
	r->p += 4;
	r->n -= 4;
	return v;
}

/* A string's bytes (borrowed) and length. */
static const unsigned char *get_string(struct reader *r, size_t *len)
{
	uint32_t n = get_u32(r);
	if (r->bad || n > r->n) {
		r->bad = true;
		*len = 0;
		return NULL;
	}
	const unsigned char *s = r->p;
	r->p += n;
	r->n -= n;
	*len = n;
	return s;
}

static bool get_string_is(struct reader *r, const char *want)
{
	size_t n;
	const unsigned char *s = get_string(r, &n);
	return s && n == strlen(want) && !memcmp(s, want, n);
}

/* Pushes an mpint as a BIGNUM parameter (negative numbers refused). */
static bool push_mpint(OSSL_PARAM_BLD *bld, struct reader *r, const char *name, BIGNUM **bn)
{
	size_t n;
	const unsigned char *s = get_string(r, &n);
	if (!s || (n && (s[0] & 0x80)))
		return false;
	*bn = BN_bin2bn(s, (int)n, NULL);
	return *bn && OSSL_PARAM_BLD_push_BN(bld, name, *bn);
}

static EVP_PKEY *key_from_params(const char *type, OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = params ? EVP_PKEY_CTX_new_from_name(NULL, type, NULL) : NULL;
	EVP_PKEY *key = NULL;
	if (ctx && EVP_PKEY_fromdata_init(ctx) > 0)
		EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return key;
}

/* n, e, d (the rest is not needed to use the key). */
static EVP_PKEY *read_rsa(struct reader *r)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *n = NULL, *e = NULL, *d = NULL;
	EVP_PKEY *key = NULL;
	if (bld && push_mpint(bld, r, OSSL_PKEY_PARAM_RSA_N, &n) &&
	    push_mpint(bld, r, OSSL_PKEY_PARAM_RSA_E, &e) &&
	    push_mpint(bld, r, OSSL_PKEY_PARAM_RSA_D, &d))
		key = key_from_params("RSA", bld);
	BN_free(n);
	BN_free(e);
	BN_clear_free(d);
	OSSL_PARAM_BLD_free(bld);
	return key;
}

static EVP_PKEY *read_ecdsa(struct reader *r)
{
	static const struct { const char *curve, *group; } curves[] = {
		{ "nistp256", "prime256v1" }, { "nistp384", "secp384r1" }, { "nistp521", "secp521r1" },
	};
	size_t clen, plen;
	const unsigned char *curve = get_string(r, &clen), *point = get_string(r, &plen);
	const char *group = NULL;
	for (size_t i = 0; curve && i < sizeof(curves) / sizeof(curves[0]); i++)
		if (clen == strlen(curves[i].curve) && !memcmp(curve, curves[i].curve, clen))
			group = curves[i].group;
	OSSL_PARAM_BLD *bld = group && point ? OSSL_PARAM_BLD_new() : NULL;
	BIGNUM *d = NULL;
	EVP_PKEY *key = NULL;
	if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, plen) &&
	    push_mpint(bld, r, OSSL_PKEY_PARAM_PRIV_KEY, &d))
		key = key_from_params("EC", bld);
	BN_clear_free(d);
	OSSL_PARAM_BLD_free(bld);
	return key;
}

/* The public key, then seed||public; the key is made from the seed. */
static EVP_PKEY *read_ed25519(struct reader *r)
{
	size_t plen, slen;
	const unsigned char *pub = get_string(r, &plen), *seed = get_string(r, &slen);
	if (!pub || plen != 32 || !seed || slen != 64)
		return NULL;
	return EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
}

/* The body of an OPENSSH PRIVATE KEY block; NULL with *why set. */
static EVP_PKEY *read_openssh(const unsigned char *der, size_t len, const char **why)
{
	struct reader r = { der, len, false }, priv;
	size_t n, tlen;
	*why = "The OPENSSH PRIVATE KEY block is malformed: give a whole, unencrypted OpenSSH private key.";
	if (len < sizeof(OPENSSH_MAGIC) || memcmp(der, OPENSSH_MAGIC, sizeof(OPENSSH_MAGIC)))
		return NULL;
	r.p += sizeof(OPENSSH_MAGIC);
	r.n -= sizeof(OPENSSH_MAGIC);
	if (!get_string_is(&r, "none") || !get_string_is(&r, "none")) {
		*why = r.bad ? *why : "Encrypted OpenSSH keys are unsupported: decrypt the key first.";
		return NULL;
	}
	get_string(&r, &n);          /* kdf options */
	if (get_u32(&r) != 1)        /* number of keys */
		return NULL;
	get_string(&r, &n);          /* public key blob */
	priv.p = get_string(&r, &priv.n);
	priv.bad = r.bad;
	uint32_t check1 = get_u32(&priv), check2 = get_u32(&priv);
	if (check1 != check2 || priv.bad)
		return NULL;
	const unsigned char *type = get_string(&priv, &tlen);
	EVP_PKEY *key = NULL;
	if (!type)
		return NULL;
	if (tlen == 7 && !memcmp(type, "ssh-rsa", 7))
		key = read_rsa(&priv);
	else if (tlen == 11 && !memcmp(type, "ssh-ed25519", 11))
		key = read_ed25519(&priv);
	else if (tlen > 11 && !memcmp(type, "ecdsa-sha2-", 11))
		key = read_ecdsa(&priv);
	else
		*why = "ssh: unhandled key type: only RSA, ECDSA and ED25519 keys are supported.";
	return key;
}

EVP_PKEY *tls_key_from_openssh(struct tf_ctx *c, const char *attr, const char *text)
{
	struct tls_pem_block b;
	EVP_PKEY *key = NULL;
	const char *why = "ssh: no key found: the value holds no PEM block "
			  "(\"-----BEGIN OPENSSH PRIVATE KEY-----\").";
	if (!tls_pem_block_read(text, &b))
		tf_diag_error_at(c->diags, attr, "Failed to parse private key", "%s", why);
	else if (strcmp(b.type, "OPENSSH PRIVATE KEY"))
		key = tls_key_from_pem(c, attr, text);
	else if (!(key = read_openssh(b.der, (size_t)b.len, &why)))
		tf_diag_error_at(c->diags, attr, "Failed to parse private key", "%s", why);
	ERR_clear_error();
	tls_pem_block_release(&b);
	return key;
}

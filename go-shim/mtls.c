/*
 * mtls.c - the throwaway server certificate of go-plugin's AutoMTLS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mtls.h"
#include "ossl.h"

#define VALID_HOURS 262980L /* go-plugin's ~30 years */
#define BACKDATE_SECONDS 30L
/* go-plugin makes P-521 keys, but its client accepts any curve crypto/tls
 * verifies; P-256 is the one OpenSSL computes fastest (keygen, signature and
 * every handshake). */
#define CURVE NID_X9_62_prime256v1

static int ssl_fail(char *err, size_t errlen, const char *what)
{
	unsigned long e = ERR_get_error();
	const char *reason = e ? tf_ossl_reason(e) : NULL;
	snprintf(err, errlen, "%s: %s", what, reason ? reason : "failed");
	ERR_clear_error();
	return -1;
}

/* The contents of a memory BIO as a NUL-terminated malloc'd string. */
static char *bio_string(BIO *bio)
{
	char *data;
	long len = BIO_get_mem_data(bio, &data);
	char *s = len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (s) {
		memcpy(s, data, (size_t)len);
		s[len] = '\0';
	}
	return s;
}

static int add_ext(X509 *cert, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	int ok = ext && X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

static int random_serial(X509 *cert)
{
	unsigned char bytes[16]; /* go-plugin: a random 128-bit serial */
	if (RAND_bytes(bytes, sizeof(bytes)) != 1)
		return -1;
	bytes[0] &= 0x7f; /* keep it positive in DER */
	BIGNUM *bn = BN_bin2bn(bytes, sizeof(bytes), NULL);
	int ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
	BN_free(bn);
	return ok ? 0 : -1;
}

/*
 * The certificate's SubjectPublicKeyInfo, written from the key's encoded
 * point.  X509_set_pubkey would get the same bytes by running the key
 * through OpenSSL's encoder and decoder frameworks, which costs more than
 * generating the key.
 */
static int set_ec_pubkey(X509 *cert, const EVP_PKEY *key)
{
	size_t len = 0;
	if (!EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, NULL, 0,
					     &len))
		return -1;
	unsigned char *point = OPENSSL_malloc(len);
	if (!point)
		return -1;
	if (!EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, len,
					     &len) ||
	    !X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(cert), OBJ_nid2obj(NID_X9_62_id_ecPublicKey),
				    V_ASN1_OBJECT, OBJ_nid2obj(CURVE), point, (int)len)) {
		OPENSSL_free(point);
		return -1;
	}
	return 0; /* the certificate owns point */
}

/*
 * The key as PKCS#8 PEM ("BEGIN PRIVATE KEY"), written from its private
 * scalar.  PEM_write_bio_PrivateKey would run OpenSSL's encoder framework,
 * whose set-up costs as much as generating the key.  The inner RFC 5915
 * ECPrivateKey is SEQUENCE { version 1, privateKey }: its curve is in the
 * PKCS#8 algorithm and its public key, optional, is derived by the reader.
 * Every copy of the scalar is wiped.
 */
static int write_ec_key_pem(BIO *bio, const EVP_PKEY *key)
{
	unsigned char scalar[66]; /* up to P-521's */
	int len = (EVP_PKEY_get_bits(key) + 7) / 8, der_len = 0, rc = -1;
	unsigned char *der = NULL;
	BIGNUM *priv = NULL;
	ASN1_INTEGER *one = ASN1_INTEGER_new();
	ASN1_TYPE *version = ASN1_TYPE_new(), *secret = ASN1_TYPE_new();
	ASN1_SEQUENCE_ANY *seq = sk_ASN1_TYPE_new_null(); /* borrows version and secret */
	PKCS8_PRIV_KEY_INFO *p8 = PKCS8_PRIV_KEY_INFO_new();

	if (!one || !version || !secret || !seq || !p8 || len > (int)sizeof(scalar) ||
	    !ASN1_INTEGER_set(one, 1) ||
	    !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &priv) ||
	    BN_bn2binpad(priv, scalar, len) != len || !ASN1_TYPE_set_octetstring(secret, scalar, len))
		goto out;
	ASN1_TYPE_set(version, V_ASN1_INTEGER, one);
	one = NULL; /* version owns it */
	if (sk_ASN1_TYPE_push(seq, version) && sk_ASN1_TYPE_push(seq, secret))
		der_len = i2d_ASN1_SEQUENCE_ANY(seq, &der);
	if (der_len > 0 &&
	    PKCS8_pkey_set0(p8, OBJ_nid2obj(NID_X9_62_id_ecPublicKey), 0, V_ASN1_OBJECT,
			    OBJ_nid2obj(CURVE), der, der_len)) {
		der = NULL; /* p8 owns it, and wipes it when freed */
		rc = PEM_write_bio_PKCS8_PRIV_KEY_INFO(bio, p8) ? 0 : -1;
	}
out:
	if (secret && secret->type == V_ASN1_OCTET_STRING)
		OPENSSL_cleanse(secret->value.octet_string->data,
				(size_t)secret->value.octet_string->length);
	sk_ASN1_TYPE_free(seq);
	ASN1_TYPE_free(version);
	ASN1_TYPE_free(secret);
	ASN1_INTEGER_free(one);
	PKCS8_PRIV_KEY_INFO_free(p8);
	OPENSSL_clear_free(der, (size_t)der_len);
	OPENSSL_cleanse(scalar, sizeof(scalar));
	BN_clear_free(priv);
	return rc;
}

static char *base64_unpadded(const unsigned char *der, int len)
{
	size_t cap = 4 * (((size_t)len + 2) / 3) + 1;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	int n = EVP_EncodeBlock((unsigned char *)out, der, len);
	while (n > 0 && out[n - 1] == '=')
		n--;
	out[n] = '\0';
	return out;
}

int tf_mtls_generate(struct tf_mtls_cert *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	EVP_PKEY *key = EVP_EC_gen(OBJ_nid2sn(CURVE));
	X509 *cert = X509_new();
	X509_NAME *name = X509_NAME_new();
	BIO *kbio = BIO_new(BIO_s_mem()), *cbio = BIO_new(BIO_s_mem());
	unsigned char *der = NULL;
	int rc = -1;

	if (!key || !cert || !name || !kbio || !cbio) {
		ssl_fail(err, errlen, "cannot make the plugin's TLS key");
		goto out;
	}
	if (!X509_set_version(cert, 2) || random_serial(cert) < 0 ||
	    !X509_gmtime_adj(X509_getm_notBefore(cert), -BACKDATE_SECONDS) ||
	    !X509_gmtime_adj(X509_getm_notAfter(cert), VALID_HOURS * 3600L) ||
	    !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"thingform",
					-1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost",
					-1, -1, 0) ||
	    !X509_set_subject_name(cert, name) || !X509_set_issuer_name(cert, name) ||
	    set_ec_pubkey(cert, key) < 0 ||
	    add_ext(cert, NID_basic_constraints, "critical,CA:TRUE") < 0 ||
	    add_ext(cert, NID_key_usage,
		    "critical,digitalSignature,keyEncipherment,keyAgreement,keyCertSign") < 0 ||
	    add_ext(cert, NID_ext_key_usage, "clientAuth,serverAuth") < 0 ||
	    add_ext(cert, NID_subject_alt_name, "DNS:localhost") < 0 ||
	    add_ext(cert, NID_subject_key_identifier, "hash") < 0 ||
	    !X509_sign(cert, key, EVP_sha256())) {
		ssl_fail(err, errlen, "cannot make the plugin's TLS certificate");
		goto out;
	}
	int der_len = i2d_X509(cert, &der);
	if (der_len <= 0 || write_ec_key_pem(kbio, key) < 0 ||
	    !PEM_write_bio_X509(cbio, cert)) {
		ssl_fail(err, errlen, "cannot encode the plugin's TLS certificate");
		goto out;
	}
	out->key_pem = bio_string(kbio);
	out->cert_pem = bio_string(cbio);
	out->cert_b64 = base64_unpadded(der, der_len);
	if (!out->key_pem || !out->cert_pem || !out->cert_b64) {
		snprintf(err, errlen, "out of memory");
		tf_mtls_release(out);
		goto out;
	}
	rc = 0;
out:
	OPENSSL_free(der);
	if (kbio) {
		/* the memory BIO held the private key: wipe before freeing */
		char *data;
		long len = BIO_get_mem_data(kbio, &data);
		if (len > 0)
			OPENSSL_cleanse(data, (size_t)len);
	}
	BIO_free(kbio);
	BIO_free(cbio);
	X509_NAME_free(name);
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

void tf_mtls_release(struct tf_mtls_cert *c)
{
	if (c->key_pem)
		OPENSSL_cleanse(c->key_pem, strlen(c->key_pem));
	free(c->key_pem);
	free(c->cert_pem);
	free(c->cert_b64);
	memset(c, 0, sizeof(*c));
}

int tf_mtls_check_client_cert(const char *pem, char *err, size_t errlen)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	int rc = cert ? 0 : ssl_fail(err, errlen, "PLUGIN_CLIENT_CERT is not a PEM certificate");
	X509_free(cert);
	BIO_free(bio);
	return rc;
}

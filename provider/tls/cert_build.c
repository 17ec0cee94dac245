/*
 * cert_build.c - builds and signs a certificate the way upstream's
 * createCertificate and Go's x509.CreateCertificate do: X.509 v3, a random
 * serial below 2^128, extensions in Go's order (keyUsage critical,
 * extKeyUsage, basicConstraints critical, subjectKeyIdentifier,
 * authorityKeyIdentifier, subjectAltName critical only without a subject).
 */
#include <string.h>
#include <time.h>

#include <openssl/pem.h>
#include <openssl/rand.h>

#include "tls.h"

/* allowed_uses: key usage bits and extended key usage OIDs. */
static const struct { const char *name; int bit; const char *oid; } uses[] = {
	{ "digital_signature", 0, NULL },   { "content_commitment", 1, NULL },
	{ "key_encipherment", 2, NULL },    { "data_encipherment", 3, NULL },
	{ "key_agreement", 4, NULL },       { "cert_signing", 5, NULL },
	{ "crl_signing", 6, NULL },         { "encipher_only", 7, NULL },
	{ "decipher_only", 8, NULL },
	{ "any_extended", -1, "2.5.29.37.0" },
	{ "server_auth", -1, "1.3.6.1.5.5.7.3.1" },
	{ "client_auth", -1, "1.3.6.1.5.5.7.3.2" },
	{ "code_signing", -1, "1.3.6.1.5.5.7.3.3" },
	{ "email_protection", -1, "1.3.6.1.5.5.7.3.4" },
	{ "ipsec_end_system", -1, "1.3.6.1.5.5.7.3.5" },
	{ "ipsec_tunnel", -1, "1.3.6.1.5.5.7.3.6" },
	{ "ipsec_user", -1, "1.3.6.1.5.5.7.3.7" },
	{ "timestamping", -1, "1.3.6.1.5.5.7.3.8" },
	{ "ocsp_signing", -1, "1.3.6.1.5.5.7.3.9" },
	{ "microsoft_server_gated_crypto", -1, "1.3.6.1.4.1.311.10.3.3" },
	{ "netscape_server_gated_crypto", -1, "2.16.840.1.113730.4.1" },
	{ "microsoft_commercial_code_signing", -1, "1.3.6.1.4.1.311.2.1.22" },
	{ "microsoft_kernel_code_signing", -1, "1.3.6.1.4.1.311.61.1.1" },
};

int tls_allowed_use_index(const char *name)
{
	for (int i = 0; name && i < (int)(sizeof(uses) / sizeof(uses[0])); i++)
		if (!strcmp(uses[i].name, name))
			return i;
	return -1;
}

bool tls_subject_key_id(const EVP_PKEY *key, unsigned char out[20])
{
	unsigned char buf[135];
	const unsigned char *bytes = buf;
	size_t n = 0, raw = 32;
	X509_PUBKEY *spki = NULL;
	int len = 0;
	switch (tls_key_algorithm(key)) {
	case TLS_ALG_RSA: /* the RSAPublicKey DER: the SPKI's bit string */
		if (X509_PUBKEY_set(&spki, (EVP_PKEY *)key) &&
		    X509_PUBKEY_get0_param(NULL, &bytes, &len, NULL, spki))
			n = (size_t)len;
		break;
	case TLS_ALG_ECDSA:
		n = tls_ec_point(key, buf);
		break;
	case TLS_ALG_ED25519: /* asn1.Marshal of a []byte: an OCTET STRING */
		buf[0] = 0x04, buf[1] = 0x20;
		if (EVP_PKEY_get_raw_public_key(key, buf + 2, &raw) && raw == 32)
			n = 34;
		break;
	default:
		break;
	}
	bool ok = n > 0 && EVP_Digest(bytes, n, out, NULL, EVP_sha1(), NULL);
	X509_PUBKEY_free(spki);
	return ok;
}

/* Reads a whole number attribute; `dflt` when null or absent. */
static int64_t get_int(const struct tf_value *state, const char *key, int64_t dflt)
{
	int64_t v;
	return tf_value_get_int(state, key, &v) ? v : dflt;
}

static bool get_bool(const struct tf_value *state, const char *key)
{
	const struct tf_value *v = tf_value_get(state, key);
	return v && v->kind == TF_BOOL && v->u.b;
}

static bool add_ext(X509 *x, int nid, void *value, int critical)
{
	return X509_add1_ext_i2d(x, nid, value, critical, X509V3_ADD_APPEND) == 1;
}

/* keyUsage and extKeyUsage from allowed_uses (config order, repeats kept). */
static bool add_usages(X509 *x, const struct tf_value *list)
{
	ASN1_BIT_STRING *ku = ASN1_BIT_STRING_new();
	EXTENDED_KEY_USAGE *eku = sk_ASN1_OBJECT_new_null();
	bool ok = ku && eku, any_ku = false;
	for (size_t i = 0; ok && list && list->kind == TF_LIST && i < list->u.seq.n; i++) {
		const struct tf_value *v = list->u.seq.items[i];
		int u = v->kind == TF_STRING ? tls_allowed_use_index(v->u.str.ptr) : -1;
		if (u >= 0 && uses[u].bit >= 0) {
			ok = ASN1_BIT_STRING_set_bit(ku, uses[u].bit, 1);
			any_ku = true;
		} else if (u >= 0) {
			ASN1_OBJECT *obj = OBJ_txt2obj(uses[u].oid, 1);
			ok = obj && sk_ASN1_OBJECT_push(eku, obj);
			if (!ok)
				ASN1_OBJECT_free(obj);
		}
	}
	if (ok && any_ku)
		ok = add_ext(x, NID_key_usage, ku, 1);
	if (ok && sk_ASN1_OBJECT_num(eku) > 0)
		ok = add_ext(x, NID_ext_key_usage, eku, 0);
	ASN1_BIT_STRING_free(ku);
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return ok;
}

/* Always present and critical; pathLen only for a CA with a positive
 * max_path_length (Go never sets MaxPathLenZero here). */
static bool add_basic_constraints(X509 *x, bool is_ca, int64_t max_path)
{
	BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
	bool ok = bc != NULL;
	if (ok && is_ca) {
		bc->ca = 0xff;
		if (max_path > 0)
			ok = (bc->pathlen = ASN1_INTEGER_new()) && ASN1_INTEGER_set_int64(bc->pathlen, max_path);
	}
	ok = ok && add_ext(x, NID_basic_constraints, bc, 1);
	BASIC_CONSTRAINTS_free(bc);
	return ok;
}

static bool add_key_id(X509 *x, int nid, const unsigned char id[20])
{
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	bool ok = os && ASN1_OCTET_STRING_set(os, id, 20);
	if (ok && nid == NID_authority_key_identifier) {
		AUTHORITY_KEYID *akid = AUTHORITY_KEYID_new();
		ok = akid != NULL;
		if (ok) {
			akid->keyid = os;
			os = NULL;
			ok = add_ext(x, nid, akid, 0);
		}
		AUTHORITY_KEYID_free(akid);
	} else if (ok) {
		ok = add_ext(x, nid, os, 0);
	}
	ASN1_OCTET_STRING_free(os);
	return ok;
}

/* The issuer's subjectKeyIdentifier, if it has one. */
static bool issuer_key_id(X509 *issuer, unsigned char id[20])
{
	const ASN1_OCTET_STRING *skid = X509_get0_subject_key_id(issuer);
	if (!skid || ASN1_STRING_length(skid) != 20)
		return false;
	memcpy(id, ASN1_STRING_get0_data(skid), 20);
	return true;
}

/* Go compares the issuer's and subject's DER bytes. */
static bool same_der(const X509_NAME *a, const X509_NAME *b)
{
	const unsigned char *da, *db;
	size_t la, lb;
	return X509_NAME_get0_der((X509_NAME *)a, &da, &la) &&
	       X509_NAME_get0_der((X509_NAME *)b, &db, &lb) && la == lb && !memcmp(da, db, la);
}

/* subjectKeyIdentifier and authorityKeyIdentifier as upstream and Go
 * choose them; an error when set_authority_key_id cannot be honoured. */
static int add_key_ids(struct tf_ctx *c, X509 *x, const struct tf_value *state,
		       const struct tls_cert_parts *p, bool is_ca)
{
	unsigned char skid[20], akid[20];
	bool has_skid = (is_ca || get_bool(state, "set_subject_key_id")) &&
			tls_subject_key_id(p->subject_key, skid);
	bool has_akid = false;
	if (!p->issuer && get_bool(state, "set_authority_key_id")) {
		if (!has_skid) {
			tf_diag_error_at(c->diags, "set_authority_key_id", "Invalid Certificate Authority",
					 "Could not determine Authority Key Identifier: set "
					 "set_subject_key_id or is_ca_certificate as well.");
			return -1;
		}
		memcpy(akid, skid, 20);
		has_akid = true;
	} else if (p->issuer && !same_der(X509_get_subject_name(p->issuer), p->subject)) {
		has_akid = issuer_key_id(p->issuer, akid);
	}
	if ((has_skid && !add_key_id(x, NID_subject_key_identifier, skid)) ||
	    (has_akid && !add_key_id(x, NID_authority_key_identifier, akid)))
		return -1;
	return 0;
}

/* ECDSA digests by curve size as Go picks them; Ed25519 signs pure. */
const EVP_MD *tls_signature_digest(const EVP_PKEY *key)
{
	switch (tls_key_algorithm(key)) {
	case TLS_ALG_ED25519: return NULL;
	case TLS_ALG_ECDSA:
		return EVP_PKEY_get_bits(key) > 384 ? EVP_sha512()
		       : EVP_PKEY_get_bits(key) > 256 ? EVP_sha384() : EVP_sha256();
	default: return EVP_sha256();
	}
}

/* Serial uniform below 2^128; sets id to it in decimal. */
static int set_serial(struct tf_ctx *c, X509 *x, struct tf_value *state)
{
	unsigned char bytes[16];
	BIGNUM *bn = RAND_bytes(bytes, sizeof(bytes)) == 1 ? BN_bin2bn(bytes, 16, NULL) : NULL;
	char *dec = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) ? BN_bn2dec(bn) : NULL;
	BN_free(bn);
	int rc = tls_set_string(c, state, "id", dec ? strdup(dec) : NULL, false);
	OPENSSL_free(dec);
	return rc;
}

/* NotBefore now, NotAfter + validity_period_hours; the state gets Go's
 * text of both with nanoseconds, the certificate whole seconds. */
static int set_validity(struct tf_ctx *c, X509 *x, struct tf_value *state)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t end = (int64_t)now.tv_sec + get_int(state, "validity_period_hours", 0) * 3600;
	if (!ASN1_TIME_set(X509_getm_notBefore(x), now.tv_sec) ||
	    !ASN1_TIME_set(X509_getm_notAfter(x), (time_t)end)) {
		tf_diag_error_at(c->diags, "validity_period_hours", "Invalid validity period",
				 "The certificate's end time cannot be represented.");
		return -1;
	}
	if (tls_set_string(c, state, "validity_start_time",
			   tls_time_format(now.tv_sec, now.tv_nsec), false) < 0 ||
	    tls_set_string(c, state, "validity_end_time", tls_time_format(end, now.tv_nsec),
			   false) < 0)
		return -1;
	return 0;
}

/* Everything but signing; -1 (with a diagnostic when it is not memory). */
static int fill_certificate(struct tf_ctx *c, X509 *x, struct tf_value *state,
			    const struct tls_cert_parts *p)
{
	bool is_ca = get_bool(state, "is_ca_certificate");
	if (is_ca && X509_NAME_entry_count(p->subject) == 0) {
		tf_diag_error_at(c->diags, "subject", "Invalid Certificate Subject",
				 "Must contain at least one Distinguished Name when creating "
				 "Certificate Authority (CA)");
		return -1;
	}
	if (!X509_set_version(x, X509_VERSION_3) || set_serial(c, x, state) < 0 ||
	    set_validity(c, x, state) < 0 || !X509_set_subject_name(x, p->subject) ||
	    !X509_set_issuer_name(x, p->issuer ? X509_get_subject_name(p->issuer) : p->subject) ||
	    !X509_set_pubkey(x, p->subject_key) ||
	    !add_usages(x, tf_value_get(state, "allowed_uses")) ||
	    !add_basic_constraints(x, is_ca, get_int(state, "max_path_length", -1)) ||
	    add_key_ids(c, x, state, p, is_ca) < 0)
		return -1;
	if (p->sans && !add_ext(x, NID_subject_alt_name, p->sans,
				X509_NAME_entry_count(p->subject) == 0))
		return -1;
	return 0;
}

int tls_cert_create(struct tf_ctx *c, struct tf_value *state, const struct tls_cert_parts *p)
{
	X509 *x = X509_new();
	unsigned char *der = NULL;
	int len = -1;
	if (x && fill_certificate(c, x, state, p) == 0 &&
	    X509_sign(x, p->issuer_key, tls_signature_digest(p->issuer_key)) > 0)
		len = i2d_X509(x, &der);
	X509_free(x);
	if (len <= 0) {
		if (!tf_diags_has_errors(c->diags))
			tf_diag_error_at(c->diags, NULL, "Failed to create certificate",
					 "OpenSSL could not build or sign the certificate.");
		return -1;
	}
	int rc = tls_set_string(c, state, "cert_pem", tls_pem_encode("CERTIFICATE", der,
								     (size_t)len), false);
	OPENSSL_free(der);
	if (rc == 0 && tf_value_is_unknown(tf_value_get(state, "max_path_length")))
		rc = tf_value_set(state, "max_path_length", tf_value_new_null());
	return rc;
}

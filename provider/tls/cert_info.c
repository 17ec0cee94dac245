/*
 * cert_info.c - what tls_certificate says about one certificate, in the
 * formats Go's crypto/x509 prints: pkix.Name.String() for names, Go's
 * names of signature and public key algorithms, RFC 3339 UTC times, and
 * the data source's id (upstream hashes fmt's "%v" of the list).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include "encode.h"
#include "tls.h"

/* Text is built in a struct tls_buf (tls.h); these add strings to it. */

static void text_put(struct tls_buf *t, const char *p, size_t n)
{
	tls_buf_put(t, p, n);
}

static void text_puts(struct tls_buf *t, const char *s)
{
	tls_buf_put(t, s, strlen(s));
}

/* The text as a malloc'd string (the buffer is released), or NULL when
 * memory ran out. */
static char *text_finish(struct tls_buf *t)
{
	char *s = t->failed ? NULL : t->b.len ? strndup((const char *)t->b.data, t->b.len) : strdup("");
	tls_buf_release(t);
	return s;
}

/* --- UTF-8 ------------------------------------------------------------------ */

#define RUNE_ERROR 0xFFFD

/* Decodes one rune at s[0..n) as Go's range loop does: an invalid byte is
 * RUNE_ERROR of width 1. */
static unsigned long rune_at(const unsigned char *s, size_t n, size_t *width)
{
	*width = 1;
	if (s[0] < 0x80)
		return s[0];
	size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
	if (!len || len > n || !tf_utf8_valid((const char *)s, len))
		return RUNE_ERROR;
	unsigned long r = s[0] & (0x7F >> len);
	for (size_t i = 1; i < len; i++)
		r = (r << 6) | (s[i] & 0x3F);
	*width = len;
	return r;
}

static void put_rune(struct tls_buf *t, unsigned long r)
{
	char b[4];
	size_t n;
	if (r < 0x80) {
		b[0] = (char)r, n = 1;
	} else if (r < 0x800) {
		b[0] = (char)(0xC0 | (r >> 6)), b[1] = (char)(0x80 | (r & 0x3F)), n = 2;
	} else if (r < 0x10000) {
		b[0] = (char)(0xE0 | (r >> 12)), b[1] = (char)(0x80 | ((r >> 6) & 0x3F));
		b[2] = (char)(0x80 | (r & 0x3F)), n = 3;
	} else {
		b[0] = (char)(0xF0 | (r >> 18)), b[1] = (char)(0x80 | ((r >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((r >> 6) & 0x3F)), b[3] = (char)(0x80 | (r & 0x3F)), n = 4;
	}
	text_put(t, b, n);
}

/* --- attribute values as Go's x509 parser decodes them ------------------ */

/* The value as a Go string (bytes, not always UTF-8: T61String is copied
 * as it is); false for a string type Go refuses. */
static bool go_string_value(const ASN1_STRING *v, struct tls_buf *out)
{
	const unsigned char *d = ASN1_STRING_get0_data(v);
	size_t n = (size_t)ASN1_STRING_length(v);
	switch (ASN1_STRING_type(v)) {
	case V_ASN1_PRINTABLESTRING:
	case V_ASN1_IA5STRING:
	case V_ASN1_NUMERICSTRING:
		for (size_t i = 0; i < n; i++)
			if (d[i] >= 0x80)
				return false;
		text_put(out, (const char *)d, n);
		return true;
	case V_ASN1_UTF8STRING:
		if (!tf_utf8_valid((const char *)d, n))
			return false;
		text_put(out, (const char *)d, n);
		return true;
	case V_ASN1_T61STRING:
		text_put(out, (const char *)d, n);
		return true;
	case V_ASN1_BMPSTRING:
		if (n % 2)
			return false;
		if (n >= 2 && d[n - 1] == 0 && d[n - 2] == 0)
			n -= 2; /* Go drops a NUL terminator */
		for (size_t i = 0; i < n; i += 2) {
			unsigned long r = (unsigned long)d[i] << 8 | d[i + 1];
			if (r >= 0xD800 && r < 0xDC00 && i + 3 < n) {
				unsigned long lo = (unsigned long)d[i + 2] << 8 | d[i + 3];
				if (lo >= 0xDC00 && lo < 0xE000) {
					r = 0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00);
					i += 2;
				}
			}
			put_rune(out, r >= 0xD800 && r < 0xE000 ? RUNE_ERROR : r);
		}
		return true;
	default:
		return false;
	}
}

/* --- pkix.Name.String() ------------------------------------------------ */

/* The attributes Go keeps in named fields, in ToRDNSequence's order. */
static const struct { int nid; const char *label; bool single; } go_fields[] = {
	{ NID_countryName, "C", false },
	{ NID_stateOrProvinceName, "ST", false },
	{ NID_localityName, "L", false },
	{ NID_streetAddress, "STREET", false },
	{ NID_postalCode, "POSTALCODE", false },
	{ NID_organizationName, "O", false },
	{ NID_organizationalUnitName, "OU", false },
	{ NID_commonName, "CN", true },
	{ NID_serialNumber, "SERIALNUMBER", true },
};
#define N_GO_FIELDS (sizeof(go_fields) / sizeof(go_fields[0]))

static int go_field(int nid)
{
	for (size_t i = 0; i < N_GO_FIELDS; i++)
		if (go_fields[i].nid == nid)
			return (int)i;
	return -1;
}

/* A value as RDNSequence.String() escapes it. */
static void put_escaped(struct tls_buf *t, const char *v, size_t n)
{
	const unsigned char *s = (const unsigned char *)v;
	for (size_t k = 0, w; k < n; k += w) {
		unsigned long r = rune_at(s + k, n - k, &w);
		bool esc = (r < 0x80 && strchr(",+\"\\<>;", (int)r) && r) ||
			   (r == ' ' && (k == 0 || k == n - 1)) || (r == '#' && k == 0);
		if (esc)
			text_put(t, "\\", 1);
		put_rune(t, r);
	}
}

/* "oid=#hex" of the value as asn1.Marshal writes a Go string
 * (PrintableString when it fits, else UTF8String); false when Go cannot
 * marshal it (not UTF-8). */
static bool put_unknown_attr(struct tls_buf *t, const char *oid, const char *v, size_t n)
{
	int tag = tls_go_printable(v, n) ? V_ASN1_PRINTABLESTRING : V_ASN1_UTF8STRING;
	if (tag == V_ASN1_UTF8STRING && !tf_utf8_valid(v, n))
		return false;
	if (n > INT32_MAX)
		return false;
	int hl = ASN1_object_size(0, (int)n, tag) - (int)n;
	unsigned char *der = malloc((size_t)hl + n + 1), *p = der;
	if (!der) {
		t->failed = true;
		return true;
	}
	ASN1_put_object(&p, 0, (int)n, tag, V_ASN1_UNIVERSAL);
	memcpy(p, v, n);
	char *hex = tf_hex_encode(der, (size_t)hl + n);
	free(der);
	if (!hex) {
		t->failed = true;
		return true;
	}
	text_puts(t, oid);
	text_puts(t, "=#");
	text_puts(t, hex);
	free(hex);
	return true;
}

/* One RDN of the printed sequence: an attribute list sharing a label. */
struct go_atv {
	char oid[128];
	int field;      /* index in go_fields, or -1 */
	struct tls_buf value;
};

static void put_atv(struct tls_buf *t, const struct go_atv *a)
{
	const char *v = a->value.b.data ? (const char *)a->value.b.data : "";
	if (a->field < 0 && put_unknown_attr(t, a->oid, v, a->value.b.len))
		return;
	text_puts(t, a->field < 0 ? a->oid : go_fields[a->field].label);
	text_put(t, "=", 1);
	put_escaped(t, v, a->value.b.len);
}

char *tls_go_name_string(const X509_NAME *name)
{
	int n = X509_NAME_entry_count(name);
	struct go_atv *atv = n > 0 ? calloc((size_t)n, sizeof(*atv)) : NULL;
	int last[N_GO_FIELDS];
	struct tls_buf t = { 0 };
	bool ok = n <= 0 || atv;
	for (size_t f = 0; f < N_GO_FIELDS; f++)
		last[f] = -1;
	for (int i = 0; ok && i < n; i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
		const ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object(e);
		atv[i].field = go_field(OBJ_obj2nid(obj));
		ok = OBJ_obj2txt(atv[i].oid, sizeof(atv[i].oid), obj, 1) > 0 &&
		     (size_t)OBJ_obj2txt(NULL, 0, obj, 1) < sizeof(atv[i].oid) &&
		     go_string_value(X509_NAME_ENTRY_get_data(e), &atv[i].value) &&
		     !atv[i].value.failed;
		if (ok && atv[i].field >= 0)
			last[atv[i].field] = i;
	}
	/*
	 * The sequence Go prints: the attributes it has no field for, one RDN
	 * each, then its fields (values of one field share an RDN; CN and
	 * serial number keep their last non-empty value).  String() writes
	 * the RDNs last to first.
	 */
	for (int f = (int)N_GO_FIELDS - 1; ok && f >= 0; f--) {
		if (go_fields[f].single) {
			int i = last[f];
			if (i < 0 || !atv[i].value.b.len)
				continue;
			text_puts(&t, t.b.len ? "," : "");
			put_atv(&t, &atv[i]);
			continue;
		}
		bool first = true;
		for (int i = 0; i < n; i++) {
			if (atv[i].field != f)
				continue;
			text_puts(&t, first ? (t.b.len ? "," : "") : "+");
			put_atv(&t, &atv[i]);
			first = false;
		}
	}
	for (int i = n - 1; ok && i >= 0; i--) {
		if (atv[i].field >= 0)
			continue;
		text_puts(&t, t.b.len ? "," : "");
		put_atv(&t, &atv[i]);
	}
	for (int i = 0; i < n && atv; i++)
		tls_buf_release(&atv[i].value);
	free(atv);
	if (!ok) {
		tls_buf_release(&t);
		return NULL;
	}
	return text_finish(&t);
}

/* --- algorithm names ------------------------------------------------------ */

/* RSASSA-PSS: Go names only the three "hash, MGF1 with the same hash, salt
 * = hash length, trailer 1" shapes; anything else is unknown ("0"). */
static const char *pss_name(const X509_ALGOR *alg)
{
	const ASN1_OBJECT *obj;
	int ptype;
	const void *pval;
	X509_ALGOR_get0(&obj, &ptype, &pval, alg);
	if (ptype != V_ASN1_SEQUENCE)
		return "0";
	const ASN1_STRING *seq = pval;
	const unsigned char *p = ASN1_STRING_get0_data(seq);
	RSA_PSS_PARAMS *pss = d2i_RSA_PSS_PARAMS(NULL, &p, ASN1_STRING_length(seq));
	const char *name = "0";
	X509_ALGOR *mgf_hash = NULL;
	if (pss && pss->hashAlgorithm && pss->maskGenAlgorithm && pss->saltLength &&
	    OBJ_obj2nid(pss->maskGenAlgorithm->algorithm) == NID_mgf1) {
		const ASN1_OBJECT *mobj;
		int mtype;
		const void *mval;
		X509_ALGOR_get0(&mobj, &mtype, &mval, pss->maskGenAlgorithm);
		if (mtype == V_ASN1_SEQUENCE) {
			const unsigned char *q = ASN1_STRING_get0_data(mval);
			mgf_hash = d2i_X509_ALGOR(NULL, &q, ASN1_STRING_length(mval));
		}
		int hash = OBJ_obj2nid(pss->hashAlgorithm->algorithm);
		long salt = ASN1_INTEGER_get(pss->saltLength);
		long trailer = pss->trailerField ? ASN1_INTEGER_get(pss->trailerField) : 1;
		int htype, mhtype;
		X509_ALGOR_get0(NULL, &htype, NULL, pss->hashAlgorithm);
		if (mgf_hash)
			X509_ALGOR_get0(NULL, &mhtype, NULL, mgf_hash);
		bool params_ok = (htype == V_ASN1_UNDEF || htype == V_ASN1_NULL) && mgf_hash &&
				 OBJ_obj2nid(mgf_hash->algorithm) == hash &&
				 (mhtype == V_ASN1_UNDEF || mhtype == V_ASN1_NULL) && trailer == 1;
		if (params_ok && hash == NID_sha256 && salt == 32)
			name = "SHA256-RSAPSS";
		else if (params_ok && hash == NID_sha384 && salt == 48)
			name = "SHA384-RSAPSS";
		else if (params_ok && hash == NID_sha512 && salt == 64)
			name = "SHA512-RSAPSS";
	}
	X509_ALGOR_free(mgf_hash);
	RSA_PSS_PARAMS_free(pss);
	return name;
}

const char *tls_go_signature_algorithm(const X509_ALGOR *alg)
{
	static const struct { int nid; const char *name; } names[] = {
		{ NID_md2WithRSAEncryption, "MD2-RSA" },
		{ NID_md5WithRSAEncryption, "MD5-RSA" },
		{ NID_sha1WithRSAEncryption, "SHA1-RSA" },
		{ NID_sha1WithRSA, "SHA1-RSA" },
		{ NID_sha256WithRSAEncryption, "SHA256-RSA" },
		{ NID_sha384WithRSAEncryption, "SHA384-RSA" },
		{ NID_sha512WithRSAEncryption, "SHA512-RSA" },
		{ NID_dsaWithSHA1, "DSA-SHA1" },
		{ NID_dsa_with_SHA256, "DSA-SHA256" },
		{ NID_ecdsa_with_SHA1, "ECDSA-SHA1" },
		{ NID_ecdsa_with_SHA256, "ECDSA-SHA256" },
		{ NID_ecdsa_with_SHA384, "ECDSA-SHA384" },
		{ NID_ecdsa_with_SHA512, "ECDSA-SHA512" },
	};
	const ASN1_OBJECT *obj;
	int ptype;
	X509_ALGOR_get0(&obj, &ptype, NULL, alg);
	int nid = OBJ_obj2nid(obj);
	if (nid == NID_rsassaPss)
		return pss_name(alg);
	if (nid == NID_ED25519)
		return ptype == V_ASN1_UNDEF ? "Ed25519" : "0";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].nid == nid)
			return names[i].name;
	return "0";
}

const char *tls_go_public_key_algorithm(X509 *x)
{
	const ASN1_OBJECT *obj = NULL;
	X509_PUBKEY *pub = X509_get_X509_PUBKEY(x);
	if (!pub || !X509_PUBKEY_get0_param((ASN1_OBJECT **)&obj, NULL, NULL, NULL, pub))
		return "0";
	switch (OBJ_obj2nid(obj)) {
	case NID_rsaEncryption: return "RSA";
	case NID_dsa: return "DSA";
	case NID_X9_62_id_ecPublicKey: return "ECDSA";
	case NID_ED25519: return "Ed25519";
	default: return "0";
	}
}

/* --- the object of one certificate ---------------------------------------- */

char *tls_time_format_utc(const ASN1_TIME *t)
{
	struct tm tm;
	char *text = malloc(80);
	if (!text)
		return NULL;
	if (!ASN1_TIME_to_tm(t, &tm)) {
		free(text);
		return NULL;
	}
	snprintf(text, 80, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return text;
}

/* basicConstraints as Go reads it: (is_ca, max_path_length) is
 * (false, 0) without the extension, else (cA, pathLen or -1). */
static bool basic_constraints(X509 *x, bool *is_ca, int64_t *max_path, const char **why)
{
	int crit;
	BASIC_CONSTRAINTS *bc = X509_get_ext_d2i(x, NID_basic_constraints, &crit, NULL);
	*is_ca = false;
	*max_path = 0;
	if (!bc) {
		if (crit == -2)
			*why = "the certificate has more than one basicConstraints extension";
		else if (crit >= 0)
			*why = "the basicConstraints extension is malformed";
		return crit == -1;
	}
	*is_ca = bc->ca != 0;
	*max_path = -1;
	bool ok = !bc->pathlen || ASN1_INTEGER_get_int64(max_path, bc->pathlen) == 1;
	if (!ok)
		*why = "the path length constraint is out of range";
	BASIC_CONSTRAINTS_free(bc);
	return ok;
}

static char *serial_decimal(X509 *x, const char **why)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *dec = NULL, *out = NULL;
	if (bn && BN_is_negative(bn))
		*why = "the serial number is negative";
	else if (bn && (dec = BN_bn2dec(bn)))
		out = strdup(dec);
	OPENSSL_free(dec);
	BN_free(bn);
	return out;
}

static int set_val(struct tf_value *obj, const char *key, struct tf_value *v)
{
	return v ? tf_value_set(obj, key, v) : -1;
}

static int set_str(struct tf_value *obj, const char *key, char *s)
{
	struct tf_value *v = s ? tf_value_new_string(s) : NULL;
	free(s);
	return set_val(obj, key, v);
}

struct tf_value *tls_cert_info(X509 *x, const char **why)
{
	const X509_ALGOR *outer, *inner = X509_get0_tbs_sigalg(x);
	X509_get0_signature(NULL, &outer, x);
	*why = NULL;
	long version = X509_get_version(x);
	if (version < 0 || version > 2) {
		*why = "the certificate has an invalid version";
		return NULL;
	}
	if (X509_ALGOR_cmp(outer, inner) != 0) {
		*why = "the inner and outer signature algorithms differ";
		return NULL;
	}
	bool is_ca;
	int64_t max_path;
	if (!basic_constraints(x, &is_ca, &max_path, why))
		return NULL;
	char *serial = serial_decimal(x, why);
	if (!serial && *why)
		return NULL;
	char *issuer = tls_go_name_string(X509_get_issuer_name(x));
	char *subject = tls_go_name_string(X509_get_subject_name(x));
	if (!issuer || !subject) {
		*why = "a name holds a string type Go does not read";
		free(serial), free(issuer), free(subject);
		return NULL;
	}
	unsigned char *der = NULL, sha[SHA_DIGEST_LENGTH];
	int len = i2d_X509(x, &der);
	struct tf_value *o = tf_value_new_collection(TF_OBJECT);
	int rc = o && len > 0 ? 0 : -1;
	if (rc == 0)
		SHA1(der, (size_t)len, sha);
	rc = rc ? rc : set_str(o, "signature_algorithm", strdup(tls_go_signature_algorithm(outer)));
	rc = rc ? rc : set_str(o, "public_key_algorithm", strdup(tls_go_public_key_algorithm(x)));
	rc = rc ? rc : set_str(o, "serial_number", serial);
	serial = NULL;
	rc = rc ? rc : set_val(o, "is_ca", tf_value_new_bool(is_ca));
	rc = rc ? rc : set_val(o, "max_path_length", tf_value_new_int(max_path));
	rc = rc ? rc : set_val(o, "version", tf_value_new_int(version + 1));
	rc = rc ? rc : set_str(o, "issuer", issuer);
	rc = rc ? rc : set_str(o, "subject", subject);
	issuer = subject = NULL;
	rc = rc ? rc : set_str(o, "not_before", tls_time_format_utc(X509_get0_notBefore(x)));
	rc = rc ? rc : set_str(o, "not_after", tls_time_format_utc(X509_get0_notAfter(x)));
	rc = rc ? rc : set_str(o, "sha1_fingerprint", tf_hex_encode(sha, sizeof(sha)));
	rc = rc ? rc : set_str(o, "cert_pem", tls_pem_encode("CERTIFICATE", der, (size_t)len));
	OPENSSL_free(der);
	free(serial), free(issuer), free(subject);
	if (rc < 0) {
		*why = *why ? *why : "out of memory";
		tf_value_free(o);
		return NULL;
	}
	return o;
}

/* --- the id: SHA-1 of fmt.Sprintf("%v", certs) ------------------------------- */

/* Go's strconv.IsPrint beyond ASCII, approximately: everything but C1
 * controls, spaces other than U+0020, format characters and private use
 * (unassigned code points count as printable here). */
static bool go_is_print(unsigned long r)
{
	static const unsigned long ranges[][2] = {
		{ 0x80, 0xA0 }, { 0xAD, 0xAD }, { 0x600, 0x605 }, { 0x61C, 0x61C },
		{ 0x6DD, 0x6DD }, { 0x70F, 0x70F }, { 0x8E2, 0x8E2 }, { 0x1680, 0x1680 },
		{ 0x180E, 0x180E }, { 0x2000, 0x200F }, { 0x2028, 0x202F }, { 0x205F, 0x2064 },
		{ 0x2066, 0x206F }, { 0x3000, 0x3000 }, { 0xD800, 0xF8FF }, { 0xFEFF, 0xFEFF },
		{ 0xFFF9, 0xFFFB }, { 0xFFFE, 0xFFFF }, { 0xE0001, 0xE0001 },
		{ 0xE0020, 0xE007F }, { 0xF0000, 0x10FFFF },
	};
	if (r < 0x80)
		return r >= 0x20 && r < 0x7F;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (r >= ranges[i][0] && r <= ranges[i][1])
			return false;
	return true;
}

/* A Go string as fmt's %q (strconv.Quote) writes it. */
static void go_quote(struct tls_buf *t, const char *s, size_t n)
{
	static const char named[] = "\a\b\f\n\r\t\v", letters[] = "abfnrtv";
	const unsigned char *p = (const unsigned char *)s;
	char buf[16];
	text_put(t, "\"", 1);
	for (size_t k = 0, w; k < n; k += w) {
		unsigned long r = rune_at(p + k, n - k, &w);
		const char *nm = r && r < 0x80 ? strchr(named, (int)r) : NULL;
		if (r == RUNE_ERROR && w == 1) {
			snprintf(buf, sizeof(buf), "\\x%02x", p[k]);
			text_puts(t, buf);
		} else if (r == '"' || r == '\\') {
			text_put(t, "\\", 1);
			put_rune(t, r);
		} else if (go_is_print(r)) {
			put_rune(t, r);
		} else if (nm) {
			buf[0] = '\\', buf[1] = letters[nm - named], buf[2] = '\0';
			text_puts(t, buf);
		} else {
			snprintf(buf, sizeof(buf), r < 0x80 ? "\\x%02lx" : r < 0x10000 ? "\\u%04lx"
											: "\\U%08lx", r);
			text_puts(t, buf);
		}
	}
	text_put(t, "\"", 1);
}

/* CertificateModel's fields in declaration order, with their kinds. */
static const struct { const char *key; char kind; } model_fields[] = {
	{ "signature_algorithm", 's' }, { "public_key_algorithm", 's' },
	{ "serial_number", 's' }, { "is_ca", 'b' }, { "max_path_length", 'n' },
	{ "version", 'n' }, { "issuer", 's' }, { "subject", 's' }, { "not_before", 's' },
	{ "not_after", 's' }, { "sha1_fingerprint", 's' }, { "cert_pem", 's' },
};

char *tls_certificates_dump(const struct tf_value *list)
{
	struct tls_buf t = { 0 };
	text_put(&t, "[", 1);
	for (size_t i = 0; list && list->kind == TF_LIST && i < list->u.seq.n; i++) {
		const struct tf_value *o = list->u.seq.items[i];
		text_puts(&t, i ? " {" : "{");
		for (size_t f = 0; f < sizeof(model_fields) / sizeof(model_fields[0]); f++) {
			const struct tf_value *v = tf_value_get(o, model_fields[f].key);
			if (f)
				text_put(&t, " ", 1);
			if (tf_value_is_null(v))
				text_puts(&t, "<null>");
			else if (v->kind == TF_STRING)
				go_quote(&t, v->u.str.ptr, v->u.str.len);
			else if (v->kind == TF_BOOL)
				text_puts(&t, v->u.b ? "true" : "false");
			else if (v->kind == TF_NUMBER)
				text_puts(&t, v->u.num);
			else
				text_puts(&t, "<unknown>");
		}
		text_put(&t, "}", 1);
	}
	text_put(&t, "]", 1);
	return text_finish(&t);
}

char *tls_certificates_id(const struct tf_value *list)
{
	char *dump = tls_certificates_dump(list);
	char *id = dump ? tls_hash_for_state((const unsigned char *)dump, strlen(dump)) : NULL;
	free(dump);
	return id;
}

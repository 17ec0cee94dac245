/*
 * cert_subject.c - the `subject` block as an X.509 name, encoded the way
 * Go's pkix.Name.ToRDNSequence and encoding/asn1 do it: RDNs in the order
 * C, ST, L, STREET (all values in one RDN), postalCode, O, OU, CN,
 * serialNumber, then emailAddress as an IA5String; each value a
 * PrintableString when it fits, else a UTF8String.
 */
#include <string.h>

#include <openssl/objects.h>

#include "tls.h"

bool tls_go_printable(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr(" '()+,-./:=?", c)) || c == '\0')
			return false;
	}
	return true;
}

/* The fields in Go's RDN order. */
static const struct { const char *key; int nid, type; } fields[] = {
	{ "country", NID_countryName, -1 },
	{ "province", NID_stateOrProvinceName, -1 },
	{ "locality", NID_localityName, -1 },
	{ "street_address", NID_streetAddress, -1 },
	{ "postal_code", NID_postalCode, -1 },
	{ "organization", NID_organizationName, -1 },
	{ "organizational_unit", NID_organizationalUnitName, -1 },
	{ "common_name", NID_commonName, -1 },
	{ "serial_number", NID_serialNumber, -1 },
	{ "email_address", NID_pkcs9_emailAddress, V_ASN1_IA5STRING },
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static bool add_entry(X509_NAME *name, int nid, const struct tf_value *v, int type, int set)
{
	if (type < 0)
		type = tls_go_printable(v->u.str.ptr, v->u.str.len) ? V_ASN1_PRINTABLESTRING
								     : V_ASN1_UTF8STRING;
	return X509_NAME_add_entry_by_NID(name, nid, type, (const unsigned char *)v->u.str.ptr,
					  (int)v->u.str.len, -1, set) == 1;
}

/* One attribute of the block: a string, or (street_address) a list that
 * makes one multi-valued RDN.  Go skips an empty CN or serial number. */
static bool add_field(X509_NAME *name, const struct tf_value *subject, const char *key, int nid,
		      int type)
{
	const struct tf_value *v = tf_value_get(subject, key);
	if (!v)
		return true;
	if (v->kind == TF_STRING)
		return (v->u.str.len == 0 && (nid == NID_commonName || nid == NID_serialNumber)) ||
		       add_entry(name, nid, v, type, 0);
	for (size_t i = 0; v->kind == TF_LIST && i < v->u.seq.n; i++)
		if (v->u.seq.items[i]->kind == TF_STRING &&
		    !add_entry(name, nid, v->u.seq.items[i], type, i ? -1 : 0))
			return false;
	return true;
}

X509_NAME *tls_subject_from_config(const struct tf_value *config)
{
	const struct tf_value *blocks = tf_value_get(config, "subject");
	X509_NAME *name = X509_NAME_new();
	if (!name || !blocks || blocks->kind != TF_LIST || blocks->u.seq.n == 0)
		return name;
	for (size_t i = 0; i < N_FIELDS; i++) {
		if (!add_field(name, blocks->u.seq.items[0], fields[i].key, fields[i].nid,
			       fields[i].type)) {
			X509_NAME_free(name);
			return NULL;
		}
	}
	return name;
}

/* The values of one attribute type in `from` as one RDN (CN and serial
 * number: the last value only, as Go keeps one). */
static bool copy_field(X509_NAME *to, const X509_NAME *from, int nid)
{
	bool single = nid == NID_commonName || nid == NID_serialNumber, first = true;
	int last = -1;
	for (int i = -1; (i = X509_NAME_get_index_by_NID(from, nid, i)) >= 0;)
		last = i;
	for (int i = -1; (i = X509_NAME_get_index_by_NID(from, nid, i)) >= 0;) {
		if (single && i != last)
			continue;
		const ASN1_STRING *data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(from, i));
		unsigned char *utf8 = NULL;
		int len = ASN1_STRING_to_UTF8(&utf8, data);
		struct tf_value *v = len >= 0 ? tf_value_new_stringn((char *)utf8, (size_t)len) : NULL;
		bool skip = single && len == 0, ok = skip || (v && add_entry(to, nid, v, -1, first ? 0 : -1));
		first = first && skip;
		tf_value_free(v);
		OPENSSL_free(utf8);
		if (!ok)
			return false;
	}
	return true;
}

X509_NAME *tls_subject_go_roundtrip(const X509_NAME *from)
{
	X509_NAME *name = X509_NAME_new();
	for (size_t i = 0; name && i < N_FIELDS; i++) {
		if (fields[i].nid == NID_pkcs9_emailAddress)
			continue; /* an ExtraName: Go does not carry it over */
		if (!copy_field(name, from, fields[i].nid)) {
			X509_NAME_free(name);
			return NULL;
		}
	}
	return name;
}

/*
 * cert_san.c - dns_names, ip_addresses and uris as a subjectAltName, in
 * Go's order (DNS, IP, URI).  Each element is checked as Go's net.ParseIP
 * and url.Parse would refuse it; unknown elements are skipped (plan time).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "tls.h"

/* Go's net.ParseIP, with To4(): IPv4 and IPv4-mapped IPv6 become 4 bytes. */
static int parse_ip(const char *s, unsigned char out[16])
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	if (inet_pton(AF_INET, s, out) == 1)
		return 4;
	if (inet_pton(AF_INET6, s, out) != 1)
		return 0;
	if (!memcmp(out, mapped, sizeof(mapped))) {
		memmove(out, out + 12, 4);
		return 4;
	}
	return 16;
}

/* Why Go's url.Parse (or the IA5String encoding after it) refuses s, or
 * NULL when it does not. */
static const char *uri_problem(const char *s)
{
	if (s[0] == ':')
		return "missing protocol scheme";
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f)
			return "invalid control character in URL";
		if (c >= 0x80)
			return "cannot be encoded as an IA5String";
		if (c == '%' && !(isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])))
			return "invalid URL escape";
	}
	return NULL;
}

static bool is_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

static void element_error(struct tf_ctx *c, const char *attr, size_t i, const char *summary,
			  const char *value, const char *why)
{
	struct tf_path path;
	tf_path_init(&path);
	tf_path_push_attr(&path, attr);
	tf_path_push_index(&path, (int64_t)i);
	tf_diag_add(c->diags, TF_ERROR, &path, summary, "Failed to parse \"%s\": %s.", value, why);
	tf_path_release(&path);
}

/* One element as a GeneralName; NULL after an error on attr[i]. */
static GENERAL_NAME *general_name(struct tf_ctx *c, const char *attr, size_t i,
				  const struct tf_value *v)
{
	const char *s = v->u.str.ptr, *why = NULL;
	unsigned char ip[16];
	int type = GEN_DNS, len = (int)v->u.str.len;
	if (!strcmp(attr, "ip_addresses")) {
		type = GEN_IPADD;
		if (strlen(s) != v->u.str.len || !(len = parse_ip(s, ip))) {
			element_error(c, attr, i, "Invalid IP address", s, "not an IP address");
			return NULL;
		}
		s = (const char *)ip;
	} else if (!strcmp(attr, "uris")) {
		type = GEN_URI;
		if ((why = uri_problem(s)) || strlen(s) != v->u.str.len) {
			element_error(c, attr, i, "Invalid URI", s, why ? why : "NUL byte");
			return NULL;
		}
	} else if (!is_ascii(s, v->u.str.len)) {
		element_error(c, attr, i, "Invalid DNS name", s, "cannot be encoded as an IA5String");
		return NULL;
	}
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	GENERAL_NAME *gn = os ? GENERAL_NAME_new() : NULL;
	if (!gn || !ASN1_OCTET_STRING_set(os, (const unsigned char *)s, len)) {
		ASN1_OCTET_STRING_free(os);
		GENERAL_NAME_free(gn);
		tf_diag_error_at(c->diags, attr, "Out of memory", "Cannot build %s.", attr);
		return NULL;
	}
	GENERAL_NAME_set0_value(gn, type, os); /* IA5STRING is an ASN1_STRING too */
	return gn;
}

int tls_sans_from_config(struct tf_ctx *c, const struct tf_value *config, GENERAL_NAMES **out)
{
	static const char *const attrs[] = { "dns_names", "ip_addresses", "uris" };
	GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	int rc = gens ? 0 : -1;
	for (size_t a = 0; gens && a < 3; a++) {
		const struct tf_value *list = tf_value_get(config, attrs[a]);
		for (size_t i = 0; list && list->kind == TF_LIST && i < list->u.seq.n; i++) {
			if (list->u.seq.items[i]->kind != TF_STRING)
				continue;
			GENERAL_NAME *gn = general_name(c, attrs[a], i, list->u.seq.items[i]);
			if (!gn || !sk_GENERAL_NAME_push(gens, gn)) {
				GENERAL_NAME_free(gn);
				rc = -1;
			}
		}
	}
	if (rc < 0 || sk_GENERAL_NAME_num(gens) == 0) {
		GENERAL_NAMES_free(gens);
		gens = NULL;
	}
	*out = gens;
	return rc;
}

/* Appends copies of the names of one type. */
static bool copy_names(GENERAL_NAMES *to, const GENERAL_NAMES *from, int type)
{
	for (int i = 0; i < sk_GENERAL_NAME_num(from); i++) {
		const GENERAL_NAME *gn = sk_GENERAL_NAME_value(from, i);
		GENERAL_NAME *copy = gn->type == type ? GENERAL_NAME_dup(gn) : NULL;
		if (gn->type == type && (!copy || !sk_GENERAL_NAME_push(to, copy))) {
			GENERAL_NAME_free(copy);
			return false;
		}
	}
	return true;
}

int tls_sans_from_request(X509_REQ *req, GENERAL_NAMES **out)
{
	STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(req);
	GENERAL_NAMES *found = X509V3_get_d2i(exts, NID_subject_alt_name, NULL, NULL);
	GENERAL_NAMES *gens = found ? sk_GENERAL_NAME_new_null() : NULL;
	bool ok = !found || (gens && copy_names(gens, found, GEN_DNS) &&
			     copy_names(gens, found, GEN_IPADD) && copy_names(gens, found, GEN_URI));
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	GENERAL_NAMES_free(found);
	if (!ok || sk_GENERAL_NAME_num(gens) <= 0) {
		GENERAL_NAMES_free(gens);
		gens = NULL;
	}
	*out = gens;
	return ok ? 0 : -1;
}

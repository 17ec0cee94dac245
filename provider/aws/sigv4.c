/*
 * sigv4.c - AWS Signature Version 4 (see sigv4.h for the canonical form).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "codec.h"
#include "sigv4.h"

#define ALGORITHM "AWS4-HMAC-SHA256"

static bool unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

int aws_uri_encode(struct tf_bytes *out, const char *s, size_t len, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
		int rc = unreserved(c) || (keep_slash && c == '/') ? tf_bytes_add(out, &s[i], 1)
								   : tf_bytes_add(out, esc, 3);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int add_str(struct tf_bytes *b, const char *s)
{
	return tf_bytes_add(b, s, strlen(s));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes the %XX escapes of s[0..len) into out; -1 on a malformed one. */
static int uri_decode(struct tf_bytes *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '%') {
			if (len - i < 3 || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
				return -1;
			c = (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
			i += 2;
		}
		if (tf_bytes_add(out, &c, 1) < 0)
			return -1;
	}
	return 0;
}

void aws_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256(data ? data : (const void *)"", len, md);
	for (size_t i = 0; i < sizeof(md); i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* --- canonical URI ----------------------------------------------------------- */

/* Appends the path with "." and ".." segments and empty segments removed;
 * a trailing slash is kept. */
static int add_normalized_path(struct tf_bytes *out, const char *path)
{
	size_t len = strlen(path), mark = out->len;
	for (const char *p = path; p < path + len;) {
		const char *end = memchr(p, '/', (size_t)(path + len - p));
		size_t n = end ? (size_t)(end - p) : (size_t)(path + len - p);
		if (n == 2 && !memcmp(p, "..", 2)) {
			while (out->len > mark && out->data[out->len - 1] != '/')
				out->len--;
			if (out->len > mark)
				out->len--;
		} else if (n > 0 && !(n == 1 && *p == '.')) {
			if (tf_bytes_add(out, "/", 1) < 0 || tf_bytes_add(out, p, n) < 0)
				return -1;
		}
		p += n + 1;
	}
	if (out->len == mark || (len > 1 && path[len - 1] == '/'))
		return tf_bytes_add(out, "/", 1);
	return tf_bytes_add(out, "", 0);
}

static int add_canonical_uri(struct tf_bytes *out, const struct aws_sigv4_request *r)
{
	const char *path = r->path && *r->path ? r->path : "/";
	struct tf_bytes norm = { 0 };
	int rc;
	if (r->normalize) {
		if (add_normalized_path(&norm, path) < 0) {
			tf_bytes_release(&norm);
			return -1;
		}
		path = (const char *)norm.data;
	}
	rc = r->double_encode ? aws_uri_encode(out, path, strlen(path), true)
			      : tf_bytes_add(out, path, strlen(path));
	tf_bytes_release(&norm);
	return rc;
}

/* --- canonical query ----------------------------------------------------- */

struct pair {
	char *name, *value;   /* canonically encoded */
	size_t order;         /* position in the input, for a stable sort */
};

static int pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (!c)
		c = strcmp(x->value, y->value);
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static void pairs_free(struct pair *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].name);
		free(p[i].value);
	}
	free(p);
}

/* Decodes s[0..len) and encodes it again; a new string or NULL. */
static char *recode(const char *s, size_t len)
{
	struct tf_bytes dec = { 0 }, enc = { 0 };
	if (uri_decode(&dec, s, len) < 0 || aws_uri_encode(&enc, (const char *)dec.data, dec.len,
							   false) < 0 ||
	    tf_bytes_add(&enc, "", 0) < 0) {
		tf_bytes_release(&dec);
		tf_bytes_release(&enc);
		return NULL;
	}
	tf_bytes_release(&dec);
	return (char *)enc.data;
}

static int split_query(const char *q, struct pair **out, size_t *n_out)
{
	size_t n = 1, k = 0;
	for (const char *p = q; *p; p++)
		n += *p == '&';
	struct pair *pairs = calloc(n, sizeof(*pairs));
	if (!pairs)
		return -1;
	for (const char *p = q;; p++) {
		size_t len = strcspn(p, "&");
		const char *eq = memchr(p, '=', len);
		size_t nlen = eq ? (size_t)(eq - p) : len;
		if (len > 0) {
			struct pair *pr = &pairs[k++];
			pr->order = k;
			pr->name = recode(p, nlen);
			pr->value = eq ? recode(eq + 1, len - nlen - 1) : recode("", 0);
			if (!pr->name || !pr->value) {
				pairs_free(pairs, k);
				return -1;
			}
		}
		p += len;
		if (!*p)
			break;
	}
	*out = pairs;
	*n_out = k;
	return 0;
}

static int add_canonical_query(struct tf_bytes *out, const char *query)
{
	struct pair *pairs;
	size_t n;
	int rc = 0;
	if (!query || !*query)
		return 0;
	if (split_query(query, &pairs, &n) < 0)
		return -1;
	qsort(pairs, n, sizeof(*pairs), pair_cmp);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = tf_bytes_add(out, "&", i ? 1 : 0) | add_str(out, pairs[i].name) |
		     tf_bytes_add(out, "=", 1) | add_str(out, pairs[i].value);
	pairs_free(pairs, n);
	return rc ? -1 : 0;
}

/* --- canonical headers --------------------------------------------------- */

/* Lower-cases a header name; NULL for an empty name or one with a byte
 * that cannot be in an HTTP token. */
static char *lower_name(const char *name)
{
	size_t n = strlen(name);
	char *s = n ? malloc(n + 1) : NULL;
	for (size_t i = 0; s && i <= n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (i < n && (c <= ' ' || c >= 127 || c == ':')) {
			free(s);
			return NULL;
		}
		s[i] = (char)tolower(c);
	}
	return s;
}

/* The value trimmed, with runs of spaces (and tabs) collapsed to one space. */
static char *trim_value(const char *v)
{
	size_t n = strlen(v), k = 0;
	char *s = malloc(n + 1);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		bool space = v[i] == ' ' || v[i] == '\t';
		if (space && (k == 0 || s[k - 1] == ' '))
			continue;
		s[k++] = space ? ' ' : v[i];
	}
	while (k > 0 && s[k - 1] == ' ')
		k--;
	s[k] = 0;
	return s;
}

static int name_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static bool has_header(const struct aws_sigv4_request *r, const char *name)
{
	for (size_t i = 0; i < r->n_headers; i++)
		if (!strcasecmp(r->headers[i].name, name))
			return true;
	return false;
}

/* The headers to sign: the request's plus x-amz-date and the token. */
static int collect_headers(const struct aws_sigv4_request *r, const char *amz_date,
			   const char *token, struct pair **out, size_t *n_out)
{
	struct aws_sigv4_header extra[2];
	size_t n_extra = 0, n;
	if (!has_header(r, "x-amz-date"))
		extra[n_extra++] = (struct aws_sigv4_header){ "x-amz-date", amz_date };
	if (token && *token && !has_header(r, "x-amz-security-token"))
		extra[n_extra++] = (struct aws_sigv4_header){ "x-amz-security-token", token };
	n = r->n_headers + n_extra;
	struct pair *h = calloc(n, sizeof(*h));
	if (!h)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct aws_sigv4_header *src = i < r->n_headers ? &r->headers[i]
								      : &extra[i - r->n_headers];
		h[i].order = i;
		h[i].name = lower_name(src->name);
		h[i].value = trim_value(src->value ? src->value : "");
		if (!h[i].name || !h[i].value) {
			pairs_free(h, i + 1);
			return -1;
		}
	}
	qsort(h, n, sizeof(*h), name_cmp);
	*out = h;
	*n_out = n;
	return 0;
}

/* Appends "name:v1,v2\n" lines to `canon` and "a;b" to `signed_names`. */
static int add_canonical_headers(struct tf_bytes *canon, struct tf_bytes *signed_names,
				 const struct pair *h, size_t n)
{
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		bool first = i == 0 || strcmp(h[i].name, h[i - 1].name);
		bool last = i + 1 == n || strcmp(h[i].name, h[i + 1].name);
		if (first) {
			rc |= tf_bytes_add(canon, h[i].name, strlen(h[i].name));
			rc |= tf_bytes_add(canon, ":", 1);
			if (i > 0)
				rc |= tf_bytes_add(signed_names, ";", 1);
			rc |= tf_bytes_add(signed_names, h[i].name, strlen(h[i].name));
		} else {
			rc |= tf_bytes_add(canon, ",", 1);
		}
		rc |= tf_bytes_add(canon, h[i].value, strlen(h[i].value));
		if (last)
			rc |= tf_bytes_add(canon, "\n", 1);
	}
	return rc ? -1 : tf_bytes_add(signed_names, "", 0);
}

/* --- the signature -------------------------------------------------------------- */

static char *canonical_request(const struct aws_sigv4_request *r, const char *amz_date,
			       const char *token, char **signed_names)
{
	struct tf_bytes c = { 0 }, names = { 0 };
	struct pair *h = NULL;
	size_t n = 0;
	char body_hash[65];
	aws_sha256_hex(r->body, r->body_len, body_hash);
	int rc = add_str(&c, r->method) | add_str(&c, "\n") | add_canonical_uri(&c, r) |
		 add_str(&c, "\n") | add_canonical_query(&c, r->query) | add_str(&c, "\n");
	if (rc == 0)
		rc = collect_headers(r, amz_date, token, &h, &n);
	if (rc == 0)
		rc = add_canonical_headers(&c, &names, h, n) | add_str(&c, "\n") |
		     add_str(&c, (const char *)names.data) | add_str(&c, "\n") |
		     add_str(&c, body_hash);
	pairs_free(h, n);
	if (rc != 0) {
		tf_bytes_release(&c);
		tf_bytes_release(&names);
		return NULL;
	}
	*signed_names = (char *)names.data;
	return (char *)c.data;
}

static bool hmac(const void *key, size_t key_len, const char *msg, unsigned char out[32])
{
	unsigned int len = 32;
	return HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)msg, strlen(msg), out,
		    &len) != NULL;
}

/* The signature of `sts` with the key derived from the secret. */
static bool signature(const char *secret, const char *date, const struct aws_sigv4_request *r,
		      const char *sts, char hex[65])
{
	size_t slen = strlen(secret);
	char *k0 = malloc(slen + 5);
	unsigned char key[32], sig[32];
	bool ok = k0 != NULL;
	if (ok) {
		memcpy(k0, "AWS4", 4);
		memcpy(k0 + 4, secret, slen + 1);
		ok = hmac(k0, slen + 4, date, key) && hmac(key, 32, r->region, key) &&
		     hmac(key, 32, r->service, key) && hmac(key, 32, "aws4_request", key) &&
		     hmac(key, 32, sts, sig);
		OPENSSL_cleanse(k0, slen + 4);
	}
	free(k0);
	for (size_t i = 0; ok && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", sig[i]);
	OPENSSL_cleanse(key, sizeof(key));
	return ok;
}

static char *printf_new(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *printf_new(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

int aws_sigv4_sign(const struct aws_sigv4_request *r, const struct aws_sigv4_creds *creds,
		   struct aws_sigv4_result *out)
{
	struct tm tm;
	char date[9], creq_hash[65], sig[65], *names = NULL;
	memset(out, 0, sizeof(*out));
	if (!gmtime_r(&r->when, &tm) ||
	    strftime(out->amz_date, sizeof(out->amz_date), "%Y%m%dT%H%M%SZ", &tm) != 16)
		return -1;
	memcpy(date, out->amz_date, 8);
	date[8] = 0;
	out->canonical_request = canonical_request(r, out->amz_date, creds->session_token, &names);
	if (!out->canonical_request)
		return -1;
	aws_sha256_hex(out->canonical_request, strlen(out->canonical_request), creq_hash);
	out->string_to_sign = printf_new(ALGORITHM "\n%s\n%s/%s/%s/aws4_request\n%s",
					 out->amz_date, date, r->region, r->service, creq_hash);
	if (out->string_to_sign && signature(creds->secret_key, date, r, out->string_to_sign, sig))
		out->authorization = printf_new(
			ALGORITHM " Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=%s, Signature=%s",
			creds->access_key, date, r->region, r->service, names, sig);
	free(names);
	if (!out->authorization) {
		aws_sigv4_result_release(out);
		return -1;
	}
	return 0;
}

void aws_sigv4_result_release(struct aws_sigv4_result *out)
{
	free(out->authorization);
	free(out->canonical_request);
	free(out->string_to_sign);
	out->authorization = out->canonical_request = out->string_to_sign = NULL;
}

/*
 * http.c - the `http` data source: one HTTP(S) request, its response as
 * attributes.
 *
 * Behaves like hashicorp/http 3.6 (net/http under go-retryablehttp):
 *   - the status is a result (404 is not an error), except that 429, 5xx
 *     other than 501 and transport failures are retried and, once the
 *     attempts run out, are an error naming the (redacted) URL;
 *   - backoff min * 2^i capped at max, or the Retry-After of a 429 / 503;
 *   - at most 10 redirects, transparent compression unless the user sent
 *     Accept-Encoding, proxies from the environment by Go's rules;
 *   - a body that is not UTF-8 is a warning; its bytes stay exact in
 *     response_body_base64.
 * StopProvider aborts a transfer in flight and the sleep between attempts.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "curl.h"
#include "encode.h"
#include "http.h"
#include "log.h"

#define MAX_REDIRECTS 10L
#define DEFAULT_MIN_DELAY_MS 1000
#define DEFAULT_MAX_DELAY_MS 30000
#define SLEEP_SLICE_MS 20

/* --- pure helpers ---------------------------------------------------------------- */

static bool is_token_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

bool http_header_name_valid(const char *name)
{
	if (!*name)
		return false;
	for (; *name; name++)
		if (!is_token_char((unsigned char)*name))
			return false;
	return true;
}

bool http_header_value_valid(const char *value, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (value[i] == '\r' || value[i] == '\n' || value[i] == '\0')
			return false;
	return true;
}

char *http_canonical_header(const char *name, size_t len)
{
	char *out = strndup(name, len);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++)
		if (!is_token_char((unsigned char)out[i]))
			return out;
	bool upper = true;
	for (size_t i = 0; i < len; i++) {
		char ch = out[i];
		if (upper && ch >= 'a' && ch <= 'z')
			out[i] = (char)(ch - 'a' + 'A');
		else if (!upper && ch >= 'A' && ch <= 'Z')
			out[i] = (char)(ch - 'A' + 'a');
		upper = ch == '-';
	}
	return out;
}

bool http_url_scheme_supported(const char *url, char *scheme, size_t size)
{
	/* RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
	size_t n = 0;
	while (url[n] && ((url[n] >= 'a' && url[n] <= 'z') || (url[n] >= 'A' && url[n] <= 'Z') ||
			  (n > 0 && ((url[n] >= '0' && url[n] <= '9') || strchr("+-.", url[n])))))
		n++;
	if (url[n] != ':')
		n = 0;
	snprintf(scheme, size, "%.*s", (int)n, url);
	return (n == 4 && strncasecmp(url, "http", 4) == 0) ||
	       (n == 5 && strncasecmp(url, "https", 5) == 0);
}

char *http_redact_url(const char *url)
{
	const char *auth = strstr(url, "://");
	if (!auth)
		return strdup(url);
	auth += 3;
	size_t auth_len = strcspn(auth, "/?#");
	const char *at = NULL;
	for (const char *p = auth; p < auth + auth_len; p++)
		if (*p == '@')
			at = p;
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (!colon)
		return strdup(url);
	size_t head = (size_t)(colon + 1 - url);
	size_t len = head + strlen("xxxxx") + strlen(at) + 1;
	char *out = malloc(len);
	if (out)
		snprintf(out, len, "%.*sxxxxx%s", (int)head, url, at);
	return out;
}

bool http_parse_retry_after(const char *value, time_t now, int64_t *delay_ms)
{
	char *end;
	errno = 0;
	long long secs = strtoll(value, &end, 10);
	bool digits = *value && !strchr(" \t", *value) && end != value;
	if (digits && !*end && errno == 0) {
		if (secs < 0)
			return false;
		*delay_ms = secs > INT64_MAX / 1000 ? INT64_MAX : secs * 1000;
		return true;
	}
	/* RFC 1123: "Mon, 02 Jan 2006 15:04:05 GMT"; the zone is read as UTC. */
	struct tm tm = { 0 };
	const char *rest = strptime(value, "%a, %d %b %Y %H:%M:%S ", &tm);
	if (!rest || !*rest || rest == value || rest[-1] != ' ')
		return false;
	for (const char *z = rest; *z; z++)
		if (!((*z >= 'A' && *z <= 'Z') || (*z >= 'a' && *z <= 'z')))
			return false;
	time_t when = timegm(&tm);
	*delay_ms = when > now ? (int64_t)(when - now) * 1000 : 0;
	return true;
}

int64_t http_backoff_ms(int64_t min_ms, int64_t max_ms, int64_t attempt)
{
	int64_t delay = min_ms;
	for (int64_t i = 0; i < attempt && delay < max_ms; i++)
		delay = delay > INT64_MAX / 2 ? INT64_MAX : delay * 2;
	return delay > max_ms ? max_ms : delay;
}

char *http_duration_text(int64_t ms)
{
	char buf[64];
	if (ms < 1000) {
		snprintf(buf, sizeof(buf), "%lldms", (long long)ms);
		return strdup(buf);
	}
	long long h = ms / 3600000, m = ms / 60000 % 60, s = ms / 1000 % 60, frac = ms % 1000;
	char secs[16];
	int n = snprintf(secs, sizeof(secs), frac ? "%lld.%03lld" : "%lld", s, frac);
	while (frac && secs[n - 1] == '0')
		secs[--n] = '\0';
	if (h)
		snprintf(buf, sizeof(buf), "%lldh%lldm%ss", h, m, secs);
	else if (m)
		snprintf(buf, sizeof(buf), "%lldm%ss", m, secs);
	else
		snprintf(buf, sizeof(buf), "%ss", secs);
	return strdup(buf);
}

/* Length of the well-formed UTF-8 sequence at s, or 0 (as Go decodes). */
static size_t utf8_sequence_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		lo = s[0] == 0xE0 ? 0xA0 : lo;
		hi = s[0] == 0xED ? 0x9F : hi;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		lo = s[0] == 0xF0 ? 0x90 : lo;
		hi = s[0] == 0xF4 ? 0x8F : hi;
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

char *http_utf8_repair(const char *s, size_t len, size_t *out_len)
{
	static const char replacement[] = "\xEF\xBF\xBD";
	const unsigned char *in = (const unsigned char *)s;
	/* at most 3 bytes out for each byte in */
	char *out = len > (SIZE_MAX - 1) / 3 ? NULL : malloc(3 * len + 1);
	size_t o = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_sequence_len(in + i, len - i);
		if (n) {
			memcpy(out + o, in + i, n);
			o += n, i += n;
		} else {
			memcpy(out + o, replacement, 3);
			o += 3, i++;
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

/* --- the configuration ------------------------------------------------------------- */

/* What the configuration asks for; strings are borrowed from it. */
struct request {
	const char *url;
	const char *method;
	const struct tf_value *headers;  /* map of string, or null */
	const struct tf_value *body;     /* string, or null: no body */
	int64_t timeout_ms;              /* 0: none */
	int64_t retries, min_delay_ms, max_delay_ms;
	const char *ca_pem, *cert_pem, *key_pem;
	bool insecure;
};

static int64_t int_or(const struct tf_value *obj, const char *key, int64_t fallback)
{
	int64_t v;
	return obj && tf_value_get_int(obj, key, &v) ? v : fallback;
}

static void request_from_config(struct request *rq, const struct tf_value *config)
{
	const struct tf_value *retry = tf_value_get(config, "retry");
	const struct tf_value *insecure = tf_value_get(config, "insecure");
	if (tf_value_is_null(retry))
		retry = NULL;
	rq->url = tf_value_get_string(config, "url");
	rq->method = tf_value_get_string(config, "method");
	if (!rq->method)
		rq->method = "GET";
	rq->headers = tf_value_get(config, "request_headers");
	rq->body = tf_value_get(config, "request_body");
	rq->timeout_ms = int_or(config, "request_timeout_ms", 0);
	rq->retries = int_or(retry, "attempts", 0);
	rq->min_delay_ms = int_or(retry, "min_delay_ms", DEFAULT_MIN_DELAY_MS);
	rq->max_delay_ms = int_or(retry, "max_delay_ms", DEFAULT_MAX_DELAY_MS);
	rq->ca_pem = tf_value_get_string(config, "ca_cert_pem");
	rq->cert_pem = tf_value_get_string(config, "client_cert_pem");
	rq->key_pem = tf_value_get_string(config, "client_key_pem");
	rq->insecure = insecure && insecure->kind == TF_BOOL && insecure->u.b;
}

/* An error on a path of up to two steps: an attribute, then a map key or a
 * nested attribute. */
static void error_at(struct tf_ctx *c, const char *attr, const char *key, bool key_is_map_key,
		     const char *summary, const char *detail)
{
	struct tf_path p;
	tf_path_init(&p);
	tf_path_push_attr(&p, attr);
	if (key && key_is_map_key)
		tf_path_push_key(&p, key);
	else if (key)
		tf_path_push_attr(&p, key);
	tf_diag_add(c->diags, TF_ERROR, &p, summary, "%s", detail);
	tf_path_release(&p);
}

static void check_url(struct tf_ctx *c, const char *url)
{
	char scheme[32], detail[160];
	if (!url || http_url_scheme_supported(url, scheme, sizeof(scheme)))
		return;
	snprintf(detail, sizeof(detail),
		 "unsupported protocol scheme \"%s\": the URL must start with http:// or https://.",
		 scheme);
	error_at(c, "url", NULL, false, "Invalid URL", detail);
}

static void check_headers(struct tf_ctx *c, const struct tf_value *headers)
{
	if (!headers || headers->kind != TF_MAP)
		return;
	for (size_t i = 0; i < headers->u.kv.n; i++) {
		const char *name = headers->u.kv.keys[i];
		const struct tf_value *v = headers->u.kv.vals[i];
		if (!http_header_name_valid(name))
			error_at(c, "request_headers", name, true, "Invalid request header",
				 "A header name must be a non-empty HTTP token: letters, digits and "
				 "!#$%&'*+-.^_`|~ only.");
		else if (v->kind == TF_STRING && !http_header_value_valid(v->u.str.ptr, v->u.str.len))
			error_at(c, "request_headers", name, true, "Invalid request header",
				 "A header value must not contain a line break or a NUL character.");
	}
}

static void check_retry(struct tf_ctx *c, const struct tf_value *retry)
{
	int64_t min, max;
	if (tf_value_is_null(retry) || !tf_value_get_int(retry, "min_delay_ms", &min) ||
	    !tf_value_get_int(retry, "max_delay_ms", &max) || max >= min)
		return;
	error_at(c, "retry", "max_delay_ms", false, "Invalid Attribute Value",
		 "max_delay_ms must be at least min_delay_ms.");
}

/* Each of the pair requires the other (null is "not set"; unknown is set). */
static void check_client_pair_present(struct tf_ctx *c, const struct tf_value *config)
{
	static const char *const pair[2] = { "client_cert_pem", "client_key_pem" };
	for (int i = 0; i < 2; i++) {
		if (tf_value_is_null(tf_value_get(config, pair[i])) ||
		    !tf_value_is_null(tf_value_get(config, pair[1 - i])))
			continue;
		char detail[128];
		snprintf(detail, sizeof(detail), "Attribute \"%s\" must be specified when \"%s\" is specified.",
			 pair[1 - i], pair[i]);
		error_at(c, pair[i], NULL, false, "Missing Attribute Configuration", detail);
	}
}

/* Never asks for a passphrase: an encrypted key is refused. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag, (void)u;
	return 0;
}

static size_t count_pem_certificates(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *cert;
	size_t n = 0;
	while (bio && (cert = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL))) {
		X509_free(cert);
		n++;
	}
	BIO_free(bio);
	ERR_clear_error();
	return n;
}

static void check_ca_pem(struct tf_ctx *c, const char *pem)
{
	if (pem && count_pem_certificates(pem) == 0)
		error_at(c, "ca_cert_pem", NULL, false, "Error configuring TLS client",
			 "Can't add the CA certificate to certificate pool: ca_cert_pem holds no "
			 "PEM-encoded certificate (\"-----BEGIN CERTIFICATE-----\").");
}

/* The client certificate, its key, and that they belong together. */
static void check_client_pair(struct tf_ctx *c, const char *cert_pem, const char *key_pem)
{
	static const char summary[] = "error creating x509 key pair";
	if (!cert_pem || !key_pem)
		return;
	BIO *cert_bio = BIO_new_mem_buf(cert_pem, -1), *key_bio = BIO_new_mem_buf(key_pem, -1);
	X509 *cert = cert_bio ? PEM_read_bio_X509(cert_bio, NULL, no_passphrase, NULL) : NULL;
	EVP_PKEY *key = key_bio ? PEM_read_bio_PrivateKey(key_bio, NULL, no_passphrase, NULL) : NULL;
	if (!cert)
		error_at(c, "client_cert_pem", NULL, false, summary,
			 "client_cert_pem holds no PEM-encoded certificate.");
	if (!key)
		error_at(c, "client_key_pem", NULL, false, summary,
			 "client_key_pem holds no unencrypted PEM-encoded private key.");
	if (cert && key && X509_check_private_key(cert, key) != 1)
		error_at(c, "client_key_pem", NULL, false, summary,
			 "The private key in client_key_pem does not match the public key of the "
			 "certificate in client_cert_pem.");
	EVP_PKEY_free(key); /* OpenSSL wipes the key material */
	X509_free(cert);
	BIO_free(key_bio);
	BIO_free(cert_bio);
	ERR_clear_error();
}

/* Every check beyond the schema's, on what is known of a configuration. */
static int check_config(struct tf_ctx *c, const struct tf_value *config)
{
	size_t errors = c->diags->errors;
	check_url(c, tf_value_get_string(config, "url"));
	check_headers(c, tf_value_get(config, "request_headers"));
	check_retry(c, tf_value_get(config, "retry"));
	check_client_pair_present(c, config);
	check_ca_pem(c, tf_value_get_string(config, "ca_cert_pem"));
	check_client_pair(c, tf_value_get_string(config, "client_cert_pem"),
			  tf_value_get_string(config, "client_key_pem"));
	return c->diags->errors > errors ? -1 : 0;
}

/* --- the curl handle ----------------------------------------------------------------- */

/* Headers the request sends besides curl's own, and whether the user chose
 * the Accept-Encoding (then the body is passed through undecoded). */
struct header_list {
	struct curl_slist *list;
	bool has_accept_encoding, has_content_type;
	bool failed;
};

static void header_list_append(struct header_list *hl, const char *line)
{
	struct curl_slist *grown = hl->failed ? NULL : curl_slist_append(hl->list, line);
	if (grown)
		hl->list = grown;
	else
		hl->failed = true;
}

static void header_list_add(struct header_list *hl, const char *name, const char *value)
{
	size_t len = strlen(name) + strlen(value) + 3;
	char *line = malloc(len);
	if (!line) {
		hl->failed = true;
		return;
	}
	/* "Name;" is how curl sends a header with an empty value */
	snprintf(line, len, *value ? "%s: %s" : "%s;", name, value);
	header_list_append(hl, line);
	free(line);
}

static void header_list_add_user(struct header_list *hl, const struct tf_value *headers)
{
	for (size_t i = 0; headers && headers->kind == TF_MAP && i < headers->u.kv.n; i++) {
		const char *key = headers->u.kv.keys[i];
		const struct tf_value *v = headers->u.kv.vals[i];
		char *name = http_canonical_header(key, strlen(key));
		if (!name) {
			hl->failed = true;
			return;
		}
		hl->has_accept_encoding |= strcmp(name, "Accept-Encoding") == 0;
		hl->has_content_type |= strcmp(name, "Content-Type") == 0;
		header_list_add(hl, name, v->kind == TF_STRING ? v->u.str.ptr : "");
		free(name);
	}
}

/* The method, and the body when there is one (null: none; "": empty). */
static void set_method_and_body(CURL *h, const struct request *rq)
{
	bool head = strcmp(rq->method, "HEAD") == 0, post = strcmp(rq->method, "POST") == 0;
	if (head)
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L); /* first: it keeps the reply unread */
	else
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	if (!post && tf_value_is_null(rq->body))
		return;
	const char *body = tf_value_is_null(rq->body) ? "" : rq->body->u.str.ptr;
	curl_off_t len = tf_value_is_null(rq->body) ? 0 : (curl_off_t)rq->body->u.str.len;
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, len);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	if (!post)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, rq->method); /* a GET or HEAD with a body */
}

static int set_tls(CURL *h, const struct request *rq)
{
	CURLcode rc = CURLE_OK;
	if (rq->insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (rq->ca_pem) {
		struct curl_blob ca = { (void *)rq->ca_pem, strlen(rq->ca_pem), CURL_BLOB_COPY };
		/* the blob replaces the system's roots: no file, no directory */
		curl_easy_setopt(h, CURLOPT_CAINFO, NULL);
		curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
		rc = curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &ca);
	}
	if (rc == CURLE_OK && rq->cert_pem && rq->key_pem) {
		struct curl_blob cert = { (void *)rq->cert_pem, strlen(rq->cert_pem), CURL_BLOB_COPY };
		/* NOCOPY: curl reads the key where the configuration holds it,
		 * so no other copy of it is ever made */
		struct curl_blob key = { (void *)rq->key_pem, strlen(rq->key_pem), CURL_BLOB_NOCOPY };
		curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
		curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
		rc = curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &cert);
		if (rc == CURLE_OK)
			rc = curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &key);
	}
	return rc == CURLE_OK ? 0 : -1;
}

/* A handle ready to perform the request; the header list and the error
 * buffer must outlive it.  NULL after an error diagnostic. */
static CURL *request_handle(struct tf_ctx *c, const struct request *rq, struct header_list *hl,
			    char *errbuf)
{
	CURL *h = tf_curl_new();
	if (!h) {
		tf_diag_error_at(c->diags, NULL, "Error configuring http transport",
				 "libcurl could not create a transfer (out of memory?).");
		return NULL;
	}
	if (tf_curl_set_proxy_from_env(h, rq->url) < 0) {
		error_at(c, "url", NULL, false, "Error creating request",
			 "The URL cannot be parsed (libcurl refuses it).");
		curl_easy_cleanup(h);
		return NULL;
	}
	header_list_add_user(hl, rq->headers);
	/* Go sends neither of curl's defaults: no Expect: 100-continue, and
	 * no form Content-Type on a POST ("Name:" removes a curl header) */
	header_list_append(hl, "Expect:");
	if (!hl->has_content_type)
		header_list_append(hl, "Content-Type:");
	curl_easy_setopt(h, CURLOPT_URL, rq->url);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, MAX_REDIRECTS);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl->list);
	if (!hl->has_accept_encoding)
		curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	if (rq->timeout_ms > 0)
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)rq->timeout_ms);
	set_method_and_body(h, rq);
	if (hl->failed || set_tls(h, rq) < 0) {
		tf_diag_error_at(c->diags, NULL, "Error configuring http transport",
				 "libcurl refused the request's headers or TLS settings.");
		curl_easy_cleanup(h);
		return NULL;
	}
	return h;
}

/* --- attempts and retries --------------------------------------------------------------- */

enum verdict { ATTEMPT_DONE, ATTEMPT_RETRY, ATTEMPT_FAILED };

/* One attempt's outcome and, when it is not a response to keep, why. */
struct attempt {
	CURLcode rc;
	enum verdict verdict;
	char why[CURL_ERROR_SIZE + 64];
};

static const char *status_text(long status)
{
	static const struct { long code; const char *text; } texts[] = {
		{ 429, "Too Many Requests" },     { 500, "Internal Server Error" },
		{ 502, "Bad Gateway" },           { 503, "Service Unavailable" },
		{ 504, "Gateway Timeout" },       { 505, "HTTP Version Not Supported" },
		{ 506, "Variant Also Negotiates" }, { 507, "Insufficient Storage" },
		{ 508, "Loop Detected" },         { 510, "Not Extended" },
		{ 511, "Network Authentication Required" },
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].code == status)
			return texts[i].text;
	return "";
}

/* Transport errors go-retryablehttp does not retry: redirect loops, bad
 * schemes or URLs, untrusted certificates; and ours: a stop, a body over
 * the cap, no memory. */
static bool transport_error_is_final(CURLcode rc)
{
	switch (rc) {
	case CURLE_TOO_MANY_REDIRECTS:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_ABORTED_BY_CALLBACK:
	case CURLE_WRITE_ERROR:
	case CURLE_OUT_OF_MEMORY:
		return true;
	default:
		return false;
	}
}

static void judge_attempt(struct attempt *a, const struct tf_http_response *r, const char *errbuf)
{
	a->why[0] = '\0';
	if (a->rc != CURLE_OK) {
		const char *what = r->body_too_large ? "the response body is larger than the limit"
				   : *errbuf		? errbuf
							: curl_easy_strerror(a->rc);
		snprintf(a->why, sizeof(a->why), ": %s", what);
		a->verdict = transport_error_is_final(a->rc) ? ATTEMPT_FAILED : ATTEMPT_RETRY;
	} else if (r->status == 429) {
		a->verdict = ATTEMPT_RETRY; /* go-retryablehttp gives no reason for a 429 */
	} else if (r->status == 0 || (r->status >= 500 && r->status != 501)) {
		snprintf(a->why, sizeof(a->why), ": unexpected HTTP status %ld %s", r->status,
			 status_text(r->status));
		a->verdict = ATTEMPT_RETRY;
	} else {
		a->verdict = ATTEMPT_DONE;
	}
}

/* How long to wait before retry number `attempt` (0-based). */
static int64_t retry_delay_ms(const struct request *rq, const struct tf_http_response *r,
			      int64_t attempt)
{
	const char *after = tf_http_response_header(r, "Retry-After");
	int64_t ms;
	if ((r->status == 429 || r->status == 503) && after &&
	    http_parse_retry_after(after, time(NULL), &ms))
		return ms;
	return http_backoff_ms(rq->min_delay_ms, rq->max_delay_ms, attempt);
}

/* Sleeps in short slices; false when StopProvider came first. */
static bool sleep_unless_stopped(const struct tf_ctx *c, int64_t ms)
{
	while (ms > 0 && !tf_ctx_stopping(c)) {
		int64_t slice = ms < SLEEP_SLICE_MS ? ms : SLEEP_SLICE_MS;
		struct timespec ts = { (time_t)(slice / 1000), (long)(slice % 1000) * 1000000L };
		nanosleep(&ts, NULL);
		ms -= slice;
	}
	return !tf_ctx_stopping(c);
}

static void log_retry(const char *url, int64_t attempt, int64_t delay_ms, const char *why)
{
	char n[24], wait[24];
	snprintf(n, sizeof(n), "%lld", (long long)attempt + 1);
	snprintf(wait, sizeof(wait), "%lld", (long long)delay_ms);
	tf_log(TF_LOG_DEBUG, "http request failed, retrying", "url", url, "attempt", n, "wait_ms",
	       wait, "reason", *why ? why + 2 : "retryable status", NULL);
}

/* The error once attempts ran out or one failed for good, worded as
 * hashicorp/http words it. */
static void report_failure(struct tf_ctx *c, const struct request *rq, const char *redacted,
			   int64_t attempts, const struct attempt *a)
{
	char *timeout = NULL;
	if (a->rc == CURLE_ABORTED_BY_CALLBACK && tf_ctx_stopping(c)) {
		error_at(c, "url", NULL, false, "Request cancelled",
			 "Terraform or OpenTofu asked the provider to stop (Ctrl-C) before the request finished.");
		return;
	}
	if (a->rc == CURLE_OPERATION_TIMEDOUT && rq->timeout_ms > 0)
		timeout = http_duration_text(rq->timeout_ms);
	if (timeout)
		tf_diag_add(c->diags, TF_ERROR, NULL, "Error making request",
			    "request exceeded the specified timeout: %s, err: %s %s giving up after "
			    "%lld attempt(s)%s",
			    timeout, rq->method, redacted, (long long)attempts, a->why);
	else
		tf_diag_add(c->diags, TF_ERROR, NULL, "Error making request",
			    "Error making request: %s %s giving up after %lld attempt(s)%s",
			    rq->method, redacted, (long long)attempts, a->why);
	free(timeout);
}

/* Performs the request, retrying as configured.  0 with the final response
 * in *r, or -1 after an error diagnostic. */
static int perform_with_retries(struct tf_ctx *c, const struct request *rq, CURL *h,
				struct tf_http_response *r, char *errbuf)
{
	char *redacted = http_redact_url(rq->url);
	struct attempt a = { 0 };
	int64_t i = 0;
	if (!redacted) {
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot prepare the request.");
		return -1;
	}
	tf_http_response_capture(h, r);
	for (;; i++) {
		tf_http_response_release(r);
		errbuf[0] = '\0';
		a.rc = tf_curl_perform(h, c->stopping);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
		judge_attempt(&a, r, errbuf);
		if (a.verdict != ATTEMPT_RETRY || i >= rq->retries)
			break;
		int64_t delay = retry_delay_ms(rq, r, i);
		log_retry(redacted, i, delay, a.why);
		if (!sleep_unless_stopped(c, delay)) {
			a.rc = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
	}
	if (a.verdict != ATTEMPT_DONE || a.rc != CURLE_OK)
		report_failure(c, rq, redacted, i + 1, &a);
	free(redacted);
	return tf_diags_has_errors(c->diags) ? -1 : 0;
}

/* --- the response as attributes ------------------------------------------------------------ */

/* Appends `value` to the map's entry `key`, joined with ", " (RFC 9110). */
static int map_add_joined(struct tf_value *map, const char *key, const char *value)
{
	const struct tf_value *old = tf_value_get(map, key);
	struct tf_value *v;
	if (!old) {
		v = tf_value_new_string(value);
	} else {
		size_t len = old->u.str.len + 2 + strlen(value) + 1;
		char *joined = malloc(len);
		if (joined)
			snprintf(joined, len, "%s, %s", old->u.str.ptr, value);
		v = joined ? tf_value_new_string(joined) : NULL;
		free(joined);
	}
	return v ? tf_value_set(map, key, v) : -1;
}

/* Go-canonical names; when curl decoded the body, the encoding and the
 * length no longer describe it and are left out, as Go leaves them out. */
static struct tf_value *response_headers(const struct tf_http_response *r, bool decoded)
{
	struct tf_value *map = tf_value_new_collection(TF_MAP);
	bool hide = decoded && tf_http_response_header(r, "Content-Encoding");
	for (size_t i = 0; map && i < r->n_headers; i++) {
		char *name = http_canonical_header(r->headers[i].name, strlen(r->headers[i].name));
		bool skip = name && hide &&
			    (!strcmp(name, "Content-Encoding") || !strcmp(name, "Content-Length"));
		if (!name || (!skip && map_add_joined(map, name, r->headers[i].value) < 0)) {
			tf_value_free(map);
			map = NULL;
		}
		free(name);
	}
	return map;
}

/* Sets state[key] to v (taken) unless an earlier output failed. */
static void set_output(struct tf_value *state, const char *key, struct tf_value *v, bool *ok)
{
	if (*ok && v) {
		*ok = tf_value_set(state, key, v) == 0;
		return;
	}
	tf_value_free(v);
	*ok = false;
}

static int set_response(struct tf_ctx *c, struct tf_value *state, const struct request *rq,
			const struct tf_http_response *r, bool decoded)
{
	const char *bytes = r->body.len ? (const char *)r->body.data : "";
	size_t text_len;
	char *text = http_utf8_repair(bytes, r->body.len, &text_len);
	char *b64 = tf_base64_encode((const unsigned char *)bytes, r->body.len, TF_BASE64_STD);
	bool ok = text && b64;
	if (!tf_utf8_valid(bytes, r->body.len))
		tf_diag_warning_at(c->diags, NULL, "Response body is not recognized as UTF-8",
				   "Terraform may not properly handle the response_body if the "
				   "contents are binary.");
	set_output(state, "id", tf_value_new_string(rq->url), &ok);
	set_output(state, "response_body", text ? tf_value_new_stringn(text, text_len) : NULL, &ok);
	set_output(state, "body", text ? tf_value_new_stringn(text, text_len) : NULL, &ok);
	set_output(state, "response_body_base64", b64 ? tf_value_new_string(b64) : NULL, &ok);
	set_output(state, "response_headers", response_headers(r, decoded), &ok);
	set_output(state, "status_code", tf_value_new_int(r->status), &ok);
	free(text);
	free(b64);
	if (!ok)
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot hold the response.");
	return ok ? 0 : -1;
}

/* --- the data source -------------------------------------------------------------------------- */

static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	return check_config(c, config);
}

static int read_response(struct tf_ctx *c, struct tf_value *state)
{
	struct request rq;
	struct header_list hl = { 0 };
	struct tf_http_response r = { 0 };
	char errbuf[CURL_ERROR_SIZE];
	if (check_config(c, state) < 0)
		return -1;
	request_from_config(&rq, state);
	CURL *h = request_handle(c, &rq, &hl, errbuf);
	int rc = -1;
	if (h && perform_with_retries(c, &rq, h, &r, errbuf) == 0)
		rc = set_response(c, state, &rq, &r, !hl.has_accept_encoding);
	tf_http_response_release(&r);
	if (h)
		curl_easy_cleanup(h);
	curl_slist_free_all(hl.list);
	return rc;
}

const struct tf_data_source http_data_source = {
	.name = "http",
	.validate = validate,
	.read = read_response,
};

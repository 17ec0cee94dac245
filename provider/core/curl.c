/*
 * curl.c - libcurl defaults, Go's proxy rules, response capture.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "curl.h"
#include "ossl.h"

#ifndef THINGFORM_VERSION
#define THINGFORM_VERSION "dev"
#endif

/* --- proxies ------------------------------------------------------------------ */

static const char *env_either(const char *upper, const char *lower)
{
	const char *v = getenv(upper);
	return v && *v ? v : getenv(lower);
}

void tf_proxy_env_read(struct tf_proxy_env *env)
{
	/* Under CGI, HTTP_PROXY may come from a request's Proxy: header
	 * (httpoxy), so Go ignores it when REQUEST_METHOD is set. */
	env->http_proxy = getenv("REQUEST_METHOD") ? NULL : env_either("HTTP_PROXY", "http_proxy");
	env->https_proxy = env_either("HTTPS_PROXY", "https_proxy");
	env->no_proxy = env_either("NO_PROXY", "no_proxy");
}

struct addr {
	char host[256]; /* lower case, without [] around IPv6 */
	char port[8];
	unsigned char ip[16];
	int ip_len;     /* 4, 16, or 0 when host is a name */
};

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static int parse_ip(const char *host, unsigned char *ip)
{
	if (inet_pton(AF_INET, host, ip) == 1)
		return 4;
	if (inet_pton(AF_INET6, host, ip) == 1)
		return 16;
	return 0;
}

static bool is_loopback(const struct addr *a)
{
	static const unsigned char v6_loopback[16] = { [15] = 1 };
	if (strcmp(a->host, "localhost") == 0)
		return true;
	if (a->ip_len == 4)
		return a->ip[0] == 127;
	return a->ip_len == 16 && memcmp(a->ip, v6_loopback, 16) == 0;
}

/* Does a CIDR ("10.0.0.0/8") contain the address? */
static bool cidr_contains(const char *cidr, const struct addr *a)
{
	char net[64];
	const char *slash = strchr(cidr, '/');
	unsigned char ip[16];
	if (!slash || (size_t)(slash - cidr) >= sizeof(net) || !a->ip_len)
		return false;
	memcpy(net, cidr, (size_t)(slash - cidr));
	net[slash - cidr] = '\0';
	char *end;
	long bits = strtol(slash + 1, &end, 10);
	int len = parse_ip(net, ip);
	if (*end || len != a->ip_len || bits < 0 || bits > len * 8)
		return false;
	for (long i = 0; i < bits; i++) {
		int mask = 0x80 >> (i % 8);
		if ((ip[i / 8] & mask) != (a->ip[i / 8] & mask))
			return false;
	}
	return true;
}

/* One NO_PROXY entry against the request's address, as Go matches it. */
static bool no_proxy_entry_matches(char *entry, const struct addr *a)
{
	if (strchr(entry, '/'))
		return cidr_contains(entry, a);
	unsigned char ip[16];
	int len = parse_ip(entry, ip);
	if (len)
		return len == a->ip_len && memcmp(ip, a->ip, (size_t)len) == 0;

	/* a name or a bracketed IPv6 address, maybe with a port:
	 * "example.com", ".example.com", "*.example.com", "example.com:8080",
	 * "[::1]:80" */
	char *port = NULL;
	if (entry[0] == '[') {
		char *close = strchr(++entry, ']');
		if (!close)
			return false;
		*close = '\0';
		if (close[1] == ':')
			port = close + 2;
		len = parse_ip(entry, ip);
		return len && len == a->ip_len && memcmp(ip, a->ip, (size_t)len) == 0 &&
		       (!port || strcmp(port, a->port) == 0);
	}
	char *colon = strchr(entry, ':');
	if (colon) {
		*colon = '\0';
		port = colon + 1;
	}
	if (port && strcmp(port, a->port) != 0)
		return false;
	if (strncmp(entry, "*.", 2) == 0)
		entry++;
	/* "example.com" matches itself and its subdomains; ".example.com"
	 * (or "*.example.com") only the subdomains */
	size_t hl = strlen(a->host), el = strlen(entry);
	bool suffix = hl > el && strcmp(a->host + hl - el, entry) == 0;
	if (entry[0] == '.')
		return suffix;
	return strcmp(a->host, entry) == 0 || (suffix && a->host[hl - el - 1] == '.');
}

static bool use_proxy(const char *no_proxy, const struct addr *a)
{
	if (is_loopback(a))
		return false;
	if (!no_proxy || !*no_proxy)
		return true;
	char *list = strdup(no_proxy);
	bool use = true;
	if (!list)
		return true;
	for (char *save, *e = strtok_r(list, ", ", &save); e && use; e = strtok_r(NULL, ", ", &save)) {
		lower(e);
		if (strcmp(e, "*") == 0 || no_proxy_entry_matches(e, a))
			use = false;
	}
	free(list);
	return use;
}

static int parse_url(const char *url, char *scheme, size_t scheme_len, struct addr *a)
{
	CURLU *u = curl_url();
	char *s = NULL, *host = NULL, *port = NULL;
	int rc = -1;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &s, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
	    strlen(s) < scheme_len && strlen(host) < sizeof(a->host) && strlen(port) < sizeof(a->port)) {
		snprintf(scheme, scheme_len, "%s", s);
		lower(scheme);
		const char *h = host;
		size_t n = strlen(h);
		if (h[0] == '[' && n > 1 && h[n - 1] == ']') {
			snprintf(a->host, sizeof(a->host), "%.*s", (int)(n - 2), h + 1);
		} else {
			snprintf(a->host, sizeof(a->host), "%s", h);
		}
		lower(a->host);
		snprintf(a->port, sizeof(a->port), "%s", port);
		a->ip_len = parse_ip(a->host, a->ip);
		rc = 0;
	}
	curl_free(s);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

char *tf_proxy_for_url(const struct tf_proxy_env *env, const char *url, bool *err)
{
	char scheme[16];
	struct addr a = { 0 };
	*err = false;
	if (parse_url(url, scheme, sizeof(scheme), &a) < 0) {
		*err = true;
		return NULL;
	}
	const char *proxy = strcmp(scheme, "https") == 0 ? env->https_proxy
			    : strcmp(scheme, "http") == 0  ? env->http_proxy
							   : NULL;
	if (!proxy || !*proxy || !use_proxy(env->no_proxy, &a))
		return NULL;
	if (strstr(proxy, "://"))
		return strdup(proxy);
	size_t len = strlen(proxy) + sizeof("http://");
	char *with_scheme = malloc(len);
	if (with_scheme)
		snprintf(with_scheme, len, "http://%s", proxy);
	return with_scheme;
}

/* --- easy handles ------------------------------------------------------------ */

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;

static void global_init(void)
{
	/* libcurl words its TLS errors with OpenSSL's error strings. */
	tf_ossl_load_strings();
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

CURLcode tf_curl_global_init(void)
{
	pthread_once(&global_once, global_init);
	return global_rc;
}

CURL *tf_curl_new(void)
{
	if (tf_curl_global_init() != CURLE_OK)
		return NULL;
	CURL *h = curl_easy_init();
	if (!h)
		return NULL;
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "thingform/" THINGFORM_VERSION);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	return h;
}

/* How often a transfer looks at `stopping` when nothing else wakes it.
 * (libcurl's progress function cannot do this: it is called only once the
 * connection is up, so it misses a stop during a slow connect, proxy
 * CONNECT or TLS handshake.) */
#define STOP_CHECK_MS 100

/* The transfer's own result, once libcurl reports it done. */
static CURLcode done_result(CURLM *m)
{
	CURLcode rc = CURLE_RECV_ERROR;
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(m, &left)))
		if (msg->msg == CURLMSG_DONE)
			rc = msg->data.result;
	return rc;
}

CURLcode tf_curl_perform(CURL *h, const atomic_bool *stopping)
{
	CURLM *m = curl_multi_init();
	if (!m)
		return CURLE_OUT_OF_MEMORY;
	CURLMcode mc = curl_multi_add_handle(m, h);
	CURLcode rc = CURLE_OK;
	while (mc == CURLM_OK) {
		int running = 0;
		mc = curl_multi_perform(m, &running);
		if (mc != CURLM_OK)
			break;
		if (!running) {
			rc = done_result(m);
			break;
		}
		if (stopping && atomic_load(stopping)) {
			rc = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
		mc = curl_multi_poll(m, NULL, 0, STOP_CHECK_MS, NULL);
	}
	/* As curl_easy_perform reports a failure of the multi interface. */
	if (mc != CURLM_OK)
		rc = mc == CURLM_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY : CURLE_BAD_FUNCTION_ARGUMENT;
	curl_multi_remove_handle(m, h);
	curl_multi_cleanup(m);
	return rc;
}

int tf_curl_set_proxy_from_env(CURL *h, const char *url)
{
	struct tf_proxy_env env;
	bool err;
	tf_proxy_env_read(&env);
	char *proxy = tf_proxy_for_url(&env, url, &err);
	if (err)
		return -1;
	/* Always explicit: "" means no proxy, and an empty NOPROXY keeps
	 * libcurl from applying its own reading of no_proxy. */
	CURLcode rc = curl_easy_setopt(h, CURLOPT_PROXY, proxy ? proxy : "");
	curl_easy_setopt(h, CURLOPT_NOPROXY, "");
	free(proxy);
	return rc == CURLE_OK ? 0 : -1;
}

/* --- responses ------------------------------------------------------------------ */

static void clear_headers(struct tf_http_response *r)
{
	for (size_t i = 0; i < r->n_headers; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	r->n_headers = 0;
}

void tf_http_response_release(struct tf_http_response *r)
{
	clear_headers(r);
	free(r->headers);
	tf_bytes_release(&r->body);
	memset(r, 0, sizeof(*r));
}

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
	struct tf_http_response *r = userp;
	size_t len = size * n, max = r->max_body ? r->max_body : TF_HTTP_MAX_BODY;
	if (r->body.len + len > max) {
		r->body_too_large = true;
		return 0; /* stops the transfer with CURLE_WRITE_ERROR */
	}
	return tf_bytes_add(&r->body, data, len) == 0 ? len : 0;
}

static char *trimmed(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return strndup(s, len);
}

static size_t on_header(char *data, size_t size, size_t n, void *userp)
{
	struct tf_http_response *r = userp;
	size_t len = size * n;
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* a new response (after a redirect or 100 Continue) */
		clear_headers(r);
		return len;
	}
	const char *colon = memchr(data, ':', len);
	if (!colon)
		return len; /* the blank line ending the headers */
	if (r->n_headers == r->alloc_headers) {
		size_t alloc = r->alloc_headers ? 2 * r->alloc_headers : 16;
		struct tf_http_header *h = realloc(r->headers, alloc * sizeof(*h));
		if (!h)
			return 0;
		r->headers = h;
		r->alloc_headers = alloc;
	}
	struct tf_http_header *h = &r->headers[r->n_headers];
	h->name = trimmed(data, (size_t)(colon - data));
	h->value = trimmed(colon + 1, len - (size_t)(colon - data) - 1);
	if (!h->name || !h->value) {
		free(h->name);
		free(h->value);
		return 0;
	}
	r->n_headers++;
	return len;
}

void tf_http_response_capture(CURL *h, struct tf_http_response *r)
{
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
}

const char *tf_http_response_header(const struct tf_http_response *r, const char *name)
{
	for (size_t i = 0; i < r->n_headers; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

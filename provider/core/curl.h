/*
 * curl.h - libcurl used the same way by every provider.
 *
 *   - one process-wide curl_global_init, done on first use;
 *   - easy handles with our defaults: no signals, TLS verification on,
 *     http and https only, a user agent, and StopProvider aborting the
 *     transfer promptly;
 *   - proxies chosen from the environment by Go's rules (upper-case names
 *     first, loopback never proxied, NO_PROXY domains/IPs/CIDRs), set
 *     explicitly because libcurl's own environment rules differ;
 *   - responses captured with their status, headers (of the final
 *     response only, after redirects) and a size-capped body.
 */
#ifndef THINGFORM_CURL_H
#define THINGFORM_CURL_H

#include <stdatomic.h>
#include <stdbool.h>

#include <curl/curl.h>

#include "codec.h"

/* --- proxies ------------------------------------------------------------ */

/* The proxy settings of the environment, as Go's httpproxy reads them.
 * The strings are borrowed from the environment (or the caller). */
struct tf_proxy_env {
	const char *http_proxy;   /* HTTP_PROXY, else http_proxy; ignored under CGI */
	const char *https_proxy;  /* HTTPS_PROXY, else https_proxy */
	const char *no_proxy;     /* NO_PROXY, else no_proxy */
};

void tf_proxy_env_read(struct tf_proxy_env *env);

/*
 * The proxy URL for a request to `url`, or NULL for a direct connection.
 * Returns a malloc'd string; a proxy given without a scheme gets http://.
 * *err is set (and NULL returned) when `url` cannot be parsed.
 */
char *tf_proxy_for_url(const struct tf_proxy_env *env, const char *url, bool *err);

/* --- easy handles --------------------------------------------------------- */

/* The process-wide curl_global_init, done once; its result every time.
 * tf_curl_new calls it; call it first to use libcurl otherwise. */
CURLcode tf_curl_global_init(void);

/* A new easy handle with our defaults; NULL when memory runs out.  Free
 * with curl_easy_cleanup. */
CURL *tf_curl_new(void);

/*
 * curl_easy_perform, but `stopping` (may be NULL) ends the transfer with
 * CURLE_ABORTED_BY_CALLBACK within a tenth of a second of becoming true, in
 * any phase: resolving, connecting, a proxy tunnel, the TLS handshake or the
 * transfer itself.
 */
CURLcode tf_curl_perform(CURL *h, const atomic_bool *stopping);

/* Sets the proxy for `url` from the environment (or none); 0 or -1. */
int tf_curl_set_proxy_from_env(CURL *h, const char *url);

/* --- responses -------------------------------------------------------------- */

struct tf_http_header {
	char *name;   /* as received */
	char *value;  /* trimmed */
};

struct tf_http_response {
	long status;
	struct tf_bytes body;
	struct tf_http_header *headers;
	size_t n_headers, alloc_headers;
	size_t max_body;      /* 0: TF_HTTP_MAX_BODY */
	bool body_too_large;  /* the transfer was stopped at max_body */
};

#define TF_HTTP_MAX_BODY ((size_t)256 << 20)

/* Points h's write and header callbacks at r; call before each perform. */
void tf_http_response_capture(CURL *h, struct tf_http_response *r);
void tf_http_response_release(struct tf_http_response *r);
/* The first header with this name (case-insensitive), or NULL. */
const char *tf_http_response_header(const struct tf_http_response *r, const char *name);

#endif

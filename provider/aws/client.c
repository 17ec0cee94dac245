/*
 * client.c - one AWS API call: sign, send, classify, retry (see client.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "client.h"
#include "curl.h"
#include "log.h"
#include "ratelimit.h"
#include "sigv4.h"
#include "xml.h"

#define MAX_BACKOFF 20.0        /* seconds */
#define MAX_CONNECT_ATTEMPTS 9  /* "connection refused" stops sooner */
#define CONNECT_TIMEOUT 10L     /* seconds */
#define TRANSFER_TIMEOUT 120L
#define MAX_BODY ((size_t)16 << 20)

struct aws_client {
	CURLSH *share;
	pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
	struct aws_limiters *limiters;
};

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access access, void *user)
{
	struct aws_client *cl = user;
	(void)h;
	(void)access;
	pthread_mutex_lock(&cl->locks[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *user)
{
	struct aws_client *cl = user;
	(void)h;
	pthread_mutex_unlock(&cl->locks[data]);
}

struct aws_client *aws_client_new(void)
{
	struct aws_client *cl = calloc(1, sizeof(*cl));
	if (!cl)
		return NULL;
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&cl->locks[i], NULL);
	cl->share = tf_curl_global_init() == CURLE_OK ? curl_share_init() : NULL;
	cl->limiters = aws_limiters_new();
	if (!cl->share || !cl->limiters ||
	    curl_share_setopt(cl->share, CURLSHOPT_LOCKFUNC, share_lock) ||
	    curl_share_setopt(cl->share, CURLSHOPT_UNLOCKFUNC, share_unlock) ||
	    curl_share_setopt(cl->share, CURLSHOPT_USERDATA, cl) ||
	    curl_share_setopt(cl->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) ||
	    curl_share_setopt(cl->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) ||
	    curl_share_setopt(cl->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION)) {
		aws_client_free(cl);
		return NULL;
	}
	return cl;
}

void aws_client_free(struct aws_client *cl)
{
	if (!cl)
		return;
	if (cl->share)
		curl_share_cleanup(cl->share);
	aws_limiters_free(cl->limiters);
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&cl->locks[i]);
	free(cl);
}

void aws_response_release(struct aws_response *r)
{
	tf_bytes_release(&r->body);
	r->status = 0;
}

void aws_error_release(struct aws_error *e)
{
	free(e->code);
	free(e->message);
	free(e->request_id);
	free(e->resource_id);
	memset(e, 0, sizeof(*e));
}

/* --- error answers ---------------------------------------------------------- */

static const char *const throttling_codes[] = {
	"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
	"TooManyRequestsException", "ProvisionedThroughputExceededException",
	"TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
	"LimitExceededException", "RequestThrottled", "SlowDown", "EC2ThrottledException",
};

bool aws_is_throttling_code(const char *code)
{
	for (size_t i = 0; code && i < sizeof(throttling_codes) / sizeof(throttling_codes[0]); i++)
		if (!strcmp(code, throttling_codes[i]))
			return true;
	return false;
}

static bool transient_code(const char *code)
{
	return code && (!strcmp(code, "RequestTimeout") || !strcmp(code, "RequestTimeoutException") ||
			!strcmp(code, "PriorRequestNotComplete"));
}

/* "aws.protocols#Code:http://..." -> "Code" (a new string). */
static char *clean_code(const char *raw)
{
	const char *hash = strrchr(raw, '#');
	if (hash)
		raw = hash + 1;
	size_t n = strcspn(raw, ":");
	return n ? strndup(raw, n) : NULL;
}

static void parse_json_error(const struct tf_http_response *r, struct aws_error *e)
{
	json_t *doc = json_loadb((const char *)r->body.data, r->body.len, 0, NULL);
	const char *code = json_string_value(json_object_get(doc, "__type"));
	const char *msg = json_string_value(json_object_get(doc, "message"));
	const char *resource = json_string_value(json_object_get(doc, "resourceId"));
	if (!code)
		code = json_string_value(json_object_get(doc, "code"));
	if (!msg)
		msg = json_string_value(json_object_get(doc, "Message"));
	if (code && !e->code)
		e->code = clean_code(code);
	if (msg && !e->message)
		e->message = strdup(msg);
	if (resource && *resource && !e->resource_id)
		e->resource_id = strdup(resource);
	json_decref(doc);
}

bool aws_error_parse(const struct tf_http_response *r, struct aws_error *e)
{
	const char *type = tf_http_response_header(r, "x-amzn-ErrorType");
	const char *rid = tf_http_response_header(r, "x-amzn-RequestId");
	const char *body = (const char *)r->body.data;
	if (!rid)
		rid = tf_http_response_header(r, "x-amz-request-id");
	if (type && *type)
		e->code = clean_code(type);
	if (rid && *rid)
		e->request_id = strdup(rid);
	if (body && r->body.len && body[0] == '{')
		parse_json_error(r, e);
	else if (body && r->body.len && body[0] == '<') {
		if (!e->code)
			e->code = aws_xml_text(body, r->body.len, "Code");
		if (!e->message)
			e->message = aws_xml_text(body, r->body.len, "Message");
		if (!e->request_id)
			e->request_id = aws_xml_text(body, r->body.len, "RequestId");
	}
	return e->code || e->request_id;
}

/* --- one attempt ------------------------------------------------------------- */

/* "https://host:port/..." -> "host:port" (default ports left out). */
static char *host_of(const char *endpoint)
{
	const char *s = strstr(endpoint, "://");
	s = s ? s + 3 : endpoint;
	size_t n = strcspn(s, "/?#");
	char *host = strndup(s, n);
	size_t hl = host ? strlen(host) : 0;
	bool https = !strncasecmp(endpoint, "https:", 6);
	const char *port = https ? ":443" : ":80";
	if (host && hl > strlen(port) && !strcmp(host + hl - strlen(port), port) && host[hl - 1] != ']')
		host[hl - strlen(port)] = 0;
	return host;
}

struct attempt {
	struct curl_slist *headers;
	char *url;
	struct aws_sigv4_result sig;
};

static int add_header(struct curl_slist **list, const char *name, const char *value)
{
	char *line = NULL;
	if (asprintf(&line, "%s: %s", name, value) < 0)
		return -1;
	struct curl_slist *l = curl_slist_append(*list, line);
	OPENSSL_cleanse(line, strlen(line));
	free(line);
	if (!l)
		return -1;
	*list = l;
	return 0;
}

/* Builds URL and signed headers; 0 or -1 (ENOMEM / unsignable). */
static int prepare(struct attempt *a, const struct aws_request *req, const struct aws_creds *creds)
{
	char *host = host_of(req->endpoint);
	struct aws_sigv4_header h[2 + AWS_MAX_EXTRA_HEADERS] = { { "host", host } };
	size_t nh = 1;
	if (req->content_type)
		h[nh++] = (struct aws_sigv4_header){ "content-type", req->content_type };
	for (size_t i = 0; i < req->n_headers && i < AWS_MAX_EXTRA_HEADERS; i++)
		h[nh++] = req->headers[i];
	struct aws_sigv4_creds sc = { creds->access_key, creds->secret_key, creds->session_token };
	struct aws_sigv4_request sr = {
		.method = req->method, .path = req->path, .query = req->query, .headers = h,
		.n_headers = nh, .body = req->body, .body_len = req->body_len,
		.region = req->region, .service = req->service, .when = time(NULL),
		.double_encode = true, .normalize = true,
	};
	int rc = host && req->n_headers <= AWS_MAX_EXTRA_HEADERS ? 0 : -1;
	if (rc == 0 && asprintf(&a->url, "%s%s%s%s", req->endpoint, req->path,
				req->query && *req->query ? "?" : "", req->query ? req->query : "") < 0)
		rc = -1, a->url = NULL;
	if (rc == 0)
		rc = add_header(&a->headers, "Host", host) | add_header(&a->headers, "Expect", "");
	if (rc == 0 && req->content_type)
		rc = add_header(&a->headers, "Content-Type", req->content_type);
	for (size_t i = 0; rc == 0 && i < req->n_headers; i++)
		rc = add_header(&a->headers, req->headers[i].name, req->headers[i].value);
	if (rc == 0 && !req->unsigned_request) {
		rc = aws_sigv4_sign(&sr, &sc, &a->sig);
		if (rc == 0)
			rc = add_header(&a->headers, "X-Amz-Date", a->sig.amz_date) |
			     add_header(&a->headers, "Authorization", a->sig.authorization);
		if (rc == 0 && creds->session_token && *creds->session_token)
			rc = add_header(&a->headers, "X-Amz-Security-Token", creds->session_token);
	}
	free(host);
	return rc ? -1 : 0;
}

static void attempt_release(struct attempt *a)
{
	curl_slist_free_all(a->headers);
	free(a->url);
	aws_sigv4_result_release(&a->sig);
}

static int set_transport(CURL *h, const struct aws_config *cfg, const char *url)
{
	const char *proxy = !strncasecmp(url, "https:", 6) ? cfg->https_proxy : cfg->http_proxy;
	int rc = 0;
	if (proxy || cfg->no_proxy) {
		rc |= (int)curl_easy_setopt(h, CURLOPT_PROXY, proxy ? proxy : "");
		if (cfg->no_proxy)
			rc |= (int)curl_easy_setopt(h, CURLOPT_NOPROXY, cfg->no_proxy);
	} else if (tf_curl_set_proxy_from_env(h, url) < 0) {
		return -1;
	}
	if (cfg->insecure)
		rc |= (int)curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L) |
		      (int)curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	if (cfg->ca_bundle)
		rc |= (int)curl_easy_setopt(h, CURLOPT_CAINFO, cfg->ca_bundle);
	if (cfg->user_agent)
		rc |= (int)curl_easy_setopt(h, CURLOPT_USERAGENT, cfg->user_agent);
	return rc ? -1 : 0;
}

/* Sends once; returns the curl code, the answer in *r. */
static CURLcode send_once(const struct aws_config *cfg, const atomic_bool *stopping,
			  const struct aws_request *req, struct attempt *a,
			  struct tf_http_response *r)
{
	CURL *h = tf_curl_new();
	CURLcode cc;
	if (!h)
		return CURLE_OUT_OF_MEMORY;
	r->max_body = MAX_BODY;
	tf_http_response_capture(h, r);
	cc = curl_easy_setopt(h, CURLOPT_URL, a->url);
	if (!cc)
		cc = curl_easy_setopt(h, CURLOPT_SHARE, cfg->client->share);
	if (!cc)
		cc = curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
	if (!cc)
		cc = curl_easy_setopt(h, CURLOPT_HTTPHEADER, a->headers);
	if (!cc)
		cc = curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
	if (!cc)
		cc = curl_easy_setopt(h, CURLOPT_TIMEOUT, TRANSFER_TIMEOUT);
	if (!cc && req->body) {
		cc = curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		if (!cc)
			cc = curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
	}
	if (!cc && set_transport(h, cfg, a->url) < 0)
		cc = CURLE_FAILED_INIT;
	if (!cc)
		cc = tf_curl_perform(h, stopping);
	if (!cc)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_cleanup(h);
	return cc;
}

/* --- retries ----------------------------------------------------------------- */

enum verdict { DONE, RETRY, FAIL };

/* Sorts one attempt's outcome and fills e on failure. */
static enum verdict judge(CURLcode cc, const struct tf_http_response *r, struct aws_error *e,
			  const struct aws_request *req, int attempt, int max_attempts)
{
	if (cc == CURLE_ABORTED_BY_CALLBACK) {
		e->cancelled = true;
		e->message = strdup("the request was cancelled (Terraform is stopping)");
		return FAIL;
	}
	if (cc != CURLE_OK) {
		e->message = strdup(curl_easy_strerror(cc));
		bool connect = cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST;
		if (cc == CURLE_OUT_OF_MEMORY || cc == CURLE_FAILED_INIT ||
		    (connect && attempt >= MAX_CONNECT_ATTEMPTS))
			return FAIL;
		if (req->once && !connect) {
			free(e->message);
			if (asprintf(&e->message, "%s; the request may have been carried out, so it "
				     "was not sent again", curl_easy_strerror(cc)) < 0)
				e->message = NULL;
			e->outcome_unknown = true;
			return FAIL;
		}
		return RETRY;
	}
	if (r->status >= 200 && r->status < 300)
		return DONE;
	e->status = r->status;
	bool aws = aws_error_parse(r, e);
	if (!aws) {
		const char *ct = tf_http_response_header(r, "Content-Type");
		if (asprintf(&e->message, "the endpoint answered HTTP %ld with %s, not an AWS API error; "
			     "check the endpoint URL", r->status, ct && *ct ? ct : "no content type") < 0)
			e->message = NULL;
		return FAIL;
	}
	e->throttled = aws_is_throttling_code(e->code);
	if (attempt >= max_attempts)
		return FAIL;
	if (e->throttled || transient_code(e->code) || r->status == 500 || r->status == 502 ||
	    r->status == 503 || r->status == 504)
		return RETRY;
	return FAIL;
}

static double jitter(void)
{
	unsigned int x = 0;
	if (RAND_bytes((unsigned char *)&x, sizeof(x)) != 1)
		x = (unsigned int)rand();
	return (double)x / 4294967296.0;
}

/* Full jitter: random in [0, min(2^(attempt-1), MAX_BACKOFF)) seconds. */
static double backoff(int attempt)
{
	double cap = (double)(1u << (attempt - 1 > 30 ? 30 : attempt - 1));
	return jitter() * (cap < MAX_BACKOFF ? cap : MAX_BACKOFF);
}

static void log_retry(const struct aws_request *req, const struct aws_error *e, int attempt,
		      double delay)
{
	char n[16], d[32];
	if (!tf_log_enabled(TF_LOG_DEBUG))
		return;
	snprintf(n, sizeof(n), "%d", attempt);
	snprintf(d, sizeof(d), "%.3f", delay);
	tf_log(TF_LOG_DEBUG, "retrying AWS request", "operation", req->operation, "attempt", n,
	       "delay_seconds", d, "error_code", e->code, "error", e->message, NULL);
}

int aws_call(const struct aws_config *cfg, const struct aws_creds *creds,
	     const atomic_bool *stopping, const struct aws_request *req,
	     struct aws_response *resp, struct aws_error *err)
{
	struct aws_limiters *lim = cfg->client->limiters;
	int max = cfg->max_attempts > 0 ? cfg->max_attempts : 1;
	memset(resp, 0, sizeof(*resp));
	memset(err, 0, sizeof(*err));
	for (int attempt = 1;; attempt++) {
		struct attempt a = { 0 };
		struct tf_http_response r = { 0 };
		enum verdict v;
		aws_error_release(err);
		err->attempts = attempt;
		if (aws_limiter_acquire(lim, req->operation, stopping) < 0) {
			err->cancelled = true;
			err->message = strdup("the request was cancelled (Terraform is stopping)");
			return -1;
		}
		double sent = aws_now();
		if (prepare(&a, req, creds) < 0) {
			attempt_release(&a);
			err->message = strdup("cannot build or sign the request (out of memory or malformed)");
			return -1;
		}
		v = judge(send_once(cfg, stopping, req, &a, &r), &r, err, req, attempt, max);
		attempt_release(&a);
		aws_limiter_update(lim, req->operation, v != DONE && err->throttled, sent);
		if (v == DONE) {
			resp->status = r.status;
			resp->body = r.body;
			r.body = (struct tf_bytes){ 0 };
			tf_http_response_release(&r);
			err->attempts = attempt;
			return 0;
		}
		tf_http_response_release(&r);
		if (v == FAIL || attempt >= max)
			return -1;
		/*
		 * A throttled request whose operation the limiter now paces goes
		 * straight back to the limiter's queue: the rate the throttle just
		 * cut is its back-off.  A jittered exponential sleep on top would
		 * idle the quota while it lasts and, at the end of a batch, leave
		 * the last requests sleeping after the others are done.
		 */
		bool paced = err->throttled && aws_limiter_rate(lim, req->operation) > 0;
		double delay = paced ? 0 : backoff(attempt);
		log_retry(req, err, attempt, delay);
		if (aws_sleep(delay, stopping) < 0) {
			err->cancelled = true;
			return -1;
		}
	}
}

void aws_error_diag(struct tf_diags *d, const char *attr, const struct aws_request *req,
		    const struct aws_error *e)
{
	char status[32] = "";
	if (e->status)
		snprintf(status, sizeof(status), "HTTP %ld, ", e->status);
	tf_diag_error_at(d, attr, e->cancelled ? "AWS request cancelled" : "AWS API error",
			 "%s %s failed after %d attempt%s: %s%s%s%s (request id %s).", req->service,
			 req->operation, e->attempts, e->attempts == 1 ? "" : "s", status,
			 e->code ? e->code : "", e->code ? ": " : "",
			 e->message ? e->message : "no message",
			 e->request_id ? e->request_id : "none");
}

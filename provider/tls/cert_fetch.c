/*
 * cert_fetch.c - the certificates a TLS server presents, for
 * tls_certificate's url.
 *
 * libcurl connects (CONNECT_ONLY: a TLS handshake and no HTTP request),
 * through a proxy for https:// (the provider's proxy block, else the
 * environment by Go's rules) and directly for tls://; the peer chain is
 * is what libcurl records of the handshake (CURLINFO_CERTINFO).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "curl.h"
#include "tls.h"

bool tls_url_check(struct tf_ctx *c, const struct tf_path *attr, const char *url,
		   const char *const *schemes)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	bool ok = false;
	if (!u) {
		tf_diag_add(c->diags, TF_ERROR, attr, "Out of memory", "Cannot parse the URL.");
		return false;
	}
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
		tf_diag_add(c->diags, TF_ERROR, attr, "Invalid URL",
			    "\"%s\" is not a URL of the form scheme://host[:port].", url);
	} else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host ||
		   strncmp(url + strlen(scheme), "://", 3) != 0 || url[strlen(scheme) + 3] == '/') {
		tf_diag_add(c->diags, TF_ERROR, attr, "Invalid URL", "URL \"%s\" has no host.", url);
	} else {
		for (const char *const *s = schemes; *s && !ok; s++)
			ok = strcmp(scheme, *s) == 0;
		if (!ok) {
			char list[128] = "";
			for (const char *const *s = schemes; *s; s++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
					 s == schemes ? "" : ", ", *s);
			tf_diag_add(c->diags, TF_ERROR, attr, "Invalid URL scheme",
				    "URL \"%s\" uses scheme \"%s\"; accepted schemes: %s.", url, scheme,
				    list);
		}
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

/* https://host:port for a tls:// or https:// URL (nothing else of it
 * matters for a handshake); NULL when it does not parse. */
static char *handshake_url(const char *url, bool *tls_scheme)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *out = NULL, *s = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_SCHEME, "https", 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_PATH, "/", 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_QUERY, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK) {
		*tls_scheme = strcmp(scheme, "tls") == 0;
		out = strdup(s);
	}
	curl_free(s);
	curl_free(scheme);
	curl_url_cleanup(u);
	return out;
}

/* libcurl resolves names itself for socks5://; Go's SOCKS5 dialer lets
 * the proxy resolve them, which is socks5h:// in libcurl's terms. */
static int set_proxy_url(CURL *h, const char *proxy)
{
	if (proxy && strncmp(proxy, "socks5://", 9) == 0) {
		size_t len = strlen(proxy) + 2;
		char *p = malloc(len);
		if (!p)
			return -1;
		snprintf(p, len, "socks5h://%s", proxy + 9);
		CURLcode rc = curl_easy_setopt(h, CURLOPT_PROXY, p);
		free(p);
		return rc == CURLE_OK ? 0 : -1;
	}
	return curl_easy_setopt(h, CURLOPT_PROXY, proxy ? proxy : "") == CURLE_OK ? 0 : -1;
}

/* The proxy for an https:// handshake: the block's url, else (from_env)
 * the environment by Go's rules, else none. */
static int set_proxy(CURL *h, const char *url, const struct tls_meta *m)
{
	int rc = 0;
	curl_easy_setopt(h, CURLOPT_NOPROXY, "");
	if (m && m->proxy_url) {
		rc = set_proxy_url(h, m->proxy_url);
		if (rc == 0 && m->proxy_username) {
			rc |= curl_easy_setopt(h, CURLOPT_PROXYUSERNAME, m->proxy_username) != CURLE_OK;
			rc |= curl_easy_setopt(h, CURLOPT_PROXYPASSWORD,
					       m->proxy_password ? m->proxy_password : "") != CURLE_OK;
		}
		return rc ? -1 : 0;
	}
	if (m && !m->proxy_from_env)
		return set_proxy_url(h, NULL);
	struct tf_proxy_env env;
	bool err;
	tf_proxy_env_read(&env);
	char *proxy = tf_proxy_for_url(&env, url, &err);
	rc = err ? -1 : set_proxy_url(h, proxy);
	free(proxy);
	return rc;
}

/* Go reads SSL_CERT_FILE and SSL_CERT_DIR for its system roots; libcurl
 * would use its built-in bundle instead. */
static void set_roots_from_env(CURL *h)
{
	const char *file = getenv("SSL_CERT_FILE"), *dir = getenv("SSL_CERT_DIR");
	if (file && *file)
		curl_easy_setopt(h, CURLOPT_CAINFO, file);
	if (dir && *dir)
		curl_easy_setopt(h, CURLOPT_CAPATH, dir);
}

/* The chain libcurl kept (CURLOPT_CERTINFO: SSL_get_peer_cert_chain's
 * order, each certificate as PEM under "Cert:"). */
static STACK_OF(X509) *peer_chain(CURL *h)
{
	struct curl_certinfo *info = NULL;
	if (curl_easy_getinfo(h, CURLINFO_CERTINFO, &info) != CURLE_OK || !info)
		return NULL;
	STACK_OF(X509) *out = sk_X509_new_null();
	for (int i = 0; out && i < info->num_of_certs; i++) {
		const struct curl_slist *f = info->certinfo[i];
		while (f && strncmp(f->data, "Cert:", 5) != 0)
			f = f->next;
		BIO *b = f ? BIO_new_mem_buf(f->data + 5, -1) : NULL;
		X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
		BIO_free(b);
		if (!x || !sk_X509_push(out, x)) {
			X509_free(x);
			sk_X509_pop_free(out, X509_free);
			out = NULL;
		}
	}
	ERR_clear_error();
	return out;
}

STACK_OF(X509) *tls_fetch_peer_chain(const struct tls_fetch *f, char *err, size_t errlen)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	bool tls_scheme = false;
	char *url = handshake_url(f->url, &tls_scheme);
	CURL *h = url ? tf_curl_new() : NULL;
	STACK_OF(X509) *chain = NULL;
	snprintf(err, errlen, "%s", url ? "out of memory" : "the URL does not parse");
	if (!h) {
		free(url);
		return NULL;
	}
	int rc = 0;
	rc |= curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK;
	rc |= curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK;
	rc |= curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L) != CURLE_OK;
	rc |= curl_easy_setopt(h, CURLOPT_CERTINFO, 1L) != CURLE_OK;
	rc |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, f->verify ? 1L : 0L) != CURLE_OK;
	rc |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, f->verify ? 2L : 0L) != CURLE_OK;
	rc |= curl_easy_setopt(h, CURLOPT_PROXY_SSL_VERIFYPEER, f->verify ? 1L : 0L) != CURLE_OK;
	rc |= curl_easy_setopt(h, CURLOPT_PROXY_SSL_VERIFYHOST, f->verify ? 2L : 0L) != CURLE_OK;
	rc |= curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, f->timeout_ms) != CURLE_OK;
	rc |= curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, f->timeout_ms) != CURLE_OK;
	set_roots_from_env(h);
	if (tls_scheme) {
		/* a bare TLS connection, as Go's tls.Dial: no proxy, no ALPN */
		rc |= curl_easy_setopt(h, CURLOPT_SSL_ENABLE_ALPN, 0L) != CURLE_OK;
		rc |= set_proxy_url(h, NULL);
		rc |= curl_easy_setopt(h, CURLOPT_NOPROXY, "*") != CURLE_OK;
	} else {
		rc |= set_proxy(h, url, f->meta);
	}
	if (rc) {
		snprintf(err, errlen, "cannot set up the connection (bad proxy settings?)");
	} else {
		CURLcode res = tf_curl_perform(h, f->stopping);
		if (res == CURLE_ABORTED_BY_CALLBACK)
			snprintf(err, errlen, "the provider is stopping");
		else if (res != CURLE_OK)
			snprintf(err, errlen, "%s", errbuf[0] ? errbuf : curl_easy_strerror(res));
		else if (!(chain = peer_chain(h)) || sk_X509_num(chain) == 0)
			snprintf(err, errlen, "the server presented no certificate");
	}
	if (chain && sk_X509_num(chain) == 0) {
		sk_X509_free(chain);
		chain = NULL;
	}
	curl_easy_cleanup(h);
	free(url);
	return chain;
}

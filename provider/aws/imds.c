/*
 * imds.c - container and instance metadata credentials (see imds.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "creds.h"
#include "curl.h"
#include "imds.h"

#define CONTAINER_HOST "http://169.254.170.2"
#define IMDS_V4 "http://169.254.169.254"
#define IMDS_V6 "http://[fd00:ec2::254]"
#define MAX_ANSWER ((size_t)64 << 10)

/* One small HTTP exchange; 0 with the answer in *r, 1 when nothing answered. */
static int fetch(struct tf_ctx *c, const char *method, const char *url, const char *hname,
		 const char *hvalue, struct tf_http_response *r)
{
	CURL *h = tf_curl_new();
	struct curl_slist *hs = NULL;
	char *line = NULL;
	CURLcode cc = CURLE_OUT_OF_MEMORY;
	memset(r, 0, sizeof(*r));
	r->max_body = MAX_ANSWER;
	if (hname && asprintf(&line, "%s: %s", hname, hvalue) < 0)
		line = NULL;
	if (h && (!hname || (line && (hs = curl_slist_append(NULL, line)) != NULL))) {
		tf_http_response_capture(h, r);
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hs);
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 1000L);
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
		curl_easy_setopt(h, CURLOPT_PROXY, "");
		cc = tf_curl_perform(h, c->stopping);
		if (cc == CURLE_OK)
			curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	}
	if (line) {
		OPENSSL_cleanse(line, strlen(line));
		free(line);
	}
	curl_slist_free_all(hs);
	if (h)
		curl_easy_cleanup(h);
	return cc == CURLE_OK ? 0 : 1;
}

static void wipe_release(struct tf_http_response *r)
{
	if (r->body.data)
		OPENSSL_cleanse(r->body.data, r->body.len);
	tf_http_response_release(r);
}

/* Credentials from a JSON answer; -1 with a diagnostic naming `what`. */
static int creds_from_answer(struct tf_ctx *c, const char *what, struct tf_http_response *r,
			     struct aws_creds *out)
{
	const char *why = "empty answer";
	if (r->status != 200 || !r->body.data ||
	    aws_creds_from_json((const char *)r->body.data, r->body.len, out, &why) < 0) {
		tf_diag_error_at(c->diags, NULL, "Invalid credentials answer",
				 "The %s answered HTTP %ld without usable credentials (%s).", what,
				 r->status, r->status == 200 ? why : "not 200");
		wipe_release(r);
		return -1;
	}
	wipe_release(r);
	out->source = what;
	return 0;
}

static char *read_token_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[8192];
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = 0;
	buf[strcspn(buf, "\r\n")] = 0;
	char *s = f ? strdup(buf) : NULL;
	OPENSSL_cleanse(buf, sizeof(buf));
	return s;
}

int aws_creds_from_container(struct tf_ctx *c, struct aws_creds *out)
{
	const char *rel = aws_getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = aws_getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char *tfile = aws_getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *tenv = aws_getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	char *url = NULL, *token = NULL;
	struct tf_http_response r;
	if (!rel && !full)
		return 1;
	if (rel ? asprintf(&url, "%s%s", CONTAINER_HOST, rel) < 0 : !(url = strdup(full)))
		url = NULL;
	if (tfile)
		token = read_token_file(tfile);
	else if (tenv)
		token = strdup(tenv);
	int rc = url ? fetch(c, "GET", url, token ? "Authorization" : NULL, token, &r) : 1;
	free(url);
	aws_free_secret(token);
	if (rc != 0) {
		tf_diag_error_at(c->diags, NULL, "Container credentials unavailable",
				 "The container credentials endpoint did not answer.");
		return -1;
	}
	return creds_from_answer(c, "container credentials endpoint", &r, out);
}

/* IMDSv2: a session token, the role name, then the role's credentials. */
int aws_creds_from_imds(struct tf_ctx *c, const char *endpoint, bool ipv6, struct aws_creds *out)
{
	const char *env = aws_getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	const char *base = endpoint ? endpoint : env ? env : ipv6 ? IMDS_V6 : IMDS_V4;
	size_t blen = strlen(base);
	char *url = NULL, *token = NULL, *role = NULL;
	struct tf_http_response r;
	int rc = 1;
	while (blen && base[blen - 1] == '/')
		blen--;
	if (asprintf(&url, "%.*s/latest/api/token", (int)blen, base) >= 0 &&
	    fetch(c, "PUT", url, "X-aws-ec2-metadata-token-ttl-seconds", "21600", &r) == 0) {
		if (r.status == 200 && r.body.data)
			token = strndup((const char *)r.body.data, r.body.len);
		wipe_release(&r);
	}
	free(url);
	url = NULL;
	if (token && asprintf(&url, "%.*s/latest/meta-data/iam/security-credentials/", (int)blen,
			      base) >= 0 &&
	    fetch(c, "GET", url, "X-aws-ec2-metadata-token", token, &r) == 0) {
		if (r.status == 200 && r.body.data)
			role = strndup((const char *)r.body.data, strcspn((char *)r.body.data, "\r\n"));
		tf_http_response_release(&r);
	}
	free(url);
	url = NULL;
	if (role && *role && !strchr(role, '/') &&
	    asprintf(&url, "%.*s/latest/meta-data/iam/security-credentials/%s", (int)blen, base,
		     role) >= 0 &&
	    fetch(c, "GET", url, "X-aws-ec2-metadata-token", token, &r) == 0)
		rc = creds_from_answer(c, "EC2 instance metadata service", &r, out);
	free(url);
	free(role);
	aws_free_secret(token);
	return rc;
}

/*
 * client.h - calls to AWS APIs: SigV4 signing, libcurl transport, retries
 * and client-side rate limiting.
 *
 * One struct aws_client per configured provider, shared by every thread:
 * connections are reused through a curl share handle (CURL_LOCK_DATA_CONNECT,
 * DNS and TLS sessions too) and each operation has its own adaptive rate
 * limiter.  A call retries up to max_attempts attempts after throttling
 * errors (which arrive as HTTP 400 with a throttling code), HTTP
 * 500/502/503/504 and transport errors (for a request marked `once`, only
 * those before the connection was made).  A throttled request waits in its
 * operation's limiter, which the throttle slowed; the others wait a
 * full-jitter exponential backoff (random up to 2^n seconds, capped at
 * 20 s), as in the SDKs' standard mode.  An answer
 * that is not from an AWS API (HTML, or an error with neither a request id
 * nor an AWS error code) is never retried.  StopProvider (`stopping`) ends
 * requests in flight and backoff sleeps at once.
 */
#ifndef THINGFORM_AWS_CLIENT_H
#define THINGFORM_AWS_CLIENT_H

#include <stdatomic.h>
#include <stdbool.h>

#include "aws.h"
#include "codec.h"
#include "sigv4.h"

struct aws_client *aws_client_new(void);
void aws_client_free(struct aws_client *cl);

struct aws_request {
	const char *operation;     /* "DescribeEndpoint": messages, rate limiting */
	const char *service;       /* signing name: "iot", "sts" */
	const char *region;        /* signing region */
	const char *endpoint;      /* base URL, "https://iot.us-east-1.amazonaws.com" */
	const char *method;
	const char *path;          /* percent-encoded, from the root */
	const char *query;         /* percent-encoded, or NULL */
	const char *content_type;  /* with a body */
	const void *body;
	size_t body_len;
	/* More headers to send and sign ("x-amzn-principal"); at most
	 * AWS_MAX_EXTRA_HEADERS. */
	const struct aws_sigv4_header *headers;
	size_t n_headers;
	bool unsigned_request;     /* STS AssumeRoleWithWebIdentity */
	/* Not idempotent (CreateKeysAndCertificate): a transport failure after
	 * the connection was made is not retried, as the request may have been
	 * carried out and a second one would make a second object. */
	bool once;
};
#define AWS_MAX_EXTRA_HEADERS 4

struct aws_response {
	long status;
	struct tf_bytes body;
};

struct aws_error {
	long status;        /* 0: no HTTP answer */
	char *code;         /* AWS error code, or NULL */
	char *message;
	char *request_id;
	char *resource_id;  /* the resourceId an error answer names (IoT's
			     * ResourceAlreadyExistsException), or NULL */
	bool throttled;
	bool cancelled;     /* StopProvider */
	bool outcome_unknown; /* the request may have been carried out, but no
			       * readable answer came (and it was not retried) */
	int attempts;
};

/*
 * Performs the request.  0: a 2xx answer in *resp (release it).  -1: *err
 * says why (release it); resp is empty.
 */
int aws_call(const struct aws_config *cfg, const struct aws_creds *creds,
	     const atomic_bool *stopping, const struct aws_request *req,
	     struct aws_response *resp, struct aws_error *err);
void aws_response_release(struct aws_response *r);
void aws_error_release(struct aws_error *e);

/* Adds an error diagnostic naming the operation, the AWS error code, the
 * message and the request id. */
void aws_error_diag(struct tf_diags *d, const char *attr, const struct aws_request *req,
		    const struct aws_error *e);

/* True for the error codes the SDKs count as throttling. */
bool aws_is_throttling_code(const char *code);

/* Fills code, message and request_id of `e` from an error answer (JSON
 * `__type`/`code`/`message`, XML <Code>/<Message>/<RequestId>, the
 * x-amzn-ErrorType header); false when it does not look like AWS's. */
struct tf_http_response;
bool aws_error_parse(const struct tf_http_response *r, struct aws_error *e);

#endif

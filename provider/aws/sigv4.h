/*
 * sigv4.h - AWS Signature Version 4, written on OpenSSL.
 *
 * libcurl 7.88's built-in signer encodes IoT paths and queries wrongly, so
 * we sign ourselves.  The caller builds the request as it will go on the
 * wire (path and query already percent-encoded) and gets back the values of
 * the X-Amz-Date and Authorization headers to send with it (and sends
 * X-Amz-Security-Token itself when the credentials have a session token).
 *
 * Canonical form, as the AWS services check it:
 *   - URI: the wire path (dot segments and repeated slashes removed when
 *     `normalize`), percent-encoded once more when `double_encode` (every
 *     service but S3): everything but A-Z a-z 0-9 - . _ ~ and '/';
 *   - query: each name and value decoded and re-encoded the same way
 *     (space as %20), sorted by name then value, a valueless key as "key=";
 *   - headers: every header given plus x-amz-date (and x-amz-security-token
 *     with a session token) unless given; names lower-cased, values trimmed
 *     with inner runs of spaces collapsed, repeated names joined with ','
 *     in the order given, sorted by name.
 *
 * Secrets: the secret key and the derived keys live only on the stack and
 * are wiped (OPENSSL_cleanse) before returning.
 */
#ifndef THINGFORM_AWS_SIGV4_H
#define THINGFORM_AWS_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct aws_sigv4_header {
	const char *name;
	const char *value;
};

/* Borrowed strings; `session_token` NULL or "" when the keys are long-term. */
struct aws_sigv4_creds {
	const char *access_key;
	const char *secret_key;
	const char *session_token;
};

struct aws_sigv4_request {
	const char *method;                       /* "GET" */
	const char *path;                         /* as on the wire; "" signs as "/" */
	const char *query;                        /* as on the wire, no '?'; NULL or "" */
	const struct aws_sigv4_header *headers;   /* all to be signed, host included */
	size_t n_headers;
	const void *body;
	size_t body_len;
	const char *region;
	const char *service;                      /* "iot", "sts" */
	time_t when;
	bool double_encode;                       /* true for all but S3 */
	bool normalize;                           /* remove dot segments, "//" */
};

struct aws_sigv4_result {
	char amz_date[17];         /* YYYYMMDDTHHMMSSZ: send as X-Amz-Date */
	char *authorization;       /* malloc'd Authorization header value */
	char *canonical_request;   /* malloc'd, for tests and trace logs */
	char *string_to_sign;      /* malloc'd */
};

/* 0, or -1 when memory runs out or the request is malformed (a bad %XX
 * escape in the query, a header name with a control character, ...). */
int aws_sigv4_sign(const struct aws_sigv4_request *r, const struct aws_sigv4_creds *creds,
		   struct aws_sigv4_result *out);
void aws_sigv4_result_release(struct aws_sigv4_result *out);

/*
 * Percent-encodes s[0..len) the SigV4 way (unreserved characters kept,
 * uppercase hex) and appends it to `out` (a tf_bytes); '/' is kept too when
 * `keep_slash`.  Also used to build request paths and queries.
 */
struct tf_bytes;
int aws_uri_encode(struct tf_bytes *out, const char *s, size_t len, bool keep_slash);

/* Lower-case hex of SHA-256(data); `hex` has room for 65 bytes. */
void aws_sha256_hex(const void *data, size_t len, char hex[65]);

#endif

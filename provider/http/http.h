/*
 * http.h - the http provider's data source, and the pieces of its HTTP
 * behaviour that are pure functions (exposed for the unit tests).
 *
 * Every function returning char * returns a new malloc'd string (NULL only
 * when memory runs out) that the caller frees.
 */
#ifndef THINGFORM_HTTP_H
#define THINGFORM_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "provider.h"

extern const struct tf_data_source http_data_source;

/* Go's textproto.CanonicalMIMEHeaderKey: "content-type" -> "Content-Type";
 * a name that is not an HTTP token is returned unchanged. */
char *http_canonical_header(const char *name, size_t len);
/* An HTTP token (RFC 9110 field name), non-empty. */
bool http_header_name_valid(const char *name);
/* No CR, LF or NUL: nothing that could end the header early. */
bool http_header_value_valid(const char *value, size_t len);

/* True when the URL's scheme is http or https (any case).  The scheme
 * found ("" when none) is copied into scheme[0..size). */
bool http_url_scheme_supported(const char *url, char *scheme, size_t size);
/* The URL with the password of its userinfo replaced by "xxxxx", as
 * go-retryablehttp shows it in errors. */
char *http_redact_url(const char *url);

/* A Retry-After value (whole seconds, or an RFC 1123 date compared with
 * `now`) as a delay in milliseconds; false when it is neither. */
bool http_parse_retry_after(const char *value, time_t now, int64_t *delay_ms);
/* go-retryablehttp's default backoff: min * 2^attempt, at most max. */
int64_t http_backoff_ms(int64_t min_ms, int64_t max_ms, int64_t attempt);
/* Go's time.Duration text for whole milliseconds: "5ms", "1.5s", "1m0s". */
char *http_duration_text(int64_t ms);

/* Valid UTF-8 with each byte that does not start a well-formed sequence
 * replaced by U+FFFD; its length in *out_len. */
char *http_utf8_repair(const char *s, size_t len, size_t *out_len);

#endif

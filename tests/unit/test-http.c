/* test-http.c - the http data source's pure logic: header names, URLs,
 * Retry-After, backoff, durations, UTF-8 repair; and its extra checks on
 * a configuration. */
#include "test.h"

#include <stdlib.h>

#include "provider/http/http.h"

/* Compares a returned string with the expected one and frees it; 1 (after
 * recording the failure) when they differ. */
static int expect_string(char *got, const char *want, const char *input)
{
	bool same = got && !strcmp(got, want);
	if (!same)
		test_failed(__FILE__, __LINE__, "for %s: \"%s\" != \"%s\"", input,
			    got ? got : "(null)", want);
	free(got);
	return !same;
}

TEST_IMPL(http_canonical_header)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "content-type", "Content-Type" }, { "X-DOUBLE", "X-Double" },
		{ "x-a-b", "X-A-B" },               { "host", "Host" },
		{ "ETAG", "Etag" },                 { "www-authenticate", "Www-Authenticate" },
		{ "-x", "-X" },                     { "x_y", "X_y" },
		{ "bad name", "bad name" },         { "", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (expect_string(http_canonical_header(cases[i].in, strlen(cases[i].in)),
				  cases[i].want, cases[i].in))
			return 1;
	ASSERT(http_header_name_valid("X-Custom_1.a"));
	ASSERT(!http_header_name_valid(""));
	ASSERT(!http_header_name_valid("a b"));
	ASSERT(!http_header_name_valid("a:b"));
	ASSERT(http_header_value_valid("a, b; q=1", 9));
	ASSERT(!http_header_value_valid("a\r\nX: y", 7));
	ASSERT(!http_header_value_valid("a\0b", 3));
	return 0;
}

TEST_IMPL(http_url_scheme_and_redaction)
{
	static const struct { const char *url, *scheme; bool ok; } schemes[] = {
		{ "http://example.com", "http", true },   { "HTTPS://example.com/", "HTTPS", true },
		{ "ftp://example.com", "ftp", false },    { "example.com/x", "", false },
		{ "file:///etc/passwd", "file", false },  { "httpx://a", "httpx", false },
		{ "1http://a", "", false },               { "", "", false },
	};
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		char scheme[16];
		ASSERT_INT_EQ(http_url_scheme_supported(schemes[i].url, scheme, sizeof(scheme)),
			      schemes[i].ok);
		ASSERT_STR_EQ(scheme, schemes[i].scheme);
	}
	static const struct { const char *in, *want; } urls[] = {
		{ "https://user:secret@host/p?q=1", "https://user:xxxxx@host/p?q=1" },
		{ "https://user@host/p", "https://user@host/p" },
		{ "https://host/a@b:c", "https://host/a@b:c" },
		{ "http://u:p@ss@host:8/", "http://u:xxxxx@host:8/" },
		{ "http://host/?x=a:b@c", "http://host/?x=a:b@c" },
		{ "not a url", "not a url" },
	};
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++)
		if (expect_string(http_redact_url(urls[i].in), urls[i].want, urls[i].in))
			return 1;
	return 0;
}

TEST_IMPL(http_retry_after_and_backoff)
{
	const time_t now = 784111777; /* Sun, 06 Nov 1994 08:49:37 GMT */
	static const struct { const char *in; bool ok; int64_t ms; } cases[] = {
		{ "0", true, 0 },
		{ "2", true, 2000 },
		{ "+3", true, 3000 },
		{ "-1", false, 0 },
		{ "1.5", false, 0 },
		{ "", false, 0 },
		{ " 2", false, 0 },
		{ "soon", false, 0 },
		{ "Sun, 06 Nov 1994 08:49:47 GMT", true, 10000 },
		{ "Sun, 06 Nov 1994 08:49:27 GMT", true, 0 },      /* in the past */
		{ "Sun, 06 Nov 1994 08:49:47", false, 0 },         /* no zone */
		{ "Sunday, 06-Nov-94 08:49:37 GMT", false, 0 },    /* RFC 850: Go refuses it too */
		{ "99999999999999999999", false, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t ms = -1;
		bool ok = http_parse_retry_after(cases[i].in, now, &ms);
		if (ok != cases[i].ok || (ok && ms != cases[i].ms))
			TEST_FAIL_("Retry-After \"%s\": got %d, %lld", cases[i].in, ok, (long long)ms);
	}
	ASSERT_INT_EQ(http_backoff_ms(1000, 30000, 0), 1000);
	ASSERT_INT_EQ(http_backoff_ms(1000, 30000, 1), 2000);
	ASSERT_INT_EQ(http_backoff_ms(1000, 30000, 4), 16000);
	ASSERT_INT_EQ(http_backoff_ms(1000, 30000, 5), 30000);
	ASSERT_INT_EQ(http_backoff_ms(1000, 30000, 1000000), 30000);
	ASSERT_INT_EQ(http_backoff_ms(0, 30000, 7), 0);
	ASSERT_INT_EQ(http_backoff_ms(INT64_MAX / 2 + 1, INT64_MAX, 3), INT64_MAX);
	ASSERT_INT_EQ(http_backoff_ms(50, 20, 0), 20);
	return 0;
}

TEST_IMPL(http_duration_text)
{
	static const struct { int64_t ms; const char *want; } cases[] = {
		{ 1, "1ms" },        { 5, "5ms" },           { 999, "999ms" },  { 1000, "1s" },
		{ 1500, "1.5s" },    { 1050, "1.05s" },      { 1001, "1.001s" }, { 60000, "1m0s" },
		{ 61500, "1m1.5s" }, { 3600000, "1h0m0s" }, { 3723004, "1h2m3.004s" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (expect_string(http_duration_text(cases[i].ms), cases[i].want, "a duration"))
			return 1;
	return 0;
}

TEST_IMPL(http_utf8_repair)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "plain", "plain" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "\xff", "\xef\xbf\xbd" },
		{ "a\x80\x80z", "a\xef\xbf\xbd\xef\xbf\xbdz" },
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },              /* overlong */
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* surrogate */
		{ "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xf0\x9f\x98\x80!", "\xf0\x9f\x98\x80!" },
		{ "\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd" },              /* truncated */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		char *got = http_utf8_repair(cases[i].in, strlen(cases[i].in), &len);
		ASSERT_NOT_NULL(got);
		ASSERT_MEM_EQ(got, len, cases[i].want, strlen(cases[i].want));
		free(got);
	}
	size_t len;
	char *nul = http_utf8_repair("a\0b", 3, &len);
	ASSERT_MEM_EQ(nul, len, "a\0b", 3);
	free(nul);
	return 0;
}

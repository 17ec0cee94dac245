/*
 * test.h - a tiny table-driven unit test harness (after libuv's test/).
 *
 * A test is `TEST_IMPL(name) { ...; return 0; }`, listed once in
 * test-list.h.  The ASSERT macros record "file:line: what failed" and
 * return from the test; the runner prints `ok name` or `FAIL name: reason`.
 * A failing test may leak what it allocated before the failed assert.
 */
#ifndef THINGFORM_TEST_H
#define THINGFORM_TEST_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define TEST_IMPL(name) int run_test_##name(void)
#define TEST_DECLARE(name) int run_test_##name(void);

/* Records the first failure of the running test (printf-style). */
void test_failed(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define TEST_FAIL_(...)                                       \
	do {                                                  \
		test_failed(__FILE__, __LINE__, __VA_ARGS__); \
		return 1;                                     \
	} while (0)

#define ASSERT(expr)                                  \
	do {                                          \
		if (!(expr))                          \
			TEST_FAIL_("ASSERT(%s)", #expr); \
	} while (0)

#define ASSERT_NULL(expr) ASSERT((expr) == NULL)
#define ASSERT_NOT_NULL(expr) ASSERT((expr) != NULL)

#define ASSERT_INT_EQ(a, b)                                                          \
	do {                                                                         \
		long long a_ = (long long)(a), b_ = (long long)(b);                  \
		if (a_ != b_)                                                        \
			TEST_FAIL_("ASSERT_INT_EQ(%s, %s): %lld != %lld", #a, #b, a_, b_); \
	} while (0)

#define ASSERT_STR_EQ(a, b)                                                          \
	do {                                                                         \
		const char *a_ = (a), *b_ = (b);                                     \
		if (!a_ || !b_ || strcmp(a_, b_))                                    \
			TEST_FAIL_("ASSERT_STR_EQ(%s, %s): \"%s\" != \"%s\"", #a, #b, \
				   a_ ? a_ : "(null)", b_ ? b_ : "(null)");          \
	} while (0)

/* Compares bytes; on failure both sides are shown in hex. */
#define ASSERT_MEM_EQ(a, alen, b, blen)                                              \
	do {                                                                         \
		char ah_[512], bh_[512];                                             \
		if ((alen) != (blen) || memcmp((a), (b), (alen)))                    \
			TEST_FAIL_("ASSERT_MEM_EQ(%s, %s): %s != %s", #a, #b,         \
				   test_hex((a), (alen), ah_, sizeof(ah_)),          \
				   test_hex((b), (blen), bh_, sizeof(bh_)));         \
	} while (0)

/* Hex dump of p[0..len) into buf ("a1 78"), truncated to fit. */
const char *test_hex(const void *p, size_t len, char *buf, size_t size);
/* Parses "a1 78" (spaces ignored) into out; returns the byte count. */
size_t test_unhex(const char *hex, unsigned char *out, size_t size);

/* The number of elements of an array. */
#define N_(a) (sizeof(a) / sizeof((a)[0]))

/* Fails the test with the message when a checker (below) returns one. */
#define CHECK(expr)                                  \
	do {                                         \
		const char *e_ = (expr);             \
		if (e_)                              \
			TEST_FAIL_("%s", e_);        \
	} while (0)

/* Checkers return NULL when all is well, or a message; test_why formats
 * that message into a buffer shared by all tests (valid until the next call). */
const char *test_why(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct tf_type;
struct tf_diags;
/* A type from its JSON expression (NULL if it does not parse). */
struct tf_type *test_type(const char *json);
/* NULL when the first diagnostic is an error at `path` whose detail holds
 * `needle`; otherwise what is wrong. */
const char *test_diag_at(const struct tf_diags *d, const char *path, const char *needle);

/* A decoder of the codec under test (tf_msgpack_decode's shape). */
typedef struct tf_value *test_decode_fn(const void *buf, size_t len, const struct tf_type *type,
					struct tf_diags *d);
/* NULL when decoding buf as type_json fails with the first error at `path`
 * holding `needle` (and, if `summary` is given, that summary). */
const char *test_decode_fails(test_decode_fn *decode, const char *type_json, const void *buf,
			      size_t len, const char *path, const char *needle, const char *summary);

#endif

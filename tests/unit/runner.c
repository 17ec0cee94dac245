/*
 * runner.c - runs the unit tests in test-list.h, in this process, one after
 * the other: all of them, or those named on the command line.  Prints one
 * line per test and then "N passed, N failed"; exits 1 if any failed.
 */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>

#include "ossl.h"

#define TEST_ENTRY(name) TEST_DECLARE(name)
#include "test-list.h"
#undef TEST_ENTRY

struct test_entry {
	const char *name;
	int (*run)(void);
};

static const struct test_entry tests[] = {
#define TEST_ENTRY(name) { #name, run_test_##name },
#include "test-list.h"
#undef TEST_ENTRY
};

#define NTESTS (sizeof(tests) / sizeof(tests[0]))

static char failure[1024];

void test_failed(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (failure[0])
		return; /* keep the first */
	n = snprintf(failure, sizeof(failure), "%s:%d: ", file, line);
	if (n < 0 || (size_t)n >= sizeof(failure))
		return;
	va_start(ap, fmt);
	vsnprintf(failure + n, sizeof(failure) - (size_t)n, fmt, ap);
	va_end(ap);
}

const char *test_hex(const void *p, size_t len, char *buf, size_t size)
{
	const unsigned char *b = p;
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < len && at + 4 < size; i++)
		at += (size_t)snprintf(buf + at, size - at, i ? " %02x" : "%02x", b[i]);
	if (len && at + 4 >= size && size > 4)
		strcpy(buf + size - 4, "...");
	return buf;
}

size_t test_unhex(const char *hex, unsigned char *out, size_t size)
{
	size_t n = 0;
	unsigned v;

	while (*hex) {
		if (*hex == ' ') {
			hex++;
			continue;
		}
		if (n == size || sscanf(hex, "%2x", &v) != 1)
			break;
		out[n++] = (unsigned char)v;
		hex += 2;
	}
	return n;
}

static bool run_one(const struct test_entry *t)
{
	int rc;

	failure[0] = '\0';
	rc = t->run();
	if (rc == 0 && !failure[0]) {
		printf("ok %s\n", t->name);
	} else {
		printf("FAIL %s: %s\n", t->name, failure[0] ? failure : "returned non-zero");
	}
	fflush(stdout);
	return rc == 0 && !failure[0];
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	tf_ossl_init(); /* OpenSSL started as the providers start it */
	if (argc <= 1) {
		for (size_t i = 0; i < NTESTS; i++)
			run_one(&tests[i]) ? passed++ : failed++;
	}
	for (int a = 1; a < argc; a++) {
		size_t i;

		for (i = 0; i < NTESTS && strcmp(tests[i].name, argv[a]); i++)
			;
		if (i == NTESTS) {
			printf("FAIL %s: no such test\n", argv[a]);
			failed++;
			continue;
		}
		run_one(&tests[i]) ? passed++ : failed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

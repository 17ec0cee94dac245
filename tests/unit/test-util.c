/* test-util.c - checkers shared by the unit tests (see test.h). */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>

#include "diag.h"
#include "value.h"

static char why[1024];

const char *test_why(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return why;
}

struct tf_type *test_type(const char *json)
{
	return tf_type_from_json(json, strlen(json), NULL, 0);
}

const char *test_diag_at(const struct tf_diags *d, const char *path, const char *needle)
{
	if (d->n == 0 || !tf_diags_has_errors(d))
		return test_why("no error diagnostic");
	char *got = tf_path_to_string(&d->items[0].path);
	const char *err = NULL;
	if (!got || strcmp(got, path))
		err = test_why("error at \"%s\", want \"%s\" (%s)", got ? got : "?", path,
			       d->items[0].detail);
	else if (!strstr(d->items[0].detail, needle))
		err = test_why("detail \"%s\" lacks \"%s\"", d->items[0].detail, needle);
	free(got);
	return err;
}

const char *test_decode_fails(test_decode_fn *decode, const char *type_json, const void *buf,
			      size_t len, const char *path, const char *needle, const char *summary)
{
	struct tf_type *t = test_type(type_json);
	struct tf_diags d;
	const char *err;

	if (!t)
		return test_why("bad type %s", type_json);
	tf_diags_init(&d);
	struct tf_value *v = decode(buf, len, t, &d);
	if (v)
		err = test_why("decoding %.*s as %s should fail", (int)(len < 40 ? len : 40),
			       (const char *)buf, type_json);
	else if (!(err = test_diag_at(&d, path, needle)) && summary &&
		 strcmp(d.items[0].summary, summary))
		err = test_why("summary \"%s\", want \"%s\"", d.items[0].summary, summary);
	tf_value_free(v);
	tf_diags_release(&d);
	tf_type_free(t);
	return err;
}

/*
 * fuzz_msgpack.c - msgpack values (what Terraform sends) decoded along a
 * type.
 *
 * Input: a cty type as JSON ("string", ["object",{...}], ...), NUL, the
 * msgpack bytes.  The type's parser is fuzzed on the way.  What decodes
 * must encode again, and the encoding must decode to an equal value and
 * encode to the same bytes.
 */
#include <string.h>

#include "codec.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	if (!nul)
		return 0;
	char err[256];
	struct tf_type *t = tf_type_from_json((const char *)data, (size_t)(nul - data), err, sizeof(err));
	if (!t)
		return 0;
	const uint8_t *buf = nul + 1;
	size_t len = size - (size_t)(buf - data);

	struct tf_diags d;
	tf_diags_init(&d);
	struct tf_value *v = tf_msgpack_decode(buf, len, t, &d);
	FUZZ_CHECK(v || tf_diags_has_errors(&d));
	if (v) {
		struct tf_bytes once = { 0 }, twice = { 0 };
		FUZZ_CHECK(tf_msgpack_encode(v, t, &once, &d) == 0);
		struct tf_value *back = tf_msgpack_decode(once.data, once.len, t, &d);
		FUZZ_CHECK(back && tf_value_equal(v, back));
		FUZZ_CHECK(tf_msgpack_encode(back, t, &twice, &d) == 0);
		FUZZ_CHECK(once.len == twice.len && memcmp(once.data, twice.data, once.len) == 0);
		tf_value_free(back);
		tf_bytes_release(&once);
		tf_bytes_release(&twice);
	}
	tf_value_free(v);
	tf_diags_release(&d);
	tf_type_free(t);
	return 0;
}

/*
 * fuzz_json.c - JSON values (RawState in UpgradeResourceState) decoded
 * along a type.
 *
 * Input: a cty type as JSON, NUL, the JSON text of a value.  What decodes
 * (JSON holds no unknowns) must encode again, unless it holds an infinite
 * number (read from a string "Inf"), and the encoding must decode to an
 * equal value and encode to the same text.
 */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_parts p;
	fuzz_parts_split(&p, data, size, 2);
	char err[256];
	struct tf_type *t = tf_type_from_json(p.s[0], p.len[0], err, sizeof(err));
	if (!t) {
		fuzz_parts_release(&p);
		return 0;
	}
	struct tf_diags d;
	tf_diags_init(&d);
	struct tf_value *v = tf_json_decode(p.s[1], p.len[1], t, &d);
	FUZZ_CHECK(v || tf_diags_has_errors(&d));
	char *once = v ? tf_json_encode(v, t, &d) : NULL;
	/* A string may hold "Inf" for a number (as cty reads it); JSON cannot. */
	FUZZ_CHECK(!v || once || (d.n && strstr(d.items[d.n - 1].detail, "infinite")));
	if (once) {
		struct tf_value *back = tf_json_decode(once, strlen(once), t, &d);
		FUZZ_CHECK(back && tf_value_equal(v, back));
		char *twice = tf_json_encode(back, t, &d);
		FUZZ_CHECK(twice && strcmp(once, twice) == 0);
		free(once);
		free(twice);
		tf_value_free(back);
	}
	tf_value_free(v);
	tf_diags_release(&d);
	tf_type_free(t);
	fuzz_parts_release(&p);
	return 0;
}

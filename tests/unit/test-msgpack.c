/*
 * test-msgpack.c - the msgpack codec against hand-written bytes (the wire
 * format of reference/protocol.md §6 and go-cty), round trips, and hostile
 * input.
 */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>

#include "codec.h"

#define MAXBYTES 4096

/* The first diagnostic as "path: detail". */
static const char *first_diag(const struct tf_diags *d, char *buf, size_t size)
{
	char *path;

	if (d->n == 0)
		return "(no diagnostic)";
	path = tf_path_to_string(&d->items[0].path);
	snprintf(buf, size, "%s: %s", path ? path : "?", d->items[0].detail);
	free(path);
	return buf;
}

/* Encodes v as type; compares the bytes with want_hex. */
static const char *encodes_to(const struct tf_value *v, const char *type_json, const char *want_hex)
{
	unsigned char want[MAXBYTES];
	size_t wlen = test_unhex(want_hex, want, sizeof(want));
	struct tf_type *t = test_type(type_json);
	struct tf_bytes out = { 0 };
	struct tf_diags d;
	char a[512], b[512], msg[512];
	const char *err = NULL;

	if (!t)
		return test_why("bad type %s", type_json);
	tf_diags_init(&d);
	if (tf_msgpack_encode(v, t, &out, &d))
		err = test_why("encode as %s failed: %s", type_json, first_diag(&d, msg, sizeof(msg)));
	else if (out.len != wlen || memcmp(out.data, want, wlen))
		err = test_why("encode as %s: got %s, want %s", type_json,
			   test_hex(out.data, out.len, a, sizeof(a)), test_hex(want, wlen, b, sizeof(b)));
	tf_bytes_release(&out);
	tf_diags_release(&d);
	tf_type_free(t);
	return err;
}

/* Decodes hex as type_json; the caller frees the value. */
static struct tf_value *decode_hex(const char *type_json, const char *hex, struct tf_diags *d)
{
	unsigned char buf[MAXBYTES];
	size_t len = test_unhex(hex, buf, sizeof(buf));
	struct tf_type *t = test_type(type_json);
	struct tf_value *v;

	if (!t)
		return NULL;
	v = tf_msgpack_decode(buf, len, t, d);
	tf_type_free(t);
	return v;
}

/*
 * Decodes hex, encodes the value again and expects want_hex (NULL: the
 * input); then decodes that and expects an equal value.
 */
static const char *roundtrip(const char *type_json, const char *hex, const char *want_hex)
{
	struct tf_diags d;
	struct tf_value *v, *again = NULL;
	const char *err;
	char msg[512];

	tf_diags_init(&d);
	v = decode_hex(type_json, hex, &d);
	if (!v) {
		err = test_why("decode %s as %s: %s", hex, type_json, first_diag(&d, msg, sizeof(msg)));
		tf_diags_release(&d);
		return err;
	}
	err = encodes_to(v, type_json, want_hex ? want_hex : hex);
	if (!err) {
		again = decode_hex(type_json, want_hex ? want_hex : hex, &d);
		if (!again || !tf_value_equal(v, again))
			err = test_why("decode(encode(%s)) differs", hex);
	}
	tf_value_free(v);
	tf_value_free(again);
	tf_diags_release(&d);
	return err;
}

/* Decoding raw bytes must fail with the first error at `path`, its detail
 * containing `needle`. */
static const char *rejects_bytes(const char *type_json, const void *buf, size_t len,
				 const char *path, const char *needle)
{
	return test_decode_fails(tf_msgpack_decode, type_json, buf, len, path, needle,
				 "Invalid value on the wire");
}

static const char *rejects(const char *type_json, const char *hex, const char *path,
			   const char *needle)
{
	unsigned char buf[MAXBYTES];
	size_t len = test_unhex(hex, buf, sizeof(buf));

	return rejects_bytes(type_json, buf, len, path, needle);
}

/* ---- encoding against the spec ----------------------------------------------------- */

TEST_IMPL(msgpack_encode_bytes)
{
	struct tf_value *v, *obj, *list, *set, *map, *tup;

	/* primitives */
	v = tf_value_new_string("hi");
	CHECK(encodes_to(v, "\"string\"", "a2 68 69"));
	tf_value_free(v);
	v = tf_value_new_bool(true);
	CHECK(encodes_to(v, "\"bool\"", "c3"));
	tf_value_free(v);
	v = tf_value_new_null();
	CHECK(encodes_to(v, "\"string\"", "c0"));
	CHECK(encodes_to(NULL, "[\"list\",\"string\"]", "c0"));
	tf_value_free(v);
	v = tf_value_new_unknown();
	CHECK(encodes_to(v, "\"number\"", "d4 00 00"));
	CHECK(encodes_to(v, "[\"object\",{\"a\":\"string\"}]", "d4 00 00"));
	tf_value_free(v);

	/* object: a map of every attribute, keys sorted */
	obj = tf_value_new_collection(TF_OBJECT);
	tf_value_set(obj, "b", tf_value_new_null());
	tf_value_set(obj, "a", tf_value_new_string("x"));
	CHECK(encodes_to(obj, "[\"object\",{\"b\":\"bool\",\"a\":\"string\"}]",
			 "82 a1 61 a1 78 a1 62 c0"));
	tf_value_free(obj);

	/* list, set (sorted), map, tuple */
	list = tf_value_new_collection(TF_LIST);
	tf_value_append(list, tf_value_new_string("b"));
	tf_value_append(list, tf_value_new_string("a"));
	CHECK(encodes_to(list, "[\"list\",\"string\"]", "92 a1 62 a1 61"));
	tf_value_free(list);
	set = tf_value_new_collection(TF_SET);
	tf_value_append(set, tf_value_new_int(3));
	tf_value_append(set, tf_value_new_int(1));
	tf_value_append(set, tf_value_new_int(2));
	tf_value_append(set, tf_value_new_int(1));
	CHECK(encodes_to(set, "[\"set\",\"number\"]", "93 01 02 03"));
	tf_value_free(set);
	map = tf_value_new_collection(TF_MAP);
	tf_value_set(map, "k", tf_value_new_int(1));
	CHECK(encodes_to(map, "[\"map\",\"number\"]", "81 a1 6b 01"));
	tf_value_free(map);
	tup = tf_value_new_collection(TF_TUPLE);
	tf_value_append(tup, tf_value_new_string("a"));
	tf_value_append(tup, tf_value_new_int(2));
	CHECK(encodes_to(tup, "[\"tuple\",[\"string\",\"number\"]]", "92 a1 61 02"));
	tf_value_free(tup);

	/* dynamic: [bin type JSON, value]; null and wholly unknown are bare */
	v = tf_value_new_string("x");
	CHECK(encodes_to(v, "\"dynamic\"", "92 c4 08 22 73 74 72 69 6e 67 22 a1 78"));
	tf_value_free(v);
	v = tf_value_new_null();
	CHECK(encodes_to(v, "\"dynamic\"", "c0"));
	tf_value_free(v);
	v = tf_value_new_unknown();
	CHECK(encodes_to(v, "\"dynamic\"", "d4 00 00"));
	tf_value_free(v);
	return 0;
}

/* ---- round trips of every kind ------------------------------------------------------ */

TEST_IMPL(msgpack_roundtrip)
{
	static const struct { const char *type, *hex, *want; } cases[] = {
		{ "\"string\"", "a0", NULL },
		{ "\"string\"", "a5 68 c3 a9 6c 6f", NULL },		/* "hélo" */
		{ "\"string\"", "c4 02 68 69", "a2 68 69" },		/* bin is accepted */
		{ "\"string\"", "d9 03 61 62 63", "a3 61 62 63" },	/* str8 */
		{ "\"bool\"", "c2", NULL },
		{ "\"number\"", "00", NULL },
		{ "\"number\"", "cd 01 2c", NULL },			/* 300 */
		{ "\"number\"", "d0 df", NULL },			/* -33 */
		{ "\"string\"", "c0", NULL },
		{ "[\"list\",\"string\"]", "90", NULL },
		{ "[\"list\",[\"list\",\"number\"]]", "92 91 01 90", NULL },
		{ "[\"set\",\"string\"]", "92 a1 61 a1 62", NULL },
		{ "[\"map\",\"bool\"]", "82 a1 61 c3 a1 62 c0", NULL },
		{ "[\"map\",\"bool\"]", "82 a1 62 c3 a1 61 c2", "82 a1 61 c2 a1 62 c3" },
		{ "[\"tuple\",[\"bool\",\"string\",\"number\"]]", "93 c3 a0 d4 00 00", NULL },
		{ "[\"tuple\",[]]", "90", NULL },
		{ "[\"object\",{}]", "80", NULL },
		/* nested objects: a block list inside a resource */
		{ "[\"object\",{\"id\":\"string\",\"rule\":[\"list\",[\"object\",{\"n\":\"number\","
		  "\"tags\":[\"map\",\"string\"]}]]}]",
		  "82 a2 69 64 d4 00 00 a4 72 75 6c 65 92 82 a1 6e 01 a4 74 61 67 73 81 a1 6b a1 76"
		  " 82 a1 6e c0 a4 74 61 67 73 c0", NULL },
		/* keys in another order are accepted and written sorted */
		{ "[\"object\",{\"a\":\"bool\",\"b\":\"bool\"}]", "82 a1 62 c3 a1 61 c2",
		  "82 a1 61 c2 a1 62 c3" },
	};

	for (size_t i = 0; i < N_(cases); i++)
		CHECK(roundtrip(cases[i].type, cases[i].hex, cases[i].want));
	return 0;
}

/* ---- unknowns ------------------------------------------------------------------------- */

TEST_IMPL(msgpack_unknowns)
{
	static const struct { const char *type, *hex; } unknown[] = {
		{ "\"string\"", "d4 00 00" },			/* what cty writes */
		{ "\"string\"", "c7 00 05" },			/* ext8 of length 0 */
		{ "\"number\"", "d4 07 ff" },			/* any type, one byte */
		{ "\"bool\"", "c7 03 0c 81 01 c2" },		/* refined: not null */
		{ "\"string\"", "c7 06 0c 82 01 c2 02 a1 61" },	/* + prefix "a" */
		{ "\"number\"", "c7 09 0c 82 03 92 01 c3 04 92 0a c2" }, /* 1 <= n < 10 */
		{ "[\"list\",\"string\"]", "c7 05 0c 82 05 01 06 03" },  /* length 1..3 */
		{ "\"string\"", "c7 04 0c 81 01 c2 ff" },	/* bytes after the map */
		{ "\"string\"", "c7 03 0c 81 63 c3" },		/* a future key */
		{ "\"dynamic\"", "c7 03 0c 81 01 c2" },
		{ "[\"object\",{\"a\":\"string\"}]", "d4 00 00" },
	};
	struct tf_diags d;
	struct tf_value *v;

	for (size_t i = 0; i < N_(unknown); i++) {
		char msg[512];

		tf_diags_init(&d);
		v = decode_hex(unknown[i].type, unknown[i].hex, &d);
		if (!v || !tf_value_is_unknown(v)) {
			first_diag(&d, msg, sizeof(msg));
			tf_value_free(v);
			tf_diags_release(&d);
			TEST_FAIL_("%s as %s: not unknown: %s", unknown[i].hex, unknown[i].type, msg);
		}
		/* we always write the plain form */
		CHECK(encodes_to(v, unknown[i].type, "d4 00 00"));
		tf_value_free(v);
		tf_diags_release(&d);
	}
	/* an unknown attribute inside an object keeps its place */
	tf_diags_init(&d);
	v = decode_hex("[\"object\",{\"a\":\"string\",\"b\":\"string\"}]",
		       "82 a1 61 c7 00 00 a1 62 a1 78", &d);
	ASSERT_NOT_NULL(v);
	ASSERT(tf_value_is_unknown(tf_value_get(v, "a")));
	ASSERT(!tf_value_is_known(v));
	CHECK(encodes_to(v, "[\"object\",{\"a\":\"string\",\"b\":\"string\"}]",
			 "82 a1 61 d4 00 00 a1 62 a1 78"));
	tf_value_free(v);
	tf_diags_release(&d);

	/* malformed unknowns */
	CHECK(rejects("\"string\"", "d5 05 00 00", "", "extension type 5"));
	CHECK(rejects("\"string\"", "c7 02 0c 01 02", "", "map with integer keys"));
	CHECK(rejects("\"string\"", "c7 04 0c 81 a1 61 c3", "", "map with integer keys"));
	CHECK(rejects("\"string\"", "c7 03 0c 82 01 c2", "", "Malformed refinements"));
	CHECK(rejects("[\"list\",\"string\"]", "91 c7 02 0c 81 01", "[0]", "Malformed refinements"));
	{
		/* refinements over 1 KiB */
		unsigned char big[1100] = { 0xc8, 0x04, 0x01, 0x0c, 0x80 };

		CHECK(rejects_bytes("\"string\"", big, 4 + 1025, "", "at most 1024"));
	}
	return 0;
}

/* ---- numbers ------------------------------------------------------------------------- */

TEST_IMPL(msgpack_numbers)
{
	static const struct { const char *hex, *text, *back; } cases[] = {
		{ "01", "1", NULL },
		{ "ff", "-1", NULL },
		{ "cf 00 00 00 00 00 00 00 05", "5", "05" },		/* uint64 5 */
		{ "d3 80 00 00 00 00 00 00 00", "-9223372036854775808", NULL },
		{ "cf 7f ff ff ff ff ff ff ff", "9223372036854775807", NULL },
		/* beyond int64: the decimal text, as a string */
		{ "cf ff ff ff ff ff ff ff ff", "18446744073709551615",
		  "b4 31 38 34 34 36 37 34 34 30 37 33 37 30 39 35 35 31 36 31 35" },
		{ "cb 3f e0 00 00 00 00 00 00", "0.5", NULL },
		{ "ca 3f c0 00 00", "1.5", "cb 3f f8 00 00 00 00 00 00" },	/* float32 */
		{ "cb 40 00 00 00 00 00 00 00", "2", "02" },			/* integral */
		{ "cb 80 00 00 00 00 00 00 00", "-0", "00" },
		/* float64 0.1 keeps its exact binary value and goes back as the same float */
		{ "cb 3f b9 99 99 99 99 99 9a",
		  "0.1000000000000000055511151231257827021181583404541015625", NULL },
		/* decimal 0.1 is not a double: it stays text, as cty sends it */
		{ "a3 30 2e 31", "0.1", NULL },
		{ "a5 31 65 34 30 30", "1e400", NULL },
		{ "a2 2d 30", "-0", "00" },
		{ "a4 31 65 32 32", "1e22", "cb 44 80 f0 cf 06 4d d5 92" },	/* exact double */
		{ "cb 7f f0 00 00 00 00 00 00", "Inf", NULL },
		{ "cb ff f0 00 00 00 00 00 00", "-Inf", NULL },
	};

	for (size_t i = 0; i < N_(cases); i++) {
		struct tf_diags d;
		struct tf_value *v;
		char msg[512];

		tf_diags_init(&d);
		v = decode_hex("\"number\"", cases[i].hex, &d);
		if (!v || v->kind != TF_NUMBER || strcmp(v->u.num, cases[i].text)) {
			snprintf(msg, sizeof(msg), "%s", v && v->kind == TF_NUMBER ? v->u.num : "-");
			tf_value_free(v);
			tf_diags_release(&d);
			TEST_FAIL_("%s: got %s, want %s", cases[i].hex, msg, cases[i].text);
		}
		tf_diags_release(&d);
		CHECK(encodes_to(v, "\"number\"", cases[i].back ? cases[i].back : cases[i].hex));
		tf_value_free(v);
	}
	CHECK(rejects("\"number\"", "cb 7f f8 00 00 00 00 00 00", "", "NaN"));
	CHECK(rejects("\"number\"", "a3 61 62 63", "", "decimal number"));
	CHECK(rejects("\"number\"", "a0", "", "decimal number"));
	CHECK(rejects("\"number\"", "a2 31 00", "", "decimal number"));
	CHECK(rejects("\"number\"", "a3 30 78 31", "", "decimal number"));
	CHECK(rejects("\"number\"", "c3", "", "type number, got a bool"));
	return 0;
}

/* ---- dynamic -------------------------------------------------------------------------- */

TEST_IMPL(msgpack_dynamic)
{
	static const struct { const char *hex, *want; } cases[] = {
		{ "92 c4 08 22 73 74 72 69 6e 67 22 a1 78", NULL },
		/* the type as str is accepted, written as bin */
		{ "92 a8 22 73 74 72 69 6e 67 22 a1 78", "92 c4 08 22 73 74 72 69 6e 67 22 a1 78" },
		/* ["list","number"] [1, 2] */
		{ "92 c4 11 5b 22 6c 69 73 74 22 2c 22 6e 75 6d 62 65 72 22 5d 92 01 02", NULL },
		/* a typed null and a typed unknown keep their type */
		{ "92 c4 08 22 73 74 72 69 6e 67 22 c0", NULL },
		{ "92 c4 08 22 73 74 72 69 6e 67 22 d4 00 00", NULL },
		{ "c0", NULL },
		{ "d4 00 00", NULL },
	};
	struct tf_diags d;
	struct tf_value *v;

	for (size_t i = 0; i < N_(cases); i++)
		CHECK(roundtrip("\"dynamic\"", cases[i].hex, cases[i].want));

	tf_diags_init(&d);
	v = decode_hex("\"dynamic\"", cases[2].hex, &d);
	ASSERT_NOT_NULL(v);
	ASSERT_INT_EQ(v->kind, TF_LIST);
	ASSERT_NOT_NULL(v->dyn_type);
	ASSERT_INT_EQ(v->dyn_type->kind, TF_TYPE_LIST);
	ASSERT_INT_EQ(v->dyn_type->elem->kind, TF_TYPE_NUMBER);
	tf_value_free(v);
	/* a dynamic attribute inside an object */
	v = decode_hex("[\"object\",{\"v\":\"dynamic\"}]",
		       "81 a1 76 92 c4 06 22 62 6f 6f 6c 22 c3", &d);
	ASSERT_NOT_NULL(v);
	ASSERT_INT_EQ(tf_value_get(v, "v")->kind, TF_BOOL);
	tf_value_free(v);
	tf_diags_release(&d);

	/* a value built by hand takes its implied type */
	v = tf_value_new_collection(TF_MAP);
	tf_value_set(v, "a", tf_value_new_int(1));
	CHECK(encodes_to(v, "\"dynamic\"",
			 "92 c4 10 5b 22 6d 61 70 22 2c 22 6e 75 6d 62 65 72 22 5d 81 a1 61 01"));
	tf_value_free(v);

	CHECK(rejects("\"dynamic\"", "a1 78", "", "[type, value]"));
	CHECK(rejects("\"dynamic\"", "93 a0 a0 a0", "", "[type, value]"));
	CHECK(rejects("\"dynamic\"", "92 01 01", "", "must be JSON text"));
	CHECK(rejects("\"dynamic\"", "92 a3 22 78 22 01", "", "not valid"));
	CHECK(rejects("[\"object\",{\"v\":\"dynamic\"}]",
		      "81 a1 76 92 c4 08 22 73 74 72 69 6e 67 22 01", "v", "type string"));
	return 0;
}

/* ---- sets ----------------------------------------------------------------------------- */

TEST_IMPL(msgpack_sets)
{
	struct tf_diags d;
	struct tf_value *v;

	/* duplicates collapse as in cty.SetVal; numbers compare by value */
	CHECK(roundtrip("[\"set\",\"number\"]", "94 02 01 01 a3 31 2e 30", "92 01 02"));
	CHECK(roundtrip("[\"set\",\"string\"]", "93 a1 62 a1 61 a1 62", "92 a1 61 a1 62"));
	/* unknown elements are never duplicates */
	CHECK(roundtrip("[\"set\",\"string\"]", "93 a1 61 d4 00 00 d4 00 00",
			"93 d4 00 00 d4 00 00 a1 61"));
	/* sets of objects */
	CHECK(roundtrip("[\"set\",[\"object\",{\"k\":\"string\"}]]",
			"93 81 a1 6b a1 62 81 a1 6b a1 61 81 a1 6b a1 62",
			"92 81 a1 6b a1 61 81 a1 6b a1 62"));
	tf_diags_init(&d);
	v = decode_hex("[\"set\",\"number\"]", "93 03 01 02", &d);
	ASSERT_NOT_NULL(v);
	ASSERT_INT_EQ(v->kind, TF_SET);
	ASSERT_INT_EQ(v->u.seq.n, 3);
	tf_value_free(v);
	tf_diags_release(&d);
	return 0;
}

/* ---- decode errors carry the path ------------------------------------------------------ */

TEST_IMPL(msgpack_decode_errors)
{
	static const char *const obj_ab = "[\"object\",{\"a\":\"string\",\"b\":\"string\"}]";
	static const char *const nested =
		"[\"object\",{\"rule\":[\"list\",[\"object\",{\"n\":\"number\"}]],"
		"\"tags\":[\"map\",\"string\"]}]";

	CHECK(rejects("\"bool\"", "01", "", "type bool, got an integer"));
	CHECK(rejects("\"string\"", "01", "", "type string"));
	CHECK(rejects("\"string\"", "a2 c3 28", "", "UTF-8"));
	CHECK(rejects("[\"list\",\"string\"]", "a0", "", "type list, got a string"));
	CHECK(rejects("[\"list\",\"string\"]", "92 a0 01", "[1]", "type string"));
	CHECK(rejects("[\"map\",\"string\"]", "81 01 a0", "", "Keys must be strings"));
	CHECK(rejects("[\"map\",\"string\"]", "81 a2 c3 28 a0", "", "UTF-8"));
	CHECK(rejects("[\"map\",\"string\"]", "81 a1 6b 01", "[\"k\"]", "type string"));
	CHECK(rejects("[\"map\",\"string\"]", "81 a3 61 00 62 a0", "", "NUL"));
	CHECK(rejects("[\"tuple\",[\"string\"]]", "92 a0 a0", "", "tuple of 1 elements"));
	/* objects hold exactly their attributes */
	CHECK(rejects(obj_ab, "81 a1 61 a1 78", "b", "\"b\" is missing"));
	CHECK(rejects(obj_ab, "80", "a", "\"a\" is missing"));
	CHECK(rejects(obj_ab, "83 a1 61 a0 a1 62 a0 a1 63 a0", "c", "Unsupported attribute \"c\""));
	CHECK(rejects(obj_ab, "82 a1 61 a0 a1 61 a0", "a", "given twice"));
	CHECK(rejects(obj_ab, "82 01 a0 a1 62 a0", "", "Keys must be strings"));
	CHECK(rejects(obj_ab, "82 a1 61 a0 a1 62 01", "b", "type string"));
	CHECK(rejects(obj_ab, "92 a0 a0", "", "type object, got an array"));
	/* nested paths */
	CHECK(rejects(nested, "82 a4 72 75 6c 65 92 81 a1 6e 01 81 a1 6e a1 78 a4 74 61 67 73 c0",
		      "rule[1].n", "decimal number"));
	CHECK(rejects(nested, "82 a4 72 75 6c 65 c0 a4 74 61 67 73 81 a2 65 6e c3",
		      "tags[\"en\"]", "type string, got a bool"));
	CHECK(rejects(nested, "82 a4 72 75 6c 65 91 80 a4 74 61 67 73 c0", "rule[0].n", "missing"));

	/* every missing attribute is named */
	{
		struct tf_diags d;
		struct tf_value *v;

		tf_diags_init(&d);
		v = decode_hex(obj_ab, "80", &d);
		ASSERT_NULL(v);
		ASSERT_INT_EQ(d.errors, 2);
		ASSERT_STR_EQ(d.items[1].path.steps[0].name, "b");
		ASSERT_INT_EQ(d.items[1].path.steps[0].kind, TF_STEP_ATTR);
		tf_diags_release(&d);
	}
	return 0;
}

/* ---- hostile input never crashes --------------------------------------------------------- */

static struct tf_type *nested_list(int depth)
{
	struct tf_type *t = tf_type_new(TF_TYPE_NUMBER);

	for (int i = 0; i < depth; i++)
		t = tf_type_new_collection(TF_TYPE_LIST, t);
	return t;
}

TEST_IMPL(msgpack_hostile)
{
	static const char *const malformed[] = {
		"",				/* nothing */
		"a5 68 69",			/* truncated string */
		"92 01",			/* array missing an element */
		"c1",				/* never-used byte */
		"01 02",			/* trailing bytes */
		"dd ff ff ff ff",		/* array of 4G elements */
		"df ff ff ff ff",		/* map of 4G pairs */
		"db ff ff ff ff",		/* string of 4 GiB */
		"c9 ff ff ff ff 0c",		/* ext of 4 GiB */
		"dc 00",			/* truncated header */
		"cb 00 00",			/* truncated float */
		"83 a1 61 01",			/* map missing pairs */
	};
	struct tf_diags d;
	struct tf_value *v;
	struct tf_type *t;
	unsigned char *bomb;
	size_t n;

	for (size_t i = 0; i < N_(malformed); i++)
		CHECK(rejects("[\"list\",\"number\"]", malformed[i], "", "Malformed msgpack"));

	/* 32 nested arrays are fine, 33 are too deep */
	bomb = malloc(100000);
	ASSERT_NOT_NULL(bomb);
	memset(bomb, 0x91, 100000);
	t = nested_list(TF_CODEC_MAX_DEPTH);
	bomb[TF_CODEC_MAX_DEPTH] = 0x01;
	tf_diags_init(&d);
	v = tf_msgpack_decode(bomb, TF_CODEC_MAX_DEPTH + 1, t, &d);
	ASSERT_NOT_NULL(v);
	tf_value_free(v);
	tf_type_free(t);
	t = nested_list(TF_CODEC_MAX_DEPTH + 1);
	bomb[TF_CODEC_MAX_DEPTH] = 0x91;
	bomb[TF_CODEC_MAX_DEPTH + 1] = 0x01;
	v = tf_msgpack_decode(bomb, TF_CODEC_MAX_DEPTH + 2, t, &d);
	ASSERT_NULL(v);
	ASSERT(strstr(d.items[0].detail, "nested too deeply") != NULL);
	tf_type_free(t);
	tf_diags_release(&d);
	/* a 100000-deep bomb */
	memset(bomb, 0x91, 100000);
	CHECK(rejects_bytes("\"dynamic\"", bomb, 100000, "", "nested too deeply"));
	/* a wide but shallow array of many small elements decodes */
	bomb[0] = 0xdc, bomb[1] = 0xff, bomb[2] = 0xff;
	memset(bomb + 3, 0xc0, 0xffff);
	tf_diags_init(&d);
	t = nested_list(1);
	v = tf_msgpack_decode(bomb, 3 + 0xffff, t, &d);
	ASSERT_NOT_NULL(v);
	ASSERT_INT_EQ(v->u.seq.n, 0xffff);
	tf_value_free(v);
	tf_type_free(t);
	/* and as a set: 65535 equal elements collapse quickly */
	memset(bomb + 3, 0x07, 0xffff);
	t = test_type("[\"set\",\"number\"]");
	v = tf_msgpack_decode(bomb, 3 + 0xffff, t, &d);
	ASSERT_NOT_NULL(v);
	ASSERT_INT_EQ(v->u.seq.n, 1);
	tf_value_free(v);
	tf_type_free(t);
	tf_diags_release(&d);
	free(bomb);

	/* too big */
	tf_diags_init(&d);
	t = tf_type_new(TF_TYPE_STRING);
	v = tf_msgpack_decode("", TF_CODEC_MAX_INPUT + 1, t, &d);
	ASSERT_NULL(v);
	ASSERT(tf_diags_has_errors(&d));
	tf_type_free(t);
	tf_diags_release(&d);

	/* every prefix of a valid value is rejected cleanly */
	{
		unsigned char buf[MAXBYTES];
		const char *hex = "82 a2 69 64 c7 03 0c 81 01 c2 a4 72 75 6c 65 92 82 a1 6e cb 3f b9"
				  " 99 99 99 99 99 9a a4 74 61 67 73 81 a1 6b a1 76 82 a1 6e c0 a4 74"
				  " 61 67 73 c0";

		n = test_unhex(hex, buf, sizeof(buf));
		t = test_type("[\"object\",{\"id\":\"string\",\"rule\":[\"list\",[\"object\","
			    "{\"n\":\"number\",\"tags\":[\"map\",\"string\"]}]]}]");
		ASSERT_NOT_NULL(t);
		for (size_t len = 0; len < n; len++) {
			tf_diags_init(&d);
			v = tf_msgpack_decode(buf, len, t, &d);
			ASSERT_NULL(v);
			ASSERT(tf_diags_has_errors(&d));
			tf_diags_release(&d);
		}
		tf_diags_init(&d);
		v = tf_msgpack_decode(buf, n, t, &d);
		ASSERT_NOT_NULL(v);
		tf_value_free(v);
		tf_diags_release(&d);
		tf_type_free(t);
	}
	return 0;
}

/* ---- encode errors ------------------------------------------------------------------------ */

static const char *encode_fails(const struct tf_value *v, const char *type_json,
				const char *path, const char *needle)
{
	struct tf_type *t = test_type(type_json);
	struct tf_bytes out = { 0 };
	struct tf_diags d;
	const char *err = NULL;

	if (!t)
		return test_why("bad type %s", type_json);
	tf_diags_init(&d);
	if (!tf_msgpack_encode(v, t, &out, &d)) {
		err = test_why("encoding as %s should fail", type_json);
	} else if (!tf_diags_has_errors(&d) || out.len != 0) {
		err = test_why("no error, or output left behind");
	} else {
		err = test_diag_at(&d, path, needle);
	}
	tf_bytes_release(&out);
	tf_diags_release(&d);
	tf_type_free(t);
	return err;
}

TEST_IMPL(msgpack_encode_errors)
{
	struct tf_value *obj = tf_value_new_collection(TF_OBJECT);
	struct tf_value *list = tf_value_new_collection(TF_LIST);
	struct tf_value *s = tf_value_new_stringn("\xff", 1);

	ASSERT(obj && list && s);
	tf_value_set(obj, "a", tf_value_new_string("x"));
	CHECK(encode_fails(obj, "[\"object\",{\"a\":\"string\",\"b\":\"string\"}]", "b",
			   "\"b\" is missing"));
	CHECK(encode_fails(obj, "[\"object\",{}]", "a", "no attribute \"a\""));
	CHECK(encode_fails(obj, "[\"object\",{\"a\":\"number\"}]", "a",
			   "type number, got string"));
	CHECK(encode_fails(obj, "[\"map\",\"string\"]", "", "type map, got object"));
	tf_value_append(list, tf_value_new_int(1));
	tf_value_append(list, s);
	CHECK(encode_fails(list, "[\"list\",\"string\"]", "[0]", "got number"));
	CHECK(encode_fails(list, "[\"set\",\"number\"]", "", "type set, got list"));
	CHECK(encode_fails(s, "\"string\"", "", "UTF-8"));
	tf_value_free(obj);
	tf_value_free(list);
	return 0;
}

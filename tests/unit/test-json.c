/*
 * test-json.c - the JSON codec (RawState): decoding with cty's leniency,
 * exact numbers, dynamic values, and errors with paths.
 */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>

#include "codec.h"


/* Decodes `in` as type_json, encodes it again and expects `want` (NULL: `in`). */
static const char *reencodes(const char *type_json, const char *in, const char *want)
{
	struct tf_type *t = test_type(type_json);
	struct tf_diags d;
	struct tf_value *v, *again = NULL;
	const char *err = NULL;
	char *out = NULL;

	if (!t)
		return test_why("bad type %s", type_json);
	want = want ? want : in;
	tf_diags_init(&d);
	v = tf_json_decode(in, strlen(in), t, &d);
	if (!v)
		err = test_why("decode %s as %s: %s", in, type_json, d.n ? d.items[0].detail : "?");
	else if (!(out = tf_json_encode(v, t, &d)))
		err = test_why("encode %s as %s: %s", in, type_json, d.n ? d.items[0].detail : "?");
	else if (strcmp(out, want))
		err = test_why("%s as %s: got %s, want %s", in, type_json, out, want);
	else if (!(again = tf_json_decode(out, strlen(out), t, &d)) || !tf_value_equal(v, again))
		err = test_why("decode(encode(%s)) differs", in);
	free(out);
	tf_value_free(v);
	tf_value_free(again);
	tf_diags_release(&d);
	tf_type_free(t);
	return err;
}

static struct tf_value *json_decode(const void *buf, size_t len, const struct tf_type *type,
				    struct tf_diags *d)
{
	return tf_json_decode(buf, len, type, d);
}

#define REJECTS(type, in, path, needle) \
	test_decode_fails(json_decode, (type), (in), strlen(in), (path), (needle), NULL)

TEST_IMPL(json_decode)
{
	static const struct { const char *type, *in, *want; } cases[] = {
		{ "\"string\"", "\"hi\"", NULL },
		{ "\"string\"", " \"hi\" ", "\"hi\"" },
		{ "\"string\"", "null", NULL },
		{ "\"string\"", "\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u00e9\\/\"",
		  "\"a\\\"b\\\\c\\n\\r\\t\\u0001\xc3\xa9/\"" },
		{ "\"string\"", "\"nul\\u0000byte\"", NULL },
		{ "\"string\"", "5", "\"5\"" },			/* cty: a number as text */
		{ "\"string\"", "-1.50", "\"-1.50\"" },
		{ "\"string\"", "true", "\"true\"" },
		{ "\"number\"", "\"42\"", "42" },		/* a string holding a number */
		{ "\"bool\"", "\"false\"", "false" },
		{ "\"bool\"", "true", NULL },
		{ "[\"list\",\"number\"]", "[1, 2 ,3]", "[1,2,3]" },
		{ "[\"list\",\"number\"]", "[]", NULL },
		{ "[\"set\",\"number\"]", "[2,1,2,1.0]", "[1,2]" },
		{ "[\"map\",\"number\"]", "{\"b\":1,\"a\":2}", "{\"a\":2,\"b\":1}" },
		{ "[\"map\",\"number\"]", "{\"a\":1,\"a\":2}", "{\"a\":2}" },	/* last wins */
		{ "[\"tuple\",[\"string\",\"bool\"]]", "[\"x\",false]", NULL },
		/* missing attributes are null, unknown ones dropped */
		{ "[\"object\",{\"a\":\"string\",\"b\":\"number\"}]", "{\"a\":\"x\",\"zzz\":[1,{}]}",
		  "{\"a\":\"x\",\"b\":null}" },
		{ "[\"object\",{\"id\":\"string\",\"rule\":[\"list\",[\"object\",{\"n\":\"number\","
		  "\"tags\":[\"map\",\"string\"]}]]}]",
		  "{\"rule\":[{\"n\":1,\"tags\":{\"k\":\"v\"}},{\"tags\":null}],\"id\":\"i-1\"}",
		  "{\"id\":\"i-1\",\"rule\":[{\"n\":1,\"tags\":{\"k\":\"v\"}},{\"n\":null,\"tags\":null}]}" },
		{ "[\"object\",{}]", "{}", NULL },
	};

	for (size_t i = 0; i < N_(cases); i++)
		CHECK(reencodes(cases[i].type, cases[i].in, cases[i].want));
	return 0;
}

TEST_IMPL(json_precision)
{
	static const char *const numbers[] = {
		"0", "-0", "0.1", "1e400", "-1E-400", "9223372036854775807", "-9223372036854775808",
		"18446744073709551616", "123456789012345678901234567890.123456789",
		"3.14159265358979323846264338327950288419716939937510",
		"0.1000000000000000055511151231257827021181583404541015625", "2.50",
	};
	struct tf_type *t = tf_type_new(TF_TYPE_NUMBER);
	struct tf_diags d;

	ASSERT_NOT_NULL(t);
	for (size_t i = 0; i < N_(numbers); i++) {
		struct tf_value *v;

		CHECK(reencodes("\"number\"", numbers[i], NULL));
		tf_diags_init(&d);
		v = tf_json_decode(numbers[i], strlen(numbers[i]), t, &d);
		ASSERT_NOT_NULL(v);
		ASSERT_STR_EQ(v->u.num, numbers[i]); /* the very text */
		tf_value_free(v);
		tf_diags_release(&d);
	}
	tf_type_free(t);
	/* 0.1 and 0.10 are the same value */
	{
		struct tf_type *lt = test_type("[\"list\",\"number\"]");
		struct tf_value *a, *b;

		tf_diags_init(&d);
		a = tf_json_decode("[0.1, 1]", 8, lt, &d);
		b = tf_json_decode("[0.10,1e0]", 10, lt, &d);
		ASSERT(a && b && tf_value_equal(a, b));
		tf_value_free(a);
		tf_value_free(b);
		tf_diags_release(&d);
		tf_type_free(lt);
	}
	return 0;
}

TEST_IMPL(json_dynamic)
{
	static const struct { const char *type, *in, *want; } cases[] = {
		{ "\"dynamic\"", "{\"value\":\"x\",\"type\":\"string\"}", NULL },
		{ "\"dynamic\"", "{\"type\":[\"list\",\"number\"],\"value\":[1,2.5]}",
		  "{\"value\":[1,2.5],\"type\":[\"list\",\"number\"]}" },
		{ "\"dynamic\"", "{\"type\":[\"object\",{\"a\":\"bool\"}],\"value\":{\"a\":true}}",
		  "{\"value\":{\"a\":true},\"type\":[\"object\",{\"a\":\"bool\"}]}" },
		{ "\"dynamic\"", "{\"value\":null,\"type\":\"number\"}", NULL },
		{ "\"dynamic\"", "null", NULL },
		{ "[\"object\",{\"d\":\"dynamic\"}]",
		  "{\"d\":{\"value\":{\"k\":\"v\"},\"type\":[\"map\",\"string\"]}}", NULL },
	};
	struct tf_value *v;
	struct tf_type *t;
	struct tf_diags d;
	char *out;

	for (size_t i = 0; i < N_(cases); i++)
		CHECK(reencodes(cases[i].type, cases[i].in, cases[i].want));

	/* a hand-built value takes its implied type */
	t = tf_type_new(TF_TYPE_DYNAMIC);
	v = tf_value_new_collection(TF_TUPLE);
	tf_value_append(v, tf_value_new_string("a"));
	tf_value_append(v, tf_value_new_number("1e400"));
	tf_diags_init(&d);
	out = tf_json_encode(v, t, &d);
	ASSERT_STR_EQ(out, "{\"value\":[\"a\",1e400],\"type\":[\"tuple\",[\"string\",\"number\"]]}");
	free(out);
	tf_value_free(v);
	tf_type_free(t);
	tf_diags_release(&d);

	CHECK(REJECTS("\"dynamic\"", "\"x\"", "", "must be an object"));
	CHECK(REJECTS("\"dynamic\"", "{\"value\":1}", "", "exactly the keys"));
	CHECK(REJECTS("\"dynamic\"", "{\"value\":1,\"type\":\"number\",\"x\":1}", "",
		      "exactly the keys"));
	CHECK(REJECTS("\"dynamic\"", "{\"value\":1,\"type\":\"nope\"}", "", "not valid"));
	CHECK(REJECTS("\"dynamic\"", "{\"value\":1,\"type\":5}", "", "not valid"));
	CHECK(REJECTS("[\"object\",{\"d\":\"dynamic\"}]",
		      "{\"d\":{\"value\":[\"x\"],\"type\":[\"list\",\"bool\"]}}", "d[0]",
		      "type bool, got a string"));
	return 0;
}

TEST_IMPL(json_decode_errors)
{
	static const char *const obj = "[\"object\",{\"a\":\"string\",\"n\":[\"list\",[\"object\","
				       "{\"x\":\"number\"}]],\"m\":[\"map\",\"bool\"]}]";
	static const char *const malformed[] = {
		"", "{", "[1,]", "01", "1.", ".5", "+1", "-", "\"abc", "nul", "[1 2]", "1e", "0x10",
		"1e1234567890", "\"\\x\"", "[1]]", "\"a\xff\"", "NaN", "Infinity", "\"a\x01\"",
	};
	char *deep;

	for (size_t i = 0; i < N_(malformed); i++)
		CHECK(REJECTS("[\"list\",\"number\"]", malformed[i], "", "Malformed JSON"));
	CHECK(REJECTS("\"number\"", "\"abc\"", "", "not a number"));
	CHECK(REJECTS("\"number\"", "\"Infinity\"", "", "not a number"));
	CHECK(REJECTS("\"number\"", "true", "", "type number, got a bool"));
	CHECK(REJECTS("\"bool\"", "\"yes\"", "", "type bool, got a string"));
	CHECK(REJECTS("\"bool\"", "1", "", "type bool, got a number"));
	CHECK(REJECTS("\"string\"", "[]", "", "type string, got an array"));
	CHECK(REJECTS("[\"tuple\",[\"string\"]]", "[\"a\",\"b\"]", "", "tuple of 1"));
	CHECK(REJECTS(obj, "[]", "", "type object, got an array"));
	CHECK(REJECTS(obj, "{\"a\":1.5e3,\"n\":[{\"x\":1},{\"x\":\"y\"}]}", "n[1].x", "not a number"));
	CHECK(REJECTS(obj, "{\"m\":{\"k\":\"maybe\"}}", "m[\"k\"]", "type bool"));
	CHECK(REJECTS(obj, "{\"a\":{}}", "a", "type string, got an object"));
	/* a number as an object key is not JSON (it once tripped an assertion) */
	CHECK(REJECTS(obj, "{0:\"x\"}", "", "key is not a string"));
	CHECK(REJECTS("[\"map\",\"string\"]", "{\"k\":\"v\",-1.5:\"w\"}", "", "key is not a string"));
	CHECK(REJECTS("\"dynamic\"", "{\"value\":{},\"type\":[\"object\",{1:\"string\"}]}", "",
		      "type"));

	/* depth: our limit on the walk, jansson's on its parser */
	deep = malloc(200001);
	ASSERT_NOT_NULL(deep);
	memset(deep, '[', 100000);
	memset(deep + 100000, ']', 100000);
	deep[200000] = '\0';
	CHECK(test_decode_fails(json_decode, "\"dynamic\"", deep, 200000, "", "Malformed JSON", NULL));
	{
		/* 40 levels parse, but a 40-deep list type is past TF_CODEC_MAX_DEPTH */
		struct tf_type *t = tf_type_new(TF_TYPE_NUMBER);
		struct tf_diags d;
		struct tf_value *v;

		for (int i = 0; i < 40; i++)
			t = tf_type_new_collection(TF_TYPE_LIST, t);
		tf_diags_init(&d);
		v = tf_json_decode(deep + 100000 - 40, 80, t, &d);
		ASSERT_NULL(v);
		ASSERT(strstr(d.items[0].detail, "nested more than") != NULL);
		tf_diags_release(&d);
		tf_type_free(t);
	}
	free(deep);
	return 0;
}

static const char *encode_fails(const struct tf_value *v, const char *type_json,
				const char *path, const char *needle)
{
	struct tf_type *t = test_type(type_json);
	struct tf_diags d;
	const char *err = NULL;
	char *out;

	if (!t)
		return test_why("bad type %s", type_json);
	tf_diags_init(&d);
	out = tf_json_encode(v, t, &d);
	if (out) {
		err = test_why("encoding as %s should fail, got %s", type_json, out);
		free(out);
	} else if (!tf_diags_has_errors(&d)) {
		err = test_why("no error");
	} else {
		err = test_diag_at(&d, path, needle);
	}
	tf_diags_release(&d);
	tf_type_free(t);
	return err;
}

TEST_IMPL(json_encode_errors)
{
	struct tf_value *obj = tf_value_new_collection(TF_OBJECT);
	struct tf_value *list = tf_value_new_collection(TF_LIST);
	struct tf_value *inf = tf_value_new_number("Inf");
	struct tf_value *bad = tf_value_new_stringn("\xc3", 1);

	ASSERT(obj && list && inf && bad);
	tf_value_append(list, tf_value_new_int(1));
	tf_value_append(list, tf_value_new_unknown());
	tf_value_set(obj, "l", list);
	CHECK(encode_fails(obj, "[\"object\",{\"l\":[\"list\",\"number\"]}]", "l[1]", "unknown"));
	CHECK(encode_fails(obj, "[\"object\",{\"a\":\"bool\",\"l\":[\"list\",\"number\"]}]", "a",
			   "missing"));
	CHECK(encode_fails(obj, "\"dynamic\"", "l[1]", "unknown"));
	CHECK(encode_fails(inf, "\"number\"", "", "infinite"));
	CHECK(encode_fails(bad, "\"string\"", "", "UTF-8"));
	CHECK(encode_fails(bad, "\"bool\"", "", "type bool, got string"));
	tf_value_free(obj);
	tf_value_free(inf);
	tf_value_free(bad);
	return 0;
}

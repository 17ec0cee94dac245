/* test-value.c - the value model, numbers, types and diagnostics. */
#include "test.h"

#include <math.h>
#include <stdlib.h>

#include "diag.h"
#include "value.h"


TEST_IMPL(value_number_syntax)
{
	static const char *const good[] = {
		"0", "-0", "1", "-1.5", "0.1", "1e400", "1E+5", "2.5e-3", "1e0123456789",
		"123456789012345678901234567890", "Inf", "+Inf", "-Inf",
	};
	static const char *const bad[] = {
		"", "-", "+1", "01", "-01", "1.", ".5", "1e", "1e+", "NaN", "inf", "Infinity",
		"0x10", "1e1234567890", " 1", "1 ", "1_000", "--1", "1e5.5",
	};

	for (size_t i = 0; i < N_(good); i++)
		if (!tf_number_valid(good[i]))
			TEST_FAIL_("\"%s\" should be a valid number", good[i]);
	for (size_t i = 0; i < N_(bad); i++)
		if (tf_number_valid(bad[i]))
			TEST_FAIL_("\"%s\" should not be a valid number", bad[i]);
	return 0;
}

TEST_IMPL(value_number_compare)
{
	static const struct { const char *a, *b; int want; } cases[] = {
		{ "1", "1.0", 0 }, { "1", "1e0", 0 }, { "-0", "0", 0 }, { "0.0", "-0e5", 0 },
		{ "0.1", "0.10", 0 }, { "10", "1e1", 0 }, { "0.001", "1e-3", 0 },
		{ "123.456", "123.4560000", 0 }, { "100000000000000000000", "1e20", 0 },
		{ "2", "10", -1 }, { "-2", "-10", 1 }, { "-1", "1", -1 }, { "0", "1e-400", -1 },
		{ "99999999999999999999", "1e20", -1 }, { "1.05", "1.1", -1 },
		{ "1e400", "Inf", -1 }, { "-Inf", "-1e400", -1 }, { "Inf", "+Inf", 0 },
		{ "-Inf", "Inf", -1 }, { "12345678901234567890.5", "12345678901234567890.25", 1 },
	};

	for (size_t i = 0; i < N_(cases); i++) {
		int got = tf_number_cmp(cases[i].a, cases[i].b);
		int back = tf_number_cmp(cases[i].b, cases[i].a);

		got = (got > 0) - (got < 0);
		back = (back > 0) - (back < 0);
		if (got != cases[i].want || back != -cases[i].want)
			TEST_FAIL_("cmp(%s, %s) = %d, want %d", cases[i].a, cases[i].b, got,
				   cases[i].want);
	}
	return 0;
}

TEST_IMPL(value_number_int64)
{
	static const struct { const char *text; bool ok; int64_t want; } cases[] = {
		{ "0", true, 0 }, { "-0", true, 0 }, { "42", true, 42 }, { "-7", true, -7 },
		{ "9223372036854775807", true, INT64_MAX },
		{ "-9223372036854775808", true, INT64_MIN },
		{ "9223372036854775808", false, 0 }, { "-9223372036854775809", false, 0 },
		{ "18446744073709551615", false, 0 }, { "1e3", true, 1000 },
		{ "12.0", true, 12 }, { "1.5", false, 0 }, { "1e18", true, 1000000000000000000 },
		{ "1e19", false, 0 }, { "1e-3", false, 0 }, { "Inf", false, 0 },
		{ "922337203685477580.7e1", true, INT64_MAX },
	};

	for (size_t i = 0; i < N_(cases); i++) {
		int64_t got = -1;
		bool ok = tf_number_to_int64(cases[i].text, &got);

		if (ok != cases[i].ok || (ok && got != cases[i].want))
			TEST_FAIL_("to_int64(%s) = %d/%" PRId64, cases[i].text, ok, got);
	}
	return 0;
}

TEST_IMPL(value_number_double)
{
	static const struct { const char *text; bool ok; double want; } cases[] = {
		{ "0.5", true, 0.5 }, { "-2.25", true, -2.25 }, { "1e22", true, 1e22 },
		{ "9007199254740992", true, 9007199254740992.0 }, { "0.1", false, 0 },
		{ "1e23", false, 0 }, { "9007199254740993", false, 0 }, { "1e300", false, 0 },
		{ "1e400", false, 0 }, { "4.9e-324", false, 0 },
		{ "0.1000000000000000055511151231257827021181583404541015625", true, 0.1 },
	};
	double d;

	for (size_t i = 0; i < N_(cases); i++) {
		bool ok = tf_number_to_double(cases[i].text, &d);

		if (ok != cases[i].ok || (ok && d != cases[i].want))
			TEST_FAIL_("to_double(%s) = %d", cases[i].text, ok);
	}
	ASSERT(tf_number_to_double("Inf", &d) && isinf(d) && d > 0);
	ASSERT(tf_number_to_double("-Inf", &d) && isinf(d) && d < 0);
	return 0;
}

TEST_IMPL(value_new_float)
{
	static const struct { double d; const char *want; } cases[] = {
		{ 0.5, "0.5" }, { 1.5, "1.5" }, { 123456789.0, "123456789" }, { 1e22, "1e+22" },
		{ -0.0, "-0" }, { 0.1, "0.1000000000000000055511151231257827021181583404541015625" },
		{ 1e23, "9.9999999999999991611392e+22" }, { 5e-324, "4.940656458412465441765687928682213723650598026143247644255856825006755072702087518652998363616359923797965646954457177309266567103559397963987747960107818781263007131903114045278458171678489821036887186360569987307230500063874091535649843873124733972731696151400317153853980741262385655911710266585566867681870395603106249319452715914924553293054565444011274801297099995419319894090804165633245247571478690147267801593552386115501348035264934720193790268107107491703332226844753335720832431936092382893458368060106011506169809753078342277318329247904982524730776375927247874656084778203734469699533647017972677717585125660551199131504891101451037862738167250955837389733598993664809941164205702637090279242767544565229087538682506419718265533447265625e-324" },
		{ INFINITY, "Inf" }, { -INFINITY, "-Inf" },
	};

	for (size_t i = 0; i < N_(cases); i++) {
		struct tf_value *v = tf_value_new_float(cases[i].d);

		ASSERT_NOT_NULL(v);
		ASSERT_INT_EQ(v->kind, TF_NUMBER);
		if (strcmp(v->u.num, cases[i].want)) {
			char got[1024];

			snprintf(got, sizeof(got), "%s", v->u.num);
			tf_value_free(v);
			TEST_FAIL_("new_float(%.17g) = %s, want %s", cases[i].d, got, cases[i].want);
		}
		tf_value_free(v);
	}
	return 0;
}

TEST_IMPL(value_utf8)
{
	static const struct { const char *s; bool ok; } cases[] = {
		{ "", true }, { "abc", true }, { "\xc3\xa9", true }, { "\xe2\x82\xac", true },
		{ "\xf0\x9d\x84\x9e", true }, { "\xf4\x8f\xbf\xbf", true },
		{ "\xc3", false }, { "\xc0\x80", false }, { "\xe0\x80\x80", false },
		{ "\xed\xa0\x80", false }, { "\xf4\x90\x80\x80", false }, { "\xff", false },
		{ "\xe2\x82", false }, { "\x80", false }, { "a\xc3(", false },
	};

	for (size_t i = 0; i < N_(cases); i++)
		if (tf_utf8_valid(cases[i].s, strlen(cases[i].s)) != cases[i].ok)
			TEST_FAIL_("utf8 case %zu", i);
	ASSERT(tf_utf8_valid("a\0b", 3));
	return 0;
}

TEST_IMPL(value_type_build)
{
	struct tf_type *obj = tf_type_new(TF_TYPE_OBJECT), *copy;
	char *json;

	ASSERT_NOT_NULL(obj);
	ASSERT_INT_EQ(tf_type_object_add(obj, "zeta", tf_type_new(TF_TYPE_STRING)), 0);
	ASSERT_INT_EQ(tf_type_object_add(obj, "alpha", tf_type_new(TF_TYPE_NUMBER)), 0);
	ASSERT_INT_EQ(tf_type_object_add(obj, "mid",
					 tf_type_new_collection(TF_TYPE_LIST,
								tf_type_new(TF_TYPE_BOOL))), 0);
	/* a duplicate is refused, and the type given is freed */
	ASSERT_INT_EQ(tf_type_object_add(obj, "mid", tf_type_new(TF_TYPE_BOOL)), -1);
	ASSERT_INT_EQ(obj->n, 3);
	ASSERT_STR_EQ(obj->names[0], "alpha");
	ASSERT_STR_EQ(obj->names[1], "mid");
	ASSERT_STR_EQ(obj->names[2], "zeta");
	ASSERT_INT_EQ(tf_type_object_index(obj, "zeta"), 2);
	ASSERT_INT_EQ(tf_type_object_index(obj, "nope"), -1);

	copy = tf_type_dup(obj);
	ASSERT(tf_type_equal(obj, copy));
	json = tf_type_to_json(copy);
	ASSERT_STR_EQ(json, "[\"object\",{\"alpha\":\"number\",\"mid\":[\"list\",\"bool\"],"
			    "\"zeta\":\"string\"}]");
	free(json);
	tf_type_free(copy->types[0]);
	copy->types[0] = tf_type_new(TF_TYPE_STRING);
	ASSERT(!tf_type_equal(obj, copy));
	tf_type_free(copy);
	tf_type_free(obj);
	return 0;
}

TEST_IMPL(value_type_json_roundtrip)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "\"string\"", NULL }, { "\"number\"", NULL }, { "\"bool\"", NULL },
		{ "\"dynamic\"", NULL }, { "[\"list\",\"number\"]", NULL },
		{ "[\"set\",[\"map\",\"bool\"]]", NULL },
		{ "[\"object\",{\"a\":\"string\",\"b\":[\"list\",\"dynamic\"]}]", NULL },
		{ "[\"tuple\",[\"string\",\"number\"]]", NULL }, { "[\"tuple\",[]]", NULL },
		{ "[\"object\",{}]", NULL },
		{ "[\"object\",{\"b\":\"bool\",\"a\":\"string\"}]",
		  "[\"object\",{\"a\":\"string\",\"b\":\"bool\"}]" },
		{ "[\"object\",{\"a\":\"string\"},[\"a\"]]", "[\"object\",{\"a\":\"string\"}]" },
		{ " [ \"list\" , \"string\" ] ", "[\"list\",\"string\"]" },
	};

	for (size_t i = 0; i < N_(cases); i++) {
		char err[128] = "";
		struct tf_type *t = tf_type_from_json(cases[i].in, strlen(cases[i].in), err,
						      sizeof(err));
		const char *want = cases[i].out ? cases[i].out : cases[i].in;
		char *json;
		bool same;

		if (!t)
			TEST_FAIL_("from_json(%s): %s", cases[i].in, err);
		json = tf_type_to_json(t);
		tf_type_free(t);
		same = json && !strcmp(json, want);
		if (!same) {
			char got[256];

			snprintf(got, sizeof(got), "%s", json ? json : "(null)");
			free(json);
			TEST_FAIL_("to_json(from_json(%s)) = %s", cases[i].in, got);
		}
		free(json);
	}
	return 0;
}

/* ["list", ["list", ... "string" ...]] nested `depth` times. */
static char *nested_list_type(int depth)
{
	size_t len = (size_t)depth * 10 + 16;
	char *s = malloc(len), *p = s;

	for (int i = 0; i < depth; i++)
		p += sprintf(p, "[\"list\",");
	p += sprintf(p, "\"string\"");
	for (int i = 0; i < depth; i++)
		*p++ = ']';
	*p = '\0';
	return s;
}

TEST_IMPL(value_type_json_errors)
{
	static const char *const bad[] = {
		"\"strin\"", "[\"list\"]", "[\"list\",\"string\",\"x\"]", "[\"object\",[]]",
		"42", "", "[\"tuple\",\"string\"]", "[\"lisst\",\"string\"]", "{}", "[1,2]",
		"[\"object\",{\"a\":\"nope\"}]", "[\"map\",\"string\"", "null",
		"[\"object\",{\"a\":\"string\"},\"a\"]",
	};
	char err[128];
	struct tf_type *t;
	char *deep;

	for (size_t i = 0; i < N_(bad); i++) {
		err[0] = '\0';
		t = tf_type_from_json(bad[i], strlen(bad[i]), err, sizeof(err));
		if (t) {
			tf_type_free(t);
			TEST_FAIL_("from_json(%s) should fail", bad[i]);
		}
		if (!err[0])
			TEST_FAIL_("from_json(%s) gave no reason", bad[i]);
	}
	/* err may be NULL */
	ASSERT_NULL(tf_type_from_json("\"x\"", 3, NULL, 0));

	deep = nested_list_type(TF_TYPE_MAX_DEPTH);
	t = tf_type_from_json(deep, strlen(deep), err, sizeof(err));
	free(deep);
	ASSERT_NOT_NULL(t);
	tf_type_free(t);
	deep = nested_list_type(TF_TYPE_MAX_DEPTH + 1);
	t = tf_type_from_json(deep, strlen(deep), err, sizeof(err));
	free(deep);
	ASSERT_NULL(t);
	ASSERT(strstr(err, "nested") != NULL);
	return 0;
}

TEST_IMPL(value_kv)
{
	struct tf_value *obj = tf_value_new_collection(TF_OBJECT);
	int64_t i = 0;

	ASSERT_NOT_NULL(obj);
	ASSERT_INT_EQ(tf_value_set(obj, "name", tf_value_new_string("thing")), 0);
	ASSERT_INT_EQ(tf_value_set(obj, "count", tf_value_new_int(3)), 0);
	ASSERT_INT_EQ(tf_value_set(obj, "zone", tf_value_new_null()), 0);
	ASSERT_INT_EQ(tf_value_set(obj, "arn", tf_value_new_unknown()), 0);
	ASSERT_INT_EQ(obj->u.kv.n, 4);
	ASSERT_STR_EQ(obj->u.kv.keys[0], "arn");
	ASSERT_STR_EQ(obj->u.kv.keys[1], "count");
	ASSERT_STR_EQ(obj->u.kv.keys[2], "name");
	ASSERT_STR_EQ(obj->u.kv.keys[3], "zone");
	ASSERT_STR_EQ(tf_value_get_string(obj, "name"), "thing");
	ASSERT_NULL(tf_value_get_string(obj, "count"));
	ASSERT_NULL(tf_value_get_string(obj, "missing"));
	ASSERT(tf_value_get_int(obj, "count", &i) && i == 3);
	ASSERT(!tf_value_get_int(obj, "arn", &i));
	/* replacing keeps one entry */
	ASSERT_INT_EQ(tf_value_set(obj, "count", tf_value_new_number("4.0")), 0);
	ASSERT_INT_EQ(obj->u.kv.n, 4);
	ASSERT(tf_value_get_int(obj, "count", &i) && i == 4);
	ASSERT(!tf_value_is_known(obj));
	ASSERT(tf_value_is_unknown(tf_value_get(obj, "arn")));
	ASSERT(tf_value_is_null(tf_value_get(obj, "zone")));
	ASSERT(tf_value_is_null(NULL));
	tf_value_free(obj);
	return 0;
}

TEST_IMPL(value_set_dedup)
{
	struct tf_value *set = tf_value_new_collection(TF_SET);
	struct tf_value *other = tf_value_new_collection(TF_SET);
	struct tf_value *list = tf_value_new_collection(TF_LIST);

	ASSERT(set && other && list);
	ASSERT_INT_EQ(tf_value_append(set, tf_value_new_int(2)), 0);
	ASSERT_INT_EQ(tf_value_append(set, tf_value_new_number("1")), 0);
	ASSERT_INT_EQ(tf_value_append(set, tf_value_new_number("2.0")), 0); /* == 2 */
	ASSERT_INT_EQ(tf_value_append(set, tf_value_new_unknown()), 0);
	ASSERT_INT_EQ(tf_value_append(set, tf_value_new_unknown()), 0); /* never a dup */
	ASSERT_INT_EQ(set->u.seq.n, 4);
	/* sorted by kind (unknown before number), then by value */
	ASSERT(tf_value_is_unknown(set->u.seq.items[0]));
	ASSERT_STR_EQ(set->u.seq.items[2]->u.num, "1");
	ASSERT_STR_EQ(set->u.seq.items[3]->u.num, "2");

	/* the same set built in another order is equal */
	ASSERT_INT_EQ(tf_value_append(other, tf_value_new_unknown()), 0);
	ASSERT_INT_EQ(tf_value_append(other, tf_value_new_int(1)), 0);
	ASSERT_INT_EQ(tf_value_append(other, tf_value_new_unknown()), 0);
	ASSERT_INT_EQ(tf_value_append(other, tf_value_new_int(2)), 0);
	ASSERT(tf_value_equal(set, other));

	/* list_to_set sorts and drops known duplicates only */
	ASSERT_INT_EQ(tf_value_append(list, tf_value_new_string("b")), 0);
	ASSERT_INT_EQ(tf_value_append(list, tf_value_new_unknown()), 0);
	ASSERT_INT_EQ(tf_value_append(list, tf_value_new_string("a")), 0);
	ASSERT_INT_EQ(tf_value_append(list, tf_value_new_string("b")), 0);
	ASSERT_INT_EQ(tf_value_append(list, tf_value_new_unknown()), 0);
	ASSERT_INT_EQ(tf_value_append(list, tf_value_new_string("a")), 0);
	tf_value_list_to_set(list);
	ASSERT_INT_EQ(list->kind, TF_SET);
	ASSERT_INT_EQ(list->u.seq.n, 4);
	ASSERT(tf_value_is_unknown(list->u.seq.items[0]));
	ASSERT(tf_value_is_unknown(list->u.seq.items[1]));
	ASSERT_STR_EQ(list->u.seq.items[2]->u.str.ptr, "a");
	ASSERT_STR_EQ(list->u.seq.items[3]->u.str.ptr, "b");
	/* appending to the result keeps it a set */
	ASSERT_INT_EQ(tf_value_append(list, tf_value_new_string("a")), 0);
	ASSERT_INT_EQ(list->u.seq.n, 4);
	tf_value_free(set);
	tf_value_free(other);
	tf_value_free(list);
	return 0;
}

TEST_IMPL(value_equal_dup)
{
	struct tf_value *a = tf_value_new_collection(TF_OBJECT), *b, *l;
	struct tf_value *n1 = tf_value_new_number("1e2"), *n2 = tf_value_new_int(100);
	struct tf_value *s1 = tf_value_new_stringn("a\0b", 3), *s2 = tf_value_new_string("a");

	ASSERT(a && n1 && n2 && s1 && s2);
	ASSERT(tf_value_equal(n1, n2));
	ASSERT(!tf_value_equal(s1, s2));
	ASSERT_INT_EQ(s1->u.str.len, 3);
	ASSERT(tf_value_equal(NULL, NULL));
	ASSERT(!tf_value_equal(NULL, n1));
	l = tf_value_new_collection(TF_LIST);
	ASSERT_INT_EQ(tf_value_append(l, n1), 0);
	ASSERT_INT_EQ(tf_value_append(l, s1), 0);
	ASSERT_INT_EQ(tf_value_set(a, "l", l), 0);
	ASSERT_INT_EQ(tf_value_set(a, "b", tf_value_new_bool(true)), 0);
	a->dyn_type = tf_type_new(TF_TYPE_DYNAMIC);
	b = tf_value_dup(a);
	ASSERT_NOT_NULL(b);
	ASSERT(tf_value_equal(a, b));
	ASSERT_NOT_NULL(b->dyn_type);
	ASSERT(tf_value_is_known(b));
	ASSERT_INT_EQ(tf_value_set(b, "b", tf_value_new_bool(false)), 0);
	ASSERT(!tf_value_equal(a, b));
	ASSERT(tf_value_cmp(a, b) > 0);
	ASSERT(!tf_value_equal(n2, s2)); /* kinds differ */
	tf_value_free(a);
	tf_value_free(b);
	tf_value_free(n2);
	tf_value_free(s2);
	return 0;
}

TEST_IMPL(value_implied_type)
{
	struct tf_value *obj = tf_value_new_collection(TF_OBJECT);
	struct tf_value *list = tf_value_new_collection(TF_LIST);
	struct tf_value *tup = tf_value_new_collection(TF_TUPLE);
	struct tf_type *t;
	char *json;

	ASSERT(obj && list && tup);
	ASSERT_INT_EQ(tf_value_append(list, tf_value_new_null()), 0);
	ASSERT_INT_EQ(tf_value_append(list, tf_value_new_int(1)), 0);
	ASSERT_INT_EQ(tf_value_append(tup, tf_value_new_bool(true)), 0);
	ASSERT_INT_EQ(tf_value_append(tup, tf_value_new_string("x")), 0);
	ASSERT_INT_EQ(tf_value_set(obj, "l", list), 0);
	ASSERT_INT_EQ(tf_value_set(obj, "t", tup), 0);
	ASSERT_INT_EQ(tf_value_set(obj, "m", tf_value_new_collection(TF_MAP)), 0);
	ASSERT_INT_EQ(tf_value_set(obj, "n", tf_value_new_null()), 0);
	t = tf_value_implied_type(obj);
	json = tf_type_to_json(t);
	ASSERT_STR_EQ(json, "[\"object\",{\"l\":[\"list\",\"number\"],\"m\":[\"map\",\"dynamic\"],"
			    "\"n\":\"dynamic\",\"t\":[\"tuple\",[\"bool\",\"string\"]]}]");
	free(json);
	tf_type_free(t);
	/* dyn_type wins */
	obj->dyn_type = tf_type_new(TF_TYPE_STRING);
	t = tf_value_implied_type(obj);
	ASSERT_INT_EQ(t->kind, TF_TYPE_STRING);
	tf_type_free(t);
	tf_value_free(obj);
	return 0;
}

TEST_IMPL(diag_paths)
{
	struct tf_path p, q;
	char *s;

	tf_path_init(&p);
	s = tf_path_to_string(&p);
	ASSERT_STR_EQ(s, "");
	free(s);
	ASSERT_INT_EQ(tf_path_push_attr(&p, "keepers"), 0);
	ASSERT_INT_EQ(tf_path_push_key(&p, "a\"b"), 0);
	s = tf_path_to_string(&p);
	ASSERT_STR_EQ(s, "keepers[\"a\\\"b\"]");
	free(s);
	tf_path_pop(&p);
	tf_path_pop(&p);
	ASSERT_INT_EQ(tf_path_push_attr(&p, "subject"), 0);
	ASSERT_INT_EQ(tf_path_push_index(&p, 0), 0);
	ASSERT_INT_EQ(tf_path_push_attr(&p, "cn"), 0);
	for (int i = 0; i < 20; i++) /* grow past the first allocation */
		ASSERT_INT_EQ(tf_path_push_index(&p, i), 0);
	for (int i = 0; i < 20; i++)
		tf_path_pop(&p);
	ASSERT_INT_EQ(tf_path_copy(&q, &p), 0);
	s = tf_path_to_string(&q);
	ASSERT_STR_EQ(s, "subject[0].cn");
	free(s);
	tf_path_release(&p);
	tf_path_release(&q);
	ASSERT_INT_EQ(p.n, 0);
	return 0;
}

TEST_IMPL(diag_collect)
{
	struct tf_diags d;
	struct tf_path p;
	char *s;

	tf_diags_init(&d);
	ASSERT(!tf_diags_has_errors(&d));
	tf_diag_warning_at(&d, "name", "Deprecated", "Use %s instead.", "title");
	ASSERT(!tf_diags_has_errors(&d));
	tf_diag_error_at(&d, NULL, "Broken", "code %d", 42);
	tf_path_init(&p);
	ASSERT_INT_EQ(tf_path_push_attr(&p, "tags"), 0);
	ASSERT_INT_EQ(tf_path_push_key(&p, "env"), 0);
	tf_diag_add(&d, TF_ERROR, &p, "Bad tag", "%s", "detail");
	tf_path_release(&p);
	ASSERT_INT_EQ(d.n, 3);
	ASSERT_INT_EQ(d.errors, 2);
	ASSERT_INT_EQ(d.items[0].severity, TF_WARNING);
	ASSERT_STR_EQ(d.items[0].detail, "Use title instead.");
	ASSERT_INT_EQ(d.items[0].path.n, 1);
	ASSERT_INT_EQ(d.items[1].path.n, 0);
	ASSERT_STR_EQ(d.items[1].detail, "code 42");
	s = tf_path_to_string(&d.items[2].path);
	ASSERT_STR_EQ(s, "tags[\"env\"]");
	free(s);
	for (int i = 0; i < 50; i++)
		tf_diag_add(&d, TF_WARNING, NULL, "w", "%d", i);
	ASSERT_INT_EQ(d.n, 53);
	tf_diags_release(&d);
	ASSERT_INT_EQ(d.n, 0);
	ASSERT(!tf_diags_has_errors(&d));
	return 0;
}

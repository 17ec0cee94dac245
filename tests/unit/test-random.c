/* test-random.c - the random provider as linked into its executable:
 * its built-in schemas load, and the handlers and pure logic of its
 * resources (random_id, character classes, pets, UUIDs, upgrades). */
#include "test.h"

#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "plan.h"
#include "provider.h"
#include "provider/random/random.h"
#include "rpc.h"

/* The built-in schema of resource `type` (borrowed), or NULL. */
static const struct tf_schema *random_schema(const char *type)
{
	char path[128];
	snprintf(path, sizeof(path), "resources/%s.json", type);
	for (const struct tf_schema_file *f = thingform_schema_files; f->path; f++)
		if (!strcmp(f->path, path))
			return f->schema;
	return NULL;
}

TEST_IMPL(random_provider_loads)
{
	char err[256] = "";
	struct tf_rpc *rpc = tf_rpc_new(&thingform_provider, thingform_schema_files, err, sizeof(err));
	if (!rpc)
		TEST_FAIL_("%s", err);
	const struct tf_method *const *m = tf_rpc_methods(rpc);
	size_t n = 0;
	for (; m[n]; n++)
		ASSERT(!strncmp(m[n]->path, "/tfplugin6.Provider/", 20));
	ASSERT(n >= 14);
	tf_rpc_free(rpc);
	return 0;
}

/* Import: "ID" or "PREFIX,ID", split at the last comma. */
TEST_IMPL(random_id_import)
{
	static const struct { const char *id, *prefix, *hex; long long len; } ok[] = {
		{ "AenA7A", NULL, "01e9c0ec", 4 },
		{ "cloud-,AenA7A", "cloud-", "cloud-01e9c0ec", 4 },
		{ "a,b,AenA7A", "a,b", "a,b01e9c0ec", 4 },
		{ "-_8", NULL, "fbff", 2 },
	};
	static const char *const bad[] = { "", "AenA7A==", "Aen+7A", "x,", "AenA7B", "A" };
	const struct tf_schema *s = random_schema("random_id");
	ASSERT_NOT_NULL(s);
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct tf_diags d;
		struct tf_value *state = tf_value_new_empty_block(&s->block);
		struct tf_ctx c = { .diags = &d, .schema = s };
		int64_t len;
		tf_diags_init(&d);
		ASSERT_INT_EQ(random_id_resource.import(&c, ok[i].id, state), 0);
		ASSERT_STR_EQ(tf_value_get_string(state, "hex"), ok[i].hex);
		ASSERT(tf_value_get_int(state, "byte_length", &len) && len == ok[i].len);
		if (ok[i].prefix)
			ASSERT_STR_EQ(tf_value_get_string(state, "prefix"), ok[i].prefix);
		else
			ASSERT(tf_value_is_null(tf_value_get(state, "prefix")));
		ASSERT(tf_value_is_null(tf_value_get(state, "keepers")));
		tf_diags_release(&d);
		tf_value_free(state);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tf_diags d;
		struct tf_value *state = tf_value_new_empty_block(&s->block);
		struct tf_ctx c = { .diags = &d, .schema = s };
		tf_diags_init(&d);
		int rc = random_id_resource.import(&c, bad[i], state);
		bool said = d.errors == 1 && !strcmp(d.items[0].summary, "Import Random ID Error");
		tf_diags_release(&d);
		tf_value_free(state);
		if (rc == 0 || !said)
			TEST_FAIL_("import of \"%s\" was not refused clearly", bad[i]);
	}
	return 0;
}

/* Create: every encoding describes the same bytes; the prefix is on all
 * but id. */
TEST_IMPL(random_id_create)
{
	const struct tf_schema *s = random_schema("random_id");
	struct tf_diags d;
	struct tf_value *state = tf_value_new_empty_block(&s->block);
	struct tf_ctx c = { .diags = &d, .schema = s };
	size_t n;
	ASSERT(s && state);
	tf_diags_init(&d);
	tf_value_set(state, "byte_length", tf_value_new_int(9));
	tf_value_set(state, "prefix", tf_value_new_string("p-"));
	ASSERT_INT_EQ(random_id_resource.create(&c, state, state), 0);
	ASSERT_NULL(tf_find_unknown(state));
	const char *id = tf_value_get_string(state, "id");
	unsigned char *bytes = tf_base64_decode(id, TF_BASE64_URL_RAW, &n);
	ASSERT(bytes && n == 9);
	char *hex = tf_hex_encode(bytes, n), *b64 = tf_base64_encode(bytes, n, TF_BASE64_STD);
	char want[64];
	snprintf(want, sizeof(want), "p-%s", hex);
	ASSERT_STR_EQ(tf_value_get_string(state, "hex"), want);
	snprintf(want, sizeof(want), "p-%s", b64);
	ASSERT_STR_EQ(tf_value_get_string(state, "b64_std"), want);
	snprintf(want, sizeof(want), "p-%s", id);
	ASSERT_STR_EQ(tf_value_get_string(state, "b64_url"), want);
	ASSERT(!strncmp(tf_value_get_string(state, "dec"), "p-", 2));
	free(hex);
	free(b64);
	free(bytes);

	/* byte_length must be a whole number no larger than the cap */
	tf_value_set(state, "byte_length", tf_value_new_number("1.5"));
	ASSERT_INT_EQ(random_id_resource.validate(&c, state), -1);
	ASSERT_STR_EQ(d.items[d.n - 1].path.steps[0].name, "byte_length");
	tf_value_set(state, "byte_length", tf_value_new_number("1e12"));
	ASSERT_INT_EQ(random_id_resource.create(&c, state, state), -1);
	tf_diags_release(&d);
	tf_value_free(state);
	return 0;
}

/* --- randomness ------------------------------------------------------------ */

/* A seed gives the same stream every time, another seed another stream;
 * the OS generator two different ones. */
TEST_IMPL(random_rng_streams)
{
	unsigned char a[100], b[100], c[100];
	struct random_rng r;
	random_rng_init(&r, "fleet");
	ASSERT_INT_EQ(random_rng_bytes(&r, a, 37), 0); /* across block edges */
	ASSERT_INT_EQ(random_rng_bytes(&r, a + 37, 63), 0);
	random_rng_release(&r);
	random_rng_init(&r, "fleet");
	ASSERT_INT_EQ(random_rng_bytes(&r, b, sizeof(b)), 0);
	random_rng_release(&r);
	ASSERT_MEM_EQ(a, sizeof(a), b, sizeof(b));
	random_rng_init(&r, "fleet2");
	ASSERT_INT_EQ(random_rng_bytes(&r, c, sizeof(c)), 0);
	random_rng_release(&r);
	ASSERT(memcmp(a, c, sizeof(a)) != 0);
	random_rng_init(&r, ""); /* empty seed: the OS generator */
	ASSERT(!r.seeded);
	ASSERT_INT_EQ(random_rng_bytes(&r, b, sizeof(b)), 0);
	ASSERT_INT_EQ(random_rng_bytes(&r, c, sizeof(c)), 0);
	random_rng_release(&r);
	ASSERT(memcmp(b, c, sizeof(b)) != 0);
	return 0;
}

/* Draws stay in range and are spread evenly: over 60000 seeded draws
 * from [0, 6) each face is within 5% of 10000 (a modulo bias on a small
 * range would not show; the rejection bound is checked on a large one). */
TEST_IMPL(random_rng_below_uniform)
{
	struct random_rng r;
	long faces[6] = { 0 };
	uint64_t x;
	random_rng_init(&r, "dice");
	for (int i = 0; i < 60000; i++) {
		ASSERT_INT_EQ(random_rng_below(&r, 6, &x), 0);
		ASSERT(x < 6);
		faces[x]++;
	}
	for (int i = 0; i < 6; i++)
		if (faces[i] < 9500 || faces[i] > 10500)
			TEST_FAIL_("face %d came %ld times in 60000", i, faces[i]);
	/* n just above 2^63: half of all 64-bit draws are rejected; a modulo
	 * would put 2/3 of the results below 2^63 - 1, uniform puts 1/2 */
	uint64_t n = (UINT64_C(1) << 63) + (UINT64_C(1) << 62);
	int low = 0;
	for (int i = 0; i < 4000; i++) {
		ASSERT_INT_EQ(random_rng_below(&r, n, &x), 0);
		ASSERT(x < n);
		low += x < n / 2;
	}
	if (low < 1800 || low > 2200)
		TEST_FAIL_("%d of 4000 draws in the lower half", low);
	ASSERT_INT_EQ(random_rng_below(&r, 1, &x), 0);
	ASSERT_INT_EQ(x, 0);
	random_rng_release(&r);
	return 0;
}

TEST_IMPL(random_integer_ranges)
{
	struct random_rng r;
	int64_t v;
	bool seen[7] = { false };
	random_rng_init(&r, "range");
	for (int i = 0; i < 2000; i++) {
		ASSERT_INT_EQ(random_integer_draw(&r, -3, 3, &v), 0);
		ASSERT(v >= -3 && v <= 3);
		seen[v + 3] = true;
	}
	for (int i = 0; i < 7; i++)
		ASSERT(seen[i]);
	ASSERT_INT_EQ(random_integer_draw(&r, 42, 42, &v), 0);
	ASSERT_INT_EQ(v, 42);
	ASSERT_INT_EQ(random_integer_draw(&r, INT64_MIN, INT64_MAX, &v), 0);
	ASSERT_INT_EQ(random_integer_draw(&r, INT64_MAX - 1, INT64_MAX, &v), 0);
	ASSERT(v >= INT64_MAX - 1);
	random_rng_release(&r);
	return 0;
}

/* --- character classes ------------------------------------------------------ */

static size_t count_in(const char *s, const char *set)
{
	size_t n = 0;
	for (; *s; s++)
		n += strchr(set, *s) != NULL;
	return n;
}

#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define DIGITS "0123456789"

TEST_IMPL(random_chars_classes)
{
	static const struct {
		struct random_chars p;
		const char *allowed; /* every character is one of these */
	} cases[] = {
		{ { 40, true, true, true, true, 0, 0, 0, 0, NULL },
		  UPPER LOWER DIGITS "!@#$%&*()-_=+[]{}<>:?" },
		{ { 12, true, true, true, true, 3, 3, 3, 3, NULL },
		  UPPER LOWER DIGITS "!@#$%&*()-_=+[]{}<>:?" },
		{ { 30, false, false, true, false, 0, 0, 0, 0, NULL }, DIGITS },
		{ { 20, false, true, false, true, 0, 0, 0, 5, "_." }, LOWER "_." },
		{ { 6, false, true, false, false, 6, 0, 0, 0, NULL }, UPPER }, /* min beats "off" */
		{ { 8, false, false, false, true, 0, 0, 0, 0, "" }, "!@#$%&*()-_=+[]{}<>:?" },
	};
	struct random_rng r;
	const char *err;
	random_rng_init(&r, NULL);
	for (size_t i = 0; i < N_(cases); i++) {
		const struct random_chars *p = &cases[i].p;
		char *s = random_chars_make(p, &r, &err);
		if (!s)
			TEST_FAIL_("case %zu: %s", i, err);
		ASSERT_INT_EQ(strlen(s), p->length);
		ASSERT_INT_EQ(count_in(s, cases[i].allowed), p->length);
		ASSERT(count_in(s, UPPER) >= (size_t)p->min_upper);
		ASSERT(count_in(s, LOWER) >= (size_t)p->min_lower);
		ASSERT(count_in(s, DIGITS) >= (size_t)p->min_numeric);
		const char *special = p->override_special && *p->override_special
					      ? p->override_special : random_default_special;
		ASSERT(count_in(s, special) >= (size_t)p->min_special);
		free(s);
	}
	/* The guaranteed characters are shuffled in: over 200 strings of
	 * length 4 with min_upper 1 (and nothing else allowed but digits), the
	 * letter is seen in every position. */
	struct random_chars one = { 4, false, false, true, false, 1, 0, 0, 0, NULL };
	int where[4] = { 0 };
	for (int i = 0; i < 200; i++) {
		char *s = random_chars_make(&one, &r, &err);
		ASSERT_NOT_NULL(s);
		ASSERT_INT_EQ(count_in(s, UPPER), 1);
		where[strcspn(s, UPPER)]++;
		free(s);
	}
	for (int i = 0; i < 4; i++)
		ASSERT(where[i] > 0);
	random_rng_release(&r);
	return 0;
}

/* override_special's characters are code points, each one character. */
TEST_IMPL(random_chars_utf8)
{
	struct random_chars p = { 30, false, false, false, true, 0, 0, 0, 10, "\xc3\xa4\xe2\x82\xac" };
	struct random_rng r;
	const char *err;
	random_rng_init(&r, NULL);
	char *s = random_chars_make(&p, &r, &err);
	random_rng_release(&r);
	ASSERT_NOT_NULL(s);
	size_t chars = 0;
	for (const char *q = s; *q;) {
		if (!strncmp(q, "\xc3\xa4", 2))
			q += 2;
		else if (!strncmp(q, "\xe2\x82\xac", 3))
			q += 3;
		else
			TEST_FAIL_("unexpected byte %02x in \"%s\"", (unsigned char)*q, s);
		chars++;
	}
	ASSERT_INT_EQ(chars, 30);
	ASSERT(tf_utf8_valid(s, strlen(s)));
	free(s);
	return 0;
}

TEST_IMPL(random_chars_refusals)
{
	static const struct random_chars bad[] = {
		{ 0, true, true, true, true, 0, 0, 0, 0, NULL },
		{ 3, true, true, true, true, 2, 2, 0, 0, NULL },
		{ 5, false, false, false, false, 0, 0, 0, 0, NULL },
		{ 5, true, true, true, true, -1, 0, 0, 0, NULL },
		{ RANDOM_MAX_LENGTH + 1, true, true, true, true, 0, 0, 0, 0, NULL },
	};
	struct random_rng r;
	random_rng_init(&r, NULL);
	for (size_t i = 0; i < N_(bad); i++) {
		const char *err = NULL;
		char *s = random_chars_make(&bad[i], &r, &err);
		if (s || !err || !strcmp(err, "random") || !strcmp(err, "memory"))
			TEST_FAIL_("case %zu was not refused with a reason", i);
	}
	random_rng_release(&r);
	return 0;
}

/* --- pets --------------------------------------------------------------------- */

static bool in_list(const char *const *list, const char *w, size_t len)
{
	for (; *list; list++)
		if (strlen(*list) == len && !strncmp(*list, w, len))
			return true;
	return false;
}

/* (words-2) adverbs, an adjective, an animal; one word is an animal. */
TEST_IMPL(random_pet_shapes)
{
	struct random_rng r;
	const char *err;
	random_rng_init(&r, NULL);
	for (int64_t words = 1; words <= 6; words++) {
		char *name = random_pet_name(&r, words, "::", &err);
		ASSERT_NOT_NULL(name);
		const char *w = name;
		for (int64_t i = 0; i < words; i++) {
			const char *end = strstr(w, "::");
			size_t len = end ? (size_t)(end - w) : strlen(w);
			const char *const *list = i == words - 1 ? random_pet_animals
						  : i == words - 2 ? random_pet_adjectives
								   : random_pet_adverbs;
			if (!in_list(list, w, len))
				TEST_FAIL_("word %lld of \"%s\" is not from its list", (long long)i, name);
			ASSERT((end == NULL) == (i == words - 1));
			w = end ? end + 2 : w + len;
		}
		free(name);
	}
	ASSERT_NULL(random_pet_name(&r, 0, "-", &err));
	ASSERT(strstr(err, "length"));
	random_rng_release(&r);
	/* every word is lowercase ASCII, so no separator is needed to read it */
	const char *const *lists[] = { random_pet_adverbs, random_pet_adjectives, random_pet_animals };
	for (size_t l = 0; l < N_(lists); l++) {
		size_t n = 0;
		for (const char *const *w = lists[l]; *w; w++, n++)
			ASSERT(**w && strspn(*w, LOWER) == strlen(*w));
		ASSERT(n >= 100);
	}
	return 0;
}

/* --- UUIDs ------------------------------------------------------------------- */

TEST_IMPL(random_uuid_text)
{
	static const unsigned char bytes[16] = { 0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
						 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8 };
	static const char canonical[] = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
	static const struct { const char *text; bool strict_ok, loose_ok; } forms[] = {
		{ "6ba7b810-9dad-11d1-80b4-00c04fd430c8", true, true },
		{ "6BA7B810-9DAD-11D1-80B4-00C04FD430C8", true, true },
		{ "6ba7b8109dad11d180b400c04fd430c8", false, true },
		{ "{6ba7b810-9dad-11d1-80b4-00c04fd430c8}", false, true },
		{ "URN:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8", false, true },
		{ "6ba7b810-9dad-11d1-80b4-00c04fd430c", false, false },
		{ "6ba7b810-9dad-11d1-80b400c04fd430c8a", false, false },
		{ "6ba7b810+9dad-11d1-80b4-00c04fd430c8", false, false },
		{ "6ba7b810-9dad-11d1-80b4-00c04fd430cg", false, false },
		{ "(6ba7b810-9dad-11d1-80b4-00c04fd430c8)", false, false },
		{ "", false, false },
	};
	char text[RANDOM_UUID_TEXT];
	unsigned char out[16];
	random_uuid_format(bytes, text);
	ASSERT_STR_EQ(text, canonical);
	for (size_t i = 0; i < N_(forms); i++) {
		bool s = random_uuid_parse(forms[i].text, true, out);
		if (s != forms[i].strict_ok || (s && memcmp(out, bytes, 16)))
			TEST_FAIL_("strict parse of \"%s\"", forms[i].text);
		bool l = random_uuid_parse(forms[i].text, false, out);
		if (l != forms[i].loose_ok || (l && memcmp(out, bytes, 16)))
			TEST_FAIL_("parse of \"%s\"", forms[i].text);
	}
	/* version 7: RFC 9562's example time, 0x017F22E279B0 ms */
	static const unsigned char rand_b[8] = { 0xff, 0xc4, 0xdc, 0x0c, 0x0c, 0x07, 0x39, 0x8f };
	random_uuid7_build(UINT64_C(0x017F22E279B0), 0xcc3, rand_b, out);
	random_uuid_format(out, text);
	ASSERT_STR_EQ(text, "017f22e2-79b0-7cc3-bfc4-dc0c0c07398f");
	return 0;
}

/* Created UUIDs carry their version and variant; version 7 ones increase. */
TEST_IMPL(random_uuid_create)
{
	const struct tf_resource *res[] = { &random_uuid4_resource, &random_uuid7_resource };
	char last[RANDOM_UUID_TEXT] = "";
	for (size_t k = 0; k < N_(res); k++) {
		const struct tf_schema *s = random_schema(res[k]->name);
		ASSERT_NOT_NULL(s);
		for (int i = 0; i < 50; i++) {
			struct tf_diags d;
			struct tf_ctx c = { .diags = &d, .schema = s };
			struct tf_value *state = tf_value_new_empty_block(&s->block);
			tf_diags_init(&d);
			ASSERT_INT_EQ(res[k]->create(&c, state, state), 0);
			const char *u = tf_value_get_string(state, "result");
			ASSERT_STR_EQ(u, tf_value_get_string(state, "id"));
			ASSERT(u[14] == (k ? '7' : '4') && strchr("89ab", u[19]));
			if (k) {
				ASSERT(strcmp(last, u) < 0);
				memcpy(last, u, sizeof(last));
			}
			tf_diags_release(&d);
			tf_value_free(state);
		}
	}
	return 0;
}

/* --- bcrypt ------------------------------------------------------------------ */

TEST_IMPL(random_bcrypt_hashes)
{
	struct tf_diags d;
	struct tf_ctx c = { .diags = &d };
	char long_pw[81];
	tf_diags_init(&d);
	char *h = random_bcrypt_hash(&c, "s3cret", 6);
	ASSERT_NOT_NULL(h);
	ASSERT(strlen(h) == 60 && !strncmp(h, "$2a$10$", 7));
	ASSERT_INT_EQ(random_bcrypt_matches("s3cret", 6, h), 1);
	ASSERT_INT_EQ(random_bcrypt_matches("s3creT", 6, h), 0);
	ASSERT_INT_EQ(random_bcrypt_matches("s3cret", 6, "$2a$10$short"), -1);
	ASSERT_INT_EQ(random_bcrypt_matches("s3cret", 6, "plain"), -1);
	char *again = random_bcrypt_hash(&c, "s3cret", 6);
	ASSERT(again && strcmp(h, again) != 0); /* a new salt each time */
	free(h);
	free(again);
	/* only the first 72 bytes count */
	memset(long_pw, 'x', 80);
	long_pw[80] = '\0';
	h = random_bcrypt_hash(&c, long_pw, 80);
	ASSERT_NOT_NULL(h);
	long_pw[75] = 'y';
	ASSERT_INT_EQ(random_bcrypt_matches(long_pw, 80, h), 1);
	long_pw[71] = 'y';
	ASSERT_INT_EQ(random_bcrypt_matches(long_pw, 80, h), 0);
	free(h);
	ASSERT_INT_EQ(d.n, 0);
	tf_diags_release(&d);
	return 0;
}

/* --- random_string / random_password: plan rules and upgrades ------------------ */

static struct tf_value *bool_or_null(int b)
{
	return b < 0 ? tf_value_new_null() : tf_value_new_bool(b);
}

static bool has_path(const struct tf_paths *ps, const char *attr)
{
	for (size_t i = 0; i < ps->n; i++)
		if (ps->items[i].n == 1 && !strcmp(ps->items[i].steps[0].name, attr))
			return true;
	return false;
}

/* number and numeric plan to the same value; a change of either or of
 * override_special (but "" to unset) replaces. */
TEST_IMPL(random_strings_plan_rules)
{
	static const struct {
		int number, numeric;     /* config: -1 null */
		int prior;               /* prior number and numeric */
		const char *prior_over;  /* prior override_special, NULL: null */
		const char *over;        /* config override_special, NULL: null */
		int planned;             /* number and numeric planned */
		bool replace_numeric, replace_over;
	} cases[] = {
		{ -1, -1, 1, NULL, NULL, 1, false, false },
		{ 0, -1, 1, NULL, NULL, 0, true, false },
		{ -1, 0, 0, NULL, NULL, 0, false, false },
		{ 1, 1, 0, NULL, NULL, 1, true, false },
		{ -1, -1, 1, "", NULL, 1, false, false },
		{ -1, -1, 1, "!", NULL, 1, false, true },
		{ -1, -1, 1, NULL, "", 1, false, true },
		{ -1, -1, 1, "!", "!", 1, false, false },
	};
	const struct tf_schema *s = random_schema("random_string");
	ASSERT_NOT_NULL(s);
	for (size_t i = 0; i < N_(cases); i++) {
		struct tf_diags d;
		struct tf_ctx c = { .diags = &d, .schema = s };
		struct tf_paths replace = { 0 };
		struct tf_value *prior = tf_value_new_empty_block(&s->block);
		struct tf_value *config = tf_value_new_empty_block(&s->block);
		tf_diags_init(&d);
		tf_value_set(prior, "number", tf_value_new_bool(cases[i].prior));
		tf_value_set(prior, "numeric", tf_value_new_bool(cases[i].prior));
		tf_value_set(prior, "override_special", cases[i].prior_over
				 ? tf_value_new_string(cases[i].prior_over) : tf_value_new_null());
		tf_value_set(config, "number", bool_or_null(cases[i].number));
		tf_value_set(config, "numeric", bool_or_null(cases[i].numeric));
		tf_value_set(config, "override_special", cases[i].over
				 ? tf_value_new_string(cases[i].over) : tf_value_new_null());
		struct tf_value *planned = tf_value_dup(config);
		ASSERT_INT_EQ(random_string_resource.plan(&c, prior, config, planned, &replace), 0);
		const struct tf_value *nb = tf_value_get(planned, "number");
		const struct tf_value *nc = tf_value_get(planned, "numeric");
		if (!nb || !nc || nb->kind != TF_BOOL || nc->kind != TF_BOOL ||
		    nb->u.b != cases[i].planned || nc->u.b != cases[i].planned)
			TEST_FAIL_("case %zu: number/numeric not planned to %d", i, cases[i].planned);
		if (has_path(&replace, "numeric") != cases[i].replace_numeric ||
		    has_path(&replace, "number") != cases[i].replace_numeric ||
		    has_path(&replace, "override_special") != cases[i].replace_over)
			TEST_FAIL_("case %zu: wrong replacement (%zu paths)", i, replace.n);
		tf_paths_release(&replace);
		tf_value_free(planned);
		tf_value_free(prior);
		tf_value_free(config);
		tf_diags_release(&d);
	}
	return 0;
}

/* Validation: the sum of minimums, one class on, number == numeric. */
TEST_IMPL(random_strings_validate)
{
	static const struct {
		int64_t length, min_upper, min_special;
		int number, numeric, upper; /* -1 null */
		const char *path;           /* the attribute blamed, NULL: valid */
	} cases[] = {
		{ 10, 5, 5, -1, -1, -1, NULL },
		{ 9, 5, 5, -1, -1, -1, "length" },
		{ 9, 0, 0, 1, 0, -1, "numeric" },
		{ 9, 0, 0, -1, 0, -1, NULL },
		{ 9, 0, 0, 0, -1, 0, NULL }, /* special and lower are null: may be true */
	};
	const struct tf_schema *s = random_schema("random_password");
	ASSERT_NOT_NULL(s);
	for (size_t i = 0; i < N_(cases); i++) {
		struct tf_diags d;
		struct tf_ctx c = { .diags = &d, .schema = s };
		struct tf_value *config = tf_value_new_empty_block(&s->block);
		tf_diags_init(&d);
		tf_value_set(config, "length", tf_value_new_int(cases[i].length));
		tf_value_set(config, "min_upper", tf_value_new_int(cases[i].min_upper));
		tf_value_set(config, "min_special", tf_value_new_int(cases[i].min_special));
		tf_value_set(config, "number", bool_or_null(cases[i].number));
		tf_value_set(config, "numeric", bool_or_null(cases[i].numeric));
		tf_value_set(config, "upper", bool_or_null(cases[i].upper));
		int rc = random_password_resource.validate(&c, config);
		if (cases[i].path ? rc == 0 || strcmp(d.items[0].path.steps[0].name, cases[i].path)
				  : rc != 0)
			TEST_FAIL_("case %zu: validate gave %d", i, rc);
		tf_value_free(config);
		tf_diags_release(&d);
	}
	/* all four classes off */
	struct tf_diags d;
	struct tf_ctx c = { .diags = &d, .schema = s };
	struct tf_value *config = tf_value_new_empty_block(&s->block);
	tf_diags_init(&d);
	static const char *const off[] = { "numeric", "upper", "lower", "special" };
	tf_value_set(config, "length", tf_value_new_int(4));
	for (size_t i = 0; i < N_(off); i++)
		tf_value_set(config, off[i], tf_value_new_bool(false));
	ASSERT_INT_EQ(random_password_resource.validate(&c, config), -1);
	ASSERT_STR_EQ(d.items[0].summary, "Invalid Attribute Combination");
	tf_value_free(config);
	tf_diags_release(&d);
	return 0;
}

/* A state as an older schema version left it, decoded with today's type:
 * null options, no numeric, maybe no bcrypt_hash. */
static struct tf_value *old_string_state(const struct tf_schema *s, const char *result)
{
	struct tf_value *v = tf_value_new_empty_block(&s->block);
	tf_value_set(v, "result", tf_value_new_string(result));
	tf_value_set(v, "id", tf_value_new_string("none"));
	tf_value_set(v, "number", tf_value_new_bool(false));
	tf_value_set(v, "upper", tf_value_new_bool(false));
	return v;
}

TEST_IMPL(random_strings_upgrades)
{
	const struct tf_schema *ss = random_schema("random_string"), *ps = random_schema("random_password");
	struct tf_diags d;
	struct tf_ctx c = { .diags = &d, .schema = ss };
	int64_t n;
	ASSERT(ss && ps && ss->version == 2 && ps->version == 3);
	tf_diags_init(&d);

	/* random_string v1: defaults filled, numeric from number, length in characters */
	struct tf_value *v = old_string_state(ss, "ab\xc3\xa4");
	ASSERT_INT_EQ(random_string_resource.upgrade(&c, 1, v), 0);
	ASSERT(tf_value_get_int(v, "length", &n) && n == 3);
	ASSERT(tf_value_get_int(v, "min_special", &n) && n == 0);
	ASSERT(!random_get_bool(v, "numeric", true) && !random_get_bool(v, "upper", true));
	ASSERT(random_get_bool(v, "lower", false) && random_get_bool(v, "special", false));
	ASSERT_NULL(tf_value_get_string(v, "bcrypt_hash"));
	tf_value_free(v);
	v = old_string_state(ss, "x");
	ASSERT_INT_EQ(random_string_resource.upgrade(&c, 0, v), -1);
	ASSERT_STR_EQ(d.items[d.n - 1].summary, "Unable to Upgrade Resource State");
	tf_value_free(v);

	/* random_password v0: a hash is made */
	c.schema = ps;
	v = old_string_state(ps, "pw0");
	ASSERT_INT_EQ(random_password_resource.upgrade(&c, 0, v), 0);
	ASSERT_INT_EQ(random_bcrypt_matches("pw0", 3, tf_value_get_string(v, "bcrypt_hash")), 1);
	ASSERT(!random_get_bool(v, "numeric", true));
	/* v1: the hash is kept as it is */
	char *kept = strdup(tf_value_get_string(v, "bcrypt_hash"));
	ASSERT_INT_EQ(random_password_resource.upgrade(&c, 1, v), 0);
	ASSERT_STR_EQ(tf_value_get_string(v, "bcrypt_hash"), kept);
	/* v2: a matching hash is kept, a hash of something else replaced */
	ASSERT_INT_EQ(random_password_resource.upgrade(&c, 2, v), 0);
	ASSERT_STR_EQ(tf_value_get_string(v, "bcrypt_hash"), kept);
	tf_value_set(v, "result", tf_value_new_string("pw2"));
	ASSERT_INT_EQ(random_password_resource.upgrade(&c, 2, v), 0);
	ASSERT(strcmp(tf_value_get_string(v, "bcrypt_hash"), kept) != 0);
	ASSERT_INT_EQ(random_bcrypt_matches("pw2", 3, tf_value_get_string(v, "bcrypt_hash")), 1);
	free(kept);
	ASSERT_INT_EQ(d.errors, 1);
	/* v2 with something that is not a bcrypt hash: an error, not a new hash */
	tf_value_set(v, "bcrypt_hash", tf_value_new_string("not-a-hash"));
	ASSERT_INT_EQ(random_password_resource.upgrade(&c, 2, v), -1);
	ASSERT_STR_EQ(d.items[d.n - 1].path.steps[0].name, "bcrypt_hash");
	ASSERT_INT_EQ(random_password_resource.upgrade(&c, 3, v), -1);
	tf_value_free(v);
	tf_diags_release(&d);
	return 0;
}

/*
 * test-aws-policy.c - policy documents (check, canonical text,
 * equivalence), tag rules (merge, read, diff), the IoT tag list and the
 * policy name check.
 */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "diag.h"
#include "provider/aws/config.h"
#include "provider/aws/iot.h"
#include "provider/aws/policy_doc.h"
#include "provider/aws/tags.h"
#include "test.h"

TEST_IMPL(aws_policy_doc_check)
{
	static const struct {
		const char *text, *why; /* why: NULL when valid, else a piece of the reason */
	} cases[] = {
		{ "{}", NULL },
		{ " {\"Version\": \"2012-10-17\", \"Statement\": []}\n", NULL },
		{ "", "empty" },
		{ "  \n", "empty" },
		{ "{", "line 1" },
		{ "{\"a\": 1,}", "line 1" },
		{ "[]", "a list" },
		{ "\"{}\"", "a string" },
		{ "12", "a number" },
		{ "null", "null" },
		{ "{} {}", "end of file expected" },
	};
	for (size_t i = 0; i < N_(cases); i++) {
		char why[256] = "";
		int rc = policy_doc_check(cases[i].text, why, sizeof(why));
		if (!cases[i].why) {
			ASSERT_INT_EQ(rc, 0);
			continue;
		}
		ASSERT_INT_EQ(rc, -1);
		if (!strstr(why, cases[i].why))
			TEST_FAIL_("case %zu: \"%s\" lacks \"%s\"", i, why, cases[i].why);
	}
	return 0;
}

TEST_IMPL(aws_policy_doc_normalize)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "{ \"b\" : 1,\n \"a\" : [ true , null ] }", "{\"a\":[true,null],\"b\":1}" },
		{ "{\"Statement\":[{\"Resource\":\"a<b>&c\"}]}",
		  "{\"Statement\":[{\"Resource\":\"a\\u003cb\\u003e\\u0026c\"}]}" },
		{ "{\"k\":\"tab\\there \\\\b \\b\\f\"}", "{\"k\":\"tab\\there \\\\b \\u0008\\u000c\"}" },
		{ "{\"k\":\"\\u2028\\u2029\\u00e9\"}", "{\"k\":\"\\u2028\\u2029\xc3\xa9\"}" },
		{ "{\"z\":{\"y\":\"\\\"<\\\"\",\"x\":2}}", "{\"z\":{\"x\":2,\"y\":\"\\\"\\u003c\\\"\"}}" },
	};
	for (size_t i = 0; i < N_(cases); i++) {
		char *got = policy_doc_normalize(cases[i].in);
		ASSERT_STR_EQ(got, cases[i].out);
		free(got);
	}
	ASSERT_NULL(policy_doc_normalize("[1]"));
	ASSERT_NULL(policy_doc_normalize("{"));
	return 0;
}

#define DOC(stmts) "{\"Version\":\"2012-10-17\",\"Statement\":" stmts "}"
#define ALLOW_CONNECT "{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}"
#define ALLOW_PUBLISH "{\"Effect\":\"Allow\",\"Action\":[\"iot:Publish\",\"iot:Receive\"],\"Resource\":[\"arn:t/a\",\"arn:t/b\"]}"

TEST_IMPL(aws_policy_doc_equivalent)
{
	static const struct {
		const char *a, *b;
		bool equal;
	} cases[] = {
		/* reformatted, reordered keys */
		{ DOC("[" ALLOW_CONNECT "]"),
		  "{ \"Statement\" : [ { \"Resource\":\"*\", \"Action\":\"iot:Connect\", \"Effect\":\"Allow\" } ],\n"
		  "  \"Version\" : \"2012-10-17\" }", true },
		/* one statement as an object or a list */
		{ DOC("[" ALLOW_CONNECT "]"), DOC(ALLOW_CONNECT), true },
		/* statement order */
		{ DOC("[" ALLOW_CONNECT "," ALLOW_PUBLISH "]"), DOC("[" ALLOW_PUBLISH "," ALLOW_CONNECT "]"), true },
		/* a string equals a one-element list; list order is ignored */
		{ DOC("[" ALLOW_CONNECT "]"),
		  DOC("[{\"Effect\":\"Allow\",\"Action\":[\"iot:Connect\"],\"Resource\":[\"*\"]}]"), true },
		{ DOC("[" ALLOW_PUBLISH "]"),
		  DOC("[{\"Effect\":\"Allow\",\"Action\":[\"iot:Receive\",\"iot:Publish\"],\"Resource\":[\"arn:t/b\",\"arn:t/a\"]}]"), true },
		/* Effect case */
		{ DOC("[" ALLOW_CONNECT "]"),
		  DOC("[{\"Effect\":\"allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}]"), true },
		/* escapes */
		{ DOC("[" ALLOW_CONNECT "]"),
		  DOC("[{\"Effect\":\"Allow\",\"Action\":\"iot:\\u0043onnect\",\"Resource\":\"*\"}]"), true },
		/* empty documents */
		{ "", "{}", true },
		{ " ", "{ }", true },
		/* real differences */
		{ DOC("[" ALLOW_CONNECT "]"),
		  DOC("[{\"Effect\":\"Deny\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}]"), false },
		{ DOC("[" ALLOW_CONNECT "]"),
		  DOC("[{\"Effect\":\"Allow\",\"Action\":\"iot:connect\",\"Resource\":\"*\"}]"), false },
		{ DOC("[" ALLOW_CONNECT "]"), DOC("[" ALLOW_CONNECT "," ALLOW_CONNECT "]"), false },
		{ DOC("[" ALLOW_CONNECT "," ALLOW_CONNECT "]"), DOC("[" ALLOW_CONNECT "," ALLOW_PUBLISH "]"), false },
		{ DOC("[" ALLOW_PUBLISH "]"),
		  DOC("[{\"Effect\":\"Allow\",\"Action\":[\"iot:Publish\",\"iot:Publish\"],\"Resource\":[\"arn:t/a\",\"arn:t/b\"]}]"), false },
		{ DOC("[" ALLOW_CONNECT "]"),
		  "{\"Version\":\"2008-10-17\",\"Statement\":[" ALLOW_CONNECT "]}", false },
		{ DOC("[" ALLOW_CONNECT "]"), "{\"Statement\":[" ALLOW_CONNECT "]}", false },
		{ DOC("[{\"Sid\":\"a\",\"Effect\":\"Allow\",\"Action\":\"x\"}]"),
		  DOC("[{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"x\"}]"), false },
		/* Sid and Id: absent equals "" */
		{ DOC("[{\"Sid\":\"\",\"Effect\":\"Allow\",\"Action\":\"x\"}]"),
		  DOC("[{\"Effect\":\"Allow\",\"Action\":\"x\"}]"), true },
		{ "{\"Id\":\"\",\"Statement\":[]}", "{\"Statement\":[]}", true },
		/* unknown keys compare as JSON */
		{ DOC("[{\"Effect\":\"Allow\",\"Action\":\"x\",\"Extra\":[1,2]}]"),
		  DOC("[{\"Effect\":\"Allow\",\"Action\":\"x\",\"Extra\":[1,2]}]"), true },
		{ DOC("[{\"Effect\":\"Allow\",\"Action\":\"x\",\"Extra\":[1,2]}]"),
		  DOC("[{\"Effect\":\"Allow\",\"Action\":\"x\",\"Extra\":[2,1]}]"), false },
		{ "{\"Statement\":[],\"Other\":1}", "{\"Statement\":[]}", false },
		/* conditions: operator and key sets, values as sets; scalars as text */
		{ DOC("[{\"Effect\":\"Allow\",\"Action\":\"x\",\"Condition\":{\"StringEquals\":{\"k\":[\"a\",\"b\"]},\"Bool\":{\"s\":true}}}]"),
		  DOC("[{\"Effect\":\"Allow\",\"Action\":\"x\",\"Condition\":{\"Bool\":{\"s\":\"true\"},\"StringEquals\":{\"k\":[\"b\",\"a\"]}}}]"), true },
		{ DOC("[{\"Effect\":\"Allow\",\"Action\":\"x\",\"Condition\":{\"StringEquals\":{\"k\":\"a\"}}}]"),
		  DOC("[{\"Effect\":\"Allow\",\"Action\":\"x\",\"Condition\":{\"StringEquals\":{\"k\":\"b\"}}}]"), false },
		{ DOC("[{\"Effect\":\"Allow\",\"Action\":\"x\",\"Condition\":{\"StringEquals\":{\"k\":\"a\"}}}]"),
		  DOC("[{\"Effect\":\"Allow\",\"Action\":\"x\",\"Condition\":{\"StringLike\":{\"k\":\"a\"}}}]"), false },
		{ DOC("[{\"Effect\":\"Allow\",\"Action\":\"x\",\"Condition\":{\"StringEquals\":{\"k\":\"a\"}}}]"),
		  DOC("[{\"Effect\":\"Allow\",\"Action\":\"x\",\"Condition\":{\"StringEquals\":{\"k\":\"a\",\"j\":\"a\"}}}]"), false },
		{ DOC("[{\"Effect\":\"Allow\",\"Action\":\"x\",\"Condition\":{\"StringEquals\":{\"k\":\"a\"}}}]"),
		  DOC("[{\"Effect\":\"Allow\",\"Action\":\"x\"}]"), false },
		/* principals: account id and root ARN, string sets per key */
		{ DOC("[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"123456789012\"}}]"),
		  DOC("[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::123456789012:root\"]}}]"), true },
		{ DOC("[{\"Effect\":\"Allow\",\"Principal\":\"123456789012\"}]"),
		  DOC("[{\"Effect\":\"Allow\",\"Principal\":\"arn:aws-cn:iam::123456789012:root\"}]"), true },
		{ DOC("[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"123456789012\"}}]"),
		  DOC("[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789013:root\"}}]"), false },
		{ DOC("[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"123456789012\"}}]"),
		  DOC("[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/x\"}}]"), false },
		{ DOC("[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\",\"Service\":[]}}]"),
		  DOC("[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"*\"]}}]"), true },
		{ DOC("[{\"Effect\":\"Allow\",\"Principal\":\"*\"}]"),
		  DOC("[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"}}]"), false },
		{ DOC("[{\"Effect\":\"Allow\",\"Principal\":\"*\"}]"), DOC("[{\"Effect\":\"Allow\"}]"), false },
		/* not JSON objects: equal only to the same text */
		{ "[1]", "[1]", true },
		{ "[1]", "[ 1 ]", false },
		{ "{", "{}", false },
		/* shapes the rules do not cover compare as JSON */
		{ DOC("[{\"Effect\":\"Allow\",\"Action\":{\"a\":1}}]"), DOC("[{\"Effect\":\"Allow\",\"Action\":{\"a\":1}}]"), true },
		{ DOC("[{\"Effect\":\"Allow\",\"Action\":{\"a\":1}}]"), DOC("[{\"Effect\":\"Allow\",\"Action\":{\"a\":2}}]"), false },
		{ DOC("\"x\""), DOC("\"x\""), true },
		{ DOC("[1]"), DOC("[1]"), true },
		{ DOC("[1]"), DOC("[2]"), false },
	};
	for (size_t i = 0; i < N_(cases); i++) {
		if (policy_doc_equivalent(cases[i].a, cases[i].b) != cases[i].equal)
			TEST_FAIL_("case %zu: %s vs %s should%s be equivalent", i, cases[i].a, cases[i].b,
				   cases[i].equal ? "" : " not");
		if (policy_doc_equivalent(cases[i].b, cases[i].a) != cases[i].equal)
			TEST_FAIL_("case %zu (swapped) is not symmetric", i);
	}
	/* the canonical text means the same as its source */
	for (size_t i = 0; i < N_(cases); i++) {
		char *canon = policy_doc_normalize(cases[i].a);
		if (canon && !policy_doc_equivalent(canon, cases[i].a))
			TEST_FAIL_("case %zu: canonical %s differs from %s", i, canon, cases[i].a);
		free(canon);
	}
	return 0;
}

/* A map(string) value from JSON (NULL on a bad literal). */
static struct tf_value *map_of(const char *json)
{
	struct tf_type *t = test_type("[\"map\",\"string\"]");
	struct tf_diags d;
	tf_diags_init(&d);
	struct tf_value *v = t ? tf_json_decode(json, strlen(json), t, &d) : NULL;
	tf_diags_release(&d);
	tf_type_free(t);
	return v;
}

static struct tf_value *set_of(const char *const *items, size_t n)
{
	struct tf_value *s = tf_value_new_collection(TF_SET);
	for (size_t i = 0; s && i < n; i++)
		if (tf_value_append(s, tf_value_new_string(items[i])) < 0)
			return NULL;
	return s;
}

/* NULL when `v` equals the map written as `json`, else what differs. */
static const char *map_is(const struct tf_value *v, const char *json)
{
	struct tf_value *want = map_of(json);
	const char *err = tf_value_equal(v, want) ? NULL : test_why("map differs from %s", json);
	tf_value_free(want);
	return err;
}

static void rules_release(struct aws_tag_rules *r)
{
	tf_value_free(r->defaults);
	tf_value_free(r->ignore_keys);
	tf_value_free(r->ignore_prefixes);
}

TEST_IMPL(aws_tags_merge_and_ignore)
{
	static const char *const keys[] = { "skip" }, *const prefixes[] = { "tmp:", "x" };
	struct aws_tag_rules r = {
		map_of("{\"env\":\"prod\",\"team\":\"iot\",\"skip\":\"1\",\"xtra\":\"1\"}"),
		set_of(keys, N_(keys)), set_of(prefixes, N_(prefixes)),
	};
	ASSERT(aws_tag_ignored(&r, "aws:cloudformation:stack-name"));
	ASSERT(aws_tag_ignored(&r, "skip"));
	ASSERT(aws_tag_ignored(&r, "tmp:a"));
	ASSERT(aws_tag_ignored(&r, "x"));
	ASSERT(!aws_tag_ignored(&r, "skipper"));
	ASSERT(!aws_tag_ignored(&r, "AWS:upper"));
	ASSERT(aws_tag_ignored(NULL, "aws:x"));
	ASSERT(!aws_tag_ignored(NULL, "env"));

	struct tf_value *tags = map_of("{\"team\":\"fleet\",\"app\":\"door\",\"tmp:z\":\"1\",\"aws:q\":\"1\"}");
	struct tf_value *all = aws_tags_merge(&r, tags);
	CHECK(map_is(all, "{\"env\":\"prod\",\"team\":\"fleet\",\"app\":\"door\"}"));
	tf_value_free(all);
	all = aws_tags_merge(&r, NULL);
	CHECK(map_is(all, "{\"env\":\"prod\",\"team\":\"iot\"}"));
	tf_value_free(all);
	all = aws_tags_merge(NULL, tags);
	CHECK(map_is(all, "{\"team\":\"fleet\",\"app\":\"door\",\"tmp:z\":\"1\"}"));
	tf_value_free(all);

	/* an unknown map, or an unknown value in it, makes tags_all unknown */
	struct tf_value *unknown = tf_value_new_unknown();
	all = aws_tags_merge(&r, unknown);
	ASSERT(tf_value_is_unknown(all));
	tf_value_free(all);
	ASSERT_INT_EQ(tf_value_set(tags, "later", unknown), 0);
	all = aws_tags_merge(&r, tags);
	ASSERT(tf_value_is_unknown(all));
	tf_value_free(all);
	tf_value_free(tags);
	rules_release(&r);
	return 0;
}

/* aws_tags_read on a state whose tags are `prior` (NULL: null). */
static const char *read_case(const struct aws_tag_rules *r, const char *prior, const char *remote,
			     const char *want_tags, const char *want_all)
{
	struct tf_value *state = tf_value_new_collection(TF_OBJECT);
	struct tf_value *rem = map_of(remote);
	const char *err = NULL;
	tf_value_set(state, "tags", prior ? map_of(prior) : tf_value_new_null());
	if (aws_tags_read(r, rem, state) < 0)
		err = "aws_tags_read failed";
	else if (!want_tags && !tf_value_is_null(tf_value_get(state, "tags")))
		err = test_why("tags should stay null (prior %s, remote %s)", prior, remote);
	else if (want_tags && (err = map_is(tf_value_get(state, "tags"), want_tags)))
		err = test_why("tags: prior %s, remote %s, want %s", prior, remote, want_tags);
	else if ((err = map_is(tf_value_get(state, "tags_all"), want_all)))
		err = test_why("tags_all: remote %s, want %s", remote, want_all);
	tf_value_free(rem);
	tf_value_free(state);
	return err;
}

TEST_IMPL(aws_tags_read_owned)
{
	static const char *const keys[] = { "ign" };
	struct aws_tag_rules r = { map_of("{\"env\":\"prod\"}"), set_of(keys, 1), NULL };
	/* defaults with their value belong to tags_all only */
	CHECK(read_case(&r, NULL, "{\"env\":\"prod\"}", NULL, "{\"env\":\"prod\"}"));
	/* ...unless the resource's tags set them too */
	CHECK(read_case(&r, "{\"env\":\"prod\"}", "{\"env\":\"prod\"}", "{\"env\":\"prod\"}",
			"{\"env\":\"prod\"}"));
	/* a default changed out of band, and an extra tag, show up in tags */
	CHECK(read_case(&r, NULL, "{\"env\":\"dev\",\"new\":\"1\",\"aws:sys\":\"1\"}",
			"{\"env\":\"dev\",\"new\":\"1\"}", "{\"env\":\"dev\",\"new\":\"1\"}"));
	/* a tag removed out of band leaves tags */
	CHECK(read_case(&r, "{\"a\":\"1\",\"b\":\"2\"}", "{\"a\":\"1\",\"env\":\"prod\"}",
			"{\"a\":\"1\"}", "{\"a\":\"1\",\"env\":\"prod\"}"));
	/* an empty map stays an empty map, null stays null */
	CHECK(read_case(&r, "{}", "{\"env\":\"prod\"}", "{}", "{\"env\":\"prod\"}"));
	CHECK(read_case(&r, NULL, "{}", NULL, "{}"));
	/* ignored keys: never in tags_all; tags keeps what it had for them */
	CHECK(read_case(&r, "{\"ign\":\"mine\"}", "{\"ign\":\"theirs\"}", "{\"ign\":\"mine\"}", "{}"));
	CHECK(read_case(&r, NULL, "{\"ign\":\"theirs\"}", NULL, "{}"));
	rules_release(&r);
	return 0;
}

TEST_IMPL(aws_config_tags)
{
	static const char type[] =
		"[\"object\",{\"default_tags\":[\"list\",[\"object\",{\"tags\":[\"map\",\"string\"]}]],"
		"\"ignore_tags\":[\"list\",[\"object\",{\"keys\":[\"set\",\"string\"],"
		"\"key_prefixes\":[\"set\",\"string\"]}]]}]";
	static const char block[] =
		"{\"default_tags\":[{\"tags\":{\"env\":\"prod\",\"team\":\"iot\"}}],"
		"\"ignore_tags\":[{\"keys\":[\"a\"],\"key_prefixes\":null}]}";
	struct tf_type *t = test_type(type);
	struct tf_diags d;
	tf_diags_init(&d);
	struct tf_value *config = t ? tf_json_decode(block, strlen(block), t, &d) : NULL;
	ASSERT_NOT_NULL(config);
	struct tf_ctx c = { .diags = &d };
	struct aws_config *cfg = calloc(1, sizeof(*cfg));
	ASSERT_NOT_NULL(cfg);
	/* the block's default tags win over the environment's; ignore lists merge */
	setenv("TF_AWS_DEFAULT_TAGS_env", "from-env", 1);
	setenv("TF_AWS_DEFAULT_TAGS_owner", "ops", 1);
	setenv("TF_AWS_DEFAULT_TAGS_", "no key", 1);
	setenv("TF_AWS_IGNORE_TAGS_KEYS", " b , ,c", 1);
	setenv("TF_AWS_IGNORE_TAGS_KEY_PREFIXES", "tmp:", 1);
	int rc = aws_config_tags(&c, config, cfg);
	unsetenv("TF_AWS_DEFAULT_TAGS_env");
	unsetenv("TF_AWS_DEFAULT_TAGS_owner");
	unsetenv("TF_AWS_DEFAULT_TAGS_");
	unsetenv("TF_AWS_IGNORE_TAGS_KEYS");
	unsetenv("TF_AWS_IGNORE_TAGS_KEY_PREFIXES");
	ASSERT_INT_EQ(rc, 0);
	CHECK(map_is(cfg->tags.defaults, "{\"env\":\"prod\",\"team\":\"iot\",\"owner\":\"ops\"}"));
	ASSERT_INT_EQ(cfg->tags.ignore_keys->u.seq.n, 3);
	ASSERT(aws_tag_ignored(&cfg->tags, "a") && aws_tag_ignored(&cfg->tags, "b") &&
	       aws_tag_ignored(&cfg->tags, "c") && aws_tag_ignored(&cfg->tags, "tmp:x"));
	ASSERT(!aws_tag_ignored(&cfg->tags, " b") && !aws_tag_ignored(&cfg->tags, ""));
	aws_config_free(cfg);

	/* nothing configured: no rules at all */
	struct tf_value *empty = tf_value_new_collection(TF_OBJECT);
	cfg = calloc(1, sizeof(*cfg));
	ASSERT(empty && cfg);
	ASSERT_INT_EQ(aws_config_tags(&c, empty, cfg), 0);
	ASSERT(!cfg->tags.defaults && !cfg->tags.ignore_keys && !cfg->tags.ignore_prefixes);
	aws_config_free(cfg);
	tf_value_free(empty);
	tf_value_free(config);
	tf_type_free(t);
	tf_diags_release(&d);
	return 0;
}

TEST_IMPL(aws_tags_diff)
{
	struct tf_value *from = map_of("{\"keep\":\"1\",\"change\":\"a\",\"drop\":\"x\"}");
	struct tf_value *to = map_of("{\"keep\":\"1\",\"change\":\"b\",\"add\":\"y\"}");
	struct tf_value *set, *unset;
	ASSERT_INT_EQ(aws_tags_diff(from, to, &set, &unset), 0);
	CHECK(map_is(set, "{\"change\":\"b\",\"add\":\"y\"}"));
	ASSERT_INT_EQ(unset->kind, TF_SET);
	ASSERT_INT_EQ(unset->u.seq.n, 1);
	ASSERT_STR_EQ(unset->u.seq.items[0]->u.str.ptr, "drop");
	tf_value_free(set);
	tf_value_free(unset);
	/* from nothing, and to nothing */
	ASSERT_INT_EQ(aws_tags_diff(NULL, to, &set, &unset), 0);
	ASSERT_INT_EQ(set->u.kv.n, 3);
	ASSERT_INT_EQ(unset->u.seq.n, 0);
	tf_value_free(set);
	tf_value_free(unset);
	ASSERT_INT_EQ(aws_tags_diff(from, NULL, &set, &unset), 0);
	ASSERT_INT_EQ(set->u.kv.n, 0);
	ASSERT_INT_EQ(unset->u.seq.n, 3);
	tf_value_free(set);
	tf_value_free(unset);
	tf_value_free(from);
	tf_value_free(to);
	return 0;
}

TEST_IMPL(aws_iot_tags_json)
{
	struct tf_value *tags = map_of("{\"b\":\"2\",\"a\":\"x\\u0000y\"}");
	json_t *list = iot_tags_json(tags);
	char *text = json_dumps(list, JSON_COMPACT);
	ASSERT_STR_EQ(text, "[{\"Key\":\"a\",\"Value\":\"x\\u0000y\"},{\"Key\":\"b\",\"Value\":\"2\"}]");
	free(text);
	json_decref(list);
	tf_value_free(tags);
	return 0;
}

TEST_IMPL(aws_iot_policy_names)
{
	static const struct {
		const char *s;
		bool valid;
	} cases[] = {
		{ "door-policy_1+=,.@", true },
		{ "", false },
		{ "has space", false },
		{ "a/b", false },
		{ "a:b", false },
		{ "arn:aws:iot:eu-west-1:123456789012:policy/x", false },
	};
	char long_name[130];
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[129] = 0;
	ASSERT(!iot_policy_name_valid(long_name));
	long_name[128] = 0;
	ASSERT(iot_policy_name_valid(long_name));
	for (size_t i = 0; i < N_(cases); i++)
		if (iot_policy_name_valid(cases[i].s) != cases[i].valid)
			TEST_FAIL_("policy name \"%s\"", cases[i].s);
	return 0;
}

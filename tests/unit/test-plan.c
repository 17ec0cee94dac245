/* test-plan.c - schema loading and the generic plan/validation rules. */
#include "test.h"

#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "plan.h"
#include "schema.h"

/* a: required, force_new; b: optional; c: computed, kept; d: computed;
 * e: optional+computed with a default; k: keepers; n: bounded number;
 * s: enum string; x, y: conflicting. */
static const char schema_text[] = "{"
	"\"kind\":\"resource\",\"name\":\"t\",\"version\":2,\"attributes\":{"
	"\"a\":{\"type\":\"string\",\"required\":true,\"force_new\":true},"
	"\"b\":{\"type\":\"string\",\"optional\":true},"
	"\"c\":{\"type\":\"string\",\"computed\":true,\"use_state_for_unknown\":true},"
	"\"d\":{\"type\":\"string\",\"computed\":true},"
	"\"e\":{\"type\":\"string\",\"optional\":true,\"computed\":true,\"default\":\"x\"},"
	"\"k\":{\"type\":[\"map\",\"string\"],\"optional\":true,\"force_new\":\"if_values_not_null\"},"
	"\"n\":{\"type\":\"number\",\"optional\":true,\"min\":1,\"max\":10},"
	"\"s\":{\"type\":\"string\",\"optional\":true,\"one_of\":[\"RSA\",\"ECDSA\"],\"max_length\":5},"
	"\"x\":{\"type\":\"bool\",\"optional\":true,\"conflicts_with\":[\"y\"]},"
	"\"y\":{\"type\":\"bool\",\"optional\":true}"
	"},\"blocks\":{\"sub\":{\"nesting\":\"list\",\"max_items\":1,\"attributes\":{"
	"\"v\":{\"type\":\"number\",\"optional\":true,\"min\":0}}}}}";

static struct tf_schema *load(void)
{
	char err[256];
	struct tf_schema *s = tf_schema_parse("t.json", schema_text, err, sizeof(err));
	if (!s)
		fprintf(stderr, "%s\n", err);
	return s;
}

/* A value of the schema's type from JSON (missing attributes are null). */
static struct tf_value *obj(const struct tf_schema *s, const char *json)
{
	struct tf_diags d;
	tf_diags_init(&d);
	struct tf_value *v = tf_json_decode(json, strlen(json), s->block.type, &d);
	tf_diags_release(&d);
	return v;
}

TEST_IMPL(schema_parse)
{
	struct tf_schema *s = load();
	ASSERT_NOT_NULL(s);
	ASSERT_INT_EQ(s->kind, TF_SCHEMA_RESOURCE);
	ASSERT_INT_EQ(s->version, 2);
	ASSERT_INT_EQ(s->block.n_attrs, 10);
	ASSERT_STR_EQ(s->block.attrs[0].name, "a"); /* sorted */
	const struct tf_attr *e = tf_block_attr(&s->block, "e");
	ASSERT(e && e->default_value && e->default_value->kind == TF_STRING);
	ASSERT_INT_EQ(tf_block_attr(&s->block, "k")->replace, TF_REPLACE_IF_VALUES_NOT_NULL);
	ASSERT_NULL(tf_block_attr(&s->block, "zz"));
	const struct tf_nested_block *sub = tf_block_nested(&s->block, "sub");
	ASSERT(sub && sub->nesting == TF_NESTING_LIST && sub->max_items == 1);
	char *type = tf_type_to_json(s->block.type);
	ASSERT_NOT_NULL(strstr(type, "\"sub\":[\"list\",[\"object\",{\"v\":\"number\"}]]"));
	free(type);
	tf_schema_free(s);
	return 0;
}

TEST_IMPL(schema_parse_errors)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "{", "t.json:" },
		{ "[]", "must be an object" },
		{ "{\"kind\":\"resource\"}", "\"name\" is required" },
		{ "{\"kind\":\"thing\",\"name\":\"t\"}", "\"kind\" must be" },
		{ "{\"kind\":\"resource\",\"name\":\"t\",\"colour\":1}", "unknown key \"colour\"" },
		{ "{\"kind\":\"resource\",\"name\":\"t\",\"attributes\":{\"a\":{\"type\":\"string\"}}}",
		  "must be required, optional or computed" },
		{ "{\"kind\":\"resource\",\"name\":\"t\",\"attributes\":{\"a\":{\"type\":\"strin\",\"optional\":true}}}",
		  "attribute \"a\"" },
		{ "{\"kind\":\"resource\",\"name\":\"t\",\"attributes\":{\"a\":{\"type\":\"string\",\"required\":true,\"computed\":true}}}",
		  "required excludes" },
		{ "{\"kind\":\"resource\",\"name\":\"t\",\"attributes\":{\"a\":{\"type\":\"number\",\"optional\":true,\"computed\":true,\"default\":\"x\"}}}",
		  "does not fit the type" },
		{ "{\"kind\":\"resource\",\"name\":\"t\",\"attributes\":{\"a\":{\"type\":\"string\",\"optional\":true,\"force_new\":\"maybe\"}}}",
		  "force_new" },
		{ "{\"kind\":\"resource\",\"name\":\"t\",\"blocks\":{\"b\":{\"nesting\":\"tree\"}}}",
		  "\"nesting\" must be" },
		{ "{\"kind\":\"ephemeral_resource\",\"name\":\"t\",\"version\":1}", "no \"version\"" },
		{ "{\"kind\":\"ephemeral_resource\",\"name\":\"t\",\"attributes\":{\"a\":{\"type\":\"string\",\"required\":true,\"force_new\":true}}}",
		  "attribute \"a\": \"force_new\"" },
		{ "{\"kind\":\"ephemeral_resource\",\"name\":\"t\",\"attributes\":{\"a\":{\"type\":\"string\",\"computed\":true,\"use_state_for_unknown\":true}}}",
		  "mean nothing for an ephemeral resource" },
		{ "{\"kind\":\"ephemeral_resource\",\"name\":\"t\",\"blocks\":{\"b\":{\"nesting\":\"list\",\"blocks\":{\"c\":{\"nesting\":\"single\",\"force_new\":true}}}}}",
		  "block \"c\": \"force_new\"" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		struct tf_schema *s = tf_schema_parse("t.json", cases[i].text, err, sizeof(err));
		if (s) {
			tf_schema_free(s);
			TEST_FAIL_("case %zu parsed", i);
		}
		if (!strstr(err, cases[i].want))
			TEST_FAIL_("case %zu: \"%s\" lacks \"%s\"", i, err, cases[i].want);
	}
	return 0;
}

static bool is_unknown(const struct tf_value *o, const char *k)
{
	return tf_value_is_unknown(tf_value_get(o, k));
}

TEST_IMPL(plan_create)
{
	struct tf_schema *s = load();
	struct tf_value *config = obj(s, "{\"a\":\"1\",\"sub\":[]}");
	struct tf_value *prior = tf_value_new_null();
	struct tf_paths replace = { 0 };
	ASSERT(s && config && prior);
	struct tf_value *planned = tf_plan_resource(&s->block, prior, config, config, &replace);
	ASSERT_NOT_NULL(planned);
	ASSERT_STR_EQ(tf_value_get_string(planned, "a"), "1");
	ASSERT(is_unknown(planned, "c") && is_unknown(planned, "d"));
	ASSERT_STR_EQ(tf_value_get_string(planned, "e"), "x"); /* the default */
	ASSERT(tf_value_is_null(tf_value_get(planned, "b")));  /* not computed: stays null */
	ASSERT_INT_EQ(replace.n, 0);
	tf_value_free(planned);
	tf_value_free(config);
	tf_value_free(prior);
	tf_schema_free(s);
	return 0;
}

TEST_IMPL(plan_update)
{
	struct tf_schema *s = load();
	struct tf_value *prior = obj(s, "{\"a\":\"1\",\"c\":\"C\",\"d\":\"D\",\"e\":\"x\",\"sub\":[]}");
	struct tf_paths replace = { 0 };
	ASSERT(s && prior);

	/* Nothing changed: the plan is the prior state, nothing unknown. */
	struct tf_value *config = obj(s, "{\"a\":\"1\",\"sub\":[]}");
	struct tf_value *planned = tf_plan_resource(&s->block, prior, prior, config, &replace);
	ASSERT(planned && tf_value_equal(planned, prior) && replace.n == 0);
	tf_value_free(planned);
	tf_value_free(config);

	/* b changed in place: d becomes unknown, c keeps its value. */
	config = obj(s, "{\"a\":\"1\",\"b\":\"new\",\"sub\":[]}");
	struct tf_value *proposed = obj(s, "{\"a\":\"1\",\"b\":\"new\",\"c\":\"C\",\"d\":\"D\",\"e\":\"x\",\"sub\":[]}");
	planned = tf_plan_resource(&s->block, prior, proposed, config, &replace);
	ASSERT(planned && is_unknown(planned, "d"));
	ASSERT_STR_EQ(tf_value_get_string(planned, "c"), "C");
	ASSERT_INT_EQ(replace.n, 0);
	tf_value_free(planned);
	tf_value_free(proposed);
	tf_value_free(config);

	/* a changed: replacement, on the path "a". */
	config = obj(s, "{\"a\":\"2\",\"sub\":[]}");
	proposed = obj(s, "{\"a\":\"2\",\"c\":\"C\",\"d\":\"D\",\"e\":\"x\",\"sub\":[]}");
	planned = tf_plan_resource(&s->block, prior, proposed, config, &replace);
	ASSERT(planned && replace.n == 1 && replace.items[0].n == 1);
	ASSERT_STR_EQ(replace.items[0].steps[0].name, "a");
	/* A plan slot that finds the change is one of form only drops it. */
	ASSERT_INT_EQ(tf_paths_add_attr(&replace, "b"), 0);
	tf_paths_remove_attr(&replace, "a");
	ASSERT(replace.n == 1 && !strcmp(replace.items[0].steps[0].name, "b"));
	tf_paths_remove_attr(&replace, "b");
	tf_paths_remove_attr(&replace, "absent");
	ASSERT_INT_EQ(replace.n, 0);
	tf_paths_release(&replace);
	tf_value_free(planned);
	tf_value_free(proposed);
	tf_value_free(config);

	tf_value_free(prior);
	tf_schema_free(s);
	return 0;
}

/* The keepers rule, case by case (prior keepers, configured keepers). */
TEST_IMPL(plan_keepers)
{
	static const struct { const char *prior, *config; bool replace; } cases[] = {
		{ "null", "null", false },
		{ "{\"a\":\"1\"}", "{\"a\":\"1\"}", false },
		{ "{\"a\":\"1\"}", "{\"a\":\"2\"}", true },
		{ "null", "{\"a\":\"1\"}", true },          /* a first non-null keeper */
		{ "null", "{\"a\":null}", false },          /* only nulls added */
		{ "{\"a\":\"1\"}", "{\"a\":\"1\",\"b\":null}", false },
		{ "{\"a\":\"1\"}", "{\"a\":\"1\",\"b\":\"2\"}", true },
		{ "{\"a\":\"1\",\"b\":\"2\"}", "{\"a\":\"1\"}", true }, /* a key removed */
		{ "{\"a\":\"1\"}", "null", true },
	};
	struct tf_schema *s = load();
	ASSERT_NOT_NULL(s);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char p[256], c[256];
		snprintf(p, sizeof(p), "{\"a\":\"1\",\"c\":\"C\",\"d\":\"D\",\"e\":\"x\",\"k\":%s,\"sub\":[]}",
			 cases[i].prior);
		snprintf(c, sizeof(c), "{\"a\":\"1\",\"k\":%s,\"sub\":[]}", cases[i].config);
		struct tf_value *prior = obj(s, p), *config = obj(s, c);
		struct tf_value *proposed = tf_value_dup(prior);
		struct tf_paths replace = { 0 };
		ASSERT(prior && config && proposed);
		tf_value_set(proposed, "k", tf_value_dup(tf_value_get(config, "k")));
		struct tf_value *planned = tf_plan_resource(&s->block, prior, proposed, config, &replace);
		bool got = replace.n > 0;
		tf_paths_release(&replace);
		tf_value_free(planned);
		tf_value_free(proposed);
		tf_value_free(prior);
		tf_value_free(config);
		if (got != cases[i].replace)
			TEST_FAIL_("keepers %s -> %s: replace=%d, want %d", cases[i].prior,
				   cases[i].config, got, cases[i].replace);
	}
	tf_schema_free(s);
	return 0;
}

TEST_IMPL(plan_validate)
{
	static const struct { const char *config, *path; } cases[] = {
		{ "{\"a\":\"1\",\"n\":0}", "n" },
		{ "{\"a\":\"1\",\"n\":11}", "n" },
		{ "{\"a\":\"1\",\"s\":\"DSA\"}", "s" },
		{ "{\"a\":\"1\",\"s\":\"ECDSAX\"}", "s" },
		{ "{\"a\":\"1\",\"x\":true,\"y\":false}", "x" },
		{ "{\"a\":\"1\",\"sub\":[{\"v\":-1}]}", "sub[0].v" },
		{ "{\"a\":\"1\",\"sub\":[{\"v\":1},{\"v\":2}]}", "sub" },
		{ "{\"b\":\"1\"}", "a" },
		{ "{\"a\":\"1\",\"n\":10,\"s\":\"RSA\",\"x\":true,\"sub\":[{\"v\":0}]}", NULL },
	};
	struct tf_schema *s = load();
	ASSERT_NOT_NULL(s);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tf_value *config = obj(s, cases[i].config);
		struct tf_diags d;
		ASSERT_NOT_NULL(config);
		tf_diags_init(&d);
		tf_validate_config(&s->block, config, &d);
		char *path = d.n ? tf_path_to_string(&d.items[0].path) : NULL;
		bool ok = cases[i].path ? d.errors >= 1 && path && !strcmp(path, cases[i].path)
					: d.n == 0;
		if (!ok)
			fprintf(stderr, "  case %zu: %zu errors, first at %s: %s\n", i, d.errors,
				path ? path : "-", d.n ? d.items[0].detail : "-");
		free(path);
		tf_diags_release(&d);
		tf_value_free(config);
		if (!ok)
			TEST_FAIL_("validation case %zu", i);
	}
	/* Unknown values are not judged at validation time. */
	struct tf_value *config = obj(s, "{\"a\":\"1\"}");
	struct tf_diags d;
	tf_diags_init(&d);
	tf_value_set(config, "n", tf_value_new_unknown());
	tf_validate_config(&s->block, config, &d);
	ASSERT_INT_EQ(d.n, 0);
	tf_diags_release(&d);
	tf_value_free(config);
	tf_schema_free(s);
	return 0;
}

TEST_IMPL(plan_empty_block_and_unknowns)
{
	struct tf_schema *s = load();
	ASSERT_NOT_NULL(s);
	struct tf_value *v = tf_value_new_empty_block(&s->block);
	ASSERT(v && tf_value_is_null(tf_value_get(v, "a")));
	ASSERT(tf_value_get(v, "sub")->kind == TF_LIST);
	ASSERT_NULL(tf_find_unknown(v));
	struct tf_value *sub = tf_value_new_collection(TF_OBJECT);
	tf_value_set(sub, "v", tf_value_new_unknown());
	tf_value_append(tf_value_get(v, "sub"), sub);
	char *where = tf_find_unknown(v);
	ASSERT_STR_EQ(where, "sub[0].v");
	free(where);
	/* and the codec agrees the shape matches the schema's type */
	struct tf_bytes b = { 0 };
	struct tf_diags d;
	tf_diags_init(&d);
	ASSERT_INT_EQ(tf_msgpack_encode(v, s->block.type, &b, &d), 0);
	tf_diags_release(&d);
	tf_bytes_release(&b);
	tf_value_free(v);
	tf_schema_free(s);
	return 0;
}

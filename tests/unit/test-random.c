/* test-random.c - the random provider as linked into its executable:
 * its embedded schemas load, and random_id's handlers. */
#include "test.h"

#include <stdlib.h>

#include "encode.h"
#include "plan.h"
#include "provider.h"
#include "provider/random/random.h"
#include "rpc.h"

static struct tf_schema *random_id_schema(void)
{
	char err[256];
	for (const struct tf_schema_file *f = thingform_schema_files; f->path; f++)
		if (!strcmp(f->path, "resources/random_id.json"))
			return tf_schema_parse(f->path, f->text, err, sizeof(err));
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
	struct tf_schema *s = random_id_schema();
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
	tf_schema_free(s);
	return 0;
}

/* Create: every encoding describes the same bytes; the prefix is on all
 * but id. */
TEST_IMPL(random_id_create)
{
	struct tf_schema *s = random_id_schema();
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
	tf_schema_free(s);
	return 0;
}

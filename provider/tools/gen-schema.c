/*
 * gen-schema.c - a provider's schema files as C data.
 *
 *   gen-schema PROVIDER FILE... > schema_PROVIDER.c
 *
 * Parses each schema/PROVIDER/... FILE with the core's parser (schema.c)
 * and prints the resulting structs as static initializers, with the table
 *
 *   const struct tf_schema_file thingform_schema_files[] = {
 *           { "resources/random_id.json", &schema_0 }, ..., { NULL, NULL } };
 *
 * so an executable starts with its schemas already built instead of
 * parsing JSON, and a malformed schema file fails the build.  The printed
 * data is what tf_schema_parse returned, pointer for pointer, except that
 * the primitive types are shared; nothing in it is ever freed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider/tools/read-file.h"
#include "schema.h"

static FILE *out;
static unsigned next_id;

static const char *const type_kinds[] = {
	[TF_TYPE_DYNAMIC] = "TF_TYPE_DYNAMIC", [TF_TYPE_BOOL] = "TF_TYPE_BOOL",
	[TF_TYPE_NUMBER] = "TF_TYPE_NUMBER",   [TF_TYPE_STRING] = "TF_TYPE_STRING",
	[TF_TYPE_LIST] = "TF_TYPE_LIST",       [TF_TYPE_SET] = "TF_TYPE_SET",
	[TF_TYPE_MAP] = "TF_TYPE_MAP",         [TF_TYPE_OBJECT] = "TF_TYPE_OBJECT",
	[TF_TYPE_TUPLE] = "TF_TYPE_TUPLE",
};
static const char *const value_kinds[] = {
	[TF_NULL] = "TF_NULL",     [TF_UNKNOWN] = "TF_UNKNOWN", [TF_BOOL] = "TF_BOOL",
	[TF_NUMBER] = "TF_NUMBER", [TF_STRING] = "TF_STRING",   [TF_LIST] = "TF_LIST",
	[TF_SET] = "TF_SET",       [TF_TUPLE] = "TF_TUPLE",     [TF_MAP] = "TF_MAP",
	[TF_OBJECT] = "TF_OBJECT",
};
static const char *const schema_kinds[] = {
	[TF_SCHEMA_PROVIDER] = "TF_SCHEMA_PROVIDER",
	[TF_SCHEMA_RESOURCE] = "TF_SCHEMA_RESOURCE",
	[TF_SCHEMA_DATA_SOURCE] = "TF_SCHEMA_DATA_SOURCE",
	[TF_SCHEMA_EPHEMERAL_RESOURCE] = "TF_SCHEMA_EPHEMERAL_RESOURCE",
};
static const char *const replaces[] = {
	[TF_REPLACE_NEVER] = "TF_REPLACE_NEVER",
	[TF_REPLACE_ALWAYS] = "TF_REPLACE_ALWAYS",
	[TF_REPLACE_IF_VALUES_NOT_NULL] = "TF_REPLACE_IF_VALUES_NOT_NULL",
};
static const char *const nestings[] = {
	[TF_NESTING_SINGLE] = "TF_NESTING_SINGLE", [TF_NESTING_LIST] = "TF_NESTING_LIST",
	[TF_NESTING_SET] = "TF_NESTING_SET",       [TF_NESTING_MAP] = "TF_NESTING_MAP",
	[TF_NESTING_GROUP] = "TF_NESTING_GROUP",
};

/* A C string literal of len bytes; octal escapes for all but printable
 * ASCII, and '?' escaped too so no trigraph can form.  A newline in the
 * text also breaks the literal, to keep descriptions readable. */
static void put_bytes(const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			fputs(i + 1 < len ? "\\n\"\n\t\"" : "\\n", out);
		else if (c == '"' || c == '\\' || c == '?')
			fprintf(out, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, out);
		else
			fprintf(out, "\\%03o", c);
	}
	fputc('"', out);
}

static void put_string(const char *s)
{
	if (s)
		put_bytes(s, strlen(s));
	else
		fputs("NULL", out);
}

/* Prints a NULL-terminated array of strings; its id, or 0 for NULL. */
static unsigned emit_strings(char *const *list, size_t n)
{
	if (!list)
		return 0;
	unsigned id = ++next_id;
	fprintf(out, "static char *s%u[] = {", id);
	for (size_t i = 0; i < n; i++) {
		fputs("\n\t", out);
		put_string(list[i]);
		fputc(',', out);
	}
	fputs("\n\tNULL,\n};\n", out);
	return id;
}

static size_t list_len(char *const *list)
{
	size_t n = 0;
	while (list && list[n])
		n++;
	return n;
}

/* Prints a type and what it points to; its id.  Primitive types are
 * immutable leaves, so each is printed once and shared. */
static unsigned emit_type(const struct tf_type *t)
{
	static unsigned primitive[TF_TYPE_TUPLE + 1];
	bool leaf = t->kind != TF_TYPE_OBJECT && t->kind != TF_TYPE_TUPLE && !t->elem;
	if (leaf && primitive[t->kind])
		return primitive[t->kind];
	unsigned elem = t->elem ? emit_type(t->elem) : 0, names = 0, types = 0;
	if (t->n) {
		unsigned *members = calloc(t->n, sizeof(*members));
		if (!members) {
			fprintf(stderr, "gen-schema: out of memory\n");
			exit(1);
		}
		for (size_t i = 0; i < t->n; i++)
			members[i] = emit_type(t->types[i]);
		if (t->names)
			names = emit_strings(t->names, t->n);
		types = ++next_id;
		fprintf(out, "static struct tf_type *t%u[] = {", types);
		for (size_t i = 0; i < t->n; i++)
			fprintf(out, " &t%u,", members[i]);
		fputs(" };\n", out);
		free(members);
	}
	unsigned id = ++next_id;
	fprintf(out, "static struct tf_type t%u = { .kind = %s", id, type_kinds[t->kind]);
	if (elem)
		fprintf(out, ", .elem = &t%u", elem);
	if (t->n)
		fprintf(out, ", .n = %zu, .types = t%u", t->n, types);
	if (names)
		fprintf(out, ", .names = s%u", names);
	fputs(" };\n", out);
	if (leaf)
		primitive[t->kind] = id;
	return id;
}

/* Prints a value and what it points to; its id. */
static unsigned emit_value(const struct tf_value *v)
{
	unsigned dyn = v->dyn_type ? emit_type(v->dyn_type) : 0, items = 0, keys = 0;
	size_t n = 0;
	switch (v->kind) {
	case TF_LIST: case TF_SET: case TF_TUPLE: case TF_MAP: case TF_OBJECT: {
		bool kv = v->kind == TF_MAP || v->kind == TF_OBJECT;
		struct tf_value *const *vals = kv ? v->u.kv.vals : v->u.seq.items;
		n = kv ? v->u.kv.n : v->u.seq.n;
		unsigned *ids = calloc(n + 1, sizeof(*ids));
		if (!ids) {
			fprintf(stderr, "gen-schema: out of memory\n");
			exit(1);
		}
		for (size_t i = 0; i < n; i++)
			ids[i] = emit_value(vals[i]);
		if (kv)
			keys = emit_strings(v->u.kv.keys, n);
		items = ++next_id;
		fprintf(out, "static struct tf_value *v%u[] = {", items);
		for (size_t i = 0; i < n; i++)
			fprintf(out, " &v%u,", ids[i]);
		fputs(" NULL };\n", out);
		free(ids);
		break;
	}
	default:
		break;
	}
	unsigned id = ++next_id;
	fprintf(out, "static struct tf_value v%u = { .kind = %s", id, value_kinds[v->kind]);
	switch (v->kind) {
	case TF_BOOL:
		fprintf(out, ", .u.b = %s", v->u.b ? "true" : "false");
		break;
	case TF_NUMBER:
		fputs(", .u.num = ", out);
		put_string(v->u.num);
		break;
	case TF_STRING:
		fputs(", .u.str = { ", out);
		put_bytes(v->u.str.ptr, v->u.str.len);
		fprintf(out, ", %zu }", v->u.str.len);
		break;
	case TF_LIST: case TF_SET: case TF_TUPLE:
		fprintf(out, ", .u.seq = { v%u, %zu }", items, n);
		break;
	case TF_MAP: case TF_OBJECT:
		fprintf(out, ", .u.kv = { s%u, v%u, %zu }", keys, items, n);
		break;
	default:
		break;
	}
	if (dyn)
		fprintf(out, ", .dyn_type = &t%u", dyn);
	fputs(" };\n", out);
	return id;
}

static void put_flag(const char *name, bool on)
{
	if (on)
		fprintf(out, ", .%s = true", name);
}

/* ", .name = \"text\"" when there is a text. */
static void put_text(const char *name, const char *text)
{
	if (text) {
		fprintf(out, ", .%s = ", name);
		put_string(text);
	}
}

/* What a block's initializer refers to, printed before it. */
struct block_ids {
	unsigned attrs, blocks, type;
};

static struct block_ids emit_block_parts(const struct tf_block *b);
static void put_block(const struct tf_block *b, struct block_ids ids);

static void put_attr(const struct tf_attr *a, unsigned type, unsigned def, unsigned one_of,
		     unsigned conflicts)
{
	fputs("\t{ .name = ", out);
	put_string(a->name);
	fprintf(out, ", .type = &t%u", type);
	put_text("description", a->description);
	put_text("deprecated", a->deprecated);
	put_flag("required", a->required);
	put_flag("optional", a->optional);
	put_flag("computed", a->computed);
	put_flag("sensitive", a->sensitive);
	put_flag("write_only", a->write_only);
	put_flag("use_state_for_unknown", a->use_state_for_unknown);
	if (a->replace != TF_REPLACE_NEVER)
		fprintf(out, ", .replace = %s", replaces[a->replace]);
	if (def)
		fprintf(out, ", .default_value = &v%u", def);
	const struct tf_validation *c = &a->check;
	put_flag("check.has_min", c->has_min);
	put_text("check.min", c->has_min ? c->min : NULL);
	put_flag("check.has_max", c->has_max);
	put_text("check.max", c->has_max ? c->max : NULL);
	if (c->has_min_length)
		fprintf(out, ", .check.has_min_length = true, .check.min_length = %lld",
			(long long)c->min_length);
	if (c->has_max_length)
		fprintf(out, ", .check.has_max_length = true, .check.max_length = %lld",
			(long long)c->max_length);
	if (one_of)
		fprintf(out, ", .check.one_of = s%u", one_of);
	if (conflicts)
		fprintf(out, ", .check.conflicts_with = s%u", conflicts);
	fputs(" },\n", out);
}

static struct block_ids emit_block_parts(const struct tf_block *b)
{
	struct block_ids ids = { 0 };
	/* per attribute: type, default, one_of, conflicts_with; per block: its parts */
	unsigned *attr_ids = calloc(4 * b->n_attrs + 1, sizeof(*attr_ids));
	struct block_ids *nested = calloc(b->n_blocks + 1, sizeof(*nested));
	if (!attr_ids || !nested) {
		fprintf(stderr, "gen-schema: out of memory\n");
		exit(1);
	}
	for (size_t i = 0; i < b->n_attrs; i++) {
		const struct tf_attr *a = &b->attrs[i];
		attr_ids[4 * i] = emit_type(a->type);
		attr_ids[4 * i + 1] = a->default_value ? emit_value(a->default_value) : 0;
		attr_ids[4 * i + 2] = emit_strings(a->check.one_of, list_len(a->check.one_of));
		attr_ids[4 * i + 3] =
			emit_strings(a->check.conflicts_with, list_len(a->check.conflicts_with));
	}
	for (size_t i = 0; i < b->n_blocks; i++)
		nested[i] = emit_block_parts(&b->blocks[i].block);
	/* As from the parser, the arrays end with an empty entry, so neither
	 * is NULL even when it has none (bsearch wants a base). */
	ids.attrs = ++next_id;
	fprintf(out, "static struct tf_attr a%u[] = {\n", ids.attrs);
	for (size_t i = 0; i < b->n_attrs; i++)
		put_attr(&b->attrs[i], attr_ids[4 * i], attr_ids[4 * i + 1], attr_ids[4 * i + 2],
			 attr_ids[4 * i + 3]);
	fputs("\t{ .name = NULL },\n};\n", out);
	ids.blocks = ++next_id;
	fprintf(out, "static struct tf_nested_block b%u[] = {\n", ids.blocks);
	for (size_t i = 0; i < b->n_blocks; i++) {
		const struct tf_nested_block *nb = &b->blocks[i];
		fputs("\t{ .name = ", out);
		put_string(nb->name);
		fprintf(out, ", .nesting = %s, .min_items = %lld, .max_items = %lld",
			nestings[nb->nesting], (long long)nb->min_items, (long long)nb->max_items);
		if (nb->replace != TF_REPLACE_NEVER)
			fprintf(out, ", .replace = %s", replaces[nb->replace]);
		fputs(",\n\t  .block = ", out);
		put_block(&nb->block, nested[i]);
		fputs(" },\n", out);
	}
	fputs("\t{ .name = NULL },\n};\n", out);
	ids.type = emit_type(b->type);
	free(attr_ids);
	free(nested);
	return ids;
}

static void put_block(const struct tf_block *b, struct block_ids ids)
{
	fprintf(out, "{ .type = &t%u, .attrs = a%u, .n_attrs = %zu, .blocks = b%u, .n_blocks = %zu",
		ids.type, ids.attrs, b->n_attrs, ids.blocks, b->n_blocks);
	put_text("description", b->description);
	put_text("deprecated", b->deprecated);
	fputs(" }", out);
}

/* Prints one schema; its id. */
static unsigned emit_schema(const struct tf_schema *s)
{
	struct block_ids ids = emit_block_parts(&s->block);
	unsigned id = ++next_id;
	fprintf(out, "static struct tf_schema schema_%u = {\n\t.name = ", id);
	put_string(s->name);
	fprintf(out, ", .kind = %s, .version = %lld,\n\t.block = ", schema_kinds[s->kind],
		(long long)s->version);
	put_block(&s->block, ids);
	fputs(",\n};\n\n", out);
	return id;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: gen-schema PROVIDER schema/PROVIDER/FILE.json...\n");
		return 2;
	}
	char prefix[256];
	snprintf(prefix, sizeof(prefix), "schema/%s/", argv[1]);
	unsigned *ids = calloc((size_t)argc, sizeof(*ids));
	if (!ids) {
		fprintf(stderr, "gen-schema: out of memory\n");
		return 1;
	}
	out = stdout;
	fprintf(out, "/* Generated by provider/tools/gen-schema.c from schema/%s/: do not edit. */\n"
		     "#include <stdbool.h>\n#include <stddef.h>\n\n#include \"schema.h\"\n\n",
		argv[1]);
	for (int i = 2; i < argc; i++) {
		char *text = read_file(argv[i]), err[512];
		struct tf_schema *s = text ? tf_schema_parse(argv[i], text, err, sizeof(err)) : NULL;
		if (!s) {
			if (text)
				fprintf(stderr, "gen-schema: %s\n", err);
			else
				fprintf(stderr, "gen-schema: cannot read %s: %s\n", argv[i], strerror(errno));
			free(text);
			free(ids);
			return 1;
		}
		ids[i] = emit_schema(s);
		tf_schema_free(s);
		free(text);
	}
	fputs("const struct tf_schema_file thingform_schema_files[] = {\n", out);
	for (int i = 2; i < argc; i++) {
		const char *rel = strncmp(argv[i], prefix, strlen(prefix)) == 0
					  ? argv[i] + strlen(prefix) : argv[i];
		fputs("\t{ ", out);
		put_string(rel);
		fprintf(out, ", &schema_%u },\n", ids[i]);
	}
	fputs("\t{ NULL, NULL },\n};\n", out);
	free(ids);
	return fflush(out) == 0 && !ferror(out) ? 0 : 1;
}

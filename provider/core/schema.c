/*
 * schema.c - parse the JSON files of schema/<provider>/ into struct tf_schema.
 *
 * The files are ours, but they are still checked strictly: an unknown key,
 * a wrong type or a contradictory set of flags is a start-up error naming
 * the file and the key, so a typo in a schema can never silently change
 * what Terraform is told.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "codec.h"
#include "schema.h"

struct loader {
	const char *file;
	char *err;
	size_t errlen;
	int failed;
};

static void fail(struct loader *l, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct loader *l, const char *where, const char *fmt, ...)
{
	if (l->failed++)
		return; /* keep the first message: later ones are consequences */
	int n = snprintf(l->err, l->errlen, "%s: %s: ", l->file, where);
	if (n < 0 || (size_t)n >= l->errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->err + n, l->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

static int cmp_attr(const void *a, const void *b)
{
	return strcmp(((const struct tf_attr *)a)->name, ((const struct tf_attr *)b)->name);
}

static int cmp_nested(const void *a, const void *b)
{
	return strcmp(((const struct tf_nested_block *)a)->name,
		      ((const struct tf_nested_block *)b)->name);
}

/* Every key of `obj` must be one of the NULL-terminated `allowed`. */
static void check_keys(struct loader *l, const char *where, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		const char *const *a = allowed;
		while (*a && strcmp(*a, key) != 0)
			a++;
		if (!*a)
			fail(l, where, "unknown key \"%s\"", key);
	}
}

static bool get_bool(struct loader *l, const char *where, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return false;
	if (!json_is_boolean(v)) {
		fail(l, where, "\"%s\" must be true or false", key);
		return false;
	}
	return json_is_true(v);
}

static char *get_string(struct loader *l, const char *where, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return NULL;
	if (!json_is_string(v)) {
		fail(l, where, "\"%s\" must be a string", key);
		return NULL;
	}
	return strdup(json_string_value(v));
}

static int64_t get_int(struct loader *l, const char *where, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		fail(l, where, "\"%s\" must be a non-negative integer", key);
		return 0;
	}
	return json_integer_value(v);
}

static char *get_number_text(struct loader *l, const char *where, json_t *obj, const char *key,
			     bool *has)
{
	json_t *v = json_object_get(obj, key);
	char buf[64];
	*has = v != NULL;
	if (!v)
		return NULL;
	if (json_is_integer(v))
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, sizeof(buf), "%.17g", json_real_value(v));
	else {
		fail(l, where, "\"%s\" must be a number", key);
		*has = false;
		return NULL;
	}
	return strdup(buf);
}

/* A NULL-terminated copy of an array of strings. */
static char **get_string_list(struct loader *l, const char *where, json_t *obj, const char *key)
{
	json_t *arr = json_object_get(obj, key);
	if (!arr)
		return NULL;
	if (!json_is_array(arr)) {
		fail(l, where, "\"%s\" must be an array of strings", key);
		return NULL;
	}
	char **list = calloc(json_array_size(arr) + 1, sizeof(*list));
	if (!list) {
		fail(l, where, "out of memory");
		return NULL;
	}
	size_t i;
	json_t *s;
	json_array_foreach(arr, i, s) {
		if (!json_is_string(s)) {
			fail(l, where, "\"%s\"[%zu] must be a string", key, i);
			break;
		}
		list[i] = strdup(json_string_value(s));
	}
	return list;
}

static void free_string_list(char **list)
{
	for (char **p = list; p && *p; p++)
		free(*p);
	free(list);
}

static enum tf_replace get_replace(struct loader *l, const char *where, json_t *obj)
{
	json_t *v = json_object_get(obj, "force_new");
	if (!v || json_is_false(v))
		return TF_REPLACE_NEVER;
	if (json_is_true(v))
		return TF_REPLACE_ALWAYS;
	if (json_is_string(v) && strcmp(json_string_value(v), "if_values_not_null") == 0)
		return TF_REPLACE_IF_VALUES_NOT_NULL;
	fail(l, where, "\"force_new\" must be true, false or \"if_values_not_null\"");
	return TF_REPLACE_NEVER;
}

static void parse_attr(struct loader *l, const char *name, json_t *obj, struct tf_attr *a)
{
	static const char *const keys[] = {
		"type", "description", "deprecated", "required", "optional", "computed",
		"sensitive", "write_only", "use_state_for_unknown", "force_new", "default",
		"min", "max", "min_length", "max_length", "one_of", "conflicts_with", NULL,
	};
	char where[256];
	snprintf(where, sizeof(where), "attribute \"%s\"", name);

	a->name = strdup(name);
	if (!json_is_object(obj)) {
		fail(l, where, "must be an object");
		return;
	}
	check_keys(l, where, obj, keys);

	json_t *type = json_object_get(obj, "type");
	char *type_text = type ? json_dumps(type, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	char terr[128] = "missing \"type\"";
	if (type_text)
		a->type = tf_type_from_json(type_text, strlen(type_text), terr, sizeof(terr));
	free(type_text);
	if (!a->type)
		fail(l, where, "%s", terr);

	a->description = get_string(l, where, obj, "description");
	a->deprecated = get_string(l, where, obj, "deprecated");
	a->required = get_bool(l, where, obj, "required");
	a->optional = get_bool(l, where, obj, "optional");
	a->computed = get_bool(l, where, obj, "computed");
	a->sensitive = get_bool(l, where, obj, "sensitive");
	a->write_only = get_bool(l, where, obj, "write_only");
	a->use_state_for_unknown = get_bool(l, where, obj, "use_state_for_unknown");
	a->replace = get_replace(l, where, obj);
	a->check.min = get_number_text(l, where, obj, "min", &a->check.has_min);
	a->check.max = get_number_text(l, where, obj, "max", &a->check.has_max);
	a->check.has_min_length = json_object_get(obj, "min_length") != NULL;
	a->check.min_length = get_int(l, where, obj, "min_length");
	a->check.has_max_length = json_object_get(obj, "max_length") != NULL;
	a->check.max_length = get_int(l, where, obj, "max_length");
	a->check.one_of = get_string_list(l, where, obj, "one_of");
	a->check.conflicts_with = get_string_list(l, where, obj, "conflicts_with");

	if (a->required + a->optional == 0 && !a->computed)
		fail(l, where, "must be required, optional or computed");
	if (a->required && (a->optional || a->computed))
		fail(l, where, "required excludes optional and computed");
	if (a->use_state_for_unknown && !a->computed)
		fail(l, where, "use_state_for_unknown needs computed");

	json_t *def = json_object_get(obj, "default");
	if (def && a->type) {
		if (!a->optional || !a->computed)
			fail(l, where, "a default needs optional and computed, as in the plugin framework");
		char *text = json_dumps(def, JSON_COMPACT | JSON_ENCODE_ANY);
		struct tf_diags d;
		tf_diags_init(&d);
		a->default_value = text ? tf_json_decode(text, strlen(text), a->type, &d) : NULL;
		if (!a->default_value)
			fail(l, where, "\"default\" does not fit the type: %s",
			     d.n ? d.items[0].detail : "out of memory");
		tf_diags_release(&d);
		free(text);
	}
}

static void parse_block(struct loader *l, const char *where, json_t *obj, struct tf_block *b);

static void parse_nested(struct loader *l, const char *name, json_t *obj,
			 struct tf_nested_block *nb)
{
	static const char *const keys[] = {
		"nesting", "min_items", "max_items", "force_new", "description", "deprecated",
		"attributes", "blocks", NULL,
	};
	static const char *const nestings[] = {
		[TF_NESTING_SINGLE] = "single", [TF_NESTING_LIST] = "list",
		[TF_NESTING_SET] = "set",       [TF_NESTING_MAP] = "map",
		[TF_NESTING_GROUP] = "group",
	};
	char where[256];
	snprintf(where, sizeof(where), "block \"%s\"", name);

	nb->name = strdup(name);
	if (!json_is_object(obj)) {
		fail(l, where, "must be an object");
		return;
	}
	check_keys(l, where, obj, keys);
	const char *nesting = json_string_value(json_object_get(obj, "nesting"));
	for (size_t i = TF_NESTING_SINGLE; nesting && i <= TF_NESTING_GROUP; i++)
		if (strcmp(nestings[i], nesting) == 0)
			nb->nesting = (enum tf_nesting)i;
	if (!nb->nesting)
		fail(l, where, "\"nesting\" must be single, list, set, map or group");
	nb->min_items = get_int(l, where, obj, "min_items");
	nb->max_items = get_int(l, where, obj, "max_items");
	nb->replace = get_replace(l, where, obj);
	parse_block(l, where, obj, &nb->block);
}

/* The object type a block stands for on the wire. */
static struct tf_type *implied_type(const struct tf_block *b)
{
	struct tf_type *obj = tf_type_new(TF_TYPE_OBJECT);
	for (size_t i = 0; obj && i < b->n_attrs; i++) {
		struct tf_type *t = tf_type_dup(b->attrs[i].type);
		if (!t || tf_type_object_add(obj, b->attrs[i].name, t) < 0) {
			tf_type_free(t);
			goto fail;
		}
	}
	for (size_t i = 0; obj && i < b->n_blocks; i++) {
		const struct tf_nested_block *nb = &b->blocks[i];
		struct tf_type *t = tf_type_dup(nb->block.type);
		switch (nb->nesting) {
		case TF_NESTING_LIST: t = tf_type_new_collection(TF_TYPE_LIST, t); break;
		case TF_NESTING_SET:  t = tf_type_new_collection(TF_TYPE_SET, t); break;
		case TF_NESTING_MAP:  t = tf_type_new_collection(TF_TYPE_MAP, t); break;
		default: break;
		}
		if (!t || tf_type_object_add(obj, nb->name, t) < 0) {
			tf_type_free(t);
			goto fail;
		}
	}
	return obj;
fail:
	tf_type_free(obj);
	return NULL;
}

static void parse_block(struct loader *l, const char *where, json_t *obj, struct tf_block *b)
{
	json_t *attrs = json_object_get(obj, "attributes");
	json_t *blocks = json_object_get(obj, "blocks");
	const char *key;
	json_t *val;

	b->description = get_string(l, where, obj, "description");
	b->deprecated = get_string(l, where, obj, "deprecated");
	if ((attrs && !json_is_object(attrs)) || (blocks && !json_is_object(blocks))) {
		fail(l, where, "\"attributes\" and \"blocks\" must be objects");
		return;
	}
	b->attrs = calloc(json_object_size(attrs) + 1, sizeof(*b->attrs));
	b->blocks = calloc(json_object_size(blocks) + 1, sizeof(*b->blocks));
	if (!b->attrs || !b->blocks) {
		fail(l, where, "out of memory");
		return;
	}
	json_object_foreach(attrs, key, val)
		parse_attr(l, key, val, &b->attrs[b->n_attrs++]);
	json_object_foreach(blocks, key, val) {
		if (json_object_get(attrs, key))
			fail(l, where, "\"%s\" is both an attribute and a block", key);
		parse_nested(l, key, val, &b->blocks[b->n_blocks++]);
	}
	qsort(b->attrs, b->n_attrs, sizeof(*b->attrs), cmp_attr);
	qsort(b->blocks, b->n_blocks, sizeof(*b->blocks), cmp_nested);
	if (!l->failed && !(b->type = implied_type(b)))
		fail(l, where, "out of memory");
}

/* An ephemeral resource has no state: nothing is replaced or kept. */
static void check_ephemeral(struct loader *l, const struct tf_block *b)
{
	char where[256];
	for (size_t i = 0; i < b->n_attrs; i++) {
		if (b->attrs[i].replace == TF_REPLACE_NEVER && !b->attrs[i].use_state_for_unknown)
			continue;
		snprintf(where, sizeof(where), "attribute \"%s\"", b->attrs[i].name);
		fail(l, where, "\"force_new\" and \"use_state_for_unknown\" mean nothing for an "
			       "ephemeral resource");
	}
	for (size_t i = 0; i < b->n_blocks; i++) {
		snprintf(where, sizeof(where), "block \"%s\"", b->blocks[i].name);
		if (b->blocks[i].replace != TF_REPLACE_NEVER)
			fail(l, where, "\"force_new\" means nothing for an ephemeral resource");
		check_ephemeral(l, &b->blocks[i].block);
	}
}

struct tf_schema *tf_schema_parse(const char *path, const char *text, char *err, size_t errlen)
{
	static const char *const keys[] = {
		"kind", "name", "version", "description", "deprecated", "attributes", "blocks", NULL,
	};
	struct loader l = { .file = path, .err = err, .errlen = errlen };
	json_error_t jerr;
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errlen, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	struct tf_schema *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "%s: out of memory", path);
		json_decref(root);
		return NULL;
	}
	if (!json_is_object(root)) {
		fail(&l, "top level", "must be an object");
		goto out;
	}
	check_keys(&l, "top level", root, keys);
	const char *kind = json_string_value(json_object_get(root, "kind"));
	if (kind && strcmp(kind, "provider") == 0)
		s->kind = TF_SCHEMA_PROVIDER;
	else if (kind && strcmp(kind, "resource") == 0)
		s->kind = TF_SCHEMA_RESOURCE;
	else if (kind && strcmp(kind, "data_source") == 0)
		s->kind = TF_SCHEMA_DATA_SOURCE;
	else if (kind && strcmp(kind, "ephemeral_resource") == 0)
		s->kind = TF_SCHEMA_EPHEMERAL_RESOURCE;
	else
		fail(&l, "top level",
		     "\"kind\" must be provider, resource, data_source or ephemeral_resource");
	s->name = get_string(&l, "top level", root, "name");
	if (!s->name)
		fail(&l, "top level", "\"name\" is required");
	s->version = get_int(&l, "top level", root, "version");
	parse_block(&l, "top level", root, &s->block);
	if (s->kind == TF_SCHEMA_EPHEMERAL_RESOURCE) {
		if (json_object_get(root, "version"))
			fail(&l, "top level", "an ephemeral resource has no state, so no \"version\"");
		check_ephemeral(&l, &s->block);
	}
out:
	json_decref(root);
	if (l.failed) {
		tf_schema_free(s);
		return NULL;
	}
	return s;
}

static void attr_release(struct tf_attr *a)
{
	free(a->name);
	tf_type_free(a->type);
	free(a->description);
	free(a->deprecated);
	tf_value_free(a->default_value);
	free(a->check.min);
	free(a->check.max);
	free_string_list(a->check.one_of);
	free_string_list(a->check.conflicts_with);
}

static void block_release(struct tf_block *b)
{
	for (size_t i = 0; b->attrs && i < b->n_attrs; i++)
		attr_release(&b->attrs[i]);
	for (size_t i = 0; b->blocks && i < b->n_blocks; i++) {
		free(b->blocks[i].name);
		block_release(&b->blocks[i].block);
	}
	free(b->attrs);
	free(b->blocks);
	free(b->description);
	free(b->deprecated);
	tf_type_free(b->type);
}

void tf_schema_free(struct tf_schema *s)
{
	if (!s)
		return;
	free(s->name);
	block_release(&s->block);
	free(s);
}

const struct tf_attr *tf_block_attr(const struct tf_block *b, const char *name)
{
	struct tf_attr key = { .name = (char *)name };
	return bsearch(&key, b->attrs, b->n_attrs, sizeof(key), cmp_attr);
}

const struct tf_nested_block *tf_block_nested(const struct tf_block *b, const char *name)
{
	struct tf_nested_block key = { .name = (char *)name };
	return bsearch(&key, b->blocks, b->n_blocks, sizeof(key), cmp_nested);
}

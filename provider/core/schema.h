/*
 * schema.h - resource, data source and provider schemas, loaded from data.
 *
 * schema/<provider>/ holds one JSON file per provider block, resource, data
 * source and ephemeral resource.  The build parses them into the structs
 * below and compiles those into the executable as data
 * (provider/tools/gen-schema.c), so a provider starts with its schemas
 * built; they are immutable and shared by every thread.  The format is
 * documented in schema/README.md.
 *
 * A schema answers every generic question the protocol asks: the cty type
 * of a block, which attributes a plan may fill in, which changes force a
 * replacement, defaults and simple validation.  Handlers never restate it.
 */
#ifndef THINGFORM_SCHEMA_H
#define THINGFORM_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "value.h"

enum tf_schema_kind {
	TF_SCHEMA_PROVIDER,
	TF_SCHEMA_RESOURCE,
	TF_SCHEMA_DATA_SOURCE,
	TF_SCHEMA_EPHEMERAL_RESOURCE,
};

/* When a change to an attribute forces the resource to be replaced. */
enum tf_replace {
	TF_REPLACE_NEVER,
	TF_REPLACE_ALWAYS,              /* any change ("force_new": true) */
	TF_REPLACE_IF_VALUES_NOT_NULL,  /* the random provider's keepers rule */
};

/* Plan-time checks on a known value; a field is used when its has_ flag is set. */
struct tf_validation {
	bool has_min, has_max;
	char *min, *max;          /* numbers: bounds as decimal text, inclusive */
	bool has_min_length, has_max_length;
	int64_t min_length, max_length; /* strings (characters) and collections */
	char **one_of;            /* strings: allowed values, NULL-terminated */
	char **conflicts_with;    /* attribute names, NULL-terminated */
};

struct tf_attr {
	char *name;
	struct tf_type *type;
	char *description;
	char *deprecated;         /* deprecation message, or NULL */
	bool required, optional, computed, sensitive, write_only;
	bool use_state_for_unknown; /* keep the prior value when not configured */
	enum tf_replace replace;
	struct tf_value *default_value; /* optional+computed only, or NULL */
	struct tf_validation check;
};

enum tf_nesting {
	TF_NESTING_SINGLE = 1,
	TF_NESTING_LIST = 2,
	TF_NESTING_SET = 3,
	TF_NESTING_MAP = 4,
	TF_NESTING_GROUP = 5,
};

struct tf_nested_block;

struct tf_block {
	struct tf_attr *attrs;            /* sorted by name */
	size_t n_attrs;
	struct tf_nested_block *blocks;   /* sorted by name */
	size_t n_blocks;
	char *description;
	char *deprecated;
	struct tf_type *type;             /* the implied object type */
};

struct tf_nested_block {
	char *name;
	enum tf_nesting nesting;
	int64_t min_items, max_items;     /* 0 = no limit */
	enum tf_replace replace;
	struct tf_block block;
};

struct tf_schema {
	char *name;               /* "random_id"; the provider's own name for its block */
	enum tf_schema_kind kind;
	int64_t version;
	struct tf_block block;
};

/* One schema file, built: its path below schema/<provider>/ and what it
 * says.  A table of these ends with { NULL, NULL }. */
struct tf_schema_file {
	const char *path;
	const struct tf_schema *schema;
};

/*
 * Parses one schema file.  Returns a new schema, or NULL with a message
 * naming the file and the JSON path of the mistake in err.
 */
struct tf_schema *tf_schema_parse(const char *path, const char *text, char *err, size_t errlen);
void tf_schema_free(struct tf_schema *s);

const struct tf_attr *tf_block_attr(const struct tf_block *b, const char *name);
const struct tf_nested_block *tf_block_nested(const struct tf_block *b, const char *name);

#endif

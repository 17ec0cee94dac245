/*
 * plan.h - the protocol's rules, done once for every resource.
 *
 * Validation from the schema, defaults, computed attributes unknown on
 * create, prior values kept where the schema says so, and which changes
 * force a replacement.  Pure functions over values and schemas: no
 * protobuf, no msgpack, easy to test.
 */
#ifndef THINGFORM_PLAN_H
#define THINGFORM_PLAN_H

#include "diag.h"
#include "schema.h"
#include "value.h"

/* A list of attribute paths (requires_replace). */
struct tf_paths {
	struct tf_path *items;
	size_t n, alloc;
};
void tf_paths_release(struct tf_paths *ps);
/* Appends a copy of `p`; 0 or -1. */
int tf_paths_add(struct tf_paths *ps, const struct tf_path *p);
/* Appends the path of the top-level attribute `attr`; 0 or -1. */
int tf_paths_add_attr(struct tf_paths *ps, const char *attr);
/* Removes the path of the top-level attribute `attr` (a plan slot that
 * finds a change only in form, not in meaning); cannot fail. */
void tf_paths_remove_attr(struct tf_paths *ps, const char *attr);

/* Checks a config (possibly partly unknown) against the schema's rules:
 * ranges, lengths, allowed values, conflicts, block counts. */
void tf_validate_config(const struct tf_block *b, const struct tf_value *config, struct tf_diags *d);

/*
 * Plans a create (prior NULL or null) or an update of one resource from
 * Terraform's proposed new state.  Returns the planned object (owned) and
 * adds to `replace` the attributes whose change forces a new resource.
 */
struct tf_value *tf_plan_resource(const struct tf_block *b, const struct tf_value *prior,
				  const struct tf_value *proposed, const struct tf_value *config,
				  struct tf_paths *replace);

/* An object of the block's shape with every attribute null and every
 * LIST, SET or MAP block empty (the starting point of an import). */
struct tf_value *tf_value_new_empty_block(const struct tf_block *b);

/* NULL when v is wholly known; otherwise a message naming the first
 * unknown attribute's path (malloc'd). */
char *tf_find_unknown(const struct tf_value *v);

#endif

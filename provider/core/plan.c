/*
 * plan.c - validation, planning and replacement rules from the schema.
 *
 * The planning rules follow what Terraform accepts (objchange's plan
 * validity checks) and what the plugin framework does for Go providers,
 * so that a plan from us reads the same as theirs:
 *   - a configured value is planned as configured;
 *   - an optional+computed attribute with a default takes it when unset;
 *   - on create, every unset computed attribute is unknown;
 *   - on update, if anything changed, unset computed attributes become
 *     unknown, except those marked use_state_for_unknown, which keep
 *     their prior value;
 *   - force_new attributes whose planned value differs from the prior one
 *     are reported for replacement (the keepers rule is its own variant).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

void tf_paths_release(struct tf_paths *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		tf_path_release(&ps->items[i]);
	free(ps->items);
	memset(ps, 0, sizeof(*ps));
}

int tf_paths_add(struct tf_paths *ps, const struct tf_path *p)
{
	if (ps->n == ps->alloc) {
		size_t alloc = ps->alloc ? 2 * ps->alloc : 4;
		struct tf_path *items = realloc(ps->items, alloc * sizeof(*items));
		if (!items)
			return -1;
		ps->items = items;
		ps->alloc = alloc;
	}
	tf_path_init(&ps->items[ps->n]);
	if (tf_path_copy(&ps->items[ps->n], p) < 0)
		return -1;
	ps->n++;
	return 0;
}

int tf_paths_add_attr(struct tf_paths *ps, const char *attr)
{
	struct tf_path path;
	tf_path_init(&path);
	int rc = tf_path_push_attr(&path, attr) < 0 ? -1 : tf_paths_add(ps, &path);
	tf_path_release(&path);
	return rc;
}

void tf_paths_remove_attr(struct tf_paths *ps, const char *attr)
{
	size_t kept = 0;
	for (size_t i = 0; i < ps->n; i++) {
		struct tf_path *p = &ps->items[i];
		if (p->n == 1 && p->steps[0].kind == TF_STEP_ATTR && !strcmp(p->steps[0].name, attr))
			tf_path_release(p);
		else
			ps->items[kept++] = *p;
	}
	ps->n = kept;
}

/* --- validation -------------------------------------------------------- */

/* Characters (code points) of a UTF-8 string: what "length" means to users. */
static size_t utf8_length(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

static size_t value_length(const struct tf_value *v)
{
	switch (v->kind) {
	case TF_STRING: return utf8_length(v->u.str.ptr, v->u.str.len);
	case TF_LIST: case TF_SET: case TF_TUPLE: return v->u.seq.n;
	case TF_MAP: case TF_OBJECT: return v->u.kv.n;
	default: return 0;
	}
}

static void check_attr(const struct tf_attr *a, const struct tf_value *obj,
		       const struct tf_value *v,
		       struct tf_path *path, struct tf_diags *d)
{
	if (tf_value_is_unknown(v))
		return;
	if (tf_value_is_null(v)) {
		if (a->required)
			tf_diag_add(d, TF_ERROR, path, "Missing required argument",
				    "The argument \"%s\" is required, but no definition was found.",
				    a->name);
		return;
	}
	const struct tf_validation *c = &a->check;
	if (v->kind == TF_NUMBER && c->has_min && tf_number_cmp(v->u.num, c->min) < 0)
		tf_diag_add(d, TF_ERROR, path, "Invalid attribute value",
			    "\"%s\" must be at least %s, got %s.", a->name, c->min, v->u.num);
	if (v->kind == TF_NUMBER && c->has_max && tf_number_cmp(v->u.num, c->max) > 0)
		tf_diag_add(d, TF_ERROR, path, "Invalid attribute value",
			    "\"%s\" must be at most %s, got %s.", a->name, c->max, v->u.num);
	if (c->has_min_length && value_length(v) < (size_t)c->min_length)
		tf_diag_add(d, TF_ERROR, path, "Invalid attribute value",
			    "\"%s\" must have a length of at least %lld.", a->name,
			    (long long)c->min_length);
	if (c->has_max_length && value_length(v) > (size_t)c->max_length)
		tf_diag_add(d, TF_ERROR, path, "Invalid attribute value",
			    "\"%s\" must have a length of at most %lld.", a->name,
			    (long long)c->max_length);
	if (c->one_of && v->kind == TF_STRING) {
		char **ok = c->one_of;
		while (*ok && strcmp(*ok, v->u.str.ptr) != 0)
			ok++;
		if (!*ok) {
			char list[512] = "";
			for (char **p = c->one_of; *p; p++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s\"%s\"",
					 p == c->one_of ? "" : ", ", *p);
			tf_diag_add(d, TF_ERROR, path, "Invalid attribute value",
				    "\"%s\" must be one of %s, got \"%s\".", a->name, list,
				    v->u.str.ptr);
		}
	}
	for (char **other = c->conflicts_with; other && *other; other++) {
		const struct tf_value *o = tf_value_get(obj, *other);
		if (!tf_value_is_null(o) && !tf_value_is_unknown(o))
			tf_diag_add(d, TF_ERROR, path, "Conflicting attributes",
				    "\"%s\" cannot be set together with \"%s\"; remove one of them.",
				    a->name, *other);
	}
}

static void validate_block(const struct tf_block *b, const struct tf_value *obj,
			   struct tf_path *path, struct tf_diags *d);

static void validate_nested(const struct tf_nested_block *nb, const struct tf_value *v,
			    struct tf_path *path, struct tf_diags *d)
{
	if (tf_value_is_null(v) || tf_value_is_unknown(v))
		return;
	if (nb->nesting == TF_NESTING_SINGLE || nb->nesting == TF_NESTING_GROUP) {
		validate_block(&nb->block, v, path, d);
		return;
	}
	bool keyed = v->kind == TF_MAP;
	size_t n = keyed ? v->u.kv.n : v->u.seq.n;
	if ((nb->min_items && n < (size_t)nb->min_items) ||
	    (nb->max_items && n > (size_t)nb->max_items))
		tf_diag_add(d, TF_ERROR, path, "Invalid number of blocks",
			    "\"%s\" must have between %lld and %lld blocks, got %zu.", nb->name,
			    (long long)nb->min_items, (long long)nb->max_items, n);
	for (size_t i = 0; i < n; i++) {
		if (keyed ? tf_path_push_key(path, v->u.kv.keys[i])
			  : tf_path_push_index(path, (int64_t)i))
			return;
		validate_block(&nb->block, keyed ? v->u.kv.vals[i] : v->u.seq.items[i], path, d);
		tf_path_pop(path);
	}
}

static void validate_block(const struct tf_block *b, const struct tf_value *obj,
			   struct tf_path *path, struct tf_diags *d)
{
	if (tf_value_is_null(obj) || tf_value_is_unknown(obj))
		return;
	for (size_t i = 0; i < b->n_attrs; i++) {
		if (tf_path_push_attr(path, b->attrs[i].name) < 0)
			return;
		check_attr(&b->attrs[i], obj, tf_value_get(obj, b->attrs[i].name), path, d);
		tf_path_pop(path);
	}
	for (size_t i = 0; i < b->n_blocks; i++) {
		if (tf_path_push_attr(path, b->blocks[i].name) < 0)
			return;
		validate_nested(&b->blocks[i], tf_value_get(obj, b->blocks[i].name), path, d);
		tf_path_pop(path);
	}
}

void tf_validate_config(const struct tf_block *b, const struct tf_value *config, struct tf_diags *d)
{
	struct tf_path path;
	tf_path_init(&path);
	validate_block(b, config, &path, d);
	tf_path_release(&path);
}

/* --- planning ---------------------------------------------------------- */

/* The keepers rule (RequiresReplaceIfValuesNotNull): a map whose change
 * replaces the resource unless only null values were added or nothing
 * that matters changed. */
static bool keepers_force_replace(const struct tf_value *prior, const struct tf_value *config)
{
	if (tf_value_equal(prior, config))
		return false;
	if (tf_value_is_unknown(config))
		return true;
	if (tf_value_is_null(prior)) {
		for (size_t i = 0; config && config->kind == TF_MAP && i < config->u.kv.n; i++)
			if (!tf_value_is_null(config->u.kv.vals[i]))
				return true;
		return false;
	}
	if (tf_value_is_null(config) || config->kind != TF_MAP || prior->kind != TF_MAP)
		return true;
	for (size_t i = 0; i < config->u.kv.n; i++) {
		const struct tf_value *was = tf_value_get(prior, config->u.kv.keys[i]);
		const struct tf_value *now = config->u.kv.vals[i];
		if (was ? !tf_value_equal(was, now) : !tf_value_is_null(now))
			return true;
	}
	for (size_t i = 0; i < prior->u.kv.n; i++)
		if (!tf_value_get(config, prior->u.kv.keys[i]))
			return true;
	return false;
}

static bool forces_replace(enum tf_replace rule, const struct tf_value *prior,
			   const struct tf_value *planned, const struct tf_value *config)
{
	switch (rule) {
	case TF_REPLACE_NEVER: return false;
	case TF_REPLACE_ALWAYS: return !tf_value_equal(prior, planned);
	case TF_REPLACE_IF_VALUES_NOT_NULL: return keepers_force_replace(prior, config);
	}
	return false;
}

static int set_attr(struct tf_value *obj, const char *name, struct tf_value *v)
{
	if (!v)
		return -1;
	return tf_value_set(obj, name, v);
}

/* Defaults and unknowns for one object of block `b`, in place. `prior` is
 * NULL on create; `changed` says whether the plan differs from it. */
static int plan_block(const struct tf_block *b, const struct tf_value *prior,
		      const struct tf_value *config, struct tf_value *planned, bool changed);

static int plan_nested(const struct tf_nested_block *nb, const struct tf_value *prior,
		       const struct tf_value *config, struct tf_value *planned, bool changed)
{
	if (tf_value_is_null(planned) || tf_value_is_unknown(planned))
		return 0;
	switch (nb->nesting) {
	case TF_NESTING_SINGLE:
	case TF_NESTING_GROUP:
		return plan_block(&nb->block, prior, config, planned, changed);
	case TF_NESTING_LIST:
		for (size_t i = 0; i < planned->u.seq.n; i++) {
			const struct tf_value *p = prior && prior->kind == TF_LIST &&
							   i < prior->u.seq.n ? prior->u.seq.items[i] : NULL;
			const struct tf_value *c = config && config->kind == TF_LIST &&
							   i < config->u.seq.n ? config->u.seq.items[i] : NULL;
			if (plan_block(&nb->block, p, c, planned->u.seq.items[i], changed) < 0)
				return -1;
		}
		return 0;
	case TF_NESTING_MAP:
		for (size_t i = 0; i < planned->u.kv.n; i++) {
			const char *k = planned->u.kv.keys[i];
			if (plan_block(&nb->block, prior ? tf_value_get(prior, k) : NULL,
				       config ? tf_value_get(config, k) : NULL, planned->u.kv.vals[i],
				       changed) < 0)
				return -1;
		}
		return 0;
	case TF_NESTING_SET:
		/* Set elements have no identity to match a prior element by:
		 * Terraform does not check set blocks, and we leave them as
		 * proposed. */
		return 0;
	}
	return 0;
}

static int plan_block(const struct tf_block *b, const struct tf_value *prior,
		      const struct tf_value *config, struct tf_value *planned, bool changed)
{
	if (!planned || planned->kind != TF_OBJECT)
		return 0;
	for (size_t i = 0; i < b->n_attrs; i++) {
		const struct tf_attr *a = &b->attrs[i];
		const struct tf_value *c = config ? tf_value_get(config, a->name) : NULL;
		if (!tf_value_is_null(c) || !a->computed)
			continue;
		const struct tf_value *was = tf_value_is_null(prior) ? NULL : tf_value_get(prior, a->name);
		struct tf_value *v = NULL;
		if (a->default_value)
			v = tf_value_dup(a->default_value);
		else if (!was)
			v = tf_value_new_unknown();
		else if (changed && !a->use_state_for_unknown)
			v = tf_value_new_unknown();
		else
			continue; /* Terraform's proposal already holds the prior value */
		if (set_attr(planned, a->name, v) < 0)
			return -1;
	}
	for (size_t i = 0; i < b->n_blocks; i++) {
		const struct tf_nested_block *nb = &b->blocks[i];
		if (plan_nested(nb, tf_value_is_null(prior) ? NULL : tf_value_get(prior, nb->name),
				config ? tf_value_get(config, nb->name) : NULL,
				tf_value_get(planned, nb->name), changed) < 0)
			return -1;
	}
	return 0;
}

static int collect_replace(const struct tf_block *b, const struct tf_value *prior,
			   const struct tf_value *planned, const struct tf_value *config,
			   struct tf_paths *replace)
{
	struct tf_path path;
	int rc = 0;
	tf_path_init(&path);
	for (size_t i = 0; i < b->n_attrs && rc == 0; i++) {
		const struct tf_attr *a = &b->attrs[i];
		if (forces_replace(a->replace, tf_value_get(prior, a->name),
				   tf_value_get(planned, a->name), tf_value_get(config, a->name))) {
			rc = tf_path_push_attr(&path, a->name);
			rc = rc ? rc : tf_paths_add(replace, &path);
			tf_path_pop(&path);
		}
	}
	for (size_t i = 0; i < b->n_blocks && rc == 0; i++) {
		const struct tf_nested_block *nb = &b->blocks[i];
		if (forces_replace(nb->replace, tf_value_get(prior, nb->name),
				   tf_value_get(planned, nb->name), tf_value_get(config, nb->name))) {
			rc = tf_path_push_attr(&path, nb->name);
			rc = rc ? rc : tf_paths_add(replace, &path);
			tf_path_pop(&path);
		}
	}
	tf_path_release(&path);
	return rc;
}

struct tf_value *tf_plan_resource(const struct tf_block *b, const struct tf_value *prior,
				  const struct tf_value *proposed, const struct tf_value *config,
				  struct tf_paths *replace)
{
	bool create = tf_value_is_null(prior);
	struct tf_value *planned = tf_value_dup(proposed);
	if (!planned)
		return NULL;
	/* Defaults first, so that a default equal to the prior value is no change. */
	if (plan_block(b, create ? NULL : prior, config, planned, false) < 0)
		goto fail;
	if (!create && !tf_value_equal(planned, prior)) {
		if (plan_block(b, prior, config, planned, true) < 0 ||
		    collect_replace(b, prior, planned, config, replace) < 0)
			goto fail;
	}
	return planned;
fail:
	tf_value_free(planned);
	return NULL;
}

/* --- helpers ------------------------------------------------------------- */

struct tf_value *tf_value_new_empty_block(const struct tf_block *b)
{
	struct tf_value *obj = tf_value_new_collection(TF_OBJECT);
	for (size_t i = 0; obj && i < b->n_attrs; i++)
		if (set_attr(obj, b->attrs[i].name, tf_value_new_null()) < 0)
			goto fail;
	for (size_t i = 0; obj && i < b->n_blocks; i++) {
		const struct tf_nested_block *nb = &b->blocks[i];
		struct tf_value *v;
		switch (nb->nesting) {
		case TF_NESTING_LIST: v = tf_value_new_collection(TF_LIST); break;
		case TF_NESTING_SET: v = tf_value_new_collection(TF_SET); break;
		case TF_NESTING_MAP: v = tf_value_new_collection(TF_MAP); break;
		case TF_NESTING_GROUP: v = tf_value_new_empty_block(&nb->block); break;
		default: v = tf_value_new_null(); break;
		}
		if (set_attr(obj, nb->name, v) < 0)
			goto fail;
	}
	return obj;
fail:
	tf_value_free(obj);
	return NULL;
}

static bool find_unknown(const struct tf_value *v, struct tf_path *path)
{
	if (!v)
		return false;
	switch (v->kind) {
	case TF_UNKNOWN:
		return true;
	case TF_LIST: case TF_SET: case TF_TUPLE:
		for (size_t i = 0; i < v->u.seq.n; i++) {
			if (tf_path_push_index(path, (int64_t)i) < 0)
				return true;
			if (find_unknown(v->u.seq.items[i], path))
				return true;
			tf_path_pop(path);
		}
		return false;
	case TF_MAP: case TF_OBJECT:
		for (size_t i = 0; i < v->u.kv.n; i++) {
			int rc = v->kind == TF_OBJECT ? tf_path_push_attr(path, v->u.kv.keys[i])
						      : tf_path_push_key(path, v->u.kv.keys[i]);
			if (rc < 0)
				return true;
			if (find_unknown(v->u.kv.vals[i], path))
				return true;
			tf_path_pop(path);
		}
		return false;
	default:
		return false;
	}
}

char *tf_find_unknown(const struct tf_value *v)
{
	struct tf_path path;
	tf_path_init(&path);
	char *where = find_unknown(v, &path) ? tf_path_to_string(&path) : NULL;
	tf_path_release(&path);
	return where;
}

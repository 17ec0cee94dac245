/*
 * tags.c - tags, tags_all, default_tags and ignore_tags (tags.h): the
 * pure part every tagged resource shares.
 */
#include <string.h>

#include "tags.h"

static bool set_has_prefix_of(const struct tf_value *set, const char *key)
{
	for (size_t i = 0; set && i < set->u.seq.n; i++) {
		const struct tf_value *p = set->u.seq.items[i];
		if (p->kind == TF_STRING && !strncmp(key, p->u.str.ptr, p->u.str.len))
			return true;
	}
	return false;
}

static bool set_has(const struct tf_value *set, const char *key)
{
	for (size_t i = 0; set && i < set->u.seq.n; i++) {
		const struct tf_value *k = set->u.seq.items[i];
		if (k->kind == TF_STRING && !strcmp(key, k->u.str.ptr))
			return true;
	}
	return false;
}

bool aws_tag_ignored(const struct aws_tag_rules *r, const char *key)
{
	if (!strncmp(key, "aws:", 4))
		return true;
	return r && (set_has(r->ignore_keys, key) || set_has_prefix_of(r->ignore_prefixes, key));
}

static bool is_map(const struct tf_value *v)
{
	return v && v->kind == TF_MAP;
}

/* to[key] = a copy of the string `v`; 0 or -1. */
static int put(struct tf_value *to, const char *key, const struct tf_value *v)
{
	struct tf_value *copy = tf_value_dup(v);
	return copy ? tf_value_set(to, key, copy) : -1;
}

/* Copies the string members of map `from` that are not ignored into `to`. */
static int put_kept(const struct aws_tag_rules *r, struct tf_value *to, const struct tf_value *from)
{
	for (size_t i = 0; is_map(from) && i < from->u.kv.n; i++)
		if (from->u.kv.vals[i]->kind == TF_STRING && !aws_tag_ignored(r, from->u.kv.keys[i]) &&
		    put(to, from->u.kv.keys[i], from->u.kv.vals[i]) < 0)
			return -1;
	return 0;
}

struct tf_value *aws_tags_merge(const struct aws_tag_rules *r, const struct tf_value *tags)
{
	if (!tf_value_is_known(tags))
		return tf_value_new_unknown();
	struct tf_value *all = tf_value_new_collection(TF_MAP);
	if (all && (put_kept(r, all, r ? r->defaults : NULL) < 0 || put_kept(r, all, tags) < 0)) {
		tf_value_free(all);
		return NULL;
	}
	return all;
}

int aws_tags_plan(const struct tf_ctx *c, const struct tf_value *config, struct tf_value *planned)
{
	const struct aws_config *cfg = c->meta;
	if (!cfg || !tf_value_is_null(tf_value_get(config, "tags_all")))
		return 0; /* not configured yet, or set in the configuration: planned as set */
	struct tf_value *all = aws_tags_merge(&cfg->tags, tf_value_get(config, "tags"));
	if (!all || tf_value_set(planned, "tags_all", all) < 0) {
		tf_diag_error_at(c->diags, NULL, "Out of memory", "The provider ran out of memory.");
		return -1;
	}
	return 0;
}

/* True when `key` is a default tag with the value `v`. */
static bool is_default(const struct aws_tag_rules *r, const char *key, const struct tf_value *v)
{
	const struct tf_value *d = r && is_map(r->defaults) ? tf_value_get(r->defaults, key) : NULL;
	return d && tf_value_equal(d, v);
}

/* The part of `all` the configuration owns (see tags.h); NULL on ENOMEM. */
static struct tf_value *owned_tags(const struct aws_tag_rules *r, const struct tf_value *all,
				   const struct tf_value *prior)
{
	struct tf_value *tags = tf_value_new_collection(TF_MAP);
	for (size_t i = 0; tags && is_map(prior) && i < prior->u.kv.n; i++) {
		const char *key = prior->u.kv.keys[i];
		const struct tf_value *now = aws_tag_ignored(r, key) ? prior->u.kv.vals[i]
								      : tf_value_get(all, key);
		if (now && put(tags, key, now) < 0)
			goto fail;
	}
	for (size_t i = 0; tags && i < all->u.kv.n; i++) {
		const char *key = all->u.kv.keys[i];
		if (!(is_map(prior) && tf_value_get(prior, key)) && !is_default(r, key, all->u.kv.vals[i]) &&
		    put(tags, key, all->u.kv.vals[i]) < 0)
			goto fail;
	}
	if (tags && tags->u.kv.n == 0 && !is_map(prior)) {
		tf_value_free(tags);
		return tf_value_new_null();
	}
	return tags;
fail:
	tf_value_free(tags);
	return NULL;
}

int aws_tags_read(const struct aws_tag_rules *r, const struct tf_value *remote,
		  struct tf_value *state)
{
	struct tf_value *all = tf_value_new_collection(TF_MAP);
	if (!all || put_kept(r, all, remote) < 0) {
		tf_value_free(all);
		return -1;
	}
	struct tf_value *tags = owned_tags(r, all, tf_value_get(state, "tags"));
	if (!tags) {
		tf_value_free(all);
		return -1;
	}
	if (tf_value_set(state, "tags", tags) < 0) { /* it takes `tags`, also on failure */
		tf_value_free(all);
		return -1;
	}
	return tf_value_set(state, "tags_all", all);
}

int aws_tags_diff(const struct tf_value *from, const struct tf_value *to, struct tf_value **set,
		  struct tf_value **unset)
{
	*set = tf_value_new_collection(TF_MAP);
	*unset = tf_value_new_collection(TF_SET);
	int rc = *set && *unset ? 0 : -1;
	for (size_t i = 0; rc == 0 && is_map(to) && i < to->u.kv.n; i++) {
		const struct tf_value *was = is_map(from) ? tf_value_get(from, to->u.kv.keys[i]) : NULL;
		if (!was || !tf_value_equal(was, to->u.kv.vals[i]))
			rc = put(*set, to->u.kv.keys[i], to->u.kv.vals[i]);
	}
	for (size_t i = 0; rc == 0 && is_map(from) && i < from->u.kv.n; i++) {
		if (is_map(to) && tf_value_get(to, from->u.kv.keys[i]))
			continue;
		struct tf_value *key = tf_value_new_string(from->u.kv.keys[i]);
		rc = key ? tf_value_append(*unset, key) : -1;
	}
	if (rc < 0) {
		tf_value_free(*set);
		tf_value_free(*unset);
		*set = *unset = NULL;
	}
	return rc;
}

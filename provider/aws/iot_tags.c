/*
 * iot_tags.c - the AWS IoT tagging API for tagged IoT resources (tags.h):
 * ListTagsForResource, TagResource, UntagResource.
 */
#include <stdlib.h>
#include <string.h>

#include "iot.h"
#include "tags.h"

/* More pages than any tag list has (50 tags at most per resource): a
 * service that keeps answering with a next token is not believed. */
#define MAX_PAGES 100

json_t *iot_tags_json(const struct tf_value *tags)
{
	json_t *list = json_array();
	for (size_t i = 0; list && tags && tags->kind == TF_MAP && i < tags->u.kv.n; i++) {
		const struct tf_value *v = tags->u.kv.vals[i];
		if (v->kind == TF_STRING &&
		    json_array_append_new(list, json_pack("{s:s, s:s%}", "Key", tags->u.kv.keys[i],
							  "Value", v->u.str.ptr, v->u.str.len)) < 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

/* Adds the {Key, Value} entries of one answer to `tags`; entries without a
 * string Key are not tags and are skipped.  0 or -1 (ENOMEM). */
static int add_page(struct tf_value *tags, const json_t *answer)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(answer, "tags"), i, t) {
		const char *key = iot_json_string(t, "Key");
		const char *value = iot_json_string(t, "Value");
		struct tf_value *v = key ? tf_value_new_string(value ? value : "") : NULL;
		if (key && (!v || tf_value_set(tags, key, v) < 0))
			return -1;
	}
	return 0;
}

/* One page of ListTagsForResource into *answer: 0; 1 when the resource
 * is gone; -1 with a diagnostic. */
static int list_page(const struct tf_ctx *c, const char *region, const char *arn,
		     const char *token, json_t **answer)
{
	char *query = iot_query("resourceArn", arn, "nextToken", token, NULL);
	struct iot_op op = { "ListTagsForResource", "GET", "/tags", query, NULL, NULL };
	struct aws_error err;
	if (!query)
		return iot_oom(c);
	int rc = iot_call(c, region, &op, answer, &err);
	if (rc < 0 && iot_error_is(&err, "ResourceNotFoundException"))
		rc = 1;
	else if (rc < 0)
		iot_error_diag(c, "tags", &op, &err);
	aws_error_release(&err);
	free(query);
	return rc;
}

/* Every tag of `arn` as a MAP into *out.  0; 1 when the resource is gone;
 * -1 with a diagnostic. */
static int list_tags(const struct tf_ctx *c, const char *region, const char *arn,
		     struct tf_value **out)
{
	struct tf_value *tags = tf_value_new_collection(TF_MAP);
	char *token = NULL;
	int rc = tags ? 0 : iot_oom(c);
	for (int page = 1; rc == 0; page++) {
		json_t *answer = NULL;
		rc = list_page(c, region, arn, token, &answer);
		if (rc == 0 && add_page(tags, answer) < 0)
			rc = iot_oom(c);
		const char *next = rc == 0 ? iot_json_string(answer, "nextToken") : NULL;
		bool more = next && *next;
		if (more && (page >= MAX_PAGES || (token && !strcmp(token, next)))) {
			tf_diag_error_at(c->diags, "tags", "Invalid AWS answer",
					 "iot ListTagsForResource kept answering with a next page "
					 "token after %d pages.", page);
			rc = -1;
		}
		free(token);
		token = rc == 0 && more ? strdup(next) : NULL;
		if (rc == 0 && more && !token)
			rc = iot_oom(c);
		json_decref(answer);
		if (!more)
			break;
	}
	free(token);
	if (rc != 0) {
		tf_value_free(tags);
		return rc;
	}
	*out = tags;
	return 0;
}

int iot_tags_refresh(const struct tf_ctx *c, const char *region, const char *arn,
		     struct tf_value *state, bool *gone)
{
	const struct aws_config *cfg = c->meta;
	struct tf_value *remote = NULL;
	int rc = list_tags(c, region, arn, &remote);
	if (rc == 1) {
		*gone = true;
		return 0;
	}
	if (rc == 0 && aws_tags_read(&cfg->tags, remote, state) < 0)
		rc = iot_oom(c);
	tf_value_free(remote);
	return rc;
}

/* One tagging call with body {resourceArn, <field>: <list>}; takes `list`. */
static int tag_call(const struct tf_ctx *c, const char *region, const char *op_name,
		    const char *path, const char *arn, const char *field, json_t *list)
{
	json_t *body = list ? json_pack("{s:s, s:o}", "resourceArn", arn, field, list) : NULL;
	if (!body)
		return iot_oom(c);
	struct iot_op op = { op_name, "POST", path, NULL, NULL, body };
	int rc = iot_do(c, region, "tags", &op, NULL);
	json_decref(body);
	return rc;
}

int iot_tags_update(const struct tf_ctx *c, const char *region, const char *arn,
		    const struct tf_value *from, const struct tf_value *to)
{
	struct tf_value *set, *unset;
	if (aws_tags_diff(from, to, &set, &unset) < 0)
		return iot_oom(c);
	int rc = 0;
	if (unset->u.seq.n) {
		json_t *keys = json_array();
		for (size_t i = 0; keys && i < unset->u.seq.n; i++)
			if (json_array_append_new(keys, json_string(unset->u.seq.items[i]->u.str.ptr)) < 0) {
				json_decref(keys);
				keys = NULL;
			}
		rc = tag_call(c, region, "UntagResource", "/untag", arn, "tagKeys", keys);
	}
	if (rc == 0 && set->u.kv.n)
		rc = tag_call(c, region, "TagResource", "/tags", arn, "tags", iot_tags_json(set));
	tf_value_free(set);
	tf_value_free(unset);
	return rc;
}

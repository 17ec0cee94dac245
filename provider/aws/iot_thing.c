/*
 * iot_thing.c - resource "aws_iot_thing": a device's entry in the AWS IoT
 * registry (CreateThing, DescribeThing, UpdateThing, DeleteThing).
 *
 * The id is the thing's name; import takes the name.  `attributes` is
 * replaced as a whole on update: a key that left the map is sent with an
 * empty value, which is how AWS (and moto) remove one, whatever the
 * service does with keys missing from a non-merging payload.  Because an
 * empty value means "remove", validation refuses empty values: they could
 * never be stored and would show a diff forever.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "iot.h"

#define ATTR_KEY_MAX 128
#define ATTR_VALUE_MAX 800

/* The API's AttributeName and AttributeValue patterns, as character sets. */
static const char key_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				"_.,@/:#-";
static const char value_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				  "_.,@/:#-=[]";

static bool only(const char *s, size_t len, const char *set)
{
	return strspn(s, set) == len;
}

static void attr_error(struct tf_ctx *c, const char *key, const char *summary, const char *detail)
{
	struct tf_path path;
	tf_path_init(&path);
	if (tf_path_push_attr(&path, "attributes") < 0 || tf_path_push_key(&path, key) < 0)
		tf_diag_error_at(c->diags, "attributes", summary, "%s", detail);
	else
		tf_diag_add(c->diags, TF_ERROR, &path, summary, "%s", detail);
	tf_path_release(&path);
}

static void check_attributes(struct tf_ctx *c, const struct tf_value *attrs)
{
	char detail[256];
	if (!attrs || attrs->kind != TF_MAP)
		return; /* null, or unknown until apply */
	for (size_t i = 0; i < attrs->u.kv.n; i++) {
		const char *k = attrs->u.kv.keys[i];
		const struct tf_value *v = attrs->u.kv.vals[i];
		size_t klen = strlen(k);
		if (!klen || !only(k, klen, key_chars))
			attr_error(c, k, "Invalid attribute key",
				   "An attribute key is 1 to 128 characters from letters, digits and "
				   "_ . , @ / : # - (AWS IoT's AttributeName pattern).");
		else if (klen > ATTR_KEY_MAX) {
			snprintf(detail, sizeof(detail),
				 "An attribute key is at most %d characters; this one has %zu.",
				 ATTR_KEY_MAX, klen);
			attr_error(c, k, "Attribute key too long", detail);
		}
		if (!v || v->kind != TF_STRING)
			continue; /* unknown until apply */
		if (v->u.str.len == 0)
			attr_error(c, k, "Empty attribute value",
				   "AWS IoT removes an attribute whose value is empty, so it can never "
				   "be stored. Give it a value or leave the key out.");
		else if (!only(v->u.str.ptr, v->u.str.len, value_chars))
			attr_error(c, k, "Invalid attribute value",
				   "An attribute value may only contain letters, digits and "
				   "_ . , @ / : # = [ ] - (AWS IoT's AttributeValue pattern).");
		else if (v->u.str.len > ATTR_VALUE_MAX) {
			snprintf(detail, sizeof(detail),
				 "An attribute value is at most %d characters; this one has %zu.",
				 ATTR_VALUE_MAX, v->u.str.len);
			attr_error(c, k, "Attribute value too long", detail);
		}
	}
}

static void check_name(struct tf_ctx *c, const struct tf_value *config, const char *attr,
		       const char *what)
{
	const struct tf_value *v = tf_value_get(config, attr);
	/* null and unknown: nothing to check yet; empty: the schema's min_length says so */
	if (!v || v->kind != TF_STRING || !v->u.str.len)
		return;
	if (strlen(v->u.str.ptr) != v->u.str.len || !iot_thing_name_valid(v->u.str.ptr))
		tf_diag_error_at(c->diags, attr, "Invalid name",
				 "A %s may only contain letters, digits, ':', '_' and '-'.", what);
}

static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	size_t before = c->diags->errors;
	check_name(c, config, "name", "thing name");
	check_name(c, config, "thing_type_name", "thing type name");
	check_attributes(c, tf_value_get(config, "attributes"));
	return c->diags->errors > before ? -1 : 0;
}

static int plan(struct tf_ctx *c, const struct tf_value *prior, const struct tf_value *config,
		struct tf_value *planned, struct tf_paths *replace)
{
	return iot_plan_region(c, prior, config, planned, replace);
}

/* The thing's name: `name`, else `id` (an import). Borrowed, or NULL. */
static const char *thing_name(const struct tf_value *state)
{
	const char *name = tf_value_get_string(state, "name");
	return name ? name : tf_value_get_string(state, "id");
}

static bool map_empty(const struct tf_value *v)
{
	return !v || v->kind != TF_MAP || v->u.kv.n == 0;
}

/*
 * The `attributes` value for an answer's map: string values only (anything
 * else in a hostile answer is dropped).  An empty map keeps the form the
 * state had (null or {}), so that neither form shows a diff.
 */
static struct tf_value *attributes_value(const json_t *attrs, const struct tf_value *had)
{
	const char *k;
	json_t *v;
	if (!json_is_object(attrs) || json_object_size(attrs) == 0)
		return had && had->kind == TF_MAP && had->u.kv.n == 0
			       ? tf_value_new_collection(TF_MAP) : tf_value_new_null();
	struct tf_value *map = tf_value_new_collection(TF_MAP);
	json_object_foreach((json_t *)attrs, k, v) {
		if (!map || !json_is_string(v))
			continue;
		struct tf_value *s = tf_value_new_stringn(json_string_value(v), json_string_length(v));
		if (!s || tf_value_set(map, k, s) < 0) {
			tf_value_free(s);
			tf_value_free(map);
			map = NULL;
		}
	}
	return map;
}

/* Fills `state` from a DescribeThing answer; 0 or -1 (memory). */
static int fill(struct tf_value *state, const json_t *thing)
{
	const char *name = iot_json_string(thing, "thingName");
	json_t *version = json_object_get(thing, "version");
	struct tf_value *attrs = attributes_value(json_object_get(thing, "attributes"),
						  tf_value_get(state, "attributes"));
	struct tf_value *ver = json_is_integer(version) ? tf_value_new_int(json_integer_value(version))
							: tf_value_new_null();
	if (!attrs || !ver || tf_value_set(state, "attributes", attrs) < 0) {
		tf_value_free(attrs);
		tf_value_free(ver);
		return -1;
	}
	if (tf_value_set(state, "version", ver) < 0)
		return -1;
	if (name && *name && (aws_set_string(state, "name", name) < 0 ||
			      aws_set_string(state, "id", name) < 0))
		return -1;
	const char *type = iot_json_string(thing, "thingTypeName");
	return aws_set_string(state, "arn", iot_json_string(thing, "thingArn")) |
	       aws_set_string(state, "default_client_id", iot_json_string(thing, "defaultClientId")) |
	       aws_set_string(state, "thing_type_name", type && *type ? type : NULL);
}

/* DescribeThing into `state`; *gone when the thing does not exist. */
static int describe(struct tf_ctx *c, struct tf_value *state, bool *gone)
{
	const char *name = thing_name(state);
	char *path = name ? iot_path("/things/", name, NULL) : NULL;
	struct iot_op op = { .name = "DescribeThing", .method = "GET", .path = path };
	struct aws_error err;
	json_t *thing = NULL;
	int rc = -1;
	*gone = false;
	if (!name) {
		tf_diag_error_at(c->diags, "name", "Missing thing name",
				 "The state has no thing name to read.");
		return -1;
	}
	if (!path)
		return iot_oom(c);
	if (iot_call(c, iot_region(c, state), &op, &thing, &err) == 0)
		rc = fill(state, thing) < 0 ? iot_oom(c) : 0;
	else if (iot_error_is(&err, "ResourceNotFoundException")) {
		*gone = true;
		rc = 0;
	} else
		iot_error_diag(c, NULL, &op, &err);
	aws_error_release(&err);
	json_decref(thing);
	free(path);
	return rc;
}

/* A JSON object of the map's string values (unknown and null are skipped),
 * plus every key of `removed` that the map lacks, with an empty value. */
static json_t *attributes_json(const struct tf_value *map, const struct tf_value *removed)
{
	json_t *obj = json_object();
	for (size_t i = 0; obj && map && map->kind == TF_MAP && i < map->u.kv.n; i++) {
		const struct tf_value *v = map->u.kv.vals[i];
		if (v->kind == TF_STRING &&
		    json_object_set_new(obj, map->u.kv.keys[i],
					json_stringn(v->u.str.ptr, v->u.str.len)) < 0) {
			json_decref(obj);
			obj = NULL;
		}
	}
	for (size_t i = 0; obj && removed && removed->kind == TF_MAP && i < removed->u.kv.n; i++) {
		const char *k = removed->u.kv.keys[i];
		if (!tf_value_get(map, k) && json_object_set_new(obj, k, json_string("")) < 0) {
			json_decref(obj);
			obj = NULL;
		}
	}
	return obj;
}

/* body[key] = {"attributes": attrs} (takes attrs); 0 or -1. */
static int set_payload(json_t *body, json_t *attrs)
{
	json_t *payload = json_object();
	if (!payload || !attrs || json_object_set_new(payload, "attributes", attrs) < 0) {
		json_decref(payload);
		json_decref(attrs);
		return -1;
	}
	return json_object_set_new(body, "attributePayload", payload);
}

/* Reads a thing that was just made or changed; on failure the state is
 * settled (unknowns become null) so that the object is never lost. */
static int read_back(struct tf_ctx *c, struct tf_value *state, const char *after)
{
	bool gone;
	if (describe(c, state, &gone) == 0 && !gone)
		return 0;
	if (gone)
		tf_diag_error_at(c->diags, NULL, "Thing not found",
				 "AWS IoT accepted the %s of thing \"%s\" but DescribeThing did not "
				 "find it. Terraform keeps it in the state, marked for replacement; run "
				 "apply again.", after, thing_name(state));
	iot_state_settle(state);
	return -1;
}

static int create(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	(void)config;
	const char *name = tf_value_get_string(state, "name");
	const char *type = tf_value_get_string(state, "thing_type_name");
	const struct tf_value *attrs = tf_value_get(state, "attributes");
	json_t *body = json_object(), *out = NULL;
	char *path = name ? iot_path("/things/", name, NULL) : NULL;
	int rc = -1;
	if (!body || !path ||
	    (!map_empty(attrs) && set_payload(body, attributes_json(attrs, NULL)) < 0) ||
	    (type && json_object_set_new(body, "thingTypeName", json_string(type)) < 0)) {
		rc = iot_oom(c);
		goto out;
	}
	struct iot_op op = { .name = "CreateThing", .method = "POST", .path = path, .body = body };
	if (iot_do(c, iot_region(c, state), NULL, &op, &out) < 0)
		goto out;
	const char *made = iot_json_string(out, "thingName");
	if (aws_set_string(state, "id", made && *made ? made : name) < 0 ||
	    aws_set_string(state, "arn", iot_json_string(out, "thingArn")) < 0) {
		iot_oom(c);
		iot_state_settle(state);
		goto out;
	}
	rc = read_back(c, state, "creation");
out:
	json_decref(out);
	json_decref(body);
	free(path);
	return rc;
}

static int read(struct tf_ctx *c, struct tf_value *state, bool *gone)
{
	return describe(c, state, gone);
}

static int update(struct tf_ctx *c, const struct tf_value *prior, const struct tf_value *config,
		  struct tf_value *state)
{
	(void)config;
	const char *name = thing_name(prior);
	const struct tf_value *was = tf_value_get(prior, "attributes");
	const struct tf_value *now = tf_value_get(state, "attributes");
	const char *old_type = tf_value_get_string(prior, "thing_type_name");
	const char *new_type = tf_value_get_string(state, "thing_type_name");
	json_t *body = json_object();
	char *path = name ? iot_path("/things/", name, NULL) : NULL;
	int rc = -1;
	bool attrs_changed = !(map_empty(was) && map_empty(now)) && !tf_value_equal(was, now);
	bool type_changed = (old_type == NULL) != (new_type == NULL) ||
			    (old_type && strcmp(old_type, new_type));
	if (!body || !path || (attrs_changed && set_payload(body, attributes_json(now, was)) < 0) ||
	    (type_changed && new_type &&
	     json_object_set_new(body, "thingTypeName", json_string(new_type)) < 0) ||
	    (type_changed && !new_type &&
	     json_object_set_new(body, "removeThingType", json_true()) < 0)) {
		rc = iot_oom(c);
		goto out;
	}
	struct iot_op op = { .name = "UpdateThing", .method = "PATCH", .path = path, .body = body };
	if (json_object_size(body) &&
	    iot_do(c, iot_region(c, prior), attrs_changed ? "attributes" : "thing_type_name", &op,
		   NULL) < 0)
		goto out;
	rc = read_back(c, state, "update");
out:
	json_decref(body);
	free(path);
	return rc;
}

static int destroy(struct tf_ctx *c, const struct tf_value *prior)
{
	const char *name = thing_name(prior);
	char *path = name ? iot_path("/things/", name, NULL) : NULL;
	struct iot_op op = { .name = "DeleteThing", .method = "DELETE", .path = path };
	if (!path)
		return name ? iot_oom(c) : 0;
	int rc = iot_do_unless_gone(c, iot_region(c, prior), &op);
	free(path);
	return rc;
}

static int import(struct tf_ctx *c, const char *id, struct tf_value *state)
{
	char *name = iot_import_id(c, id, state);
	int rc = 0;
	if (!name)
		return -1;
	if (!*name || strlen(name) > 128 || !iot_thing_name_valid(name)) {
		tf_diag_error_at(c->diags, NULL, "Invalid import id",
				 "\"%s\" is not a thing name: import an aws_iot_thing by its name "
				 "(1 to 128 letters, digits, ':', '_' or '-'), optionally followed "
				 "by @REGION.", id);
		rc = -1;
	} else if (aws_set_string(state, "name", name) < 0 || aws_set_string(state, "id", name) < 0) {
		rc = iot_oom(c);
	}
	free(name);
	return rc;
}

const struct tf_resource aws_iot_thing_resource = {
	.name = "aws_iot_thing",
	.validate = validate,
	.plan = plan,
	.create = create,
	.read = read,
	.update = update,
	.destroy = destroy,
	.import = import,
};

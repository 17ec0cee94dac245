/*
 * iot_policy.c - resource "aws_iot_policy": an AWS IoT policy, its
 * versions and its tags.
 *
 *   create  CreatePolicy (the canonical document, and tags_all as tags)
 *   read    GetPolicy, then ListTagsForResource; `policy` keeps the
 *           state's text while it means the same as AWS's document
 *   update  a changed document: CreatePolicyVersion as the new default;
 *           at the five-version limit the oldest non-default version is
 *           deleted and the call made once more.  Changed tags:
 *           UntagResource / TagResource, never a new version
 *   delete  every non-default version, then the policy; DeleteConflict
 *           (an attachment still propagating) is retried until
 *           timeouts.delete (5m) runs out
 *   import  by name
 *
 * The plan keeps the prior `policy` text when the configuration's means
 * the same (policy_doc.h), so an equivalent document is no change.
 */
#include <stdlib.h>
#include <string.h>

#include "iot.h"
#include "policy_doc.h"
#include "ratelimit.h"
#include "tags.h"

#define UPDATE_TIMEOUT 60   /* seconds, hashicorp/aws's defaults */
#define DELETE_TIMEOUT 300

/* --- validation -------------------------------------------------------------------- */

/* The timeouts block's `which` in seconds, or `dflt` when unset; -1 when
 * it is not a duration. */
static long timeout_of(const struct tf_value *obj, const char *which, long dflt)
{
	const char *text = tf_value_get_string(tf_value_get(obj, "timeouts"), which);
	long seconds;
	if (!text)
		return dflt;
	return aws_parse_duration(text, &seconds) < 0 ? -1 : seconds;
}

static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	static const char *const timeouts[] = { "update", "delete" };
	const char *name = tf_value_get_string(config, "name");
	const char *policy = tf_value_get_string(config, "policy");
	char why[256];
	if (name && !iot_policy_name_valid(name))
		tf_diag_error_at(c->diags, "name", "Invalid policy name",
				 "\"%s\" is not an IoT policy name: use 1 to 128 letters, digits and "
				 "_+=,.@- characters.", name);
	if (policy && policy_doc_check(policy, why, sizeof(why)) < 0)
		tf_diag_error_at(c->diags, "policy", "Invalid policy document",
				 "policy must be a JSON object: %s. Write it with jsonencode() or "
				 "as a heredoc holding JSON.", why);
	for (size_t i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++) {
		if (timeout_of(config, timeouts[i], 0) >= 0)
			continue;
		struct tf_path path;
		tf_path_init(&path);
		if (tf_path_push_attr(&path, "timeouts") == 0 &&
		    tf_path_push_attr(&path, timeouts[i]) == 0)
			tf_diag_add(c->diags, TF_ERROR, &path, "Invalid timeout",
				    "timeouts.%s must be a duration such as \"30s\", \"5m\" or "
				    "\"1h30m\".", timeouts[i]);
		tf_path_release(&path);
	}
	return tf_diags_has_errors(c->diags) ? -1 : 0;
}

/* --- plan ---------------------------------------------------------------------------- */

static int plan(struct tf_ctx *c, const struct tf_value *prior, const struct tf_value *config,
		struct tf_value *planned, struct tf_paths *replace)
{
	if (iot_plan_region(c, prior, config, planned, replace) < 0 ||
	    aws_tags_plan(c, config, planned) < 0)
		return -1;
	if (!prior)
		return 0;
	const char *was = tf_value_get_string(prior, "policy");
	const char *want = tf_value_get_string(config, "policy");
	if (was && want && strcmp(was, want) && policy_doc_equivalent(was, want) &&
	    aws_set_string(planned, "policy", was) < 0)
		return iot_oom(c);
	/* A new document makes a new default version; anything else keeps it. */
	const char *now = tf_value_get_string(planned, "policy");
	if (was && now && !strcmp(was, now)) {
		struct tf_value *v = tf_value_dup(tf_value_get(prior, "default_version_id"));
		if (!v || tf_value_set(planned, "default_version_id", v) < 0)
			return iot_oom(c);
	}
	return 0;
}

/* --- calls ------------------------------------------------------------------------------ */

/* "/policies/NAME" + suffix (may be NULL); NULL on ENOMEM. */
static char *policy_path(const char *name, const char *suffix)
{
	return iot_path("/policies/", name, suffix);
}

/*
 * Calls a delete operation until it succeeds or finds nothing to delete,
 * retrying DeleteConflictException until `deadline` (aws_now() seconds)
 * or StopProvider.  0 or -1 with a diagnostic.
 */
static int delete_retrying(const struct tf_ctx *c, const char *region, const struct iot_op *op,
			   double deadline)
{
	struct aws_error err;
	json_t *answer = NULL;
	int rc = iot_call_retrying(c, region, op, "DeleteConflictException", deadline - aws_now(),
				   &answer, &err);
	json_decref(answer);
	if (rc < 0 && iot_error_is(&err, "ResourceNotFoundException"))
		rc = 0;
	else if (rc < 0)
		iot_error_diag(c, NULL, op, &err);
	aws_error_release(&err);
	return rc;
}

static int delete_version(const struct tf_ctx *c, const char *region, const char *name,
			  const char *version, double deadline)
{
	char *prefix = policy_path(name, "/version/");
	char *path = prefix ? iot_path(prefix, version, NULL) : NULL;
	struct iot_op op = { "DeletePolicyVersion", "DELETE", path, NULL, NULL, NULL };
	int rc = path ? delete_retrying(c, region, &op, deadline) : iot_oom(c);
	free(prefix);
	free(path);
	return rc;
}

/* ListPolicyVersions: the answer's policyVersions array (a new reference)
 * into *versions.  0; 1 when the policy is gone; -1 with a diagnostic. */
static int list_versions(const struct tf_ctx *c, const char *region, const char *name,
			 json_t **versions)
{
	char *path = policy_path(name, "/version");
	struct iot_op op = { "ListPolicyVersions", "GET", path, NULL, NULL, NULL };
	struct aws_error err;
	json_t *answer = NULL;
	if (!path)
		return iot_oom(c);
	int rc = iot_call(c, region, &op, &answer, &err);
	if (rc < 0 && iot_error_is(&err, "ResourceNotFoundException"))
		rc = 1;
	else if (rc < 0)
		iot_error_diag(c, NULL, &op, &err);
	aws_error_release(&err);
	free(path);
	*versions = rc == 0 ? json_incref(json_object_get(answer, "policyVersions")) : NULL;
	json_decref(answer);
	if (rc == 0 && !json_is_array(*versions)) {
		json_decref(*versions);
		*versions = json_array();
	}
	return rc;
}

static bool is_default_version(const json_t *v)
{
	return json_is_true(json_object_get(v, "isDefaultVersion"));
}

/* The version id as a number, or -1 when it is not one. */
static long version_number(const json_t *v)
{
	const char *id = iot_json_string(v, "versionId");
	char *end;
	long n = id && *id ? strtol(id, &end, 10) : -1;
	return n >= 0 && id && *end == 0 ? n : -1;
}

/* Deletes the oldest (lowest-numbered) non-default version; 1 when there
 * is none to delete. */
static int prune_oldest(const struct tf_ctx *c, const char *region, const char *name,
			double deadline)
{
	json_t *versions, *v, *oldest = NULL;
	size_t i;
	int rc = list_versions(c, region, name, &versions);
	if (rc != 0)
		return rc < 0 ? -1 : 1;
	json_array_foreach(versions, i, v) {
		long n = version_number(v);
		if (n >= 0 && !is_default_version(v) && (!oldest || n < version_number(oldest)))
			oldest = v;
	}
	rc = oldest ? delete_version(c, region, name, iot_json_string(oldest, "versionId"), deadline)
		    : 1;
	json_decref(versions);
	return rc;
}

/* CreatePolicyVersion as the default; at the version limit, prune the
 * oldest and try once more.  Sets state.default_version_id.  0 or -1. */
static int new_version(const struct tf_ctx *c, const char *region, const char *name,
		       const char *doc, struct tf_value *state)
{
	char *path = policy_path(name, "/version");
	json_t *body = json_pack("{s:s}", "policyDocument", doc), *answer = NULL;
	struct iot_op op = { "CreatePolicyVersion", "POST", path, "setAsDefault=true", NULL, body };
	struct aws_error err;
	int rc = -1;
	if (!path || !body) {
		rc = iot_oom(c);
		goto out;
	}
	rc = iot_call(c, region, &op, &answer, &err);
	if (rc < 0 && iot_error_is(&err, "VersionsLimitExceededException")) {
		double deadline = aws_now() + timeout_of(state, "update", UPDATE_TIMEOUT);
		int pruned = prune_oldest(c, region, name, deadline);
		if (pruned == 0)
			rc = iot_do(c, region, "policy", &op, &answer);
		else if (pruned == 1) /* no version to make room with */
			iot_error_diag(c, "policy", &op, &err);
	} else if (rc < 0) {
		iot_error_diag(c, "policy", &op, &err);
	}
	aws_error_release(&err);
	const char *version = rc == 0 ? iot_json_string(answer, "policyVersionId") : NULL;
	if (rc == 0 && !version) {
		tf_diag_error_at(c->diags, "policy", "Invalid AWS answer",
				 "iot CreatePolicyVersion answered without a policyVersionId.");
		rc = -1;
	} else if (rc == 0 && aws_set_string(state, "default_version_id", version) < 0) {
		rc = iot_oom(c);
	}
out:
	json_decref(answer);
	json_decref(body);
	free(path);
	return rc;
}

/* --- the slots -------------------------------------------------------------------------- */

/* policy_doc_normalize with a diagnostic; NULL on failure. */
static char *canonical(const struct tf_ctx *c, const char *policy)
{
	char why[256];
	char *doc = policy ? policy_doc_normalize(policy) : NULL;
	if (!doc && policy && policy_doc_check(policy, why, sizeof(why)) < 0)
		tf_diag_error_at(c->diags, "policy", "Invalid policy document",
				 "policy must be a JSON object: %s.", why);
	else if (!doc)
		iot_oom(c);
	return doc;
}

static int create(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	const char *name = tf_value_get_string(state, "name");
	const char *region = iot_region(c, state);
	const struct tf_value *tags = tf_value_get(state, "tags_all");
	char *doc = canonical(c, tf_value_get_string(state, "policy"));
	char *path = name ? policy_path(name, NULL) : NULL;
	json_t *body = doc ? json_pack("{s:s}", "policyDocument", doc) : NULL, *answer = NULL;
	int rc = -1;
	(void)config;
	if (doc && (!path || !body ||
		    (tags && tags->kind == TF_MAP && tags->u.kv.n &&
		     json_object_set_new(body, "tags", iot_tags_json(tags)) < 0))) {
		iot_oom(c);
	} else if (doc) {
		struct iot_op op = { "CreatePolicy", "POST", path, NULL, NULL, body };
		rc = iot_do(c, region, NULL, &op, &answer);
	}
	if (rc == 0) {
		/* The policy exists now: fill the state whatever comes next. */
		const char *arn = iot_json_string(answer, "policyArn");
		const char *version = iot_json_string(answer, "policyVersionId");
		if (aws_set_string(state, "id", name) < 0 ||
		    aws_set_string(state, "arn", arn ? arn : "") < 0 ||
		    aws_set_string(state, "default_version_id", version ? version : "") < 0)
			rc = iot_oom(c);
		else if (!arn || !version)
			tf_diag_error_at(c->diags, NULL, "Invalid AWS answer",
					 "iot CreatePolicy made policy \"%s\" but answered without "
					 "its %s; the next refresh reads it again.", name,
					 arn ? "policyVersionId" : "policyArn");
		rc = tf_diags_has_errors(c->diags) ? -1 : 0;
	}
	json_decref(answer);
	json_decref(body);
	free(path);
	free(doc);
	return rc;
}

/* state.policy: the state's text while it means what AWS holds, else
 * AWS's document in canonical form. */
static int read_policy(const struct tf_ctx *c, struct tf_value *state, const char *server)
{
	const char *mine = tf_value_get_string(state, "policy");
	if (!server || (mine && policy_doc_equivalent(mine, server)))
		return 0;
	char *doc = policy_doc_normalize(server);
	int rc = aws_set_string(state, "policy", doc ? doc : server);
	free(doc);
	return rc < 0 ? iot_oom(c) : 0;
}

/* GetPolicy's answer into the state (name borrowed from elsewhere). */
static int read_answer(const struct tf_ctx *c, struct tf_value *state, const char *name,
		       const json_t *answer, bool *gone)
{
	const char *arn = iot_json_string(answer, "policyArn");
	const char *version = iot_json_string(answer, "defaultVersionId");
	if (!arn) {
		tf_diag_error_at(c->diags, NULL, "Invalid AWS answer",
				 "iot GetPolicy answered without the policyArn of \"%s\".", name);
		return -1;
	}
	if (aws_set_string(state, "arn", arn) < 0 || aws_set_string(state, "id", name) < 0 ||
	    aws_set_string(state, "name", name) < 0 ||
	    (version && aws_set_string(state, "default_version_id", version) < 0) ||
	    read_policy(c, state, iot_json_string(answer, "policyDocument")) < 0)
		return iot_oom(c);
	return iot_tags_refresh(c, iot_region(c, state), arn, state, gone);
}

static int read(struct tf_ctx *c, struct tf_value *state, bool *gone)
{
	const char *known = tf_value_get_string(state, "name");
	if (!known)
		known = tf_value_get_string(state, "id");
	if (!known) {
		tf_diag_error_at(c->diags, NULL, "Invalid state",
				 "This aws_iot_policy has neither a name nor an id; import it again.");
		return -1;
	}
	char *name = strdup(known); /* the state's own copy changes below */
	char *path = name ? policy_path(name, NULL) : NULL;
	struct iot_op op = { "GetPolicy", "GET", path, NULL, NULL, NULL };
	struct aws_error err;
	json_t *answer = NULL;
	int rc;
	if (!path) {
		rc = iot_oom(c);
	} else if ((rc = iot_call(c, iot_region(c, state), &op, &answer, &err)) == 0) {
		rc = read_answer(c, state, name, answer, gone);
	} else if (iot_error_is(&err, "ResourceNotFoundException")) {
		*gone = true;
		rc = 0;
	} else {
		iot_error_diag(c, NULL, &op, &err);
	}
	if (path)
		aws_error_release(&err);
	json_decref(answer);
	free(path);
	free(name);
	return rc;
}

static int update(struct tf_ctx *c, const struct tf_value *prior, const struct tf_value *config,
		  struct tf_value *state)
{
	const char *name = tf_value_get_string(state, "name");
	const char *region = iot_region(c, state);
	const char *was = tf_value_get_string(prior, "policy");
	const char *now = tf_value_get_string(state, "policy");
	(void)config;
	if (!was || !now || strcmp(was, now)) {
		char *doc = canonical(c, now);
		int rc = doc ? new_version(c, region, name, doc, state) : -1;
		free(doc);
		if (rc < 0)
			return -1;
	}
	const struct tf_value *from = tf_value_get(prior, "tags_all");
	const struct tf_value *to = tf_value_get(state, "tags_all");
	const char *arn = tf_value_get_string(state, "arn");
	if (tf_value_equal(from, to))
		return 0;
	if (!arn)
		tf_diag_error_at(c->diags, "tags", "Cannot change tags",
				 "The state has no ARN for policy \"%s\"; refresh it first.", name);
	else if (iot_tags_update(c, region, arn, from, to) == 0)
		return 0;
	/* The tags stay as they were: say so in the state. */
	struct tf_value *tags = tf_value_dup(tf_value_get(prior, "tags"));
	struct tf_value *all = tf_value_dup(from);
	if (!tags || !all || tf_value_set(state, "tags", tags) < 0 ||
	    tf_value_set(state, "tags_all", all) < 0)
		iot_oom(c);
	return -1;
}

static int destroy(struct tf_ctx *c, const struct tf_value *prior)
{
	const char *name = tf_value_get_string(prior, "name");
	const char *region = iot_region(c, prior);
	double deadline = aws_now() + timeout_of(prior, "delete", DELETE_TIMEOUT);
	json_t *versions, *v;
	size_t i;
	if (!name)
		return 0;
	int rc = list_versions(c, region, name, &versions);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	json_array_foreach(versions, i, v) {
		const char *id = iot_json_string(v, "versionId");
		if (rc == 0 && id && !is_default_version(v))
			rc = delete_version(c, region, name, id, deadline);
	}
	json_decref(versions);
	char *path = policy_path(name, NULL);
	struct iot_op op = { "DeletePolicy", "DELETE", path, NULL, NULL, NULL };
	if (rc == 0)
		rc = path ? delete_retrying(c, region, &op, deadline) : iot_oom(c);
	free(path);
	return rc;
}

static int import(struct tf_ctx *c, const char *id, struct tf_value *state)
{
	char *name = iot_import_id(c, id, state);
	int rc = 0;
	if (!name)
		return -1;
	if (!iot_policy_name_valid(name)) {
		tf_diag_error_at(c->diags, NULL, "Invalid import ID",
				 "\"%s\" is not an IoT policy name. Import an aws_iot_policy by its "
				 "name, optionally followed by @REGION.", id);
		rc = -1;
	} else if (aws_set_string(state, "name", name) < 0 || aws_set_string(state, "id", name) < 0) {
		rc = iot_oom(c);
	}
	free(name);
	return rc;
}

const struct tf_resource aws_iot_policy_resource = {
	.name = "aws_iot_policy",
	.validate = validate,
	.plan = plan,
	.create = create,
	.read = read,
	.update = update,
	.destroy = destroy,
	.import = import,
};

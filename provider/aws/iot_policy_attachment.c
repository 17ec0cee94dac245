/*
 * iot_policy_attachment.c - resource "aws_iot_policy_attachment": an IoT
 * policy attached to a target (certificate ARN, thing group ARN or
 * Cognito identity id).  The id is "policy|target".
 *
 *   create  AttachPolicy, then waits (about 10 s at most) until
 *           ListAttachedPolicies shows it: AWS's lists lag behind
 *   read    ListAttachedPolicies on the target, every page, looking for
 *           exactly this policy name; a missing target or no match is gone
 *   delete  DetachPolicy; an attachment already gone is fine
 *   import  by "policy|target" (hashicorp/aws cannot import it)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iot.h"
#include "ratelimit.h"

#define PAGE_SIZE "250"
#define MAX_PAGES 1000
#define CREATE_WAIT 10.0  /* seconds the list may lag behind AttachPolicy */

static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	const char *policy = tf_value_get_string(config, "policy");
	const char *target = tf_value_get_string(config, "target");
	if (policy && !iot_policy_name_valid(policy))
		tf_diag_error_at(c->diags, "policy", "Invalid policy name",
				 "\"%s\" is not an IoT policy name: use 1 to 128 letters, digits and "
				 "_+=,.@- characters.", policy);
	if (target && !iot_principal_valid(target))
		tf_diag_error_at(c->diags, "target", "Invalid policy target",
				 "\"%s\" is neither an ARN (such as a certificate's "
				 "arn:aws:iot:REGION:ACCOUNT:cert/ID) nor a Cognito identity id "
				 "(REGION:GUID).", target);
	return tf_diags_has_errors(c->diags) ? -1 : 0;
}

/* One page of ListAttachedPolicies: *found when it lists `policy`;
 * *next gets the next marker (malloc'd) or NULL.  0; 1 when the target
 * is gone; -1 with a diagnostic. */
static int list_page(const struct tf_ctx *c, const char *region, const char *policy,
		     const char *target, const char *marker, bool *found, char **next)
{
	char *path = iot_path("/attached-policies/", target, NULL);
	char *query = iot_query("pageSize", PAGE_SIZE, "recursive", "false", "marker", marker, NULL);
	struct iot_op op = { "ListAttachedPolicies", "POST", path, query, NULL, NULL };
	struct aws_error err;
	json_t *answer = NULL, *p;
	size_t i;
	int rc;
	*next = NULL;
	if (!path || !query) {
		free(path);
		free(query);
		return iot_oom(c);
	}
	rc = iot_call(c, region, &op, &answer, &err);
	if (rc < 0 && iot_error_is(&err, "ResourceNotFoundException"))
		rc = 1;
	else if (rc < 0)
		iot_error_diag(c, "target", &op, &err);
	aws_error_release(&err);
	json_array_foreach(json_object_get(answer, "policies"), i, p) {
		const char *name = iot_json_string(p, "policyName");
		if (name && !strcmp(name, policy))
			*found = true;
	}
	const char *marker_out = iot_json_string(answer, "nextMarker");
	if (rc == 0 && marker_out && *marker_out && !(*next = strdup(marker_out)))
		rc = iot_oom(c);
	json_decref(answer);
	free(path);
	free(query);
	return rc;
}

/* Whether `policy` is attached to `target`: 0 attached, 1 not (or the
 * target is gone), -1 with a diagnostic. */
static int find(const struct tf_ctx *c, const char *region, const char *policy,
		const char *target)
{
	char *marker = NULL;
	bool found = false;
	int rc = 0;
	for (int page = 1; rc == 0 && !found; page++) {
		char *next;
		rc = list_page(c, region, policy, target, marker, &found, &next);
		if (next && (page >= MAX_PAGES || (marker && !strcmp(marker, next)))) {
			tf_diag_error_at(c->diags, "target", "Invalid AWS answer",
					 "iot ListAttachedPolicies kept answering with a next marker "
					 "after %d pages.", page);
			rc = -1;
		}
		free(marker);
		marker = next;
		if (!marker)
			break;
	}
	free(marker);
	return rc < 0 ? -1 : found ? 0 : 1;
}

/* id = "policy|target"; 0 or -1. */
static int set_id(const struct tf_ctx *c, struct tf_value *state, const char *policy,
		  const char *target)
{
	size_t n = strlen(policy) + 1 + strlen(target) + 1;
	char *id = malloc(n);
	int rc = -1;
	if (id) {
		snprintf(id, n, "%s|%s", policy, target);
		rc = aws_set_string(state, "id", id);
		free(id);
	}
	return rc < 0 ? iot_oom(c) : 0;
}

/* AttachPolicy or DetachPolicy of policy to target; 0 or -1 (*err says why). */
static int attach_call(const struct tf_ctx *c, const char *region, const char *name,
		       const char *method, const char *policy, const char *target,
		       struct iot_op *op, struct aws_error *err)
{
	char *path = iot_path("/target-policies/", policy, NULL);
	json_t *body = json_pack("{s:s}", "target", target), *answer = NULL;
	*op = (struct iot_op){ name, method, path, NULL, NULL, body };
	int rc = -1;
	if (path && body) {
		rc = iot_call(c, region, op, &answer, err);
	} else {
		memset(err, 0, sizeof(*err));
		err->message = strdup("out of memory");
	}
	json_decref(answer);
	json_decref(body);
	free(path);
	op->path = NULL; /* freed: only the name is used from here */
	op->body = NULL;
	return rc;
}

static int create(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	const char *policy = tf_value_get_string(state, "policy");
	const char *target = tf_value_get_string(state, "target");
	const char *region = iot_region(c, state);
	struct iot_op op;
	struct aws_error err;
	(void)config;
	if (!policy || !target) {
		tf_diag_error_at(c->diags, NULL, "Missing policy or target",
				 "Both policy and target must be known to attach the policy.");
		return -1;
	}
	int rc = attach_call(c, region, "AttachPolicy", "PUT", policy, target, &op, &err);
	if (rc < 0)
		iot_error_diag(c, NULL, &op, &err);
	aws_error_release(&err);
	if (rc < 0)
		return -1;
	/* Attached: the state is complete from here on, whatever comes next. */
	if (set_id(c, state, policy, target) < 0)
		return -1;
	double deadline = aws_now() + CREATE_WAIT;
	for (double wait = 0.5;; wait = wait * 2 > 2 ? 2 : wait * 2) {
		rc = find(c, region, policy, target);
		if (rc <= 0)
			return rc;
		if (aws_now() + wait > deadline || aws_sleep(wait, c->stopping) < 0)
			break;
	}
	tf_diag_error_at(c->diags, NULL, "Attachment not visible",
			 "iot AttachPolicy attached policy \"%s\" to %s, but ListAttachedPolicies "
			 "did not list it within %.0f seconds. The attachment is kept in the state "
			 "and marked tainted; the next apply replaces it.",
			 policy, target, CREATE_WAIT);
	return -1;
}

/* The policy and target of the state, from the id when an attribute is
 * missing; 0, or -1 with a diagnostic when the id is not "policy|target". */
static int parse_id(const struct tf_ctx *c, const char *id, char **policy, char **target)
{
	const char *bar = id ? strchr(id, '|') : NULL;
	*policy = *target = NULL;
	if (!bar || bar == id || !bar[1] || strchr(bar + 1, '|')) {
		tf_diag_error_at(c->diags, NULL, "Invalid id",
				 "\"%s\" is not an aws_iot_policy_attachment id: expected "
				 "POLICY_NAME|TARGET.", id ? id : "");
		return -1;
	}
	*policy = strndup(id, (size_t)(bar - id));
	*target = strdup(bar + 1);
	if (!*policy || !*target) {
		free(*policy);
		free(*target);
		return iot_oom(c);
	}
	return 0;
}

static int read(struct tf_ctx *c, struct tf_value *state, bool *gone)
{
	const char *policy = tf_value_get_string(state, "policy");
	const char *target = tf_value_get_string(state, "target");
	char *p = NULL, *t = NULL;
	if ((!policy || !target) && parse_id(c, tf_value_get_string(state, "id"), &p, &t) < 0)
		return -1;
	int rc = find(c, iot_region(c, state), policy ? policy : p, target ? target : t);
	if (rc == 1)
		*gone = true;
	free(p);
	free(t);
	return rc < 0 ? -1 : 0;
}

static int destroy(struct tf_ctx *c, const struct tf_value *prior)
{
	const char *policy = tf_value_get_string(prior, "policy");
	const char *target = tf_value_get_string(prior, "target");
	struct iot_op op;
	struct aws_error err;
	if (!policy || !target)
		return 0;
	int rc = attach_call(c, iot_region(c, prior), "DetachPolicy", "POST", policy, target, &op,
			     &err);
	if (rc < 0 && iot_error_is(&err, "ResourceNotFoundException"))
		rc = 0;
	else if (rc < 0)
		iot_error_diag(c, NULL, &op, &err);
	aws_error_release(&err);
	return rc;
}

static int import(struct tf_ctx *c, const char *id, struct tf_value *state)
{
	char *policy, *target, *bare = iot_import_id(c, id, state);
	if (!bare)
		return -1;
	if (parse_id(c, bare, &policy, &target) < 0) {
		free(bare);
		return -1;
	}
	int rc = 0;
	if (!iot_policy_name_valid(policy) || !iot_principal_valid(target)) {
		tf_diag_error_at(c->diags, NULL, "Invalid import ID",
				 "\"%s\" is not POLICY_NAME|TARGET with an IoT policy name and a "
				 "target that is an ARN or a Cognito identity id.", id);
		rc = -1;
	} else if (aws_set_string(state, "policy", policy) < 0 ||
		   aws_set_string(state, "target", target) < 0 ||
		   aws_set_string(state, "id", bare) < 0) {
		rc = iot_oom(c);
	}
	free(bare);
	free(policy);
	free(target);
	return rc;
}

static int plan(struct tf_ctx *c, const struct tf_value *prior, const struct tf_value *config,
		struct tf_value *planned, struct tf_paths *replace)
{
	return iot_plan_region(c, prior, config, planned, replace);
}

const struct tf_resource aws_iot_policy_attachment_resource = {
	.name = "aws_iot_policy_attachment",
	.validate = validate,
	.plan = plan,
	.create = create,
	.read = read,
	.destroy = destroy,
	.import = import,
};

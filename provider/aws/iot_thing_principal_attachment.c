/*
 * iot_thing_principal_attachment.c - resource
 * "aws_iot_thing_principal_attachment": AttachThingPrincipal,
 * ListThingPrincipalsV2, DetachThingPrincipal.
 *
 * The id is "thing|principal", which is also the import id.  Reads page
 * through every principal of the thing and match the principal exactly.
 *
 * thing_principal_type: the list's objects carry it, but not always (moto
 * leaves it out), so when the answer has none the value already in the
 * state (configured, or from an earlier read) is kept, and failing that
 * AWS's default, NON_EXCLUSIVE_THING, is stored.  A configured value is
 * therefore never overwritten by a missing one, and no perpetual diff
 * follows.
 *
 * Right after AttachThingPrincipal the list may not show the principal yet;
 * create retries the read for a few seconds, and if it still finds nothing
 * it keeps the attachment in the state (tainted) with an error rather than
 * forget an attachment that may well exist.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "iot.h"
#include "ratelimit.h"

#define DEFAULT_TYPE "NON_EXCLUSIVE_THING"
/* Read-after-create: the waits between attempts, about 10 s in all. */
static const double lag_waits[] = { 0.25, 0.5, 1, 2, 2.5, 4 };
/* Bound on pages, against an endless nextToken chain in a hostile answer. */
#define MAX_PAGES 10000

static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	const char *principal = tf_value_get_string(config, "principal");
	const char *thing = tf_value_get_string(config, "thing");
	size_t before = c->diags->errors;
	if (principal && !iot_principal_valid(principal))
		tf_diag_error_at(c->diags, "principal", "Invalid principal",
				 "\"%s\" is neither an ARN (such as a certificate's, "
				 "arn:aws:iot:REGION:ACCOUNT:cert/ID) nor an Amazon Cognito identity id "
				 "(REGION:UUID).", principal);
	if (thing && *thing && !iot_thing_name_valid(thing))
		tf_diag_error_at(c->diags, "thing", "Invalid thing name",
				 "A thing name may only contain letters, digits, ':', '_' and '-'.");
	if (thing && !*thing)
		tf_diag_error_at(c->diags, "thing", "Invalid thing name",
				 "The thing name must not be empty.");
	return c->diags->errors > before ? -1 : 0;
}

static int plan(struct tf_ctx *c, const struct tf_value *prior, const struct tf_value *config,
		struct tf_value *planned, struct tf_paths *replace)
{
	return iot_plan_region(c, prior, config, planned, replace);
}

/* One page of ListThingPrincipalsV2.  0: *out is the answer, or NULL when
 * the thing does not exist.  -1: error added. */
static int list_page(struct tf_ctx *c, const char *region, const char *path, const char *token,
		     json_t **out)
{
	char *query = iot_query("nextToken", token, NULL);
	struct iot_op op = { .name = "ListThingPrincipalsV2", .method = "GET", .path = path,
			     .query = query && *query ? query : NULL };
	struct aws_error err;
	*out = NULL;
	if (!query)
		return iot_oom(c);
	int rc = iot_call(c, region, &op, out, &err);
	if (rc < 0 && iot_error_is(&err, "ResourceNotFoundException"))
		rc = 0;
	else if (rc < 0)
		iot_error_diag(c, NULL, &op, &err);
	aws_error_release(&err);
	free(query);
	return rc;
}

/* Looks for `principal` in one page; see find(). */
static int match(struct tf_ctx *c, const json_t *page, const char *principal, bool *found,
		 char **type)
{
	json_t *o;
	size_t i;
	json_array_foreach(json_object_get(page, "thingPrincipalObjects"), i, o) {
		const char *p = iot_json_string(o, "principal");
		if (!p || strcmp(p, principal))
			continue;
		const char *t = iot_json_string(o, "thingPrincipalType");
		*found = true;
		if (t && *t && !(*type = strdup(t)))
			return iot_oom(c);
		return 0;
	}
	return 0;
}

/*
 * Looks `principal` up among the thing's principals, page by page.
 * 0: *found says whether it is there, and *type is the object's
 * thingPrincipalType (malloc'd) when the answer has one.  A missing thing
 * is "not found".  -1: error added.
 */
static int find(struct tf_ctx *c, const char *region, const char *thing, const char *principal,
		bool *found, char **type)
{
	char *path = iot_path("/things/", thing, "/principals-v2");
	char *token = NULL;
	int rc = 0;
	*found = false;
	*type = NULL;
	if (!path)
		return iot_oom(c);
	for (int page = 0;; page++) {
		json_t *out;
		if (page == MAX_PAGES) {
			tf_diag_error_at(c->diags, NULL, "Too many pages",
					 "ListThingPrincipalsV2 for thing \"%s\" went on for more than "
					 "%d pages.", thing, MAX_PAGES);
			rc = -1;
			break;
		}
		if ((rc = list_page(c, region, path, token, &out)) < 0 || !out)
			break;
		rc = match(c, out, principal, found, type);
		const char *next = iot_json_string(out, "nextToken");
		char *again = NULL;
		/* a token that repeats itself would loop forever: stop there */
		if (rc == 0 && !*found && next && *next && (!token || strcmp(next, token)) &&
		    !(again = strdup(next)))
			rc = iot_oom(c);
		json_decref(out);
		free(token);
		token = again;
		if (rc < 0 || !token)
			break;
	}
	free(token);
	free(path);
	if (rc < 0) {
		free(*type);
		*type = NULL;
	}
	return rc;
}

/* thing_principal_type from the answer, else the state's, else AWS's default. */
static int set_type(struct tf_value *state, const char *answered)
{
	const char *had = tf_value_get_string(state, "thing_principal_type");
	return aws_set_string(state, "thing_principal_type",
			      answered ? answered : had ? had : DEFAULT_TYPE);
}

/* "thing|principal" (malloc'd), or NULL. */
static char *join_id(const char *thing, const char *principal)
{
	size_t t = strlen(thing), p = strlen(principal);
	char *id = malloc(t + p + 2);
	if (id) {
		memcpy(id, thing, t);
		id[t] = '|';
		memcpy(id + t + 1, principal, p + 1);
	}
	return id;
}

/* Reads the attachment right after it was made, waiting out a lagging list. */
static int read_back(struct tf_ctx *c, struct tf_value *state, const char *thing,
		     const char *principal)
{
	const char *region = iot_region(c, state);
	char *type = NULL;
	bool found = false;
	size_t attempt = 0;
	while (find(c, region, thing, principal, &found, &type) == 0 && !found &&
	       attempt < sizeof(lag_waits) / sizeof(lag_waits[0]) &&
	       aws_sleep(lag_waits[attempt], c->stopping) == 0)
		attempt++;
	int rc = set_type(state, type) < 0 ? iot_oom(c) : 0;
	free(type);
	if (rc == 0 && !found && !tf_diags_has_errors(c->diags)) {
		tf_diag_error_at(c->diags, NULL, "Attachment not found after creation",
				 "AWS IoT accepted AttachThingPrincipal for thing \"%s\" but "
				 "ListThingPrincipalsV2 did not list the principal within %zu attempts. "
				 "Terraform keeps the attachment in the state, marked for replacement; "
				 "run apply again.", thing, attempt + 1);
		rc = -1;
	}
	if (tf_diags_has_errors(c->diags))
		rc = -1;
	iot_state_settle(state);
	return rc;
}

static int create(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	(void)config;
	const char *thing = tf_value_get_string(state, "thing");
	const char *principal = tf_value_get_string(state, "principal");
	const char *type = tf_value_get_string(state, "thing_principal_type");
	if (!thing || !principal) {
		tf_diag_error_at(c->diags, thing ? "principal" : "thing", "Missing value",
				 "Both thing and principal must be known to attach.");
		return -1;
	}
	char *path = iot_path("/things/", thing, "/principals");
	char *query = iot_query("thingPrincipalType", type, NULL);
	char *id = join_id(thing, principal);
	struct iot_op op = { .name = "AttachThingPrincipal", .method = "PUT", .path = path,
			     .query = query && *query ? query : NULL, .principal = principal };
	int rc = -1;
	if (!path || !query || !id)
		rc = iot_oom(c);
	else if (iot_do(c, iot_region(c, state), "principal", &op, NULL) == 0) {
		if (aws_set_string(state, "id", id) < 0) {
			iot_oom(c);
			iot_state_settle(state);
		} else {
			rc = read_back(c, state, thing, principal);
		}
	}
	free(id);
	free(query);
	free(path);
	return rc;
}

/* Splits "thing|principal"; both parts non-empty.  0, or -1 (bad or ENOMEM). */
static int split_id(const char *id, char **thing, char **principal)
{
	const char *bar = strchr(id, '|');
	*thing = *principal = NULL;
	if (!bar || bar == id || !bar[1] || strchr(bar + 1, '|'))
		return -1;
	*thing = strndup(id, (size_t)(bar - id));
	*principal = strdup(bar + 1);
	if (!*thing || !*principal) {
		free(*thing);
		free(*principal);
		*thing = *principal = NULL;
		return -1;
	}
	return 0;
}

static int read(struct tf_ctx *c, struct tf_value *state, bool *gone)
{
	const char *thing = tf_value_get_string(state, "thing");
	const char *principal = tf_value_get_string(state, "principal");
	char *type = NULL;
	bool found;
	*gone = false;
	if (!thing || !principal) {
		tf_diag_error_at(c->diags, NULL, "Incomplete state",
				 "The state has no thing or principal to look up.");
		return -1;
	}
	if (find(c, iot_region(c, state), thing, principal, &found, &type) < 0)
		return -1;
	*gone = !found;
	int rc = found && set_type(state, type) < 0 ? iot_oom(c) : 0;
	free(type);
	return rc;
}

static int destroy(struct tf_ctx *c, const struct tf_value *prior)
{
	const char *thing = tf_value_get_string(prior, "thing");
	const char *principal = tf_value_get_string(prior, "principal");
	if (!thing || !principal)
		return 0; /* nothing was ever attached */
	char *path = iot_path("/things/", thing, "/principals");
	struct iot_op op = { .name = "DetachThingPrincipal", .method = "DELETE", .path = path,
			     .principal = principal };
	if (!path)
		return iot_oom(c);
	int rc = iot_do_unless_gone(c, iot_region(c, prior), &op);
	free(path);
	return rc;
}

static int import(struct tf_ctx *c, const char *id, struct tf_value *state)
{
	char *thing, *principal, *bare = iot_import_id(c, id, state);
	if (!bare)
		return -1;
	if (split_id(bare, &thing, &principal) < 0) {
		tf_diag_error_at(c->diags, NULL, "Invalid import id",
				 "\"%s\" is not an aws_iot_thing_principal_attachment id: use "
				 "THING|PRINCIPAL, the thing's name and the principal's ARN (or "
				 "Cognito identity id) joined by a single '|', optionally followed "
				 "by @REGION.", id);
		free(bare);
		return -1;
	}
	int rc = aws_set_string(state, "thing", thing) | aws_set_string(state, "principal", principal) |
		 aws_set_string(state, "id", bare);
	free(bare);
	free(thing);
	free(principal);
	return rc < 0 ? iot_oom(c) : 0;
}

const struct tf_resource aws_iot_thing_principal_attachment_resource = {
	.name = "aws_iot_thing_principal_attachment",
	.validate = validate,
	.plan = plan,
	.create = create,
	.read = read,
	.destroy = destroy,
	.import = import,
};

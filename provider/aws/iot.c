/*
 * iot.c - the IoT resources' shared call path and region rule (iot.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "arn.h"
#include "config.h"
#include "iot.h"
#include "log.h"
#include "ratelimit.h"
#include "sigv4.h"

/* The IoT endpoint for `region`: the configured one (the same for every
 * region), else the public one.  Malloc'd, or NULL. */
static char *endpoint_in(const struct aws_config *cfg, const char *region)
{
	char *url = NULL;
	if (cfg->iot_endpoint_custom || !strcmp(region, cfg->region))
		return strdup(cfg->iot_endpoint);
	return aws_default_endpoint("iot", region, &url) < 0 ? NULL : url;
}

/* The operations that make a new object on every call (no idempotency
 * token): a lost answer must not be followed by a second call. */
static bool makes_anew(const char *operation)
{
	return !strcmp(operation, "CreateKeysAndCertificate") ||
	       !strcmp(operation, "CreateCertificateFromCsr");
}

static void fail(struct aws_error *err, const char *why)
{
	memset(err, 0, sizeof(*err));
	err->message = strdup(why);
}

int iot_call(const struct tf_ctx *c, const char *region, const struct iot_op *op, json_t **out,
	     struct aws_error *err)
{
	const struct aws_config *cfg = c->meta;
	struct aws_sigv4_header principal = { "x-amzn-principal", op->principal };
	struct aws_response resp;
	char *body = NULL, *endpoint;
	*out = NULL;
	if (!region)
		region = cfg->region;
	if (!(endpoint = endpoint_in(cfg, region))) {
		fail(err, "out of memory");
		return -1;
	}
	if (op->body && !(body = json_dumps(op->body, JSON_COMPACT))) {
		free(endpoint);
		fail(err, "out of memory");
		return -1;
	}
	struct aws_request req = {
		.operation = op->name, .service = "iot", .region = region, .endpoint = endpoint,
		.method = op->method, .path = op->path, .query = op->query,
		.content_type = body ? "application/json" : NULL, .body = body,
		.body_len = body ? strlen(body) : 0,
		.headers = op->principal ? &principal : NULL, .n_headers = op->principal ? 1 : 0,
		.once = makes_anew(op->name),
	};
	int rc = aws_call(cfg, &cfg->creds, c->stopping, &req, &resp, err);
	if (body) {
		OPENSSL_cleanse(body, strlen(body));
		free(body);
	}
	free(endpoint);
	if (rc < 0)
		return -1;
	if (resp.body.len == 0) {
		*out = json_object();
	} else {
		*out = json_loadb((const char *)resp.body.data, resp.body.len, 0, NULL);
		if (*out && !json_is_object(*out)) {
			json_decref(*out);
			*out = NULL;
		}
	}
	long status = resp.status;
	aws_response_release(&resp);
	if (!*out) {
		int attempts = err->attempts;
		aws_error_release(err);
		fail(err, "the answer is not a JSON object");
		err->attempts = attempts;
		err->status = status;
		err->outcome_unknown = true; /* AWS did answer 2xx */
		return -1;
	}
	return 0;
}

int iot_call_retrying(const struct tf_ctx *c, const char *region, const struct iot_op *op,
		      const char *code, double seconds, json_t **out, struct aws_error *err)
{
	double deadline = aws_now() + seconds, wait = 0.25;
	for (;;) {
		int rc = iot_call(c, region, op, out, err);
		if (rc == 0 || !iot_error_is(err, code) || aws_now() + wait > deadline)
			return rc;
		tf_log(TF_LOG_DEBUG, "retrying AWS IoT call", "operation", op->name, "error", code,
		       NULL);
		if (aws_sleep(wait, c->stopping) < 0)
			return rc;
		aws_error_release(err);
		wait = wait * 2 > 10 ? 10 : wait * 2;
	}
}

bool iot_error_is(const struct aws_error *e, const char *code)
{
	return e->code && !strcmp(e->code, code);
}

void iot_error_diag(const struct tf_ctx *c, const char *attr, const struct iot_op *op,
		    const struct aws_error *e)
{
	struct aws_request req = { .operation = op->name, .service = "iot" };
	aws_error_diag(c->diags, attr, &req, e);
}

int iot_do(const struct tf_ctx *c, const char *region, const char *attr, const struct iot_op *op,
	   json_t **out)
{
	struct aws_error err;
	json_t *answer;
	int rc = iot_call(c, region, op, &answer, &err);
	if (rc < 0)
		iot_error_diag(c, attr, op, &err);
	aws_error_release(&err);
	if (out)
		*out = answer;
	else
		json_decref(answer);
	return rc;
}

int iot_do_unless_gone(const struct tf_ctx *c, const char *region, const struct iot_op *op)
{
	struct aws_error err;
	json_t *answer;
	int rc = iot_call(c, region, op, &answer, &err);
	if (rc < 0 && iot_error_is(&err, "ResourceNotFoundException"))
		rc = 0;
	else if (rc < 0)
		iot_error_diag(c, NULL, op, &err);
	aws_error_release(&err);
	json_decref(answer);
	return rc;
}

char *iot_path(const char *prefix, const char *label, const char *suffix)
{
	struct tf_bytes b = { 0 };
	int rc = tf_bytes_add(&b, prefix, strlen(prefix));
	rc |= aws_uri_encode(&b, label, strlen(label), false);
	if (suffix)
		rc |= tf_bytes_add(&b, suffix, strlen(suffix));
	rc |= tf_bytes_add(&b, "", 1);
	if (rc) {
		tf_bytes_release(&b);
		return NULL;
	}
	return (char *)b.data;
}

char *iot_query(const char *name, ...)
{
	struct tf_bytes b = { 0 };
	va_list ap;
	int rc = 0;
	va_start(ap, name);
	for (const char *n = name; n; n = va_arg(ap, const char *)) {
		const char *v = va_arg(ap, const char *);
		if (!v)
			continue;
		if (b.len)
			rc |= tf_bytes_add(&b, "&", 1);
		rc |= aws_uri_encode(&b, n, strlen(n), false) | tf_bytes_add(&b, "=", 1) |
		      aws_uri_encode(&b, v, strlen(v), false);
	}
	va_end(ap);
	rc |= tf_bytes_add(&b, "", 1);
	if (rc) {
		tf_bytes_release(&b);
		return NULL;
	}
	return (char *)b.data;
}

const char *iot_json_string(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

const char *iot_region(const struct tf_ctx *c, const struct tf_value *obj)
{
	const struct aws_config *cfg = c->meta;
	const char *r = tf_value_get_string(obj, "region");
	return r && *r ? r : cfg->region;
}

int iot_plan_region(const struct tf_ctx *c, const struct tf_value *prior,
		    const struct tf_value *config, struct tf_value *planned,
		    struct tf_paths *replace)
{
	const struct aws_config *cfg = c->meta;
	const struct tf_value *want = tf_value_get(config, "region");
	if (!cfg) /* planned before the provider is configured: nothing to know yet */
		return 0;
	if (tf_value_is_null(want) && aws_set_string(planned, "region", cfg->region) < 0)
		return iot_oom(c);
	const char *before = prior ? tf_value_get_string(prior, "region") : NULL;
	const char *after = tf_value_get_string(planned, "region");
	if (after && strcmp(after, cfg->region) && (!aws_region_valid(after) ||
		      strcmp(aws_region_partition(after), cfg->partition))) {
		tf_diag_error_at(c->diags, "region", "Invalid region",
				 "\"%s\" is not a region of the provider's partition (%s): use a "
				 "region name such as %s, or configure another provider for it.",
				 after, cfg->partition, cfg->region);
		return -1;
	}
	/* State written before v6 has no region (null or ""): it lived in the
	 * provider's region, so taking that is no move. */
	if (before && !*before)
		before = cfg->region;
	if (before && after && strcmp(before, after) && tf_paths_add_attr(replace, "region") < 0)
		return iot_oom(c);
	return 0;
}

char *iot_import_id(const struct tf_ctx *c, const char *id, struct tf_value *state)
{
	const struct aws_config *cfg = c->meta;
	const char *at = strrchr(id, '@');
	bool regional = at && aws_region_valid(at + 1);
	char *bare = regional ? strndup(id, (size_t)(at - id)) : strdup(id);
	if (!bare || aws_set_string(state, "region", regional ? at + 1 : cfg->region) < 0) {
		free(bare);
		iot_oom(c);
		return NULL;
	}
	return bare;
}

int iot_oom(const struct tf_ctx *c)
{
	tf_diag_error_at(c->diags, NULL, "Out of memory", "The provider ran out of memory.");
	return -1;
}

bool iot_thing_name_valid(const char *s)
{
	if (!*s)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_-") ==
	       strlen(s);
}

bool iot_policy_name_valid(const char *name)
{
	size_t n = strlen(name);
	return n >= 1 && n <= 128 &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-") == n;
}

/* 8-4-4-4-12 hexadecimal digits. */
static bool is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	for (size_t i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == '-' ? s[i] != '-'
				    : !s[i] || !strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	}
	return s[sizeof(shape) - 1] == '\0';
}

bool iot_principal_valid(const char *s)
{
	if (!strncmp(s, "arn:", 4)) {
		struct aws_arn arn;
		const char *why;
		if (aws_arn_parse(s, &arn, &why) < 0)
			return false;
		aws_arn_release(&arn);
		return true;
	}
	const char *colon = strchr(s, ':');
	if (!colon || colon == s || (size_t)(colon - s) >= 32)
		return false;
	char region[32];
	memcpy(region, s, (size_t)(colon - s));
	region[colon - s] = '\0';
	return aws_region_valid(region) && is_uuid(colon + 1);
}

void iot_state_settle(struct tf_value *state)
{
	for (size_t i = 0; state && state->kind == TF_OBJECT && i < state->u.kv.n; i++)
		if (tf_value_is_unknown(state->u.kv.vals[i]))
			state->u.kv.vals[i]->kind = TF_NULL; /* an unknown owns no payload */
}

/*
 * iot.h - what the AWS IoT resources share: one call into the IoT API in a
 * resource's region, with JSON in and out; paths and queries built from
 * raw labels; the per-resource `region` attribute of hashicorp/aws v6.
 *
 * Ownership: iot_call's *out is a new JSON reference (json_decref it);
 * *err must be released with aws_error_release() after every call, success
 * included.  iot_path() and iot_query() return malloc'd strings.
 *
 * Secrets: request and response bodies are never logged (they carry
 * private keys and certificates).
 */
#ifndef THINGFORM_AWS_IOT_H
#define THINGFORM_AWS_IOT_H

#include <stdbool.h>

#include <jansson.h>

#include "aws.h"
#include "client.h"

struct iot_op {
	const char *name;       /* "CreateThing": messages and rate limiting */
	const char *method;     /* "GET", "POST", ... */
	const char *path;       /* percent-encoded (iot_path) */
	const char *query;      /* percent-encoded (iot_query), or NULL */
	const char *principal;  /* the x-amzn-principal header, or NULL */
	const json_t *body;     /* sent as compact JSON, or NULL for none */
};

/*
 * Calls `op` in `region` (NULL: the provider's).  0: *out is the answer
 * (an empty JSON object when the body is empty).  -1: *err says why; when
 * the call could not be made at all (memory) err->message says so.
 * CreateKeysAndCertificate and CreateCertificateFromCsr, which make a new
 * certificate on every call, are not sent again after a transport failure
 * once connected; that failure, and a 2xx answer that is not JSON, set
 * err->outcome_unknown.
 */
int iot_call(const struct tf_ctx *c, const char *region, const struct iot_op *op, json_t **out,
	     struct aws_error *err);

/*
 * iot_call, tried again while it fails with AWS error `code` (an
 * eventual-consistency error such as "DeleteConflictException") until
 * `seconds` have passed, waiting 0.25 s at first and doubling up to 10 s.
 * StopProvider ends the wait with the last error.  Same contract as
 * iot_call.
 */
int iot_call_retrying(const struct tf_ctx *c, const char *region, const struct iot_op *op,
		      const char *code, double seconds, json_t **out, struct aws_error *err);

/* True when the call failed with AWS error `code` ("ResourceNotFoundException"). */
bool iot_error_is(const struct aws_error *e, const char *code);

/* Adds an error naming `attr` (or none), the operation, the AWS error
 * code, its message and the request id. */
void iot_error_diag(const struct tf_ctx *c, const char *attr, const struct iot_op *op,
		    const struct aws_error *e);

/* Calls `op`; on failure adds the diagnostic.  0 or -1. *out may be NULL
 * when the answer is not needed. */
int iot_do(const struct tf_ctx *c, const char *region, const char *attr, const struct iot_op *op,
	   json_t **out);

/* Calls `op` where "not found" means done (a delete, a detach): 0 when it
 * succeeded or AWS answered ResourceNotFoundException, else -1 after the
 * diagnostic. */
int iot_do_unless_gone(const struct tf_ctx *c, const char *region, const struct iot_op *op);

/* prefix + label percent-encoded as one segment ('/' too) + suffix
 * (suffix may be NULL); NULL when memory runs out. */
char *iot_path(const char *prefix, const char *label, const char *suffix);

/* "name=value&..." from NULL-terminated name/value pairs; a pair whose
 * value is NULL is left out.  Returns NULL when memory runs out, and ""
 * (allocated) when nothing is left. */
char *iot_query(const char *name, ...) __attribute__((sentinel));

/* The string `key` of a JSON object, or NULL (borrowed). */
const char *iot_json_string(const json_t *obj, const char *key);

/* The region a resource lives in: its `region` attribute when known,
 * else the provider's (borrowed). */
const char *iot_region(const struct tf_ctx *c, const struct tf_value *obj);

/*
 * The plan step every regional IoT resource shares: `region` left null
 * takes the provider's region, and a change of region replaces the
 * resource.  0 or -1.
 */
int iot_plan_region(const struct tf_ctx *c, const struct tf_value *prior,
		    const struct tf_value *config, struct tf_value *planned,
		    struct tf_paths *replace);

/* True when `s` is a thing (or thing type) name by the API's pattern,
 * [a-zA-Z0-9:_-]+ (the length is the schema's business). */
bool iot_thing_name_valid(const char *s);

/*
 * True when `s` can name a principal or policy target: an ARN (parsed as
 * aws_arn_parse does) or an Amazon Cognito identity id, REGION:UUID.
 */
bool iot_principal_valid(const char *s);

/*
 * For a create that made the object but could not read all of it back:
 * every top-level attribute still unknown becomes null, so that the core
 * keeps the (then fully known) state and Terraform taints it instead of
 * forgetting an object that exists.
 */
void iot_state_settle(struct tf_value *state);

/* An IoT policy name as the API accepts it: 1 to 128 of [A-Za-z0-9_+=,.@-]. */
bool iot_policy_name_valid(const char *name);

/*
 * The import id of a regional resource: "ID", or "ID@REGION" as
 * hashicorp/aws v6 accepts it (the part after the last '@' counts as a
 * region only when it has a region's shape).  Sets the state's `region`
 * (that region, else the provider's) and returns the bare id, malloc'd,
 * or NULL after a diagnostic.
 */
char *iot_import_id(const struct tf_ctx *c, const char *id, struct tf_value *state);

/* Adds an "Out of memory" error; returns -1. */
int iot_oom(const struct tf_ctx *c);

#endif

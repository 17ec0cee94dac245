/*
 * iot_certificate.c - resource "aws_iot_certificate".
 *
 * Create takes the first way that applies: csr -> CreateCertificateFromCsr;
 * certificate_pem + ca_pem -> RegisterCertificate; certificate_pem ->
 * RegisterCertificateWithoutCA; else CreateKeysAndCertificate, the only way
 * that sets private_key and public_key.  Registering a PEM AWS already holds
 * (an interrupted apply registered it) adopts that certificate, by the id
 * AWS names in ResourceAlreadyExistsException.  Read is DescribeCertificate, update
 * UpdateCertificate (status), delete deactivates first and names whatever
 * is still attached when AWS refuses.  Import takes the certificate id.
 *
 * PEM values are compared by content (pem.h): the state keeps the string
 * the configuration used as long as AWS's copy holds the same blocks.
 * Secrets: private_key and the PEM values are never logged or put in a
 * diagnostic; the private key in AWS's answer is wiped before it is freed.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "iot.h"
#include "pem.h"

/* How long a delete waits for detachments made in parallel to be seen. */
#define DELETE_CONFLICT_SECONDS 10.0
/* Attachments named in the refusal, at most. */
#define MAX_NAMED 20

static const struct tf_value *get(const struct tf_value *obj, const char *key)
{
	return tf_value_get(obj, key);
}

/* A known, non-null string attribute, or NULL. */
static const struct tf_value *known_string(const struct tf_value *obj, const char *key)
{
	const struct tf_value *v = get(obj, key);
	return v && v->kind == TF_STRING ? v : NULL;
}

/* Sets obj[key] to a bool; 0 or -1 (ENOMEM). */
static int set_bool(struct tf_value *obj, const char *key, bool b)
{
	struct tf_value *v = tf_value_new_bool(b);
	return v ? tf_value_set(obj, key, v) : -1;
}

static bool same_pem(const struct tf_value *a, const struct tf_value *b)
{
	return a && b && aws_pem_same(a->u.str.ptr, a->u.str.len, b->u.str.ptr, b->u.str.len);
}

/* --- validation ------------------------------------------------------------ */

static void check_pem(struct tf_ctx *c, const struct tf_value *config, const char *attr,
		      bool csr)
{
	const struct tf_value *v = known_string(config, attr);
	const char *why = NULL;
	if (!v)
		return;
	if (csr)
		X509_REQ_free(aws_pem_csr(v->u.str.ptr, v->u.str.len, &why));
	else
		X509_free(aws_pem_certificate(v->u.str.ptr, v->u.str.len, &why));
	if (why)
		tf_diag_error_at(c->diags, attr, csr ? "Invalid certificate signing request"
						     : "Invalid certificate",
				 "%s must be a PEM %s (\"-----BEGIN %s-----\"); OpenSSL could not "
				 "read one: %s.",
				 attr, csr ? "certificate signing request" : "certificate",
				 csr ? "CERTIFICATE REQUEST" : "CERTIFICATE", why);
}

/* csr and certificate_pem both set can never converge: the certificate
 * AWS issues for the request is not the one configured. */
static void check_conflict(struct tf_ctx *c, const struct tf_value *config)
{
	if (known_string(config, "csr") && known_string(config, "certificate_pem"))
		tf_diag_error_at(c->diags, "csr", "Conflicting attributes",
				 "csr and certificate_pem cannot both be set: a certificate is either "
				 "issued by AWS IoT for the request or registered as given. Remove "
				 "one of them.");
}

static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	check_pem(c, config, "csr", true);
	check_pem(c, config, "certificate_pem", false);
	check_pem(c, config, "ca_pem", false);
	check_conflict(c, config);
	const struct tf_value *pem = get(config, "certificate_pem");
	if (known_string(config, "ca_pem") && pem && pem->kind == TF_NULL)
		tf_diag_warning_at(c->diags, "ca_pem", "Argument has no effect",
				   "ca_pem is used only to register certificate_pem; without "
				   "certificate_pem it is ignored.");
	return tf_diags_has_errors(c->diags) ? -1 : 0;
}

/* --- plan -------------------------------------------------------------------- */

/* A PEM attribute the configuration writes differently from the prior
 * state but with the same content keeps the prior string: no change. */
static int keep_same_pem(struct tf_ctx *c, const struct tf_value *prior,
			 const struct tf_value *config, struct tf_value *planned,
			 struct tf_paths *replace, const char *attr)
{
	const struct tf_value *was = known_string(prior, attr);
	const struct tf_value *want = known_string(config, attr);
	if (!was || !want || tf_value_equal(was, want) || !same_pem(was, want))
		return 0;
	struct tf_value *keep = tf_value_dup(was);
	if (!keep || tf_value_set(planned, attr, keep) < 0)
		return iot_oom(c);
	tf_paths_remove_attr(replace, attr);
	return 0;
}

/*
 * An imported certificate has no csr or ca_pem in its state (AWS keeps
 * neither).  A configuration that sets one the certificate already agrees
 * with records it in place instead of replacing the certificate: a csr
 * whose key the certificate carries; a ca_pem whose key verifies the
 * certificate, when AWS reports the certificate registered with a CA (a
 * certificate registered without one is registered anew, with it).
 */
static void record_matching(const struct tf_value *prior, const struct tf_value *config,
			    struct tf_paths *replace)
{
	const struct tf_value *cert = known_string(prior, "certificate_pem");
	const struct tf_value *csr = known_string(config, "csr");
	const struct tf_value *ca = known_string(config, "ca_pem");
	const struct tf_value *ca_id = known_string(prior, "ca_certificate_id");
	if (!cert)
		return;
	if (csr && tf_value_is_null(get(prior, "csr")) &&
	    aws_pem_csr_fits(csr->u.str.ptr, csr->u.str.len, cert->u.str.ptr, cert->u.str.len))
		tf_paths_remove_attr(replace, "csr");
	if (ca && ca_id && ca_id->u.str.len && tf_value_is_null(get(prior, "ca_pem")) &&
	    aws_pem_signed_by(cert->u.str.ptr, cert->u.str.len, ca->u.str.ptr, ca->u.str.len))
		tf_paths_remove_attr(replace, "ca_pem");
}

static int plan(struct tf_ctx *c, const struct tf_value *prior, const struct tf_value *config,
		struct tf_value *planned, struct tf_paths *replace)
{
	check_conflict(c, config);
	if (tf_diags_has_errors(c->diags) || iot_plan_region(c, prior, config, planned, replace) < 0)
		return -1;
	if (!prior) {
		/* Keys are generated only when neither csr nor certificate_pem is
		 * set; when one is, they are known to stay null. */
		if (!known_string(config, "csr") && !known_string(config, "certificate_pem"))
			return 0;
		if (aws_set_string(planned, "private_key", NULL) < 0 ||
		    aws_set_string(planned, "public_key", NULL) < 0)
			return iot_oom(c);
		return 0;
	}
	static const char *const pems[] = { "csr", "certificate_pem", "ca_pem" };
	for (size_t i = 0; i < sizeof(pems) / sizeof(pems[0]); i++)
		if (keep_same_pem(c, prior, config, planned, replace, pems[i]) < 0)
			return -1;
	record_matching(prior, config, replace);
	return 0;
}

/* --- read ---------------------------------------------------------------------- */

static int invalid_answer(struct tf_ctx *c, const char *op, const char *what)
{
	tf_diag_error_at(c->diags, NULL, "Invalid AWS answer",
			 "iot %s answered without %s. Run the command again; if it persists, "
			 "report it.", op, what);
	return -1;
}

/* certificate_pem from AWS: the state's string when it is the same PEM. */
static int set_certificate_pem(struct tf_value *state, const char *pem)
{
	const struct tf_value *have = known_string(state, "certificate_pem");
	if (have && aws_pem_same(have->u.str.ptr, have->u.str.len, pem, strlen(pem)))
		return 0;
	return aws_set_string(state, "certificate_pem", pem);
}

/* ca_certificate_id: AWS's value; when it reports none (moto never does),
 * an empty string or null in the state stays as it is. */
static int set_ca_certificate_id(struct tf_value *state, const char *id)
{
	const struct tf_value *have = get(state, "ca_certificate_id");
	if (id && *id)
		return aws_set_string(state, "ca_certificate_id", id);
	if (have && (have->kind == TF_NULL || (have->kind == TF_STRING && have->u.str.len == 0)))
		return 0;
	return aws_set_string(state, "ca_certificate_id", NULL);
}

/* DescribeCertificate into `state` (its id is known). */
static int read(struct tf_ctx *c, struct tf_value *state, bool *gone)
{
	const char *id = tf_value_get_string(state, "id");
	json_t *out = NULL;
	struct aws_error err;
	int rc = -1;
	*gone = false;
	if (!id || !*id) {
		tf_diag_error_at(c->diags, "id", "Missing certificate id",
				 "The state has no certificate id; import the certificate by its id.");
		return -1;
	}
	char *path = iot_path("/certificates/", id, NULL);
	if (!path)
		return iot_oom(c);
	struct iot_op op = { "DescribeCertificate", "GET", path, NULL, NULL, NULL };
	if (iot_call(c, iot_region(c, state), &op, &out, &err) < 0) {
		if (iot_error_is(&err, "ResourceNotFoundException")) {
			*gone = true;
			rc = 0;
		} else {
			iot_error_diag(c, NULL, &op, &err);
		}
		goto done;
	}
	const json_t *d = json_object_get(out, "certificateDescription");
	const char *arn = iot_json_string(d, "certificateArn");
	const char *status = iot_json_string(d, "status");
	const char *pem = iot_json_string(d, "certificatePem");
	if (!json_is_object(d) || !arn || !status || !pem) {
		rc = invalid_answer(c, op.name, "certificateArn, status and certificatePem");
		goto done;
	}
	if (aws_set_string(state, "arn", arn) < 0 ||
	    set_bool(state, "active", !strcmp(status, "ACTIVE")) < 0 ||
	    set_certificate_pem(state, pem) < 0 ||
	    set_ca_certificate_id(state, iot_json_string(d, "caCertificateId")) < 0) {
		rc = iot_oom(c);
		goto done;
	}
	rc = 0;
done:
	aws_error_release(&err);
	json_decref(out);
	free(path);
	return rc;
}

/*
 * UpdateCertificate to ACTIVE or INACTIVE.  0, or -1 after a diagnostic
 * on `attr`; a missing certificate sets *missing and adds none.
 */
static int set_status(struct tf_ctx *c, const char *region, const char *id, bool active,
		      const char *attr, bool *missing)
{
	char *path = iot_path("/certificates/", id, NULL);
	char *query = iot_query("newStatus", active ? "ACTIVE" : "INACTIVE", NULL);
	struct iot_op op = { "UpdateCertificate", "PUT", path, query, NULL, NULL };
	struct aws_error err;
	json_t *out = NULL;
	int rc = -1;
	*missing = false;
	if (!path || !query) {
		free(path);
		free(query);
		return iot_oom(c);
	}
	rc = iot_call(c, region, &op, &out, &err);
	if (rc < 0) {
		*missing = iot_error_is(&err, "ResourceNotFoundException");
		if (!*missing)
			iot_error_diag(c, attr, &op, &err);
	}
	aws_error_release(&err);
	json_decref(out);
	free(path);
	free(query);
	return rc;
}

/* --- create ---------------------------------------------------------------------- */

/* Wipes a string member of an AWS answer before the answer is freed. */
static void wipe_member(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	if (s)
		OPENSSL_cleanse((char *)s, strlen(s));
}

/* The request that makes the certificate, chosen from the configuration;
 * *body is new (or NULL). */
static void choose(const struct tf_value *config, bool active, struct iot_op *op, json_t **body)
{
	const char *csr = tf_value_get_string(config, "csr");
	const char *pem = tf_value_get_string(config, "certificate_pem");
	const char *ca = tf_value_get_string(config, "ca_pem");
	const char *status = active ? "ACTIVE" : "INACTIVE";
	*body = NULL;
	op->method = "POST";
	op->query = NULL;
	if (csr) {
		op->name = "CreateCertificateFromCsr";
		op->path = "/certificates";
		*body = json_pack("{s:s}", "certificateSigningRequest", csr);
	} else if (pem && ca) {
		op->name = "RegisterCertificate";
		op->path = "/certificate/register";
		*body = json_pack("{s:s,s:s,s:s}", "certificatePem", pem, "caCertificatePem", ca,
				  "status", status);
	} else if (pem) {
		op->name = "RegisterCertificateWithoutCA";
		op->path = "/certificate/register-no-ca";
		*body = json_pack("{s:s,s:s}", "certificatePem", pem, "status", status);
	} else {
		op->name = "CreateKeysAndCertificate";
		op->path = "/keys-and-certificate";
	}
}

/*
 * Fills the state from the create answer.  Once AWS has answered with an
 * id the certificate exists: every attribute is made known, even when the
 * answer lacks something or the read that follows fails, so that the core
 * keeps the certificate in the state (tainted) instead of losing it.
 */
static int fill_from_answer(struct tf_ctx *c, const struct iot_op *op, const json_t *out,
			    struct tf_value *state)
{
	const char *id = iot_json_string(out, "certificateId");
	const char *arn = iot_json_string(out, "certificateArn");
	const char *pem = iot_json_string(out, "certificatePem");
	const json_t *keys = json_object_get(out, "keyPair");
	bool generated = !strcmp(op->name, "CreateKeysAndCertificate");
	const char *private_key = generated ? iot_json_string(keys, "PrivateKey") : NULL;
	const char *public_key = generated ? iot_json_string(keys, "PublicKey") : NULL;
	if (!id || !*id)
		return invalid_answer(c, op->name, "certificateId");
	if (aws_set_string(state, "id", id) < 0 || aws_set_string(state, "arn", arn) < 0 ||
	    aws_set_string(state, "private_key", private_key) < 0 ||
	    aws_set_string(state, "public_key", public_key) < 0 ||
	    (pem && set_certificate_pem(state, pem) < 0))
		return iot_oom(c);
	iot_state_settle(state);
	if (!arn)
		return invalid_answer(c, op->name, "certificateArn");
	if (generated && (!private_key || !public_key))
		return invalid_answer(c, op->name, "keyPair.PrivateKey and keyPair.PublicKey");
	return 0;
}

/*
 * A certificate AWS IoT already holds when it is registered again (an
 * earlier apply registered it and was interrupted before the state
 * recorded it): AWS names it in ResourceAlreadyExistsException, and as its
 * id is the certificate's fingerprint it is this very certificate.  It is
 * adopted when DescribeCertificate confirms the same PEM; otherwise the
 * state is left incomplete, so that nothing is recorded.
 */
static int adopt(struct tf_ctx *c, const struct iot_op *op, const char *id,
		 const struct tf_value *config, struct tf_value *state)
{
	struct tf_value *unknown;
	bool gone = false;
	if (aws_set_string(state, "id", id) < 0)
		return iot_oom(c);
	if (read(c, state, &gone) == 0 && !gone &&
	    same_pem(known_string(state, "certificate_pem"), known_string(config, "certificate_pem"))) {
		tf_diag_warning_at(c->diags, "certificate_pem", "Existing certificate adopted",
				   "AWS IoT already had this certificate (iot %s answered "
				   "ResourceAlreadyExistsException), as %s: probably registered by "
				   "an apply that was interrupted. It is now managed by this "
				   "resource; if another configuration manages it too, remove it "
				   "from one of them (terraform state rm).",
				   op->name, id);
		return 0;
	}
	if (!tf_diags_has_errors(c->diags))
		tf_diag_error_at(c->diags, "certificate_pem", "Certificate already exists",
				 "iot %s answered that certificate %s already exists, but %s. "
				 "Import it (terraform import) or delete it by id.",
				 op->name, id, gone ? "DescribeCertificate does not find it"
						    : "its PEM is not certificate_pem");
	if (!(unknown = tf_value_new_unknown()) || tf_value_set(state, "id", unknown) < 0)
		return iot_oom(c);
	return -1;
}

/*
 * A create that got no readable answer may have made a certificate that
 * no state holds (the SDKs would retry it and make another one; here it is
 * not retried): say how to find it and what to do with it.
 */
static void unrecorded(struct tf_ctx *c, const struct iot_op *op, bool generated)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	if (!gmtime_r(&now, &tm) || !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
		strcpy(when, "now");
	tf_diag_error_at(
		c->diags, NULL, "Certificate may exist without a record",
		"iot %s failed without a readable answer at %s: AWS IoT may have made a "
		"certificate that is in no state. Find it with \"aws iot list-certificates\" "
		"(created at about that time, an id no state holds). %s",
		op->name, when,
		generated ? "Its private key is lost: delete it by id (\"aws iot update-certificate "
			    "--certificate-id ID --new-status INACTIVE\", then \"aws iot "
			    "delete-certificate --certificate-id ID\")."
			  : "It carries the key of csr: import it by id instead of creating another "
			    "(terraform import ADDRESS ID), or delete it by id.");
}

static int create(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	bool active = aws_get_bool(state, "active");
	struct iot_op op = { 0 };
	json_t *body, *out = NULL;
	char *query = NULL;
	choose(config, active, &op, &body);
	bool generated = !strcmp(op.name, "CreateKeysAndCertificate");
	bool from_csr = !strcmp(op.name, "CreateCertificateFromCsr");
	if ((generated || from_csr) &&
	    !(query = iot_query("setAsActive", active ? "true" : "false", NULL))) {
		json_decref(body);
		return iot_oom(c);
	}
	if (!generated && !body) {
		free(query);
		return iot_oom(c);
	}
	op.query = query;
	op.body = body;
	const char *attr = from_csr ? "csr" : generated ? NULL : "certificate_pem";
	struct aws_error err;
	bool adopted = false;
	int rc = iot_call(c, iot_region(c, state), &op, &out, &err);
	if (body) {
		wipe_member(body, "certificatePem");
		wipe_member(body, "caCertificatePem");
	}
	json_decref(body);
	free(query);
	if (rc < 0 && !generated && !from_csr && err.resource_id &&
	    iot_error_is(&err, "ResourceAlreadyExistsException")) {
		adopted = true;
		rc = adopt(c, &op, err.resource_id, config, state);
	} else if (rc < 0) {
		iot_error_diag(c, attr, &op, &err);
		if ((generated || from_csr) && err.outcome_unknown)
			unrecorded(c, &op, generated);
	} else {
		rc = fill_from_answer(c, &op, out, state);
	}
	aws_error_release(&err);
	if (out) {
		wipe_member(json_object_get(out, "keyPair"), "PrivateKey");
		json_decref(out);
	}
	if (rc < 0)
		return -1;
	bool gone = false, missing;
	if (!adopted && read(c, state, &gone) < 0)
		return -1;
	if (gone) {
		tf_diag_error_at(c->diags, NULL, "Certificate not found after creation",
				 "iot %s made certificate %s, but DescribeCertificate does not find "
				 "it. It is kept in the state as tainted; the next apply replaces it.",
				 op.name, tf_value_get_string(state, "id"));
		return -1;
	}
	/* A server that ignored the requested status (moto's
	 * CreateCertificateFromCsr takes any setAsActive as true) is set
	 * right, so that the state is what was planned. */
	if (aws_get_bool(state, "active") != active) {
		if (set_status(c, iot_region(c, state), tf_value_get_string(state, "id"), active,
			       "active", &missing) < 0) {
			if (missing)
				tf_diag_error_at(c->diags, "active", "Certificate not found",
						 "The new certificate disappeared while its status "
						 "was being set.");
			return -1;
		}
		if (set_bool(state, "active", active) < 0)
			return iot_oom(c);
	}
	return 0;
}

/* --- update ---------------------------------------------------------------------- */

static int update(struct tf_ctx *c, const struct tf_value *prior, const struct tf_value *config,
		  struct tf_value *state)
{
	(void)config;
	const char *id = tf_value_get_string(prior, "id");
	bool active = aws_get_bool(state, "active"), missing = false, gone = false;
	if (id && active != aws_get_bool(prior, "active") &&
	    set_status(c, iot_region(c, state), id, active, "active", &missing) < 0 && !missing)
		return -1;
	if (!missing && read(c, state, &gone) < 0)
		return -1;
	if (missing || gone) {
		tf_diag_error_at(c->diags, NULL, "Certificate not found",
				 "Certificate %s no longer exists in AWS IoT. Run plan again to "
				 "create it anew.", id ? id : "");
		return -1;
	}
	return 0;
}

/* --- delete ---------------------------------------------------------------------- */

/* Appends `"name"` to a list of names for a message; 0 or -1. */
static int add_name(struct tf_bytes *b, size_t *n, const char *name)
{
	if (++*n > MAX_NAMED)
		return *n == MAX_NAMED + 1 ? tf_bytes_add(b, ", ...", 5) : 0;
	int rc = 0;
	if (b->len)
		rc |= tf_bytes_add(b, ", ", 2);
	rc |= tf_bytes_add(b, "\"", 1) | tf_bytes_add(b, name, strlen(name)) |
	      tf_bytes_add(b, "\"", 1);
	return rc ? -1 : 0;
}

/*
 * Lists one kind of attachment of the certificate into `names` through
 * every page.  0, or -1 with the failure described in `failed`.
 */
static int list_attached(struct tf_ctx *c, const char *region, const char *arn, bool things,
			 struct tf_bytes *names, size_t *n, struct tf_bytes *failed)
{
	char *token = NULL, *path = things ? strdup("/principals/things")
					  : iot_path("/attached-policies/", arn, NULL);
	int rc = path ? 0 : -1;
	for (int page = 0; rc == 0 && page < 100; page++) {
		char *query = things ? iot_query("maxResults", "250", "nextToken", token, NULL)
				     : iot_query("marker", token, "pageSize", "250", "recursive",
						 "false", NULL);
		struct iot_op op = { things ? "ListPrincipalThings" : "ListAttachedPolicies",
				     things ? "GET" : "POST", path, query, things ? arn : NULL, NULL };
		struct aws_error err;
		json_t *out = NULL;
		if (!query) {
			rc = -1;
		} else if (iot_call(c, region, &op, &out, &err) < 0) {
			const char *why = err.code ? err.code : err.message ? err.message : "error";
			if (tf_bytes_add(failed, op.name, strlen(op.name)) == 0 &&
			    tf_bytes_add(failed, " failed (", 9) == 0 &&
			    tf_bytes_add(failed, why, strlen(why)) == 0)
				tf_bytes_add(failed, "). ", 3);
			rc = -1;
		}
		if (query)
			aws_error_release(&err);
		free(query);
		const json_t *list = json_object_get(out, things ? "things" : "policies");
		size_t i;
		const json_t *item;
		json_array_foreach(list, i, item) {
			const char *name = things ? json_string_value(item)
						  : iot_json_string(item, "policyName");
			if (name && add_name(names, n, name) < 0)
				rc = -1;
		}
		const char *next = iot_json_string(out, things ? "nextToken" : "nextMarker");
		free(token);
		token = next && *next ? strdup(next) : NULL;
		json_decref(out);
		if (!token)
			break;
	}
	free(token);
	free(path);
	return rc;
}

/* The refusal: what is still attached, and what to do. */
static void refuse(struct tf_ctx *c, const char *region, const char *id, const char *arn,
		   bool deactivated, const struct aws_error *err)
{
	struct tf_bytes things = { 0 }, policies = { 0 }, failed = { 0 };
	size_t nt = 0, np = 0;
	list_attached(c, region, arn, true, &things, &nt, &failed);
	list_attached(c, region, arn, false, &policies, &np, &failed);
	tf_bytes_add(&things, "", 1);
	tf_bytes_add(&policies, "", 1);
	tf_bytes_add(&failed, "", 1);
	const char *tn = things.data ? (const char *)things.data : "";
	const char *pn = policies.data ? (const char *)policies.data : "";
	tf_diag_error_at(
		c->diags, NULL, "Certificate still attached",
		"AWS IoT refused to delete certificate %s (iot DeleteCertificate: %s: %s, "
		"request id %s) because it is still attached:\n  things:   %s\n  policies: %s\n"
		"%s%s"
		"These attachments are not managed by this configuration (or are being "
		"destroyed elsewhere). Detach them (DetachThingPrincipal, DetachPolicy), or "
		"remove them with the configuration that owns them, then destroy again. The "
		"certificate still exists and stays in the state%s.",
		id, err->code ? err->code : "error", err->message ? err->message : "",
		err->request_id ? err->request_id : "none", nt ? tn : "none found",
		np ? pn : "none found", failed.data && *failed.data ? "Listing them: " : "",
		failed.data && *failed.data ? (const char *)failed.data : "",
		deactivated ? "; it has been left INACTIVE" : "");
	tf_bytes_release(&things);
	tf_bytes_release(&policies);
	tf_bytes_release(&failed);
}

static int destroy(struct tf_ctx *c, const struct tf_value *prior)
{
	const char *id = tf_value_get_string(prior, "id");
	const char *arn = tf_value_get_string(prior, "arn");
	const char *region = iot_region(c, prior);
	bool deactivated = false, missing = false;
	struct aws_error err;
	json_t *out = NULL;
	int rc;
	if (!id)
		return 0;
	if (aws_get_bool(prior, "active")) {
		if (set_status(c, region, id, false, NULL, &missing) < 0)
			return missing ? 0 : -1;
		deactivated = true;
	}
	char *path = iot_path("/certificates/", id, NULL);
	if (!path)
		return iot_oom(c);
	struct iot_op del = { "DeleteCertificate", "DELETE", path, NULL, NULL, NULL };
	rc = iot_call_retrying(c, region, &del, "DeleteConflictException", DELETE_CONFLICT_SECONDS,
			       &out, &err);
	/* Still active although the state said otherwise (a plan without
	 * refresh): deactivate it and try once more. */
	if (rc < 0 && !deactivated && iot_error_is(&err, "CertificateStateException")) {
		aws_error_release(&err);
		json_decref(out);
		if (set_status(c, region, id, false, NULL, &missing) < 0) {
			free(path);
			return missing ? 0 : -1;
		}
		deactivated = true;
		rc = iot_call_retrying(c, region, &del, "DeleteConflictException",
				       DELETE_CONFLICT_SECONDS, &out, &err);
	}
	json_decref(out);
	if (rc < 0 && iot_error_is(&err, "ResourceNotFoundException"))
		rc = 0;
	else if (rc < 0 && iot_error_is(&err, "DeleteConflictException") && arn)
		refuse(c, region, id, arn, deactivated, &err);
	else if (rc < 0)
		iot_error_diag(c, NULL, &del, &err);
	aws_error_release(&err);
	free(path);
	return rc;
}

/* --- import ---------------------------------------------------------------------- */

static int import(struct tf_ctx *c, const char *id, struct tf_value *state)
{
	char *cert = iot_import_id(c, id, state);
	if (!cert)
		return -1;
	size_t n = strlen(cert);
	bool hex = n == 64;
	for (size_t i = 0; hex && i < n; i++)
		hex = isxdigit((unsigned char)cert[i]) != 0;
	int rc = 0;
	if (!hex) {
		tf_diag_error_at(c->diags, NULL, "Invalid import ID",
				 "\"%s\" is not an AWS IoT certificate id: import aws_iot_certificate "
				 "by its id, 64 hexadecimal characters (the last part of its ARN, "
				 "arn:aws:iot:REGION:ACCOUNT:cert/ID), optionally followed by "
				 "@REGION.",
				 id);
		rc = -1;
	} else if (aws_set_string(state, "id", cert) < 0) {
		rc = iot_oom(c);
	}
	free(cert);
	return rc;
}

const struct tf_resource aws_iot_certificate_resource = {
	.name = "aws_iot_certificate",
	.validate = validate,
	.plan = plan,
	.create = create,
	.read = read,
	.update = update,
	.destroy = destroy,
	.import = import,
};

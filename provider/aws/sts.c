/*
 * sts.c - GetCallerIdentity, AssumeRole, AssumeRoleWithWebIdentity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "sigv4.h"
#include "sts.h"
#include "xml.h"

#define FORM "application/x-www-form-urlencoded; charset=utf-8"

void aws_identity_release(struct aws_identity *id)
{
	free(id->account);
	free(id->arn);
	free(id->user_id);
	memset(id, 0, sizeof(*id));
}

/* Appends "&name=value" (value encoded) to the form. */
static int form_add(struct tf_bytes *f, const char *name, const char *value)
{
	if (!value)
		return 0;
	return tf_bytes_add(f, "&", f->len ? 1 : 0) | tf_bytes_add(f, name, strlen(name)) |
	       tf_bytes_add(f, "=", 1) | aws_uri_encode(f, value, strlen(value), false);
}

static int form_add_indexed(struct tf_bytes *f, const char *fmt, size_t i, const char *value)
{
	char name[96];
	snprintf(name, sizeof(name), fmt, i + 1);
	return form_add(f, name, value);
}

/* Calls STS with the form and returns the answer's body; -1 with a diag. */
static int sts_call(struct tf_ctx *c, const char *attr, const struct aws_config *cfg,
		    const struct aws_creds *creds, const char *operation, struct tf_bytes *form,
		    bool unsigned_request, struct aws_response *resp)
{
	struct aws_error err;
	struct aws_request req = {
		.operation = operation, .service = "sts",
		.region = cfg->sts_region ? cfg->sts_region : cfg->region,
		.endpoint = cfg->sts_endpoint, .method = "POST", .path = "/", .content_type = FORM,
		.body = form->data, .body_len = form->len, .unsigned_request = unsigned_request,
	};
	int rc = aws_call(cfg, creds, c->stopping, &req, resp, &err);
	if (rc < 0)
		aws_error_diag(c->diags, attr, &req, &err);
	aws_error_release(&err);
	return rc;
}

int aws_sts_get_caller_identity(struct tf_ctx *c, const struct aws_config *cfg,
				const struct aws_creds *creds, struct aws_identity *out)
{
	struct tf_bytes form = { 0 };
	struct aws_response resp;
	memset(out, 0, sizeof(*out));
	if (form_add(&form, "Action", "GetCallerIdentity") | form_add(&form, "Version", "2011-06-15")) {
		tf_bytes_release(&form);
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot build the STS request.");
		return -1;
	}
	int rc = sts_call(c, NULL, cfg, creds, "GetCallerIdentity", &form, false, &resp);
	tf_bytes_release(&form);
	if (rc < 0)
		return -1;
	const char *body = (const char *)resp.body.data;
	out->account = body ? aws_xml_text(body, resp.body.len, "Account") : NULL;
	out->arn = body ? aws_xml_text(body, resp.body.len, "Arn") : NULL;
	out->user_id = body ? aws_xml_text(body, resp.body.len, "UserId") : NULL;
	aws_response_release(&resp);
	if (!out->account) {
		aws_identity_release(out);
		tf_diag_error_at(c->diags, NULL, "Invalid STS answer",
				 "sts GetCallerIdentity answered without an Account.");
		return -1;
	}
	return 0;
}

static int assume_role_form(struct tf_bytes *f, const struct aws_assume_role *ar)
{
	char session[64], duration[32];
	snprintf(session, sizeof(session), "thingform-%ld", (long)time(NULL));
	snprintf(duration, sizeof(duration), "%ld", ar->duration_seconds);
	int rc = form_add(f, "Action", ar->web_identity_token ? "AssumeRoleWithWebIdentity"
							       : "AssumeRole") |
		 form_add(f, "Version", "2011-06-15") | form_add(f, "RoleArn", ar->role_arn) |
		 form_add(f, "RoleSessionName", ar->session_name ? ar->session_name : session) |
		 form_add(f, "DurationSeconds", ar->duration_seconds ? duration : NULL) |
		 form_add(f, "ExternalId", ar->external_id) | form_add(f, "Policy", ar->policy) |
		 form_add(f, "SourceIdentity", ar->source_identity) |
		 form_add(f, "WebIdentityToken", ar->web_identity_token);
	for (size_t i = 0; i < ar->n_policy_arns; i++)
		rc |= form_add_indexed(f, "PolicyArns.member.%zu.arn", i, ar->policy_arns[i]);
	for (size_t i = 0; i < ar->n_tags; i++)
		rc |= form_add_indexed(f, "Tags.member.%zu.Key", i, ar->tag_keys[i]) |
		      form_add_indexed(f, "Tags.member.%zu.Value", i, ar->tag_values[i]);
	for (size_t i = 0; i < ar->n_transitive; i++)
		rc |= form_add_indexed(f, "TransitiveTagKeys.member.%zu", i, ar->transitive_tag_keys[i]);
	return rc ? -1 : 0;
}

int aws_sts_assume_role(struct tf_ctx *c, const char *attr, const struct aws_config *cfg,
			const struct aws_creds *creds, const struct aws_assume_role *ar,
			struct aws_creds *out)
{
	struct tf_bytes form = { 0 };
	struct aws_response resp;
	const char *op = ar->web_identity_token ? "AssumeRoleWithWebIdentity" : "AssumeRole";
	memset(out, 0, sizeof(*out));
	if (assume_role_form(&form, ar) < 0) {
		tf_bytes_release(&form);
		tf_diag_error_at(c->diags, attr, "Out of memory", "Cannot build the STS request.");
		return -1;
	}
	int rc = sts_call(c, attr, cfg, creds, op, &form, ar->web_identity_token != NULL, &resp);
	if (form.data)
		OPENSSL_cleanse(form.data, form.len);
	tf_bytes_release(&form);
	if (rc < 0)
		return -1;
	const char *body = resp.body.data ? (const char *)resp.body.data : "";
	out->access_key = aws_xml_text(body, resp.body.len, "AccessKeyId");
	out->secret_key = aws_xml_text(body, resp.body.len, "SecretAccessKey");
	out->session_token = aws_xml_text(body, resp.body.len, "SessionToken");
	out->source = ar->web_identity_token ? "web identity" : "assume_role";
	if (resp.body.data)
		OPENSSL_cleanse(resp.body.data, resp.body.len);
	aws_response_release(&resp);
	if (!out->access_key || !out->secret_key || !out->session_token) {
		aws_creds_release(out);
		tf_diag_error_at(c->diags, attr, "Invalid STS answer",
				 "sts %s for %s answered without complete credentials.", op,
				 ar->role_arn);
		return -1;
	}
	return 0;
}

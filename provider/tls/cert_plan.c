/*
 * cert_plan.c - what the certificate resources share besides building:
 * plan-time checks, the renewal rules for ready_for_renewal (plan and
 * refresh), and the "PEM-replace" rule for PEM inputs.
 */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "tls.h"

static int check_allowed_uses(struct tf_ctx *c, const struct tf_value *list)
{
	int rc = 0;
	for (size_t i = 0; list && list->kind == TF_LIST && i < list->u.seq.n; i++) {
		const struct tf_value *v = list->u.seq.items[i];
		if (v->kind != TF_STRING || tls_allowed_use_index(v->u.str.ptr) >= 0)
			continue;
		struct tf_path path;
		tf_path_init(&path);
		tf_path_push_attr(&path, "allowed_uses");
		tf_path_push_index(&path, (int64_t)i);
		tf_diag_add(c->diags, TF_ERROR, &path, "Invalid Attribute Value Match",
			    "\"%s\" is not an allowed use. Each of allowed_uses must be one of: "
			    "any_extended, cert_signing, client_auth, code_signing, "
			    "content_commitment, crl_signing, data_encipherment, decipher_only, "
			    "digital_signature, email_protection, encipher_only, ipsec_end_system, "
			    "ipsec_tunnel, ipsec_user, key_agreement, key_encipherment, "
			    "microsoft_commercial_code_signing, microsoft_kernel_code_signing, "
			    "microsoft_server_gated_crypto, netscape_server_gated_crypto, "
			    "ocsp_signing, server_auth, timestamping.",
			    v->u.str.ptr);
		tf_path_release(&path);
		rc = -1;
	}
	return rc;
}

/* True when the subject block sets some field (unknown counts as set). */
static bool subject_configured(const struct tf_value *config)
{
	const struct tf_value *blocks = tf_value_get(config, "subject");
	if (!blocks || blocks->kind != TF_LIST)
		return blocks && blocks->kind == TF_UNKNOWN;
	for (size_t i = 0; i < blocks->u.seq.n; i++) {
		const struct tf_value *b = blocks->u.seq.items[i];
		if (b->kind == TF_UNKNOWN)
			return true;
		for (size_t k = 0; b->kind == TF_OBJECT && k < b->u.kv.n; k++)
			if (!tf_value_is_null(b->u.kv.vals[k]))
				return true;
	}
	return false;
}

static int check_ca_rules(struct tf_ctx *c, const struct tf_value *config, bool own_subject)
{
	const struct tf_value *ca = tf_value_get(config, "is_ca_certificate");
	const struct tf_value *subject = tf_value_get(config, "subject");
	int64_t max_path;
	bool is_ca = ca && ca->kind == TF_BOOL && ca->u.b, not_ca = tf_value_is_null(ca) ||
							      (ca->kind == TF_BOOL && !ca->u.b);
	int rc = 0;
	if (subject && subject->kind == TF_LIST && subject->u.seq.n > 1) {
		/* The path names the second block, so Terraform points at it. */
		struct tf_path path;
		tf_path_init(&path);
		tf_path_push_attr(&path, "subject");
		tf_path_push_index(&path, 1);
		tf_diag_add(c->diags, TF_ERROR, &path, "Invalid Attribute Value",
			    "At most one subject block may be given, got %zu: remove the others.",
			    subject->u.seq.n);
		tf_path_release(&path);
		rc = -1;
	}
	if (own_subject && is_ca && !subject_configured(config)) {
		/* An absent block has no line: point at what asks for a subject. */
		tf_diag_error_at(c->diags, "is_ca_certificate", "Invalid Certificate Subject",
				 "Must contain at least one Distinguished Name when creating "
				 "Certificate Authority (CA): add a subject block, for example "
				 "with a common_name.");
		rc = -1;
	}
	if (not_ca && tf_value_get_int(config, "max_path_length", &max_path) && max_path > 0) {
		tf_diag_error_at(c->diags, "max_path_length", "Invalid max_path_length",
				 "Only a CA (is_ca_certificate = true) may specify a max_path_length.");
		rc = -1;
	}
	return rc;
}

int tls_cert_validate(struct tf_ctx *c, const struct tf_value *config, bool own_subject)
{
	GENERAL_NAMES *sans = NULL;
	int rc = check_allowed_uses(c, tf_value_get(config, "allowed_uses"));
	rc |= check_ca_rules(c, config, own_subject);
	rc |= tls_sans_from_config(c, config, &sans);
	GENERAL_NAMES_free(sans);
	return rc ? -1 : 0;
}

/* The renewal window test on a state or plan: false when its end time or
 * early_renewal_hours is not known. */
static bool renewal_due(const struct tf_value *v)
{
	const char *end = tf_value_get_string(v, "validity_end_time");
	int64_t end_sec, early = 0;
	long end_nsec;
	struct timespec now;
	if (!end || !tls_time_parse(end, &end_sec, &end_nsec))
		return false;
	tf_value_get_int(v, "early_renewal_hours", &early);
	clock_gettime(CLOCK_REALTIME, &now);
	return tls_renewal_due(end_sec, end_nsec, early, now.tv_sec, now.tv_nsec);
}

static bool label_char(char ch)
{
	return isalpha((unsigned char)ch) || ch == ' ';
}

/* "\n-----END <label>-----" ends exactly at t, after at least one byte of
 * body (which starts at `body`). */
static bool pem_end_at(const char *s, size_t body, size_t t)
{
	static const char end[] = "\n-----END ";
	const size_t n = sizeof(end) - 1;
	if (t < body + 1 + n + 1 + 5 || strncmp(s + t - 5, "-----", 5))
		return false;
	/* the label is s[x, t-5): try each start the letters allow */
	for (size_t x = t - 6; x >= body + 1 + n && label_char(s[x]); x--)
		if (!strncmp(s + x - n, end, n))
			return true;
	return false;
}

bool tls_looks_like_pem(const char *s)
{
	static const char begin[] = "-----BEGIN ";
	size_t len = strlen(s), n = sizeof(begin) - 1, label = 0;
	if (strncmp(s, begin, n))
		return false;
	while (label_char(s[n + label]))
		label++;
	if (!label || strncmp(s + n + label, "-----\n", 6))
		return false;
	size_t body = n + label + 6;
	return pem_end_at(s, body, len) || (len && s[len - 1] == '\n' && pem_end_at(s, body, len - 1));
}

int tls_plan_pem_replace(const struct tf_value *prior, const struct tf_value *planned,
			 const char *attr, struct tf_paths *replace)
{
	const char *old = tf_value_get_string(prior, attr);
	if (!old || !tls_looks_like_pem(old) ||
	    tf_value_equal(tf_value_get(prior, attr), tf_value_get(planned, attr)))
		return 0;
	return tf_paths_add_attr(replace, attr);
}

int tls_cert_plan(struct tf_ctx *c, const struct tf_value *prior, const struct tf_value *config,
		  struct tf_value *planned, struct tf_paths *replace,
		  const char *const *pem_attrs)
{
	int64_t validity, early;
	bool always = tf_value_get_int(planned, "validity_period_hours", &validity) &&
		      tf_value_get_int(planned, "early_renewal_hours", &early) &&
		      (validity == 0 || early >= validity);
	(void)config;
	if (tf_value_set(planned, "ready_for_renewal", tf_value_new_bool(always)) < 0)
		goto oom;
	for (size_t i = 0; prior && pem_attrs[i]; i++)
		if (tls_plan_pem_replace(prior, planned, pem_attrs[i], replace) < 0)
			goto oom;
	if (prior && renewal_due(planned) &&
	    (tf_value_set(planned, "ready_for_renewal", tf_value_new_unknown()) < 0 ||
	     tf_paths_add_attr(replace, "ready_for_renewal") < 0))
		goto oom;
	return 0;
oom:
	tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot plan the certificate.");
	return -1;
}

int tls_cert_read(struct tf_ctx *c, struct tf_value *state, bool *gone)
{
	*gone = false;
	if (renewal_due(state) && tf_value_set(state, "ready_for_renewal", tf_value_new_bool(true)) < 0) {
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot read the certificate.");
		return -1;
	}
	return 0;
}

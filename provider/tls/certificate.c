/*
 * certificate.c - data source tls_certificate: the certificates of a PEM
 * text (`content`) or of a TLS server (`url`, https:// or tls://).
 *
 * As upstream: `content` yields its first PEM block only; a server's chain
 * is listed reversed (the last certificate it sent first, its own leaf
 * last); verify_chain defaults to true and is written to the state.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "curl.h"
#include "tls.h"

#define CONNECT_TIMEOUT_MS 30000L

static const char *const url_schemes[] = { "https", "tls", NULL };

/* Does a tls:// URL name a port?  (https:// defaults to 443.) */
static bool has_port(const char *url)
{
	CURLU *u = curl_url();
	char *port = NULL;
	bool ok = u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK;
	curl_free(port);
	curl_url_cleanup(u);
	return ok;
}

static bool check_url(struct tf_ctx *c, const char *url)
{
	struct tf_path path;
	tf_path_init(&path);
	tf_path_push_attr(&path, "url");
	bool ok = tls_url_check(c, &path, url, url_schemes);
	tf_path_release(&path);
	if (ok && strncmp(url, "tls:", 4) == 0 && !has_port(url)) {
		tf_diag_error_at(c->diags, "url", "URL malformed",
				 "Port missing from URL: %s (tls:// URLs need host:port).", url);
		ok = false;
	}
	return ok;
}

/* The certificate of the first PEM block of `content`; NULL after an
 * error on content. */
static X509 *cert_from_content(struct tf_ctx *c, const char *content)
{
	struct tls_pem_block b;
	X509 *x = NULL;
	if (!tls_pem_block_read(content, &b)) {
		tf_diag_error_at(c->diags, "content", "Failed to decode PEM",
				 "The value holds no PEM block (\"-----BEGIN CERTIFICATE-----\").");
		return NULL;
	}
	if (strcmp(b.type, "CERTIFICATE") != 0) {
		tf_diag_error_at(c->diags, "content", "Unexpected PEM preamble",
				 "Certificate PEM should be \"CERTIFICATE\", got \"%s\".", b.type);
	} else {
		const unsigned char *p = b.der;
		x = d2i_X509(NULL, &p, b.len);
		if (!x || p != b.der + b.len) {
			tf_diag_error_at(c->diags, "content", "Unable to parse certificate",
					 "The CERTIFICATE block does not hold one DER certificate%s.",
					 x ? " (trailing data)" : "");
			X509_free(x);
			x = NULL;
		}
	}
	ERR_clear_error();
	tls_pem_block_release(&b);
	return x;
}

/* Exactly one of url and content (an unknown one counts as set); the
 * schema's conflicts_with refuses both, and verify_chain with content. */
static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	const struct tf_value *url = tf_value_get(config, "url");
	const struct tf_value *content = tf_value_get(config, "content");
	if (tf_value_is_null(url) && tf_value_is_null(content)) {
		tf_diag_error_at(c->diags, NULL, "Invalid Attribute Combination",
				 "Exactly one of url and content must be set.");
		return -1;
	}
	if (url && url->kind == TF_STRING && !check_url(c, url->u.str.ptr))
		return -1;
	if (content && content->kind == TF_STRING) {
		X509 *x = cert_from_content(c, content->u.str.ptr);
		if (!x)
			return -1;
		X509_free(x);
	}
	return 0;
}

/* Appends the object of one certificate to `list`; `where` says where it
 * came from for the error. */
static int append_cert(struct tf_ctx *c, struct tf_value *list, X509 *x, const char *attr)
{
	const char *why;
	struct tf_value *o = tls_cert_info(x, &why);
	if (!o) {
		tf_diag_error_at(c->diags, attr, "Unable to parse certificate", "%s.", why);
		return -1;
	}
	if (tf_value_append(list, o) < 0) {
		tf_diag_error_at(c->diags, attr, "Out of memory", "Cannot store a certificate.");
		return -1;
	}
	return 0;
}

static int certs_from_url(struct tf_ctx *c, const char *url, bool verify, struct tf_value *list)
{
	char err[512];
	struct tls_fetch f = {
		.url = url,
		.verify = verify,
		.meta = c->meta,
		.timeout_ms = CONNECT_TIMEOUT_MS,
		.stopping = c->stopping,
	};
	STACK_OF(X509) *chain = tls_fetch_peer_chain(&f, err, sizeof(err));
	if (!chain) {
		tf_diag_error_at(c->diags, "url", "Failed to fetch the peer certificates",
				 "Connecting to %s failed: %s.%s", url, err,
				 verify ? " To read a chain that is not trusted here, set "
					  "verify_chain = false." : "");
		return -1;
	}
	int rc = 0;
	for (int i = sk_X509_num(chain) - 1; rc == 0 && i >= 0; i--)
		rc = append_cert(c, list, sk_X509_value(chain, i), "url");
	sk_X509_pop_free(chain, X509_free);
	return rc;
}

static int read_certificate(struct tf_ctx *c, struct tf_value *state)
{
	if (validate(c, state) < 0)
		return -1;
	const struct tf_value *verify = tf_value_get(state, "verify_chain");
	bool verify_chain = !verify || verify->kind != TF_BOOL || verify->u.b;
	struct tf_value *yes = tf_value_is_null(verify) ? tf_value_new_bool(true) : NULL;
	if (tf_value_is_null(verify) && (!yes || tf_value_set(state, "verify_chain", yes) < 0)) {
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot store verify_chain.");
		return -1;
	}
	struct tf_value *list = tf_value_new_collection(TF_LIST);
	const char *content = tf_value_get_string(state, "content");
	const char *url = tf_value_get_string(state, "url");
	int rc = list ? 0 : -1;
	if (rc == 0 && content) {
		X509 *x = cert_from_content(c, content);
		rc = x ? append_cert(c, list, x, "content") : -1;
		X509_free(x);
	} else if (rc == 0) {
		rc = certs_from_url(c, url ? url : "", verify_chain, list);
	}
	if (rc == 0) {
		char *id = tls_certificates_id(list);
		rc = tf_value_set(state, "certificates", list);
		list = NULL;
		if (rc == 0)
			rc = tls_set_string(c, state, "id", id, false);
		else
			free(id);
	}
	tf_value_free(list);
	if (rc < 0 && !tf_diags_has_errors(c->diags))
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot store the certificates.");
	return rc;
}

const struct tf_data_source tls_certificate_data_source = {
	.name = "tls_certificate",
	.validate = validate,
	.read = read_certificate,
};

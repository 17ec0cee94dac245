/*
 * public_key.c - data source tls_public_key: the public forms of a private
 * key given as PEM (private_key_pem) or OpenSSH (private_key_openssh).
 * The ephemeral tls_public_key reads the same way, for a private key that
 * is itself ephemeral.
 */
#include <string.h>

#include "tls.h"

static const char *const inputs[] = { "private_key_pem", "private_key_openssh" };

/* One of the two inputs (an unknown one counts as set); the schema's
 * conflicts_with refuses both. */
static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	if (!tf_value_is_null(tf_value_get(config, inputs[0])) ||
	    !tf_value_is_null(tf_value_get(config, inputs[1])))
		return 0;
	tf_diag_error_at(c->diags, NULL, "Invalid Attribute Combination",
			 "Exactly one of private_key_pem and private_key_openssh must be set.");
	return -1;
}

static int read_public_key(struct tf_ctx *c, struct tf_value *state)
{
	const char *pem = tf_value_get_string(state, inputs[0]);
	const char *ssh = tf_value_get_string(state, inputs[1]);
	if (validate(c, state) < 0)
		return -1;
	EVP_PKEY *key = pem ? tls_key_from_pem(c, inputs[0], pem)
			    : tls_key_from_openssh(c, inputs[1], ssh ? ssh : "");
	if (!key)
		return -1;
	int rc = tls_set_string(c, state, "algorithm",
				strdup(tls_algorithm_name(tls_key_algorithm(key))), false);
	if (rc == 0)
		rc = tls_set_public_outputs(c, state, key);
	EVP_PKEY_free(key);
	return rc;
}

static int open_public_key(struct tf_ctx *c, struct tf_value *result,
			   struct tf_ephemeral_session *s)
{
	(void)s;
	return read_public_key(c, result);
}

const struct tf_data_source tls_public_key_data_source = {
	.name = "tls_public_key",
	.validate = validate,
	.read = read_public_key,
};

const struct tf_ephemeral_resource tls_public_key_ephemeral = {
	.name = "tls_public_key",
	.validate = validate,
	.open = open_public_key,
};

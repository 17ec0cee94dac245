/*
 * random_bytes.c - random bytes for secrets and keys, shown (sensitive) in
 * standard base64 and lowercase hex.  Import takes the base64 text.  The
 * ephemeral random_bytes draws the same way on every open.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "encode.h"
#include "random.h"

static const char *const whole_numbers[] = { "length", NULL };

static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	return random_check_whole(c, config, whole_numbers);
}

/* Sets base64 and hex from the bytes. */
static int set_encodings(struct tf_ctx *c, struct tf_value *state, const unsigned char *b, size_t n)
{
	char *b64 = tf_base64_encode(b, n, TF_BASE64_STD), *hex = tf_hex_encode(b, n);
	int rc = -1;
	if (!b64 || !hex)
		random_out_of_memory(c, "the encoded bytes");
	else if (random_set_string(c, state, "base64", b64) == 0)
		rc = random_set_string(c, state, "hex", hex);
	if (b64)
		OPENSSL_cleanse(b64, strlen(b64));
	if (hex)
		OPENSSL_cleanse(hex, strlen(hex));
	free(b64);
	free(hex);
	return rc;
}

static int create(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	int64_t n;
	(void)config;
	if (!tf_value_get_int(state, "length", &n) || n < 1 || n > RANDOM_MAX_LENGTH) {
		tf_diag_error_at(c->diags, "length", "Invalid Attribute Value",
				 "\"length\" must be a whole number from 1 to %d.", RANDOM_MAX_LENGTH);
		return -1;
	}
	unsigned char *bytes = malloc((size_t)n);
	struct random_rng r;
	int rc = -1;
	random_rng_init(&r, NULL);
	if (!bytes)
		random_out_of_memory(c, "the random bytes");
	else if (random_rng_bytes(&r, bytes, (size_t)n) < 0)
		random_source_failed(c);
	else
		rc = set_encodings(c, state, bytes, (size_t)n);
	random_rng_release(&r);
	if (bytes)
		OPENSSL_cleanse(bytes, (size_t)n);
	free(bytes);
	return rc;
}

static int import(struct tf_ctx *c, const char *id, struct tf_value *state)
{
	size_t n;
	unsigned char *bytes = tf_base64_decode(id, TF_BASE64_STD, &n);
	int rc = -1;
	if (!bytes || n == 0 || n > RANDOM_MAX_LENGTH)
		tf_diag_error_at(c->diags, NULL, "Import Random bytes Error",
				 "The import ID of random_bytes is its base64 attribute: standard "
				 "base64 with padding of 1 to %d bytes.",
				 RANDOM_MAX_LENGTH);
	else if (random_set(c, state, "length", tf_value_new_uint(n)) == 0)
		rc = set_encodings(c, state, bytes, n);
	if (bytes)
		OPENSSL_cleanse(bytes, n);
	free(bytes);
	return rc;
}

static int open_bytes(struct tf_ctx *c, struct tf_value *result, struct tf_ephemeral_session *s)
{
	(void)s;
	return create(c, NULL, result);
}

const struct tf_resource random_bytes_resource = {
	.name = "random_bytes",
	.validate = validate,
	.create = create,
	.import = import,
};

const struct tf_ephemeral_resource random_bytes_ephemeral = {
	.name = "random_bytes",
	.validate = validate,
	.open = open_bytes,
};

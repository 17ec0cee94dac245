/*
 * random_id.c - random bytes shown in five encodings.
 *
 * Formats (hashicorp/random): b64_url is unpadded URL-safe base64, b64_std
 * padded standard base64, hex lowercase, dec the bytes as one big-endian
 * unsigned integer; each carries the prefix, except id, which is b64_url
 * without it.  Import takes "B64URL" or "PREFIX,B64URL" (split at the last
 * comma).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "encode.h"
#include "random.h"

static struct tf_value *prefixed(const char *prefix, char *text)
{
	if (!text)
		return NULL;
	size_t plen = strlen(prefix), tlen = strlen(text);
	char *joined = malloc(plen + tlen + 1);
	struct tf_value *v = NULL;
	if (joined) {
		memcpy(joined, prefix, plen);
		memcpy(joined + plen, text, tlen + 1);
		v = tf_value_new_string(joined);
	}
	free(joined);
	free(text);
	return v;
}

static int set_string(struct tf_value *state, const char *key, struct tf_value *v)
{
	return v ? tf_value_set(state, key, v) : -1;
}

/* Fills every computed attribute of `state` from the bytes. */
static int set_encodings(struct tf_ctx *c, struct tf_value *state, const unsigned char *bytes,
			 size_t n)
{
	const char *prefix = tf_value_get_string(state, "prefix");
	if (!prefix)
		prefix = "";
	if (set_string(state, "b64_url",
		       prefixed(prefix, tf_base64_encode(bytes, n, TF_BASE64_URL_RAW))) < 0 ||
	    set_string(state, "b64_std",
		       prefixed(prefix, tf_base64_encode(bytes, n, TF_BASE64_STD))) < 0 ||
	    set_string(state, "hex", prefixed(prefix, tf_hex_encode(bytes, n))) < 0 ||
	    set_string(state, "dec", prefixed(prefix, tf_decimal_encode(bytes, n))) < 0 ||
	    set_string(state, "id", prefixed("", tf_base64_encode(bytes, n, TF_BASE64_URL_RAW))) < 0) {
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot encode the random bytes.");
		return -1;
	}
	return 0;
}

static const char *const whole_numbers[] = { "byte_length", NULL };

/* The schema bounds byte_length; a fraction is ours to refuse. */
static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	return random_check_whole(c, config, whole_numbers);
}

static int create(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	int64_t n;
	if (validate(c, config) < 0)
		return -1;
	if (!tf_value_get_int(state, "byte_length", &n) || n < 1 || n > RANDOM_MAX_LENGTH) {
		tf_diag_error_at(c->diags, "byte_length", "Invalid byte_length",
				 "byte_length must be a whole number from 1 to %d.", RANDOM_MAX_LENGTH);
		return -1;
	}
	unsigned char *bytes = malloc((size_t)n);
	int rc = -1;
	if (!bytes)
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot hold %lld random bytes.",
				 (long long)n);
	else if (RAND_bytes(bytes, (int)n) != 1)
		tf_diag_error_at(c->diags, NULL, "Random source failed",
				 "The system's random number generator did not deliver %lld bytes.",
				 (long long)n);
	else
		rc = set_encodings(c, state, bytes, (size_t)n);
	free(bytes);
	return rc;
}

static int import(struct tf_ctx *c, const char *id, struct tf_value *state)
{
	const char *comma = strrchr(id, ',');
	const char *b64 = comma ? comma + 1 : id;
	size_t n;
	unsigned char *bytes = tf_base64_decode(b64, TF_BASE64_URL_RAW, &n);
	if (!bytes || n == 0) {
		tf_diag_error_at(c->diags, NULL, "Import Random ID Error",
				 "\"%s\" is not an import ID of random_id: use the id attribute, "
				 "URL-safe base64 without padding, optionally preceded by the prefix "
				 "and a comma (\"PREFIX,ID\").",
				 id);
		free(bytes);
		return -1;
	}
	int rc = -1;
	struct tf_value *prefix = comma && comma > id ? tf_value_new_stringn(id, (size_t)(comma - id))
						      : tf_value_new_null();
	struct tf_value *length = tf_value_new_int((int64_t)n);
	if (prefix && length && tf_value_set(state, "prefix", prefix) == 0) {
		prefix = NULL;
		if (tf_value_set(state, "byte_length", length) == 0) {
			length = NULL;
			rc = set_encodings(c, state, bytes, n);
		}
	}
	if (rc < 0 && !tf_diags_has_errors(c->diags))
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot import the random_id.");
	tf_value_free(prefix);
	tf_value_free(length);
	free(bytes);
	return rc;
}

const struct tf_resource random_id_resource = {
	.name = "random_id",
	.validate = validate,
	.create = create,
	.import = import,
};

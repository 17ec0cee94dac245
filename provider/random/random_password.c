/*
 * random_password.c - random_string with a sensitive result and a bcrypt
 * hash of it (bcrypt.c); id is the fixed "none".
 *
 * Schema version 3.  Upgrades: version 0 had no bcrypt_hash (one is
 * computed), versions 0 and 1 no `numeric` (it takes number's value), and
 * version 2 could hold a hash of another string, which is recomputed when
 * it does not match the result.  Import takes the password itself.
 *
 * The ephemeral random_password draws a result and its hash the same way
 * on every open; it has neither `number`, `keepers` nor `id`.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "random.h"

static int set_hash(struct tf_ctx *c, struct tf_value *state)
{
	const struct tf_value *result = tf_value_get(state, "result");
	if (!result || result->kind != TF_STRING) {
		tf_diag_error_at(c->diags, "result", "Hash Generation Error",
				 "The state has no result to hash; check it with `terraform state "
				 "show` and retry.");
		return -1;
	}
	char *hash = random_bcrypt_hash(c, result->u.str.ptr, result->u.str.len);
	if (!hash)
		return -1;
	int rc = random_set_string(c, state, "bcrypt_hash", hash);
	OPENSSL_cleanse(hash, strlen(hash));
	free(hash);
	return rc;
}

static int create(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	(void)config;
	if (random_strings_create(c, state) < 0 || set_hash(c, state) < 0)
		return -1;
	return random_set_string(c, state, "id", "none");
}

static int import(struct tf_ctx *c, const char *id, struct tf_value *state)
{
	if (random_strings_import(c, id, state) < 0 || set_hash(c, state) < 0)
		return -1;
	return random_set_string(c, state, "id", "none");
}

/* Version 2's hash is kept when it is the result's. */
static int check_hash(struct tf_ctx *c, struct tf_value *state)
{
	const struct tf_value *result = tf_value_get(state, "result");
	const char *hash = tf_value_get_string(state, "bcrypt_hash");
	int m = result && result->kind == TF_STRING && hash
			? random_bcrypt_matches(result->u.str.ptr, result->u.str.len, hash)
			: -1;
	if (m < 0) {
		tf_diag_error_at(c->diags, "bcrypt_hash", "Version 3 State Upgrade Error",
				 "The version 2 state's bcrypt_hash is not a bcrypt hash, so it "
				 "cannot be checked against the password. Remove the resource from "
				 "the state and import it again with its password as the ID.");
		return -1;
	}
	return m ? 0 : set_hash(c, state);
}

static int upgrade(struct tf_ctx *c, int64_t version, struct tf_value *state)
{
	if (version < 0 || version > 2) {
		tf_diag_error_at(c->diags, NULL, "Unable to Upgrade Resource State",
				 "random_password state of schema version %lld cannot be upgraded.",
				 (long long)version);
		return -1;
	}
	if (random_strings_upgrade(c, state) < 0)
		return -1;
	if (version == 0)
		return set_hash(c, state);
	return version == 2 ? check_hash(c, state) : 0;
}

static int open_password(struct tf_ctx *c, struct tf_value *result,
			 struct tf_ephemeral_session *s)
{
	(void)s;
	if (random_strings_create(c, result) < 0)
		return -1;
	return set_hash(c, result);
}

const struct tf_ephemeral_resource random_password_ephemeral = {
	.name = "random_password",
	.validate = random_strings_validate,
	.open = open_password,
};

const struct tf_resource random_password_resource = {
	.name = "random_password",
	.validate = random_strings_validate,
	.plan = random_strings_plan,
	.create = create,
	.import = import,
	.upgrade = upgrade,
};

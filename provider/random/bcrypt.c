/*
 * bcrypt.c - random_password's bcrypt_hash, with the system's libxcrypt
 * (crypt_rn / crypt_gensalt_rn) instead of a bcrypt of our own.
 *
 * The hash is what Go's bcrypt.GenerateFromPassword(pw, DefaultCost)
 * writes: "$2a$", cost 10, a 16-byte random salt.  bcrypt reads at most 72
 * bytes of the password, so only those are passed (and compared).
 */
#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "random.h"

#define BCRYPT_PREFIX "$2a$"
#define BCRYPT_COST 10
#define BCRYPT_MAX_KEY 72

/* The password's first 72 bytes as a C string, in `key`. */
static void key_of(const char *pw, size_t len, char key[BCRYPT_MAX_KEY + 1])
{
	if (len > BCRYPT_MAX_KEY)
		len = BCRYPT_MAX_KEY;
	memcpy(key, pw, len);
	key[len] = '\0';
}

/* crypt_rn of key with setting; a new string or NULL. */
static char *run_crypt(const char *key, const char *setting)
{
	struct crypt_data *data = calloc(1, sizeof(*data));
	char *out = NULL;
	if (!data)
		return NULL;
	const char *h = crypt_rn(key, setting, data, (int)sizeof(*data));
	if (h && h[0] != '*')
		out = strdup(h);
	OPENSSL_cleanse(data, sizeof(*data));
	free(data);
	return out;
}

char *random_bcrypt_hash(struct tf_ctx *c, const char *pw, size_t len)
{
	unsigned char salt[16];
	char setting[CRYPT_GENSALT_OUTPUT_SIZE], key[BCRYPT_MAX_KEY + 1];
	char *hash = NULL;
	if (RAND_bytes(salt, (int)sizeof(salt)) != 1) {
		random_source_failed(c);
		return NULL;
	}
	key_of(pw, len, key);
	if (crypt_gensalt_rn(BCRYPT_PREFIX, BCRYPT_COST, (const char *)salt, (int)sizeof(salt),
			     setting, (int)sizeof(setting)))
		hash = run_crypt(key, setting);
	OPENSSL_cleanse(key, sizeof(key));
	if (!hash)
		tf_diag_error_at(c->diags, "bcrypt_hash", "Hash Generation Error",
				 "The system's libcrypt could not compute a bcrypt ($2a$) hash of "
				 "the password. Check that libcrypt (libxcrypt) supports bcrypt, "
				 "then retry.");
	return hash;
}

int random_bcrypt_matches(const char *pw, size_t len, const char *hash)
{
	char key[BCRYPT_MAX_KEY + 1];
	if (strncmp(hash, "$2", 2) != 0)
		return -1;
	key_of(pw, len, key);
	char *again = run_crypt(key, hash);
	OPENSSL_cleanse(key, sizeof(key));
	int rc = !again ? -1 : strcmp(again, hash) == 0;
	if (again)
		OPENSSL_cleanse(again, strlen(again));
	free(again);
	return rc;
}

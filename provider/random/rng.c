/*
 * rng.c - the random provider's source of randomness.
 *
 * Both kinds of generator hand out bytes from a 32-byte block: the OS kind
 * refills it with RAND_bytes, the seeded kind with SHA-256(SHA-256(seed) ||
 * counter), a stream that depends only on the seed.  Ranges are drawn by
 * rejection sampling: a 64-bit draw below 2^64 mod n is thrown away, so the
 * draws that remain are an exact multiple of n and `x % n` is uniform.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "random.h"

void random_rng_init(struct random_rng *r, const char *seed)
{
	memset(r, 0, sizeof(*r));
	r->used = sizeof(r->block); /* empty: the first draw refills */
	if (seed && *seed) {
		r->seeded = true;
		r->failed = EVP_Digest(seed, strlen(seed), r->key, NULL, EVP_sha256(), NULL) != 1;
	}
}

void random_rng_release(struct random_rng *r)
{
	OPENSSL_cleanse(r, sizeof(*r));
}

static int refill(struct random_rng *r)
{
	if (r->failed)
		return -1;
	if (!r->seeded)
		return RAND_bytes(r->block, (int)sizeof(r->block)) == 1 ? 0 : -1;
	unsigned char in[sizeof(r->key) + 8];
	memcpy(in, r->key, sizeof(r->key));
	for (int i = 0; i < 8; i++)
		in[sizeof(r->key) + i] = (unsigned char)(r->counter >> (8 * i));
	r->counter++;
	int ok = EVP_Digest(in, sizeof(in), r->block, NULL, EVP_sha256(), NULL);
	OPENSSL_cleanse(in, sizeof(in));
	return ok == 1 ? 0 : -1;
}

int random_rng_bytes(struct random_rng *r, unsigned char *out, size_t n)
{
	while (n > 0) {
		if (r->used == sizeof(r->block)) {
			if (refill(r) < 0)
				return -1;
			r->used = 0;
		}
		size_t take = sizeof(r->block) - r->used;
		if (take > n)
			take = n;
		memcpy(out, r->block + r->used, take);
		OPENSSL_cleanse(r->block + r->used, take);
		r->used += take;
		out += take;
		n -= take;
	}
	return 0;
}

int random_rng_below(struct random_rng *r, uint64_t n, uint64_t *out)
{
	uint64_t reject = (0 - n) % n; /* 2^64 mod n */
	uint64_t x;
	do {
		unsigned char b[8];
		if (random_rng_bytes(r, b, sizeof(b)) < 0)
			return -1;
		x = 0;
		for (int i = 0; i < 8; i++)
			x = x << 8 | b[i];
	} while (x < reject);
	*out = x % n;
	return 0;
}

void random_source_failed(struct tf_ctx *c)
{
	tf_diag_error_at(c->diags, NULL, "Random source failed",
			 "The system's random number generator did not deliver. Retry the "
			 "operation; if it keeps failing, check the machine's entropy source.");
}

void random_out_of_memory(struct tf_ctx *c, const char *what)
{
	tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot hold %s.", what);
}

/*
 * random.h - the random provider's resources and the pieces they share.
 *
 * Every random value comes from a struct random_rng: the operating
 * system's generator (OpenSSL RAND_bytes) or, for the resources that take a
 * `seed`, a deterministic stream derived from the seed.  Numbers in a range
 * are drawn by rejection sampling, never with a bare modulo, so every
 * outcome is equally likely.
 */
#ifndef THINGFORM_RANDOM_H
#define THINGFORM_RANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "provider.h"

extern const struct tf_resource random_id_resource;
extern const struct tf_resource random_bytes_resource;
extern const struct tf_resource random_integer_resource;
extern const struct tf_resource random_password_resource;
extern const struct tf_resource random_pet_resource;
extern const struct tf_resource random_shuffle_resource;
extern const struct tf_resource random_string_resource;
extern const struct tf_resource random_uuid_resource;
extern const struct tf_resource random_uuid4_resource;
extern const struct tf_resource random_uuid7_resource;
extern const struct tf_ephemeral_resource random_bytes_ephemeral;
extern const struct tf_ephemeral_resource random_password_ephemeral;

/* Upper bound on byte and character counts: far beyond any key or
 * password, and it keeps a typo such as 1e12 a clear plan-time error
 * instead of an allocation failure. */
#define RANDOM_MAX_LENGTH (1 << 20)

/* --- rng.c: where the randomness comes from ------------------------------ */

struct random_rng {
	bool seeded;
	bool failed;             /* seeded: hashing the seed failed */
	unsigned char key[32];   /* seeded: SHA-256 of the seed */
	uint64_t counter;        /* seeded: next block number */
	unsigned char block[32]; /* seeded: current output block */
	size_t used;             /* seeded: bytes of block already handed out */
};

/* The OS generator when `seed` is NULL or empty, else the seeded stream.
 * Caller-allocated; release with random_rng_release (wipes the seed). */
void random_rng_init(struct random_rng *r, const char *seed);
void random_rng_release(struct random_rng *r);
/* Fills out[0..n); 0, or -1 when the OS generator fails. */
int random_rng_bytes(struct random_rng *r, unsigned char *out, size_t n);
/* A uniform number in [0, n) (n >= 1); 0 or -1 as above. */
int random_rng_below(struct random_rng *r, uint64_t n, uint64_t *out);

/* The error every resource reports when the OS generator fails. */
void random_source_failed(struct tf_ctx *c);
/* The error for an allocation that failed while making `what`. */
void random_out_of_memory(struct tf_ctx *c, const char *what);

/* --- common.c: small helpers for values ------------------------------------ */

/* Checks that each named number attribute of `config`, when known, is a
 * whole number that fits in 64 bits; an error naming the first one that
 * is not.  `names` is NULL-terminated. */
int random_check_whole(struct tf_ctx *c, const struct tf_value *config, const char *const *names);
/* Sets a string attribute; `text` is copied.  0, or -1 with an error. */
int random_set_string(struct tf_ctx *c, struct tf_value *obj, const char *key, const char *text);
/* Sets a top-level attribute to `v` (taken, may be NULL = out of memory). */
int random_set(struct tf_ctx *c, struct tf_value *obj, const char *key, struct tf_value *v);
/* A bool attribute: its value, or `dflt` when null or unknown. */
bool random_get_bool(const struct tf_value *obj, const char *key, bool dflt);

/* --- random_integer.c ------------------------------------------------------ */

/* A uniform number in [min, max] (min <= max; the span may be all of
 * int64).  0, or -1 when the generator fails. */
int random_integer_draw(struct random_rng *r, int64_t min, int64_t max, int64_t *out);

/* --- chars.c: strings drawn from character classes ----------------------- */

struct random_chars {
	int64_t length;
	bool upper, lower, numeric, special;
	int64_t min_upper, min_lower, min_numeric, min_special;
	const char *override_special; /* NULL or "": the default special set */
};

/* The default special characters. */
extern const char random_default_special[];

/*
 * A new NUL-terminated string of p->length characters (UTF-8 when
 * override_special holds multi-byte characters).  At least min_X of each
 * class (even when that class is otherwise off), the rest from the union
 * of the enabled classes, in a uniformly random order.  NULL with *err
 * set to a static message on a bad request, an empty character set, a
 * random source failure (*err "random") or no memory (*err "memory").
 */
char *random_chars_make(const struct random_chars *p, struct random_rng *r, const char **err);

/* --- bcrypt.c: random_password's bcrypt_hash (libxcrypt) ------------------- */

/* bcrypt ($2a$, cost 10) of the first 72 bytes of pw[0..len).  New string,
 * or NULL with an error in c->diags. */
char *random_bcrypt_hash(struct tf_ctx *c, const char *pw, size_t len);
/* 1 when `hash` is the bcrypt hash of pw (first 72 bytes), 0 when it is
 * another password's, -1 when it is not a bcrypt hash at all. */
int random_bcrypt_matches(const char *pw, size_t len, const char *hash);

/* --- strings.c: what random_string and random_password share -------------- */

int random_strings_validate(struct tf_ctx *c, const struct tf_value *config);
int random_strings_plan(struct tf_ctx *c, const struct tf_value *prior,
			const struct tf_value *config, struct tf_value *planned,
			struct tf_paths *replace);
/* Draws the result from the planned attributes and sets `result`. */
int random_strings_create(struct tf_ctx *c, struct tf_value *state);
/* The state of an imported string: result = `id`, every option at its
 * default. */
int random_strings_import(struct tf_ctx *c, const char *id, struct tf_value *state);
/* Fills what old states left null with the defaults (length from the
 * result), and numeric from number. */
int random_strings_upgrade(struct tf_ctx *c, struct tf_value *state);

/* --- pet.c: random_pet's names --------------------------------------------- */

/* A new name of `words` words (>= 1) joined by `sep`: (words-2) adverbs,
 * an adjective and an animal; one word is just an animal.  NULL with *err
 * set as for random_chars_make. */
char *random_pet_name(struct random_rng *r, int64_t words, const char *sep, const char **err);
/* The word lists (pet_words.c), each NULL-terminated. */
extern const char *const random_pet_adverbs[];
extern const char *const random_pet_adjectives[];
extern const char *const random_pet_animals[];

/* --- uuid.c ----------------------------------------------------------------- */

/* 36 characters and a NUL. */
#define RANDOM_UUID_TEXT 37

/* Lowercase 8-4-4-4-12 text of 16 bytes. */
void random_uuid_format(const unsigned char b[16], char out[RANDOM_UUID_TEXT]);
/* Parses the forms the HashiCorp provider accepts: `strict` = exactly the
 * 8-4-4-4-12 form (either case); otherwise also 32 bare hex digits, the
 * form in braces and the `urn:uuid:` form.  true on success. */
bool random_uuid_parse(const char *text, bool strict, unsigned char out[16]);
/* A version 7 UUID for Unix time `ms` (milliseconds), `frac` the 12-bit
 * sub-millisecond fraction, rand_b[8] random bytes. */
void random_uuid7_build(uint64_t ms, unsigned frac, const unsigned char rand_b[8],
			unsigned char out[16]);

#endif

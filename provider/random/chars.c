/*
 * chars.c - random strings drawn from character classes (random_string,
 * random_password).
 *
 * A character is a Unicode code point: override_special may hold
 * multi-byte UTF-8 characters, and each counts as one.  The result takes
 * min_X characters from each class first (whether or not the class is
 * otherwise enabled, as the HashiCorp provider does), fills up to `length`
 * from the union of the enabled classes, then shuffles the whole with
 * Fisher-Yates so that the guaranteed characters sit anywhere.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "random.h"

const char random_default_special[] = "!@#$%&*()-_=+[]{}<>:?";

/* One character: its UTF-8 bytes inside a longer string. */
struct piece {
	const char *s;
	size_t len;
};

struct class {
	struct piece *p;
	size_t n;
};

static size_t utf8_char_len(const char *s, size_t left)
{
	unsigned char b = (unsigned char)s[0];
	size_t n = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3
		 : (b & 0xf8) == 0xf0 ? 4 : 1;
	return n > left ? left : n;
}

/* Appends the characters of `s` to `c` (which has room for strlen(s)). */
static void class_add(struct class *c, const char *s)
{
	for (size_t left = strlen(s); left > 0;) {
		size_t n = utf8_char_len(s, left);
		c->p[c->n++] = (struct piece){ s, n };
		s += n;
		left -= n;
	}
}

/* Appends `count` characters drawn uniformly from `from` to out[*n...]. */
static int draw(struct random_rng *r, const struct class *from, int64_t count, struct piece *out,
		size_t *n)
{
	for (int64_t i = 0; i < count; i++) {
		uint64_t k;
		if (random_rng_below(r, from->n, &k) < 0)
			return -1;
		out[(*n)++] = from->p[k];
	}
	return 0;
}

char *random_chars_make(const struct random_chars *p, struct random_rng *r, const char **err)
{
	static const char upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", lower[] = "abcdefghijklmnopqrstuvwxyz",
			  digits[] = "0123456789";
	const char *special = p->override_special && *p->override_special ? p->override_special
									  : random_default_special;
	size_t slen = strlen(special);
	int64_t mins = p->min_upper + p->min_lower + p->min_numeric + p->min_special;
	if (p->length < 1 || p->length > RANDOM_MAX_LENGTH || p->min_upper < 0 || p->min_lower < 0 ||
	    p->min_numeric < 0 || p->min_special < 0 || mins > p->length) {
		*err = "the length must be at least 1 and at least the sum of the minimums";
		return NULL;
	}
	struct class cu = { 0 }, cl = { 0 }, cd = { 0 }, cs = { 0 }, pool = { 0 };
	struct piece *out = NULL;
	char *text = NULL;
	size_t n = 0, bytes = 0;
	cu.p = malloc(26 * sizeof(struct piece));
	cl.p = malloc(26 * sizeof(struct piece));
	cd.p = malloc(10 * sizeof(struct piece));
	cs.p = malloc((slen + 1) * sizeof(struct piece));
	pool.p = malloc((62 + slen + 1) * sizeof(struct piece));
	out = malloc((size_t)p->length * sizeof(struct piece));
	*err = "memory";
	if (!cu.p || !cl.p || !cd.p || !cs.p || !pool.p || !out)
		goto done;
	class_add(&cu, upper);
	class_add(&cl, lower);
	class_add(&cd, digits);
	class_add(&cs, special);
	if (p->upper)
		class_add(&pool, upper);
	if (p->lower)
		class_add(&pool, lower);
	if (p->numeric)
		class_add(&pool, digits);
	if (p->special)
		class_add(&pool, special);
	if (pool.n == 0) {
		*err = "the character set is empty: enable at least one of upper, lower, numeric "
		       "and special";
		goto done;
	}
	*err = "random";
	if (draw(r, &cu, p->min_upper, out, &n) < 0 || draw(r, &cl, p->min_lower, out, &n) < 0 ||
	    draw(r, &cd, p->min_numeric, out, &n) < 0 ||
	    draw(r, &cs, p->min_special, out, &n) < 0 ||
	    draw(r, &pool, p->length - (int64_t)n, out, &n) < 0)
		goto done;
	for (size_t i = n; i > 1; i--) {
		uint64_t j;
		if (random_rng_below(r, i, &j) < 0)
			goto done;
		struct piece t = out[i - 1];
		out[i - 1] = out[j];
		out[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		bytes += out[i].len;
	*err = "memory";
	if (!(text = malloc(bytes + 1)))
		goto done;
	bytes = 0;
	for (size_t i = 0; i < n; i++) {
		memcpy(text + bytes, out[i].s, out[i].len);
		bytes += out[i].len;
	}
	text[bytes] = '\0';
	*err = NULL;
done:
	if (out)
		OPENSSL_cleanse(out, (size_t)p->length * sizeof(struct piece));
	free(out);
	free(pool.p);
	free(cs.p);
	free(cd.p);
	free(cl.p);
	free(cu.p);
	return text;
}

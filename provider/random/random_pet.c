/*
 * random_pet.c - random, readable names such as "warmly-brave-otter".
 *
 * The shape is the HashiCorp provider's (the words are ours, pet_words.c):
 * one word is an animal, two an adjective and an animal, and each further
 * word an adverb in front; the prefix, when set, comes first, followed by
 * the separator.  No import: there is nothing to recover a name from.
 */
#include <stdlib.h>
#include <string.h>

#include "random.h"

static const char *const whole_numbers[] = { "length", NULL };

static size_t count(const char *const *words)
{
	size_t n = 0;
	while (words[n])
		n++;
	return n;
}

static int pick(struct random_rng *r, const char *const *words, const char **out)
{
	uint64_t k;
	if (random_rng_below(r, count(words), &k) < 0)
		return -1;
	*out = words[k];
	return 0;
}

char *random_pet_name(struct random_rng *r, int64_t words, const char *sep, const char **err)
{
	if (words < 1 || words > RANDOM_MAX_LENGTH) {
		*err = "\"length\" must be a whole number from 1 to 1048576";
		return NULL;
	}
	const char **w = malloc((size_t)words * sizeof(*w));
	char *name = NULL;
	size_t seplen = strlen(sep), len = 0;
	*err = "memory";
	if (!w)
		return NULL;
	*err = "random";
	for (int64_t i = 0; i < words - 2; i++)
		if (pick(r, random_pet_adverbs, &w[i]) < 0)
			goto done;
	if ((words >= 2 && pick(r, random_pet_adjectives, &w[words - 2]) < 0) ||
	    pick(r, random_pet_animals, &w[words - 1]) < 0)
		goto done;
	for (int64_t i = 0; i < words; i++)
		len += strlen(w[i]) + (i ? seplen : 0);
	*err = "memory";
	if (!(name = malloc(len + 1)))
		goto done;
	len = 0;
	for (int64_t i = 0; i < words; i++) {
		if (i) {
			memcpy(name + len, sep, seplen);
			len += seplen;
		}
		memcpy(name + len, w[i], strlen(w[i]));
		len += strlen(w[i]);
	}
	name[len] = '\0';
	*err = NULL;
done:
	free(w);
	return name;
}

static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	return random_check_whole(c, config, whole_numbers);
}

static int create(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	const char *sep = tf_value_get_string(state, "separator");
	const char *prefix = tf_value_get_string(state, "prefix");
	int64_t words;
	(void)config;
	if (!sep)
		sep = "-";
	if (!tf_value_get_int(state, "length", &words))
		words = 0; /* refused just below */
	struct random_rng r;
	const char *err;
	random_rng_init(&r, NULL);
	char *pet = random_pet_name(&r, words, sep, &err);
	random_rng_release(&r);
	if (!pet) {
		if (!strcmp(err, "random"))
			random_source_failed(c);
		else if (!strcmp(err, "memory"))
			random_out_of_memory(c, "the name");
		else
			tf_diag_error_at(c->diags, "length", "Invalid Attribute Value", "%s.", err);
		return -1;
	}
	char *full = NULL;
	if (prefix && *prefix) {
		size_t plen = strlen(prefix), slen = strlen(sep), nlen = strlen(pet);
		if ((full = malloc(plen + slen + nlen + 1))) {
			memcpy(full, prefix, plen);
			memcpy(full + plen, sep, slen);
			memcpy(full + plen + slen, pet, nlen + 1);
		}
	}
	const char *id = prefix && *prefix ? full : pet;
	int rc = -1;
	if (id)
		rc = random_set_string(c, state, "id", id);
	else
		random_out_of_memory(c, "the name");
	free(full);
	free(pet);
	return rc;
}

const struct tf_resource random_pet_resource = {
	.name = "random_pet",
	.validate = validate,
	.create = create,
};

/*
 * random_shuffle.c - a random ordering of a list of strings.
 *
 * The result is made of whole random permutations of the input, one after
 * another, cut at result_count: fewer elements leave some out, more repeat
 * them, each no more often than the passes allow.  With a seed the
 * permutations are derived from the seed (rng.c).
 */
#include <stdlib.h>

#include "random.h"

static const char *const whole_numbers[] = { "result_count", NULL };

static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	return random_check_whole(c, config, whole_numbers);
}

/* Appends `count` elements of `input` (n >= 1 of them) to `result`. */
static int fill(struct tf_ctx *c, struct random_rng *r, const struct tf_value *input, size_t n,
		int64_t count, struct tf_value *result)
{
	size_t *perm = malloc(n * sizeof(*perm));
	int rc = 0;
	if (!perm) {
		random_out_of_memory(c, "the permutation");
		return -1;
	}
	for (int64_t done = 0; rc == 0 && done < count;) {
		for (size_t i = 0; i < n; i++)
			perm[i] = i;
		for (size_t i = n; rc == 0 && i > 1; i--) {
			uint64_t j;
			if (random_rng_below(r, i, &j) < 0) {
				random_source_failed(c);
				rc = -1;
				break;
			}
			size_t t = perm[i - 1];
			perm[i - 1] = perm[j];
			perm[j] = t;
		}
		for (size_t i = 0; rc == 0 && i < n && done < count; i++, done++) {
			struct tf_value *item = tf_value_dup(input->u.seq.items[perm[i]]);
			if (!item || tf_value_append(result, item) < 0) {
				random_out_of_memory(c, "the shuffled list");
				rc = -1;
			}
		}
	}
	free(perm);
	return rc;
}

static int create(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	const struct tf_value *input = tf_value_get(state, "input");
	size_t n = input && input->kind == TF_LIST ? input->u.seq.n : 0;
	int64_t count = (int64_t)n;
	(void)config;
	if (!tf_value_is_null(tf_value_get(state, "result_count")) &&
	    (!tf_value_get_int(state, "result_count", &count) || count < 0 ||
	     count > RANDOM_MAX_LENGTH)) {
		tf_diag_error_at(c->diags, "result_count", "Invalid Attribute Value",
				 "\"result_count\" must be a whole number from 0 to %d.",
				 RANDOM_MAX_LENGTH);
		return -1;
	}
	struct tf_value *result = tf_value_new_collection(TF_LIST);
	struct random_rng r;
	int rc = 0;
	if (!result) {
		random_out_of_memory(c, "the shuffled list");
		return -1;
	}
	random_rng_init(&r, tf_value_get_string(state, "seed"));
	if (n > 0 && count > 0)
		rc = fill(c, &r, input, n, count, result);
	random_rng_release(&r);
	if (rc < 0) {
		tf_value_free(result);
		return -1;
	}
	if (random_set(c, state, "result", result) < 0)
		return -1;
	return random_set_string(c, state, "id", "-");
}

const struct tf_resource random_shuffle_resource = {
	.name = "random_shuffle",
	.validate = validate,
	.create = create,
};

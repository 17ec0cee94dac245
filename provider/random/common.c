/*
 * common.c - small value helpers the random resources share.
 */
#include "random.h"

int random_check_whole(struct tf_ctx *c, const struct tf_value *config, const char *const *names)
{
	for (; *names; names++) {
		const struct tf_value *v = tf_value_get(config, *names);
		int64_t n;
		if (!v || v->kind != TF_NUMBER || tf_number_to_int64(v->u.num, &n))
			continue; /* null and unknown are not ours to judge */
		tf_diag_error_at(c->diags, *names, "Invalid attribute value",
				 "\"%s\" must be a whole number between -2^63 and 2^63-1, got %s.",
				 *names, v->u.num);
		return -1;
	}
	return 0;
}

int random_set(struct tf_ctx *c, struct tf_value *obj, const char *key, struct tf_value *v)
{
	if (v && tf_value_set(obj, key, v) == 0)
		return 0;
	random_out_of_memory(c, key);
	return -1;
}

int random_set_string(struct tf_ctx *c, struct tf_value *obj, const char *key, const char *text)
{
	return random_set(c, obj, key, tf_value_new_string(text));
}

bool random_get_bool(const struct tf_value *obj, const char *key, bool dflt)
{
	const struct tf_value *v = tf_value_get(obj, key);
	return v && v->kind == TF_BOOL ? v->u.b : dflt;
}

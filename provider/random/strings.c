/*
 * strings.c - what random_string and random_password share: the checks on
 * their character options, the plan rules for number/numeric and
 * override_special, drawing the result, import and the state upgrades.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "random.h"

static const char *const whole_numbers[] = {
	"length", "min_upper", "min_lower", "min_numeric", "min_special", NULL,
};
static const char *const min_names[] = {
	"min_upper", "min_lower", "min_numeric", "min_special", NULL,
};
/* The options an import or an upgrade sets to their defaults when null. */
static const char *const bool_names[] = { "special", "upper", "lower", "number", NULL };

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* length >= the sum of the minimums, once all of them are known. */
static int check_length(struct tf_ctx *c, const struct tf_value *config)
{
	int64_t length, sum = 0, v;
	if (!tf_value_get_int(config, "length", &length))
		return 0;
	for (const char *const *m = min_names; *m; m++) {
		const struct tf_value *x = tf_value_get(config, *m);
		if (tf_value_is_unknown(x))
			return 0;
		/* each saturates just beyond any valid length: no overflow */
		if (tf_value_get_int(config, *m, &v) && v > 0)
			sum += v > RANDOM_MAX_LENGTH ? RANDOM_MAX_LENGTH + 1 : v;
	}
	if (length >= sum)
		return 0;
	tf_diag_error_at(c->diags, "length", "Invalid Attribute Value",
			 "\"length\" must be at least the sum of min_upper, min_lower, min_numeric "
			 "and min_special (%lld), got %lld.",
			 (long long)sum, (long long)length);
	return -1;
}

/* numeric (or number) = false needs one of special, upper and lower not to
 * be false, else the character set would be empty. */
static int check_one_true(struct tf_ctx *c, const struct tf_value *config, const char *attr)
{
	const struct tf_value *v = tf_value_get(config, attr);
	if (!v || v->kind != TF_BOOL || v->u.b)
		return 0;
	static const char *const others[] = { "special", "upper", "lower", NULL };
	for (const char *const *o = others; *o; o++) {
		const struct tf_value *x = tf_value_get(config, *o);
		if (!x || x->kind != TF_BOOL || x->u.b)
			return 0;
	}
	tf_diag_error_at(c->diags, attr, "Invalid Attribute Combination",
			 "At least one attribute out of [special, upper, lower, %s] must be "
			 "specified as true.", attr);
	return -1;
}

int random_strings_validate(struct tf_ctx *c, const struct tf_value *config)
{
	const struct tf_value *number = tf_value_get(config, "number");
	const struct tf_value *numeric = tf_value_get(config, "numeric");
	int rc = random_check_whole(c, config, whole_numbers);
	if (rc == 0)
		rc = check_length(c, config);
	if (check_one_true(c, config, "number") < 0 || check_one_true(c, config, "numeric") < 0)
		rc = -1;
	if (number && numeric && number->kind == TF_BOOL && numeric->kind == TF_BOOL &&
	    number->u.b != numeric->u.b) {
		tf_diag_error_at(c->diags, "numeric",
				 "Number and numeric are both configured with different values",
				 "\"number\" is the deprecated name of \"numeric\": remove \"number\" "
				 "and keep \"numeric\".");
		rc = -1;
	}
	return rc;
}

/* Adds `attr` to `replace` unless it is there already. */
static int replace_attr(struct tf_paths *replace, const char *attr)
{
	for (size_t i = 0; i < replace->n; i++) {
		const struct tf_path *p = &replace->items[i];
		if (p->n == 1 && p->steps[0].kind == TF_STEP_ATTR && !strcmp(p->steps[0].name, attr))
			return 0;
	}
	return tf_paths_add_attr(replace, attr);
}

/* The value number or numeric plans to: its own configured value, else the
 * other's, else true (the two are kept in step). */
static struct tf_value *numeric_plan(const struct tf_value *config, const char *self,
				     const char *other)
{
	const struct tf_value *v = tf_value_get(config, self);
	if (tf_value_is_null(v))
		v = tf_value_get(config, other);
	return tf_value_is_null(v) ? tf_value_new_bool(true) : tf_value_dup(v);
}

/* override_special replaces the resource on any change but one: from ""
 * to unset (both mean the default set); an unknown value does not. */
static bool override_replaces(const struct tf_value *prior, const struct tf_value *config)
{
	const struct tf_value *was = tf_value_get(prior, "override_special");
	const struct tf_value *now = tf_value_get(config, "override_special");
	if (tf_value_equal(was, now) || tf_value_is_unknown(now))
		return false;
	if (!tf_value_is_null(now) || tf_value_is_null(was))
		return true;
	return was->kind != TF_STRING || was->u.str.len != 0;
}

int random_strings_plan(struct tf_ctx *c, const struct tf_value *prior,
			const struct tf_value *config, struct tf_value *planned,
			struct tf_paths *replace)
{
	static const char *const pair[] = { "number", "numeric", "number" };
	for (int i = 0; i < 2; i++) {
		const char *self = pair[i], *other = pair[i + 1];
		if (random_set(c, planned, self, numeric_plan(config, self, other)) < 0)
			return -1;
		if (prior && !tf_value_equal(tf_value_get(prior, self), tf_value_get(planned, self)) &&
		    replace_attr(replace, self) < 0) {
			random_out_of_memory(c, "the plan");
			return -1;
		}
	}
	if (prior && override_replaces(prior, config) && replace_attr(replace, "override_special") < 0) {
		random_out_of_memory(c, "the plan");
		return -1;
	}
	return 0;
}

int random_strings_create(struct tf_ctx *c, struct tf_value *state)
{
	struct random_chars p = {
		.upper = random_get_bool(state, "upper", true),
		.lower = random_get_bool(state, "lower", true),
		.numeric = random_get_bool(state, "numeric", true),
		.special = random_get_bool(state, "special", true),
		.override_special = tf_value_get_string(state, "override_special"),
	};
	if (!tf_value_get_int(state, "length", &p.length) ||
	    !tf_value_get_int(state, "min_upper", &p.min_upper) ||
	    !tf_value_get_int(state, "min_lower", &p.min_lower) ||
	    !tf_value_get_int(state, "min_numeric", &p.min_numeric) ||
	    !tf_value_get_int(state, "min_special", &p.min_special)) {
		tf_diag_error_at(c->diags, "length", "Invalid Attribute Value",
				 "\"length\" and the min_* attributes must be whole numbers.");
		return -1;
	}
	struct random_rng r;
	const char *err;
	random_rng_init(&r, NULL);
	char *text = random_chars_make(&p, &r, &err);
	random_rng_release(&r);
	if (!text) {
		if (!strcmp(err, "random"))
			random_source_failed(c);
		else if (!strcmp(err, "memory"))
			random_out_of_memory(c, "the random string");
		else
			tf_diag_error_at(c->diags, "length", "Cannot generate the string", "%s.", err);
		return -1;
	}
	int rc = random_set_string(c, state, "result", text);
	OPENSSL_cleanse(text, strlen(text));
	free(text);
	return rc;
}

/* Null options to their defaults: length from the result, minimums 0,
 * classes on. */
static int fill_defaults(struct tf_ctx *c, struct tf_value *state)
{
	const char *result = tf_value_get_string(state, "result");
	if (tf_value_is_null(tf_value_get(state, "length")) &&
	    random_set(c, state, "length", tf_value_new_uint(result ? utf8_chars(result) : 0)) < 0)
		return -1;
	for (const char *const *m = min_names; *m; m++)
		if (tf_value_is_null(tf_value_get(state, *m)) &&
		    random_set(c, state, *m, tf_value_new_int(0)) < 0)
			return -1;
	for (const char *const *b = bool_names; *b; b++)
		if (tf_value_is_null(tf_value_get(state, *b)) &&
		    random_set(c, state, *b, tf_value_new_bool(true)) < 0)
			return -1;
	return 0;
}

int random_strings_import(struct tf_ctx *c, const char *id, struct tf_value *state)
{
	if (random_set_string(c, state, "result", id) < 0 || fill_defaults(c, state) < 0)
		return -1;
	return random_set(c, state, "numeric", tf_value_new_bool(true));
}

int random_strings_upgrade(struct tf_ctx *c, struct tf_value *state)
{
	if (fill_defaults(c, state) < 0)
		return -1;
	return random_set(c, state, "numeric", tf_value_dup(tf_value_get(state, "number")));
}

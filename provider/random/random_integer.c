/*
 * random_integer.c - a uniformly random whole number in [min, max].
 *
 * With a seed the number is derived from the seed (rng.c), so the same
 * seed, min and max give the same number again.  Import takes
 * "RESULT,MIN,MAX" or "RESULT,MIN,MAX,SEED".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "random.h"

static const char *const whole_numbers[] = { "min", "max", NULL };

static int check_range(struct tf_ctx *c, int64_t min, int64_t max)
{
	if (min <= max)
		return 0;
	tf_diag_error_at(c->diags, "max", "Invalid Attribute Value",
			 "\"max\" (%lld) must not be less than \"min\" (%lld).", (long long)max,
			 (long long)min);
	return -1;
}

static int validate(struct tf_ctx *c, const struct tf_value *config)
{
	int64_t min, max;
	if (random_check_whole(c, config, whole_numbers) < 0)
		return -1;
	if (tf_value_get_int(config, "min", &min) && tf_value_get_int(config, "max", &max))
		return check_range(c, min, max);
	return 0;
}

/* A uniform number in [min, max]; the span may be all of int64. */
int random_integer_draw(struct random_rng *r, int64_t min, int64_t max, int64_t *out)
{
	uint64_t span = (uint64_t)max - (uint64_t)min, x;
	int rc;
	if (span == UINT64_MAX) {
		unsigned char b[8];
		rc = random_rng_bytes(r, b, sizeof(b));
		x = 0;
		for (int i = 0; i < 8; i++)
			x = x << 8 | b[i];
	} else {
		rc = random_rng_below(r, span + 1, &x);
	}
	*out = (int64_t)((uint64_t)min + x);
	return rc;
}

static int set_result(struct tf_ctx *c, struct tf_value *state, int64_t result, const char *id)
{
	char text[24];
	if (!id) {
		snprintf(text, sizeof(text), "%" PRId64, result);
		id = text;
	}
	if (random_set(c, state, "result", tf_value_new_int(result)) < 0)
		return -1;
	return random_set_string(c, state, "id", id);
}

static int create(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	int64_t min, max, result;
	(void)config;
	if (!tf_value_get_int(state, "min", &min) || !tf_value_get_int(state, "max", &max)) {
		tf_diag_error_at(c->diags, "min", "Invalid Attribute Value",
				 "\"min\" and \"max\" must be whole numbers.");
		return -1;
	}
	if (check_range(c, min, max) < 0)
		return -1;
	struct random_rng r;
	random_rng_init(&r, tf_value_get_string(state, "seed"));
	int rc = random_integer_draw(&r, min, max, &result);
	random_rng_release(&r);
	if (rc < 0) {
		random_source_failed(c);
		return -1;
	}
	return set_result(c, state, result, NULL);
}

/* Parses a whole int64 in decimal, with an optional sign. */
static bool parse_int(const char *s, size_t len, int64_t *out)
{
	char buf[32];
	char *end;
	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (buf[0] != '-' && buf[0] != '+' && (buf[0] < '0' || buf[0] > '9'))
		return false;
	errno = 0;
	long long v = strtoll(buf, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static int import(struct tf_ctx *c, const char *id, struct tf_value *state)
{
	const char *part[5];
	size_t len[4], n = 0;
	int64_t num[3];
	part[0] = id;
	for (const char *p = id;; p++) {
		if (*p != ',' && *p)
			continue;
		len[n] = (size_t)(p - part[n]);
		if (++n == 4 || !*p)
			break;
		part[n] = p + 1;
	}
	bool shape = (n == 3 || n == 4) && !(n == 4 && strchr(part[3], ','));
	if (n == 4)
		len[3] = strlen(part[3]);
	static const char *const names[] = { "result", "min", "max" };
	for (size_t i = 0; shape && i < 3; i++)
		if (!parse_int(part[i], len[i], &num[i])) {
			tf_diag_error_at(c->diags, NULL, "Import Random Integer Error",
					 "The %s in the import ID \"%s\" is not a whole number.",
					 names[i], id);
			return -1;
		}
	if (!shape) {
		tf_diag_error_at(c->diags, NULL, "Import Random Integer Error",
				 "Invalid import ID \"%s\": expecting {result},{min},{max} or "
				 "{result},{min},{max},{seed}.", id);
		return -1;
	}
	char *text = strndup(part[0], len[0]);
	if (!text) {
		random_out_of_memory(c, "the import ID");
		return -1;
	}
	int rc = -1;
	if (random_set(c, state, "min", tf_value_new_int(num[1])) == 0 &&
	    random_set(c, state, "max", tf_value_new_int(num[2])) == 0 &&
	    random_set(c, state, "seed",
		       n == 4 ? tf_value_new_stringn(part[3], len[3]) : tf_value_new_null()) == 0)
		rc = set_result(c, state, num[0], text);
	free(text);
	return rc;
}

const struct tf_resource random_integer_resource = {
	.name = "random_integer",
	.validate = validate,
	.create = create,
	.import = import,
};

/*
 * random_string.c - a random string of letters, digits and special
 * characters (see strings.c); id is the string itself.
 *
 * Schema version 2.  Version 1 states (before `numeric`) are upgraded:
 * numeric takes number's value and options left null by old imports take
 * their defaults.  Import takes the string itself.
 */
#include "random.h"

static int create(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	(void)config;
	if (random_strings_create(c, state) < 0)
		return -1;
	return random_set_string(c, state, "id", tf_value_get_string(state, "result"));
}

static int import(struct tf_ctx *c, const char *id, struct tf_value *state)
{
	if (random_strings_import(c, id, state) < 0)
		return -1;
	return random_set_string(c, state, "id", id);
}

static int upgrade(struct tf_ctx *c, int64_t version, struct tf_value *state)
{
	if (version != 1) {
		tf_diag_error_at(c->diags, NULL, "Unable to Upgrade Resource State",
				 "random_string state of schema version %lld cannot be upgraded; "
				 "only version 1 can. Remove it from the state and import it again "
				 "with its result as the ID.",
				 (long long)version);
		return -1;
	}
	return random_strings_upgrade(c, state);
}

const struct tf_resource random_string_resource = {
	.name = "random_string",
	.validate = random_strings_validate,
	.plan = random_strings_plan,
	.create = create,
	.import = import,
	.upgrade = upgrade,
};

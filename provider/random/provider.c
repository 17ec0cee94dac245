/*
 * provider.c - the random provider's table.  It keeps no configuration:
 * every value comes from the operating system's random source.
 */
#include "provider.h"
#include "random.h"

static const struct tf_resource *const resources[] = {
	&random_id_resource,
	&random_bytes_resource,
	&random_integer_resource,
	&random_password_resource,
	&random_pet_resource,
	&random_shuffle_resource,
	&random_string_resource,
	&random_uuid_resource,
	&random_uuid4_resource,
	&random_uuid7_resource,
	NULL,
};

static const struct tf_data_source *const data_sources[] = { NULL };

static const struct tf_ephemeral_resource *const ephemeral_resources[] = {
	&random_bytes_ephemeral,
	&random_password_ephemeral,
	NULL,
};

const struct tf_provider thingform_provider = {
	.name = "random",
	.resources = resources,
	.data_sources = data_sources,
	.ephemeral_resources = ephemeral_resources,
};

/*
 * provider.c - the aws provider's table.  Its resources and data sources
 * arrive with their own issues; until then it serves its provider block
 * only, so configurations that declare it still initialise.
 */
#include "provider.h"

static const struct tf_resource *const resources[] = { NULL };
static const struct tf_data_source *const data_sources[] = { NULL };

const struct tf_provider thingform_provider = {
	.name = "aws",
	.resources = resources,
	.data_sources = data_sources,
};

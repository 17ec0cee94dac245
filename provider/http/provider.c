/*
 * provider.c - the http provider's table.  It keeps no configuration: each
 * data source says everything about its request.
 */
#include "http.h"
#include "provider.h"

static const struct tf_resource *const resources[] = { NULL };

static const struct tf_data_source *const data_sources[] = {
	&http_data_source,
	NULL,
};

const struct tf_provider thingform_provider = {
	.name = "http",
	.resources = resources,
	.data_sources = data_sources,
};

/*
 * provider.c - the tls provider's table.  It keeps no configuration yet
 * (the proxy block arrives with tls_certificate's url).
 */
#include "provider.h"
#include "tls.h"

static const struct tf_resource *const resources[] = {
	&tls_private_key_resource,
	&tls_self_signed_cert_resource,
	&tls_cert_request_resource,
	&tls_locally_signed_cert_resource,
	NULL,
};

static const struct tf_data_source *const data_sources[] = {
	&tls_public_key_data_source,
	NULL,
};

const struct tf_provider thingform_provider = {
	.name = "tls",
	.resources = resources,
	.data_sources = data_sources,
};

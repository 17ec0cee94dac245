/*
 * provider.c - the tls provider's table and its block: `proxy`, kept in
 * the meta for tls_certificate's https:// URLs.
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
	&tls_certificate_data_source,
	NULL,
};

static const struct tf_ephemeral_resource *const ephemeral_resources[] = {
	&tls_private_key_ephemeral,
	&tls_public_key_ephemeral,
	NULL,
};

static int configure(struct tf_ctx *c, const struct tf_value *config, void **meta)
{
	struct tls_meta *m = tls_meta_new(c, config);
	if (!m)
		return -1;
	*meta = m;
	return 0;
}

static void release(void *meta)
{
	tls_meta_free(meta);
}

const struct tf_provider thingform_provider = {
	.name = "tls",
	.resources = resources,
	.data_sources = data_sources,
	.ephemeral_resources = ephemeral_resources,
	.validate = tls_proxy_validate,
	.configure = configure,
	.release = release,
};

/*
 * rpc.c - tfplugin6.Provider on top of the handler tables.
 *
 * Each RPC is three steps: unpack the request (protobuf-c), run the
 * generic step with plain values, pack the response.  Response messages
 * are built from memory taken from a per-call arena, so one arena_release
 * frees a whole response however many nested messages it has.
 */
#include <assert.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "codec.h"
#include "log.h"
#include "plan.h"
#include "rpc.h"
#include "tfplugin6.pb-c.h"

struct resource_entry {
	const struct tf_resource *ops;
	const struct tf_schema *schema;
};

struct data_source_entry {
	const struct tf_data_source *ops;
	const struct tf_schema *schema;
};

struct ephemeral_entry {
	const struct tf_ephemeral_resource *ops;
	const struct tf_schema *schema;
};

struct tf_rpc {
	const struct tf_provider *provider;
	const struct tf_schema *provider_schema;
	struct resource_entry *resources;
	size_t n_resources;
	struct data_source_entry *data_sources;
	size_t n_data_sources;
	struct ephemeral_entry *ephemerals;
	size_t n_ephemerals;

	/* GetProviderSchema and GetMetadata, packed when first asked for:
	 * Terraform asks one process of a run for the schema and caches it
	 * (get_provider_schema_optional), so most never pack it. */
	pthread_mutex_t replies_lock;
	bool replies_packed;
	struct tf_bytes schema_reply;
	struct tf_bytes metadata_reply;

	atomic_bool stopping;           /* StopProvider was called */
	pthread_mutex_t meta_lock;
	void *meta;                     /* from the provider's configure */

	struct tf_method *methods;
	const struct tf_method **method_table;
};

/* --- a per-call arena ------------------------------------------------------ */

/* Each block is wiped when the arena is released: responses carry states,
 * and states carry private keys. */
struct arena_block {
	void *p;
	size_t size;
};

struct arena {
	struct arena_block *blocks;
	size_t n, alloc;
	bool failed;
};

static void *arena_alloc(struct arena *a, size_t size)
{
	if (a->n == a->alloc) {
		size_t alloc = a->alloc ? 2 * a->alloc : 16;
		struct arena_block *blocks = realloc(a->blocks, alloc * sizeof(*blocks));
		if (!blocks) {
			a->failed = true;
			return NULL;
		}
		a->blocks = blocks;
		a->alloc = alloc;
	}
	void *p = calloc(1, size ? size : 1);
	if (!p) {
		a->failed = true;
		return NULL;
	}
	a->blocks[a->n++] = (struct arena_block){ p, size };
	return p;
}

static char *arena_strdup(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	size_t len = strlen(s) + 1;
	char *copy = arena_alloc(a, len);
	if (copy)
		memcpy(copy, s, len);
	return copy;
}

static void arena_release(struct arena *a)
{
	for (size_t i = 0; i < a->n; i++)
		OPENSSL_clear_free(a->blocks[i].p, a->blocks[i].size);
	free(a->blocks);
	memset(a, 0, sizeof(*a));
}

#define ARENA_NEW(a, Type) arena_new_##Type(a)
#define DEFINE_ARENA_NEW(Type, INIT)                                     \
	static Type *arena_new_##Type(struct arena *a)                   \
	{                                                                \
		static const Type init = INIT;                           \
		Type *p = arena_alloc(a, sizeof(Type));                  \
		if (p)                                                   \
			*p = init;                                       \
		return p;                                                \
	}

DEFINE_ARENA_NEW(Tfplugin6__Diagnostic, TFPLUGIN6__DIAGNOSTIC__INIT)
DEFINE_ARENA_NEW(Tfplugin6__AttributePath, TFPLUGIN6__ATTRIBUTE_PATH__INIT)
DEFINE_ARENA_NEW(Tfplugin6__AttributePath__Step, TFPLUGIN6__ATTRIBUTE_PATH__STEP__INIT)
DEFINE_ARENA_NEW(Tfplugin6__DynamicValue, TFPLUGIN6__DYNAMIC_VALUE__INIT)
DEFINE_ARENA_NEW(Tfplugin6__Schema, TFPLUGIN6__SCHEMA__INIT)
DEFINE_ARENA_NEW(Tfplugin6__Schema__Block, TFPLUGIN6__SCHEMA__BLOCK__INIT)
DEFINE_ARENA_NEW(Tfplugin6__Schema__Attribute, TFPLUGIN6__SCHEMA__ATTRIBUTE__INIT)
DEFINE_ARENA_NEW(Tfplugin6__Schema__NestedBlock, TFPLUGIN6__SCHEMA__NESTED_BLOCK__INIT)
DEFINE_ARENA_NEW(Tfplugin6__GetProviderSchema__Response__ResourceSchemasEntry,
		 TFPLUGIN6__GET_PROVIDER_SCHEMA__RESPONSE__RESOURCE_SCHEMAS_ENTRY__INIT)
DEFINE_ARENA_NEW(Tfplugin6__GetProviderSchema__Response__DataSourceSchemasEntry,
		 TFPLUGIN6__GET_PROVIDER_SCHEMA__RESPONSE__DATA_SOURCE_SCHEMAS_ENTRY__INIT)
DEFINE_ARENA_NEW(Tfplugin6__GetProviderSchema__Response__EphemeralResourceSchemasEntry,
		 TFPLUGIN6__GET_PROVIDER_SCHEMA__RESPONSE__EPHEMERAL_RESOURCE_SCHEMAS_ENTRY__INIT)
DEFINE_ARENA_NEW(Tfplugin6__GetMetadata__EphemeralMetadata,
		 TFPLUGIN6__GET_METADATA__EPHEMERAL_METADATA__INIT)
DEFINE_ARENA_NEW(Google__Protobuf__Timestamp, GOOGLE__PROTOBUF__TIMESTAMP__INIT)
DEFINE_ARENA_NEW(Tfplugin6__GetMetadata__ResourceMetadata,
		 TFPLUGIN6__GET_METADATA__RESOURCE_METADATA__INIT)
DEFINE_ARENA_NEW(Tfplugin6__GetMetadata__DataSourceMetadata,
		 TFPLUGIN6__GET_METADATA__DATA_SOURCE_METADATA__INIT)
DEFINE_ARENA_NEW(Tfplugin6__ImportResourceState__ImportedResource,
		 TFPLUGIN6__IMPORT_RESOURCE_STATE__IMPORTED_RESOURCE__INIT)

/* An array of n pointers from the arena. */
static void *arena_array(struct arena *a, size_t n)
{
	return arena_alloc(a, n * sizeof(void *));
}

/* --- conversions between core types and protobuf ---------------------------- */

int tf_bytes_pack(struct tf_bytes *out, const ProtobufCMessage *msg)
{
	size_t len = protobuf_c_message_get_packed_size(msg);
	unsigned char *data = malloc(len ? len : 1);
	if (!data)
		return -1;
	protobuf_c_message_pack(msg, data);
	tf_bytes_release(out);
	out->data = data;
	out->len = out->alloc = len;
	return 0;
}

static Tfplugin6__AttributePath *path_to_proto(struct arena *a, const struct tf_path *p)
{
	Tfplugin6__AttributePath *ap = ARENA_NEW(a, Tfplugin6__AttributePath);
	if (!ap || !(ap->steps = arena_array(a, p->n)))
		return NULL;
	for (size_t i = 0; i < p->n; i++) {
		Tfplugin6__AttributePath__Step *s = ARENA_NEW(a, Tfplugin6__AttributePath__Step);
		if (!s)
			return NULL;
		switch (p->steps[i].kind) {
		case TF_STEP_ATTR:
			s->selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ATTRIBUTE_NAME;
			s->attribute_name = arena_strdup(a, p->steps[i].name);
			break;
		case TF_STEP_KEY:
			s->selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_STRING;
			s->element_key_string = arena_strdup(a, p->steps[i].name);
			break;
		case TF_STEP_INDEX:
			s->selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_INT;
			s->element_key_int = p->steps[i].index;
			break;
		}
		ap->steps[ap->n_steps++] = s;
	}
	return ap;
}

static Tfplugin6__Diagnostic **diags_to_proto(struct arena *a, const struct tf_diags *d, size_t *n)
{
	Tfplugin6__Diagnostic **out = arena_array(a, d->n);
	*n = 0;
	for (size_t i = 0; out && i < d->n; i++) {
		const struct tf_diag *g = &d->items[i];
		Tfplugin6__Diagnostic *p = ARENA_NEW(a, Tfplugin6__Diagnostic);
		if (!p)
			break;
		p->severity = g->severity == TF_ERROR ? TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR
						      : TFPLUGIN6__DIAGNOSTIC__SEVERITY__WARNING;
		p->summary = arena_strdup(a, g->summary);
		p->detail = arena_strdup(a, g->detail);
		if (g->path.n)
			p->attribute = path_to_proto(a, &g->path);
		out[(*n)++] = p;
	}
	return out;
}

/* Decodes a DynamicValue (msgpack, else JSON; absent means null). */
static struct tf_value *value_from_proto(const Tfplugin6__DynamicValue *dv,
					 const struct tf_type *type,
					 struct tf_diags *d)
{
	if (dv && dv->msgpack.len)
		return tf_msgpack_decode(dv->msgpack.data, dv->msgpack.len, type, d);
	if (dv && dv->json.len)
		return tf_json_decode((const char *)dv->json.data, dv->json.len, type, d);
	return tf_value_new_null();
}

static Tfplugin6__DynamicValue *value_to_proto(struct arena *a, const struct tf_value *v,
					       const struct tf_type *type, struct tf_diags *d)
{
	struct tf_bytes b = { 0 };
	Tfplugin6__DynamicValue *dv = ARENA_NEW(a, Tfplugin6__DynamicValue);
	if (!dv || tf_msgpack_encode(v, type, &b, d) < 0) {
		tf_bytes_release(&b);
		return NULL;
	}
	dv->msgpack.data = arena_alloc(a, b.len);
	if (dv->msgpack.data) {
		memcpy(dv->msgpack.data, b.data, b.len);
		dv->msgpack.len = b.len;
	}
	tf_bytes_release(&b);
	return dv;
}

/* --- schema to protobuf ---------------------------------------------------- */

static Tfplugin6__Schema__Block *block_to_proto(struct arena *a, const struct tf_block *b)
{
	Tfplugin6__Schema__Block *pb = ARENA_NEW(a, Tfplugin6__Schema__Block);
	if (!pb || !(pb->attributes = arena_array(a, b->n_attrs)) ||
	    !(pb->block_types = arena_array(a, b->n_blocks)))
		return NULL;
	pb->description = arena_strdup(a, b->description ? b->description : "");
	pb->description_kind = TFPLUGIN6__STRING_KIND__MARKDOWN;
	pb->deprecated = b->deprecated != NULL;
	pb->deprecation_message = arena_strdup(a, b->deprecated ? b->deprecated : "");
	for (size_t i = 0; i < b->n_attrs; i++) {
		const struct tf_attr *at = &b->attrs[i];
		Tfplugin6__Schema__Attribute *pa = ARENA_NEW(a, Tfplugin6__Schema__Attribute);
		char *type = tf_type_to_json(at->type);
		if (!pa || !type) {
			free(type);
			return NULL;
		}
		pa->name = arena_strdup(a, at->name);
		pa->type.data = (uint8_t *)arena_strdup(a, type);
		pa->type.len = strlen(type);
		free(type);
		pa->description = arena_strdup(a, at->description ? at->description : "");
		pa->description_kind = TFPLUGIN6__STRING_KIND__MARKDOWN;
		pa->required = at->required;
		pa->optional = at->optional;
		pa->computed = at->computed;
		pa->sensitive = at->sensitive;
		pa->write_only = at->write_only;
		pa->deprecated = at->deprecated != NULL;
		pa->deprecation_message = arena_strdup(a, at->deprecated ? at->deprecated : "");
		pb->attributes[pb->n_attributes++] = pa;
	}
	for (size_t i = 0; i < b->n_blocks; i++) {
		const struct tf_nested_block *nb = &b->blocks[i];
		Tfplugin6__Schema__NestedBlock *pn = ARENA_NEW(a, Tfplugin6__Schema__NestedBlock);
		if (!pn || !(pn->block = block_to_proto(a, &nb->block)))
			return NULL;
		pn->type_name = arena_strdup(a, nb->name);
		pn->nesting = (Tfplugin6__Schema__NestedBlock__NestingMode)nb->nesting;
		pn->min_items = nb->min_items;
		pn->max_items = nb->max_items;
		pb->block_types[pb->n_block_types++] = pn;
	}
	return pb;
}

static Tfplugin6__Schema *schema_to_proto(struct arena *a, const struct tf_schema *s)
{
	Tfplugin6__Schema *ps = ARENA_NEW(a, Tfplugin6__Schema);
	if (!ps || !(ps->block = block_to_proto(a, &s->block)))
		return NULL;
	ps->version = s->version;
	return ps;
}

static const Tfplugin6__ServerCapabilities capabilities = {
	PROTOBUF_C_MESSAGE_INIT(&tfplugin6__server_capabilities__descriptor),
	.plan_destroy = 1,
	.get_provider_schema_optional = 1,
};

/* GetProviderSchema and GetMetadata never change: pack them once (with
 * replies_lock held). */
static int pack_static_replies(struct tf_rpc *rpc)
{
	struct arena a = { 0 };
	Tfplugin6__GetProviderSchema__Response sr = TFPLUGIN6__GET_PROVIDER_SCHEMA__RESPONSE__INIT;
	Tfplugin6__GetMetadata__Response mr = TFPLUGIN6__GET_METADATA__RESPONSE__INIT;
	int rc = -1;

	sr.server_capabilities = mr.server_capabilities = (Tfplugin6__ServerCapabilities *)&capabilities;
	sr.provider = schema_to_proto(&a, rpc->provider_schema);
	sr.resource_schemas = arena_array(&a, rpc->n_resources);
	mr.resources = arena_array(&a, rpc->n_resources);
	sr.data_source_schemas = arena_array(&a, rpc->n_data_sources);
	mr.data_sources = arena_array(&a, rpc->n_data_sources);
	sr.ephemeral_resource_schemas = arena_array(&a, rpc->n_ephemerals);
	mr.ephemeral_resources = arena_array(&a, rpc->n_ephemerals);
	if (a.failed || !sr.provider)
		goto out;
	for (size_t i = 0; i < rpc->n_resources; i++) {
		Tfplugin6__GetProviderSchema__Response__ResourceSchemasEntry *e =
			ARENA_NEW(&a, Tfplugin6__GetProviderSchema__Response__ResourceSchemasEntry);
		Tfplugin6__GetMetadata__ResourceMetadata *m =
			ARENA_NEW(&a, Tfplugin6__GetMetadata__ResourceMetadata);
		if (!e || !m || !(e->value = schema_to_proto(&a, rpc->resources[i].schema)))
			goto out;
		e->key = m->type_name = (char *)rpc->resources[i].ops->name;
		sr.resource_schemas[sr.n_resource_schemas++] = e;
		mr.resources[mr.n_resources++] = m;
	}
	for (size_t i = 0; i < rpc->n_data_sources; i++) {
		Tfplugin6__GetProviderSchema__Response__DataSourceSchemasEntry *e =
			ARENA_NEW(&a, Tfplugin6__GetProviderSchema__Response__DataSourceSchemasEntry);
		Tfplugin6__GetMetadata__DataSourceMetadata *m =
			ARENA_NEW(&a, Tfplugin6__GetMetadata__DataSourceMetadata);
		if (!e || !m || !(e->value = schema_to_proto(&a, rpc->data_sources[i].schema)))
			goto out;
		e->key = m->type_name = (char *)rpc->data_sources[i].ops->name;
		sr.data_source_schemas[sr.n_data_source_schemas++] = e;
		mr.data_sources[mr.n_data_sources++] = m;
	}
	for (size_t i = 0; i < rpc->n_ephemerals; i++) {
		Tfplugin6__GetProviderSchema__Response__EphemeralResourceSchemasEntry *e = ARENA_NEW(
			&a, Tfplugin6__GetProviderSchema__Response__EphemeralResourceSchemasEntry);
		Tfplugin6__GetMetadata__EphemeralMetadata *m =
			ARENA_NEW(&a, Tfplugin6__GetMetadata__EphemeralMetadata);
		if (!e || !m || !(e->value = schema_to_proto(&a, rpc->ephemerals[i].schema)))
			goto out;
		e->key = m->type_name = (char *)rpc->ephemerals[i].ops->name;
		sr.ephemeral_resource_schemas[sr.n_ephemeral_resource_schemas++] = e;
		mr.ephemeral_resources[mr.n_ephemeral_resources++] = m;
	}
	if (!a.failed && tf_bytes_pack(&rpc->schema_reply, &sr.base) == 0 &&
	    tf_bytes_pack(&rpc->metadata_reply, &mr.base) == 0)
		rc = 0;
out:
	arena_release(&a);
	return rc;
}

/* --- lookups and context ---------------------------------------------------- */

static void unknown_type(struct tf_diags *d, const char *what, const char *name)
{
	tf_diag_add(d, TF_ERROR, NULL, "Unknown type",
		    "This provider has no %s named \"%s\". Check the type name and the provider "
		    "source in required_providers.",
		    what, name ? name : "");
}

/* The resource named in a request, or NULL after saying so in d. */
static const struct resource_entry *find_resource(const struct tf_rpc *rpc, const char *name,
						  struct tf_diags *d)
{
	for (size_t i = 0; i < rpc->n_resources; i++)
		if (strcmp(rpc->resources[i].ops->name, name) == 0)
			return &rpc->resources[i];
	unknown_type(d, "resource type", name);
	return NULL;
}

static const struct data_source_entry *find_data_source(const struct tf_rpc *rpc, const char *name,
							struct tf_diags *d)
{
	for (size_t i = 0; i < rpc->n_data_sources; i++)
		if (strcmp(rpc->data_sources[i].ops->name, name) == 0)
			return &rpc->data_sources[i];
	unknown_type(d, "data source", name);
	return NULL;
}

static const struct ephemeral_entry *find_ephemeral(const struct tf_rpc *rpc, const char *name,
						    struct tf_diags *d)
{
	for (size_t i = 0; i < rpc->n_ephemerals; i++)
		if (strcmp(rpc->ephemerals[i].ops->name, name) == 0)
			return &rpc->ephemerals[i];
	unknown_type(d, "ephemeral resource type", name);
	return NULL;
}

static struct tf_ctx make_ctx(struct tf_rpc *rpc, const struct tf_schema *schema,
			      struct tf_diags *d)
{
	pthread_mutex_lock(&rpc->meta_lock);
	void *meta = rpc->meta;
	pthread_mutex_unlock(&rpc->meta_lock);
	return (struct tf_ctx){ .diags = d, .meta = meta, .stopping = &rpc->stopping, .schema = schema };
}

/* Applies the "wholly known" rule to a result before it goes back. */
static void require_known(struct tf_diags *d, const struct tf_value *v, const char *rpc,
			  const char *type)
{
	char *where = tf_find_unknown(v);
	if (where) {
		tf_diag_add(d, TF_ERROR, NULL, "Provider returned an unknown value",
			    "%s for %s left %s unknown. This is a bug in the provider; please "
			    "report it.",
			    rpc, type, where);
		free(where);
	}
}

/* --- the RPCs ------------------------------------------------------------------ */

typedef void serve_fn(struct tf_rpc *rpc, const void *req, void *resp, struct arena *a,
		      struct tf_diags *d);

/* GetFunctions and GetResourceIdentitySchemas: we have none of either. */
static void serve_nothing(struct tf_rpc *rpc, const void *req, void *resp,
			  struct arena *a, struct tf_diags *d)
{
	(void)rpc, (void)req, (void)resp, (void)a, (void)d;
}

static void serve_StopProvider(struct tf_rpc *rpc, const void *req, void *resp,
			       struct arena *a, struct tf_diags *d)
{
	(void)req, (void)resp, (void)a, (void)d;
	atomic_store(&rpc->stopping, true);
	tf_log(TF_LOG_INFO, "stop requested: cancelling work in flight", NULL);
}

typedef int validate_fn(struct tf_ctx *c, const struct tf_value *config);

/* The schema's checks, then the type's own, on a configuration. */
static void validate_config(struct tf_rpc *rpc, const struct tf_schema *s, validate_fn *extra,
			    const Tfplugin6__DynamicValue *dv, struct tf_diags *d)
{
	struct tf_value *config = value_from_proto(dv, s->block.type, d);
	if (config) {
		struct tf_ctx c = make_ctx(rpc, s, d);
		tf_validate_config(&s->block, config, d);
		if (!tf_diags_has_errors(d) && extra)
			extra(&c, config);
	}
	tf_value_free(config);
}

static void serve_ValidateProviderConfig(struct tf_rpc *rpc, const void *req, void *resp,
					 struct arena *a, struct tf_diags *d)
{
	const Tfplugin6__ValidateProviderConfig__Request *in = req;
	(void)resp, (void)a;
	validate_config(rpc, rpc->provider_schema, rpc->provider->validate, in->config, d);
}

static void serve_ConfigureProvider(struct tf_rpc *rpc, const void *req, void *resp,
				    struct arena *a, struct tf_diags *d)
{
	const Tfplugin6__ConfigureProvider__Request *in = req;
	(void)resp, (void)a; /* diagnostics are all it answers */
	const struct tf_schema *s = rpc->provider_schema;
	struct tf_value *config = value_from_proto(in->config, s->block.type, d);
	void *meta = NULL;
	if (config && rpc->provider->configure) {
		struct tf_ctx c = make_ctx(rpc, s, d);
		if (rpc->provider->configure(&c, config, &meta) < 0)
			meta = NULL;
	}
	tf_value_free(config);
	pthread_mutex_lock(&rpc->meta_lock);
	void *old = rpc->meta;
	rpc->meta = meta;
	pthread_mutex_unlock(&rpc->meta_lock);
	if (old && rpc->provider->release)
		rpc->provider->release(old);
	tf_log(TF_LOG_DEBUG, "provider configured", "terraform_version",
	       in->terraform_version ? in->terraform_version : "", NULL);
}

static void serve_ValidateResourceConfig(struct tf_rpc *rpc, const void *req, void *resp,
					 struct arena *a, struct tf_diags *d)
{
	const Tfplugin6__ValidateResourceConfig__Request *in = req;
	const struct resource_entry *e = find_resource(rpc, in->type_name, d);
	(void)resp, (void)a;
	if (e)
		validate_config(rpc, e->schema, e->ops->validate, in->config, d);
}

static void serve_ValidateDataResourceConfig(struct tf_rpc *rpc, const void *req, void *resp,
					     struct arena *a, struct tf_diags *d)
{
	const Tfplugin6__ValidateDataResourceConfig__Request *in = req;
	const struct data_source_entry *e = find_data_source(rpc, in->type_name, d);
	(void)resp, (void)a;
	if (e)
		validate_config(rpc, e->schema, e->ops->validate, in->config, d);
}

static void serve_UpgradeResourceState(struct tf_rpc *rpc, const void *req, void *resp,
				       struct arena *a, struct tf_diags *d)
{
	const Tfplugin6__UpgradeResourceState__Request *in = req;
	Tfplugin6__UpgradeResourceState__Response *r = resp;
	const struct resource_entry *e = find_resource(rpc, in->type_name, d);
	if (!e)
		return;
	const struct tf_schema *s = e->schema;
	if (in->version > s->version) {
		tf_diag_add(d, TF_ERROR, NULL, "State written by a newer provider",
			    "The state of this %s has schema version %" PRId64 ", but this provider "
			    "knows versions up to %" PRId64 ". Upgrade the provider.",
			    in->type_name, in->version, s->version);
		return;
	}
	if (in->version < s->version && !e->ops->upgrade) {
		tf_diag_add(d, TF_ERROR, NULL, "Unsupported state version",
			    "The state of this %s has schema version %" PRId64 ", which this "
			    "provider cannot upgrade.",
			    in->type_name, in->version);
		return;
	}
	const Tfplugin6__RawState *raw = in->raw_state;
	if (raw && !raw->json.len && raw->n_flatmap) {
		tf_diag_add(d, TF_ERROR, NULL, "Unsupported state format",
			    "The state of this %s is in the flatmap format of Terraform 0.11. "
			    "Upgrade it with Terraform 0.12 first.",
			    in->type_name);
		return;
	}
	struct tf_value *v = raw && raw->json.len
				     ? tf_json_decode((const char *)raw->json.data, raw->json.len,
						      s->block.type, d)
				     : tf_value_new_null();
	if (v && !tf_value_is_null(v) && in->version < s->version) {
		struct tf_ctx c = make_ctx(rpc, s, d);
		tf_log(TF_LOG_DEBUG, "upgrading state", "type", in->type_name, NULL);
		if (e->ops->upgrade(&c, in->version, v) < 0) {
			tf_value_free(v);
			return;
		}
	}
	if (v)
		r->upgraded_state = value_to_proto(a, v, s->block.type, d);
	tf_value_free(v);
}

static void serve_ReadResource(struct tf_rpc *rpc, const void *req, void *resp,
			       struct arena *a, struct tf_diags *d)
{
	const Tfplugin6__ReadResource__Request *in = req;
	Tfplugin6__ReadResource__Response *r = resp;
	r->private_ = in->private_; /* passed through: borrowed from the request */
	const struct resource_entry *e = find_resource(rpc, in->type_name, d);
	if (!e)
		return;
	const struct tf_type *type = e->schema->block.type;
	struct tf_value *state = value_from_proto(in->current_state, type, d);
	if (!state)
		return;
	bool gone = false;
	if (!tf_value_is_null(state) && e->ops->read) {
		struct tf_ctx c = make_ctx(rpc, e->schema, d);
		if (e->ops->read(&c, state, &gone) < 0)
			gone = false; /* on error keep what we had: never lose a resource */
	}
	if (gone) {
		tf_log(TF_LOG_INFO, "resource no longer exists; it will be planned for creation",
		       "type", in->type_name, NULL);
		tf_value_free(state);
		state = tf_value_new_null();
	}
	require_known(d, state, "ReadResource", in->type_name);
	if (state)
		r->new_state = value_to_proto(a, state, type, d);
	tf_value_free(state);
}

static void serve_PlanResourceChange(struct tf_rpc *rpc, const void *req, void *resp,
				     struct arena *a, struct tf_diags *d)
{
	const Tfplugin6__PlanResourceChange__Request *in = req;
	Tfplugin6__PlanResourceChange__Response *r = resp;
	r->planned_private = in->prior_private;
	const struct resource_entry *e = find_resource(rpc, in->type_name, d);
	if (!e)
		return;
	const struct tf_type *type = e->schema->block.type;
	struct tf_value *prior = value_from_proto(in->prior_state, type, d);
	struct tf_value *proposed = value_from_proto(in->proposed_new_state, type, d);
	struct tf_value *config = value_from_proto(in->config, type, d);
	struct tf_value *planned = NULL;
	struct tf_paths replace = { 0 };

	if (!prior || !proposed || !config)
		goto out;
	if (tf_value_is_null(proposed)) { /* destroy */
		planned = tf_value_new_null();
	} else {
		planned = tf_plan_resource(&e->schema->block, prior, proposed, config, &replace);
		struct tf_ctx c = make_ctx(rpc, e->schema, d);
		if (planned && e->ops->plan)
			e->ops->plan(&c, tf_value_is_null(prior) ? NULL : prior, config, planned,
				     &replace);
	}
	if (!planned) {
		tf_diag_add(d, TF_ERROR, NULL, "Out of memory", "The provider ran out of memory.");
		goto out;
	}
	r->planned_state = value_to_proto(a, planned, type, d);
	r->requires_replace = arena_array(a, replace.n);
	for (size_t i = 0; r->requires_replace && i < replace.n; i++)
		if ((r->requires_replace[r->n_requires_replace] = path_to_proto(a, &replace.items[i])))
			r->n_requires_replace++;
out:
	tf_paths_release(&replace);
	tf_value_free(prior);
	tf_value_free(proposed);
	tf_value_free(config);
	tf_value_free(planned);
}

static void serve_ApplyResourceChange(struct tf_rpc *rpc, const void *req, void *resp,
				      struct arena *a, struct tf_diags *d)
{
	const Tfplugin6__ApplyResourceChange__Request *in = req;
	Tfplugin6__ApplyResourceChange__Response *r = resp;
	r->private_ = in->planned_private;
	const struct resource_entry *e = find_resource(rpc, in->type_name, d);
	if (!e)
		return;
	const struct tf_type *type = e->schema->block.type;
	struct tf_value *prior = value_from_proto(in->prior_state, type, d);
	struct tf_value *planned = value_from_proto(in->planned_state, type, d);
	struct tf_value *config = value_from_proto(in->config, type, d);
	struct tf_value *state = NULL;
	struct tf_ctx c = make_ctx(rpc, e->schema, d);

	if (!prior || !planned || !config)
		goto out;
	if (tf_value_is_null(planned)) {
		if (e->ops->destroy && e->ops->destroy(&c, prior) < 0)
			state = tf_value_dup(prior); /* still there: keep it in the state */
		else
			state = tf_value_new_null();
	} else if (tf_value_is_null(prior)) {
		state = tf_value_dup(planned);
		if (state && e->ops->create && e->ops->create(&c, config, state) < 0) {
			/* Nothing was made unless the handler says so by filling
			 * the state completely; a partial object is not stored. */
			if (!tf_value_is_known(state)) {
				tf_value_free(state);
				state = tf_value_new_null();
			}
		}
	} else {
		state = tf_value_dup(planned);
		if (state && e->ops->update && e->ops->update(&c, prior, config, state) < 0 &&
		    !tf_value_is_known(state)) {
			tf_value_free(state);
			state = tf_value_dup(prior);
		}
	}
	if (!state) {
		tf_diag_add(d, TF_ERROR, NULL, "Out of memory", "The provider ran out of memory.");
		goto out;
	}
	require_known(d, state, "ApplyResourceChange", in->type_name);
	if (tf_value_is_known(state))
		r->new_state = value_to_proto(a, state, type, d);
out:
	tf_value_free(prior);
	tf_value_free(planned);
	tf_value_free(config);
	tf_value_free(state);
}

static void serve_ImportResourceState(struct tf_rpc *rpc, const void *req, void *resp,
				      struct arena *a, struct tf_diags *d)
{
	const Tfplugin6__ImportResourceState__Request *in = req;
	Tfplugin6__ImportResourceState__Response *r = resp;
	const struct resource_entry *e = find_resource(rpc, in->type_name, d);
	if (!e)
		return;
	if (!e->ops->import) {
		tf_diag_add(d, TF_ERROR, NULL, "Resource Import Not Implemented",
			    "%s cannot be imported. Create it with this provider instead.",
			    in->type_name);
		return;
	}
	struct tf_value *state = tf_value_new_empty_block(&e->schema->block);
	struct tf_ctx c = make_ctx(rpc, e->schema, d);
	if (state && e->ops->import(&c, in->id ? in->id : "", state) == 0) {
		Tfplugin6__ImportResourceState__ImportedResource *ir =
			ARENA_NEW(a, Tfplugin6__ImportResourceState__ImportedResource);
		r->imported_resources = arena_array(a, 1);
		if (ir && r->imported_resources) {
			ir->type_name = in->type_name;
			ir->state = value_to_proto(a, state, e->schema->block.type, d);
			r->imported_resources[r->n_imported_resources++] = ir;
		}
	}
	tf_value_free(state);
}

static void serve_ReadDataSource(struct tf_rpc *rpc, const void *req, void *resp,
				 struct arena *a, struct tf_diags *d)
{
	const Tfplugin6__ReadDataSource__Request *in = req;
	Tfplugin6__ReadDataSource__Response *r = resp;
	const struct data_source_entry *e = find_data_source(rpc, in->type_name, d);
	if (!e)
		return;
	const struct tf_type *type = e->schema->block.type;
	struct tf_value *state = value_from_proto(in->config, type, d);
	struct tf_ctx c = make_ctx(rpc, e->schema, d);
	if (state && e->ops->read(&c, state) == 0) {
		require_known(d, state, "ReadDataSource", in->type_name);
		if (!tf_diags_has_errors(d))
			r->state = value_to_proto(a, state, type, d);
	}
	tf_value_free(state);
}

/* --- ephemeral resources ------------------------------------------------------- */

/* Copies a session's private data into the arena for the response (the
 * arena wipes it after sending) and sets the renewal time. */
static void session_to_proto(struct arena *a, const struct tf_ephemeral_session *s,
			     ProtobufCBinaryData *private_data, Google__Protobuf__Timestamp **renew_at)
{
	if (s->private_data.len && (private_data->data = arena_alloc(a, s->private_data.len))) {
		memcpy(private_data->data, s->private_data.data, s->private_data.len);
		private_data->len = s->private_data.len;
	}
	if (s->renew_at > 0 && (*renew_at = ARENA_NEW(a, Google__Protobuf__Timestamp)))
		(*renew_at)->seconds = s->renew_at;
}

static void serve_ValidateEphemeralResourceConfig(struct tf_rpc *rpc, const void *req, void *resp,
						  struct arena *a, struct tf_diags *d)
{
	const Tfplugin6__ValidateEphemeralResourceConfig__Request *in = req;
	const struct ephemeral_entry *e = find_ephemeral(rpc, in->type_name, d);
	(void)resp, (void)a;
	if (e)
		validate_config(rpc, e->schema, e->ops->validate, in->config, d);
}

static void serve_OpenEphemeralResource(struct tf_rpc *rpc, const void *req, void *resp,
					struct arena *a, struct tf_diags *d)
{
	const Tfplugin6__OpenEphemeralResource__Request *in = req;
	Tfplugin6__OpenEphemeralResource__Response *r = resp;
	const struct ephemeral_entry *e = find_ephemeral(rpc, in->type_name, d);
	if (!e)
		return;
	const struct tf_type *type = e->schema->block.type;
	struct tf_value *config = value_from_proto(in->config, type, d);
	struct tf_value *result = NULL;
	struct tf_ephemeral_session s = { 0 };
	struct tf_paths none = { 0 };

	if (!config)
		return;
	if (config->kind != TF_OBJECT) {
		tf_diag_add(d, TF_ERROR, NULL, "Missing configuration",
			    "OpenEphemeralResource for %s came without a configuration object. This "
			    "is a bug in Terraform or OpenTofu; please report it.",
			    in->type_name);
		goto out;
	}
	/* The starting point is a create's plan: defaults set, every other
	 * computed attribute unknown.  Terraform opens only wholly known
	 * configurations; any other is answered with its unknowns as they
	 * are, without opening anything. */
	result = tf_plan_resource(&e->schema->block, NULL, config, config, &none);
	if (!result) {
		tf_diag_add(d, TF_ERROR, NULL, "Out of memory", "The provider ran out of memory.");
		goto out;
	}
	if (tf_value_is_known(config)) {
		struct tf_ctx c = make_ctx(rpc, e->schema, d);
		if (e->ops->open(&c, result, &s) < 0)
			goto out;
		require_known(d, result, "OpenEphemeralResource", in->type_name);
		if (tf_diags_has_errors(d))
			goto out;
		session_to_proto(a, &s, &r->private_, &r->renew_at);
	}
	r->result = value_to_proto(a, result, type, d);
out:
	tf_bytes_release(&s.private_data); /* wipes it */
	tf_paths_release(&none);
	tf_value_free(config);
	tf_value_free(result);
}

static void serve_RenewEphemeralResource(struct tf_rpc *rpc, const void *req, void *resp,
					 struct arena *a, struct tf_diags *d)
{
	const Tfplugin6__RenewEphemeralResource__Request *in = req;
	Tfplugin6__RenewEphemeralResource__Response *r = resp;
	const struct ephemeral_entry *e = find_ephemeral(rpc, in->type_name, d);
	if (!e)
		return;
	if (!e->ops->renew) {
		tf_diag_add(d, TF_ERROR, NULL, "Renewal not supported",
			    "%s never asks to be renewed, yet Terraform renewed it. This is a "
			    "bug in the provider or in Terraform; please report it.",
			    in->type_name);
		return;
	}
	struct tf_ephemeral_session s = { 0 };
	struct tf_ctx c = make_ctx(rpc, e->schema, d);
	if (in->private_.len &&
	    tf_bytes_add(&s.private_data, in->private_.data, in->private_.len) < 0)
		tf_diag_add(d, TF_ERROR, NULL, "Out of memory", "The provider ran out of memory.");
	else if (e->ops->renew(&c, &s) == 0)
		session_to_proto(a, &s, &r->private_, &r->renew_at);
	tf_bytes_release(&s.private_data);
}

static void serve_CloseEphemeralResource(struct tf_rpc *rpc, const void *req, void *resp,
					 struct arena *a, struct tf_diags *d)
{
	const Tfplugin6__CloseEphemeralResource__Request *in = req;
	const struct ephemeral_entry *e = find_ephemeral(rpc, in->type_name, d);
	(void)resp, (void)a;
	if (e && e->ops->close) {
		struct tf_ctx c = make_ctx(rpc, e->schema, d);
		struct tf_bytes priv = { in->private_.data, in->private_.len, in->private_.len };
		e->ops->close(&c, &priv);
	}
}

/* --- dispatch ------------------------------------------------------------------ */

/* Every response has a diagnostics list at some field; find it by name. */
static void attach_diags(ProtobufCMessage *resp, struct arena *a, const struct tf_diags *d)
{
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field_by_name(resp->descriptor, "diagnostics");
	if (!f || !d->n)
		return;
	size_t n;
	Tfplugin6__Diagnostic **list = diags_to_proto(a, d, &n);
	*(size_t *)((char *)resp + f->quantifier_offset) = n;
	*(Tfplugin6__Diagnostic ***)((char *)resp + f->offset) = list;
}

struct rpc_def {
	const char *name;
	const ProtobufCMessageDescriptor *request, *response;
	serve_fn *serve;
};

static void log_diags(const struct rpc_def *def, const struct tf_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		char *path = tf_path_to_string(&d->items[i].path);
		tf_log(d->items[i].severity == TF_ERROR ? TF_LOG_ERROR : TF_LOG_WARN,
		       d->items[i].summary, "rpc", def->name, "detail", d->items[i].detail,
		       "attribute", path ? path : "", NULL);
		free(path);
	}
}

static grpc_status_code dispatch(struct tf_rpc *rpc, const struct rpc_def *def, const void *buf,
				 size_t len, struct tf_bytes *out, const char **detail)
{
	ProtobufCMessage *req = protobuf_c_message_unpack(def->request, NULL, len, buf);
	if (!req) {
		*detail = "malformed request";
		tf_log(TF_LOG_ERROR, "malformed request", "rpc", def->name, NULL);
		return GRPC_STATUS_INVALID_ARGUMENT;
	}
	const ProtobufCFieldDescriptor *tn =
		protobuf_c_message_descriptor_get_field_by_name(def->request, "type_name");
	tf_log(TF_LOG_DEBUG, "serving RPC", "rpc", def->name, "tf_resource_type",
	       tn ? *(char **)((char *)req + tn->offset) : NULL, NULL);

	struct arena a = { 0 };
	struct tf_diags d;
	grpc_status_code status = GRPC_STATUS_OK;
	ProtobufCMessage *resp = arena_alloc(&a, def->response->sizeof_message);
	tf_diags_init(&d);
	if (resp) {
		protobuf_c_message_init(def->response, resp);
		def->serve(rpc, req, resp, &a, &d);
		attach_diags(resp, &a, &d);
	}
	if (!resp || a.failed || tf_bytes_pack(out, resp) < 0) {
		*detail = "out of memory";
		status = GRPC_STATUS_RESOURCE_EXHAUSTED;
	}
	log_diags(def, &d);
	tf_diags_release(&d);
	arena_release(&a);
	protobuf_c_message_free_unpacked(req, NULL);
	return status;
}

/* GetMetadata and GetProviderSchema: a copy of one of rpc's packed replies
 * (`packed` points into rpc), packing both on the first call. */
static grpc_status_code reply_packed(struct tf_rpc *rpc, const struct tf_bytes *packed,
				     const char *name, struct tf_bytes *out, const char **detail)
{
	tf_log(TF_LOG_DEBUG, "serving RPC", "rpc", name, NULL);
	pthread_mutex_lock(&rpc->replies_lock);
	if (!rpc->replies_packed)
		rpc->replies_packed = pack_static_replies(rpc) == 0;
	out->data = rpc->replies_packed ? malloc(packed->len ? packed->len : 1) : NULL;
	if (out->data) {
		memcpy(out->data, packed->data, packed->len);
		out->len = out->alloc = packed->len;
	}
	pthread_mutex_unlock(&rpc->replies_lock);
	if (!out->data) {
		*detail = "out of memory";
		return GRPC_STATUS_RESOURCE_EXHAUSTED;
	}
	return GRPC_STATUS_OK;
}

static grpc_status_code rpc_GetMetadata(void *app, const void *buf, size_t len,
					struct tf_bytes *out, const char **detail)
{
	struct tf_rpc *rpc = app;
	(void)buf, (void)len;
	return reply_packed(rpc, &rpc->metadata_reply, "GetMetadata", out, detail);
}

static grpc_status_code rpc_GetProviderSchema(void *app, const void *buf, size_t len,
					      struct tf_bytes *out, const char **detail)
{
	struct tf_rpc *rpc = app;
	(void)buf, (void)len;
	return reply_packed(rpc, &rpc->schema_reply, "GetProviderSchema", out, detail);
}

/* The RPCs served through dispatch: name, the message prefix, the function. */
#define RPCS(X)                                                                          \
	X(GetResourceIdentitySchemas, get_resource_identity_schemas, serve_nothing)      \
	X(GetFunctions, get_functions, serve_nothing)                                    \
	X(ValidateProviderConfig, validate_provider_config, serve_ValidateProviderConfig) \
	X(ConfigureProvider, configure_provider, serve_ConfigureProvider)                \
	X(ValidateResourceConfig, validate_resource_config, serve_ValidateResourceConfig) \
	X(ValidateDataResourceConfig, validate_data_resource_config,                     \
	  serve_ValidateDataResourceConfig)                                              \
	X(UpgradeResourceState, upgrade_resource_state, serve_UpgradeResourceState)      \
	X(ReadResource, read_resource, serve_ReadResource)                               \
	X(PlanResourceChange, plan_resource_change, serve_PlanResourceChange)            \
	X(ApplyResourceChange, apply_resource_change, serve_ApplyResourceChange)         \
	X(ImportResourceState, import_resource_state, serve_ImportResourceState)         \
	X(ReadDataSource, read_data_source, serve_ReadDataSource)                        \
	X(ValidateEphemeralResourceConfig, validate_ephemeral_resource_config,           \
	  serve_ValidateEphemeralResourceConfig)                                         \
	X(OpenEphemeralResource, open_ephemeral_resource, serve_OpenEphemeralResource)   \
	X(RenewEphemeralResource, renew_ephemeral_resource, serve_RenewEphemeralResource) \
	X(CloseEphemeralResource, close_ephemeral_resource, serve_CloseEphemeralResource) \
	X(StopProvider, stop_provider, serve_StopProvider)

#define DEF(Name, lower, fn)                                                              \
	static const struct rpc_def def_##Name = {                                        \
		#Name, &tfplugin6__##lower##__request__descriptor,                        \
		&tfplugin6__##lower##__response__descriptor, fn };                        \
	static grpc_status_code rpc_##Name(void *app, const void *buf, size_t len,         \
					   struct tf_bytes *out, const char **detail)       \
	{                                                                                 \
		return dispatch(app, &def_##Name, buf, len, out, detail);                 \
	}
RPCS(DEF)
#undef DEF

#define METHOD(Name, lower, fn) \
	{ "/tfplugin6.Provider/" #Name, TF_METHOD_UNARY, rpc_##Name, NULL, 0 },
static const struct tf_method method_templates[] = {
	{ "/tfplugin6.Provider/GetMetadata", TF_METHOD_UNARY, rpc_GetMetadata, NULL, 0 },
	{ "/tfplugin6.Provider/GetProviderSchema", TF_METHOD_UNARY, rpc_GetProviderSchema, NULL, 0 },
	RPCS(METHOD)
};
#undef METHOD
#define N_METHODS (sizeof(method_templates) / sizeof(method_templates[0]))

/* --- setup ------------------------------------------------------------------------ */

static const struct tf_schema_file *find_file(const struct tf_schema_file *files, const char *path)
{
	for (; files->path; files++)
		if (strcmp(files->path, path) == 0)
			return files;
	return NULL;
}

/* The schema of schema/<provider>/<dir><file>.json, which must describe `name`. */
static const struct tf_schema *load_schema(const struct tf_schema_file *files, const char *dir,
				     const char *file, const char *name, enum tf_schema_kind kind,
				     char *err, size_t errlen)
{
	char path[256];
	snprintf(path, sizeof(path), "%s%s.json", dir, file);
	const struct tf_schema_file *f = find_file(files, path);
	if (!f) {
		snprintf(err, errlen, "no schema file %s for %s", path, name);
		return NULL;
	}
	const struct tf_schema *s = f->schema;
	if (s->kind != kind || strcmp(s->name, name) != 0) {
		snprintf(err, errlen, "%s: its kind or name does not match \"%s\"", path, name);
		return NULL;
	}
	return s;
}

static size_t count(const void *const *table)
{
	size_t n = 0;
	while (table && table[n])
		n++;
	return n;
}

struct tf_rpc *tf_rpc_new(const struct tf_provider *p, const struct tf_schema_file *files,
			  char *err, size_t errlen)
{
	struct tf_rpc *rpc = calloc(1, sizeof(*rpc));
	if (!rpc) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rpc->provider = p;
	atomic_init(&rpc->stopping, false);
	pthread_mutex_init(&rpc->meta_lock, NULL);
	pthread_mutex_init(&rpc->replies_lock, NULL);

	size_t n_files = 0;
	for (const struct tf_schema_file *f = files; f->path; f++)
		n_files++;
	rpc->n_resources = count((const void *const *)p->resources);
	rpc->n_data_sources = count((const void *const *)p->data_sources);
	rpc->n_ephemerals = count((const void *const *)p->ephemeral_resources);
	if (n_files != 1 + rpc->n_resources + rpc->n_data_sources + rpc->n_ephemerals) {
		snprintf(err, errlen,
			 "schema/%s has %zu files for 1 provider block, %zu resources, %zu data "
			 "sources and %zu ephemeral resources: every schema needs a handler and "
			 "every handler a schema",
			 p->name, n_files, rpc->n_resources, rpc->n_data_sources, rpc->n_ephemerals);
		goto fail;
	}
	rpc->resources = calloc(rpc->n_resources + 1, sizeof(*rpc->resources));
	rpc->data_sources = calloc(rpc->n_data_sources + 1, sizeof(*rpc->data_sources));
	rpc->ephemerals = calloc(rpc->n_ephemerals + 1, sizeof(*rpc->ephemerals));
	rpc->methods = malloc(sizeof(method_templates));
	rpc->method_table = calloc(N_METHODS + 1, sizeof(*rpc->method_table));
	if (!rpc->resources || !rpc->data_sources || !rpc->ephemerals || !rpc->methods ||
	    !rpc->method_table) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	rpc->provider_schema =
		load_schema(files, "", "provider", p->name, TF_SCHEMA_PROVIDER, err, errlen);
	if (!rpc->provider_schema)
		goto fail;
	for (size_t i = 0; i < rpc->n_resources; i++) {
		rpc->resources[i].ops = p->resources[i];
		rpc->resources[i].schema = load_schema(files, "resources/", p->resources[i]->name,
						       p->resources[i]->name, TF_SCHEMA_RESOURCE, err,
						       errlen);
		if (!rpc->resources[i].schema)
			goto fail;
	}
	for (size_t i = 0; i < rpc->n_data_sources; i++) {
		rpc->data_sources[i].ops = p->data_sources[i];
		rpc->data_sources[i].schema =
			load_schema(files, "data-sources/", p->data_sources[i]->name,
				    p->data_sources[i]->name, TF_SCHEMA_DATA_SOURCE, err, errlen);
		if (!rpc->data_sources[i].schema)
			goto fail;
	}
	for (size_t i = 0; i < rpc->n_ephemerals; i++) {
		const struct tf_ephemeral_resource *ops = p->ephemeral_resources[i];
		if (!ops->open) {
			snprintf(err, errlen, "ephemeral resource %s has no open slot", ops->name);
			goto fail;
		}
		rpc->ephemerals[i].ops = ops;
		rpc->ephemerals[i].schema =
			load_schema(files, "ephemeral-resources/", ops->name, ops->name,
				    TF_SCHEMA_EPHEMERAL_RESOURCE, err, errlen);
		if (!rpc->ephemerals[i].schema)
			goto fail;
	}
	memcpy(rpc->methods, method_templates, sizeof(method_templates));
	for (size_t i = 0; i < N_METHODS; i++) {
		rpc->methods[i].app = rpc;
		rpc->method_table[i] = &rpc->methods[i];
	}
	return rpc;
fail:
	tf_rpc_free(rpc);
	return NULL;
}

void tf_rpc_free(struct tf_rpc *rpc)
{
	if (!rpc)
		return;
	if (rpc->meta && rpc->provider->release)
		rpc->provider->release(rpc->meta);
	free(rpc->resources);
	free(rpc->data_sources);
	free(rpc->ephemerals);
	tf_bytes_release(&rpc->schema_reply);
	tf_bytes_release(&rpc->metadata_reply);
	free(rpc->methods);
	free(rpc->method_table);
	pthread_mutex_destroy(&rpc->meta_lock);
	pthread_mutex_destroy(&rpc->replies_lock);
	free(rpc);
}

const struct tf_method *const *tf_rpc_methods(struct tf_rpc *rpc)
{
	return rpc->method_table;
}

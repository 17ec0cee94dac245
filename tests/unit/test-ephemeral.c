/* test-ephemeral.c - the core's ephemeral resource RPCs over a provider
 * table of our own: the schema in GetProviderSchema and GetMetadata, Open
 * from the config with defaults, private data and renewal times carried
 * through Open, Renew and Close, and the errors of each. */
#include "test.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "provider.h"
#include "rpc.h"
#include "tfplugin6.pb-c.h"

/* A lease: Open takes one for `ttl` seconds, Renew extends it, Close gives
 * it back.  The token is the result; the lease name is the private data. */
static int opened, closed;
static char closed_lease[32];

static int lease_open(struct tf_ctx *c, struct tf_value *result, struct tf_ephemeral_session *s)
{
	int64_t ttl;
	char token[32];
	opened++;
	if (!tf_value_get_int(result, "ttl", &ttl) || ttl < 1) {
		tf_diag_error_at(c->diags, "ttl", "Bad ttl", "ttl must be positive.");
		return -1;
	}
	snprintf(token, sizeof(token), "tok-%lld", (long long)ttl);
	s->renew_at = 1000 + ttl;
	if (tf_bytes_add(&s->private_data, "lease-1", 7) < 0 ||
	    tf_value_set(result, "token", tf_value_new_string(token)) < 0)
		return -1;
	return 0;
}

static int lease_renew(struct tf_ctx *c, struct tf_ephemeral_session *s)
{
	if (s->private_data.len != 7 || memcmp(s->private_data.data, "lease-1", 7)) {
		tf_diag_error_at(c->diags, NULL, "Unknown lease", "Renew got another lease.");
		return -1;
	}
	tf_bytes_release(&s->private_data);
	s->renew_at = 2000;
	return tf_bytes_add(&s->private_data, "lease-2", 7);
}

static int lease_close(struct tf_ctx *c, const struct tf_bytes *private_data)
{
	(void)c;
	closed++;
	snprintf(closed_lease, sizeof(closed_lease), "%.*s", (int)private_data->len,
		 (const char *)private_data->data);
	return 0;
}

/* Leaves a computed attribute unknown: the core must refuse that. */
static int sloppy_open(struct tf_ctx *c, struct tf_value *result, struct tf_ephemeral_session *s)
{
	(void)c, (void)result, (void)s;
	return 0;
}

static const struct tf_ephemeral_resource lease = {
	.name = "test_lease", .open = lease_open, .renew = lease_renew, .close = lease_close,
};
static const struct tf_ephemeral_resource sloppy = { .name = "test_sloppy", .open = sloppy_open };
static const struct tf_ephemeral_resource *const ephemerals[] = { &lease, &sloppy, NULL };
static const struct tf_resource *const no_resources[] = { NULL };
static const struct tf_data_source *const no_data_sources[] = { NULL };

static const struct tf_provider test_provider = {
	.name = "test",
	.resources = no_resources,
	.data_sources = no_data_sources,
	.ephemeral_resources = ephemerals,
};

static const char lease_schema[] =
	"{\"kind\":\"ephemeral_resource\",\"name\":\"test_lease\",\"attributes\":{"
	"\"ttl\":{\"type\":\"number\",\"optional\":true,\"computed\":true,\"default\":60},"
	"\"token\":{\"type\":\"string\",\"computed\":true,\"sensitive\":true}}}";
static const char *const schema_texts[][2] = {
	{ "provider.json", "{\"kind\":\"provider\",\"name\":\"test\"}" },
	{ "ephemeral-resources/test_lease.json", lease_schema },
	{ "ephemeral-resources/test_sloppy.json",
	  "{\"kind\":\"ephemeral_resource\",\"name\":\"test_sloppy\",\"attributes\":{"
	  "\"out\":{\"type\":\"string\",\"computed\":true}}}" },
};
#define N_SCHEMAS N_(schema_texts)

/* The test provider's schema files, parsed as the build parses a provider's. */
struct schemas {
	struct tf_schema *parsed[N_SCHEMAS];
	struct tf_schema_file files[N_SCHEMAS + 1]; /* ends with { NULL, NULL } */
};

static int schemas_init(struct schemas *t, char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < N_SCHEMAS; i++) {
		t->parsed[i] = tf_schema_parse(schema_texts[i][0], schema_texts[i][1], err, errlen);
		if (!t->parsed[i])
			return -1;
		t->files[i] = (struct tf_schema_file){ schema_texts[i][0], t->parsed[i] };
	}
	return 0;
}

static void schemas_release(struct schemas *t)
{
	for (size_t i = 0; i < N_SCHEMAS; i++)
		tf_schema_free(t->parsed[i]);
}

/* The test provider served over its parsed schemas, or NULL with err set. */
static struct tf_rpc *test_rpc(struct schemas *t, char *err, size_t errlen)
{
	return schemas_init(t, err, errlen) == 0 ? tf_rpc_new(&test_provider, t->files, err, errlen)
						  : NULL;
}

/* The errors these tests provoke are expected: keep them out of the
 * runner's output, and the log level as the environment says after. */
static void quiet(bool on)
{
	if (on)
		setenv("TF_LOG_PROVIDER", "off", 1);
	else
		unsetenv("TF_LOG_PROVIDER");
	tf_log_init("provider");
}

/* A packed response of the RPC `lower` unpacked (free with
 * protobuf_c_message_free_unpacked), or NULL. */
#define UNPACK(lower, bytes)                                                              \
	((void *)protobuf_c_message_unpack(&tfplugin6__##lower##__response__descriptor, NULL, \
					   (bytes).len, (bytes).data))

/* Calls `name` with the packed request; the packed reply in *out. */
static int call(struct tf_rpc *rpc, const char *name, const ProtobufCMessage *req,
		struct tf_bytes *out)
{
	char path[128];
	snprintf(path, sizeof(path), "/tfplugin6.Provider/%s", name);
	struct tf_bytes in = { 0 };
	const char *detail = NULL;
	int rc = -1;
	for (const struct tf_method *const *m = tf_rpc_methods(rpc); *m; m++)
		if (!strcmp((*m)->path, path) && tf_bytes_pack(&in, req) == 0)
			rc = (*m)->serve((*m)->app, in.data, in.len, out, &detail) == GRPC_STATUS_OK ? 0 : -1;
	tf_bytes_release(&in);
	return rc;
}

/* The lease config {ttl = <ttl>} as msgpack (ttl NULL: null, "?": unknown). */
static int lease_config(const struct tf_schema *s, const char *ttl, struct tf_bytes *out)
{
	struct tf_value *v = tf_value_new_empty_block(&s->block);
	struct tf_diags d;
	tf_diags_init(&d);
	if (ttl)
		tf_value_set(v, "ttl", strcmp(ttl, "?") ? tf_value_new_number(ttl) : tf_value_new_unknown());
	int rc = tf_msgpack_encode(v, s->block.type, out, &d);
	tf_value_free(v);
	tf_diags_release(&d);
	return rc;
}

/* Opens test_lease; the unpacked response (free it) and the result decoded. */
static Tfplugin6__OpenEphemeralResource__Response *open_lease(struct tf_rpc *rpc,
							      const struct tf_schema *s,
							      const char *ttl,
							      struct tf_value **result)
{
	Tfplugin6__OpenEphemeralResource__Request req = TFPLUGIN6__OPEN_EPHEMERAL_RESOURCE__REQUEST__INIT;
	Tfplugin6__DynamicValue config = TFPLUGIN6__DYNAMIC_VALUE__INIT;
	struct tf_bytes cfg = { 0 }, out = { 0 };
	Tfplugin6__OpenEphemeralResource__Response *r = NULL;
	*result = NULL;
	req.type_name = "test_lease";
	req.config = &config;
	if (lease_config(s, ttl, &cfg) == 0) {
		config.msgpack.data = cfg.data;
		config.msgpack.len = cfg.len;
		if (call(rpc, "OpenEphemeralResource", &req.base, &out) == 0)
			r = UNPACK(open_ephemeral_resource, out);
	}
	if (r && r->result) {
		struct tf_diags d;
		tf_diags_init(&d);
		*result = tf_msgpack_decode(r->result->msgpack.data, r->result->msgpack.len,
					    s->block.type, &d);
		tf_diags_release(&d);
	}
	tf_bytes_release(&cfg);
	tf_bytes_release(&out);
	return r;
}

TEST_IMPL(ephemeral_schema_advertised)
{
	char err[256] = "";
	struct schemas t;
	struct tf_rpc *rpc = test_rpc(&t, err, sizeof(err));
	if (!rpc)
		TEST_FAIL_("%s", err);
	Tfplugin6__GetProviderSchema__Request sreq = TFPLUGIN6__GET_PROVIDER_SCHEMA__REQUEST__INIT;
	Tfplugin6__GetMetadata__Request mreq = TFPLUGIN6__GET_METADATA__REQUEST__INIT;
	struct tf_bytes sout = { 0 }, mout = { 0 };
	ASSERT_INT_EQ(call(rpc, "GetProviderSchema", &sreq.base, &sout), 0);
	ASSERT_INT_EQ(call(rpc, "GetMetadata", &mreq.base, &mout), 0);
	Tfplugin6__GetProviderSchema__Response *sr =
		UNPACK(get_provider_schema, sout);
	Tfplugin6__GetMetadata__Response *mr =
		UNPACK(get_metadata, mout);
	ASSERT_NOT_NULL(sr);
	ASSERT_NOT_NULL(mr);
	ASSERT_INT_EQ(sr->n_ephemeral_resource_schemas, 2);
	ASSERT_STR_EQ(sr->ephemeral_resource_schemas[0]->key, "test_lease");
	const Tfplugin6__Schema__Block *b = sr->ephemeral_resource_schemas[0]->value->block;
	ASSERT_INT_EQ(b->n_attributes, 2);
	ASSERT_STR_EQ(b->attributes[0]->name, "token");
	ASSERT(b->attributes[0]->computed && b->attributes[0]->sensitive && !b->attributes[0]->optional);
	ASSERT_INT_EQ(sr->n_resource_schemas + sr->n_data_source_schemas, 0);
	ASSERT_INT_EQ(mr->n_ephemeral_resources, 2);
	ASSERT_STR_EQ(mr->ephemeral_resources[1]->type_name, "test_sloppy");
	protobuf_c_message_free_unpacked(&sr->base, NULL);
	protobuf_c_message_free_unpacked(&mr->base, NULL);
	tf_bytes_release(&sout);
	tf_bytes_release(&mout);
	tf_rpc_free(rpc);

	/* a handler without a schema, and one without an open slot */
	const struct tf_schema_file two[] = { t.files[0], t.files[1], { NULL, NULL } };
	ASSERT_NULL(tf_rpc_new(&test_provider, two, err, sizeof(err)));
	ASSERT(strstr(err, "2 ephemeral resources") != NULL);
	static const struct tf_ephemeral_resource no_open = { .name = "test_lease" };
	static const struct tf_ephemeral_resource *const bad[] = { &no_open, NULL };
	struct tf_provider p = test_provider;
	p.ephemeral_resources = bad;
	ASSERT_NULL(tf_rpc_new(&p, two, err, sizeof(err)));
	ASSERT(strstr(err, "no open slot") != NULL);
	schemas_release(&t);
	return 0;
}

TEST_IMPL(ephemeral_open_renew_close)
{
	quiet(true);
	char err[256] = "";
	struct schemas t;
	struct tf_rpc *rpc = test_rpc(&t, err, sizeof(err));
	const struct tf_schema *s = t.parsed[1]; /* test_lease */
	struct tf_value *result;
	if (!rpc)
		TEST_FAIL_("%s", err);
	opened = closed = 0;

	/* the default fills ttl; the handler's private data and renewal go out */
	Tfplugin6__OpenEphemeralResource__Response *r = open_lease(rpc, s, NULL, &result);
	ASSERT_NOT_NULL(r);
	ASSERT_INT_EQ(r->n_diagnostics, 0);
	ASSERT_NOT_NULL(result);
	ASSERT_STR_EQ(tf_value_get_string(result, "token"), "tok-60");
	ASSERT_MEM_EQ(r->private_.data, r->private_.len, "lease-1", (size_t)7);
	ASSERT_NOT_NULL(r->renew_at);
	ASSERT_INT_EQ(r->renew_at->seconds, 1060);
	tf_value_free(result);
	protobuf_c_message_free_unpacked(&r->base, NULL);

	/* an unknown config is answered unknown, without opening anything */
	r = open_lease(rpc, s, "?", &result);
	ASSERT(r && result && r->n_diagnostics == 0 && !r->private_.len && !r->renew_at);
	ASSERT(tf_value_is_unknown(tf_value_get(result, "token")));
	ASSERT_INT_EQ(opened, 1);
	tf_value_free(result);
	protobuf_c_message_free_unpacked(&r->base, NULL);

	/* a failed open answers its error and no result */
	r = open_lease(rpc, s, "0", &result);
	ASSERT(r && !r->result && !r->private_.len && r->n_diagnostics == 1);
	ASSERT_STR_EQ(r->diagnostics[0]->summary, "Bad ttl");
	protobuf_c_message_free_unpacked(&r->base, NULL);

	/* Renew gets Open's private data and may replace it */
	Tfplugin6__RenewEphemeralResource__Request rq = TFPLUGIN6__RENEW_EPHEMERAL_RESOURCE__REQUEST__INIT;
	struct tf_bytes out = { 0 };
	rq.type_name = "test_lease";
	rq.private_.data = (uint8_t *)"lease-1";
	rq.private_.len = 7;
	ASSERT_INT_EQ(call(rpc, "RenewEphemeralResource", &rq.base, &out), 0);
	Tfplugin6__RenewEphemeralResource__Response *rr =
		UNPACK(renew_ephemeral_resource, out);
	ASSERT(rr && rr->n_diagnostics == 0 && rr->renew_at && rr->renew_at->seconds == 2000);
	ASSERT_MEM_EQ(rr->private_.data, rr->private_.len, "lease-2", (size_t)7);
	protobuf_c_message_free_unpacked(&rr->base, NULL);
	tf_bytes_release(&out);

	/* Close gets the last private data */
	Tfplugin6__CloseEphemeralResource__Request cq = TFPLUGIN6__CLOSE_EPHEMERAL_RESOURCE__REQUEST__INIT;
	cq.type_name = "test_lease";
	cq.private_.data = (uint8_t *)"lease-2";
	cq.private_.len = 7;
	ASSERT_INT_EQ(call(rpc, "CloseEphemeralResource", &cq.base, &out), 0);
	ASSERT_INT_EQ(closed, 1);
	ASSERT_STR_EQ(closed_lease, "lease-2");
	tf_bytes_release(&out);

	tf_rpc_free(rpc);
	schemas_release(&t);
	quiet(false);
	return 0;
}

/* Errors: an unknown type, a result left unknown, a renewal never asked for. */
TEST_IMPL(ephemeral_errors)
{
	quiet(true);
	char err[256] = "";
	struct schemas t;
	struct tf_rpc *rpc = test_rpc(&t, err, sizeof(err));
	if (!rpc)
		TEST_FAIL_("%s", err);
	struct tf_bytes out = { 0 };

	Tfplugin6__ValidateEphemeralResourceConfig__Request vq =
		TFPLUGIN6__VALIDATE_EPHEMERAL_RESOURCE_CONFIG__REQUEST__INIT;
	vq.type_name = "test_nothing";
	ASSERT_INT_EQ(call(rpc, "ValidateEphemeralResourceConfig", &vq.base, &out), 0);
	Tfplugin6__ValidateEphemeralResourceConfig__Response *vr =
		UNPACK(validate_ephemeral_resource_config, out);
	ASSERT(vr && vr->n_diagnostics == 1);
	ASSERT(strstr(vr->diagnostics[0]->detail, "no ephemeral resource type named \"test_nothing\""));
	protobuf_c_message_free_unpacked(&vr->base, NULL);
	tf_bytes_release(&out);

	/* no config at all; then one the handler leaves unknown */
	static const char *const summaries[] = { "Missing configuration",
						 "Provider returned an unknown value" };
	Tfplugin6__OpenEphemeralResource__Request oq = TFPLUGIN6__OPEN_EPHEMERAL_RESOURCE__REQUEST__INIT;
	Tfplugin6__DynamicValue config = TFPLUGIN6__DYNAMIC_VALUE__INIT;
	static const uint8_t out_null[] = { 0x81, 0xa3, 'o', 'u', 't', 0xc0 }; /* {out: nil} */
	oq.type_name = "test_sloppy";
	for (int i = 0; i < 2; i++) {
		if (i) {
			config.msgpack.data = (uint8_t *)out_null;
			config.msgpack.len = sizeof(out_null);
			oq.config = &config;
		}
		ASSERT_INT_EQ(call(rpc, "OpenEphemeralResource", &oq.base, &out), 0);
		Tfplugin6__OpenEphemeralResource__Response *orr =
			UNPACK(open_ephemeral_resource, out);
		ASSERT(orr && !orr->result && orr->n_diagnostics == 1);
		ASSERT_STR_EQ(orr->diagnostics[0]->summary, summaries[i]);
		protobuf_c_message_free_unpacked(&orr->base, NULL);
		tf_bytes_release(&out);
	}

	/* a type without a renew slot; a renewal without private data */
	static const char *const renewals[][2] = { { "test_sloppy", "Renewal not supported" },
						   { "test_lease", "Unknown lease" } };
	for (int i = 0; i < 2; i++) {
		Tfplugin6__RenewEphemeralResource__Request rq =
			TFPLUGIN6__RENEW_EPHEMERAL_RESOURCE__REQUEST__INIT;
		rq.type_name = (char *)renewals[i][0];
		ASSERT_INT_EQ(call(rpc, "RenewEphemeralResource", &rq.base, &out), 0);
		Tfplugin6__RenewEphemeralResource__Response *rr =
			UNPACK(renew_ephemeral_resource, out);
		ASSERT(rr && rr->n_diagnostics == 1 && !rr->renew_at && !rr->private_.len);
		ASSERT_STR_EQ(rr->diagnostics[0]->summary, renewals[i][1]);
		protobuf_c_message_free_unpacked(&rr->base, NULL);
		tf_bytes_release(&out);
	}

	/* Close without a close slot: nothing to do, no error */
	Tfplugin6__CloseEphemeralResource__Request cq = TFPLUGIN6__CLOSE_EPHEMERAL_RESOURCE__REQUEST__INIT;
	cq.type_name = "test_sloppy";
	ASSERT_INT_EQ(call(rpc, "CloseEphemeralResource", &cq.base, &out), 0);
	Tfplugin6__CloseEphemeralResource__Response *cr =
		UNPACK(close_ephemeral_resource, out);
	ASSERT(cr && cr->n_diagnostics == 0);
	protobuf_c_message_free_unpacked(&cr->base, NULL);
	tf_bytes_release(&out);

	tf_rpc_free(rpc);
	schemas_release(&t);
	quiet(false);
	return 0;
}

/*
 * fuzz_rpc.c - tfplugin6 requests, through the same entry points the gRPC
 * server calls (tf_rpc_methods: protobuf-c's unpacker, the msgpack and
 * JSON decoding of every value along the schema, the protocol's rules and
 * the provider's slots).
 *
 * The provider is `random` (local only: no network, no files).  Input: one
 * byte choosing the method (modulo their number), then the request bytes.
 * Every method must answer OK or INVALID_ARGUMENT ("malformed request").
 */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"
#include "rpc.h"

static struct tf_rpc *rpc;
static const struct tf_method *const *methods;
static size_t n_methods;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	char err[256];
	fuzz_quiet();
	rpc = tf_rpc_new(&thingform_provider, thingform_schema_files, err, sizeof(err));
	if (!rpc) {
		fprintf(stderr, "fuzz_rpc: %s\n", err);
		abort();
	}
	methods = tf_rpc_methods(rpc);
	while (methods[n_methods])
		n_methods++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const struct tf_method *m = methods[data[0] % n_methods];
	if (m->kind != TF_METHOD_UNARY)
		return 0;
	struct tf_bytes resp = { 0 };
	const char *detail = NULL;
	grpc_status_code st = m->serve(m->app, data + 1, size - 1, &resp, &detail);
	FUZZ_CHECK(st == GRPC_STATUS_OK || st == GRPC_STATUS_INVALID_ARGUMENT);
	FUZZ_CHECK(st == GRPC_STATUS_OK ? resp.data != NULL || resp.len == 0 : detail != NULL);
	tf_bytes_release(&resp);
	return 0;
}

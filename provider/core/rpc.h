/*
 * rpc.h - tfplugin6 served from a provider table and its schemas.
 *
 * This is where protobuf and msgpack end: requests are unpacked, values
 * decoded with the schema's types, the generic protocol rules applied
 * (plan.h) and the provider's slots called with plain struct tf_value.
 */
#ifndef THINGFORM_RPC_H
#define THINGFORM_RPC_H

#include <protobuf-c/protobuf-c.h>

#include "provider.h"
#include "server.h"

struct tf_rpc;

/* Checks the schemas against the provider's tables and borrows them (files
 * must outlive rpc); NULL with a message in err if a handler has no schema,
 * a schema no handler, or a file describes another type. */
struct tf_rpc *tf_rpc_new(const struct tf_provider *p, const struct tf_schema_file *files,
			  char *err, size_t errlen);
void tf_rpc_free(struct tf_rpc *rpc);
/* The tfplugin6.Provider methods, NULL-terminated, owned by rpc. */
const struct tf_method *const *tf_rpc_methods(struct tf_rpc *rpc);

/* Packs a protobuf-c message into out (replacing its contents); 0 or -1. */
int tf_bytes_pack(struct tf_bytes *out, const ProtobufCMessage *msg);

#endif

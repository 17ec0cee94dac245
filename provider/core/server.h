/*
 * server.h - a gRPC C core server with worker threads.
 *
 * The server knows methods only as paths and bytes: the protocol layers
 * (rpc.c for tfplugin6, go-shim for go-plugin's side services) give it
 * tables of struct tf_method.  Terraform calls RPCs concurrently, so each
 * call is served on one of a pool of threads; a method that is not in a
 * table answers UNIMPLEMENTED.
 */
#ifndef THINGFORM_SERVER_H
#define THINGFORM_SERVER_H

#include <stddef.h>

#include <grpc/grpc.h>

#include "codec.h"

enum tf_method_kind {
	TF_METHOD_UNARY,
	/* A stream we accept and keep open, sending nothing, until the client
	 * goes away or the server stops (go-plugin's stdio and broker). */
	TF_METHOD_HOLD,
};

/*
 * Serves one unary call: decode `req`, fill `resp`, return GRPC_STATUS_OK;
 * or return another status with a static message in *detail.
 */
typedef grpc_status_code tf_unary_fn(void *app, const void *req, size_t len, struct tf_bytes *resp,
				     const char **detail);

struct tf_method {
	const char *path;          /* "/tfplugin6.Provider/GetProviderSchema" */
	enum tf_method_kind kind;
	tf_unary_fn *serve;        /* UNARY */
	void *app;                 /* passed to serve */
	int stops_server;          /* once answered, the server shuts down */
};

struct tf_server;

/*
 * Starts listening on `addr` ("unix:/path") with `creds` (taken) for the
 * methods of every NULL-terminated table in `tables` (borrowed, must
 * outlive the server).  Returns NULL with a message in err on failure.
 * Connections wait in the queue until tf_server_serve.
 */
struct tf_server *tf_server_start(const char *addr, grpc_server_credentials *creds,
				  const struct tf_method *const *tables[], size_t n_tables,
				  char *err, size_t errlen);
/* Starts the worker threads, which accept the connections and serve the
 * calls; 0, or -1 when no thread could be started.  A plugin announces its
 * address first, so that they start while the client reads it. */
int tf_server_serve(struct tf_server *s);
/* A descriptor that polls readable once a stops_server method has been
 * answered: wait on it beside whatever else stops the server. */
int tf_server_stop_fd(const struct tf_server *s);
/* Stops accepting, cancels what is in flight, joins the workers, frees. */
void tf_server_free(struct tf_server *s);

#endif

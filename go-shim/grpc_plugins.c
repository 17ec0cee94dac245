/*
 * grpc_plugins.c - the parts of gRPC core a plugin server registers.
 *
 * gRPC core builds its process-wide configuration (filters, handshakers,
 * resolvers, load-balancing policies, xDS) in one function,
 * grpc_core::BuildCoreConfiguration, defined in an archive member of its
 * own.  A provider is only ever a gRPC server on a Unix socket: it never
 * opens a client channel, so it needs no resolver, no load balancing, no
 * client filters, no proxy mapper and none of xDS.  Defining the function
 * here keeps the linker from pulling that member out of the static
 * libgrpc.a, and with it everything only that member refers to: more than
 * half of gRPC's code (xDS and its protos, RE2, the client channel, its
 * resolvers and policies; 3.4 MB less in the executable), which would
 * otherwise be mapped and resident beside the code we do run.
 *
 * What remains is what gRPC's own function registers for a server, in its
 * order (the handshaker order matters): channel-argument preconditioning,
 * the security handshakers (TLS), the idle and max-age filters, the HTTP
 * and compression filters, deadlines, message-size limits, the resource
 * quota, the server's authorization filter, and the built-in filters that
 * connect a channel to its transport.
 *
 * Only the static build links this file (see the Makefile): a shared
 * libgrpc calls its own definition.  The functions are gRPC's internal C++
 * API, taking a CoreConfiguration::Builder pointer and returning nothing,
 * so they are declared under their mangled names; if a gRPC upgrade
 * renames one, the link fails rather than the server starting without it.
 */

struct grpc_core_builder;

#define GRPC_CORE_REGISTER(name, mangled) \
	void name(struct grpc_core_builder *builder) __asm__(mangled);

#define BUILDER "EPN9grpc_core17CoreConfiguration7BuilderE"
#define CORE_BUILDER "EPNS_17CoreConfiguration7BuilderE"

GRPC_CORE_REGISTER(build_core_configuration,
		   "_ZN9grpc_core22BuildCoreConfiguration" CORE_BUILDER)
GRPC_CORE_REGISTER(register_event_engine_arg_preconditioning,
		   "_ZN17grpc_event_engine12experimental44"
		   "RegisterEventEngineChannelArgPreconditioning" BUILDER)
GRPC_CORE_REGISTER(register_security_handshakers,
		   "_ZN9grpc_core35SecurityRegisterHandshakerFactories" CORE_BUILDER)
GRPC_CORE_REGISTER(register_channel_idle_filters,
		   "_ZN9grpc_core26RegisterChannelIdleFilters" CORE_BUILDER)
GRPC_CORE_REGISTER(register_http_filters, "_ZN9grpc_core19RegisterHttpFilters" CORE_BUILDER)
GRPC_CORE_REGISTER(register_deadline_filter,
		   "_ZN9grpc_core22RegisterDeadlineFilter" CORE_BUILDER)
GRPC_CORE_REGISTER(register_message_size_filter,
		   "_ZN9grpc_core25RegisterMessageSizeFilter" CORE_BUILDER)
GRPC_CORE_REGISTER(register_resource_quota, "_ZN9grpc_core21RegisterResourceQuota" CORE_BUILDER)
GRPC_CORE_REGISTER(register_security_filters,
		   "_ZN9grpc_core23RegisterSecurityFilters" CORE_BUILDER)
GRPC_CORE_REGISTER(register_builtins, "_ZN9grpc_core16RegisterBuiltins" CORE_BUILDER)

void build_core_configuration(struct grpc_core_builder *builder)
{
	register_event_engine_arg_preconditioning(builder);
	register_security_handshakers(builder);
	register_channel_idle_filters(builder);
	register_http_filters(builder);
	register_deadline_filter(builder);
	register_message_size_filter(builder);
	register_resource_quota(builder);
	register_security_filters(builder);
	register_builtins(builder);
}

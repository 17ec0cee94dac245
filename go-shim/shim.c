/*
 * shim.c - the go-plugin server side: what Terraform and OpenTofu expect of
 * any plugin executable they start.
 *
 *   1. refuse to run without the magic cookie (a hint for humans);
 *   2. pick protocol 6 from PLUGIN_PROTOCOL_VERSIONS;
 *   3. listen on a unix socket in a private (0700) directory;
 *   4. with PLUGIN_CLIENT_CERT: mutual TLS pinned to that certificate,
 *      our own certificate in the handshake line; without it: plaintext;
 *   5. print "1|6|unix|PATH|grpc|CERT" and serve until
 *      GRPCController.Shutdown, SIGTERM or the exit of the process that
 *      started us, ignoring SIGINT as go-plugin does: Ctrl-C reaches
 *      Terraform, which sends StopProvider.
 *
 * Every way out of serve() removes the socket and its directory.  Only
 * SIGKILL (or a crash) leaves them behind; the next start makes a new
 * directory of its own, so a stale one hinders nothing.
 *
 * `--debug` serves plaintext without the cookie and prints a
 * TF_REATTACH_PROVIDERS value instead, until Ctrl-C.
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <grpc/grpc.h>
#include <grpc/grpc_security.h>

#include "grpc/health/v1/health.pb-c.h"
#include "log.h"
#include "mtls.h"
#include "ossl.h"
#include "plugin/grpc_controller.pb-c.h"
#include "rpc.h"
#include "server.h"
#include "shim.h"

#define MAGIC_COOKIE_KEY "TF_PLUGIN_MAGIC_COOKIE"
#define MAGIC_COOKIE_VALUE "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
#define PROTOCOL_VERSION 6

#ifndef THINGFORM_VERSION
#define THINGFORM_VERSION "dev"
#endif

/* --- go-plugin's side services ------------------------------------------ */

static grpc_status_code serve_health(void *app, const void *req, size_t len, struct tf_bytes *resp,
				     const char **detail)
{
	(void)app;
	Grpc__Health__V1__HealthCheckRequest *in =
		grpc__health__v1__health_check_request__unpack(NULL, len, req);
	if (!in) {
		*detail = "malformed HealthCheckRequest";
		return GRPC_STATUS_INVALID_ARGUMENT;
	}
	bool known = !*in->service || strcmp(in->service, "plugin") == 0;
	grpc__health__v1__health_check_request__free_unpacked(in, NULL);
	if (!known) {
		*detail = "unknown service; this plugin serves \"plugin\"";
		return GRPC_STATUS_NOT_FOUND;
	}
	Grpc__Health__V1__HealthCheckResponse out = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__INIT;
	out.status = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING;
	return tf_bytes_pack(resp, &out.base) ? GRPC_STATUS_RESOURCE_EXHAUSTED : GRPC_STATUS_OK;
}

static grpc_status_code serve_shutdown(void *app, const void *req, size_t len,
				       struct tf_bytes *resp, const char **detail)
{
	(void)app, (void)req, (void)len, (void)detail;
	Plugin__Empty out = PLUGIN__EMPTY__INIT;
	tf_log(TF_LOG_DEBUG, "shutdown requested by the client", NULL);
	return tf_bytes_pack(resp, &out.base) ? GRPC_STATUS_RESOURCE_EXHAUSTED : GRPC_STATUS_OK;
}

static const struct tf_method health_check = {
	.path = "/grpc.health.v1.Health/Check", .kind = TF_METHOD_UNARY, .serve = serve_health,
};
static const struct tf_method controller_shutdown = {
	.path = "/plugin.GRPCController/Shutdown", .kind = TF_METHOD_UNARY,
	.serve = serve_shutdown, .stops_server = 1,
};
/* Terraform opens stdio at connect and may start a broker stream; a
 * provider routes neither stdout nor connections, so both stay open idle. */
static const struct tf_method stdio_stream = {
	.path = "/plugin.GRPCStdio/StreamStdio", .kind = TF_METHOD_HOLD,
};
static const struct tf_method broker_stream = {
	.path = "/plugin.GRPCBroker/StartStream", .kind = TF_METHOD_HOLD,
};
static const struct tf_method *const side_services[] = {
	&health_check, &controller_shutdown, &stdio_stream, &broker_stream, NULL,
};

/* --- the handshake ---------------------------------------------------------- */

struct options {
	bool debug;
	const char *provider_address; /* for the reattach line */
};

static bool offers_protocol(const char *list, int version)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", list ? list : "");
	for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (atoi(tok) == version)
			return true;
	return false;
}

/* A 0700 directory of our own for the socket (removed by cleanup). */
static int make_socket_dir(char *dir, size_t len)
{
	const char *base = getenv("PLUGIN_UNIX_SOCKET_DIR");
	if (!base || !*base)
		base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	if ((size_t)snprintf(dir, len, "%s/thingform-XXXXXX", base) >= len)
		return -1;
	return mkdtemp(dir) ? 0 : -1;
}

/*
 * What stops the server: its stop descriptor, readable once Shutdown is
 * answered; the signals in `set`, blocked in every thread and read from a
 * signalfd; and, when Terraform started us, the exit of our parent, seen
 * once a second as a change of getppid() (we are re-parented).
 * PR_SET_PDEATHSIG would fire when the forking thread of Terraform's exits,
 * not the process; a pidfd is unknown to valgrind 3.19, which the memcheck
 * tests run us under.  Stdin's end means nothing here: go-plugin hands the
 * plugin Terraform's own stdin, which may well be /dev/null.  The main
 * thread waits for them itself, as it has nothing else to do while the
 * workers serve.
 */
enum { PARENT_CHECK_MS = 1000 };

struct stop_watch {
	sigset_t set;
	int signals;   /* signalfd, or -1 */
	pid_t parent;  /* the parent to watch, or 0 */
};

/* Blocks the signals in w->set in this thread and every thread it starts
 * later, and opens the signalfd; -1 (errno set) when it cannot. */
static int stop_watch_open(struct stop_watch *w, bool watch_parent)
{
	pthread_sigmask(SIG_BLOCK, &w->set, NULL);
	w->parent = watch_parent ? getppid() : 0;
	w->signals = signalfd(-1, &w->set, SFD_CLOEXEC);
	return w->signals < 0 ? -1 : 0;
}

/* Returns once something says stop. */
static void wait_for_stop(const struct stop_watch *w, int server_stop)
{
	struct pollfd fds[] = {
		{ .fd = server_stop, .events = POLLIN },
		{ .fd = w->signals, .events = POLLIN },
	};
	for (;;) {
		if (poll(fds, 2, w->parent ? PARENT_CHECK_MS : -1) < 0) {
			if (errno != EINTR) { /* ENOMEM: try again in a while */
				tf_log(TF_LOG_WARN, "cannot watch for a stop", "error",
				       strerror(errno), NULL);
				poll(NULL, 0, PARENT_CHECK_MS);
			}
			continue;
		}
		if (fds[0].revents)
			return; /* serve_shutdown has said so */
		struct signalfd_siginfo si;
		if (fds[1].revents && read(w->signals, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			tf_log(TF_LOG_DEBUG, "stopping on a signal", "signal",
			       strsignal((int)si.ssi_signo), NULL);
			return;
		}
		if (w->parent && getppid() != w->parent) {
			tf_log(TF_LOG_DEBUG, "stopping: the process that started the plugin exited",
			       NULL);
			return;
		}
	}
}

static void print_reattach(const struct options *o, const char *socket_path)
{
	printf("Provider started. To attach Terraform CLI or OpenTofu, set the "
	       "TF_REATTACH_PROVIDERS environment variable with the following:\n\n"
	       "\tTF_REATTACH_PROVIDERS='{\"%s\":{\"Protocol\":\"grpc\",\"ProtocolVersion\":%d,"
	       "\"Pid\":%ld,\"Test\":true,\"Addr\":{\"Network\":\"unix\",\"String\":\"%s\"}}}'\n\n"
	       "Stop it with Ctrl-C.\n",
	       o->provider_address, PROTOCOL_VERSION, (long)getpid(), socket_path);
	fflush(stdout);
}

static grpc_server_credentials *credentials(const struct options *o, struct tf_mtls_cert *cert,
					    char *err, size_t errlen)
{
	const char *client_cert = getenv("PLUGIN_CLIENT_CERT");
	if (o->debug || !client_cert || !*client_cert)
		return grpc_insecure_server_credentials_create();
	if (tf_mtls_generate(cert, err, errlen) < 0)
		return NULL;
	grpc_ssl_pem_key_cert_pair pair = { cert->key_pem, cert->cert_pem };
	/* Trust exactly the client's certificate, never the system roots. */
	return grpc_ssl_server_credentials_create_ex(
		client_cert, &pair, 1, GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY, NULL);
}

static int serve(const struct options *o, struct tf_rpc *rpc)
{
	char dir[PATH_MAX - 32], socket_path[PATH_MAX], addr[PATH_MAX + 8], err[256] = "";
	struct tf_mtls_cert cert = { 0 };
	struct stop_watch watch;
	int rc = 1;

	/* Before any thread starts: gRPC's and ours inherit the mask. */
	sigemptyset(&watch.set);
	sigaddset(&watch.set, SIGTERM);
	if (o->debug)
		sigaddset(&watch.set, SIGINT);
	else
		signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	if (stop_watch_open(&watch, !o->debug) < 0) {
		fprintf(stderr, "cannot watch for signals: %s\n", strerror(errno));
		return 1;
	}

	if (make_socket_dir(dir, sizeof(dir)) < 0) {
		fprintf(stderr, "cannot create a private directory for the plugin socket: %s\n",
			strerror(errno));
		close(watch.signals);
		return 1;
	}
	snprintf(socket_path, sizeof(socket_path), "%s/plugin.sock", dir);
	snprintf(addr, sizeof(addr), "unix:%s", socket_path);

	grpc_init();
	grpc_server_credentials *creds = credentials(o, &cert, err, sizeof(err));
	const struct tf_method *const *tables[] = { tf_rpc_methods(rpc), side_services };
	struct tf_server *server =
		creds ? tf_server_start(addr, creds, tables, 2, err, sizeof(err)) : NULL;
	/* gRPC parses PLUGIN_CLIENT_CERT as it starts listening and reports a
	 * bad one only as a failure to listen: when mutual TLS fails to start,
	 * say whether the certificate was the cause.  (Checking it before
	 * would parse it twice on every start, at 1.1 M instructions.) */
	if (!server && cert.cert_b64)
		tf_mtls_check_client_cert(getenv("PLUGIN_CLIENT_CERT"), err, sizeof(err));
	if (!server) {
		fprintf(stderr, "cannot start the plugin server: %s\n", err);
		tf_log(TF_LOG_ERROR, "cannot start the plugin server", "error", err, NULL);
		goto out;
	}
	if (o->debug)
		print_reattach(o, socket_path);
	else
		printf("1|%d|unix|%s|grpc|%s\n", PROTOCOL_VERSION, socket_path,
		       cert.cert_b64 ? cert.cert_b64 : "");
	fflush(stdout);
	tf_log(TF_LOG_DEBUG, "plugin started", "address", socket_path, "tls",
	       cert.cert_b64 ? "mutual" : "off", NULL);

	if (tf_server_serve(server) < 0) {
		fprintf(stderr, "cannot start the plugin's worker threads\n");
		tf_log(TF_LOG_ERROR, "cannot start the plugin's worker threads", NULL);
	} else {
		wait_for_stop(&watch, tf_server_stop_fd(server));
		rc = 0;
	}
	tf_server_free(server);
out:
	grpc_shutdown_blocking(); /* grpc_shutdown may leave the clean-up to a thread */
	tf_mtls_release(&cert);
	unlink(socket_path);
	rmdir(dir);
	close(watch.signals);
	return rc;
}

static void usage(const char *name)
{
	fprintf(stderr,
		"usage: %s [--debug] [--version]\n\n"
		"This is a Terraform/OpenTofu provider plugin; terraform or tofu starts it.\n"
		"  --debug    serve without Terraform starting it and print a\n"
		"             TF_REATTACH_PROVIDERS value to use (stop with Ctrl-C)\n"
		"  --version  print the version and exit\n",
		name);
}

int tf_shim_main(int argc, char **argv, const struct tf_provider *provider,
		 const struct tf_schema_file *schema_files)
{
	struct options o = { 0 };
	char address[128], err[512];

	tf_ossl_init();

	snprintf(address, sizeof(address), "%s/%s", THINGFORM_PROVIDER_NAMESPACE, provider->name);
	o.provider_address = address;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--debug") == 0 || strcmp(argv[i], "-debug") == 0) {
			o.debug = true;
		} else if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-version") == 0) {
			printf("thingform %s provider %s\n", provider->name, THINGFORM_VERSION);
			return 0;
		} else {
			usage(argv[0]);
			return 2;
		}
	}
	if (!o.debug) {
		const char *cookie = getenv(MAGIC_COOKIE_KEY);
		if (!cookie || strcmp(cookie, MAGIC_COOKIE_VALUE) != 0) {
			fprintf(stderr,
				"This is the thingform %s provider, a plugin for Terraform and OpenTofu.\n"
				"It is not meant to be run by hand: declare it in a configuration's\n"
				"required_providers block and run terraform or tofu, which start it.\n"
				"To debug it, run it with --debug.\n",
				provider->name);
			return 1;
		}
		if (!offers_protocol(getenv("PLUGIN_PROTOCOL_VERSIONS"), PROTOCOL_VERSION))
			tf_log(TF_LOG_WARN, "the client did not offer protocol 6; it will refuse us",
			       "offered", getenv("PLUGIN_PROTOCOL_VERSIONS"), NULL);
	}

	/* Every worker and gRPC thread would otherwise get a malloc arena of
	 * its own (up to 8 per core); requests are small and short, and two
	 * arenas hold a plan or apply's memory in about 1 MiB less. */
	mallopt(M_ARENA_MAX, 2);
	tf_log_init(provider->name);
	struct tf_rpc *rpc = tf_rpc_new(provider, schema_files, err, sizeof(err));
	if (!rpc) {
		fprintf(stderr, "%s provider: %s\n", provider->name, err);
		return 1;
	}
	int rc = serve(&o, rpc);
	tf_rpc_free(rpc);
	return rc;
}

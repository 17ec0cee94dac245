/*
 * server.c - gRPC C core server: one completion queue, a pool of workers.
 *
 * Every call is a struct call used as the completion-queue tag.  Its life:
 *
 *   WAITING  a request for the next call of its method is posted;
 *            when it completes, a fresh WAITING call is posted for the same
 *            method first (so the method is always listening), then:
 *              unary        -> run the handler, send reply  -> REPLYING
 *              hold stream  -> send headers, wait for close -> HOLDING
 *              unregistered -> send UNIMPLEMENTED           -> REPLYING
 *   HOLDING  the peer closed or the server cancelled: send status -> REPLYING
 *   REPLYING the last batch finished: free the call.
 *
 * A worker runs a handler to completion, so concurrency is the number of
 * workers; handlers that wait on the network (AWS) block only their own.
 * The pool starts small and grows by one whenever the last idle worker
 * takes an event, so there is always a worker on the queue: Terraform
 * sends as many calls at once as its -parallelism allows (go-plugin serves
 * each in its own goroutine), and a fixed pool would cap that silently.
 * It never shrinks; MAX_WORKERS bounds it.
 *
 * Shutting down: gRPC reports the server shut down once its connections
 * are gone, which can be while a worker still runs a handler whose reply
 * is not sent yet.  A batch started on a shut-down completion queue aborts
 * the process, so the queue is shut down only when that report has come
 * and the last struct call is freed (`live_calls`).
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/slice.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>
#include <openssl/crypto.h>

#include "log.h"
#include "server.h"

enum { MIN_WORKERS = 2, MAX_WORKERS = 256, WORKER_STACK = 1 << 20, MAX_MESSAGE = 256 << 20 };

enum call_state { WAITING, HOLDING, REPLYING, SHUTDOWN_TAG };

struct call {
	enum call_state state;
	struct tf_server *srv;
	const struct tf_method *method; /* NULL: unregistered (generic) */
	void *registration;
	grpc_call *call;
	gpr_timespec deadline;
	grpc_metadata_array request_md;
	grpc_call_details details;      /* generic calls only */
	grpc_byte_buffer *payload;
	grpc_byte_buffer *reply;
	int cancelled;
};

struct tf_server {
	grpc_server *server;
	grpc_completion_queue *cq;
	pthread_t workers[MAX_WORKERS]; /* guarded by lock, fixed once shutting_down */
	size_t n_workers;
	size_t n_idle;          /* workers waiting on the queue */
	const struct tf_method **methods;
	void **registrations;
	size_t n_methods;
	struct call shutdown_tag;

	int stop_fd;            /* eventfd, readable once a stopping method answered */
	pthread_mutex_t lock;
	bool shutting_down;     /* tf_server_free has begun */
	bool server_shut_down;  /* gRPC delivered the shutdown tag */
	size_t live_calls;      /* struct calls not yet freed */
};

static void post_wait(struct tf_server *s, size_t index_or_generic);

/*
 * A tag passes from the thread that starts an operation to the worker that
 * takes its event off the completion queue, and gRPC orders the two: all
 * the first thread wrote to the call happens before the event.  gRPC is not
 * built with ThreadSanitizer, so TSan cannot see that ordering by itself;
 * under TSan (make TSAN=1) these two calls state it, and nothing else.
 */
#if defined(__SANITIZE_THREAD__)
#define TF_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TF_TSAN 1
#endif
#endif
#ifdef TF_TSAN
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
static void tag_handed_to_grpc(void *tag) { __tsan_release(tag); }
static void tag_taken_from_grpc(void *tag) { __tsan_acquire(tag); }
#else
static void tag_handed_to_grpc(void *tag) { (void)tag; }
static void tag_taken_from_grpc(void *tag) { (void)tag; }
#endif

enum shutdown_event { CALL_FREED, SERVER_SHUT_DOWN };

/* Counts one of the two things the queue's shutdown waits for, and shuts it
 * down once gRPC's server and all our calls are done (see the top). */
static void shutdown_progress(struct tf_server *s, enum shutdown_event ev)
{
	pthread_mutex_lock(&s->lock);
	if (ev == CALL_FREED)
		s->live_calls--;
	else
		s->server_shut_down = true;
	bool done = s->server_shut_down && s->live_calls == 0;
	pthread_mutex_unlock(&s->lock);
	if (done)
		grpc_completion_queue_shutdown(s->cq);
}

static struct call *call_new(struct tf_server *s, const struct tf_method *m, void *registration)
{
	struct call *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	pthread_mutex_lock(&s->lock);
	s->live_calls++;
	pthread_mutex_unlock(&s->lock);
	c->state = WAITING;
	c->srv = s;
	c->method = m;
	c->registration = registration;
	grpc_metadata_array_init(&c->request_md);
	grpc_call_details_init(&c->details);
	return c;
}

static void call_free(struct call *c)
{
	if (c->call)
		grpc_call_unref(c->call);
	if (c->payload)
		grpc_byte_buffer_destroy(c->payload);
	if (c->reply)
		grpc_byte_buffer_destroy(c->reply);
	grpc_metadata_array_destroy(&c->request_md);
	grpc_call_details_destroy(&c->details);
	struct tf_server *s = c->srv;
	free(c);
	shutdown_progress(s, CALL_FREED);
}

static bool shutting_down(struct tf_server *s)
{
	pthread_mutex_lock(&s->lock);
	bool down = s->shutting_down;
	pthread_mutex_unlock(&s->lock);
	return down;
}

/* Posts a request for the next call of method `i` (n_methods: generic). */
static void post_wait(struct tf_server *s, size_t i)
{
	if (shutting_down(s))
		return;
	const struct tf_method *m = i < s->n_methods ? s->methods[i] : NULL;
	void *registration = i < s->n_methods ? s->registrations[i] : NULL;
	struct call *c = call_new(s, m, registration);
	if (!c) {
		tf_log(TF_LOG_ERROR, "out of memory: cannot listen for the next call", NULL);
		return;
	}
	grpc_call_error err;
	tag_handed_to_grpc(c); /* past this point, c is read only if the request fails */
	if (m)
		err = grpc_server_request_registered_call(s->server, registration, &c->call,
							  &c->deadline, &c->request_md,
							  m->kind == TF_METHOD_UNARY ? &c->payload : NULL,
							  s->cq, s->cq, c);
	else
		err = grpc_server_request_call(s->server, &c->call, &c->details, &c->request_md,
					       s->cq, s->cq, c);
	if (err != GRPC_CALL_OK) {
		tf_log(TF_LOG_ERROR, "cannot listen for the next call", "error",
		       grpc_call_error_to_string(err), NULL);
		call_free(c);
	}
}

static void start_batch(struct call *c, grpc_op *ops, size_t n)
{
	grpc_call *call = c->call;
	tag_handed_to_grpc(c); /* past this point, c is read only if the batch fails */
	grpc_call_error err = grpc_call_start_batch(call, ops, n, c, NULL);
	if (err != GRPC_CALL_OK) {
		tf_log(TF_LOG_ERROR, "cannot answer a call", "error", grpc_call_error_to_string(err),
		       NULL);
		call_free(c);
	}
}

/* Sends headers (unless already sent), the reply if any, and the status. */
static void reply(struct call *c, bool headers, grpc_status_code status, const char *detail)
{
	grpc_op ops[4];
	size_t n = 0;
	grpc_slice details = grpc_slice_from_static_string(detail ? detail : "");

	memset(ops, 0, sizeof(ops));
	if (headers)
		ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
	if (c->reply) {
		ops[n].op = GRPC_OP_SEND_MESSAGE;
		ops[n++].data.send_message.send_message = c->reply;
	}
	ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
	ops[n].data.send_status_from_server.status = status;
	ops[n++].data.send_status_from_server.status_details = detail ? &details : NULL;
	if (headers) {
		ops[n].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
		ops[n++].data.recv_close_on_server.cancelled = &c->cancelled;
	}
	c->state = REPLYING;
	start_batch(c, ops, n);
}

/* Reads a whole (possibly fragmented) message into one malloc'd block. */
static void *payload_bytes(grpc_byte_buffer *bb, size_t *len)
{
	grpc_byte_buffer_reader reader;
	*len = 0;
	if (!bb)
		return calloc(1, 1);
	if (!grpc_byte_buffer_reader_init(&reader, bb))
		return NULL;
	grpc_slice all = grpc_byte_buffer_reader_readall(&reader);
	grpc_byte_buffer_reader_destroy(&reader);
	*len = GRPC_SLICE_LENGTH(all);
	void *copy = malloc(*len ? *len : 1);
	if (copy)
		memcpy(copy, GRPC_SLICE_START_PTR(all), *len);
	grpc_slice_unref(all);
	return copy;
}

static void serve_unary(struct call *c)
{
	const struct tf_method *m = c->method;
	struct tf_bytes resp = { 0 };
	const char *detail = NULL;
	grpc_status_code status;
	size_t len;
	void *req = payload_bytes(c->payload, &len);

	if (!req) {
		status = GRPC_STATUS_RESOURCE_EXHAUSTED;
		detail = "out of memory reading the request";
	} else {
		status = m->serve(m->app, req, len, &resp, &detail);
	}
	OPENSSL_clear_free(req, len); /* requests carry configs, and configs secrets */
	if (status == GRPC_STATUS_OK) {
		grpc_slice s = grpc_slice_from_copied_buffer((const char *)resp.data, resp.len);
		c->reply = grpc_raw_byte_buffer_create(&s, 1);
		grpc_slice_unref(s);
	}
	tf_bytes_release(&resp);
	reply(c, true, status, detail);
}

static void hold(struct call *c)
{
	grpc_op ops[2];
	memset(ops, 0, sizeof(ops));
	ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
	ops[1].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
	ops[1].data.recv_close_on_server.cancelled = &c->cancelled;
	c->state = HOLDING;
	start_batch(c, ops, 2);
}

static size_t method_index(struct tf_server *s, const struct call *c)
{
	for (size_t i = 0; i < s->n_methods; i++)
		if (s->methods[i] == c->method)
			return i;
	return s->n_methods;
}

static void request_stop(struct tf_server *s)
{
	uint64_t one = 1;
	/* Fails only when the counter is full, and then it is readable anyway. */
	if (write(s->stop_fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		tf_log(TF_LOG_DEBUG, "a stop was already requested", NULL);
}

static void handle(struct call *c, bool ok)
{
	struct tf_server *s = c->srv;

	switch (c->state) {
	case WAITING:
		if (!ok) { /* the server is shutting down */
			call_free(c);
			return;
		}
		post_wait(s, method_index(s, c));
		if (!c->method) {
			char *name = grpc_slice_to_c_string(c->details.method);
			tf_log(TF_LOG_DEBUG, "unimplemented RPC", "rpc", name, NULL);
			gpr_free(name);
			reply(c, true, GRPC_STATUS_UNIMPLEMENTED, "not served by this provider");
		} else if (c->method->kind == TF_METHOD_UNARY) {
			serve_unary(c);
		} else {
			hold(c);
		}
		return;
	case HOLDING:
		reply(c, false, GRPC_STATUS_OK, NULL);
		return;
	case REPLYING:
		if (c->method && c->method->stops_server)
			request_stop(s);
		call_free(c);
		return;
	case SHUTDOWN_TAG:
		shutdown_progress(s, SERVER_SHUT_DOWN);
		return;
	}
}

static void *worker(void *arg);

/* Starts one more worker unless the pool is full or closing; called with
 * s->lock held.  False if none was started. */
static bool add_worker_locked(struct tf_server *s)
{
	if (s->shutting_down || s->n_workers == MAX_WORKERS)
		return false;
	pthread_attr_t attr;
	if (pthread_attr_init(&attr) != 0)
		return false;
	pthread_attr_setstacksize(&attr, WORKER_STACK);
	bool started = pthread_create(&s->workers[s->n_workers], &attr, worker, s) == 0;
	pthread_attr_destroy(&attr);
	if (started) {
		s->n_workers++;
		s->n_idle++;
	} else {
		tf_log(TF_LOG_WARN, "cannot start another worker thread; calls will wait", NULL);
	}
	return started;
}

static void *worker(void *arg)
{
	struct tf_server *s = arg;
	for (;;) {
		grpc_event ev = grpc_completion_queue_next(s->cq, gpr_inf_future(GPR_CLOCK_REALTIME),
							   NULL);
		if (ev.type == GRPC_QUEUE_SHUTDOWN)
			return NULL;
		if (ev.type != GRPC_OP_COMPLETE)
			continue;
		pthread_mutex_lock(&s->lock);
		if (--s->n_idle == 0)
			add_worker_locked(s);
		pthread_mutex_unlock(&s->lock);

		tag_taken_from_grpc(ev.tag);
		handle(ev.tag, ev.success != 0);

		pthread_mutex_lock(&s->lock);
		s->n_idle++;
		pthread_mutex_unlock(&s->lock);
	}
}

struct tf_server *tf_server_start(const char *addr, grpc_server_credentials *creds,
				  const struct tf_method *const *tables[], size_t n_tables,
				  char *err, size_t errlen)
{
	struct tf_server *s = calloc(1, sizeof(*s));
	size_t n = 0;
	for (size_t t = 0; t < n_tables; t++)
		for (const struct tf_method *const *m = tables[t]; *m; m++)
			n++;
	if (!s || !(s->methods = calloc(n + 1, sizeof(*s->methods))) ||
	    !(s->registrations = calloc(n + 1, sizeof(*s->registrations)))) {
		snprintf(err, errlen, "out of memory");
		goto fail_alloc;
	}
	s->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->stop_fd < 0) {
		snprintf(err, errlen, "cannot create an eventfd: %s", strerror(errno));
		goto fail_alloc;
	}
	pthread_mutex_init(&s->lock, NULL);
	s->shutdown_tag.state = SHUTDOWN_TAG;
	s->shutdown_tag.srv = s;

	grpc_arg args[] = {
		{ GRPC_ARG_INTEGER, GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, { .integer = MAX_MESSAGE } },
		{ GRPC_ARG_INTEGER, GRPC_ARG_MAX_SEND_MESSAGE_LENGTH, { .integer = MAX_MESSAGE } },
	};
	grpc_channel_args chargs = { sizeof(args) / sizeof(args[0]), args };
	s->server = grpc_server_create(&chargs, NULL);
	s->cq = grpc_completion_queue_create_for_next(NULL);
	grpc_server_register_completion_queue(s->server, s->cq, NULL);
	for (size_t t = 0; t < n_tables; t++) {
		for (const struct tf_method *const *m = tables[t]; *m; m++) {
			bool unary = (*m)->kind == TF_METHOD_UNARY;
			s->methods[s->n_methods] = *m;
			s->registrations[s->n_methods++] = grpc_server_register_method(
				s->server, (*m)->path, NULL,
				unary ? GRPC_SRM_PAYLOAD_READ_INITIAL_BYTE_BUFFER : GRPC_SRM_PAYLOAD_NONE, 0);
		}
	}
	int port = grpc_server_add_http2_port(s->server, addr, creds);
	grpc_server_credentials_release(creds);
	if (port == 0) {
		snprintf(err, errlen, "cannot listen on %s", addr);
		goto fail_server;
	}
	grpc_server_start(s->server);
	for (size_t i = 0; i <= s->n_methods; i++)
		post_wait(s, i);
	return s;

fail_server:
	grpc_server_destroy(s->server);
	grpc_completion_queue_shutdown(s->cq);
	while (grpc_completion_queue_next(s->cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL).type !=
	       GRPC_QUEUE_SHUTDOWN)
		;
	grpc_completion_queue_destroy(s->cq);
	pthread_mutex_destroy(&s->lock);
	close(s->stop_fd);
fail_alloc:
	if (s) {
		free(s->methods);
		free(s->registrations);
	}
	free(s);
	return NULL;
}

int tf_server_serve(struct tf_server *s)
{
	pthread_mutex_lock(&s->lock);
	while (s->n_workers < MIN_WORKERS && add_worker_locked(s))
		;
	bool none = s->n_workers == 0;
	pthread_mutex_unlock(&s->lock);
	return none ? -1 : 0;
}

int tf_server_stop_fd(const struct tf_server *s)
{
	return s->stop_fd;
}

void tf_server_free(struct tf_server *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->shutting_down = true;
	pthread_mutex_unlock(&s->lock);

	/* The shutdown tag completes once gRPC's connections are gone, and
	 * cancelling the held streams is what lets that happen; the queue
	 * shuts down when, besides, the last call is freed (see the top). */
	tag_handed_to_grpc(&s->shutdown_tag);
	grpc_server_shutdown_and_notify(s->server, s->cq, &s->shutdown_tag);
	grpc_server_cancel_all_calls(s->server);
	for (size_t i = 0; i < s->n_workers; i++)
		pthread_join(s->workers[i], NULL);
	if (s->n_workers == 0) { /* none ever started: this thread drains the queue */
		s->n_idle = 1;
		worker(s);
	}
	grpc_server_destroy(s->server);
	grpc_completion_queue_destroy(s->cq);
	pthread_mutex_destroy(&s->lock);
	close(s->stop_fd);
	free(s->methods);
	free(s->registrations);
	free(s);
}

/*
 * ratelimit.c - adaptive client-side rate limiting (see ratelimit.h).
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ratelimit.h"

#define BETA 0.7           /* rate kept after a throttle */
#define SCALE 0.4          /* CUBIC's growth constant */
#define MIN_FILL 0.5       /* requests per second, at least */
#define SMOOTH 0.8         /* weight of the newest measured rate */
#define BUCKET 0.5         /* seconds per measuring bucket */
#define MAX_OPS 256        /* distinct operation names tracked */
#define RECHECK 0.05       /* seconds between a waiter's looks at a fill rate that may have grown */

/*
 * Send tokens are handed out in the order they were asked for: each waiter
 * holds a ticket (0, 1, ...) and ticket k may send once `supply`, the tokens
 * produced so far, reaches k + 1.  An idle limiter banks at most `capacity`
 * tokens ahead of the tickets.
 */
struct limiter {
	char *op;
	bool enabled;
	double fill_rate, capacity, supply, last_refill;
	unsigned long tickets;
	double measured, bucket_start;
	long bucket_count;
	double max_rate, last_throttle, k;
};

struct aws_limiters {
	pthread_mutex_t lock;
	struct limiter *items;
	size_t n;
};

static double bucket_of(double t)
{
	return floor(t / BUCKET) * BUCKET;
}

double aws_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int aws_sleep(double seconds, const atomic_bool *stopping)
{
	double end = aws_now() + seconds;
	for (;;) {
		if (stopping && atomic_load(stopping))
			return -1;
		double left = end - aws_now();
		if (left <= 0)
			return 0;
		double step = left < 0.02 ? left : 0.02;
		struct timespec ts = { 0, (long)(step * 1e9) };
		nanosleep(&ts, NULL);
	}
}

struct aws_limiters *aws_limiters_new(void)
{
	struct aws_limiters *l = calloc(1, sizeof(*l));
	if (l && (l->items = calloc(MAX_OPS, sizeof(*l->items))) == NULL) {
		free(l);
		return NULL;
	}
	if (l)
		pthread_mutex_init(&l->lock, NULL);
	return l;
}

void aws_limiters_free(struct aws_limiters *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].op);
	free(l->items);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

/* The limiter of `op` (lock held); NULL when the table is full or out of memory. */
static struct limiter *find(struct aws_limiters *l, const char *op, double now)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->items[i].op, op))
			return &l->items[i];
	if (l->n == MAX_OPS)
		return NULL;
	struct limiter *t = &l->items[l->n];
	memset(t, 0, sizeof(*t));
	if (!(t->op = strdup(op)))
		return NULL;
	t->bucket_start = bucket_of(now);
	l->n++;
	return t;
}

static void bank_at_most_capacity(struct limiter *t)
{
	double most = (double)t->tickets + t->capacity;
	if (t->supply > most)
		t->supply = most;
}

static void refill(struct limiter *t, double now)
{
	t->supply += (now - t->last_refill) * t->fill_rate;
	t->last_refill = now;
	bank_at_most_capacity(t);
}

/* Counts a request sent now. */
static void measure(struct limiter *t, double now)
{
	double bucket = bucket_of(now);
	t->bucket_count++;
	if (bucket > t->bucket_start) {
		double rate = (double)t->bucket_count / (bucket - t->bucket_start);
		t->measured = rate * SMOOTH + t->measured * (1 - SMOOTH);
		t->bucket_count = 0;
		t->bucket_start = bucket;
	}
}

long aws_limiter_enqueue(struct aws_limiters *l, const char *op, double now)
{
	pthread_mutex_lock(&l->lock);
	struct limiter *t = find(l, op, now);
	long ticket = -1;
	if (t && t->enabled) {
		refill(t, now); /* banks up to capacity before this ticket, not after */
		ticket = (long)t->tickets++;
	} else if (t) {
		measure(t, now);
	}
	pthread_mutex_unlock(&l->lock);
	return ticket;
}

double aws_limiter_due(struct aws_limiters *l, const char *op, long ticket, double now)
{
	pthread_mutex_lock(&l->lock);
	struct limiter *t = find(l, op, now);
	double wait = 0;
	if (t) {
		refill(t, now);
		wait = ((double)ticket + 1 - t->supply) / t->fill_rate;
		if (wait <= 0)
			measure(t, now);
	}
	pthread_mutex_unlock(&l->lock);
	return wait;
}

/* A waiter that gives up hands its turn to those behind it. */
static void leave(struct aws_limiters *l, const char *op)
{
	pthread_mutex_lock(&l->lock);
	struct limiter *t = find(l, op, aws_now());
	if (t)
		t->supply += 1;
	pthread_mutex_unlock(&l->lock);
}

/*
 * A waiter sleeps until its own ticket comes up, not until the next token:
 * waking them all for each token would let a late one take it ahead of one
 * that has waited long, and a request could wait without end behind others.
 * It looks again every RECHECK seconds because the fill rate may have grown.
 */
int aws_limiter_acquire(struct aws_limiters *l, const char *op, const atomic_bool *stopping)
{
	long ticket = aws_limiter_enqueue(l, op, aws_now());
	if (ticket < 0)
		return 0;
	for (;;) {
		double wait = aws_limiter_due(l, op, ticket, aws_now());
		if (wait <= 0)
			return 0;
		if (aws_sleep(wait < RECHECK ? wait : RECHECK, stopping) < 0) {
			leave(l, op);
			return -1;
		}
	}
}

/*
 * The measured send rate.  An operation's first burst is often throttled
 * before a whole bucket has been counted; the partial bucket, taken as if it
 * were whole, stands in then (an underestimate), where 0 would cut the rate
 * to its floor and leave the quota idle for seconds while it grows back.
 * Sends are counted, not answers: a throttle is answered sooner than the
 * requests let through before it, so it can be the burst's first answer.
 */
static double send_rate(const struct limiter *t)
{
	return t->measured > 0 ? t->measured : (double)t->bucket_count / BUCKET;
}

static void set_rate(struct limiter *t, double rate, double now)
{
	refill(t, now);
	t->fill_rate = rate > MIN_FILL ? rate : MIN_FILL;
	t->capacity = rate > 1 ? rate : 1;
	bank_at_most_capacity(t);
}

void aws_limiter_update_at(struct aws_limiters *l, const char *op, bool throttled, double sent,
			   double now)
{
	pthread_mutex_lock(&l->lock);
	struct limiter *t = find(l, op, now);
	double rate, sending;
	if (!t) {
		pthread_mutex_unlock(&l->lock);
		return;
	}
	sending = send_rate(t);
	/*
	 * A throttle of a request sent before the last cut tells of the rate
	 * that cut already answered.  Cutting again for each of them would take
	 * the rate to its floor after one burst (TCP, too, cuts once per loss
	 * event).
	 */
	if (throttled && t->enabled && sent < t->last_throttle) {
		pthread_mutex_unlock(&l->lock);
		return;
	}
	if (throttled) {
		double base = t->enabled && t->fill_rate < sending ? t->fill_rate : sending;
		if (!t->enabled)
			t->last_refill = now;
		t->max_rate = base;
		t->k = cbrt(base * (1 - BETA) / SCALE);
		t->last_throttle = now;
		t->enabled = true;
		rate = base * BETA;
	} else {
		double x = now - t->last_throttle - t->k;
		rate = SCALE * x * x * x + t->max_rate;
	}
	if (t->enabled) {
		if (rate > 2 * sending)
			rate = 2 * sending;
		set_rate(t, rate, now);
	}
	/*
	 * The service has no room now: tokens banked while idle would send the
	 * retry at once, to be throttled again and cut the rate again.  The next
	 * request waits one interval at the new rate.
	 */
	if (throttled && t->supply > (double)t->tickets)
		t->supply = (double)t->tickets;
	pthread_mutex_unlock(&l->lock);
}

void aws_limiter_update(struct aws_limiters *l, const char *op, bool throttled, double sent)
{
	aws_limiter_update_at(l, op, throttled, sent, aws_now());
}

double aws_limiter_rate(struct aws_limiters *l, const char *op)
{
	pthread_mutex_lock(&l->lock);
	struct limiter *t = find(l, op, aws_now());
	double r = t && t->enabled ? t->fill_rate : 0;
	pthread_mutex_unlock(&l->lock);
	return r;
}

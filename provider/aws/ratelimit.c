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

struct limiter {
	char *op;
	bool enabled;
	double fill_rate, capacity, tokens, last_refill;
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
static struct limiter *find(struct aws_limiters *l, const char *op)
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
	t->bucket_start = bucket_of(aws_now());
	l->n++;
	return t;
}

static void refill(struct limiter *t, double now)
{
	t->tokens += (now - t->last_refill) * t->fill_rate;
	if (t->tokens > t->capacity)
		t->tokens = t->capacity;
	t->last_refill = now;
}

/* Seconds to wait before a token is free (0: took one). */
static double take(struct limiter *t)
{
	if (!t->enabled)
		return 0;
	refill(t, aws_now());
	if (t->tokens >= 1) {
		t->tokens -= 1;
		return 0;
	}
	return (1 - t->tokens) / t->fill_rate;
}

int aws_limiter_acquire(struct aws_limiters *l, const char *op, const atomic_bool *stopping)
{
	for (;;) {
		pthread_mutex_lock(&l->lock);
		struct limiter *t = find(l, op);
		double wait = t ? take(t) : 0;
		pthread_mutex_unlock(&l->lock);
		if (wait <= 0)
			return 0;
		if (aws_sleep(wait, stopping) < 0)
			return -1;
	}
}

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

static void set_rate(struct limiter *t, double rate, double now)
{
	refill(t, now);
	t->fill_rate = rate > MIN_FILL ? rate : MIN_FILL;
	t->capacity = rate > 1 ? rate : 1;
	if (t->tokens > t->capacity)
		t->tokens = t->capacity;
}

void aws_limiter_update(struct aws_limiters *l, const char *op, bool throttled)
{
	pthread_mutex_lock(&l->lock);
	struct limiter *t = find(l, op);
	double now = aws_now(), rate;
	if (!t) {
		pthread_mutex_unlock(&l->lock);
		return;
	}
	measure(t, now);
	if (throttled) {
		double base = t->enabled && t->fill_rate < t->measured ? t->fill_rate : t->measured;
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
		if (rate > 2 * t->measured)
			rate = 2 * t->measured;
		set_rate(t, rate, now);
	}
	pthread_mutex_unlock(&l->lock);
}

double aws_limiter_rate(struct aws_limiters *l, const char *op)
{
	pthread_mutex_lock(&l->lock);
	struct limiter *t = find(l, op);
	double r = t && t->enabled ? t->fill_rate : 0;
	pthread_mutex_unlock(&l->lock);
	return r;
}

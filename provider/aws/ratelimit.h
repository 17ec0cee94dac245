/*
 * ratelimit.h - client-side adaptive rate limiting, one limiter per
 * operation name (the SDKs' "adaptive" retry mode).
 *
 * A limiter is off until its operation is first throttled.  Then it hands
 * out send tokens, first come first served, at a fill rate that drops to 70%
 * of the measured send rate on a throttle and grows back along a cubic curve
 * (CUBIC, as in TCP) while requests succeed, never beyond twice the measured
 * rate.  Throttles of requests sent before the last drop do not drop it
 * again.  Thread-safe: one mutex guards the table.
 */
#ifndef THINGFORM_AWS_RATELIMIT_H
#define THINGFORM_AWS_RATELIMIT_H

#include <stdatomic.h>
#include <stdbool.h>

struct aws_limiters;

struct aws_limiters *aws_limiters_new(void);
void aws_limiters_free(struct aws_limiters *l);

/* Waits for a send token for `op`; -1 when `stopping` became true. */
int aws_limiter_acquire(struct aws_limiters *l, const char *op, const atomic_bool *stopping);
/* Reports the outcome of one request of `op`, sent at `sent` (aws_now()). */
void aws_limiter_update(struct aws_limiters *l, const char *op, bool throttled, double sent);
/* The steps of those two with the clock given, for tests.  enqueue: a
 * place in `op`'s queue (-1: not pacing, send at once); due: seconds until
 * `ticket` may send (<= 0: now, and it is counted as sent). */
long aws_limiter_enqueue(struct aws_limiters *l, const char *op, double now);
double aws_limiter_due(struct aws_limiters *l, const char *op, long ticket, double now);
void aws_limiter_update_at(struct aws_limiters *l, const char *op, bool throttled, double sent,
			   double now);
/* The current fill rate of `op` in requests per second (0: not limiting). */
double aws_limiter_rate(struct aws_limiters *l, const char *op);

/* Sleeps `seconds`, waking early (and returning -1) when `stopping`. */
int aws_sleep(double seconds, const atomic_bool *stopping);
/* Monotonic seconds. */
double aws_now(void);

#endif

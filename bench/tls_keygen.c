/*
 * tls_keygen.c - median wall time of tls_private_key's RSA generation.
 *
 *   make build/tls-keygen && build/tls-keygen 2048 25 && build/tls-keygen 4096 25
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "provider/tls/tls.h"

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int bits = argc > 1 ? atoi(argv[1]) : 2048, runs = argc > 2 ? atoi(argv[2]) : 25;
	double *ms = calloc((size_t)(runs > 0 ? runs : 1), sizeof(double));
	struct tf_diags d;
	struct tf_ctx c = { .diags = &d };
	tf_diags_init(&d);
	for (int i = 0; ms && i < runs; i++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		EVP_PKEY *key = tls_key_generate(&c, TLS_ALG_RSA, bits, NULL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!key)
			return 1;
		EVP_PKEY_free(key);
		ms[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	}
	if (!ms || runs < 1)
		return 1;
	qsort(ms, (size_t)runs, sizeof(double), by_value);
	printf("RSA-%d: median %.1f ms, min %.1f ms, max %.1f ms over %d runs\n", bits,
	       ms[runs / 2], ms[0], ms[runs - 1], runs);
	free(ms);
	tf_diags_release(&d);
	return 0;
}

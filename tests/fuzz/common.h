/*
 * common.h - what the fuzz targets share.
 *
 * A target whose decoder takes several inputs reads them from one fuzz
 * input cut at NUL bytes (no decoder here takes text with a NUL in it).
 * A property a target checks beyond "no crash, no leak, no sanitizer
 * report" fails through FUZZ_CHECK, which aborts so that libFuzzer keeps
 * the input.
 */
#ifndef THINGFORM_FUZZ_COMMON_H
#define THINGFORM_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "provider.h"

#define FUZZ_MAX_PARTS 4

/* The input cut at its first n-1 NUL bytes into n NUL-terminated strings
 * (missing ones are ""). */
struct fuzz_parts {
	char *s[FUZZ_MAX_PARTS];
	size_t len[FUZZ_MAX_PARTS];
};
void fuzz_parts_split(struct fuzz_parts *p, const uint8_t *data, size_t size, size_t n);
void fuzz_parts_release(struct fuzz_parts *p);

/* A slot's context with its own diagnostics; fuzz_ctx_release frees them. */
struct fuzz_ctx {
	struct tf_diags d;
	struct tf_ctx c;
};
void fuzz_ctx_init(struct fuzz_ctx *f);
void fuzz_ctx_release(struct fuzz_ctx *f);

/* Turns the providers' logging off (decoders log what they refuse). */
void fuzz_quiet(void);

void fuzz_fail(const char *file, int line, const char *what) __attribute__((noreturn));
#define FUZZ_CHECK(cond) ((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif

/*
 * common.c - what the fuzz targets share (common.h).
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

void fuzz_parts_split(struct fuzz_parts *p, const uint8_t *data, size_t size, size_t n)
{
	const uint8_t *end = data + size;
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < n && i < FUZZ_MAX_PARTS; i++) {
		const uint8_t *nul = i + 1 < n ? memchr(data, 0, (size_t)(end - data)) : NULL;
		size_t len = nul ? (size_t)(nul - data) : (size_t)(end - data);
		p->s[i] = malloc(len + 1);
		if (!p->s[i])
			abort();
		memcpy(p->s[i], data, len);
		p->s[i][len] = 0;
		p->len[i] = len;
		data = nul ? nul + 1 : end;
	}
}

void fuzz_parts_release(struct fuzz_parts *p)
{
	for (size_t i = 0; i < FUZZ_MAX_PARTS; i++)
		free(p->s[i]);
	memset(p, 0, sizeof(*p));
}

void fuzz_ctx_init(struct fuzz_ctx *f)
{
	memset(f, 0, sizeof(*f));
	tf_diags_init(&f->d);
	f->c.diags = &f->d;
}

void fuzz_ctx_release(struct fuzz_ctx *f)
{
	tf_diags_release(&f->d);
}

void fuzz_quiet(void)
{
	setenv("TF_LOG_PROVIDER", "off", 1);
	tf_log_init("fuzz");
}

/* Every target starts quiet; one that needs more set-up defines its own
 * LLVMFuzzerInitialize, which takes the place of this weak one. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_quiet();
	return 0;
}

void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: property failed: %s\n", file, line, what);
	abort();
}

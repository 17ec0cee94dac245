/*
 * read-file.c - whole files for the build-time tools.
 */
#include <stdio.h>
#include <stdlib.h>

#include "read-file.h"

char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? 2 * cap : 8192;
			char *grown = realloc(buf, cap);
			if (!grown)
				break;
			buf = grown;
		}
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

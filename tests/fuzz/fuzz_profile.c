/*
 * fuzz_profile.c - the shared config and credentials files
 * (~/.aws/config, ~/.aws/credentials) read for a profile.
 *
 * Input: the profile's name, NUL, the config file, NUL, the credentials
 * file.  The files are memfds, read by path like any other file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"
#include "provider/aws/profile.h"

/* A memfd holding text; its path in path[]. */
static int file_of(const char *text, size_t len, char path[64])
{
	int fd = memfd_create("fuzz-profile", MFD_CLOEXEC);
	if (fd < 0 || (len && write(fd, text, len) != (ssize_t)len))
		abort();
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_parts p;
	fuzz_parts_split(&p, data, size, 3);
	char config_path[64], creds_path[64];
	int config_fd = file_of(p.s[1], p.len[1], config_path);
	int creds_fd = file_of(p.s[2], p.len[2], creds_path);
	const char *config[] = { config_path }, *creds[] = { creds_path };
	struct aws_profile_files files = { config, 1, creds, 1 };
	struct aws_profile prof;
	char *err = NULL;
	int rc = aws_profile_load(&files, p.s[0], &prof, &err);
	FUZZ_CHECK(rc >= 0 || err);
	if (rc >= 0) {
		for (size_t i = 0; i < prof.n; i++)
			FUZZ_CHECK(aws_profile_get(&prof, prof.keys[i]) != NULL);
		aws_profile_release(&prof);
	}
	free(err);
	close(config_fd);
	close(creds_fd);
	fuzz_parts_release(&p);
	return 0;
}

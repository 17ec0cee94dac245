/*
 * creds_process.c - credentials from a credential_process command and from
 * the JSON documents that it, the container endpoint and IMDS answer with.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "codec.h"
#include "creds.h"

#define MAX_OUTPUT (64 * 1024)
#define TIMEOUT_MS (60 * 1000)

extern char **environ;

static char *dup_json_string(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s && *s ? strdup(s) : NULL;
}

int aws_creds_from_json(const char *text, size_t len, struct aws_creds *out, const char **why)
{
	json_error_t jerr;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	memset(out, 0, sizeof(*out));
	*why = NULL;
	if (!json_is_object(doc))
		*why = "not a JSON object";
	else if (json_object_get(doc, "Version") &&
		 json_integer_value(json_object_get(doc, "Version")) != 1)
		*why = "Version is not 1";
	else if (!(out->access_key = dup_json_string(doc, "AccessKeyId")))
		*why = "AccessKeyId is missing";
	else if (!(out->secret_key = dup_json_string(doc, "SecretAccessKey")))
		*why = "SecretAccessKey is missing";
	else {
		out->session_token = dup_json_string(doc, "SessionToken");
		if (!out->session_token)
			out->session_token = dup_json_string(doc, "Token");
	}
	json_decref(doc); /* jansson does not wipe: the text itself is wiped by the caller */
	if (*why)
		aws_creds_release(out);
	return *why ? -1 : 0;
}

/* Reads the child's stdout until EOF, the cap or the deadline. */
static int read_output(int fd, struct tf_bytes *out, char **err)
{
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long spent = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char buf[4096];
		if (spent >= TIMEOUT_MS || poll(&p, 1, (int)(TIMEOUT_MS - spent)) == 0)
			return aws_errf(err, "it did not finish within %d seconds", TIMEOUT_MS / 1000);
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? aws_errf(err, "reading its output: %s", strerror(errno)) : 0;
		int rc = out->len + (size_t)n > MAX_OUTPUT ? -1 : tf_bytes_add(out, buf, (size_t)n);
		OPENSSL_cleanse(buf, sizeof(buf));
		if (rc < 0)
			return aws_errf(err, "its output is larger than %d bytes", MAX_OUTPUT);
	}
}

static int run(const char *command, struct tf_bytes *out, int *status, char **err)
{
	int fds[2];
	pid_t pid;
	posix_spawn_file_actions_t fa;
	char *argv[] = { "/bin/sh", "-c", (char *)command, NULL };
	if (pipe(fds) < 0)
		return aws_errf(err, "pipe: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	int e = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (e) {
		close(fds[0]);
		return aws_errf(err, "cannot start /bin/sh: %s", strerror(e));
	}
	int rc = read_output(fds[0], out, err);
	close(fds[0]);
	if (rc < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return rc;
}

int aws_creds_from_process(const char *command, struct aws_creds *out, char **err)
{
	struct tf_bytes output = { 0 };
	int status = 0;
	const char *why;
	*err = NULL;
	memset(out, 0, sizeof(*out));
	int rc = run(command, &output, &status, err);
	if (rc == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		rc = aws_errf(err, "it exited with status %d",
			      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	}
	const char *text = output.data ? (const char *)output.data : "";
	if (rc == 0 && aws_creds_from_json(text, output.len, out, &why) < 0) {
		rc = aws_errf(err, "its output is not valid credentials: %s", why);
	}
	if (output.data)
		OPENSSL_cleanse(output.data, output.alloc);
	tf_bytes_release(&output);
	if (rc == 0)
		out->source = "credential_process";
	return rc;
}

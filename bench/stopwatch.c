/*
 * stopwatch.c - time a program from its start to the first line it writes.
 *
 *   bench-stopwatch PROGRAM [ARG...]
 *
 * Starts PROGRAM with this environment, stdin and stderr on /dev/null and
 * stdout on a pipe, and measures CLOCK_MONOTONIC from just before the
 * spawn to the arrival of the first newline; then kills it (SIGKILL) and
 * reaps it.  Prints one line:
 *
 *   <seconds> <the program's first line>
 *
 * and exits 0; exits 1 with a message when the program ends, or stays
 * silent for 120 s, before a whole line.  bench/micro.py times the
 * go-plugin handshake with it: a stopwatch in Python would add its own
 * fork and exec, most of a millisecond, to every figure, ours and the
 * official providers' alike.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

enum { TIMEOUT_MS = 120 * 1000, LINE_MAX_BYTES = 64 * 1024 };

static double since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Reads from `fd` into line[] until a newline; its length, or -1 (with a
 * message) on end of file, error, a full buffer or the timeout. */
static ssize_t read_line(int fd, char *line, size_t cap, const char *program)
{
	size_t len = 0;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	while (len < cap) {
		int ready = poll(&pfd, 1, TIMEOUT_MS);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0) {
			fprintf(stderr, "bench-stopwatch: %s: no line within %d s\n", program,
				TIMEOUT_MS / 1000);
			return -1;
		}
		ssize_t n = read(fd, line + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "bench-stopwatch: %s ended before writing a line (%.*s)\n",
				program, (int)len, line);
			return -1;
		}
		char *newline = memchr(line + len, '\n', (size_t)n);
		if (newline)
			return newline - line;
		len += (size_t)n;
	}
	fprintf(stderr, "bench-stopwatch: %s: a first line longer than %zu bytes\n", program, cap);
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s PROGRAM [ARG...]\n", argv[0]);
		return 2;
	}
	int out[2];
	if (pipe2(out, O_CLOEXEC) < 0) {
		perror("bench-stopwatch: pipe");
		return 2;
	}
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&actions, out[1], 1);
	posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);

	static char line[LINE_MAX_BYTES];
	struct timespec t0;
	pid_t child;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int err = posix_spawn(&child, argv[1], &actions, NULL, argv + 1, environ);
	posix_spawn_file_actions_destroy(&actions);
	close(out[1]);
	if (err) {
		fprintf(stderr, "bench-stopwatch: %s: %s\n", argv[1], strerror(err));
		return 2;
	}
	ssize_t len = read_line(out[0], line, sizeof(line), argv[1]);
	double seconds = since(&t0);

	kill(child, SIGKILL);
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
	if (len < 0)
		return 1;
	printf("%.9f %.*s\n", seconds, (int)len, line);
	return 0;
}

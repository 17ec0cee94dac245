/*
 * rusage.c - run a program and append what it cost to a log file.
 *
 *   bench-rusage LOG PROGRAM [ARG...]
 *
 * PROGRAM inherits the arguments, the environment and the three standard
 * streams unchanged, so a provider started this way by a CLI still does its
 * go-plugin handshake on stdout.  When it ends, one line is appended to LOG:
 *
 *   <wall s> <user CPU s> <system CPU s> <peak RSS KiB> <exit status>
 *
 * with microsecond resolution (GNU time rounds CPU time to 10 ms, too coarse
 * for a provider process that lives a few milliseconds).  The exit status is
 * PROGRAM's, or 128+signal.  Used by bench/micro.py.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t child;

/* SIGTERM and SIGHUP are passed on.  SIGKILL, which a CLI sends a provider
 * that outlives Shutdown, cannot be; SIGINT reaches the whole process group
 * anyway, and providers ignore it, as this wrapper does. */
static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

static double seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s LOG PROGRAM [ARG...]\n", argv[0]);
		return 2;
	}
	int log = open(argv[1], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (log < 0) {
		fprintf(stderr, "bench-rusage: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	child = fork();
	if (child < 0) {
		perror("bench-rusage: fork");
		return 2;
	}
	if (child == 0) {
		execv(argv[2], argv + 2);
		fprintf(stderr, "bench-rusage: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	struct sigaction sa = { .sa_handler = forward };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGINT, SIG_IGN);

	int status;
	struct rusage ru;
	pid_t r;
	while ((r = wait4(child, &status, 0, &ru)) < 0 && errno == EINTR)
		;
	if (r < 0) {
		perror("bench-rusage: wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	char line[160];
	int n = snprintf(line, sizeof line, "%.6f %.6f %.6f %ld %d\n",
			 (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
			 seconds(ru.ru_utime), seconds(ru.ru_stime), ru.ru_maxrss, code);
	/* One write of a short line to an O_APPEND file: lines of processes
	 * ending together do not interleave. */
	if (write(log, line, (size_t)n) != n)
		perror("bench-rusage: write");
	close(log);
	return code;
}

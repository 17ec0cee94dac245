/*
 * log.c - hclog JSON lines on stderr.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "log.h"

static enum tf_log_level threshold = TF_LOG_WARN;
static char module_name[64] = "provider";
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const level_names[] = {
	[TF_LOG_TRACE] = "trace", [TF_LOG_DEBUG] = "debug", [TF_LOG_INFO] = "info",
	[TF_LOG_WARN] = "warn",   [TF_LOG_ERROR] = "error", [TF_LOG_OFF] = "off",
};

static enum tf_log_level parse_level(const char *s, enum tf_log_level fallback)
{
	if (!s || !*s)
		return fallback;
	if (strcasecmp(s, "json") == 0)
		return TF_LOG_TRACE; /* Terraform's TF_LOG=json means trace */
	for (int l = TF_LOG_TRACE; l <= TF_LOG_OFF; l++)
		if (strcasecmp(s, level_names[l]) == 0)
			return (enum tf_log_level)l;
	return fallback;
}

void tf_log_init(const char *module)
{
	snprintf(module_name, sizeof(module_name), "%s", module);
	const char *provider = getenv("TF_LOG_PROVIDER");
	threshold = parse_level(provider && *provider ? provider : getenv("TF_LOG"), TF_LOG_WARN);
}

bool tf_log_enabled(enum tf_log_level level)
{
	return level >= threshold && level < TF_LOG_OFF;
}

/* hclog's JSON timestamp: 2006-01-02T15:04:05.000000Z07:00, in UTC. */
static void timestamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%06ldZ", ts.tv_nsec / 1000);
}

void tf_log(enum tf_log_level level, const char *message, ...)
{
	if (!tf_log_enabled(level))
		return;
	char ts[48];
	timestamp(ts, sizeof(ts));
	json_t *line = json_object();
	if (!line)
		return;
	json_object_set_new(line, "@level", json_string(level_names[level]));
	json_object_set_new(line, "@message", json_string(message));
	json_object_set_new(line, "@module", json_string(module_name));
	json_object_set_new(line, "@timestamp", json_string(ts));
	va_list ap;
	va_start(ap, message);
	for (const char *key; (key = va_arg(ap, const char *));) {
		const char *val = va_arg(ap, const char *);
		if (val) /* a NULL value leaves the key out */
			json_object_set_new(line, key, json_string(val));
	}
	va_end(ap);
	char *text = json_dumps(line, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(line);
	if (!text)
		return;
	/* One write per line, so concurrent lines never interleave. */
	size_t len = strlen(text);
	text[len] = '\n';
	pthread_mutex_lock(&write_lock);
	for (size_t off = 0; off <= len;) {
		ssize_t w = write(STDERR_FILENO, text + off, len + 1 - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	pthread_mutex_unlock(&write_lock);
	free(text);
}

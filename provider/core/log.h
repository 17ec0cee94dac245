/*
 * log.h - log lines Terraform understands.
 *
 * Each line is an hclog JSON object on stderr: "@level", "@message",
 * "@module", "@timestamp" (microseconds, UTC) and string key/values.
 * Terraform reads them into its `provider.<exe>` logger, so
 * TF_LOG_PROVIDER=debug shows ours like any Go provider's.  The level comes
 * from TF_LOG_PROVIDER, else TF_LOG, else warnings and errors only.
 *
 * Never pass secrets: nothing here redacts.
 */
#ifndef THINGFORM_LOG_H
#define THINGFORM_LOG_H

#include <stdbool.h>

enum tf_log_level {
	TF_LOG_TRACE = 1,
	TF_LOG_DEBUG,
	TF_LOG_INFO,
	TF_LOG_WARN,
	TF_LOG_ERROR,
	TF_LOG_OFF,
};

/* Reads the environment once; `module` names the logger ("random"). */
void tf_log_init(const char *module);
bool tf_log_enabled(enum tf_log_level level);
/* Key/value pairs of strings follow `message`, ended by NULL; a pair whose
 * value is NULL is left out:
 *   tf_log(TF_LOG_DEBUG, "serving RPC", "rpc", name, NULL); */
void tf_log(enum tf_log_level level, const char *message, ...) __attribute__((sentinel));

#endif

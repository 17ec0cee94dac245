/*
 * profile.h - named profiles of the shared config and credentials files.
 *
 * Both files are INI: `[default]`, `[profile NAME]` (config file) or
 * `[NAME]` (credentials file), then `key = value` lines; lines starting
 * with '#' or ';' are comments and indented lines (the nested settings of
 * `services`, `s3`, ...) belong to the key above and are skipped.  The
 * files are read in the order given, later values winning, config files
 * first and credentials files last (so their keys win, as in the SDKs).
 * A file that does not exist is skipped.  "~/" expands to $HOME.
 */
#ifndef THINGFORM_AWS_PROFILE_H
#define THINGFORM_AWS_PROFILE_H

#include <stddef.h>

struct aws_profile {
	char **keys;    /* lower-case */
	char **values;  /* wiped when released: they may hold secrets */
	size_t n;
};

struct aws_profile_files {
	const char *const *config;       /* default: $AWS_CONFIG_FILE or ~/.aws/config */
	size_t n_config;
	const char *const *credentials;  /* default: $AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials */
	size_t n_credentials;
};

/*
 * Loads profile `name`: 0 when some file has it, 1 when none does, -1 on a
 * file that cannot be read or parsed (a message in *err, malloc'd).
 */
int aws_profile_load(const struct aws_profile_files *files, const char *name,
		     struct aws_profile *out, char **err);
/* The value of `key` (borrowed), or NULL. */
const char *aws_profile_get(const struct aws_profile *p, const char *key);
void aws_profile_release(struct aws_profile *p);

#endif

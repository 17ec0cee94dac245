/*
 * profile.c - the shared config and credentials files (see profile.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "aws.h"
#include "profile.h"

#define MAX_FILE_BYTES ((long)4 << 20)

static char *trim(char *s)
{
	char *end;
	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = 0;
	return s;
}

static int profile_set(struct aws_profile *p, const char *key, const char *value)
{
	for (size_t i = 0; i < p->n; i++) {
		if (!strcmp(p->keys[i], key)) {
			char *v = strdup(value);
			if (!v)
				return -1;
			aws_free_secret(p->values[i]);
			p->values[i] = v;
			return 0;
		}
	}
	char **k = realloc(p->keys, (p->n + 1) * sizeof(*k));
	if (k)
		p->keys = k;
	char **v = realloc(p->values, (p->n + 1) * sizeof(*v));
	if (v)
		p->values = v;
	if (!k || !v || !(p->keys[p->n] = strdup(key)))
		return -1;
	if (!(p->values[p->n] = strdup(value))) {
		free(p->keys[p->n]);
		return -1;
	}
	for (char *c = p->keys[p->n]; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	p->n++;
	return 0;
}

/* True when section header `sec` (trimmed, without brackets) names `name`. */
static bool section_matches(const char *sec, const char *name, bool config_file)
{
	if (!config_file)
		return !strcmp(sec, name);
	if (!strcmp(name, "default") && !strcmp(sec, "default"))
		return true;
	if (strncmp(sec, "profile", 7) || !isspace((unsigned char)sec[7]))
		return false;
	sec += 8;
	while (isspace((unsigned char)*sec))
		sec++;
	return !strcmp(sec, name);
}

static char *expand_home(const char *path)
{
	const char *home = getenv("HOME");
	char *s = NULL;
	if (strncmp(path, "~/", 2) || !home)
		return strdup(path);
	return asprintf(&s, "%s%s", home, path + 1) < 0 ? NULL : s;
}

/* Reads one file into p; 0, or -1 with *err. A missing file is fine. */
static int load_file(const char *path, const char *name, bool config_file,
		     struct aws_profile *p, int *found, char **err)
{
	char *full = expand_home(path), line[8192];
	FILE *f = full ? fopen(full, "r") : NULL;
	bool in = false;
	int rc = 0;
	if (!f) {
		int e = errno;
		free(full);
		if (e == ENOENT || e == ENOTDIR)
			return 0;
		return aws_errf(err, "cannot read %s: %s", path, strerror(e));
	}
	free(full);
	for (int no = 1; rc == 0 && fgets(line, sizeof(line), f); no++) {
		char *s = line, *eq;
		if (ftell(f) > MAX_FILE_BYTES || (!strchr(line, '\n') && !feof(f))) {
			rc = aws_errf(err, "%s:%d: line or file too long", path, no);
			break;
		}
		if (isspace((unsigned char)*s) && *trim(s) && in)
			continue; /* a nested setting */
		s = trim(s);
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');
			if (!close) {
				rc = aws_errf(err, "%s:%d: section header without ']'", path, no);
				break;
			}
			*close = 0;
			in = section_matches(trim(s + 1), name, config_file);
			*found |= in;
			continue;
		}
		if (!(eq = strchr(s, '='))) {
			rc = aws_errf(err, "%s:%d: expected 'key = value'", path, no);
			break;
		}
		*eq = 0;
		if (in && profile_set(p, trim(s), trim(eq + 1)) < 0)
			rc = aws_errf(err, "out of memory");
	}
	OPENSSL_cleanse(line, sizeof(line));
	fclose(f);
	return rc;
}

static const char *default_path(const char *env, const char *fallback)
{
	const char *v = aws_getenv(env);
	return v ? v : fallback;
}

int aws_profile_load(const struct aws_profile_files *files, const char *name,
		     struct aws_profile *out, char **err)
{
	const char *def_config = default_path("AWS_CONFIG_FILE", "~/.aws/config");
	const char *def_creds = default_path("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials");
	const char *const *config = files->n_config ? files->config : &def_config;
	const char *const *creds = files->n_credentials ? files->credentials : &def_creds;
	size_t n_config = files->n_config ? files->n_config : 1;
	size_t n_creds = files->n_credentials ? files->n_credentials : 1;
	int found = 0;
	memset(out, 0, sizeof(*out));
	*err = NULL;
	for (size_t i = 0; i < n_config + n_creds; i++) {
		bool is_config = i < n_config;
		const char *path = is_config ? config[i] : creds[i - n_config];
		if (load_file(path, name, is_config, out, &found, err) < 0) {
			aws_profile_release(out);
			return -1;
		}
	}
	return found ? 0 : 1;
}

const char *aws_profile_get(const struct aws_profile *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->keys[i], key))
			return p->values[i];
	return NULL;
}

void aws_profile_release(struct aws_profile *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->keys[i]);
		aws_free_secret(p->values[i]);
	}
	free(p->keys);
	free(p->values);
	memset(p, 0, sizeof(*p));
}

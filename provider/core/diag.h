/*
 * diag.h - diagnostics with attribute paths.
 *
 * A struct tf_diags collects errors and warnings while one RPC runs; the
 * rpc layer turns them into tfplugin6 Diagnostic messages at the end.
 * A path is a list of steps (attribute name, string key, integer index)
 * so that Terraform can point at the line in the user's configuration.
 *
 * Ownership: tf_diags_init() / tf_diags_release() bracket a caller-owned
 * struct; every add copies its strings and path.  Paths are caller-owned
 * too: tf_path_push_*() / tf_path_pop() grow and shrink one in place.
 */
#ifndef THINGFORM_DIAG_H
#define THINGFORM_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tf_step_kind { TF_STEP_ATTR, TF_STEP_KEY, TF_STEP_INDEX };

struct tf_step {
	enum tf_step_kind kind;
	char *name;    /* ATTR, KEY (owned) */
	int64_t index; /* INDEX */
};

struct tf_path {
	struct tf_step *steps;
	size_t n, alloc;
};

void tf_path_init(struct tf_path *p);
void tf_path_release(struct tf_path *p);
int tf_path_push_attr(struct tf_path *p, const char *name);
int tf_path_push_key(struct tf_path *p, const char *key);
int tf_path_push_index(struct tf_path *p, int64_t index);
void tf_path_pop(struct tf_path *p);
int tf_path_copy(struct tf_path *dst, const struct tf_path *src);
/* Human form for logs and messages: `keepers["a"]`, `subject[0].cn`.
 * Returns a malloc'd string. */
char *tf_path_to_string(const struct tf_path *p);

enum tf_severity { TF_ERROR = 1, TF_WARNING = 2 };

struct tf_diag {
	enum tf_severity severity;
	char *summary;
	char *detail;
	struct tf_path path; /* empty when the diagnostic has no attribute */
};

struct tf_diags {
	struct tf_diag *items;
	size_t n, alloc;
	size_t errors;
};

void tf_diags_init(struct tf_diags *d);
void tf_diags_release(struct tf_diags *d);
static inline bool tf_diags_has_errors(const struct tf_diags *d)
{
	return d->errors > 0;
}

/* Adds a diagnostic.  `path` may be NULL.  `detail` is printf-style. */
void tf_diag_add(struct tf_diags *d, enum tf_severity sev, const struct tf_path *path,
		 const char *summary, const char *detail_fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Shorthands for an error/warning on a top-level attribute (or none: NULL). */
void tf_diag_error_at(struct tf_diags *d, const char *attr, const char *summary,
		      const char *detail_fmt, ...) __attribute__((format(printf, 4, 5)));
void tf_diag_warning_at(struct tf_diags *d, const char *attr, const char *summary,
			const char *detail_fmt, ...) __attribute__((format(printf, 4, 5)));

#endif

/*
 * diag.c - diagnostics with attribute paths (see diag.h).
 *
 * Running out of memory while recording a diagnostic must not hide an
 * error: `errors` counts every error reported, even one that could not be
 * stored.
 */
#include "diag.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- paths ---------------------------------------------------------------- */

void tf_path_init(struct tf_path *p)
{
	p->steps = NULL;
	p->n = p->alloc = 0;
}

void tf_path_release(struct tf_path *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->steps[i].name);
	free(p->steps);
	tf_path_init(p);
}

static int path_push(struct tf_path *p, enum tf_step_kind kind, const char *name, int64_t index)
{
	char *copy = NULL;

	if (p->n == p->alloc) {
		size_t alloc = p->alloc ? p->alloc * 2 : 8;
		struct tf_step *steps = realloc(p->steps, alloc * sizeof(*steps));

		if (!steps)
			return -1;
		p->steps = steps;
		p->alloc = alloc;
	}
	if (name && !(copy = strdup(name)))
		return -1;
	p->steps[p->n].kind = kind;
	p->steps[p->n].name = copy;
	p->steps[p->n].index = index;
	p->n++;
	return 0;
}

int tf_path_push_attr(struct tf_path *p, const char *name)
{
	assert(name);
	return path_push(p, TF_STEP_ATTR, name, 0);
}

int tf_path_push_key(struct tf_path *p, const char *key)
{
	assert(key);
	return path_push(p, TF_STEP_KEY, key, 0);
}

int tf_path_push_index(struct tf_path *p, int64_t index)
{
	return path_push(p, TF_STEP_INDEX, NULL, index);
}

void tf_path_pop(struct tf_path *p)
{
	assert(p->n > 0);
	p->n--;
	free(p->steps[p->n].name);
	p->steps[p->n].name = NULL;
}

int tf_path_copy(struct tf_path *dst, const struct tf_path *src)
{
	tf_path_init(dst);
	for (size_t i = 0; i < src->n; i++) {
		const struct tf_step *s = &src->steps[i];

		if (path_push(dst, s->kind, s->name, s->index)) {
			tf_path_release(dst);
			return -1;
		}
	}
	return 0;
}

/* A tiny string builder for tf_path_to_string. */
struct sbuf {
	char *buf;
	size_t len, alloc;
	bool failed;
};

static void sbuf_add(struct sbuf *sb, const char *s, size_t len)
{
	if (sb->failed)
		return;
	if (sb->len + len + 1 > sb->alloc) {
		size_t alloc = (sb->len + len + 1) * 2;
		char *p = realloc(sb->buf, alloc);

		if (!p) {
			sb->failed = true;
			return;
		}
		sb->buf = p;
		sb->alloc = alloc;
	}
	memcpy(sb->buf + sb->len, s, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

static void sbuf_adds(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

char *tf_path_to_string(const struct tf_path *p)
{
	struct sbuf sb = { 0 };
	char num[32];

	sbuf_add(&sb, "", 0);
	for (size_t i = 0; i < p->n; i++) {
		const struct tf_step *s = &p->steps[i];

		switch (s->kind) {
		case TF_STEP_ATTR:
			if (i > 0)
				sbuf_adds(&sb, ".");
			sbuf_adds(&sb, s->name);
			break;
		case TF_STEP_KEY:
			sbuf_adds(&sb, "[\"");
			for (const char *c = s->name; *c; c++) {
				if (*c == '"' || *c == '\\')
					sbuf_add(&sb, "\\", 1);
				sbuf_add(&sb, c, 1);
			}
			sbuf_adds(&sb, "\"]");
			break;
		case TF_STEP_INDEX:
			snprintf(num, sizeof(num), "[%" PRId64 "]", s->index);
			sbuf_adds(&sb, num);
			break;
		}
	}
	if (sb.failed) {
		free(sb.buf);
		return NULL;
	}
	return sb.buf;
}

/* ---- diagnostics -------------------------------------------------------- */

void tf_diags_init(struct tf_diags *d)
{
	d->items = NULL;
	d->n = d->alloc = 0;
	d->errors = 0;
}

void tf_diags_release(struct tf_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].summary);
		free(d->items[i].detail);
		tf_path_release(&d->items[i].path);
	}
	free(d->items);
	tf_diags_init(d);
}

static void diag_vadd(struct tf_diags *d, enum tf_severity sev, const struct tf_path *path,
		      const char *summary, const char *fmt, va_list ap)
{
	struct tf_diag *g;
	va_list ap2;
	int len;

	assert(sev == TF_ERROR || sev == TF_WARNING);
	assert(summary && fmt);
	if (sev == TF_ERROR)
		d->errors++;
	if (d->n == d->alloc) {
		size_t alloc = d->alloc ? d->alloc * 2 : 4;
		struct tf_diag *items = realloc(d->items, alloc * sizeof(*items));

		if (!items)
			return;
		d->items = items;
		d->alloc = alloc;
	}
	g = &d->items[d->n];
	g->severity = sev;
	tf_path_init(&g->path);
	g->summary = strdup(summary);
	va_copy(ap2, ap);
	len = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	g->detail = len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (g->detail)
		vsnprintf(g->detail, (size_t)len + 1, fmt, ap);
	if (!g->summary || !g->detail || (path && tf_path_copy(&g->path, path))) {
		free(g->summary);
		free(g->detail);
		return;
	}
	d->n++;
}

void tf_diag_add(struct tf_diags *d, enum tf_severity sev, const struct tf_path *path,
		 const char *summary, const char *detail_fmt, ...)
{
	va_list ap;

	va_start(ap, detail_fmt);
	diag_vadd(d, sev, path, summary, detail_fmt, ap);
	va_end(ap);
}

static void diag_vadd_at(struct tf_diags *d, enum tf_severity sev, const char *attr,
			 const char *summary, const char *fmt, va_list ap)
{
	struct tf_path path;

	tf_path_init(&path);
	if (attr && tf_path_push_attr(&path, attr)) {
		/* Still report it, without the path. */
		diag_vadd(d, sev, NULL, summary, fmt, ap);
		return;
	}
	diag_vadd(d, sev, &path, summary, fmt, ap);
	tf_path_release(&path);
}

void tf_diag_error_at(struct tf_diags *d, const char *attr, const char *summary,
		      const char *detail_fmt, ...)
{
	va_list ap;

	va_start(ap, detail_fmt);
	diag_vadd_at(d, TF_ERROR, attr, summary, detail_fmt, ap);
	va_end(ap);
}

void tf_diag_warning_at(struct tf_diags *d, const char *attr, const char *summary,
			const char *detail_fmt, ...)
{
	va_list ap;

	va_start(ap, detail_fmt);
	diag_vadd_at(d, TF_WARNING, attr, summary, detail_fmt, ap);
	va_end(ap);
}

/*
 * util.c - small helpers the aws provider's files share.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "aws.h"

int aws_set_string(struct tf_value *obj, const char *key, const char *s)
{
	struct tf_value *v = s ? tf_value_new_string(s) : tf_value_new_null();
	return v ? tf_value_set(obj, key, v) : -1;
}

const char *aws_getenv(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

bool aws_get_bool(const struct tf_value *obj, const char *key)
{
	const struct tf_value *v = tf_value_get(obj, key);
	return v && v->kind == TF_BOOL && v->u.b;
}

size_t aws_strings_of(const struct tf_value *v, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; v && (v->kind == TF_LIST || v->kind == TF_SET) && i < v->u.seq.n; i++)
		if (v->u.seq.items[i]->kind == TF_STRING && n < max)
			out[n++] = v->u.seq.items[i]->u.str.ptr;
	return n;
}

int aws_errf(char **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(err, fmt, ap) < 0)
		*err = NULL;
	va_end(ap);
	return -1;
}

void aws_free_secret(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

void aws_creds_release(struct aws_creds *c)
{
	free(c->access_key);
	aws_free_secret(c->secret_key);
	aws_free_secret(c->session_token);
	c->access_key = c->secret_key = c->session_token = NULL;
}

static int dup_or_null(char **dst, const char *src)
{
	*dst = src ? strdup(src) : NULL;
	return src && !*dst ? -1 : 0;
}

int aws_creds_copy(struct aws_creds *dst, const struct aws_creds *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->source = src->source;
	if (dup_or_null(&dst->access_key, src->access_key) < 0 ||
	    dup_or_null(&dst->secret_key, src->secret_key) < 0 ||
	    dup_or_null(&dst->session_token, src->session_token) < 0) {
		aws_creds_release(dst);
		return -1;
	}
	return 0;
}

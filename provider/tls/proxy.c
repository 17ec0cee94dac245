/*
 * proxy.c - the provider block's `proxy` (a list block, at most one) and
 * the immutable meta configure makes of it.  Only tls_certificate's
 * https:// URLs use it.
 */
#include <stdlib.h>
#include <string.h>

#include "tls.h"

static const char *const proxy_schemes[] = { "http", "https", "socks5", NULL };

/* The proxy block's attribute, or NULL when the block or it is absent. */
static const struct tf_value *proxy_attr(const struct tf_value *block, const char *name)
{
	return block && block->kind == TF_OBJECT ? tf_value_get(block, name) : NULL;
}

static bool is_set(const struct tf_value *v)
{
	return !tf_value_is_null(v);
}

static void needs(struct tf_ctx *c, struct tf_path *path, const struct tf_value *block,
		  const char *attr, const char *required)
{
	if (!is_set(proxy_attr(block, attr)) || is_set(proxy_attr(block, required)))
		return;
	tf_path_push_attr(path, attr);
	tf_diag_add(c->diags, TF_ERROR, path, "Invalid Attribute Combination",
		    "\"%s\" can only be set together with \"%s\" in the proxy block.", attr,
		    required);
	tf_path_pop(path);
}

int tls_proxy_validate(struct tf_ctx *c, const struct tf_value *config)
{
	const struct tf_value *list = tf_value_get(config, "proxy");
	if (!list || list->kind != TF_LIST)
		return 0;
	struct tf_path path;
	tf_path_init(&path);
	tf_path_push_attr(&path, "proxy");
	size_t errors = c->diags->errors;
	if (list->u.seq.n > 1) {
		/* The path names the second block, so Terraform points at it. */
		tf_path_push_index(&path, 1);
		tf_diag_add(c->diags, TF_ERROR, &path, "Too many proxy blocks",
			    "At most one proxy block may be given, got %zu: remove the others.",
			    list->u.seq.n);
		tf_path_pop(&path);
	}
	for (size_t i = 0; i < list->u.seq.n; i++) {
		const struct tf_value *block = list->u.seq.items[i];
		tf_path_push_index(&path, (int64_t)i);
		needs(c, &path, block, "username", "url");
		needs(c, &path, block, "password", "username");
		const struct tf_value *url = proxy_attr(block, "url");
		if (url && url->kind == TF_STRING) {
			tf_path_push_attr(&path, "url");
			tls_url_check(c, &path, url->u.str.ptr, proxy_schemes);
			tf_path_pop(&path);
		}
		tf_path_pop(&path);
	}
	tf_path_release(&path);
	return c->diags->errors > errors ? -1 : 0;
}

void tls_meta_free(struct tls_meta *m)
{
	if (!m)
		return;
	free(m->proxy_url);
	free(m->proxy_username);
	tls_free_secret(m->proxy_password);
	free(m);
}

/* A copy of a known string attribute; *failed on memory exhaustion. */
static char *copy(const struct tf_value *block, const char *name, bool *failed)
{
	const struct tf_value *v = proxy_attr(block, name);
	if (!v || v->kind != TF_STRING)
		return NULL;
	char *s = strdup(v->u.str.ptr);
	*failed |= !s;
	return s;
}

struct tls_meta *tls_meta_new(struct tf_ctx *c, const struct tf_value *config)
{
	if (tls_proxy_validate(c, config) < 0)
		return NULL;
	struct tls_meta *m = calloc(1, sizeof(*m));
	if (!m) {
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot configure the provider.");
		return NULL;
	}
	m->proxy_from_env = true;
	const struct tf_value *list = tf_value_get(config, "proxy");
	const struct tf_value *block = list && list->kind == TF_LIST && list->u.seq.n ?
					       list->u.seq.items[0] : NULL;
	bool failed = false;
	/* unknown values count as unset, as upstream's configure reads them */
	m->proxy_url = copy(block, "url", &failed);
	if (m->proxy_url) {
		m->proxy_username = copy(block, "username", &failed);
		if (m->proxy_username)
			m->proxy_password = copy(block, "password", &failed);
	}
	const struct tf_value *from_env = proxy_attr(block, "from_env");
	if (from_env && from_env->kind == TF_BOOL)
		m->proxy_from_env = from_env->u.b;
	if (failed) {
		tls_meta_free(m);
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot configure the provider.");
		return NULL;
	}
	return m;
}

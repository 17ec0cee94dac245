/*
 * codec.c - the parts of the msgpack and JSON codecs that do not depend on
 * the format (see codec-internal.h).
 */
#include "codec-internal.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/* ---- byte buffers ----------------------------------------------------------- */

/* Buffers carry encoded states and HTTP bodies, which may hold secrets:
 * memory is wiped before it is given back, on growth as on release. */
void tf_bytes_release(struct tf_bytes *b)
{
	OPENSSL_clear_free(b->data, b->alloc);
	b->data = NULL;
	b->len = b->alloc = 0;
}

int tf_bytes_add(struct tf_bytes *b, const void *data, size_t len)
{
	if (len > SIZE_MAX - b->len - 1)
		return -1;
	if (b->len + len + 1 > b->alloc) {
		size_t alloc = b->alloc ? b->alloc : 64;
		unsigned char *p;

		while (alloc < b->len + len + 1)
			alloc = alloc > SIZE_MAX / 2 ? b->len + len + 1 : alloc * 2;
		p = OPENSSL_clear_realloc(b->data, b->alloc, alloc);
		if (!p)
			return -1;
		b->data = p;
		b->alloc = alloc;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

/* ---- errors ------------------------------------------------------------------ */

static void add_error(struct tf_diags *d, const struct tf_path *path, const char *summary,
		      const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
static void add_error(struct tf_diags *d, const struct tf_path *path, const char *summary,
		      const char *fmt, va_list ap)
{
	char detail[512];

	vsnprintf(detail, sizeof(detail), fmt, ap);
	tf_diag_add(d, TF_ERROR, path, summary, "%s", detail);
}

static void add_oom(struct tf_diags *d, const char *doing)
{
	tf_diag_add(d, TF_ERROR, NULL, "Out of memory",
		    "The provider ran out of memory while %s a value.", doing);
}

#define TOO_DEEP "Values are nested more than %d deep."

/* ---- decoding ---------------------------------------------------------------- */

void tf__dec_init(struct tf__decoder *dec, struct tf_diags *d, const char *summary,
		  tf__decode_fn *decode)
{
	dec->d = d;
	dec->summary = summary;
	dec->decode = decode;
	tf_path_init(&dec->path);
}

void tf__dec_release(struct tf__decoder *dec)
{
	tf_path_release(&dec->path);
}

void tf__dec_error(struct tf__decoder *dec, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_error(dec->d, &dec->path, dec->summary, fmt, ap);
	va_end(ap);
}

void *tf__dec_oom(struct tf__decoder *dec)
{
	add_oom(dec->d, "decoding");
	return NULL;
}

struct tf_value *tf__dec_check(struct tf__decoder *dec, struct tf_value *v)
{
	return v ? v : tf__dec_oom(dec);
}

bool tf__dec_too_deep(struct tf__decoder *dec, int depth)
{
	if (depth <= TF_CODEC_MAX_DEPTH)
		return false;
	tf__dec_error(dec, TOO_DEEP, TF_CODEC_MAX_DEPTH);
	return true;
}

int tf__dec_push_attr(struct tf__decoder *dec, const char *name)
{
	if (tf_path_push_attr(&dec->path, name)) {
		tf__dec_oom(dec);
		return -1;
	}
	return 0;
}

struct tf_value *tf__dec_seq_new(struct tf__decoder *dec, const struct tf_type *t, size_t n)
{
	bool tuple = t->kind == TF_TYPE_TUPLE;

	assert(tuple || t->kind == TF_TYPE_LIST || t->kind == TF_TYPE_SET);
	if (tuple && n != t->n) {
		tf__dec_error(dec, "Expected a tuple of %zu elements, got %zu.", t->n, n);
		return NULL;
	}
	return tf__dec_check(dec, tf_value_new_collection(tuple ? TF_TUPLE : TF_LIST));
}

int tf__dec_seq_add(struct tf__decoder *dec, struct tf_value *seq, const struct tf_type *t,
		    size_t i, const void *node, int depth)
{
	const struct tf_type *et = t->kind == TF_TYPE_TUPLE ? t->types[i] : t->elem;
	struct tf_value *item;

	if (tf_path_push_index(&dec->path, (int64_t)i)) {
		tf__dec_oom(dec);
		return -1;
	}
	item = dec->decode(dec, node, et, depth + 1);
	tf_path_pop(&dec->path);
	if (!item)
		return -1;
	if (tf_value_append(seq, item)) { /* item is freed */
		tf__dec_oom(dec);
		return -1;
	}
	return 0;
}

struct tf_value *tf__dec_seq_done(struct tf_value *seq, const struct tf_type *t)
{
	if (t->kind == TF_TYPE_SET)
		tf_value_list_to_set(seq);
	return seq;
}

int tf__dec_put(struct tf__decoder *dec, struct tf_value *kv, const char *key, const void *node,
		const struct tf_type *et, int depth)
{
	struct tf_value *val;
	int pushed;

	assert(kv->kind == TF_MAP || kv->kind == TF_OBJECT);
	pushed = kv->kind == TF_OBJECT ? tf_path_push_attr(&dec->path, key)
				       : tf_path_push_key(&dec->path, key);
	if (pushed) {
		tf__dec_oom(dec);
		return -1;
	}
	val = dec->decode(dec, node, et, depth + 1);
	tf_path_pop(&dec->path);
	if (!val)
		return -1;
	if (tf_value_set(kv, key, val)) { /* val is freed */
		tf__dec_oom(dec);
		return -1;
	}
	return 0;
}

struct tf_value *tf__dec_object_done(struct tf__decoder *dec, struct tf_value *obj,
				     const struct tf_type *t, enum tf__missing missing)
{
	bool ok = true;

	for (size_t i = 0; i < t->n; i++) {
		const char *name = t->names[i];
		struct tf_value *null;

		if (tf_value_get(obj, name))
			continue;
		if (missing == TF__MISSING_IS_ERROR) {
			ok = false;
			if (tf__dec_push_attr(dec, name))
				break;
			tf__dec_error(dec, "The attribute \"%s\" is missing; an object on the wire "
				      "holds every attribute of its type (null when unset).", name);
			tf_path_pop(&dec->path);
			continue;
		}
		null = tf_value_new_null();
		if (!null || tf_value_set(obj, name, null)) {
			tf__dec_oom(dec);
			ok = false;
			break;
		}
	}
	if (!ok) {
		tf_value_free(obj);
		return NULL;
	}
	return obj;
}

struct tf_value *tf__dec_dynamic(struct tf__decoder *dec, const char *type_json, size_t len,
				 const void *node, int depth)
{
	struct tf_type *type;
	struct tf_value *v;
	char err[256];

	type = tf_type_from_json(type_json, len, err, sizeof(err));
	if (!type) {
		tf__dec_error(dec, "The type of a dynamic value is not valid: %s.", err);
		return NULL;
	}
	v = dec->decode(dec, node, type, depth + 1);
	if (v && !v->dyn_type && type->kind != TF_TYPE_DYNAMIC) {
		v->dyn_type = type;
		type = NULL;
	}
	tf_type_free(type);
	return v;
}

/* ---- encoding ---------------------------------------------------------------- */

void tf__enc_init(struct tf__encoder *enc, struct tf_diags *d, const char *summary)
{
	enc->d = d;
	enc->summary = summary;
	enc->errors = d->errors;
	enc->oom = false;
	tf_path_init(&enc->path);
}

int tf__enc_finish(struct tf__encoder *enc, int rc)
{
	tf_path_release(&enc->path);
	if (enc->oom || (rc && enc->d->errors == enc->errors))
		add_oom(enc->d, "encoding");
	return rc || enc->oom ? -1 : 0;
}

int tf__enc_error(struct tf__encoder *enc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_error(enc->d, &enc->path, enc->summary, fmt, ap);
	va_end(ap);
	return -1;
}

int tf__enc_oom(struct tf__encoder *enc)
{
	enc->oom = true;
	return -1;
}

int tf__enc_check_depth(struct tf__encoder *enc, int depth)
{
	return depth > TF_CODEC_MAX_DEPTH ? tf__enc_error(enc, TOO_DEEP, TF_CODEC_MAX_DEPTH) : 0;
}

int tf__enc_check_kind(struct tf__encoder *enc, const struct tf_value *v,
		       const struct tf_type *t)
{
	enum tf_value_kind want = TF_NULL;

	switch (t->kind) {
	case TF_TYPE_BOOL: want = TF_BOOL; break;
	case TF_TYPE_NUMBER: want = TF_NUMBER; break;
	case TF_TYPE_STRING: want = TF_STRING; break;
	case TF_TYPE_LIST: want = TF_LIST; break;
	case TF_TYPE_SET: want = TF_SET; break;
	case TF_TYPE_TUPLE: want = TF_TUPLE; break;
	case TF_TYPE_MAP: want = TF_MAP; break;
	case TF_TYPE_OBJECT: want = TF_OBJECT; break;
	case TF_TYPE_DYNAMIC: assert(!"the caller handles dynamic"); break;
	}
	if (v->kind != want)
		return tf__enc_error(enc, "Expected a value of type %s, got %s.",
				     tf_type_kind_name(t->kind), tf_value_kind_name(v->kind));
	if (want == TF_TUPLE && v->u.seq.n != t->n)
		return tf__enc_error(enc, "Expected a tuple of %zu elements, got %zu.", t->n,
				     v->u.seq.n);
	return 0;
}

size_t tf__enc_object_len(const struct tf_value *v, const struct tf_type *t)
{
	return t->n > v->u.kv.n ? t->n : v->u.kv.n;
}

int tf__enc_push_attr(struct tf__encoder *enc, const struct tf_value *v, const struct tf_type *t,
		      size_t i)
{
	int c = i >= t->n ? 1 : i >= v->u.kv.n ? -1 : strcmp(t->names[i], v->u.kv.keys[i]);
	const char *name = c <= 0 ? t->names[i] : v->u.kv.keys[i];

	if (tf_path_push_attr(&enc->path, name))
		return tf__enc_oom(enc);
	if (c == 0)
		return 0;
	if (c < 0)
		tf__enc_error(enc, "The attribute \"%s\" is missing.", name);
	else
		tf__enc_error(enc, "The object type has no attribute \"%s\".", name);
	tf_path_pop(&enc->path);
	return -1;
}

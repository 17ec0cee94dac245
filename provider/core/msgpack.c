/*
 * msgpack.c - values in cty's msgpack wire format (see codec.h and
 * reference/protocol.md §6).
 *
 * Decoding happens in two passes over hostile bytes:
 *   1. frame_check() walks the framing without allocating: every length and
 *      element count must fit in the bytes that remain, and containers nest
 *      at most TF_CODEC_MAX_DEPTH deep.  msgpack-c allocates an array's
 *      storage from its header count before reading any element, so a
 *      five-byte "array of 4 billion" would otherwise ask for 96 GiB.
 *   2. msgpack-c unpacks the now bounded input into a msgpack_object tree,
 *      which decode_value() walks along the expected type.
 *
 * Rules, following go-cty (cty/msgpack):
 *   - any ext is an unknown value; an ext longer than one byte must be type
 *     12 (a refined unknown: a map with integer keys, at most 1024 bytes);
 *     refinements are checked for shape and dropped;
 *   - numbers: int, uint, float32/64 or a decimal string; NaN is refused,
 *     +-Inf (a float64 only) is kept as "Inf"/"-Inf";
 *   - strings (and map keys and attribute names) must be valid UTF-8, given
 *     as str or bin; map keys may not hold NUL bytes (keys are C strings);
 *   - an object is a map holding exactly the type's attributes;
 *   - a set's duplicates are dropped, as cty.SetVal does;
 *   - `dynamic` is nil, an ext, or [type JSON as bin or str, value];
 *   - bytes after the value are an error (cty ignores them).
 * Encoding writes unknowns as fixext1 type 0 (d4 00 00), numbers as int when
 * exactly an int64, else float64 when exactly a double, else decimal text,
 * object keys sorted, and dynamic values as [bin type JSON, value].
 */
#include "codec.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>
#include <msgpack/unpack_define.h> /* MSGPACK_EMBED_STACK_SIZE */

#define SUMMARY_DECODE "Invalid value on the wire"
#define SUMMARY_ENCODE "Value does not match its type"
#define REFINED_UNKNOWN_EXT 12
#define REFINED_UNKNOWN_MAX 1024

_Static_assert(TF_CODEC_MAX_DEPTH <= MSGPACK_EMBED_STACK_SIZE,
	       "msgpack-c must be able to unpack what frame_check lets through");

/* ---- byte buffers ----------------------------------------------------------- */

void tf_bytes_release(struct tf_bytes *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
}

static int bytes_append(struct tf_bytes *b, const void *data, size_t len)
{
	if (len > SIZE_MAX - b->len)
		return -1;
	if (b->len + len > b->alloc) {
		size_t alloc = b->alloc ? b->alloc : 64;
		unsigned char *p;

		while (alloc < b->len + len)
			alloc = alloc > SIZE_MAX / 2 ? b->len + len : alloc * 2;
		p = realloc(b->data, alloc);
		if (!p)
			return -1;
		b->data = p;
		b->alloc = alloc;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

/* ---- pass 1: framing ---------------------------------------------------------- */

static uint64_t read_be(const unsigned char *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/*
 * Checks that p[0..len) starts with one well-framed msgpack value; sets
 * *used to its length.  Returns NULL or what is wrong.
 */
static const char *frame_check(const unsigned char *p, size_t len, size_t *used)
{
	uint64_t stack[TF_CODEC_MAX_DEPTH];
	uint64_t pending = 1; /* values still to read at this level */
	size_t top = 0, pos = 0;

	for (;;) {
		size_t hdr = 1, lenbytes = 0;
		uint64_t n = 0, fixed = 0, mult = 0; /* mult: 0 payload bytes, 1 array, 2 map */
		unsigned c;

		while (pending == 0 && top > 0)
			pending = stack[--top];
		if (pending == 0)
			break;
		pending--;
		if (pos >= len)
			return "the input ends in the middle of a value";
		c = p[pos];
		if (c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3) {
			/* fixint, nil, bool: the code is the whole value */
		} else if (c <= 0x8f) {
			n = c & 0x0f, mult = 2;
		} else if (c <= 0x9f) {
			n = c & 0x0f, mult = 1;
		} else if (c <= 0xbf) {
			n = c & 0x1f;
		} else {
			switch (c) {
			case 0xc4: case 0xd9: lenbytes = 1; break;	/* bin8, str8 */
			case 0xc5: case 0xda: lenbytes = 2; break;	/* bin16, str16 */
			case 0xc6: case 0xdb: lenbytes = 4; break;	/* bin32, str32 */
			case 0xc7: lenbytes = 1, fixed = 1; break;	/* ext8 (+type) */
			case 0xc8: lenbytes = 2, fixed = 1; break;
			case 0xc9: lenbytes = 4, fixed = 1; break;
			case 0xca: fixed = 4; break;			/* float32 */
			case 0xcb: fixed = 8; break;			/* float64 */
			case 0xcc: case 0xd0: fixed = 1; break;		/* (u)int8 */
			case 0xcd: case 0xd1: fixed = 2; break;
			case 0xce: case 0xd2: fixed = 4; break;
			case 0xcf: case 0xd3: fixed = 8; break;
			case 0xd4: fixed = 2; break;			/* fixext: type + body */
			case 0xd5: fixed = 3; break;
			case 0xd6: fixed = 5; break;
			case 0xd7: fixed = 9; break;
			case 0xd8: fixed = 17; break;
			case 0xdc: lenbytes = 2, mult = 1; break;	/* array16 */
			case 0xdd: lenbytes = 4, mult = 1; break;
			case 0xde: lenbytes = 2, mult = 2; break;	/* map16 */
			case 0xdf: lenbytes = 4, mult = 2; break;
			default: return "the byte 0xc1 is not valid msgpack";
			}
			hdr += lenbytes;
			if (len - pos < hdr)
				return "the input ends in the middle of a value";
			n = read_be(p + pos + 1, lenbytes);
		}
		pos += hdr;
		if (mult) {
			uint64_t items = n * mult;

			if (items > len - pos)
				return "a container claims more elements than the input holds";
			if (items) {
				if (top == TF_CODEC_MAX_DEPTH)
					return "values are nested too deeply";
				stack[top++] = pending;
				pending = items;
			}
		} else {
			if (n + fixed > len - pos)
				return "the input ends in the middle of a value";
			pos += n + fixed;
		}
	}
	*used = pos;
	return NULL;
}

/* ---- pass 2: decoding along the type ------------------------------------------- */

struct decoder {
	struct tf_diags *d;
	struct tf_path path;
};

static void dec_error(struct decoder *dec, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void dec_error(struct decoder *dec, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	tf_diag_add(dec->d, TF_ERROR, &dec->path, SUMMARY_DECODE, "%s", detail);
}

static void *dec_oom(struct decoder *dec)
{
	tf_diag_add(dec->d, TF_ERROR, NULL, "Out of memory",
		    "The provider ran out of memory while decoding a value.");
	return NULL;
}

/* Passes v through, reporting running out of memory when it is NULL. */
static struct tf_value *dec_check(struct decoder *dec, struct tf_value *v)
{
	return v ? v : dec_oom(dec);
}

static const char *object_name(const msgpack_object *o)
{
	switch (o->type) {
	case MSGPACK_OBJECT_NIL: return "nil";
	case MSGPACK_OBJECT_BOOLEAN: return "a bool";
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
	case MSGPACK_OBJECT_NEGATIVE_INTEGER: return "an integer";
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64: return "a float";
	case MSGPACK_OBJECT_STR: return "a string";
	case MSGPACK_OBJECT_BIN: return "binary data";
	case MSGPACK_OBJECT_ARRAY: return "an array";
	case MSGPACK_OBJECT_MAP: return "a map";
	case MSGPACK_OBJECT_EXT: return "an extension";
	}
	return "something else";
}

static void dec_expected(struct decoder *dec, const struct tf_type *t, const msgpack_object *o)
{
	dec_error(dec, "Expected a value of type %s, got %s.", tf_type_kind_name(t->kind),
		  object_name(o));
}

/* The bytes of a str or bin object, or NULL. */
static const char *raw_bytes(const msgpack_object *o, size_t *len)
{
	if (o->type == MSGPACK_OBJECT_STR) {
		*len = o->via.str.size;
		return o->via.str.ptr ? o->via.str.ptr : "";
	}
	if (o->type == MSGPACK_OBJECT_BIN) {
		*len = o->via.bin.size;
		return o->via.bin.ptr ? o->via.bin.ptr : "";
	}
	return NULL;
}

/* A key (map key or attribute name) as a new C string, or NULL (reported). */
static char *decode_key(struct decoder *dec, const msgpack_object *k)
{
	size_t len;
	const char *s = k->type == MSGPACK_OBJECT_STR ? raw_bytes(k, &len) : NULL;
	char *key;

	if (!s) {
		dec_error(dec, "Keys must be strings, got %s.", object_name(k));
		return NULL;
	}
	if (!tf_utf8_valid(s, len) || memchr(s, '\0', len)) {
		dec_error(dec, "A key is not valid UTF-8 text without NUL bytes.");
		return NULL;
	}
	key = malloc(len + 1);
	if (!key)
		return dec_oom(dec);
	memcpy(key, s, len);
	key[len] = '\0';
	return key;
}

static struct tf_value *decode_value(struct decoder *dec, const msgpack_object *o,
				     const struct tf_type *t, int depth);

static struct tf_value *decode_unknown(struct decoder *dec, const msgpack_object *o)
{
	const msgpack_object_ext *ext = &o->via.ext;
	msgpack_unpacked body;
	size_t used, off = 0;
	const char *why;
	bool ok;

	if (ext->size <= 1)
		goto unknown;
	if (ext->type != REFINED_UNKNOWN_EXT) {
		dec_error(dec, "Unsupported msgpack extension type %d of %u bytes; only "
			  "unknown values (type 12 or at most one byte) are understood.",
			  ext->type, ext->size);
		return NULL;
	}
	if (ext->size > REFINED_UNKNOWN_MAX) {
		dec_error(dec, "The refinements of an unknown value take %u bytes; at most %d "
			  "are allowed.", ext->size, REFINED_UNKNOWN_MAX);
		return NULL;
	}
	why = frame_check((const unsigned char *)ext->ptr, ext->size, &used);
	if (why) {
		dec_error(dec, "Malformed refinements of an unknown value: %s.", why);
		return NULL;
	}
	/* Bytes after the refinement map are allowed (reserved by cty). */
	msgpack_unpacked_init(&body);
	switch (msgpack_unpack_next(&body, ext->ptr, ext->size, &off)) {
	case MSGPACK_UNPACK_SUCCESS:
	case MSGPACK_UNPACK_EXTRA_BYTES:
		ok = body.data.type == MSGPACK_OBJECT_MAP;
		for (uint32_t i = 0; ok && i < body.data.via.map.size; i++) {
			msgpack_object_type kt = body.data.via.map.ptr[i].key.type;

			ok = kt == MSGPACK_OBJECT_POSITIVE_INTEGER ||
			     kt == MSGPACK_OBJECT_NEGATIVE_INTEGER;
		}
		break;
	case MSGPACK_UNPACK_NOMEM_ERROR:
		msgpack_unpacked_destroy(&body);
		return dec_oom(dec);
	default:
		ok = false;
		break;
	}
	msgpack_unpacked_destroy(&body);
	if (!ok) {
		dec_error(dec, "The refinements of an unknown value must be a map with "
			  "integer keys.");
		return NULL;
	}
unknown:
	return dec_check(dec, tf_value_new_unknown());
}

static struct tf_value *decode_number(struct decoder *dec, const msgpack_object *o,
				      const struct tf_type *t)
{
	struct tf_value *v;
	const char *s;
	char *text;
	size_t len;

	switch (o->type) {
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		v = tf_value_new_uint(o->via.u64);
		break;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		v = tf_value_new_int(o->via.i64);
		break;
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		if (isnan(o->via.f64)) {
			dec_error(dec, "NaN is not a number Terraform can hold.");
			return NULL;
		}
		v = tf_value_new_float(o->via.f64);
		break;
	case MSGPACK_OBJECT_STR:
		s = raw_bytes(o, &len);
		if (memchr(s, '\0', len))
			goto bad_text;
		text = strndup(s, len);
		if (!text)
			return dec_oom(dec);
		if (!tf_number_valid(text)) {
			free(text);
			goto bad_text;
		}
		v = tf_value_new_number(text);
		free(text);
		break;
	default:
		dec_expected(dec, t, o);
		return NULL;
	}
	return dec_check(dec, v);
bad_text:
	dec_error(dec, "A number given as text must be a decimal number such as \"-1.5e3\".");
	return NULL;
}

static struct tf_value *decode_seq(struct decoder *dec, const msgpack_object *o,
				   const struct tf_type *t, int depth)
{
	const msgpack_object_array *a = &o->via.array;
	struct tf_value *seq;

	if (o->type != MSGPACK_OBJECT_ARRAY) {
		dec_expected(dec, t, o);
		return NULL;
	}
	if (t->kind == TF_TYPE_TUPLE && a->size != t->n) {
		dec_error(dec, "Expected a tuple of %zu elements, got %u.", t->n, a->size);
		return NULL;
	}
	seq = tf_value_new_collection(t->kind == TF_TYPE_TUPLE ? TF_TUPLE : TF_LIST);
	if (!seq)
		return dec_oom(dec);
	for (uint32_t i = 0; i < a->size; i++) {
		const struct tf_type *et = t->kind == TF_TYPE_TUPLE ? t->types[i] : t->elem;
		struct tf_value *item;

		if (tf_path_push_index(&dec->path, i)) {
			dec_oom(dec);
			goto fail;
		}
		item = decode_value(dec, &a->ptr[i], et, depth + 1);
		tf_path_pop(&dec->path);
		if (!item)
			goto fail;
		if (tf_value_append(seq, item)) {
			dec_oom(dec);
			goto fail;
		}
	}
	if (t->kind == TF_TYPE_SET)
		tf_value_list_to_set(seq);
	return seq;
fail:
	tf_value_free(seq);
	return NULL;
}

static struct tf_value *decode_map(struct decoder *dec, const msgpack_object *o,
				   const struct tf_type *t, int depth)
{
	const msgpack_object_map *m = &o->via.map;
	struct tf_value *map;

	if (o->type != MSGPACK_OBJECT_MAP) {
		dec_expected(dec, t, o);
		return NULL;
	}
	map = tf_value_new_collection(TF_MAP);
	if (!map)
		return dec_oom(dec);
	for (uint32_t i = 0; i < m->size; i++) {
		struct tf_value *val;
		char *key = decode_key(dec, &m->ptr[i].key);

		if (!key)
			goto fail;
		if (tf_path_push_key(&dec->path, key)) {
			free(key);
			dec_oom(dec);
			goto fail;
		}
		val = decode_value(dec, &m->ptr[i].val, t->elem, depth + 1);
		tf_path_pop(&dec->path);
		if (!val) {
			free(key);
			goto fail;
		}
		/* A repeated key replaces the earlier value, as in cty. */
		if (tf_value_set(map, key, val)) {
			free(key);
			dec_oom(dec);
			goto fail;
		}
		free(key);
	}
	return map;
fail:
	tf_value_free(map);
	return NULL;
}

/* Reports every attribute missing from vals; true when there was one. */
static bool report_missing(struct decoder *dec, const struct tf_type *t, struct tf_value **vals)
{
	bool missing = false;

	for (size_t i = 0; i < t->n; i++) {
		if (vals[i])
			continue;
		missing = true;
		if (tf_path_push_attr(&dec->path, t->names[i])) {
			dec_oom(dec);
			break;
		}
		dec_error(dec, "The attribute \"%s\" is missing; an object on the wire holds "
			  "every attribute of its type (null when unset).", t->names[i]);
		tf_path_pop(&dec->path);
	}
	return missing;
}

/* Decodes one attribute into vals[]; false on error (reported). */
static bool decode_attr(struct decoder *dec, const msgpack_object_kv *kv,
			const struct tf_type *t, struct tf_value **vals, int depth)
{
	char *name = decode_key(dec, &kv->key);
	bool ok = false;
	long at;

	if (!name)
		return false;
	if (tf_path_push_attr(&dec->path, name)) {
		free(name);
		dec_oom(dec);
		return false;
	}
	at = tf_type_object_index(t, name);
	if (at < 0)
		dec_error(dec, "Unsupported attribute \"%s\": the object type has no such "
			  "attribute.", name);
	else if (vals[at])
		dec_error(dec, "The attribute \"%s\" is given twice.", name);
	else
		ok = (vals[at] = decode_value(dec, &kv->val, t->types[at], depth + 1)) != NULL;
	tf_path_pop(&dec->path);
	free(name);
	return ok;
}

static struct tf_value *decode_object(struct decoder *dec, const msgpack_object *o,
				      const struct tf_type *t, int depth)
{
	const msgpack_object_map *m = &o->via.map;
	struct tf_value **vals, *obj = NULL;
	bool ok = true;

	if (o->type != MSGPACK_OBJECT_MAP) {
		dec_expected(dec, t, o);
		return NULL;
	}
	vals = calloc(t->n ? t->n : 1, sizeof(*vals));
	if (!vals)
		return dec_oom(dec);
	for (uint32_t i = 0; i < m->size && ok; i++)
		ok = decode_attr(dec, &m->ptr[i], t, vals, depth);
	ok = ok && !report_missing(dec, t, vals);
	if (ok && !(obj = tf_value_new_collection(TF_OBJECT))) {
		dec_oom(dec);
		ok = false;
	}
	/* tf_value_set takes vals[i] even when it fails. */
	for (size_t i = 0; i < t->n; i++) {
		if (!ok)
			tf_value_free(vals[i]);
		else if (tf_value_set(obj, t->names[i], vals[i]))
			ok = !dec_oom(dec);
	}
	free(vals);
	if (!ok) {
		tf_value_free(obj);
		return NULL;
	}
	return obj;
}

static struct tf_value *decode_dynamic(struct decoder *dec, const msgpack_object *o, int depth)
{
	const msgpack_object *pair = o->via.array.ptr;
	struct tf_type *type;
	struct tf_value *v;
	const char *json;
	char err[256];
	size_t len;

	if (o->type == MSGPACK_OBJECT_NIL)
		return dec_check(dec, tf_value_new_null());
	if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != 2) {
		dec_error(dec, "A dynamic value must be a [type, value] array, got %s.",
			  object_name(o));
		return NULL;
	}
	json = raw_bytes(&pair[0], &len);
	if (!json) {
		dec_error(dec, "The type of a dynamic value must be JSON text, got %s.",
			  object_name(&pair[0]));
		return NULL;
	}
	type = tf_type_from_json(json, len, err, sizeof(err));
	if (!type) {
		dec_error(dec, "The type of a dynamic value is not valid: %s.", err);
		return NULL;
	}
	v = decode_value(dec, &pair[1], type, depth + 1);
	if (v && !v->dyn_type && type->kind != TF_TYPE_DYNAMIC) {
		v->dyn_type = type;
		type = NULL;
	}
	tf_type_free(type);
	return v;
}

static struct tf_value *decode_value(struct decoder *dec, const msgpack_object *o,
				     const struct tf_type *t, int depth)
{
	size_t len;
	const char *s;

	assert(t);
	if (depth > TF_CODEC_MAX_DEPTH) {
		dec_error(dec, "Values are nested more than %d deep.", TF_CODEC_MAX_DEPTH);
		return NULL;
	}
	if (o->type == MSGPACK_OBJECT_EXT)
		return decode_unknown(dec, o);
	if (t->kind == TF_TYPE_DYNAMIC)
		return decode_dynamic(dec, o, depth);
	if (o->type == MSGPACK_OBJECT_NIL)
		return dec_check(dec, tf_value_new_null());

	switch (t->kind) {
	case TF_TYPE_BOOL:
		if (o->type != MSGPACK_OBJECT_BOOLEAN)
			break;
		return dec_check(dec, tf_value_new_bool(o->via.boolean));
	case TF_TYPE_NUMBER:
		return decode_number(dec, o, t);
	case TF_TYPE_STRING:
		s = raw_bytes(o, &len);
		if (!s)
			break;
		if (!tf_utf8_valid(s, len)) {
			dec_error(dec, "A string is not valid UTF-8.");
			return NULL;
		}
		return dec_check(dec, tf_value_new_stringn(s, len));
	case TF_TYPE_LIST:
	case TF_TYPE_SET:
	case TF_TYPE_TUPLE:
		return decode_seq(dec, o, t, depth);
	case TF_TYPE_MAP:
		return decode_map(dec, o, t, depth);
	case TF_TYPE_OBJECT:
		return decode_object(dec, o, t, depth);
	case TF_TYPE_DYNAMIC:
		break; /* handled above */
	}
	dec_expected(dec, t, o);
	return NULL;
}

struct tf_value *tf_msgpack_decode(const void *buf, size_t len, const struct tf_type *type,
				   struct tf_diags *d)
{
	struct decoder dec = { .d = d };
	struct tf_value *v = NULL;
	msgpack_unpacked root;
	const char *why;
	size_t used, off = 0;

	assert(type && d);
	tf_path_init(&dec.path);
	if (len > TF_CODEC_MAX_INPUT) {
		dec_error(&dec, "The value takes %zu bytes; at most %zu are allowed.", len,
			  TF_CODEC_MAX_INPUT);
		return NULL;
	}
	why = frame_check(buf, len, &used);
	if (!why && used != len)
		why = "there are bytes after the value";
	if (why) {
		dec_error(&dec, "Malformed msgpack: %s.", why);
		return NULL;
	}
	msgpack_unpacked_init(&root);
	switch (msgpack_unpack_next(&root, buf, len, &off)) {
	case MSGPACK_UNPACK_SUCCESS:
		v = decode_value(&dec, &root.data, type, 0);
		break;
	case MSGPACK_UNPACK_NOMEM_ERROR:
		dec_oom(&dec);
		break;
	default:
		dec_error(&dec, "Malformed msgpack.");
		break;
	}
	msgpack_unpacked_destroy(&root);
	tf_path_release(&dec.path);
	assert(v || tf_diags_has_errors(d));
	return v;
}

/* ---- encoding ------------------------------------------------------------------ */

struct encoder {
	msgpack_packer pk;
	struct tf_bytes *out;
	struct tf_diags *d;
	struct tf_path path;
	bool oom;
};

static int enc_write(void *data, const char *buf, size_t len)
{
	struct encoder *enc = data;

	if (enc->oom || bytes_append(enc->out, buf, len)) {
		enc->oom = true;
		return -1;
	}
	return 0;
}

static int enc_error(struct encoder *enc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int enc_error(struct encoder *enc, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	tf_diag_add(enc->d, TF_ERROR, &enc->path, SUMMARY_ENCODE, "%s", detail);
	return -1;
}

static int enc_oom(struct encoder *enc)
{
	enc->oom = true;
	return -1;
}

static int enc_mismatch(struct encoder *enc, const struct tf_value *v, const struct tf_type *t)
{
	return enc_error(enc, "Expected a value of type %s, got %s.", tf_type_kind_name(t->kind),
			 tf_value_kind_name(v->kind));
}

static int pack_unknown(struct encoder *enc)
{
	static const char zero = 0;

	return msgpack_pack_ext(&enc->pk, 1, 0) || msgpack_pack_ext_body(&enc->pk, &zero, 1);
}

static int pack_str(struct encoder *enc, const char *s, size_t len)
{
	return msgpack_pack_str(&enc->pk, len) || msgpack_pack_str_body(&enc->pk, s, len);
}

static int encode_value(struct encoder *enc, const struct tf_value *v, const struct tf_type *t,
			int depth);

static int encode_number(struct encoder *enc, const char *text)
{
	int64_t i;
	double f;

	if (!tf_number_valid(text))
		return enc_error(enc, "\"%s\" is not a valid number.", text);
	if (tf_number_to_int64(text, &i))
		return msgpack_pack_int64(&enc->pk, i);
	if (tf_number_to_double(text, &f))
		return msgpack_pack_double(&enc->pk, f);
	return pack_str(enc, text, strlen(text));
}

static int encode_seq(struct encoder *enc, const struct tf_value *v, const struct tf_type *t,
		      int depth)
{
	if (msgpack_pack_array(&enc->pk, v->u.seq.n))
		return -1;
	for (size_t i = 0; i < v->u.seq.n; i++) {
		const struct tf_type *et = t->kind == TF_TYPE_TUPLE ? t->types[i] : t->elem;
		int rc;

		if (tf_path_push_index(&enc->path, (int64_t)i))
			return enc_oom(enc);
		rc = encode_value(enc, v->u.seq.items[i], et, depth + 1);
		tf_path_pop(&enc->path);
		if (rc)
			return rc;
	}
	return 0;
}

static int encode_map(struct encoder *enc, const struct tf_value *v, const struct tf_type *t,
		      int depth)
{
	if (msgpack_pack_map(&enc->pk, v->u.kv.n))
		return -1;
	for (size_t i = 0; i < v->u.kv.n; i++) {
		const char *key = v->u.kv.keys[i];
		int rc;

		if (!tf_utf8_valid(key, strlen(key)))
			return enc_error(enc, "A map key is not valid UTF-8.");
		if (tf_path_push_key(&enc->path, key))
			return enc_oom(enc);
		rc = pack_str(enc, key, strlen(key)) ? -1
			: encode_value(enc, v->u.kv.vals[i], t->elem, depth + 1);
		tf_path_pop(&enc->path);
		if (rc)
			return rc;
	}
	return 0;
}

/* Both the type's names and the value's keys are sorted: walk them together. */
static int encode_object(struct encoder *enc, const struct tf_value *v, const struct tf_type *t,
			 int depth)
{
	size_t i = 0, j = 0;

	if (msgpack_pack_map(&enc->pk, t->n))
		return -1;
	while (i < t->n || j < v->u.kv.n) {
		int c = i == t->n ? 1 : j == v->u.kv.n ? -1 : strcmp(t->names[i], v->u.kv.keys[j]);
		const char *name = c <= 0 ? t->names[i] : v->u.kv.keys[j];
		int rc;

		if (tf_path_push_attr(&enc->path, name))
			return enc_oom(enc);
		if (c < 0)
			rc = enc_error(enc, "The attribute \"%s\" is missing.", name);
		else if (c > 0)
			rc = enc_error(enc, "The object type has no attribute \"%s\".", name);
		else
			rc = pack_str(enc, name, strlen(name)) ? -1
				: encode_value(enc, v->u.kv.vals[j], t->types[i], depth + 1);
		tf_path_pop(&enc->path);
		if (rc)
			return rc;
		i++, j++;
	}
	return 0;
}

static int encode_dynamic(struct encoder *enc, const struct tf_value *v, int depth)
{
	struct tf_type *implied = NULL;
	const struct tf_type *type;
	char *json;
	int rc;

	if (tf_value_is_null(v) && !(v && v->dyn_type))
		return msgpack_pack_nil(&enc->pk);
	if (tf_value_is_unknown(v) && !v->dyn_type)
		return pack_unknown(enc);
	type = v->dyn_type;
	if (!type && !(type = implied = tf_value_implied_type(v)))
		return enc_oom(enc);
	if (type->kind == TF_TYPE_DYNAMIC) {
		/* Only null and unknown can have the type `dynamic`. */
		rc = v->kind == TF_NULL ? msgpack_pack_nil(&enc->pk)
		   : v->kind == TF_UNKNOWN ? pack_unknown(enc)
		   : enc_error(enc, "A %s in a dynamic slot needs a concrete type.",
			       tf_value_kind_name(v->kind));
		tf_type_free(implied);
		return rc;
	}
	json = tf_type_to_json(type);
	if (!json) {
		tf_type_free(implied);
		return enc_oom(enc);
	}
	rc = msgpack_pack_array(&enc->pk, 2) || msgpack_pack_bin(&enc->pk, strlen(json)) ||
	     msgpack_pack_bin_body(&enc->pk, json, strlen(json)) ? -1
		: encode_value(enc, v, type, depth + 1);
	free(json);
	tf_type_free(implied);
	return rc;
}

static int encode_value(struct encoder *enc, const struct tf_value *v, const struct tf_type *t,
			int depth)
{
	assert(t);
	if (depth > TF_CODEC_MAX_DEPTH)
		return enc_error(enc, "Values are nested more than %d deep.", TF_CODEC_MAX_DEPTH);
	if (t->kind == TF_TYPE_DYNAMIC)
		return encode_dynamic(enc, v, depth);
	if (tf_value_is_null(v))
		return msgpack_pack_nil(&enc->pk);
	if (v->kind == TF_UNKNOWN)
		return pack_unknown(enc);

	switch (t->kind) {
	case TF_TYPE_BOOL:
		if (v->kind != TF_BOOL)
			break;
		return v->u.b ? msgpack_pack_true(&enc->pk) : msgpack_pack_false(&enc->pk);
	case TF_TYPE_NUMBER:
		if (v->kind != TF_NUMBER)
			break;
		return encode_number(enc, v->u.num);
	case TF_TYPE_STRING:
		if (v->kind != TF_STRING)
			break;
		if (!tf_utf8_valid(v->u.str.ptr, v->u.str.len))
			return enc_error(enc, "A string is not valid UTF-8.");
		return pack_str(enc, v->u.str.ptr, v->u.str.len);
	case TF_TYPE_LIST:
	case TF_TYPE_SET:
		if (v->kind != (t->kind == TF_TYPE_LIST ? TF_LIST : TF_SET))
			break;
		return encode_seq(enc, v, t, depth);
	case TF_TYPE_TUPLE:
		if (v->kind != TF_TUPLE)
			break;
		if (v->u.seq.n != t->n)
			return enc_error(enc, "Expected a tuple of %zu elements, got %zu.", t->n,
					 v->u.seq.n);
		return encode_seq(enc, v, t, depth);
	case TF_TYPE_MAP:
		if (v->kind != TF_MAP)
			break;
		return encode_map(enc, v, t, depth);
	case TF_TYPE_OBJECT:
		if (v->kind != TF_OBJECT)
			break;
		return encode_object(enc, v, t, depth);
	case TF_TYPE_DYNAMIC:
		break; /* handled above */
	}
	return enc_mismatch(enc, v, t);
}

int tf_msgpack_encode(const struct tf_value *v, const struct tf_type *type,
		      struct tf_bytes *out, struct tf_diags *d)
{
	struct encoder enc = { .out = out, .d = d };
	size_t start = out->len, errors = d->errors;
	int rc;

	assert(type && out && d);
	tf_path_init(&enc.path);
	msgpack_packer_init(&enc.pk, &enc, enc_write);
	rc = encode_value(&enc, v, type, 0);
	if (enc.oom || (rc && d->errors == errors))
		tf_diag_add(d, TF_ERROR, NULL, "Out of memory",
			    "The provider ran out of memory while encoding a value.");
	tf_path_release(&enc.path);
	if (rc || enc.oom) {
		out->len = start;
		return -1;
	}
	return 0;
}

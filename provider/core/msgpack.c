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
#include "codec-internal.h"

#include <assert.h>
#include <math.h>
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

static void dec_expected(struct tf__decoder *dec, const struct tf_type *t,
			 const msgpack_object *o)
{
	tf__dec_error(dec, "Expected a value of type %s, got %s.", tf_type_kind_name(t->kind),
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
static char *decode_key(struct tf__decoder *dec, const msgpack_object *k)
{
	size_t len;
	const char *s = k->type == MSGPACK_OBJECT_STR ? raw_bytes(k, &len) : NULL;
	char *key;

	if (!s) {
		tf__dec_error(dec, "Keys must be strings, got %s.", object_name(k));
		return NULL;
	}
	if (!tf_utf8_valid(s, len) || memchr(s, '\0', len)) {
		tf__dec_error(dec, "A key is not valid UTF-8 text without NUL bytes.");
		return NULL;
	}
	key = malloc(len + 1);
	if (!key)
		return tf__dec_oom(dec);
	memcpy(key, s, len);
	key[len] = '\0';
	return key;
}

static struct tf_value *decode_unknown(struct tf__decoder *dec, const msgpack_object *o)
{
	const msgpack_object_ext *ext = &o->via.ext;
	msgpack_unpacked body;
	size_t used, off = 0;
	const char *why;
	bool ok;

	if (ext->size <= 1)
		goto unknown;
	if (ext->type != REFINED_UNKNOWN_EXT) {
		tf__dec_error(dec, "Unsupported msgpack extension type %d of %u bytes; only "
			      "unknown values (type 12 or at most one byte) are understood.",
			      ext->type, ext->size);
		return NULL;
	}
	if (ext->size > REFINED_UNKNOWN_MAX) {
		tf__dec_error(dec, "The refinements of an unknown value take %u bytes; at most %d "
			      "are allowed.", ext->size, REFINED_UNKNOWN_MAX);
		return NULL;
	}
	why = frame_check((const unsigned char *)ext->ptr, ext->size, &used);
	if (why) {
		tf__dec_error(dec, "Malformed refinements of an unknown value: %s.", why);
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
		return tf__dec_oom(dec);
	default:
		ok = false;
		break;
	}
	msgpack_unpacked_destroy(&body);
	if (!ok) {
		tf__dec_error(dec, "The refinements of an unknown value must be a map with "
			      "integer keys.");
		return NULL;
	}
unknown:
	return tf__dec_check(dec, tf_value_new_unknown());
}

static struct tf_value *decode_number(struct tf__decoder *dec, const msgpack_object *o,
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
			tf__dec_error(dec, "NaN is not a number Terraform can hold.");
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
			return tf__dec_oom(dec);
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
	return tf__dec_check(dec, v);
bad_text:
	tf__dec_error(dec, "A number given as text must be a decimal number such as \"-1.5e3\".");
	return NULL;
}

static struct tf_value *decode_seq(struct tf__decoder *dec, const msgpack_object *o,
				   const struct tf_type *t, int depth)
{
	const msgpack_object_array *a = &o->via.array;
	struct tf_value *seq;

	if (o->type != MSGPACK_OBJECT_ARRAY) {
		dec_expected(dec, t, o);
		return NULL;
	}
	seq = tf__dec_seq_new(dec, t, a->size);
	if (!seq)
		return NULL;
	for (uint32_t i = 0; i < a->size; i++) {
		if (tf__dec_seq_add(dec, seq, t, i, &a->ptr[i], depth)) {
			tf_value_free(seq);
			return NULL;
		}
	}
	return tf__dec_seq_done(seq, t);
}

/* Decodes one map entry into map; 0 or -1 (reported). */
static int decode_entry(struct tf__decoder *dec, struct tf_value *map, const msgpack_object_kv *kv,
			const struct tf_type *t, int depth)
{
	char *key = decode_key(dec, &kv->key);
	int rc;

	if (!key)
		return -1;
	/* A repeated key replaces the earlier value, as in cty. */
	rc = tf__dec_put(dec, map, key, &kv->val, t->elem, depth);
	free(key);
	return rc;
}

/* Decodes one attribute into obj; 0 or -1 (reported). */
static int decode_attr(struct tf__decoder *dec, struct tf_value *obj, const msgpack_object_kv *kv,
		       const struct tf_type *t, int depth)
{
	char *name = decode_key(dec, &kv->key);
	long at;
	int rc = -1;

	if (!name)
		return -1;
	at = tf_type_object_index(t, name);
	if (at >= 0 && !tf_value_get(obj, name)) {
		rc = tf__dec_put(dec, obj, name, &kv->val, t->types[at], depth);
	} else if (!tf__dec_push_attr(dec, name)) {
		if (at < 0)
			tf__dec_error(dec, "Unsupported attribute \"%s\": the object type has no "
				      "such attribute.", name);
		else
			tf__dec_error(dec, "The attribute \"%s\" is given twice.", name);
		tf_path_pop(&dec->path);
	}
	free(name);
	return rc;
}

/* Maps and objects are both msgpack maps; an object must hold every attribute. */
static struct tf_value *decode_kv(struct tf__decoder *dec, const msgpack_object *o,
				  const struct tf_type *t, int depth)
{
	bool is_obj = t->kind == TF_TYPE_OBJECT;
	const msgpack_object_map *m = &o->via.map;
	struct tf_value *kv;

	if (o->type != MSGPACK_OBJECT_MAP) {
		dec_expected(dec, t, o);
		return NULL;
	}
	kv = tf_value_new_collection(is_obj ? TF_OBJECT : TF_MAP);
	if (!kv)
		return tf__dec_oom(dec);
	for (uint32_t i = 0; i < m->size; i++) {
		if (is_obj ? decode_attr(dec, kv, &m->ptr[i], t, depth)
			   : decode_entry(dec, kv, &m->ptr[i], t, depth)) {
			tf_value_free(kv);
			return NULL;
		}
	}
	return is_obj ? tf__dec_object_done(dec, kv, t, TF__MISSING_IS_ERROR) : kv;
}

static struct tf_value *decode_dynamic(struct tf__decoder *dec, const msgpack_object *o, int depth)
{
	const msgpack_object *pair = o->via.array.ptr;
	const char *json;
	size_t len;

	if (o->type == MSGPACK_OBJECT_NIL)
		return tf__dec_check(dec, tf_value_new_null());
	if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != 2) {
		tf__dec_error(dec, "A dynamic value must be a [type, value] array, got %s.",
			      object_name(o));
		return NULL;
	}
	json = raw_bytes(&pair[0], &len);
	if (!json) {
		tf__dec_error(dec, "The type of a dynamic value must be JSON text, got %s.",
			      object_name(&pair[0]));
		return NULL;
	}
	return tf__dec_dynamic(dec, json, len, &pair[1], depth);
}

static struct tf_value *decode_value(struct tf__decoder *dec, const void *node,
				     const struct tf_type *t, int depth)
{
	const msgpack_object *o = node;
	size_t len;
	const char *s;

	assert(t);
	if (tf__dec_too_deep(dec, depth))
		return NULL;
	if (o->type == MSGPACK_OBJECT_EXT)
		return decode_unknown(dec, o);
	if (t->kind == TF_TYPE_DYNAMIC)
		return decode_dynamic(dec, o, depth);
	if (o->type == MSGPACK_OBJECT_NIL)
		return tf__dec_check(dec, tf_value_new_null());

	switch (t->kind) {
	case TF_TYPE_BOOL:
		if (o->type != MSGPACK_OBJECT_BOOLEAN)
			break;
		return tf__dec_check(dec, tf_value_new_bool(o->via.boolean));
	case TF_TYPE_NUMBER:
		return decode_number(dec, o, t);
	case TF_TYPE_STRING:
		s = raw_bytes(o, &len);
		if (!s)
			break;
		if (!tf_utf8_valid(s, len)) {
			tf__dec_error(dec, "A string is not valid UTF-8.");
			return NULL;
		}
		return tf__dec_check(dec, tf_value_new_stringn(s, len));
	case TF_TYPE_LIST:
	case TF_TYPE_SET:
	case TF_TYPE_TUPLE:
		return decode_seq(dec, o, t, depth);
	case TF_TYPE_MAP:
	case TF_TYPE_OBJECT:
		return decode_kv(dec, o, t, depth);
	case TF_TYPE_DYNAMIC:
		break; /* handled above */
	}
	dec_expected(dec, t, o);
	return NULL;
}

struct tf_value *tf_msgpack_decode(const void *buf, size_t len, const struct tf_type *type,
				   struct tf_diags *d)
{
	struct tf__decoder dec;
	struct tf_value *v = NULL;
	msgpack_unpacked root;
	const char *why;
	size_t used, off = 0;

	assert(type && d);
	tf__dec_init(&dec, d, SUMMARY_DECODE, decode_value);
	if (len > TF_CODEC_MAX_INPUT) {
		tf__dec_error(&dec, "The value takes %zu bytes; at most %zu are allowed.", len,
			      TF_CODEC_MAX_INPUT);
		return NULL;
	}
	why = frame_check(buf, len, &used);
	if (!why && used != len)
		why = "there are bytes after the value";
	if (why) {
		tf__dec_error(&dec, "Malformed msgpack: %s.", why);
		return NULL;
	}
	msgpack_unpacked_init(&root);
	switch (msgpack_unpack_next(&root, buf, len, &off)) {
	case MSGPACK_UNPACK_SUCCESS:
		v = decode_value(&dec, &root.data, type, 0);
		break;
	case MSGPACK_UNPACK_NOMEM_ERROR:
		tf__dec_oom(&dec);
		break;
	default:
		tf__dec_error(&dec, "Malformed msgpack.");
		break;
	}
	msgpack_unpacked_destroy(&root);
	tf__dec_release(&dec);
	assert(v || tf_diags_has_errors(d));
	return v;
}

/* ---- encoding ------------------------------------------------------------------ */

struct encoder {
	struct tf__encoder base; /* diagnostics, path, out of memory */
	msgpack_packer pk;
	struct tf_bytes *out;
};

static int enc_write(void *data, const char *buf, size_t len)
{
	struct encoder *enc = data;

	if (enc->base.oom || tf_bytes_add(enc->out, buf, len))
		return tf__enc_oom(&enc->base);
	return 0;
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
		return tf__enc_error(&enc->base, "\"%s\" is not a valid number.", text);
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

		if (tf_path_push_index(&enc->base.path, (int64_t)i))
			return tf__enc_oom(&enc->base);
		rc = encode_value(enc, v->u.seq.items[i], et, depth + 1);
		tf_path_pop(&enc->base.path);
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
			return tf__enc_error(&enc->base, "A map key is not valid UTF-8.");
		if (tf_path_push_key(&enc->base.path, key))
			return tf__enc_oom(&enc->base);
		rc = pack_str(enc, key, strlen(key)) ? -1
			: encode_value(enc, v->u.kv.vals[i], t->elem, depth + 1);
		tf_path_pop(&enc->base.path);
		if (rc)
			return rc;
	}
	return 0;
}

static int encode_object(struct encoder *enc, const struct tf_value *v, const struct tf_type *t,
			 int depth)
{
	if (msgpack_pack_map(&enc->pk, t->n))
		return -1;
	for (size_t i = 0; i < tf__enc_object_len(v, t); i++) {
		int rc;

		if (tf__enc_push_attr(&enc->base, v, t, i))
			return -1;
		rc = pack_str(enc, t->names[i], strlen(t->names[i])) ? -1
			: encode_value(enc, v->u.kv.vals[i], t->types[i], depth + 1);
		tf_path_pop(&enc->base.path);
		if (rc)
			return rc;
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
		return tf__enc_oom(&enc->base);
	if (type->kind == TF_TYPE_DYNAMIC) {
		/* Only null and unknown can have the type `dynamic`. */
		rc = v->kind == TF_NULL ? msgpack_pack_nil(&enc->pk)
		   : v->kind == TF_UNKNOWN ? pack_unknown(enc)
		   : tf__enc_error(&enc->base, "A %s in a dynamic slot needs a concrete type.",
				   tf_value_kind_name(v->kind));
		tf_type_free(implied);
		return rc;
	}
	json = tf_type_to_json(type);
	if (!json) {
		tf_type_free(implied);
		return tf__enc_oom(&enc->base);
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
	if (tf__enc_check_depth(&enc->base, depth))
		return -1;
	if (t->kind == TF_TYPE_DYNAMIC)
		return encode_dynamic(enc, v, depth);
	if (tf_value_is_null(v))
		return msgpack_pack_nil(&enc->pk);
	if (v->kind == TF_UNKNOWN)
		return pack_unknown(enc);
	if (tf__enc_check_kind(&enc->base, v, t))
		return -1;

	switch (t->kind) {
	case TF_TYPE_BOOL:
		return v->u.b ? msgpack_pack_true(&enc->pk) : msgpack_pack_false(&enc->pk);
	case TF_TYPE_NUMBER:
		return encode_number(enc, v->u.num);
	case TF_TYPE_STRING:
		if (!tf_utf8_valid(v->u.str.ptr, v->u.str.len))
			return tf__enc_error(&enc->base, "A string is not valid UTF-8.");
		return pack_str(enc, v->u.str.ptr, v->u.str.len);
	case TF_TYPE_LIST:
	case TF_TYPE_SET:
	case TF_TYPE_TUPLE:
		return encode_seq(enc, v, t, depth);
	case TF_TYPE_MAP:
		return encode_map(enc, v, t, depth);
	case TF_TYPE_OBJECT:
		return encode_object(enc, v, t, depth);
	case TF_TYPE_DYNAMIC:
		break; /* handled above */
	}
	return -1;
}

int tf_msgpack_encode(const struct tf_value *v, const struct tf_type *type,
		      struct tf_bytes *out, struct tf_diags *d)
{
	struct encoder enc = { .out = out };
	size_t start = out->len;

	assert(type && out && d);
	tf__enc_init(&enc.base, d, SUMMARY_ENCODE);
	msgpack_packer_init(&enc.pk, &enc, enc_write);
	if (tf__enc_finish(&enc.base, encode_value(&enc, v, type, 0))) {
		out->len = start;
		return -1;
	}
	return 0;
}

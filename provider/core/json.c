/*
 * json.c - values as JSON, the form of RawState in UpgradeResourceState
 * (see codec.h; cty/json in go-cty).
 *
 * Numbers keep their exact text.  jansson turns every number into an
 * int64 or a double, so before parsing, tag_scalars() rewrites the text:
 * each string "x" becomes "sx" and each number 1.5 becomes the string
 * "n1.5" (checked against JSON's number grammar first).  jansson then
 * checks the structure and builds the tree, and the walk below tells
 * strings from numbers by that first byte.  There is no precision limit;
 * the only bound is TF_CODEC_MAX_INPUT on the whole text.
 *
 * Rules, as in cty's JSON decoder, with RawState's leniency:
 *   - null is null for every type;
 *   - an object lists attributes by name: a missing one is null, one the
 *     type does not know is dropped (state written by an older schema);
 *   - a string type also takes a number (its text) or a bool ("true"),
 *     a number type a string holding a number, a bool type "true"/"false";
 *   - dynamic = {"value": V, "type": T} with nothing else in it;
 *   - a repeated object key: the last one wins (jansson and Go agree).
 * The encoder writes the JSON itself (jansson cannot print a number from
 * its text): compact, keys sorted, unknown values and infinities refused.
 */
#include "codec.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define SUMMARY_DECODE "Invalid value in stored state"
#define SUMMARY_ENCODE "Value cannot be written as JSON"
#define TAG_STRING 's'
#define TAG_NUMBER 'n'

/* ---- small buffer helpers ---------------------------------------------------- */

static int buf_add(struct tf_bytes *b, const void *data, size_t len)
{
	if (len > SIZE_MAX - b->len - 1)
		return -1;
	if (b->len + len + 1 > b->alloc) {
		size_t alloc = b->alloc ? b->alloc : 256;
		unsigned char *p;

		while (alloc < b->len + len + 1)
			alloc = alloc > SIZE_MAX / 2 ? b->len + len + 1 : alloc * 2;
		p = realloc(b->data, alloc);
		if (!p)
			return -1;
		b->data = p;
		b->alloc = alloc;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0'; /* always NUL-terminated, for tf_json_encode */
	return 0;
}

static int buf_addc(struct tf_bytes *b, char c)
{
	return buf_add(b, &c, 1);
}

/* ---- tagging ----------------------------------------------------------------------- */

static bool is_number_char(char c)
{
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/*
 * Copies in[0..len) to out, tagging strings and numbers (see the top of the
 * file).  Returns NULL, or what is wrong with the text ("oom" when memory
 * runs out).  Anything else is copied for jansson to judge.
 */
static const char *tag_scalars(const char *in, size_t len, struct tf_bytes *out)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i + 1;

		if (in[i] == '"') {
			while (j < len && in[j] != '"')
				j += in[j] == '\\' ? 2 : 1;
			if (j >= len)
				return "a string is not terminated";
			if (buf_addc(out, '"') || buf_addc(out, TAG_STRING) ||
			    buf_add(out, in + i + 1, j - i - 1) || buf_addc(out, '"'))
				return "oom";
			i = j + 1;
		} else if (in[i] == '-' || (in[i] >= '0' && in[i] <= '9')) {
			char *text;
			bool ok;

			while (j < len && is_number_char(in[j]))
				j++;
			text = strndup(in + i, j - i);
			if (!text)
				return "oom";
			/* tf_number_valid is JSON's grammar, "Inf" aside (no letters here). */
			ok = tf_number_valid(text);
			free(text);
			if (!ok)
				return "a number is malformed or its exponent has more than 9 digits";
			if (buf_addc(out, '"') || buf_addc(out, TAG_NUMBER) ||
			    buf_add(out, in + i, j - i) || buf_addc(out, '"'))
				return "oom";
			i = j;
		} else {
			if (buf_addc(out, in[i]))
				return "oom";
			i++;
		}
	}
	return NULL;
}

/* True when j is a string tagged `tag`; *s and *len get the original text. */
static bool tagged(const json_t *j, char tag, const char **s, size_t *len)
{
	if (!json_is_string(j) || json_string_length(j) < 1 || json_string_value(j)[0] != tag)
		return false;
	*s = json_string_value(j) + 1;
	*len = json_string_length(j) - 1;
	return true;
}

/* A copy of a tagged tree with the tags removed (for type expressions). */
static json_t *untag(const json_t *j, int depth)
{
	const char *s, *key;
	size_t len, keylen, i;
	json_t *c, *m;

	if (depth > TF_TYPE_MAX_DEPTH)
		return NULL;
	if (tagged(j, TAG_STRING, &s, &len))
		return json_stringn(s, len);
	if (json_is_string(j))
		return json_integer(0); /* a number: never part of a type */
	if (json_is_array(j)) {
		c = json_array();
		json_array_foreach(j, i, m)
			if (!c || json_array_append_new(c, untag(m, depth + 1)))
				goto fail;
		return c;
	}
	if (json_is_object(j)) {
		c = json_object();
		json_object_keylen_foreach((json_t *)j, key, keylen, m)
			if (!c || json_object_setn_new(c, key + 1, keylen - 1, untag(m, depth + 1)))
				goto fail;
		return c;
	}
	return json_incref((json_t *)j);
fail:
	json_decref(c);
	return NULL;
}

/* ---- decoding ----------------------------------------------------------------- */

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

static struct tf_value *dec_check(struct decoder *dec, struct tf_value *v)
{
	return v ? v : dec_oom(dec);
}

static const char *json_name(const json_t *j)
{
	const char *s;
	size_t len;

	switch (json_typeof(j)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return tagged(j, TAG_NUMBER, &s, &len) ? "a number" : "a string";
	case JSON_TRUE:
	case JSON_FALSE: return "a bool";
	case JSON_NULL: return "null";
	default: return "a number"; /* never: numbers are tagged strings */
	}
}

static void dec_expected(struct decoder *dec, const struct tf_type *t, const json_t *j)
{
	dec_error(dec, "Expected a value of type %s, got %s.", tf_type_kind_name(t->kind),
		  json_name(j));
}

static struct tf_value *decode_value(struct decoder *dec, const json_t *j,
				     const struct tf_type *t, int depth);

static struct tf_value *decode_number(struct decoder *dec, const json_t *j,
				      const struct tf_type *t)
{
	const char *s;
	size_t len;
	char *text;
	struct tf_value *v;

	if (tagged(j, TAG_NUMBER, &s, &len))
		return dec_check(dec, tf_value_new_number(s)); /* checked while tagging */
	if (!tagged(j, TAG_STRING, &s, &len)) {
		dec_expected(dec, t, j);
		return NULL;
	}
	if (memchr(s, '\0', len) || !tf_number_valid(s)) {
		dec_error(dec, "The string \"%.64s\" is not a number.", s);
		return NULL;
	}
	text = strndup(s, len);
	if (!text)
		return dec_oom(dec);
	v = tf_value_new_number(text);
	free(text);
	return dec_check(dec, v);
}

static struct tf_value *decode_primitive(struct decoder *dec, const json_t *j,
					 const struct tf_type *t)
{
	const char *s;
	size_t len;

	switch (t->kind) {
	case TF_TYPE_BOOL:
		if (json_is_boolean(j))
			return dec_check(dec, tf_value_new_bool(json_is_true(j)));
		if (tagged(j, TAG_STRING, &s, &len) && (!strcmp(s, "true") || !strcmp(s, "false")))
			return dec_check(dec, tf_value_new_bool(s[0] == 't'));
		break;
	case TF_TYPE_NUMBER:
		return decode_number(dec, j, t);
	case TF_TYPE_STRING:
		/* jansson only builds valid UTF-8 strings. */
		if (tagged(j, TAG_STRING, &s, &len) || tagged(j, TAG_NUMBER, &s, &len))
			return dec_check(dec, tf_value_new_stringn(s, len));
		if (json_is_boolean(j))
			return dec_check(dec, tf_value_new_string(json_is_true(j) ? "true" : "false"));
		break;
	default:
		assert(!"not a primitive type");
	}
	dec_expected(dec, t, j);
	return NULL;
}

static struct tf_value *decode_seq(struct decoder *dec, const json_t *j,
				   const struct tf_type *t, int depth)
{
	struct tf_value *seq;
	size_t i;
	json_t *m;

	if (!json_is_array(j)) {
		dec_expected(dec, t, j);
		return NULL;
	}
	if (t->kind == TF_TYPE_TUPLE && json_array_size(j) != t->n) {
		dec_error(dec, "Expected a tuple of %zu elements, got %zu.", t->n, json_array_size(j));
		return NULL;
	}
	seq = tf_value_new_collection(t->kind == TF_TYPE_TUPLE ? TF_TUPLE : TF_LIST);
	if (!seq)
		return dec_oom(dec);
	json_array_foreach(j, i, m) {
		const struct tf_type *et = t->kind == TF_TYPE_TUPLE ? t->types[i] : t->elem;
		struct tf_value *item;

		if (tf_path_push_index(&dec->path, (int64_t)i)) {
			dec_oom(dec);
			goto fail;
		}
		item = decode_value(dec, m, et, depth + 1);
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

/* Shared by maps and objects: for objects, unknown attributes are dropped. */
static struct tf_value *decode_kv(struct decoder *dec, const json_t *j,
				  const struct tf_type *t, int depth)
{
	bool is_obj = t->kind == TF_TYPE_OBJECT;
	struct tf_value *kv;
	const char *key;
	size_t keylen;
	json_t *m;

	if (!json_is_object(j)) {
		dec_expected(dec, t, j);
		return NULL;
	}
	kv = tf_value_new_collection(is_obj ? TF_OBJECT : TF_MAP);
	if (!kv)
		return dec_oom(dec);
	json_object_keylen_foreach((json_t *)j, key, keylen, m) {
		const struct tf_type *et = t->elem;
		struct tf_value *val;
		const char *name = key + 1; /* every key is a tagged string */

		assert(keylen >= 1 && key[0] == TAG_STRING);
		if (memchr(name, '\0', keylen - 1)) {
			dec_error(dec, "A key holds a NUL byte.");
			goto fail;
		}
		if (is_obj) {
			long at = tf_type_object_index(t, name);

			if (at < 0)
				continue; /* an attribute the schema no longer has */
			et = t->types[at];
		}
		if (is_obj ? tf_path_push_attr(&dec->path, name) : tf_path_push_key(&dec->path, name)) {
			dec_oom(dec);
			goto fail;
		}
		val = decode_value(dec, m, et, depth + 1);
		tf_path_pop(&dec->path);
		if (!val)
			goto fail;
		if (tf_value_set(kv, name, val)) {
			dec_oom(dec);
			goto fail;
		}
	}
	/* A missing attribute is null. */
	for (size_t i = 0; is_obj && i < t->n; i++) {
		struct tf_value *null;

		if (tf_value_get(kv, t->names[i]))
			continue;
		null = tf_value_new_null();
		if (!null || tf_value_set(kv, t->names[i], null)) {
			dec_oom(dec);
			goto fail;
		}
	}
	return kv;
fail:
	tf_value_free(kv);
	return NULL;
}

static struct tf_value *decode_dynamic(struct decoder *dec, const json_t *j, int depth)
{
	const json_t *jtype, *jvalue;
	struct tf_type *type;
	struct tf_value *v;
	json_t *plain;
	char *text, err[256];

	if (!json_is_object(j)) {
		dec_error(dec, "A dynamic value must be an object {\"value\": V, \"type\": T}, got %s.",
			  json_name(j));
		return NULL;
	}
	jtype = json_object_get(j, "stype");
	jvalue = json_object_get(j, "svalue");
	if (!jtype || !jvalue || json_object_size(j) != 2) {
		dec_error(dec, "A dynamic value must be an object with exactly the keys \"value\" "
			  "and \"type\".");
		return NULL;
	}
	plain = untag(jtype, 0);
	text = plain ? json_dumps(plain, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	json_decref(plain);
	if (!text) {
		dec_error(dec, "The type of a dynamic value is not valid (too deep or out of memory).");
		return NULL;
	}
	type = tf_type_from_json(text, strlen(text), err, sizeof(err));
	free(text);
	if (!type) {
		dec_error(dec, "The type of a dynamic value is not valid: %s.", err);
		return NULL;
	}
	v = decode_value(dec, jvalue, type, depth + 1);
	if (v && !v->dyn_type && type->kind != TF_TYPE_DYNAMIC) {
		v->dyn_type = type;
		type = NULL;
	}
	tf_type_free(type);
	return v;
}

static struct tf_value *decode_value(struct decoder *dec, const json_t *j,
				     const struct tf_type *t, int depth)
{
	assert(t);
	if (depth > TF_CODEC_MAX_DEPTH) {
		dec_error(dec, "Values are nested more than %d deep.", TF_CODEC_MAX_DEPTH);
		return NULL;
	}
	if (json_is_null(j))
		return dec_check(dec, tf_value_new_null());
	switch (t->kind) {
	case TF_TYPE_DYNAMIC:
		return decode_dynamic(dec, j, depth);
	case TF_TYPE_BOOL:
	case TF_TYPE_NUMBER:
	case TF_TYPE_STRING:
		return decode_primitive(dec, j, t);
	case TF_TYPE_LIST:
	case TF_TYPE_SET:
	case TF_TYPE_TUPLE:
		return decode_seq(dec, j, t, depth);
	case TF_TYPE_MAP:
	case TF_TYPE_OBJECT:
		return decode_kv(dec, j, t, depth);
	}
	return NULL;
}

struct tf_value *tf_json_decode(const char *buf, size_t len, const struct tf_type *type,
				struct tf_diags *d)
{
	struct decoder dec = { .d = d };
	struct tf_bytes tagged_text = { 0 };
	struct tf_value *v = NULL;
	json_error_t jerr;
	const char *why;
	json_t *root;

	assert(type && d);
	tf_path_init(&dec.path);
	if (len > TF_CODEC_MAX_INPUT) {
		dec_error(&dec, "The JSON takes %zu bytes; at most %zu are allowed.", len,
			  TF_CODEC_MAX_INPUT);
		return NULL;
	}
	why = tag_scalars(buf, len, &tagged_text);
	if (why) {
		tf_bytes_release(&tagged_text);
		if (!strcmp(why, "oom"))
			return dec_oom(&dec);
		dec_error(&dec, "Malformed JSON: %s.", why);
		return NULL;
	}
	/* JSON_ALLOW_NUL: strings may hold \u0000, as cty strings can. */
	root = json_loadb((const char *)tagged_text.data, tagged_text.len,
			  JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	tf_bytes_release(&tagged_text);
	if (!root) {
		dec_error(&dec, "Malformed JSON near line %d: %s.", jerr.line, jerr.text);
		return NULL;
	}
	v = decode_value(&dec, root, type, 0);
	json_decref(root);
	tf_path_release(&dec.path);
	assert(v || tf_diags_has_errors(d));
	return v;
}

/* ---- encoding ------------------------------------------------------------------- */

struct encoder {
	struct tf_bytes out;
	struct tf_diags *d;
	struct tf_path path;
	bool oom;
};

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

static int put(struct encoder *enc, const char *s, size_t len)
{
	if (enc->oom || buf_add(&enc->out, s, len)) {
		enc->oom = true;
		return -1;
	}
	return 0;
}

static int puts_(struct encoder *enc, const char *s)
{
	return put(enc, s, strlen(s));
}

static int put_string(struct encoder *enc, const char *s, size_t len)
{
	size_t run = 0; /* bytes copied as they are */

	if (!tf_utf8_valid(s, len))
		return enc_error(enc, "A string is not valid UTF-8.");
	if (put(enc, "\"", 1))
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (put(enc, s + run, i - run))
			return -1;
		run = i + 1;
		switch (c) {
		case '"': strcpy(esc, "\\\""); break;
		case '\\': strcpy(esc, "\\\\"); break;
		case '\n': strcpy(esc, "\\n"); break;
		case '\r': strcpy(esc, "\\r"); break;
		case '\t': strcpy(esc, "\\t"); break;
		default: snprintf(esc, sizeof(esc), "\\u%04x", c); break;
		}
		if (puts_(enc, esc))
			return -1;
	}
	return put(enc, s + run, len - run) || put(enc, "\"", 1) ? -1 : 0;
}

static int encode_value(struct encoder *enc, const struct tf_value *v, const struct tf_type *t,
			int depth);

static int encode_seq(struct encoder *enc, const struct tf_value *v, const struct tf_type *t,
		      int depth)
{
	if (put(enc, "[", 1))
		return -1;
	for (size_t i = 0; i < v->u.seq.n; i++) {
		const struct tf_type *et = t->kind == TF_TYPE_TUPLE ? t->types[i] : t->elem;
		int rc;

		if ((i && put(enc, ",", 1)) || tf_path_push_index(&enc->path, (int64_t)i))
			return enc_oom(enc);
		rc = encode_value(enc, v->u.seq.items[i], et, depth + 1);
		tf_path_pop(&enc->path);
		if (rc)
			return rc;
	}
	return put(enc, "]", 1);
}

static int encode_map(struct encoder *enc, const struct tf_value *v, const struct tf_type *t,
		      int depth)
{
	if (put(enc, "{", 1))
		return -1;
	for (size_t i = 0; i < v->u.kv.n; i++) {
		const char *key = v->u.kv.keys[i];
		int rc;

		if (tf_path_push_key(&enc->path, key))
			return enc_oom(enc);
		rc = (i && put(enc, ",", 1)) || put_string(enc, key, strlen(key)) ||
		     put(enc, ":", 1) ? -1 : encode_value(enc, v->u.kv.vals[i], t->elem, depth + 1);
		tf_path_pop(&enc->path);
		if (rc)
			return rc;
	}
	return put(enc, "}", 1);
}

/* Both the type's names and the value's keys are sorted: walk them together. */
static int encode_object(struct encoder *enc, const struct tf_value *v, const struct tf_type *t,
			 int depth)
{
	size_t i = 0, j = 0;

	if (put(enc, "{", 1))
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
			rc = (i && put(enc, ",", 1)) || put_string(enc, name, strlen(name)) ||
			     put(enc, ":", 1) ? -1
				: encode_value(enc, v->u.kv.vals[j], t->types[i], depth + 1);
		tf_path_pop(&enc->path);
		if (rc)
			return rc;
		i++, j++;
	}
	return put(enc, "}", 1);
}

static int encode_dynamic(struct encoder *enc, const struct tf_value *v, int depth)
{
	struct tf_type *implied = NULL;
	const struct tf_type *type;
	char *json;
	int rc;

	if (tf_value_is_null(v) && !(v && v->dyn_type))
		return puts_(enc, "null");
	if (tf_value_is_unknown(v))
		return enc_error(enc, "An unknown value cannot be stored as JSON.");
	type = v->dyn_type;
	if (!type && !(type = implied = tf_value_implied_type(v)))
		return enc_oom(enc);
	if (type->kind == TF_TYPE_DYNAMIC) {
		rc = v->kind == TF_NULL ? puts_(enc, "null")
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
	rc = puts_(enc, "{\"value\":") ? -1 : encode_value(enc, v, type, depth + 1);
	if (!rc)
		rc = puts_(enc, ",\"type\":") || puts_(enc, json) || puts_(enc, "}") ? -1 : 0;
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
		return puts_(enc, "null");
	if (v->kind == TF_UNKNOWN)
		return enc_error(enc, "An unknown value cannot be stored as JSON.");

	switch (t->kind) {
	case TF_TYPE_BOOL:
		if (v->kind != TF_BOOL)
			break;
		return puts_(enc, v->u.b ? "true" : "false");
	case TF_TYPE_NUMBER:
		if (v->kind != TF_NUMBER)
			break;
		if (!tf_number_valid(v->u.num))
			return enc_error(enc, "\"%s\" is not a valid number.", v->u.num);
		if (strstr(v->u.num, "Inf"))
			return enc_error(enc, "JSON cannot hold an infinite number.");
		return puts_(enc, v->u.num); /* the number syntax is JSON's */
	case TF_TYPE_STRING:
		if (v->kind != TF_STRING)
			break;
		return put_string(enc, v->u.str.ptr, v->u.str.len);
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
	return enc_error(enc, "Expected a value of type %s, got %s.", tf_type_kind_name(t->kind),
			 tf_value_kind_name(v->kind));
}

char *tf_json_encode(const struct tf_value *v, const struct tf_type *type, struct tf_diags *d)
{
	struct encoder enc = { .d = d };
	size_t errors = d->errors;
	int rc;

	assert(type && d);
	tf_path_init(&enc.path);
	rc = encode_value(&enc, v, type, 0);
	tf_path_release(&enc.path);
	if (enc.oom || (rc && d->errors == errors))
		tf_diag_add(d, TF_ERROR, NULL, "Out of memory",
			    "The provider ran out of memory while encoding a value.");
	if (rc || enc.oom) {
		tf_bytes_release(&enc.out);
		return NULL;
	}
	return (char *)enc.out.data; /* NUL-terminated by buf_add */
}

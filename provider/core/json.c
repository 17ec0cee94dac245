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
#include "codec-internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define SUMMARY_DECODE "Invalid value in stored state"
#define SUMMARY_ENCODE "Value cannot be written as JSON"
#define TAG_STRING 's'
#define TAG_NUMBER 'n'

static int buf_addc(struct tf_bytes *b, char c)
{
	return tf_bytes_add(b, &c, 1);
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
			    tf_bytes_add(out, in + i + 1, j - i - 1) || buf_addc(out, '"'))
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
			    tf_bytes_add(out, in + i, j - i) || buf_addc(out, '"'))
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
			if (!c || keylen < 1 || key[0] != TAG_STRING ||
			    json_object_setn_new(c, key + 1, keylen - 1, untag(m, depth + 1)))
				goto fail;
		return c;
	}
	return json_incref((json_t *)j);
fail:
	json_decref(c);
	return NULL;
}

/* ---- decoding ----------------------------------------------------------------- */

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

static void dec_expected(struct tf__decoder *dec, const struct tf_type *t, const json_t *j)
{
	tf__dec_error(dec, "Expected a value of type %s, got %s.", tf_type_kind_name(t->kind),
		      json_name(j));
}

static struct tf_value *decode_number(struct tf__decoder *dec, const json_t *j,
				      const struct tf_type *t)
{
	const char *s;
	size_t len;
	char *text;
	struct tf_value *v;

	if (tagged(j, TAG_NUMBER, &s, &len))
		return tf__dec_check(dec, tf_value_new_number(s)); /* checked while tagging */
	if (!tagged(j, TAG_STRING, &s, &len)) {
		dec_expected(dec, t, j);
		return NULL;
	}
	if (memchr(s, '\0', len) || !tf_number_valid(s)) {
		tf__dec_error(dec, "The string \"%.64s\" is not a number.", s);
		return NULL;
	}
	text = strndup(s, len);
	if (!text)
		return tf__dec_oom(dec);
	v = tf_value_new_number(text);
	free(text);
	return tf__dec_check(dec, v);
}

static struct tf_value *decode_primitive(struct tf__decoder *dec, const json_t *j,
					 const struct tf_type *t)
{
	const char *s;
	size_t len;

	switch (t->kind) {
	case TF_TYPE_BOOL:
		if (json_is_boolean(j))
			return tf__dec_check(dec, tf_value_new_bool(json_is_true(j)));
		if (tagged(j, TAG_STRING, &s, &len) && (!strcmp(s, "true") || !strcmp(s, "false")))
			return tf__dec_check(dec, tf_value_new_bool(s[0] == 't'));
		break;
	case TF_TYPE_NUMBER:
		return decode_number(dec, j, t);
	case TF_TYPE_STRING:
		/* jansson only builds valid UTF-8 strings. */
		if (tagged(j, TAG_STRING, &s, &len) || tagged(j, TAG_NUMBER, &s, &len))
			return tf__dec_check(dec, tf_value_new_stringn(s, len));
		if (json_is_boolean(j))
			return tf__dec_check(dec,
					     tf_value_new_string(json_is_true(j) ? "true" : "false"));
		break;
	default:
		assert(!"not a primitive type");
	}
	dec_expected(dec, t, j);
	return NULL;
}

static struct tf_value *decode_seq(struct tf__decoder *dec, const json_t *j,
				   const struct tf_type *t, int depth)
{
	struct tf_value *seq;
	size_t i;
	json_t *m;

	if (!json_is_array(j)) {
		dec_expected(dec, t, j);
		return NULL;
	}
	seq = tf__dec_seq_new(dec, t, json_array_size(j));
	if (!seq)
		return NULL;
	json_array_foreach(j, i, m) {
		if (tf__dec_seq_add(dec, seq, t, i, m, depth)) {
			tf_value_free(seq);
			return NULL;
		}
	}
	return tf__dec_seq_done(seq, t);
}

/* Shared by maps and objects: for objects, unknown attributes are dropped. */
static struct tf_value *decode_kv(struct tf__decoder *dec, const json_t *j,
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
		return tf__dec_oom(dec);
	json_object_keylen_foreach((json_t *)j, key, keylen, m) {
		const struct tf_type *et = t->elem;
		const char *name = key + 1;

		/* A number key ({1: ...}, not JSON) was tagged into a string. */
		if (keylen < 1 || key[0] != TAG_STRING) {
			tf__dec_error(dec, "Malformed JSON: an object key is not a string.");
			goto fail;
		}
		if (memchr(name, '\0', keylen - 1)) {
			tf__dec_error(dec, "A key holds a NUL byte.");
			goto fail;
		}
		if (is_obj) {
			long at = tf_type_object_index(t, name);

			if (at < 0)
				continue; /* an attribute the schema no longer has */
			et = t->types[at];
		}
		if (tf__dec_put(dec, kv, name, m, et, depth))
			goto fail;
	}
	return is_obj ? tf__dec_object_done(dec, kv, t, TF__MISSING_IS_NULL) : kv;
fail:
	tf_value_free(kv);
	return NULL;
}

static struct tf_value *decode_dynamic(struct tf__decoder *dec, const json_t *j, int depth)
{
	const json_t *jtype, *jvalue;
	struct tf_value *v;
	json_t *plain;
	char *text;

	if (!json_is_object(j)) {
		tf__dec_error(dec, "A dynamic value must be an object {\"value\": V, \"type\": T}, "
			      "got %s.", json_name(j));
		return NULL;
	}
	jtype = json_object_get(j, "stype");
	jvalue = json_object_get(j, "svalue");
	if (!jtype || !jvalue || json_object_size(j) != 2) {
		tf__dec_error(dec, "A dynamic value must be an object with exactly the keys "
			      "\"value\" and \"type\".");
		return NULL;
	}
	plain = untag(jtype, 0);
	text = plain ? json_dumps(plain, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	json_decref(plain);
	if (!text) {
		tf__dec_error(dec, "The type of a dynamic value is not valid (too deep or out of "
			      "memory).");
		return NULL;
	}
	v = tf__dec_dynamic(dec, text, strlen(text), jvalue, depth);
	free(text);
	return v;
}

static struct tf_value *decode_value(struct tf__decoder *dec, const void *node,
				     const struct tf_type *t, int depth)
{
	const json_t *j = node;

	assert(t);
	if (tf__dec_too_deep(dec, depth))
		return NULL;
	if (json_is_null(j))
		return tf__dec_check(dec, tf_value_new_null());
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
	struct tf__decoder dec;
	struct tf_bytes tagged_text = { 0 };
	struct tf_value *v = NULL;
	json_error_t jerr;
	const char *why;
	json_t *root;

	assert(type && d);
	tf__dec_init(&dec, d, SUMMARY_DECODE, decode_value);
	if (len > TF_CODEC_MAX_INPUT) {
		tf__dec_error(&dec, "The JSON takes %zu bytes; at most %zu are allowed.", len,
			      TF_CODEC_MAX_INPUT);
		return NULL;
	}
	why = tag_scalars(buf, len, &tagged_text);
	if (why) {
		tf_bytes_release(&tagged_text);
		if (!strcmp(why, "oom"))
			return tf__dec_oom(&dec);
		tf__dec_error(&dec, "Malformed JSON: %s.", why);
		return NULL;
	}
	/* JSON_ALLOW_NUL: strings may hold \u0000, as cty strings can. */
	root = json_loadb((const char *)tagged_text.data, tagged_text.len,
			  JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	tf_bytes_release(&tagged_text);
	if (!root) {
		tf__dec_error(&dec, "Malformed JSON near line %d: %s.", jerr.line, jerr.text);
		return NULL;
	}
	v = decode_value(&dec, root, type, 0);
	json_decref(root);
	tf__dec_release(&dec);
	assert(v || tf_diags_has_errors(d));
	return v;
}

/* ---- encoding ------------------------------------------------------------------- */

struct encoder {
	struct tf__encoder base; /* diagnostics, path, out of memory */
	struct tf_bytes out;
};

static int put(struct encoder *enc, const char *s, size_t len)
{
	if (enc->base.oom || tf_bytes_add(&enc->out, s, len))
		return tf__enc_oom(&enc->base);
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
		return tf__enc_error(&enc->base, "A string is not valid UTF-8.");
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

/* `"key":` after a comma unless it is the first member. */
static int put_key(struct encoder *enc, size_t i, const char *key)
{
	return (i && put(enc, ",", 1)) || put_string(enc, key, strlen(key)) || put(enc, ":", 1)
		? -1 : 0;
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

		if ((i && put(enc, ",", 1)) || tf_path_push_index(&enc->base.path, (int64_t)i))
			return tf__enc_oom(&enc->base);
		rc = encode_value(enc, v->u.seq.items[i], et, depth + 1);
		tf_path_pop(&enc->base.path);
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

		if (tf_path_push_key(&enc->base.path, key))
			return tf__enc_oom(&enc->base);
		rc = put_key(enc, i, key) ? -1
			: encode_value(enc, v->u.kv.vals[i], t->elem, depth + 1);
		tf_path_pop(&enc->base.path);
		if (rc)
			return rc;
	}
	return put(enc, "}", 1);
}

static int encode_object(struct encoder *enc, const struct tf_value *v, const struct tf_type *t,
			 int depth)
{
	if (put(enc, "{", 1))
		return -1;
	for (size_t i = 0; i < tf__enc_object_len(v, t); i++) {
		int rc;

		if (tf__enc_push_attr(&enc->base, v, t, i))
			return -1;
		rc = put_key(enc, i, t->names[i]) ? -1
			: encode_value(enc, v->u.kv.vals[i], t->types[i], depth + 1);
		tf_path_pop(&enc->base.path);
		if (rc)
			return rc;
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
		return tf__enc_error(&enc->base, "An unknown value cannot be stored as JSON.");
	type = v->dyn_type;
	if (!type && !(type = implied = tf_value_implied_type(v)))
		return tf__enc_oom(&enc->base);
	if (type->kind == TF_TYPE_DYNAMIC) {
		rc = v->kind == TF_NULL ? puts_(enc, "null")
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
	if (tf__enc_check_depth(&enc->base, depth))
		return -1;
	if (t->kind == TF_TYPE_DYNAMIC)
		return encode_dynamic(enc, v, depth);
	if (tf_value_is_null(v))
		return puts_(enc, "null");
	if (v->kind == TF_UNKNOWN)
		return tf__enc_error(&enc->base, "An unknown value cannot be stored as JSON.");
	if (tf__enc_check_kind(&enc->base, v, t))
		return -1;

	switch (t->kind) {
	case TF_TYPE_BOOL:
		return puts_(enc, v->u.b ? "true" : "false");
	case TF_TYPE_NUMBER:
		if (!tf_number_valid(v->u.num))
			return tf__enc_error(&enc->base, "\"%s\" is not a valid number.", v->u.num);
		if (strstr(v->u.num, "Inf"))
			return tf__enc_error(&enc->base, "JSON cannot hold an infinite number.");
		return puts_(enc, v->u.num); /* the number syntax is JSON's */
	case TF_TYPE_STRING:
		return put_string(enc, v->u.str.ptr, v->u.str.len);
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

char *tf_json_encode(const struct tf_value *v, const struct tf_type *type, struct tf_diags *d)
{
	struct encoder enc = { .out = { 0 } };

	assert(type && d);
	tf__enc_init(&enc.base, d, SUMMARY_ENCODE);
	if (tf__enc_finish(&enc.base, encode_value(&enc, v, type, 0))) {
		tf_bytes_release(&enc.out);
		return NULL;
	}
	return (char *)enc.out.data; /* NUL-terminated by tf_bytes_add */
}

/*
 * value.c - cty-like types and values (see value.h for the invariants).
 *
 * Growable arrays inside values have no capacity field: they are only ever
 * grown one element at a time, so the capacity is the smallest power of two
 * that holds n, and an array must grow exactly when n is 0 or a power of
 * two.  Shrinking (set dedup) keeps the larger block, which still satisfies
 * the rule.
 */
#include "value.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

/* ---- small helpers ---------------------------------------------------- */

static bool grows_at(size_t n)
{
	return n == 0 || (n & (n - 1)) == 0;
}

/* Makes room for element n of an array of `size`-byte elements. */
static int grow_for(void **arr, size_t n, size_t size)
{
	size_t cap;
	void *p;

	if (!grows_at(n))
		return 0;
	cap = n ? n * 2 : 1;
	if (cap > SIZE_MAX / size)
		return -1;
	p = realloc(*arr, cap * size);
	if (!p)
		return -1;
	*arr = p;
	return 0;
}

static char *memdup_nul(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* ---- types -------------------------------------------------------------- */

const char *tf_type_kind_name(enum tf_type_kind kind)
{
	switch (kind) {
	case TF_TYPE_DYNAMIC: return "dynamic";
	case TF_TYPE_BOOL: return "bool";
	case TF_TYPE_NUMBER: return "number";
	case TF_TYPE_STRING: return "string";
	case TF_TYPE_LIST: return "list";
	case TF_TYPE_SET: return "set";
	case TF_TYPE_MAP: return "map";
	case TF_TYPE_OBJECT: return "object";
	case TF_TYPE_TUPLE: return "tuple";
	}
	return "?";
}

struct tf_type *tf_type_new(enum tf_type_kind kind)
{
	struct tf_type *t = calloc(1, sizeof(*t));

	if (t)
		t->kind = kind;
	return t;
}

struct tf_type *tf_type_new_collection(enum tf_type_kind kind, struct tf_type *elem)
{
	struct tf_type *t;

	assert(kind == TF_TYPE_LIST || kind == TF_TYPE_SET || kind == TF_TYPE_MAP);
	assert(elem);
	t = tf_type_new(kind);
	if (!t) {
		tf_type_free(elem);
		return NULL;
	}
	t->elem = elem;
	return t;
}

void tf_type_free(struct tf_type *t)
{
	if (!t)
		return;
	tf_type_free(t->elem);
	for (size_t i = 0; i < t->n; i++) {
		if (t->names)
			free(t->names[i]);
		tf_type_free(t->types[i]);
	}
	free(t->names);
	free(t->types);
	free(t);
}

/* Binary search over sorted names: the index of `name`, or where it goes. */
static size_t names_find(char *const *names, size_t n, const char *name, bool *found)
{
	size_t lo = 0, hi = n;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(names[mid], name);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int tf_type_object_add(struct tf_type *obj, const char *name, struct tf_type *type)
{
	bool found;
	size_t at;
	char *copy;

	assert(obj && obj->kind == TF_TYPE_OBJECT && name && type);
	at = names_find(obj->names, obj->n, name, &found);
	if (found)
		goto fail;
	copy = strdup(name);
	if (!copy)
		goto fail;
	if (grow_for((void **)&obj->names, obj->n, sizeof(*obj->names)) ||
	    grow_for((void **)&obj->types, obj->n, sizeof(*obj->types))) {
		free(copy);
		goto fail;
	}
	memmove(obj->names + at + 1, obj->names + at, (obj->n - at) * sizeof(*obj->names));
	memmove(obj->types + at + 1, obj->types + at, (obj->n - at) * sizeof(*obj->types));
	obj->names[at] = copy;
	obj->types[at] = type;
	obj->n++;
	return 0;
fail:
	tf_type_free(type);
	return -1;
}

int tf_type_tuple_append(struct tf_type *tuple, struct tf_type *type)
{
	assert(tuple && tuple->kind == TF_TYPE_TUPLE && type);
	if (grow_for((void **)&tuple->types, tuple->n, sizeof(*tuple->types))) {
		tf_type_free(type);
		return -1;
	}
	tuple->types[tuple->n++] = type;
	return 0;
}

struct tf_type *tf_type_dup(const struct tf_type *t)
{
	struct tf_type *c;

	if (!t)
		return NULL;
	c = tf_type_new(t->kind);
	if (!c)
		return NULL;
	if (t->elem && !(c->elem = tf_type_dup(t->elem)))
		goto fail;
	for (size_t i = 0; i < t->n; i++) {
		struct tf_type *m = tf_type_dup(t->types[i]);

		if (!m)
			goto fail;
		if (t->kind == TF_TYPE_OBJECT ? tf_type_object_add(c, t->names[i], m)
					      : tf_type_tuple_append(c, m))
			goto fail;
	}
	return c;
fail:
	tf_type_free(c);
	return NULL;
}

bool tf_type_equal(const struct tf_type *a, const struct tf_type *b)
{
	if (a == b)
		return true;
	if (!a || !b || a->kind != b->kind || a->n != b->n)
		return false;
	switch (a->kind) {
	case TF_TYPE_LIST:
	case TF_TYPE_SET:
	case TF_TYPE_MAP:
		return tf_type_equal(a->elem, b->elem);
	case TF_TYPE_OBJECT:
	case TF_TYPE_TUPLE:
		for (size_t i = 0; i < a->n; i++) {
			if (a->kind == TF_TYPE_OBJECT && strcmp(a->names[i], b->names[i]))
				return false;
			if (!tf_type_equal(a->types[i], b->types[i]))
				return false;
		}
		return true;
	default:
		return true;
	}
}

long tf_type_object_index(const struct tf_type *obj, const char *name)
{
	bool found;
	size_t at;

	assert(obj && obj->kind == TF_TYPE_OBJECT);
	at = names_find(obj->names, obj->n, name, &found);
	return found ? (long)at : -1;
}

/* ---- type expressions in JSON ------------------------------------------- */

static struct tf_type *type_from_jansson(const json_t *j, int depth, char *err, size_t errlen)
{
	const char *kw;
	struct tf_type *t = NULL;

	if (depth > TF_TYPE_MAX_DEPTH) {
		snprintf(err, errlen, "type nested more than %d deep", TF_TYPE_MAX_DEPTH);
		return NULL;
	}
	if (json_is_string(j)) {
		static const struct { const char *name; enum tf_type_kind kind; } prims[] = {
			{ "string", TF_TYPE_STRING }, { "number", TF_TYPE_NUMBER },
			{ "bool", TF_TYPE_BOOL }, { "dynamic", TF_TYPE_DYNAMIC },
		};
		for (size_t i = 0; i < sizeof(prims) / sizeof(prims[0]); i++)
			if (!strcmp(json_string_value(j), prims[i].name)) {
				t = tf_type_new(prims[i].kind);
				if (!t)
					snprintf(err, errlen, "out of memory");
				return t;
			}
		snprintf(err, errlen, "unknown primitive type \"%s\"", json_string_value(j));
		return NULL;
	}
	if (!json_is_array(j) || json_array_size(j) < 2 || !json_is_string(json_array_get(j, 0))) {
		snprintf(err, errlen, "a type is a string or an array [kind, ...]");
		return NULL;
	}
	kw = json_string_value(json_array_get(j, 0));
	if (!strcmp(kw, "list") || !strcmp(kw, "set") || !strcmp(kw, "map")) {
		enum tf_type_kind kind = kw[0] == 'l' ? TF_TYPE_LIST :
					 kw[0] == 's' ? TF_TYPE_SET : TF_TYPE_MAP;
		struct tf_type *elem;

		if (json_array_size(j) != 2) {
			snprintf(err, errlen, "[\"%s\", T] takes exactly one element type", kw);
			return NULL;
		}
		elem = type_from_jansson(json_array_get(j, 1), depth + 1, err, errlen);
		if (!elem)
			return NULL;
		t = tf_type_new_collection(kind, elem);
		if (!t)
			snprintf(err, errlen, "out of memory");
		return t;
	}
	if (!strcmp(kw, "object")) {
		const json_t *attrs = json_array_get(j, 1);
		const char *name;
		json_t *at;

		if (!json_is_object(attrs) || json_array_size(j) > 3 ||
		    (json_array_size(j) == 3 && !json_is_array(json_array_get(j, 2)))) {
			snprintf(err, errlen, "an object type is [\"object\", {name: T}, [optional...]]");
			return NULL;
		}
		t = tf_type_new(TF_TYPE_OBJECT);
		if (!t) {
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
		json_object_foreach((json_t *)attrs, name, at) {
			struct tf_type *m = type_from_jansson(at, depth + 1, err, errlen);

			if (!m)
				goto fail;
			if (tf_type_object_add(t, name, m)) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
		}
		return t;
	}
	if (!strcmp(kw, "tuple")) {
		const json_t *elems = json_array_get(j, 1);
		size_t i;
		json_t *et;

		if (!json_is_array(elems) || json_array_size(j) != 2) {
			snprintf(err, errlen, "a tuple type is [\"tuple\", [T...]]");
			return NULL;
		}
		t = tf_type_new(TF_TYPE_TUPLE);
		if (!t) {
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
		json_array_foreach((json_t *)elems, i, et) {
			struct tf_type *m = type_from_jansson(et, depth + 1, err, errlen);

			if (!m)
				goto fail;
			if (tf_type_tuple_append(t, m)) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
		}
		return t;
	}
	snprintf(err, errlen, "unknown type kind \"%s\"", kw);
	return NULL;
fail:
	tf_type_free(t);
	return NULL;
}

struct tf_type *tf_type_from_json(const char *text, size_t len, char *err, size_t errlen)
{
	char scratch[1];
	json_error_t jerr;
	json_t *j;
	struct tf_type *t;

	if (!err) {
		err = scratch;
		errlen = sizeof(scratch);
	}
	/* jansson's own nesting limit (2048) bounds its recursion; ours is 64. */
	j = json_loadb(text, len, JSON_DECODE_ANY, &jerr);
	if (!j) {
		snprintf(err, errlen, "invalid JSON type expression: %s", jerr.text);
		return NULL;
	}
	t = type_from_jansson(j, 0, err, errlen);
	json_decref(j);
	return t;
}

static json_t *type_to_jansson(const struct tf_type *t)
{
	json_t *j = NULL, *sub = NULL;

	switch (t->kind) {
	case TF_TYPE_DYNAMIC:
	case TF_TYPE_BOOL:
	case TF_TYPE_NUMBER:
	case TF_TYPE_STRING:
		return json_string(tf_type_kind_name(t->kind));
	case TF_TYPE_LIST:
	case TF_TYPE_SET:
	case TF_TYPE_MAP:
		sub = type_to_jansson(t->elem);
		break;
	case TF_TYPE_OBJECT:
		sub = json_object();
		for (size_t i = 0; sub && i < t->n; i++) {
			json_t *m = type_to_jansson(t->types[i]);

			if (!m || json_object_set_new(sub, t->names[i], m))
				goto fail;
		}
		break;
	case TF_TYPE_TUPLE:
		sub = json_array();
		for (size_t i = 0; sub && i < t->n; i++) {
			json_t *m = type_to_jansson(t->types[i]);

			if (!m || json_array_append_new(sub, m))
				goto fail;
		}
		break;
	}
	if (!sub)
		return NULL;
	j = json_array();
	if (!j || json_array_append_new(j, json_string(tf_type_kind_name(t->kind))) ||
	    json_array_append_new(j, sub)) {
		json_decref(j);
		return NULL;
	}
	return j;
fail:
	json_decref(sub);
	return NULL;
}

char *tf_type_to_json(const struct tf_type *t)
{
	json_t *j = type_to_jansson(t);
	char *s;

	if (!j)
		return NULL;
	s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

/* ---- numbers -------------------------------------------------------------- */

/*
 * A parsed number: value = sign * 0.D * 10^adj, where D are the significant
 * digits (no leading or trailing zeros) of the integer and fraction digits
 * read as one string.
 */
struct number {
	int sign;		/* +1 or -1 */
	bool inf, zero;
	const char *ip, *fp;	/* integer and fraction digits */
	size_t ilen, flen;
	size_t lead, nsig;	/* leading zeros skipped, significant digits */
	int64_t adj;
};

#define NUMBER_MAX_EXP_DIGITS 9

/* Raw digit i of the integer digits followed by the fraction digits. */
static char number_raw_digit(const struct number *n, size_t i)
{
	return i < n->ilen ? n->ip[i] : n->fp[i - n->ilen];
}

static bool number_parse(const char *s, struct number *n)
{
	int64_t exp = 0;
	int esign = 1, edigits = 0;
	size_t total, trail;

	memset(n, 0, sizeof(*n));
	n->sign = 1;
	if (*s == '-') {
		n->sign = -1;
		s++;
	} else if (*s == '+') {
		s++;
		if (strcmp(s, "Inf"))
			return false; /* "+" only in "+Inf", as JSON has no "+1" */
	}
	if (!strcmp(s, "Inf")) {
		n->inf = true;
		return true;
	}
	/* JSON: int = 0 | [1-9][0-9]*; frac = . [0-9]+; exp = [eE] [+-]? [0-9]+ */
	n->ip = s;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return false;
	n->ilen = (size_t)(s - n->ip);
	if (*s == '.') {
		n->fp = ++s;
		while (*s >= '0' && *s <= '9')
			s++;
		n->flen = (size_t)(s - n->fp);
		if (!n->flen)
			return false;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			esign = *s++ == '-' ? -1 : 1;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s == '0')
			s++;
		for (; *s >= '0' && *s <= '9'; s++) {
			if (++edigits > NUMBER_MAX_EXP_DIGITS)
				return false;
			exp = exp * 10 + (*s - '0');
		}
	}
	if (*s)
		return false;

	total = n->ilen + n->flen;
	while (n->lead < total && number_raw_digit(n, n->lead) == '0')
		n->lead++;
	if (n->lead == total) {
		n->zero = true;
		return true;
	}
	trail = 0;
	while (number_raw_digit(n, total - 1 - trail) == '0')
		trail++;
	n->nsig = total - n->lead - trail;
	n->adj = esign * exp + (int64_t)n->ilen - (int64_t)n->lead;
	return true;
}

/* Significant digit i (0-based) of a finite, non-zero number. */
static char number_digit(const struct number *n, size_t i)
{
	assert(i < n->nsig);
	return number_raw_digit(n, n->lead + i);
}

bool tf_number_valid(const char *text)
{
	struct number n;

	return text && number_parse(text, &n);
}

/* -2 (-Inf), -1 (negative), 0 (zero), 1 (positive), 2 (+Inf). */
static int number_class(const struct number *n)
{
	if (n->zero)
		return 0;
	return n->sign * (n->inf ? 2 : 1);
}

int tf_number_cmp(const char *a, const char *b)
{
	struct number x, y;
	int cx, cy, mag = 0;

	if (!number_parse(a, &x) || !number_parse(b, &y)) {
		assert(!"tf_number_cmp on an invalid number");
		return strcmp(a, b);
	}
	cx = number_class(&x);
	cy = number_class(&y);
	if (cx != cy)
		return cx < cy ? -1 : 1;
	if (cx == 0 || x.inf)
		return 0;
	/* Same sign, both finite and non-zero: compare magnitudes. */
	if (x.adj != y.adj) {
		mag = x.adj < y.adj ? -1 : 1;
	} else {
		size_t n = x.nsig < y.nsig ? x.nsig : y.nsig;

		for (size_t i = 0; i < n && !mag; i++) {
			char dx = number_digit(&x, i), dy = number_digit(&y, i);

			if (dx != dy)
				mag = dx < dy ? -1 : 1;
		}
		if (!mag && x.nsig != y.nsig)
			mag = x.nsig < y.nsig ? -1 : 1;
	}
	return mag * x.sign;
}

bool tf_number_to_int64(const char *text, int64_t *out)
{
	struct number n;
	uint64_t mag = 0, limit;

	if (!number_parse(text, &n) || n.inf)
		return false;
	if (n.zero) {
		*out = 0;
		return true;
	}
	if (n.adj < (int64_t)n.nsig || n.adj > 19)
		return false; /* has a fraction, or too many digits */
	limit = n.sign < 0 ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (int64_t i = 0; i < n.adj; i++) {
		unsigned d = (size_t)i < n.nsig ? (unsigned)(number_digit(&n, (size_t)i) - '0') : 0;

		if (mag > (limit - d) / 10)
			return false;
		mag = mag * 10 + d;
	}
	if (n.sign < 0)
		*out = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	else
		*out = (int64_t)mag;
	return true;
}

/*
 * The exact decimal expansion of a finite double, without trailing zeros.
 * A double in [1e-5, 1e21) has at most 69 fraction bits, so 80 fraction
 * digits hold it exactly and it is written plainly ("0.1000...5625");
 * others are written as %e with 767 significant digits, enough for any
 * double.  glibc prints every digit exactly.
 */
#define DOUBLE_EXACT_BUF 800
static void double_exact_text(double d, char buf[DOUBLE_EXACT_BUF])
{
	char *end, *z;

	if (fabs(d) >= 1e-5 && fabs(d) < 1e21) {
		snprintf(buf, DOUBLE_EXACT_BUF, "%.80f", d);
		end = buf + strlen(buf);
	} else {
		snprintf(buf, DOUBLE_EXACT_BUF, "%.767e", d);
		end = strchr(buf, 'e');
	}
	assert(end && strchr(buf, '.') && strchr(buf, '.') < end);
	z = end;
	while (z[-1] == '0')
		z--;
	if (z[-1] == '.')
		z--;
	memmove(z, end, strlen(end) + 1);
}

bool tf_number_to_double(const char *text, double *out)
{
	struct number n;
	char exact[DOUBLE_EXACT_BUF];
	double d;

	if (!number_parse(text, &n))
		return false;
	if (n.inf) {
		*out = n.sign < 0 ? -INFINITY : INFINITY;
		return true;
	}
	d = strtod(text, NULL);
	if (!isfinite(d))
		return false;
	double_exact_text(d, exact);
	if (tf_number_cmp(text, exact) != 0)
		return false;
	*out = d;
	return true;
}

/* ---- UTF-8 ------------------------------------------------------------------ */

bool tf_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;

	while (s < end) {
		unsigned c = *s, need;
		uint32_t cp, min;

		if (c < 0x80) {
			s++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			need = 1, cp = c & 0x1f, min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2, cp = c & 0x0f, min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if ((size_t)(end - s) <= need)
			return false;
		for (unsigned i = 1; i <= need; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		s += need + 1;
	}
	return true;
}

/* ---- values --------------------------------------------------------------- */

const char *tf_value_kind_name(enum tf_value_kind kind)
{
	switch (kind) {
	case TF_NULL: return "null";
	case TF_UNKNOWN: return "unknown";
	case TF_BOOL: return "bool";
	case TF_NUMBER: return "number";
	case TF_STRING: return "string";
	case TF_LIST: return "list";
	case TF_SET: return "set";
	case TF_TUPLE: return "tuple";
	case TF_MAP: return "map";
	case TF_OBJECT: return "object";
	}
	return "?";
}

static struct tf_value *value_new(enum tf_value_kind kind)
{
	struct tf_value *v = calloc(1, sizeof(*v));

	if (v)
		v->kind = kind;
	return v;
}

struct tf_value *tf_value_new_null(void)
{
	return value_new(TF_NULL);
}

struct tf_value *tf_value_new_unknown(void)
{
	return value_new(TF_UNKNOWN);
}

struct tf_value *tf_value_new_bool(bool b)
{
	struct tf_value *v = value_new(TF_BOOL);

	if (v)
		v->u.b = b;
	return v;
}

struct tf_value *tf_value_new_stringn(const char *s, size_t len)
{
	struct tf_value *v = value_new(TF_STRING);

	if (!v)
		return NULL;
	v->u.str.ptr = memdup_nul(s, len);
	if (!v->u.str.ptr) {
		free(v);
		return NULL;
	}
	v->u.str.len = len;
	return v;
}

struct tf_value *tf_value_new_string(const char *s)
{
	return tf_value_new_stringn(s, strlen(s));
}

struct tf_value *tf_value_new_number(const char *text)
{
	struct tf_value *v;

	assert(tf_number_valid(text));
	v = value_new(TF_NUMBER);
	if (!v)
		return NULL;
	v->u.num = strdup(text);
	if (!v->u.num) {
		free(v);
		return NULL;
	}
	return v;
}

struct tf_value *tf_value_new_int(int64_t i)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRId64, i);
	return tf_value_new_number(buf);
}

struct tf_value *tf_value_new_uint(uint64_t u)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, u);
	return tf_value_new_number(buf);
}

struct tf_value *tf_value_new_float(double d)
{
	char exact[DOUBLE_EXACT_BUF], buf[32];

	assert(!isnan(d));
	if (isinf(d))
		return tf_value_new_number(d < 0 ? "-Inf" : "Inf");
	double_exact_text(d, exact);
	/* Prefer the shortest text that reads back as d, when it is exact. */
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d) {
			if (tf_number_valid(buf) && tf_number_cmp(buf, exact) == 0)
				return tf_value_new_number(buf);
			break;
		}
	}
	return tf_value_new_number(exact);
}

struct tf_value *tf_value_new_collection(enum tf_value_kind kind)
{
	assert(kind == TF_LIST || kind == TF_SET || kind == TF_TUPLE ||
	       kind == TF_MAP || kind == TF_OBJECT);
	return value_new(kind);
}

static bool is_seq(enum tf_value_kind k)
{
	return k == TF_LIST || k == TF_SET || k == TF_TUPLE;
}

static bool is_kv(enum tf_value_kind k)
{
	return k == TF_MAP || k == TF_OBJECT;
}

void tf_value_free(struct tf_value *v)
{
	if (!v)
		return;
	switch (v->kind) {
	case TF_NUMBER:
		free(v->u.num);
		break;
	case TF_STRING:
		/* Strings may hold key material (private_key_pem and the
		 * like); none outlives its value. */
		OPENSSL_cleanse(v->u.str.ptr, v->u.str.len);
		free(v->u.str.ptr);
		break;
	case TF_LIST:
	case TF_SET:
	case TF_TUPLE:
		for (size_t i = 0; i < v->u.seq.n; i++)
			tf_value_free(v->u.seq.items[i]);
		free(v->u.seq.items);
		break;
	case TF_MAP:
	case TF_OBJECT:
		for (size_t i = 0; i < v->u.kv.n; i++) {
			free(v->u.kv.keys[i]);
			tf_value_free(v->u.kv.vals[i]);
		}
		free(v->u.kv.keys);
		free(v->u.kv.vals);
		break;
	default:
		break;
	}
	tf_type_free(v->dyn_type);
	free(v);
}

/* Appends without any set logic. */
static int seq_push(struct tf_value *seq, struct tf_value *item)
{
	if (grow_for((void **)&seq->u.seq.items, seq->u.seq.n, sizeof(*seq->u.seq.items)))
		return -1;
	seq->u.seq.items[seq->u.seq.n++] = item;
	return 0;
}

struct tf_value *tf_value_dup(const struct tf_value *v)
{
	struct tf_value *c;

	if (!v)
		return NULL;
	switch (v->kind) {
	case TF_BOOL:
		c = tf_value_new_bool(v->u.b);
		break;
	case TF_NUMBER:
		c = tf_value_new_number(v->u.num);
		break;
	case TF_STRING:
		c = tf_value_new_stringn(v->u.str.ptr, v->u.str.len);
		break;
	default:
		c = value_new(v->kind);
		break;
	}
	if (!c)
		return NULL;
	if (v->dyn_type && !(c->dyn_type = tf_type_dup(v->dyn_type)))
		goto fail;
	if (is_seq(v->kind)) {
		for (size_t i = 0; i < v->u.seq.n; i++) {
			struct tf_value *item = tf_value_dup(v->u.seq.items[i]);

			if (!item)
				goto fail;
			/* Copying a sorted, unique set keeps it sorted and unique. */
			if (seq_push(c, item)) {
				tf_value_free(item);
				goto fail;
			}
		}
	} else if (is_kv(v->kind)) {
		for (size_t i = 0; i < v->u.kv.n; i++) {
			struct tf_value *val = tf_value_dup(v->u.kv.vals[i]);

			if (!val || tf_value_set(c, v->u.kv.keys[i], val))
				goto fail;
		}
	}
	return c;
fail:
	tf_value_free(c);
	return NULL;
}

/* ---- comparison ----------------------------------------------------------- */

int tf_value_cmp(const struct tf_value *a, const struct tf_value *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	switch (a->kind) {
	case TF_NULL:
	case TF_UNKNOWN:
		return 0;
	case TF_BOOL:
		return (int)a->u.b - (int)b->u.b;
	case TF_NUMBER:
		return tf_number_cmp(a->u.num, b->u.num);
	case TF_STRING: {
		size_t n = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
		int c = memcmp(a->u.str.ptr, b->u.str.ptr, n);

		if (c)
			return c < 0 ? -1 : 1;
		return (a->u.str.len > b->u.str.len) - (a->u.str.len < b->u.str.len);
	}
	case TF_LIST:
	case TF_SET: /* sets are kept sorted, so this compares them as sets */
	case TF_TUPLE:
		for (size_t i = 0; i < a->u.seq.n && i < b->u.seq.n; i++) {
			int c = tf_value_cmp(a->u.seq.items[i], b->u.seq.items[i]);

			if (c)
				return c;
		}
		return (a->u.seq.n > b->u.seq.n) - (a->u.seq.n < b->u.seq.n);
	case TF_MAP:
	case TF_OBJECT:
		for (size_t i = 0; i < a->u.kv.n && i < b->u.kv.n; i++) {
			int c = strcmp(a->u.kv.keys[i], b->u.kv.keys[i]);

			if (c)
				return c < 0 ? -1 : 1;
			c = tf_value_cmp(a->u.kv.vals[i], b->u.kv.vals[i]);
			if (c)
				return c;
		}
		return (a->u.kv.n > b->u.kv.n) - (a->u.kv.n < b->u.kv.n);
	}
	return 0;
}

bool tf_value_equal(const struct tf_value *a, const struct tf_value *b)
{
	return tf_value_cmp(a, b) == 0;
}

bool tf_value_is_known(const struct tf_value *v)
{
	if (!v)
		return true;
	if (v->kind == TF_UNKNOWN)
		return false;
	if (is_seq(v->kind)) {
		for (size_t i = 0; i < v->u.seq.n; i++)
			if (!tf_value_is_known(v->u.seq.items[i]))
				return false;
	} else if (is_kv(v->kind)) {
		for (size_t i = 0; i < v->u.kv.n; i++)
			if (!tf_value_is_known(v->u.kv.vals[i]))
				return false;
	}
	return true;
}

/* ---- maps and objects ------------------------------------------------------ */

struct tf_value *tf_value_get(const struct tf_value *kv, const char *key)
{
	bool found;
	size_t at;

	if (!kv || !is_kv(kv->kind))
		return NULL;
	at = names_find(kv->u.kv.keys, kv->u.kv.n, key, &found);
	return found ? kv->u.kv.vals[at] : NULL;
}

int tf_value_set(struct tf_value *kv, const char *key, struct tf_value *val)
{
	bool found;
	size_t at, n;
	char *copy;

	assert(kv && is_kv(kv->kind) && key);
	n = kv->u.kv.n;
	at = names_find(kv->u.kv.keys, n, key, &found);
	if (found) {
		tf_value_free(kv->u.kv.vals[at]);
		kv->u.kv.vals[at] = val;
		return 0;
	}
	copy = strdup(key);
	if (!copy || grow_for((void **)&kv->u.kv.keys, n, sizeof(*kv->u.kv.keys)) ||
	    grow_for((void **)&kv->u.kv.vals, n, sizeof(*kv->u.kv.vals))) {
		free(copy);
		tf_value_free(val);
		return -1;
	}
	memmove(kv->u.kv.keys + at + 1, kv->u.kv.keys + at, (n - at) * sizeof(*kv->u.kv.keys));
	memmove(kv->u.kv.vals + at + 1, kv->u.kv.vals + at, (n - at) * sizeof(*kv->u.kv.vals));
	kv->u.kv.keys[at] = copy;
	kv->u.kv.vals[at] = val;
	kv->u.kv.n++;
	return 0;
}

/* ---- sequences and sets ----------------------------------------------------- */

/*
 * Set membership follows cty: two elements are the same only when both are
 * wholly known and equal.  Elements are sorted by tf_value_cmp; equal ones
 * (a "run") sit together, and a run holds at most one wholly known element.
 */
static bool set_has_known_equal(const struct tf_value *set, size_t at, const struct tf_value *item)
{
	struct tf_value *const *items = set->u.seq.items;

	for (size_t i = at; i < set->u.seq.n && tf_value_cmp(items[i], item) == 0; i++)
		if (tf_value_is_known(items[i]))
			return true;
	return false;
}

int tf_value_append(struct tf_value *seq, struct tf_value *item)
{
	size_t lo = 0, hi;

	assert(seq && is_seq(seq->kind));
	if (seq->kind != TF_SET) {
		if (seq_push(seq, item)) {
			tf_value_free(item);
			return -1;
		}
		return 0;
	}
	/* Find the first element not less than item. */
	hi = seq->u.seq.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tf_value_cmp(seq->u.seq.items[mid], item) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (tf_value_is_known(item) && set_has_known_equal(seq, lo, item)) {
		tf_value_free(item);
		return 0;
	}
	if (seq_push(seq, item)) {
		tf_value_free(item);
		return -1;
	}
	memmove(seq->u.seq.items + lo + 1, seq->u.seq.items + lo,
		(seq->u.seq.n - 1 - lo) * sizeof(*seq->u.seq.items));
	seq->u.seq.items[lo] = item;
	return 0;
}

static int cmp_items(const void *a, const void *b)
{
	return tf_value_cmp(*(struct tf_value *const *)a, *(struct tf_value *const *)b);
}

void tf_value_list_to_set(struct tf_value *list)
{
	struct tf_value **items = list->u.seq.items;
	size_t n = list->u.seq.n, out = 0, run = 0;
	bool run_has_known = false;

	assert(list->kind == TF_LIST);
	list->kind = TF_SET;
	if (n < 2)
		return;
	qsort(items, n, sizeof(*items), cmp_items);
	for (size_t i = 0; i < n; i++) {
		bool known = tf_value_is_known(items[i]);

		if (i == 0 || tf_value_cmp(items[run], items[i]) != 0) {
			run = i;
			run_has_known = false;
		}
		if (known && run_has_known) {
			tf_value_free(items[i]);
			continue;
		}
		run_has_known |= known;
		items[out++] = items[i];
	}
	list->u.seq.n = out;
}

/* ---- implied types --------------------------------------------------------- */

struct tf_type *tf_value_implied_type(const struct tf_value *v)
{
	struct tf_type *t = NULL;

	if (v && v->dyn_type)
		return tf_type_dup(v->dyn_type);
	if (!v)
		return tf_type_new(TF_TYPE_DYNAMIC);
	switch (v->kind) {
	case TF_NULL:
	case TF_UNKNOWN:
		return tf_type_new(TF_TYPE_DYNAMIC);
	case TF_BOOL:
		return tf_type_new(TF_TYPE_BOOL);
	case TF_NUMBER:
		return tf_type_new(TF_TYPE_NUMBER);
	case TF_STRING:
		return tf_type_new(TF_TYPE_STRING);
	case TF_LIST:
	case TF_SET:
	case TF_MAP: {
		size_t n = v->kind == TF_MAP ? v->u.kv.n : v->u.seq.n;
		struct tf_value *const *items = v->kind == TF_MAP ? v->u.kv.vals : v->u.seq.items;
		struct tf_type *elem = NULL;

		for (size_t i = 0; i < n; i++) {
			elem = tf_value_implied_type(items[i]);
			if (!elem)
				return NULL;
			if (elem->kind != TF_TYPE_DYNAMIC)
				break;
			tf_type_free(elem);
			elem = NULL;
		}
		if (!elem && !(elem = tf_type_new(TF_TYPE_DYNAMIC)))
			return NULL;
		return tf_type_new_collection(v->kind == TF_LIST ? TF_TYPE_LIST :
					      v->kind == TF_SET ? TF_TYPE_SET : TF_TYPE_MAP, elem);
	}
	case TF_TUPLE:
		t = tf_type_new(TF_TYPE_TUPLE);
		for (size_t i = 0; t && i < v->u.seq.n; i++) {
			struct tf_type *m = tf_value_implied_type(v->u.seq.items[i]);

			if (!m || tf_type_tuple_append(t, m))
				goto fail;
		}
		return t;
	case TF_OBJECT:
		t = tf_type_new(TF_TYPE_OBJECT);
		for (size_t i = 0; t && i < v->u.kv.n; i++) {
			struct tf_type *m = tf_value_implied_type(v->u.kv.vals[i]);

			if (!m || tf_type_object_add(t, v->u.kv.keys[i], m))
				goto fail;
		}
		return t;
	}
	return NULL;
fail:
	tf_type_free(t);
	return NULL;
}

/* ---- convenience accessors --------------------------------------------------- */

const char *tf_value_get_string(const struct tf_value *obj, const char *key)
{
	const struct tf_value *v = tf_value_get(obj, key);

	return v && v->kind == TF_STRING ? v->u.str.ptr : NULL;
}

bool tf_value_get_int(const struct tf_value *obj, const char *key, int64_t *out)
{
	const struct tf_value *v = tf_value_get(obj, key);

	return v && v->kind == TF_NUMBER && tf_number_to_int64(v->u.num, out);
}

/*
 * policy_doc.c - policy documents: check, canonical text, equivalence
 * (policy_doc.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "arn.h"
#include "codec.h"
#include "policy_doc.h"

/* --- reading -------------------------------------------------------------------- */

static bool blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == 0;
}

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_ARRAY: return "a list";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a bool";
	case JSON_NULL: return "null";
	default: return "an object";
	}
}

/* The document as a JSON object (new reference), or NULL with a reason. */
static json_t *load(const char *text, char *why, size_t whylen)
{
	json_error_t e;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &e);
	if (!v) {
		if (why)
			snprintf(why, whylen, "%s (line %d, column %d)", e.text, e.line, e.column);
		return NULL;
	}
	if (!json_is_object(v)) {
		if (why)
			snprintf(why, whylen, "the document is %s; a policy is a JSON object",
				 json_kind(v));
		json_decref(v);
		return NULL;
	}
	return v;
}

int policy_doc_check(const char *text, char *why, size_t whylen)
{
	if (blank(text)) {
		snprintf(why, whylen, "the document is empty; a policy is a JSON object");
		return -1;
	}
	json_t *v = load(text, why, whylen);
	json_decref(v);
	return v ? 0 : -1;
}

/* --- canonical text ---------------------------------------------------------------- */

/* Appends jansson's compact text with the escapes Go's encoder uses:
 * <, >, &, U+2028 and U+2029 as \uXXXX, \b and \f as \u0008 and \u000c. */
static int go_escapes(struct tf_bytes *out, const char *s)
{
	bool in_string = false;
	int rc = 0;
	for (const char *p = s; *p && rc == 0; p++) {
		const char *rep = NULL;
		if (*p == '"') {
			in_string = !in_string;
		} else if (in_string && *p == '\\') {
			rep = p[1] == 'b' ? "\\u0008" : p[1] == 'f' ? "\\u000c" : NULL;
			if (!rep) {
				rc = tf_bytes_add(out, p, 2);
				p++;
				continue;
			}
			p++;
		} else if (*p == '<') {
			rep = "\\u003c";
		} else if (*p == '>') {
			rep = "\\u003e";
		} else if (*p == '&') {
			rep = "\\u0026";
		} else if (!strncmp(p, "\xe2\x80\xa8", 3) || !strncmp(p, "\xe2\x80\xa9", 3)) {
			rep = p[2] == '\xa8' ? "\\u2028" : "\\u2029";
			p += 2;
		}
		rc = rep ? tf_bytes_add(out, rep, strlen(rep)) : tf_bytes_add(out, p, 1);
	}
	return rc;
}

char *policy_doc_normalize(const char *text)
{
	json_t *v = load(text, NULL, 0);
	char *compact = v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	struct tf_bytes out = { 0 };
	json_decref(v);
	if (!compact)
		return NULL;
	int rc = go_escapes(&out, compact) | tf_bytes_add(&out, "", 1);
	free(compact);
	if (rc) {
		tf_bytes_release(&out);
		return NULL;
	}
	return (char *)out.data;
}

/* --- equivalence ---------------------------------------------------------------------- */

/* A string field where absent equals "": 1 equal, 0 not, -1 not a string. */
static int string_field(const json_t *a, const json_t *b, bool fold_case)
{
	if ((a && !json_is_string(a)) || (b && !json_is_string(b)))
		return -1;
	const char *x = a ? json_string_value(a) : "", *y = b ? json_string_value(b) : "";
	return fold_case ? !strcasecmp(x, y) : !strcmp(x, y);
}

/* A list of strings compared as a sorted list (duplicates count). */
struct strlist {
	char **items;
	size_t n;
};

static void strlist_release(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
}

/* The text a scalar stands for in a string list; malloc'd, NULL when the
 * value is not a scalar (or memory runs out). */
static char *scalar_text(const json_t *v)
{
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_number(v) || json_is_boolean(v))
		return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A value as a string list: absent or null is empty, a scalar is one
 * element, a list of scalars is its elements.  0, or -1 when the value has
 * another shape (or memory runs out). */
static int strlist_of(const json_t *v, struct strlist *l)
{
	size_t n = !v || json_is_null(v) ? 0 : json_is_array(v) ? json_array_size(v) : 1;
	l->n = 0;
	l->items = calloc(n ? n : 1, sizeof(char *));
	if (!l->items)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!(l->items[i] = scalar_text(json_is_array(v) ? json_array_get(v, i) : v))) {
			strlist_release(l);
			return -1;
		}
		l->n++;
	}
	qsort(l->items, l->n, sizeof(char *), cmp_str);
	return 0;
}

/* 1 equal, 0 not, -1 when either is not a string list. */
static int strlists_equal(const json_t *a, const json_t *b)
{
	struct strlist x, y;
	if (strlist_of(a, &x) < 0)
		return -1;
	if (strlist_of(b, &y) < 0) {
		strlist_release(&x);
		return -1;
	}
	int eq = x.n == y.n;
	for (size_t i = 0; eq && i < x.n; i++)
		eq = !strcmp(x.items[i], y.items[i]);
	strlist_release(&x);
	strlist_release(&y);
	return eq;
}

/* JSON equality where absent equals absent only. */
static bool json_same(const json_t *a, const json_t *b)
{
	return (!a && !b) || (a && b && json_equal((json_t *)a, (json_t *)b));
}

/* "123456789012" and "arn:aws:iam::123456789012:root" name the same account. */
static bool account_is_root(const char *account, const char *arn_text)
{
	size_t n = strlen(account);
	if (n != 12 || strspn(account, "0123456789") != n)
		return false;
	struct aws_arn arn;
	const char *why;
	if (aws_arn_parse(arn_text, &arn, &why) < 0)
		return false;
	bool same = !strcmp(arn.service, "iam") && !strcmp(arn.resource, "root") &&
		    !strcmp(arn.account, account);
	aws_arn_release(&arn);
	return same;
}

static bool principal_strings_equal(const char *a, const char *b)
{
	return !strcmp(a, b) || account_is_root(a, b) || account_is_root(b, a);
}

/* Each principal of one list pairs with an equal one of the other. */
static bool principal_lists_equal(const struct strlist *x, const struct strlist *y)
{
	if (x->n != y->n)
		return false;
	for (size_t i = 0; i < x->n; i++) {
		bool found = false;
		for (size_t j = 0; !found && j < y->n; j++)
			found = principal_strings_equal(x->items[i], y->items[j]);
		if (!found)
			return false;
	}
	return true;
}

/* Both maps: every non-empty entry has an equal entry under the same key
 * (an empty list counts as absent). */
static int principal_maps_equal(const json_t *a, const json_t *b)
{
	const json_t *maps[2] = { a, b };
	for (int side = 0; side < 2; side++) {
		const char *key;
		json_t *mine;
		json_object_foreach((json_t *)maps[side], key, mine) {
			struct strlist x, y;
			if (strlist_of(mine, &x) < 0)
				return -1;
			if (strlist_of(json_object_get(maps[!side], key), &y) < 0) {
				strlist_release(&x);
				return -1;
			}
			bool eq = (x.n == 0 && y.n == 0) || principal_lists_equal(&x, &y);
			strlist_release(&x);
			strlist_release(&y);
			if (!eq)
				return 0;
		}
	}
	return 1;
}

static int principals_equal(const json_t *a, const json_t *b)
{
	if (!a || !b)
		return !a && !b;
	if (json_is_string(a) && json_is_string(b))
		return principal_strings_equal(json_string_value(a), json_string_value(b));
	if (json_is_object(a) && json_is_object(b))
		return principal_maps_equal(a, b);
	return -1;
}

/* Condition blocks: operator -> key -> string list; absent equals {}. */
static int conditions_equal(const json_t *a, const json_t *b)
{
	if ((a && !json_is_object(a)) || (b && !json_is_object(b)))
		return -1;
	const json_t *blocks[2] = { a, b };
	for (int side = 0; side < 2; side++) {
		const char *op;
		json_t *inner;
		json_object_foreach((json_t *)blocks[side], op, inner) {
			const json_t *other = json_object_get(blocks[!side], op);
			if (!json_is_object(inner) || !json_is_object(other))
				return json_is_object(inner) && !other ? 0 : -1;
			const char *key;
			json_t *values;
			json_object_foreach(inner, key, values) {
				const json_t *theirs = json_object_get(other, key);
				if (!theirs)
					return 0;
				int eq = strlists_equal(values, theirs);
				if (eq != 1)
					return eq;
			}
		}
	}
	return 1;
}

/* One field of a statement (key present in at least one of them). */
static bool statement_field_equal(const char *key, const json_t *a, const json_t *b)
{
	static const char *const lists[] = { "Action", "NotAction", "Resource", "NotResource" };
	int eq = -1;
	if (!strcmp(key, "Sid"))
		eq = string_field(a, b, false);
	else if (!strcmp(key, "Effect"))
		eq = string_field(a, b, true);
	else if (!strcmp(key, "Condition"))
		eq = conditions_equal(a, b);
	else if (!strcmp(key, "Principal") || !strcmp(key, "NotPrincipal"))
		eq = principals_equal(a, b);
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (!strcmp(key, lists[i]))
			eq = strlists_equal(a, b);
	return eq < 0 ? json_same(a, b) : eq == 1;
}

/* Every key of either object compares equal by `field`. */
static bool objects_equal(const json_t *a, const json_t *b,
			  bool (*field)(const char *key, const json_t *a, const json_t *b))
{
	const json_t *objs[2] = { a, b };
	for (int side = 0; side < 2; side++) {
		const char *key;
		json_t *v;
		json_object_foreach((json_t *)objs[side], key, v) {
			const json_t *mine = side ? json_object_get(a, key) : v;
			const json_t *theirs = side ? v : json_object_get(b, key);
			if (!field(key, mine, theirs))
				return false;
		}
	}
	return true;
}

static bool statements_equal_ordered(const json_t *a, const json_t *b)
{
	return objects_equal(a, b, statement_field_equal);
}

/* Statement lists: same length, and each statement of `a` pairs with a
 * distinct equivalent statement of `b`.  Scalars are never statements. */
static int statement_lists_equal(const json_t *a, const json_t *b)
{
	size_t n = json_array_size(a);
	if (n != json_array_size(b))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!json_is_object(json_array_get(a, i)) || !json_is_object(json_array_get(b, i)))
			return -1;
	bool *used = calloc(n ? n : 1, sizeof(bool));
	if (!used)
		return -1;
	int eq = 1;
	for (size_t i = 0; eq && i < n; i++) {
		bool found = false;
		for (size_t j = 0; !found && j < n; j++)
			if (!used[j] && statements_equal_ordered(json_array_get(a, i), json_array_get(b, j)))
				found = used[j] = true;
		eq = found;
	}
	free(used);
	return eq;
}

/* Statement: one object or a list of them; absent equals []. */
static bool statement_sets_equal(const json_t *a, const json_t *b)
{
	json_t *la = !a ? json_array() : json_is_object(a) ? json_pack("[O]", a) : json_incref((json_t *)a);
	json_t *lb = !b ? json_array() : json_is_object(b) ? json_pack("[O]", b) : json_incref((json_t *)b);
	int eq = -1;
	if (json_is_array(la) && json_is_array(lb))
		eq = statement_lists_equal(la, lb);
	json_decref(la);
	json_decref(lb);
	return eq < 0 ? json_same(a, b) : eq == 1;
}

static bool document_field_equal(const char *key, const json_t *a, const json_t *b)
{
	if (!strcmp(key, "Statement"))
		return statement_sets_equal(a, b);
	if (!strcmp(key, "Version") || !strcmp(key, "Id")) {
		int eq = string_field(a, b, false);
		return eq < 0 ? json_same(a, b) : eq == 1;
	}
	return json_same(a, b);
}

bool policy_doc_equivalent(const char *a, const char *b)
{
	if (!strcmp(a, b))
		return true;
	json_t *x = blank(a) ? json_object() : load(a, NULL, 0);
	json_t *y = blank(b) ? json_object() : load(b, NULL, 0);
	bool eq = x && y && objects_equal(x, y, document_field_equal);
	json_decref(x);
	json_decref(y);
	return eq;
}

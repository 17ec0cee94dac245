/*
 * value.h - the one value model: cty-like types and values.
 *
 * Types (struct tf_type) describe the shape Terraform expects on the wire;
 * they come from the schema and are immutable once built.  Values
 * (struct tf_value) are trees of plain nodes; every node owns its children.
 *
 * Ownership, in git's vocabulary:
 *   tf_value_new_*()   return a new owned value; free it with tf_value_free().
 *   tf_value_get()     borrows: the result lives as long as its parent.
 *   tf_value_set()     takes ownership of the value it is given.
 *   tf_value_dup()     deep copy, owned by the caller.
 *   tf_value_free() wipes string contents before freeing them: strings
 *   carry private keys and tokens.
 * All constructors return NULL only when memory runs out.
 *
 * Invariants:
 *   - an object's and a map's keys are sorted bytewise and unique
 *     (tf_value_set keeps them so);
 *   - a set's elements are unique and sorted (tf_value_append keeps them
 *     so); as in cty, an element that contains an unknown is never a
 *     duplicate of anything; set elements must not be changed in place;
 *   - numbers are kept as decimal text with full precision
 *     ("1", "-2.5", "1e+400"); tf_number_* convert; see tf_number_valid
 *     for the accepted syntax;
 *   - a value decoded from a `dynamic` slot remembers its concrete type in
 *     dyn_type (owned), so that it can be encoded back the same way.
 */
#ifndef THINGFORM_VALUE_H
#define THINGFORM_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tf_type_kind {
	TF_TYPE_DYNAMIC,
	TF_TYPE_BOOL,
	TF_TYPE_NUMBER,
	TF_TYPE_STRING,
	TF_TYPE_LIST,
	TF_TYPE_SET,
	TF_TYPE_MAP,
	TF_TYPE_OBJECT,
	TF_TYPE_TUPLE,
};

struct tf_type {
	enum tf_type_kind kind;
	struct tf_type *elem;   /* LIST, SET, MAP: the element type (owned) */
	size_t n;               /* OBJECT: attributes; TUPLE: elements */
	char **names;           /* OBJECT: attribute names, sorted, owned */
	struct tf_type **types; /* OBJECT, TUPLE: member types, owned */
};

/* Primitive and collection type constructors (new, owned). */
struct tf_type *tf_type_new(enum tf_type_kind kind);
struct tf_type *tf_type_new_collection(enum tf_type_kind kind, struct tf_type *elem);
/* Adds an attribute to an OBJECT type, keeping names sorted; takes `type`. */
int tf_type_object_add(struct tf_type *obj, const char *name, struct tf_type *type);
/* Appends an element to a TUPLE type; takes `type`. */
int tf_type_tuple_append(struct tf_type *tuple, struct tf_type *type);
struct tf_type *tf_type_dup(const struct tf_type *t);
void tf_type_free(struct tf_type *t);
bool tf_type_equal(const struct tf_type *a, const struct tf_type *b);
/* Index of an object attribute, or -1. */
long tf_type_object_index(const struct tf_type *obj, const char *name);

/*
 * Type expressions in Terraform's JSON form: "string", ["list","number"],
 * ["object",{"a":"bool"}] (an optional third element listing optional
 * attributes is accepted and ignored), ["tuple",[...]].
 * tf_type_from_json returns NULL and fills err (if given) on a bad expression.
 * tf_type_to_json returns a malloc'd NUL-terminated compact string.
 */
struct tf_type *tf_type_from_json(const char *text, size_t len, char *err, size_t errlen);
char *tf_type_to_json(const struct tf_type *t);
/* Type expressions nest at most this deep (hostile input is refused). */
#define TF_TYPE_MAX_DEPTH 64
/* "string", "list", ... for messages; a static string. */
const char *tf_type_kind_name(enum tf_type_kind kind);

enum tf_value_kind {
	TF_NULL,
	TF_UNKNOWN,
	TF_BOOL,
	TF_NUMBER,
	TF_STRING,
	TF_LIST,
	TF_SET,
	TF_TUPLE,
	TF_MAP,
	TF_OBJECT,
};

struct tf_value {
	enum tf_value_kind kind;
	union {
		bool b;               /* BOOL */
		char *num;            /* NUMBER: decimal text, NUL-terminated */
		struct {              /* STRING: UTF-8, may hold NUL bytes */
			char *ptr;    /* always NUL-terminated as well */
			size_t len;
		} str;
		struct {              /* LIST, SET, TUPLE */
			struct tf_value **items;
			size_t n;
		} seq;
		struct {              /* MAP, OBJECT: keys sorted and unique */
			char **keys;
			struct tf_value **vals;
			size_t n;
		} kv;
	} u;
	struct tf_type *dyn_type; /* set when decoded from a dynamic slot */
};

/* "null", "string", "list", ... for messages; a static string. */
const char *tf_value_kind_name(enum tf_value_kind kind);

struct tf_value *tf_value_new_null(void);
struct tf_value *tf_value_new_unknown(void);
struct tf_value *tf_value_new_bool(bool b);
struct tf_value *tf_value_new_string(const char *s);
struct tf_value *tf_value_new_stringn(const char *s, size_t len);
/* `text` must be a valid decimal number (see tf_number_valid). */
struct tf_value *tf_value_new_number(const char *text);
struct tf_value *tf_value_new_int(int64_t i);
struct tf_value *tf_value_new_uint(uint64_t u);
/* The exact value of `d` (not NaN): the shortest text when that is exact
 * ("0.5"), else every digit of the binary value; +-Inf become "Inf"/"-Inf". */
struct tf_value *tf_value_new_float(double d);
/* kind is LIST, SET, TUPLE, MAP or OBJECT; starts empty. */
struct tf_value *tf_value_new_collection(enum tf_value_kind kind);

struct tf_value *tf_value_dup(const struct tf_value *v);
void tf_value_free(struct tf_value *v);

/* Deep equality; NULL pointers compare equal to each other only.  Two
 * unknowns are equal; numbers compare by value ("1" == "1.0"); sets compare
 * as sets.  dyn_type is not compared. */
bool tf_value_equal(const struct tf_value *a, const struct tf_value *b);
/* A total order consistent with tf_value_equal (the order of set elements). */
int tf_value_cmp(const struct tf_value *a, const struct tf_value *b);
/* True when no node anywhere below (and including) v is UNKNOWN. */
bool tf_value_is_known(const struct tf_value *v);
static inline bool tf_value_is_null(const struct tf_value *v)
{
	return v == NULL || v->kind == TF_NULL;
}
static inline bool tf_value_is_unknown(const struct tf_value *v)
{
	return v != NULL && v->kind == TF_UNKNOWN;
}

/* MAP / OBJECT access. get borrows (NULL when absent); set takes `val` and
 * replaces any previous value under the key; returns 0 or -1 (ENOMEM). */
struct tf_value *tf_value_get(const struct tf_value *kv, const char *key);
int tf_value_set(struct tf_value *kv, const char *key, struct tf_value *val);

/* LIST / SET / TUPLE: append takes `item` (also on failure, when it is
 * freed).  For a SET the item goes to its sorted place and a duplicate is
 * freed and not added.  Returns 0 or -1 (ENOMEM). */
int tf_value_append(struct tf_value *seq, struct tf_value *item);
/* Turns a LIST into a SET in place: sorts it and frees duplicates, in
 * O(n log n).  Decoders build sets this way.  Cannot fail. */
void tf_value_list_to_set(struct tf_value *list);

/* The type a value implies when no schema says otherwise (for a `dynamic`
 * slot): dyn_type when set, else derived from the value's shape; null and
 * unknown imply `dynamic`, and a collection takes its element type from
 * its first element with a concrete type.  New, owned; NULL on ENOMEM. */
struct tf_type *tf_value_implied_type(const struct tf_value *v);

/* Convenience accessors for object attributes; NULL if absent, null,
 * unknown or of another kind. */
const char *tf_value_get_string(const struct tf_value *obj, const char *key);
bool tf_value_get_int(const struct tf_value *obj, const char *key, int64_t *out);

/*
 * Numbers.  The syntax is JSON's (-?int frac? exp?, so every number is
 * also valid JSON) plus "Inf", "+Inf" and "-Inf", which cty allows (1/0 in
 * HCL) and sends as float64.  The decimal exponent is limited to 9 digits.
 * Number text is parsed and printed in the C locale (never call setlocale
 * with LC_NUMERIC).
 */
bool tf_number_valid(const char *text);
/* True and *out set when the number is an integer within int64. */
bool tf_number_to_int64(const char *text, int64_t *out);
/* True and *out set when a double holds exactly this value (0.5, 1e300 is
 * not, 0.1 is not); infinities are exact. */
bool tf_number_to_double(const char *text, double *out);
/* Compares two valid numbers by value: <0, 0, >0 ("-0" == "0"). */
int tf_number_cmp(const char *a, const char *b);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool tf_utf8_valid(const char *s, size_t len);

#endif

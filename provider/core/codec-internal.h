/*
 * codec-internal.h - what msgpack.c and json.c share (not part of the API;
 * the tf__ prefix says so).
 *
 * Both decoders walk a tree their library parsed (msgpack_object, json_t)
 * along the expected type, and both encoders walk a tf_value along its
 * type.  What does not depend on the format lives here: reporting an error
 * at the current attribute path or running out of memory, stepping into a
 * collection element with its path pushed, building lists, sets, tuples,
 * maps and objects, the type of a dynamic value, and the kind checks of the
 * encoders.  What the bytes look like stays in each codec.
 *
 * Ownership: a tf__decoder / tf__encoder is caller-allocated (on the stack
 * of tf_*_decode / tf_*_encode); its path is released by
 * tf__dec_release / tf__enc_finish.  Every function that reports an error
 * has put at least one error in `d` when it returns NULL or -1.
 */
#ifndef THINGFORM_CODEC_INTERNAL_H
#define THINGFORM_CODEC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "codec.h"


/* ---- decoding ---------------------------------------------------------------- */

struct tf__decoder;

/*
 * The codec's own walk: decodes `node` (a const msgpack_object * or a const
 * json_t *) along t, `depth` containers deep.  New value, or NULL (reported).
 */
typedef struct tf_value *tf__decode_fn(struct tf__decoder *dec, const void *node,
				       const struct tf_type *t, int depth);

struct tf__decoder {
	struct tf_diags *d;
	struct tf_path path;	/* where the walk is: every error names it */
	const char *summary;	/* of every error, in the codec's words */
	tf__decode_fn *decode;	/* called for each element, one level deeper */
};

void tf__dec_init(struct tf__decoder *dec, struct tf_diags *d, const char *summary,
		  tf__decode_fn *decode);
void tf__dec_release(struct tf__decoder *dec);

/* An error at the current path. */
void tf__dec_error(struct tf__decoder *dec, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Reports running out of memory; returns NULL (for `return tf__dec_oom(dec);`). */
void *tf__dec_oom(struct tf__decoder *dec);
/* Passes v through, reporting running out of memory when it is NULL. */
struct tf_value *tf__dec_check(struct tf__decoder *dec, struct tf_value *v);
/* True (reported) when depth is past TF_CODEC_MAX_DEPTH. */
bool tf__dec_too_deep(struct tf__decoder *dec, int depth);
/* Pushes an attribute name on the path; 0, or -1 (out of memory, reported). */
int tf__dec_push_attr(struct tf__decoder *dec, const char *name);

/*
 * Lists, sets and tuples: tf__dec_seq_new checks a tuple's length against
 * t and returns an empty list or tuple; tf__dec_seq_add decodes `node` as
 * element i (index i on the path) and appends it, returning 0 or -1
 * (reported; seq stays the caller's to free); tf__dec_seq_done turns the
 * list into a set when t is a set type, and returns it.
 */
struct tf_value *tf__dec_seq_new(struct tf__decoder *dec, const struct tf_type *t, size_t n);
int tf__dec_seq_add(struct tf__decoder *dec, struct tf_value *seq, const struct tf_type *t,
		    size_t i, const void *node, int depth);
struct tf_value *tf__dec_seq_done(struct tf_value *seq, const struct tf_type *t);

/*
 * Maps and objects: decodes `node` along et and sets it as kv[key] (an
 * earlier value under the key is replaced), with the key on the path as a
 * map key or an attribute name, as kv's kind says.  0 or -1 (reported; kv
 * stays the caller's to free).
 */
int tf__dec_put(struct tf__decoder *dec, struct tf_value *kv, const char *key, const void *node,
		const struct tf_type *et, int depth);

/*
 * Finishes an object decoded along t (from tf_value_new_collection(TF_OBJECT)
 * and tf__dec_put): an attribute of t that it lacks is either set to null
 * (JSON state: written by an older schema) or an error at its path (the
 * wire: cty sends every attribute); every missing one is reported.  Returns
 * obj, or NULL after freeing it.
 */
enum tf__missing { TF__MISSING_IS_NULL, TF__MISSING_IS_ERROR };
struct tf_value *tf__dec_object_done(struct tf__decoder *dec, struct tf_value *obj,
				     const struct tf_type *t, enum tf__missing missing);

/*
 * A dynamic value: decodes `node` along the type written as JSON text in
 * type_json[0..len), one level deeper.  The value keeps that type in
 * dyn_type (unless it already has one, or the type is `dynamic` itself).
 */
struct tf_value *tf__dec_dynamic(struct tf__decoder *dec, const char *type_json, size_t len,
				 const void *node, int depth);

/* ---- encoding ---------------------------------------------------------------- */

struct tf__encoder {
	struct tf_diags *d;
	struct tf_path path;	/* where the walk is: every error names it */
	const char *summary;	/* of every error, in the codec's words */
	size_t errors;		/* d->errors when encoding started */
	bool oom;		/* ran out of memory: reported once, at the end */
};

void tf__enc_init(struct tf__encoder *enc, struct tf_diags *d, const char *summary);
/*
 * Ends an encoding whose walk returned rc: reports running out of memory
 * (once, also for a failure that reported nothing) and releases the path.
 * Returns 0 when all went well, else -1.
 */
int tf__enc_finish(struct tf__encoder *enc, int rc);

/* An error at the current path; returns -1. */
int tf__enc_error(struct tf__encoder *enc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Notes running out of memory (tf__enc_finish reports it); returns -1. */
int tf__enc_oom(struct tf__encoder *enc);
/* -1 (reported) when depth is past TF_CODEC_MAX_DEPTH, else 0. */
int tf__enc_check_depth(struct tf__encoder *enc, int depth);
/*
 * 0 when v, neither null nor unknown, is of the kind t asks for (and a
 * tuple has t's length); else -1, reported.  t is not `dynamic`.
 */
int tf__enc_check_kind(struct tf__encoder *enc, const struct tf_value *v,
		       const struct tf_type *t);

/*
 * Objects: v's keys and t's names are both sorted, so attribute i of a
 * conforming v is t's attribute i.  tf__enc_object_len is how many steps
 * the walk takes; tf__enc_push_attr pushes attribute i on the path and
 * returns 0 when v and t agree on it, else reports it missing or extra and
 * returns -1 with nothing pushed.
 */
size_t tf__enc_object_len(const struct tf_value *v, const struct tf_type *t);
int tf__enc_push_attr(struct tf__encoder *enc, const struct tf_value *v, const struct tf_type *t,
		      size_t i);

#endif

/*
 * codec.h - values on the wire.
 *
 * msgpack is what Terraform sends and what we must answer in; JSON only
 * arrives in RawState (UpgradeResourceState).  Every decoder is given the
 * type it expects (from the schema) and treats the bytes as hostile: a
 * mismatch is reported in `d` with the attribute path where it happened,
 * never a crash.  Decoders return a new owned value, or NULL on error (with
 * at least one error in `d`).  Encoders return 0, or -1 with an error in `d`
 * (a value that does not conform to the type, or an unknown in JSON).
 */
#ifndef THINGFORM_CODEC_H
#define THINGFORM_CODEC_H

#include <stddef.h>

#include "diag.h"
#include "value.h"

/*
 * Limits for hostile input.  Containers nest at most TF_CODEC_MAX_DEPTH deep
 * (msgpack-c's unpacker stack is 32 deep; JSON uses the same limit so that
 * every value either codec reads, the other can write), and one encoded
 * value is at most TF_CODEC_MAX_INPUT bytes.
 */
#define TF_CODEC_MAX_DEPTH 32
#define TF_CODEC_MAX_INPUT ((size_t)64 << 20)

/* A growable byte buffer owned by the caller (tf_bytes_release frees).  Its
 * memory is wiped whenever it is freed or moved: it may hold secrets. */
struct tf_bytes {
	unsigned char *data;
	size_t len, alloc;
};
void tf_bytes_release(struct tf_bytes *b);
/* Appends len bytes, keeping data NUL-terminated after len; 0 or -1 (ENOMEM). */
int tf_bytes_add(struct tf_bytes *b, const void *data, size_t len);

/*
 * msgpack (cty's wire format): unknown = any ext (ext 12 is a refined
 * unknown, read as unknown); dynamic = [bin JSON type, value]; object = map
 * of every attribute; numbers as int, float64 or decimal string.
 */
struct tf_value *tf_msgpack_decode(const void *buf, size_t len, const struct tf_type *type,
				   struct tf_diags *d);
int tf_msgpack_encode(const struct tf_value *v, const struct tf_type *type,
		      struct tf_bytes *out, struct tf_diags *d);

/*
 * JSON (state files): objects keyed by attribute name; a missing attribute
 * decodes as null and an attribute the type does not know is dropped
 * (state written by an older schema); dynamic = {"value":V,"type":T}.
 */
struct tf_value *tf_json_decode(const char *buf, size_t len, const struct tf_type *type,
				struct tf_diags *d);
/* Returns a malloc'd NUL-terminated compact JSON text, or NULL on error. */
char *tf_json_encode(const struct tf_value *v, const struct tf_type *type, struct tf_diags *d);

#endif

/*
 * encode.h - text encodings of bytes that outputs are made of.
 *
 * All return a malloc'd NUL-terminated string (NULL only when memory runs
 * out) that the caller frees.
 */
#ifndef THINGFORM_ENCODE_H
#define THINGFORM_ENCODE_H

#include <stdbool.h>
#include <stddef.h>

enum tf_base64 {
	TF_BASE64_STD,         /* + / with = padding      (Go StdEncoding) */
	TF_BASE64_STD_RAW,     /* + / without padding     (Go RawStdEncoding) */
	TF_BASE64_URL_RAW,     /* - _ without padding     (Go RawURLEncoding) */
};

char *tf_base64_encode(const unsigned char *data, size_t len, enum tf_base64 kind);
/*
 * Strict decoding: only the alphabet of `kind`, padding exactly where the
 * kind wants it, and no stray bits in the last character.  Returns a
 * malloc'd buffer and its length in *len, or NULL if the text is not valid.
 */
unsigned char *tf_base64_decode(const char *text, enum tf_base64 kind, size_t *len);

char *tf_hex_encode(const unsigned char *data, size_t len);
/* The bytes as one big-endian unsigned integer, in decimal ("0" if all zero). */
char *tf_decimal_encode(const unsigned char *data, size_t len);

#endif

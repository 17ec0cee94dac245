/*
 * encode.c - base64 (three of Go's flavours), hex and big decimal.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>

#include "encode.h"

static const char std_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char url_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *tf_base64_encode(const unsigned char *data, size_t len, enum tf_base64 kind)
{
	const char *abc = kind == TF_BASE64_URL_RAW ? url_alphabet : std_alphabet;
	bool pad = kind == TF_BASE64_STD;
	char *out = malloc(4 * ((len + 2) / 3) + 1);
	size_t o = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i += 3) {
		size_t n = len - i < 3 ? len - i : 3;
		unsigned long v = (unsigned long)data[i] << 16;
		if (n > 1)
			v |= (unsigned long)data[i + 1] << 8;
		if (n > 2)
			v |= data[i + 2];
		out[o++] = abc[(v >> 18) & 63];
		out[o++] = abc[(v >> 12) & 63];
		if (n > 1)
			out[o++] = abc[(v >> 6) & 63];
		else if (pad)
			out[o++] = '=';
		if (n > 2)
			out[o++] = abc[v & 63];
		else if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
	return out;
}

static int sextet(const char *abc, char c)
{
	const char *p = c ? strchr(abc, c) : NULL;
	return p ? (int)(p - abc) : -1;
}

unsigned char *tf_base64_decode(const char *text, enum tf_base64 kind, size_t *len)
{
	const char *abc = kind == TF_BASE64_URL_RAW ? url_alphabet : std_alphabet;
	size_t n = strlen(text);
	if (kind == TF_BASE64_STD) {
		if (n % 4)
			return NULL;
		for (int i = 0; i < 2 && n && text[n - 1] == '='; i++)
			n--;
	}
	if (n % 4 == 1)
		return NULL;
	unsigned char *out = malloc(n * 3 / 4 + 1);
	size_t o = 0;
	unsigned long acc = 0;
	int bits = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int v = sextet(abc, text[i]);
		if (v < 0)
			goto bad;
		acc = (acc << 6) | (unsigned long)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1UL << bits) - 1;
		}
	}
	if (acc != 0) /* stray bits in the last character */
		goto bad;
	*len = o;
	return out;
bad:
	free(out);
	return NULL;
}

char *tf_hex_encode(const unsigned char *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *out = malloc(2 * len + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[data[i] >> 4];
		out[2 * i + 1] = digits[data[i] & 15];
	}
	out[2 * len] = '\0';
	return out;
}

char *tf_decimal_encode(const unsigned char *data, size_t len)
{
	BIGNUM *bn = BN_bin2bn(data, (int)len, NULL);
	char *dec = bn ? BN_bn2dec(bn) : NULL;
	char *out = dec ? strdup(dec) : NULL;
	OPENSSL_free(dec);
	BN_free(bn);
	return out;
}

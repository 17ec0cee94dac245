/* test-encode.c - base64 flavours, hex and big decimals. */
#include "test.h"

#include <stdlib.h>

#include "encode.h"

TEST_IMPL(encode_base64)
{
	static const struct { const char *in, *std, *raw, *url; } cases[] = {
		{ "", "", "", "" },
		{ "f", "Zg==", "Zg", "Zg" },
		{ "fo", "Zm8=", "Zm8", "Zm8" },
		{ "foo", "Zm9v", "Zm9v", "Zm9v" },
		{ "foob", "Zm9vYg==", "Zm9vYg", "Zm9vYg" },
		{ "\xfb\xff\xbf", "+/+/", "+/+/", "-_-_" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const unsigned char *in = (const unsigned char *)cases[i].in;
		size_t len = strlen(cases[i].in), n;
		char *std = tf_base64_encode(in, len, TF_BASE64_STD);
		char *raw = tf_base64_encode(in, len, TF_BASE64_STD_RAW);
		char *url = tf_base64_encode(in, len, TF_BASE64_URL_RAW);
		ASSERT_STR_EQ(std, cases[i].std);
		ASSERT_STR_EQ(raw, cases[i].raw);
		ASSERT_STR_EQ(url, cases[i].url);
		unsigned char *back = tf_base64_decode(url, TF_BASE64_URL_RAW, &n);
		ASSERT_NOT_NULL(back);
		ASSERT_MEM_EQ(back, n, in, len);
		free(back);
		back = tf_base64_decode(std, TF_BASE64_STD, &n);
		ASSERT_NOT_NULL(back);
		ASSERT_MEM_EQ(back, n, in, len);
		free(back);
		free(std);
		free(raw);
		free(url);
	}
	return 0;
}

TEST_IMPL(encode_base64_strict)
{
	static const char *const bad_url[] = {
		"Zg==", "Zm8=", "Z", "Zh", "+/+/", "Zm9v!", "Zm 9v", "AenA7B",
	};
	size_t n;
	for (size_t i = 0; i < sizeof(bad_url) / sizeof(bad_url[0]); i++) {
		unsigned char *out = tf_base64_decode(bad_url[i], TF_BASE64_URL_RAW, &n);
		if (out) {
			free(out);
			TEST_FAIL_("\"%s\" decoded as raw URL base64", bad_url[i]);
		}
	}
	ASSERT_NULL(tf_base64_decode("Zg", TF_BASE64_STD, &n));   /* padding missing */
	ASSERT_NULL(tf_base64_decode("Zg=", TF_BASE64_STD, &n));
	unsigned char *ok = tf_base64_decode("AenA7A", TF_BASE64_URL_RAW, &n);
	ASSERT_NOT_NULL(ok);
	ASSERT_MEM_EQ(ok, n, "\x01\xe9\xc0\xec", 4);
	free(ok);
	return 0;
}

TEST_IMPL(encode_hex_decimal)
{
	static const struct { const char *bytes; size_t len; const char *hex, *dec; } cases[] = {
		{ "", 0, "", "0" },
		{ "\x00\x00", 2, "0000", "0" },
		{ "\x01\xe9\xc0\xec", 4, "01e9c0ec", "32096492" },
		{ "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 16,
		  "ffffffffffffffffffffffffffffffff", "340282366920938463463374607431768211455" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const unsigned char *b = (const unsigned char *)cases[i].bytes;
		char *hex = tf_hex_encode(b, cases[i].len), *dec = tf_decimal_encode(b, cases[i].len);
		ASSERT_STR_EQ(hex, cases[i].hex);
		ASSERT_STR_EQ(dec, cases[i].dec);
		free(hex);
		free(dec);
	}
	return 0;
}

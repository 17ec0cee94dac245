/*
 * uuid.c - random_uuid, random_uuid4 and random_uuid7.
 *
 * random_uuid is 128 random bits in the UUID text form, the version and
 * variant fields random too, as the HashiCorp provider makes it (its
 * import takes exactly the 8-4-4-4-12 form).  random_uuid4 and random_uuid7 are
 * RFC 9562 UUIDs; their import also takes bare hex, braces and urn:uuid:.
 *
 * Version 7 (RFC 9562 section 5.7): 48 bits of Unix time in milliseconds,
 * the version, 12 bits of sub-millisecond time (section 6.2, method 3),
 * the variant and 62 random bits.  Within this process each UUID sorts
 * after the one before, even when the clock stands still or steps back.
 */
#include <pthread.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "random.h"

void random_uuid_format(const unsigned char b[16], char out[RANDOM_UUID_TEXT])
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	     : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* 32 hex digits, skipping dashes at 8, 13, 18 and 23 when `dashed`. */
static bool parse_digits(const char *s, bool dashed, unsigned char out[16])
{
	for (int i = 0; i < 16; i++) {
		if (dashed && (i == 4 || i == 6 || i == 8 || i == 10) && *s++ != '-')
			return false;
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);
		if (lo < 0)
			return false;
		out[i] = (unsigned char)(hi << 4 | lo);
		s += 2;
	}
	return true;
}

bool random_uuid_parse(const char *text, bool strict, unsigned char out[16])
{
	size_t len = strlen(text);
	if (len == 36)
		return parse_digits(text, true, out);
	if (strict)
		return false;
	if (len == 32)
		return parse_digits(text, false, out);
	if (len == 38 && text[0] == '{' && text[37] == '}')
		return parse_digits(text + 1, true, out);
	if (len == 45 && strncasecmp(text, "urn:uuid:", 9) == 0)
		return parse_digits(text + 9, true, out);
	return false;
}

void random_uuid7_build(uint64_t ms, unsigned frac, const unsigned char rand_b[8],
			unsigned char out[16])
{
	for (int i = 0; i < 6; i++)
		out[i] = (unsigned char)(ms >> (40 - 8 * i));
	out[6] = (unsigned char)(0x70 | ((frac >> 8) & 0x0f));
	out[7] = (unsigned char)frac;
	memcpy(out + 8, rand_b, 8);
	out[8] = (unsigned char)(0x80 | (out[8] & 0x3f));
}

/* The last (ms << 12 | frac) handed out: version 7 UUIDs of this process
 * increase strictly. */
static pthread_mutex_t v7_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t v7_last;

static uint64_t v7_next_time(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	uint64_t frac = (uint64_t)(ts.tv_nsec % 1000000) * 4096 / 1000000;
	uint64_t t = (ms << 12 | frac) & ((UINT64_C(1) << 60) - 1);
	pthread_mutex_lock(&v7_lock);
	if (t <= v7_last)
		t = v7_last + 1;
	v7_last = t;
	pthread_mutex_unlock(&v7_lock);
	return t;
}

enum kind { ANY_BITS, VERSION4, VERSION7 };

static int make(struct tf_ctx *c, enum kind kind, unsigned char b[16])
{
	struct random_rng r;
	random_rng_init(&r, NULL);
	int rc = random_rng_bytes(&r, b, 16);
	random_rng_release(&r);
	if (rc < 0) {
		random_source_failed(c);
		return -1;
	}
	if (kind == VERSION4) {
		b[6] = (unsigned char)(0x40 | (b[6] & 0x0f));
		b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
	} else if (kind == VERSION7) {
		uint64_t t = v7_next_time();
		random_uuid7_build(t >> 12, (unsigned)(t & 0xfff), b + 8, b);
	}
	return 0;
}

static int set_uuid(struct tf_ctx *c, struct tf_value *state, const unsigned char b[16])
{
	char text[RANDOM_UUID_TEXT];
	random_uuid_format(b, text);
	if (random_set_string(c, state, "result", text) < 0)
		return -1;
	return random_set_string(c, state, "id", text);
}

static int import(struct tf_ctx *c, const char *id, struct tf_value *state, bool strict)
{
	unsigned char b[16];
	if (!random_uuid_parse(id, strict, b)) {
		tf_diag_error_at(c->diags, NULL, "Import Random UUID Error",
				 "\"%s\" is not a UUID: use the 8-4-4-4-12 hexadecimal form%s.", id,
				 strict ? "" : " (bare hex, {braces} and urn:uuid: also work)");
		return -1;
	}
	return set_uuid(c, state, b);
}

static int create_uuid(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	unsigned char b[16];
	(void)config;
	return make(c, ANY_BITS, b) < 0 ? -1 : set_uuid(c, state, b);
}

static int create_uuid4(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	unsigned char b[16];
	(void)config;
	return make(c, VERSION4, b) < 0 ? -1 : set_uuid(c, state, b);
}

static int create_uuid7(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state)
{
	unsigned char b[16];
	(void)config;
	return make(c, VERSION7, b) < 0 ? -1 : set_uuid(c, state, b);
}

static int import_strict(struct tf_ctx *c, const char *id, struct tf_value *state)
{
	return import(c, id, state, true);
}

static int import_any_form(struct tf_ctx *c, const char *id, struct tf_value *state)
{
	return import(c, id, state, false);
}

const struct tf_resource random_uuid_resource = {
	.name = "random_uuid",
	.create = create_uuid,
	.import = import_strict,
};

const struct tf_resource random_uuid4_resource = {
	.name = "random_uuid4",
	.create = create_uuid4,
	.import = import_any_form,
};

const struct tf_resource random_uuid7_resource = {
	.name = "random_uuid7",
	.create = create_uuid7,
	.import = import_any_form,
};

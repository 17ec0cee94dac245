/*
 * xml.c - element text from small XML documents (see xml.h).
 */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "xml.h"

static const struct {
	const char *name;
	char c;
} entities[] = {
	{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' }, { "quot;", '"' }, { "apos;", '\'' },
};

/* Decodes one entity at s (after '&'); returns its length or 0. */
static size_t entity(const char *s, size_t left, char *out)
{
	for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++) {
		size_t n = strlen(entities[i].name);
		if (left >= n && !memcmp(s, entities[i].name, n)) {
			*out = entities[i].c;
			return n;
		}
	}
	if (left >= 3 && s[0] == '#') {
		char *end;
		long v = s[1] == 'x' ? strtol(s + 2, &end, 16) : strtol(s + 1, &end, 10);
		if ((size_t)(end - s) < left && *end == ';' && v > 0 && v < 128) {
			*out = (char)v;
			return (size_t)(end - s) + 1;
		}
	}
	return 0;
}

static const char *find(const char *hay, size_t len, const char *needle)
{
	return memmem(hay, len, needle, strlen(needle));
}

char *aws_xml_text(const char *doc, size_t len, const char *tag)
{
	char open[128], close[130];
	size_t tlen = strlen(tag);
	if (tlen + 3 > sizeof(open))
		return NULL;
	open[0] = '<';
	memcpy(open + 1, tag, tlen);
	memcpy(open + 1 + tlen, ">", 2);
	close[0] = '<';
	close[1] = '/';
	memcpy(close + 2, open + 1, tlen + 2);
	const char *start = find(doc, len, open);
	if (!start)
		return NULL;
	start += tlen + 2;
	const char *end = find(start, len - (size_t)(start - doc), close);
	if (!end || memchr(start, '<', (size_t)(end - start)))
		return NULL;
	struct tf_bytes out = { 0 };
	for (const char *p = start; p < end; p++) {
		char c = *p;
		size_t skip = 0;
		if (c == '&' && !(skip = entity(p + 1, (size_t)(end - p - 1), &c))) {
			tf_bytes_release(&out);
			return NULL;
		}
		p += skip;
		if (tf_bytes_add(&out, &c, 1) < 0) {
			tf_bytes_release(&out);
			return NULL;
		}
	}
	if (tf_bytes_add(&out, "", 0) < 0) {
		tf_bytes_release(&out);
		return NULL;
	}
	return (char *)out.data;
}

/*
 * test-aws-pem.c - PEM compared by content (provider/aws/pem.h): line
 * endings, line lengths and whitespace do not matter, content does; the
 * CSR-to-certificate and CA-to-certificate checks.  Fixtures in
 * tests/unit/data/pem/ (see its README).
 */
#include <stdlib.h>
#include <string.h>

#include "provider/aws/pem.h"
#include "test.h"

#define DIR "tests/unit/data/pem/"

static char *load(const char *name)
{
	FILE *f = fopen(name, "rb");
	char *buf = f ? calloc(1, 1 << 16) : NULL;
	if (buf && fread(buf, 1, (1 << 16) - 1, f) == 0) {
		free(buf);
		buf = NULL;
	}
	if (f)
		fclose(f);
	return buf;
}

/* `pem` written another way: CRLF line endings, base64 rewrapped at
 * `width` (0: one line), blank lines around, no final newline. */
static char *rewrite(const char *pem, size_t width, bool crlf)
{
	const char *begin = strstr(pem, "-----\n") + 6, *end = strstr(pem, "-----END");
	const char *nl = crlf ? "\r\n" : "\n";
	char *out = calloc(1, 2 * strlen(pem) + 64), *o = out;
	o += sprintf(o, "%s  %s", nl, nl);
	o += sprintf(o, "%.*s%s", (int)(begin - 1 - pem), pem, nl);
	size_t col = 0;
	for (const char *p = begin; p < end; p++) {
		if (*p == '\n')
			continue;
		*o++ = *p;
		if (width && ++col == width) {
			o += sprintf(o, "%s", nl);
			col = 0;
		}
	}
	if (col || !width)
		o += sprintf(o, "%s", nl);
	o += sprintf(o, "%.*s", (int)strcspn(end, "\n"), end);
	return out;
}

static bool same(const char *a, const char *b)
{
	return aws_pem_same(a, strlen(a), b, strlen(b));
}

TEST_IMPL(aws_pem_same_content)
{
	char *dev = load(DIR "device.pem"), *ca = load(DIR "ca.pem"), *csr = load(DIR "device.csr");
	ASSERT(dev && ca && csr);
	static const struct { size_t width; bool crlf; } ways[] = {
		{ 64, false }, { 64, true }, { 0, false }, { 0, true }, { 76, true }, { 17, false },
	};
	for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		char *v = rewrite(dev, ways[i].width, ways[i].crlf);
		ASSERT(v && strcmp(v, dev));
		ASSERT(same(dev, v) && same(v, dev));
		ASSERT(!same(ca, v));
		free(v);
	}
	/* A chain equals the same chain only, in the same order. */
	size_t n = strlen(dev) + strlen(ca) + 1;
	char *chain = malloc(n), *rev = malloc(n);
	snprintf(chain, n, "%s%s", dev, ca);
	snprintf(rev, n, "%s%s", ca, dev);
	ASSERT(same(chain, chain) && !same(chain, rev) && !same(chain, dev));
	/* One changed base64 character is another certificate. */
	char *flip = strdup(dev);
	char *c = flip + strlen(flip) / 2;
	*c = *c == 'A' ? 'B' : 'A';
	ASSERT(!same(dev, flip));
	/* Not PEM at all, or nothing: never the same, even as itself. */
	ASSERT(!same("garbage", "garbage") && !same("", "") && !same(dev, ""));
	/* Same bytes, another label. */
	const char *body = strstr(csr, "-----\n") + 6, *tail = strstr(csr, "-----END");
	char *relabel = malloc(strlen(csr) + 64);
	sprintf(relabel, "-----BEGIN NEW CERTIFICATE REQUEST-----\n%.*s-----END NEW CERTIFICATE "
		"REQUEST-----\n", (int)(tail - body), body);
	ASSERT(!same(csr, dev) && !same(csr, relabel));
	X509_REQ *r = aws_pem_csr(relabel, strlen(relabel), &(const char *){ NULL });
	ASSERT_NOT_NULL(r);
	X509_REQ_free(r);
	free(chain);
	free(rev);
	free(flip);
	free(relabel);
	free(dev);
	free(ca);
	free(csr);
	return 0;
}

TEST_IMPL(aws_pem_parse_kinds)
{
	char *dev = load(DIR "device.pem"), *csr = load(DIR "device.csr");
	const char *why;
	ASSERT(dev && csr);
	X509 *x = aws_pem_certificate(dev, strlen(dev), &why);
	ASSERT(x && !why);
	X509_free(x);
	X509_REQ *r = aws_pem_csr(csr, strlen(csr), &why);
	ASSERT(r && !why);
	X509_REQ_free(r);
	/* The wrong kind, garbage, a truncated block: NULL and a reason. */
	ASSERT_NULL(aws_pem_certificate(csr, strlen(csr), &why));
	ASSERT(why && *why);
	ASSERT_NULL(aws_pem_csr(dev, strlen(dev), &why));
	ASSERT(why && *why);
	ASSERT_NULL(aws_pem_certificate("not a certificate", 17, &why));
	ASSERT(why && *why);
	ASSERT_NULL(aws_pem_certificate(dev, strlen(dev) / 2, &why));
	ASSERT(why && *why);
	/* A one-line CRLF certificate still parses. */
	char *v = rewrite(dev, 0, true);
	x = aws_pem_certificate(v, strlen(v), &why);
	ASSERT(x && !why);
	X509_free(x);
	free(v);
	free(dev);
	free(csr);
	return 0;
}

TEST_IMPL(aws_pem_relations)
{
	char *dev = load(DIR "device.pem"), *ca = load(DIR "ca.pem"), *csr = load(DIR "device.csr"),
	     *other = load(DIR "other.pem");
	ASSERT(dev && ca && csr && other);
	ASSERT(aws_pem_csr_fits(csr, strlen(csr), dev, strlen(dev)));
	ASSERT(!aws_pem_csr_fits(csr, strlen(csr), other, strlen(other)));
	ASSERT(!aws_pem_csr_fits(dev, strlen(dev), dev, strlen(dev)));
	ASSERT(aws_pem_signed_by(dev, strlen(dev), ca, strlen(ca)));
	ASSERT(aws_pem_signed_by(ca, strlen(ca), ca, strlen(ca)));
	ASSERT(!aws_pem_signed_by(dev, strlen(dev), other, strlen(other)));
	ASSERT(!aws_pem_signed_by(other, strlen(other), ca, strlen(ca)));
	ASSERT(!aws_pem_signed_by(dev, strlen(dev), "junk", 4));
	free(dev);
	free(ca);
	free(csr);
	free(other);
	return 0;
}

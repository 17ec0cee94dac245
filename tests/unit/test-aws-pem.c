/*
 * test-aws-pem.c - PEM compared by content (provider/aws/pem.h): line
 * endings, line lengths and whitespace do not matter, content does; the
 * CSR-to-certificate and CA-to-certificate checks; and the plan and
 * validate slots of aws_iot_certificate built on them.  Fixtures in
 * tests/unit/data/pem/ (see its README).
 */
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "provider/aws/aws.h"
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
	/* OpenSSL's own words, so its error strings were there when wanted
	 * (they load on first use; the runner starts OpenSSL as a provider does). */
	ASSERT_NULL(aws_pem_certificate("not a certificate", 17, &why));
	ASSERT_STR_EQ(why, "no start line");
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

/* --- the aws_iot_certificate plan and validate slots ------------------------------ */

/* An object with the given string attributes (value NULL: null). */
static struct tf_value *object(const char *const *kv)
{
	struct tf_value *o = tf_value_new_collection(TF_OBJECT);
	for (; o && kv[0]; kv += 2)
		if (tf_value_set(o, kv[0], kv[1] ? tf_value_new_string(kv[1]) : tf_value_new_null()) < 0)
			return NULL;
	return o;
}

/* Runs the plan slot on an update (prior non-NULL) or a create, with
 * `attrs` planned for replacement as the core would; returns how many
 * replacement paths are left and fills `planned`. */
static int run_plan(const struct tf_value *prior, const struct tf_value *config,
		    struct tf_value *planned, const char *const *attrs, struct tf_diags *d)
{
	struct tf_ctx c = { .diags = d };
	struct tf_paths replace = { 0 };
	for (; *attrs; attrs++)
		tf_paths_add_attr(&replace, *attrs);
	int rc = aws_iot_certificate_resource.plan(&c, prior, config, planned, &replace);
	int left = rc < 0 ? -1 : (int)replace.n;
	tf_paths_release(&replace);
	return left;
}

TEST_IMPL(aws_iot_certificate_plan)
{
	char *dev = load(DIR "device.pem"), *ca = load(DIR "ca.pem"), *csr = load(DIR "device.csr"),
	     *other = load(DIR "other.pem"), *crlf = dev ? rewrite(dev, 0, true) : NULL;
	struct tf_diags d;
	tf_diags_init(&d);
	ASSERT(dev && ca && csr && other && crlf);

	/* Create from a csr: the keys are known to stay null. */
	struct tf_value *config = object((const char *[]){ "csr", csr, NULL });
	struct tf_value *planned = object((const char *[]){ "csr", csr, NULL });
	ASSERT(tf_value_set(planned, "private_key", tf_value_new_unknown()) == 0);
	ASSERT_INT_EQ(run_plan(NULL, config, planned, (const char *[]){ NULL }, &d), 0);
	ASSERT(tf_value_is_null(tf_value_get(planned, "private_key")) &&
	       tf_value_get(planned, "public_key") && tf_value_is_null(tf_value_get(planned, "public_key")));
	tf_value_free(config);
	tf_value_free(planned);

	/* The configured certificate written another way: the prior string, no replacement. */
	struct tf_value *prior = object((const char *[]){ "certificate_pem", crlf, "csr", NULL,
							  "ca_pem", NULL, "ca_certificate_id", NULL, NULL });
	config = object((const char *[]){ "certificate_pem", dev, NULL });
	planned = object((const char *[]){ "certificate_pem", dev, NULL });
	ASSERT_INT_EQ(run_plan(prior, config, planned, (const char *[]){ "certificate_pem", NULL }, &d), 0);
	ASSERT_STR_EQ(tf_value_get_string(planned, "certificate_pem"), crlf);
	tf_value_free(config);
	tf_value_free(planned);

	/* Another certificate configured: still replaced. */
	config = object((const char *[]){ "certificate_pem", other, NULL });
	planned = object((const char *[]){ "certificate_pem", other, NULL });
	ASSERT_INT_EQ(run_plan(prior, config, planned, (const char *[]){ "certificate_pem", NULL }, &d), 1);
	ASSERT_STR_EQ(tf_value_get_string(planned, "certificate_pem"), other);
	tf_value_free(config);
	tf_value_free(planned);

	/* An imported certificate meets the csr it carries the key of: recorded, not replaced;
	 * a request for another key replaces it. */
	config = object((const char *[]){ "csr", csr, NULL });
	planned = object((const char *[]){ "csr", csr, NULL });
	ASSERT_INT_EQ(run_plan(prior, config, planned, (const char *[]){ "csr", NULL }, &d), 0);
	tf_value_free(prior);
	prior = object((const char *[]){ "certificate_pem", other, "csr", NULL, "ca_pem", NULL,
					 "ca_certificate_id", NULL, NULL });
	ASSERT_INT_EQ(run_plan(prior, config, planned, (const char *[]){ "csr", NULL }, &d), 1);
	tf_value_free(config);
	tf_value_free(planned);
	tf_value_free(prior);

	/* ca_pem: recorded only for a certificate AWS reports registered with a CA that it
	 * verifies with. */
	static const struct { const char *ca_id, *cert; int left; } cases[] = {
		{ "0123abcd", NULL, 0 }, { NULL, NULL, 1 }, { "", NULL, 1 }, { "0123abcd", "other", 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		prior = object((const char *[]){ "certificate_pem", cases[i].cert ? other : dev, "csr",
						 NULL, "ca_pem", NULL, "ca_certificate_id",
						 cases[i].ca_id, NULL });
		config = object((const char *[]){ "ca_pem", ca, "certificate_pem", dev, NULL });
		planned = tf_value_dup(config);
		ASSERT_INT_EQ(run_plan(prior, config, planned, (const char *[]){ "ca_pem", NULL }, &d),
			      cases[i].left);
		tf_value_free(prior);
		tf_value_free(config);
		tf_value_free(planned);
	}
	ASSERT_INT_EQ(d.n, 0);

	/* csr and certificate_pem together: an error on csr. */
	config = object((const char *[]){ "csr", csr, "certificate_pem", dev, NULL });
	planned = tf_value_dup(config);
	ASSERT_INT_EQ(run_plan(NULL, config, planned, (const char *[]){ NULL }, &d), -1);
	ASSERT(d.n == 1 && d.items[0].path.n == 1);
	ASSERT_STR_EQ(d.items[0].path.steps[0].name, "csr");
	tf_value_free(config);
	tf_value_free(planned);

	tf_diags_release(&d);
	free(dev);
	free(ca);
	free(csr);
	free(other);
	free(crlf);
	return 0;
}

TEST_IMPL(aws_iot_certificate_validate)
{
	char *dev = load(DIR "device.pem"), *csr = load(DIR "device.csr");
	ASSERT(dev && csr);
	static const struct { const char *attr; int which; const char *summary; } rows[] = {
		{ "csr", 0, "Invalid certificate signing request" },
		{ "csr", 1, "Invalid certificate signing request" },
		{ "certificate_pem", 0, "Invalid certificate" },
		{ "certificate_pem", 2, "Invalid certificate" },
		{ "ca_pem", 2, "Invalid certificate" },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *value = rows[i].which == 0 ? "garbage" : rows[i].which == 1 ? dev : csr;
		struct tf_value *config = object((const char *[]){ rows[i].attr, value, NULL });
		struct tf_diags d;
		struct tf_ctx c = { .diags = &d };
		tf_diags_init(&d);
		ASSERT_INT_EQ(aws_iot_certificate_resource.validate(&c, config), -1);
		ASSERT(d.n >= 1 && d.items[0].path.n == 1);
		ASSERT_STR_EQ(d.items[0].path.steps[0].name, rows[i].attr);
		ASSERT_STR_EQ(d.items[0].summary, rows[i].summary);
		/* The message never quotes the value. */
		ASSERT(!strstr(d.items[0].detail, "garbage") && !strstr(d.items[0].detail, "MII"));
		tf_diags_release(&d);
		tf_value_free(config);
	}
	/* Good input of each kind passes. */
	struct tf_value *config = object((const char *[]){ "csr", csr, NULL });
	struct tf_diags d;
	struct tf_ctx c = { .diags = &d };
	tf_diags_init(&d);
	ASSERT_INT_EQ(aws_iot_certificate_resource.validate(&c, config), 0);
	ASSERT_INT_EQ(d.n, 0);
	tf_diags_release(&d);
	tf_value_free(config);
	free(dev);
	free(csr);
	return 0;
}

/*
 * fuzz_aws_answer.c - what AWS (or whatever answers in its place) sends
 * back: error answers (aws_error_parse: JSON or XML bodies and the
 * x-amzn-* headers) and credential documents (credential_process, the
 * container endpoint, IMDS: aws_creds_from_json).
 *
 * Input: one byte choosing the decoder, then for error answers the header
 * lines ("Name: value"), an empty line and the body; for credentials the
 * JSON document.
 */
#include <stdlib.h>
#include <string.h>

#include "provider/aws/aws.h"
#include "provider/aws/client.h"
#include "common.h"
#include "provider/aws/creds.h"
#include "curl.h"

/* Header lines up to the first empty one, as the capture would keep them. */
static const char *read_headers(const char *p, const char *end, struct tf_http_response *r)
{
	static struct tf_http_header headers[16];
	r->headers = headers;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = eol ? eol : end;
		if (line_end == p)
			return eol ? eol + 1 : end;
		const char *colon = memchr(p, ':', (size_t)(line_end - p));
		if (colon && r->n_headers < 16) {
			const char *v = colon + 1;
			while (v < line_end && *v == ' ')
				v++;
			headers[r->n_headers].name = strndup(p, (size_t)(colon - p));
			headers[r->n_headers].value = strndup(v, (size_t)(line_end - v));
			if (!headers[r->n_headers].name || !headers[r->n_headers].value)
				abort();
			r->n_headers++;
		}
		p = eol ? eol + 1 : end;
	}
	return end;
}

static void error_answer(const char *p, size_t len)
{
	struct tf_http_response r = { .status = 400 };
	const char *body = read_headers(p, p + len, &r);
	size_t body_len = (size_t)(p + len - body);
	if (tf_bytes_add(&r.body, body, body_len) < 0)
		abort();
	struct aws_error e = { 0 };
	bool aws = aws_error_parse(&r, &e);
	FUZZ_CHECK(aws == (e.code || e.request_id));
	aws_error_release(&e);
	for (size_t i = 0; i < r.n_headers; i++) {
		free(r.headers[i].name);
		free(r.headers[i].value);
	}
	tf_bytes_release(&r.body);
}

static void credentials(const char *p, size_t len)
{
	struct aws_creds c = { 0 };
	const char *why = NULL;
	if (aws_creds_from_json(p, len, &c, &why) == 0)
		FUZZ_CHECK(c.access_key && c.secret_key);
	else
		FUZZ_CHECK(why);
	aws_creds_release(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* A copy of exactly the bytes: ASan sees any read past them. */
	char *p = malloc(size - 1 ? size - 1 : 1);
	if (!p)
		abort();
	memcpy(p, data + 1, size - 1);
	if (data[0] & 1)
		credentials(p, size - 1);
	else
		error_answer(p, size - 1);
	free(p);
	return 0;
}

/*
 * test-aws-sigv4.c - our SigV4 signer against the public AWS test-suite
 * vectors (tests/unit/data/sigv4/) and against botocore signing the same
 * requests (tests/unit/data/sigv4-oracle.json, see sigv4-oracle.py).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "codec.h"
#include "provider/aws/sigv4.h"
#include "test.h"

#define VECTORS "tests/unit/data/sigv4"
#define ORACLE "tests/unit/data/sigv4-oracle.json"
#define MAX_HEADERS 16

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct tf_bytes b = { 0 };
	char buf[4096];
	size_t n;
	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (tf_bytes_add(&b, buf, n) < 0)
			break;
	fclose(f);
	if (tf_bytes_add(&b, "", 0) < 0) {
		tf_bytes_release(&b);
		return NULL;
	}
	return (char *)b.data;
}

/* One vector: "METHOD target HTTP/1.1\nName:value\n...\n\nbody", split in place. */
struct vector {
	char *method, *path, *query, *authorization, *token;
	struct aws_sigv4_header headers[MAX_HEADERS];
	size_t n_headers;
	char *body;
};

static int parse_vector(char *text, struct vector *v)
{
	char *line = strtok_r(text, "\n", &text), *sp;
	memset(v, 0, sizeof(*v));
	if (!line || !(sp = strchr(line, ' ')))
		return -1;
	*sp = 0;
	v->method = line;
	v->path = sp + 1;
	if ((sp = strstr(v->path, " HTTP/1.1")) == NULL)
		return -1;
	*sp = 0;
	if ((v->query = strchr(v->path, '?')) != NULL)
		*v->query++ = 0;
	while (*text && *text != '\n') {
		char *h = strsep(&text, "\n"), *colon = strchr(h, ':');
		if (!colon || !text)
			return -1;
		*colon = 0;
		if (!strcasecmp(h, "Authorization"))
			v->authorization = colon + 1;
		else if (!strcasecmp(h, "X-Amz-Security-Token"))
			v->token = colon + 1;
		else if (strcasecmp(h, "X-Amz-Date") && v->n_headers < MAX_HEADERS)
			v->headers[v->n_headers++] = (struct aws_sigv4_header){ h, colon + 1 };
	}
	v->body = *text ? text + 1 : text;
	return v->authorization ? 0 : -1;
}

/* Signs one vector file; 0 when our Authorization equals the suite's. */
static int check_vector(const char *name)
{
	char path[512], *text;
	struct vector v;
	struct aws_sigv4_result res;
	struct aws_sigv4_creds creds = { "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
					 NULL };
	int ok = 0;
	snprintf(path, sizeof(path), VECTORS "/%s", name);
	if (!(text = slurp(path)) || parse_vector(text, &v) < 0) {
		free(text);
		fprintf(stderr, "  cannot read vector %s\n", name);
		return -1;
	}
	creds.session_token = v.token;
	struct aws_sigv4_request r = {
		.method = v.method, .path = v.path, .query = v.query, .headers = v.headers,
		.n_headers = v.n_headers, .body = v.body, .body_len = strlen(v.body),
		.region = "us-east-1", .service = "service", .when = 1440938160,
		.double_encode = true, .normalize = !strstr(name, "-unnormalized"),
	};
	if (aws_sigv4_sign(&r, &creds, &res) == 0) {
		ok = !strcmp(res.authorization, v.authorization) &&
		     !strcmp(res.amz_date, "20150830T123600Z");
		if (!ok)
			fprintf(stderr, "  %s:\n%s\n  got %s\n  want %s\n", name,
				res.canonical_request, res.authorization, v.authorization);
		aws_sigv4_result_release(&res);
	}
	free(text);
	return ok ? 0 : -1;
}

TEST_IMPL(aws_sigv4_test_suite)
{
	DIR *d = opendir(VECTORS);
	struct dirent *e;
	int n = 0, failed = 0;
	ASSERT_NOT_NULL(d);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".txt"))
			continue;
		n++;
		failed += check_vector(e->d_name) < 0;
	}
	closedir(d);
	ASSERT_INT_EQ(failed, 0);
	ASSERT(n >= 20);
	return 0;
}

/* Signs one oracle case; 0 when canonical request and header match botocore's. */
static int check_oracle_case(json_t *c, size_t index)
{
	struct aws_sigv4_header headers[MAX_HEADERS];
	size_t n = 0, i;
	json_t *h;
	json_array_foreach(json_object_get(c, "headers"), i, h) {
		if (n < MAX_HEADERS)
			headers[n++] = (struct aws_sigv4_header){
				json_string_value(json_array_get(h, 0)),
				json_string_value(json_array_get(h, 1)) };
	}
	const char *body = json_string_value(json_object_get(c, "body"));
	struct aws_sigv4_creds creds = {
		json_string_value(json_object_get(c, "access_key")),
		json_string_value(json_object_get(c, "secret_key")),
		json_string_value(json_object_get(c, "token")),
	};
	struct aws_sigv4_request r = {
		.method = json_string_value(json_object_get(c, "method")),
		.path = json_string_value(json_object_get(c, "path")),
		.query = json_string_value(json_object_get(c, "query")),
		.headers = headers, .n_headers = n, .body = body, .body_len = body ? strlen(body) : 0,
		.region = json_string_value(json_object_get(c, "region")),
		.service = json_string_value(json_object_get(c, "service")),
		.when = (time_t)json_integer_value(json_object_get(c, "when")),
		.double_encode = true, .normalize = true,
	};
	struct aws_sigv4_result res;
	const char *want_creq = json_string_value(json_object_get(c, "canonical_request"));
	const char *want_auth = json_string_value(json_object_get(c, "authorization"));
	if (!r.method || !r.path || !creds.access_key || !want_creq || !want_auth ||
	    aws_sigv4_sign(&r, &creds, &res) < 0)
		return -1;
	int ok = !strcmp(res.canonical_request, want_creq) && !strcmp(res.authorization, want_auth);
	if (!ok)
		fprintf(stderr, "  oracle case %zu:\n--- ours\n%s\n--- botocore\n%s\n", index,
			res.canonical_request, want_creq);
	aws_sigv4_result_release(&res);
	return ok ? 0 : -1;
}

TEST_IMPL(aws_sigv4_botocore_oracle)
{
	json_error_t err;
	json_t *cases = json_load_file(ORACLE, 0, &err), *c;
	size_t i;
	int failed = 0;
	ASSERT_NOT_NULL(cases);
	json_array_foreach(cases, i, c) failed += check_oracle_case(c, i) < 0;
	size_t n = json_array_size(cases);
	json_decref(cases);
	ASSERT_INT_EQ(failed, 0);
	ASSERT(n >= 50);
	return 0;
}

TEST_IMPL(aws_sigv4_hostile_query)
{
	struct aws_sigv4_header h[] = { { "host", "x" } };
	struct aws_sigv4_creds creds = { "AK", "SK", NULL };
	struct aws_sigv4_request r = { .method = "GET", .path = "/", .headers = h, .n_headers = 1,
				       .region = "r", .service = "s", .when = 0,
				       .double_encode = true };
	struct aws_sigv4_result res;
	static const char *bad[] = { "a=%", "a=%4", "%zz=1", "a=%G0" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r.query = bad[i];
		ASSERT_INT_EQ(aws_sigv4_sign(&r, &creds, &res), -1);
	}
	struct aws_sigv4_header badname[] = { { "bad name", "x" } };
	r.query = "&&a&b=&=c";
	r.headers = badname;
	ASSERT_INT_EQ(aws_sigv4_sign(&r, &creds, &res), -1);
	r.headers = h;
	ASSERT_INT_EQ(aws_sigv4_sign(&r, &creds, &res), 0);
	ASSERT(strstr(res.canonical_request, "GET\n/\n=c&a=&b=\nhost:x\n") != NULL);
	aws_sigv4_result_release(&res);
	return 0;
}

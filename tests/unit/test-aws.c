/*
 * test-aws.c - the aws provider's pure pieces: ARNs, XML, shared config
 * profiles, credential documents and processes, durations, regions, error
 * answers, the adaptive rate limiter, StopProvider ending retries, and
 * the IoT paths and queries built from raw labels.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "curl.h"
#include "provider/aws/arn.h"
#include "provider/aws/aws.h"
#include "provider/aws/client.h"
#include "provider/aws/config.h"
#include "provider/aws/creds.h"
#include "provider/aws/iot.h"
#include "provider/aws/profile.h"
#include "provider/aws/ratelimit.h"
#include "provider/aws/xml.h"
#include "test.h"

TEST_IMPL(aws_arn_parse)
{
	static const struct {
		const char *text, *part[5], *why;
	} cases[] = {
		{ "arn:aws:iot:eu-west-1:123456789012:thing/a:b", { "aws", "iot", "eu-west-1", "123456789012", "thing/a:b" }, NULL },
		{ "arn:aws-us-gov:s3:::bucket", { "aws-us-gov", "s3", "", "", "bucket" }, NULL },
		{ "arn:aws:iam::aws:policy/x", { "aws", "iam", "", "aws", "policy/x" }, NULL },
		{ "arn:aws:logs:us-east-1:cw0123456789:x", { "aws", "logs", "us-east-1", "cw0123456789", "x" }, NULL },
		{ "arn:aws:iot:ap-southeast-2:third-party:y", { "aws", "iot", "ap-southeast-2", "third-party", "y" }, NULL },
		{ "", { 0 }, "invalid prefix" },
		{ "ARN:aws:iot:eu-west-1:123456789012:x", { 0 }, "invalid prefix" },
		{ "arn:aws:iot:eu-west-1:123456789012", { 0 }, "not enough sections" },
		{ "arn::iot:eu-west-1:123456789012:x", { 0 }, "missing partition value" },
		{ "arn:aws-:iot:eu-west-1:123456789012:x", { 0 }, "invalid partition value" },
		{ "arn:aws:iot:eu-west:123456789012:x", { 0 }, "invalid region value" },
		{ "arn:aws:iot:eu-west-12:123456789012:x", { 0 }, "invalid region value" },
		{ "arn:aws:iot:eu-west-1:1234567890123:x", { 0 }, "invalid account ID value" },
		{ "arn:aws:iot:eu-west-1:123456789012:", { 0 }, "missing resource value" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct aws_arn arn;
		const char *why = NULL;
		int rc = aws_arn_parse(cases[i].text, &arn, &why);
		if (cases[i].why) {
			ASSERT_INT_EQ(rc, -1);
			ASSERT_STR_EQ(why, cases[i].why);
			ASSERT_NULL(arn.partition);
			continue;
		}
		ASSERT_INT_EQ(rc, 0);
		ASSERT_STR_EQ(arn.partition, cases[i].part[0]);
		ASSERT_STR_EQ(arn.service, cases[i].part[1]);
		ASSERT_STR_EQ(arn.region, cases[i].part[2]);
		ASSERT_STR_EQ(arn.account, cases[i].part[3]);
		ASSERT_STR_EQ(arn.resource, cases[i].part[4]);
		aws_arn_release(&arn);
	}
	return 0;
}

TEST_IMPL(aws_xml_text)
{
	const char *doc = "<R><Result><Arn>arn:aws:iam::1:user/a&amp;b</Arn><Account>123</Account>"
			  "<Empty></Empty><Nested><X>1</X></Nested><Bad>&bogus;</Bad>"
			  "<Num>&#65;&#x42;</Num></Result></R>";
	char *s;
	ASSERT_STR_EQ((s = aws_xml_text(doc, strlen(doc), "Arn")), "arn:aws:iam::1:user/a&b");
	free(s);
	ASSERT_STR_EQ((s = aws_xml_text(doc, strlen(doc), "Account")), "123");
	free(s);
	ASSERT_STR_EQ((s = aws_xml_text(doc, strlen(doc), "Empty")), "");
	free(s);
	ASSERT_STR_EQ((s = aws_xml_text(doc, strlen(doc), "Num")), "AB");
	free(s);
	ASSERT_NULL(aws_xml_text(doc, strlen(doc), "Nested"));
	ASSERT_NULL(aws_xml_text(doc, strlen(doc), "Bad"));
	ASSERT_NULL(aws_xml_text(doc, strlen(doc), "Missing"));
	ASSERT_NULL(aws_xml_text(doc, 20, "Account")); /* cut short: no closing tag */
	return 0;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

TEST_IMPL(aws_profile_files)
{
	char dir[] = "/tmp/thingform-aws-XXXXXX", config[64], creds[64];
	ASSERT_NOT_NULL(mkdtemp(dir));
	snprintf(config, sizeof(config), "%s/config", dir);
	snprintf(creds, sizeof(creds), "%s/credentials", dir);
	ASSERT_INT_EQ(write_file(config, "# c\n[default]\nregion = us-east-1\n"
					 "[profile dev]\nregion=eu-west-1\nservices =\n  iot = x\n"
					 "aws_access_key_id = FROMCONFIG\n[dev]\nregion = wrong\n"), 0);
	ASSERT_INT_EQ(write_file(creds, "[dev]\naws_access_key_id = AKIADEV\n"
					"aws_secret_access_key = s3cr=t \n; c\n"), 0);
	const char *cf[] = { config }, *kf[] = { creds, "/nonexistent/file" };
	struct aws_profile_files files = { cf, 1, kf, 2 };
	struct aws_profile p;
	char *err = NULL;
	ASSERT_INT_EQ(aws_profile_load(&files, "dev", &p, &err), 0);
	ASSERT_STR_EQ(aws_profile_get(&p, "region"), "eu-west-1");
	ASSERT_STR_EQ(aws_profile_get(&p, "aws_access_key_id"), "AKIADEV");
	ASSERT_STR_EQ(aws_profile_get(&p, "aws_secret_access_key"), "s3cr=t");
	ASSERT_STR_EQ(aws_profile_get(&p, "services"), "");
	ASSERT_NULL(aws_profile_get(&p, "iot"));
	aws_profile_release(&p);
	ASSERT_INT_EQ(aws_profile_load(&files, "nope", &p, &err), 1);
	aws_profile_release(&p);
	ASSERT_INT_EQ(write_file(config, "[default\nregion = x\n"), 0);
	ASSERT_INT_EQ(aws_profile_load(&files, "default", &p, &err), -1);
	ASSERT(err && strstr(err, "config:1: section header without ']'"));
	free(err);
	ASSERT_INT_EQ(write_file(config, "[default]\njust words\n"), 0);
	ASSERT_INT_EQ(aws_profile_load(&files, "default", &p, &err), -1);
	ASSERT(err && strstr(err, "expected 'key = value'"));
	free(err);
	unlink(config);
	unlink(creds);
	rmdir(dir);
	return 0;
}

TEST_IMPL(aws_creds_json)
{
	struct aws_creds c;
	const char *why;
	const char *ok = "{\"Version\":1,\"AccessKeyId\":\"AK\",\"SecretAccessKey\":\"SK\",\"SessionToken\":\"T\"}";
	ASSERT_INT_EQ(aws_creds_from_json(ok, strlen(ok), &c, &why), 0);
	ASSERT_STR_EQ(c.access_key, "AK");
	ASSERT_STR_EQ(c.secret_key, "SK");
	ASSERT_STR_EQ(c.session_token, "T");
	aws_creds_release(&c);
	const char *imds = "{\"Code\":\"Success\",\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\",\"Token\":\"X\"}";
	ASSERT_INT_EQ(aws_creds_from_json(imds, strlen(imds), &c, &why), 0);
	ASSERT_STR_EQ(c.session_token, "X");
	aws_creds_release(&c);
	static const struct {
		const char *doc, *why;
	} bad[] = {
		{ "", "not a JSON object" }, { "[1]", "not a JSON object" },
		{ "{\"Version\":2,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\"}", "Version is not 1" },
		{ "{\"SecretAccessKey\":\"S\"}", "AccessKeyId is missing" },
		{ "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":7}", "SecretAccessKey is missing" },
		{ "{\"AccessKeyId\":\"A\",\"AccessKeyId\":\"B\",\"SecretAccessKey\":\"S\"}", "not a JSON object" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_INT_EQ(aws_creds_from_json(bad[i].doc, strlen(bad[i].doc), &c, &why), -1);
		ASSERT_STR_EQ(why, bad[i].why);
		ASSERT_NULL(c.access_key);
	}
	return 0;
}

TEST_IMPL(aws_creds_process)
{
	struct aws_creds c;
	char *err = NULL;
	ASSERT_INT_EQ(aws_creds_from_process("printf '{\"Version\": 1, \"AccessKeyId\": \"AKP\", "
					     "\"SecretAccessKey\": \"SP\"}'", &c, &err), 0);
	ASSERT_STR_EQ(c.access_key, "AKP");
	ASSERT_NULL(c.session_token);
	ASSERT_STR_EQ(c.source, "credential_process");
	aws_creds_release(&c);
	ASSERT_INT_EQ(aws_creds_from_process("exit 3", &c, &err), -1);
	ASSERT_STR_EQ(err, "it exited with status 3");
	free(err);
	ASSERT_INT_EQ(aws_creds_from_process("echo secret-but-not-json", &c, &err), -1);
	ASSERT_STR_EQ(err, "its output is not valid credentials: not a JSON object");
	free(err);
	ASSERT_INT_EQ(aws_creds_from_process("head -c 200000 /dev/zero", &c, &err), -1);
	ASSERT(strstr(err, "larger than") != NULL);
	free(err);
	return 0;
}

TEST_IMPL(aws_duration_and_region)
{
	long s;
	ASSERT_INT_EQ(aws_parse_duration("1h30m", &s), 0);
	ASSERT_INT_EQ(s, 5400);
	ASSERT_INT_EQ(aws_parse_duration("900s", &s), 0);
	ASSERT_INT_EQ(s, 900);
	ASSERT_INT_EQ(aws_parse_duration("1.5h", &s), 0);
	ASSERT_INT_EQ(s, 5400);
	ASSERT_INT_EQ(aws_parse_duration("", &s), -1);
	ASSERT_INT_EQ(aws_parse_duration("15", &s), -1);
	ASSERT_INT_EQ(aws_parse_duration("-1h", &s), -1);
	ASSERT_INT_EQ(aws_parse_duration("1d", &s), -1);
	ASSERT_INT_EQ(aws_parse_duration("99999h", &s), -1);
	ASSERT(aws_region_valid("us-east-1"));
	ASSERT(aws_region_valid("us-gov-west-1"));
	ASSERT(aws_region_valid("ap-southeast-12"));
	ASSERT(!aws_region_valid("us-east"));
	ASSERT(!aws_region_valid("US-east-1"));
	ASSERT(!aws_region_valid("useast-1"));
	ASSERT(!aws_region_valid("us-east-1a"));
	ASSERT(!aws_region_valid(""));
	return 0;
}

static void add_hdr(struct tf_http_response *r, const char *name, const char *value)
{
	r->headers = realloc(r->headers, (r->n_headers + 1) * sizeof(*r->headers));
	r->headers[r->n_headers].name = strdup(name);
	r->headers[r->n_headers++].value = strdup(value);
}

TEST_IMPL(aws_error_answers)
{
	struct tf_http_response r = { .status = 400 };
	struct aws_error e = { 0 };
	const char *json = "{\"__type\":\"com.amazon#ThrottlingException\",\"message\":\"Rate exceeded\"}";
	tf_bytes_add(&r.body, json, strlen(json));
	add_hdr(&r, "x-amzn-RequestId", "rid-1");
	ASSERT(aws_error_parse(&r, &e));
	ASSERT_STR_EQ(e.code, "ThrottlingException");
	ASSERT_STR_EQ(e.message, "Rate exceeded");
	ASSERT_STR_EQ(e.request_id, "rid-1");
	ASSERT(e.resource_id == NULL);
	ASSERT(aws_is_throttling_code(e.code));
	aws_error_release(&e);
	tf_http_response_release(&r);

	struct tf_http_response dup = { .status = 409 };
	const char *exists = "{\"message\":\"already registered\",\"resourceId\":\"abc123\","
			     "\"resourceArn\":\"arn:aws:iot:eu-west-1:123456789012:cert/abc123\"}";
	tf_bytes_add(&dup.body, exists, strlen(exists));
	add_hdr(&dup, "x-amzn-ErrorType", "ResourceAlreadyExistsException");
	ASSERT(aws_error_parse(&dup, &e));
	ASSERT_STR_EQ(e.code, "ResourceAlreadyExistsException");
	ASSERT_STR_EQ(e.resource_id, "abc123");
	aws_error_release(&e);
	tf_http_response_release(&dup);

	struct tf_http_response h = { .status = 404 };
	add_hdr(&h, "X-Amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/");
	tf_bytes_add(&h.body, "{\"message\":\"no such thing\"}", 27);
	ASSERT(aws_error_parse(&h, &e));
	ASSERT_STR_EQ(e.code, "ResourceNotFoundException");
	ASSERT_STR_EQ(e.message, "no such thing");
	ASSERT(!aws_is_throttling_code(e.code));
	aws_error_release(&e);
	tf_http_response_release(&h);

	struct tf_http_response x = { .status = 403 };
	const char *xml = "<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>bad &lt;key&gt;"
			  "</Message></Error><RequestId>rid-2</RequestId></ErrorResponse>";
	tf_bytes_add(&x.body, xml, strlen(xml));
	ASSERT(aws_error_parse(&x, &e));
	ASSERT_STR_EQ(e.code, "InvalidClientTokenId");
	ASSERT_STR_EQ(e.message, "bad <key>");
	ASSERT_STR_EQ(e.request_id, "rid-2");
	aws_error_release(&e);
	tf_http_response_release(&x);

	struct tf_http_response html = { .status = 502 };
	tf_bytes_add(&html.body, "<html>oops</html>", 17);
	ASSERT(!aws_error_parse(&html, &e));
	aws_error_release(&e);
	tf_http_response_release(&html);
	struct tf_http_response junk = { .status = 500 };
	tf_bytes_add(&junk.body, "{\"__type\": 7, \"message\": [", 26);
	ASSERT(!aws_error_parse(&junk, &e));
	aws_error_release(&e);
	tf_http_response_release(&junk);
	return 0;
}

TEST_IMPL(aws_limiter_slows_and_recovers)
{
	struct aws_limiters *l = aws_limiters_new();
	ASSERT_NOT_NULL(l);
	ASSERT(aws_limiter_rate(l, "Op") == 0);
	ASSERT_INT_EQ(aws_limiter_acquire(l, "Op", NULL), 0);
	/* ~40 requests a second for a while, then throttles */
	for (int i = 0; i < 60; i++) {
		ASSERT_INT_EQ(aws_limiter_acquire(l, "Op", NULL), 0);
		aws_limiter_update(l, "Op", false, aws_now());
		aws_sleep(0.025, NULL);
	}
	ASSERT(aws_limiter_rate(l, "Op") == 0); /* never throttled: not limiting */
	aws_limiter_update(l, "Op", true, aws_now());
	double after_one = aws_limiter_rate(l, "Op");
	ASSERT(after_one > 0.5 && after_one < 40);
	aws_limiter_update(l, "Op", true, aws_now());
	double after_two = aws_limiter_rate(l, "Op");
	ASSERT(after_two <= after_one);
	ASSERT(aws_limiter_rate(l, "Other") == 0); /* per operation */
	/* successes over time bring the rate back up */
	for (int i = 0; i < 40; i++) {
		ASSERT_INT_EQ(aws_limiter_acquire(l, "Op", NULL), 0);
		aws_limiter_update(l, "Op", false, aws_now());
	}
	ASSERT(aws_limiter_rate(l, "Op") > after_two);
	aws_limiters_free(l);
	return 0;
}

/* 11 requests sent within 0.1 s of `t0`, a burst shorter than one measuring
 * bucket, and the throttle of the last one answered first (a throttle is
 * answered sooner than a request let through); the rate it leaves. */
static double throttled_burst(struct aws_limiters *l, double t0)
{
	for (int i = 0; i < 11; i++)
		aws_limiter_enqueue(l, "Op", t0 + 0.009 * i);
	aws_limiter_update_at(l, "Op", true, t0 + 0.09, t0 + 0.1);
	return aws_limiter_rate(l, "Op");
}

TEST_IMPL(aws_limiter_first_burst_is_measured)
{
	/* 11 sent in 0.1 s are at least 22 a second: the cut is to 70% of
	 * that, not to the 0.5/s floor. */
	struct aws_limiters *l = aws_limiters_new();
	ASSERT_NOT_NULL(l);
	double rate = throttled_burst(l, 100.0);
	ASSERT(rate > 15 && rate < 16);
	aws_limiters_free(l);
	return 0;
}

TEST_IMPL(aws_limiter_cuts_once_per_burst)
{
	struct aws_limiters *l = aws_limiters_new();
	ASSERT_NOT_NULL(l);
	double cut = throttled_burst(l, 100.0);
	/* sent before the cut: already answered by it */
	aws_limiter_update_at(l, "Op", true, 100.05, 100.12);
	aws_limiter_update_at(l, "Op", true, 100.08, 100.13);
	ASSERT(aws_limiter_rate(l, "Op") == cut);
	/* sent after it: the cut rate is still too fast */
	aws_limiter_update_at(l, "Op", true, 100.15, 100.2);
	ASSERT(aws_limiter_rate(l, "Op") < cut * 0.75);
	aws_limiters_free(l);
	return 0;
}

TEST_IMPL(aws_limiter_first_come_first_served)
{
	struct aws_limiters *l = aws_limiters_new();
	ASSERT_NOT_NULL(l);
	ASSERT_INT_EQ(aws_limiter_enqueue(l, "Op", 100.0), -1); /* not pacing */
	double rate = throttled_burst(l, 100.0), t = 100.1, gap = 1 / rate;
	long a = aws_limiter_enqueue(l, "Op", t), b = aws_limiter_enqueue(l, "Op", t);
	ASSERT_INT_EQ(a, 0);
	ASSERT_INT_EQ(b, 1);
	ASSERT(aws_limiter_due(l, "Op", a, t) > 0);
	ASSERT(aws_limiter_due(l, "Op", a, t + gap * 1.01) <= 0);
	ASSERT(aws_limiter_due(l, "Op", b, t + gap * 1.01) > 0);
	/* one coming later waits behind b, however long b has been asking */
	long c = aws_limiter_enqueue(l, "Op", t + gap * 1.5);
	ASSERT(aws_limiter_due(l, "Op", c, t + gap * 2.01) > 0);
	ASSERT(aws_limiter_due(l, "Op", b, t + gap * 2.01) <= 0);
	ASSERT(aws_limiter_due(l, "Op", c, t + gap * 3.01) <= 0);
	/* idle, it banks one second's worth of tokens, no more */
	double later = t + 100;
	int at_once = 0;
	while (aws_limiter_due(l, "Op", aws_limiter_enqueue(l, "Op", later), later) <= 0)
		at_once++;
	ASSERT_INT_EQ(at_once, (long long)rate);
	/* a throttle spends what was banked: the next one waits an interval */
	aws_limiter_update_at(l, "Op", true, later + 1, later + 1);
	double after = later + 1 + 1 / aws_limiter_rate(l, "Op") * 0.9;
	long next = aws_limiter_enqueue(l, "Op", after);
	ASSERT(aws_limiter_due(l, "Op", next, after) > 0);
	aws_limiters_free(l);
	return 0;
}

static void *stop_later(void *arg)
{
	aws_sleep(0.3, NULL);
	atomic_store((atomic_bool *)arg, true);
	return NULL;
}

TEST_IMPL(aws_client_stop_ends_retries)
{
	/* A port nothing listens on: every attempt fails and is retried after a backoff. */
	struct aws_config cfg = { .max_attempts = 25, .client = aws_client_new() };
	struct aws_creds creds = { "AKID", "SECRET", NULL, "test" };
	struct aws_request req = { .operation = "DescribeEndpoint", .service = "iot",
				   .region = "eu-west-1", .endpoint = "http://127.0.0.1:9",
				   .method = "GET", .path = "/endpoint" };
	struct aws_response resp;
	struct aws_error err;
	atomic_bool stopping;
	pthread_t t;
	ASSERT_NOT_NULL(cfg.client);
	atomic_init(&stopping, false);
	pthread_create(&t, NULL, stop_later, &stopping);
	double start = aws_now();
	ASSERT_INT_EQ(aws_call(&cfg, &creds, &stopping, &req, &resp, &err), -1);
	double took = aws_now() - start;
	pthread_join(t, NULL);
	ASSERT(err.cancelled);
	ASSERT(took < 2.0);
	aws_error_release(&err);
	aws_client_free(cfg.client);
	return 0;
}

/* A server that reads each request and closes the connection unanswered:
 * an answer lost after the request arrived. */
struct mute_server {
	int fd, port, accepted, expect;
};

static void *mute_serve(void *arg)
{
	struct mute_server *s = arg;
	char buf[4096];
	for (int i = 0; i < s->expect; i++) {
		int c = accept(s->fd, NULL, NULL);
		if (c < 0)
			break;
		s->accepted++;
		(void)!read(c, buf, sizeof(buf));
		close(c);
	}
	return NULL;
}

static int mute_start(struct mute_server *s, pthread_t *t)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s->fd, 8) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&a, &len) < 0)
		return -1;
	s->port = ntohs(a.sin_port);
	return pthread_create(t, NULL, mute_serve, s) ? -1 : 0;
}

/* How many times aws_call sends a request whose answer is lost, with
 * max_attempts 3; *err keeps the failure. */
static int lost_answer_sends(bool once, struct aws_error *err)
{
	struct mute_server s = { .expect = once ? 1 : 3 };
	pthread_t t;
	char url[64];
	if (mute_start(&s, &t) < 0)
		return -1;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", s.port);
	struct aws_config cfg = { .max_attempts = 3, .client = aws_client_new() };
	struct aws_creds creds = { "AKID", "SECRET", NULL, "test" };
	struct aws_request req = { .operation = "CreateKeysAndCertificate", .service = "iot",
				   .region = "eu-west-1", .endpoint = url, .method = "POST",
				   .path = "/keys-and-certificate", .once = once };
	struct aws_response resp;
	int rc = aws_call(&cfg, &creds, NULL, &req, &resp, err);
	pthread_join(t, NULL);
	close(s.fd);
	aws_client_free(cfg.client);
	return rc == -1 ? s.accepted : -1;
}

TEST_IMPL(aws_client_once_is_not_sent_again)
{
	struct aws_error err;
	ASSERT_INT_EQ(lost_answer_sends(true, &err), 1);
	ASSERT(err.outcome_unknown && err.attempts == 1 && err.status == 0);
	ASSERT(strstr(err.message, "may have been carried out") != NULL);
	aws_error_release(&err);
	ASSERT_INT_EQ(lost_answer_sends(false, &err), 3);
	ASSERT(!err.outcome_unknown && err.attempts == 3);
	aws_error_release(&err);
	return 0;
}

TEST_IMPL(aws_iot_paths_and_queries)
{
	static const struct {
		const char *prefix, *label, *suffix, *want;
	} paths[] = {
		{ "/things/", "dev-1", NULL, "/things/dev-1" },
		{ "/things/", "a:b_c", "/principals", "/things/a%3Ab_c/principals" },
		{ "/attached-policies/", "arn:aws:iot:eu-west-1:123456789012:cert/ab12", NULL,
		  "/attached-policies/arn%3Aaws%3Aiot%3Aeu-west-1%3A123456789012%3Acert%2Fab12" },
		{ "/policies/", "p+=,.@-", "/version", "/policies/p%2B%3D%2C.%40-/version" },
		{ "/policies/", "", NULL, "/policies/" },
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char *p = iot_path(paths[i].prefix, paths[i].label, paths[i].suffix);
		ASSERT_NOT_NULL(p);
		ASSERT_STR_EQ(p, paths[i].want);
		free(p);
	}
	char *q = iot_query("setAsActive", "true", "missing", (const char *)NULL, "marker", "a b/c=",
			    (const char *)NULL);
	ASSERT_NOT_NULL(q);
	ASSERT_STR_EQ(q, "setAsActive=true&marker=a%20b%2Fc%3D");
	free(q);
	q = iot_query("nextToken", (const char *)NULL, (const char *)NULL);
	ASSERT_NOT_NULL(q);
	ASSERT_STR_EQ(q, "");
	free(q);
	return 0;
}

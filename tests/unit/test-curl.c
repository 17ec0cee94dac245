/* test-curl.c - proxies chosen from the environment by Go's rules. */
#include "test.h"

#include <stdlib.h>

#include "curl.h"

TEST_IMPL(curl_proxy_rules)
{
	static const struct {
		const char *http, *https, *no_proxy, *url, *want;
	} cases[] = {
		{ "proxy:3128", NULL, NULL, "http://example.com/", "http://proxy:3128" },
		{ "http://p:1", NULL, NULL, "https://example.com/", NULL },  /* https uses HTTPS_PROXY */
		{ NULL, "socks5://s:1080", NULL, "https://example.com/", "socks5://s:1080" },
		{ "http://p:1", "http://p:2", NULL, "http://localhost:8080/", NULL },
		{ "http://p:1", "http://p:2", NULL, "https://127.0.0.5/", NULL },
		{ "http://p:1", "http://p:2", NULL, "http://[::1]:80/", NULL },
		{ "http://p:1", NULL, "*", "http://example.com/", NULL },
		{ "http://p:1", NULL, "example.com", "http://example.com/", NULL },
		{ "http://p:1", NULL, "example.com", "http://api.example.com/", NULL },
		{ "http://p:1", NULL, "example.com", "http://badexample.com/", "http://p:1" },
		{ "http://p:1", NULL, ".example.com", "http://example.com/", "http://p:1" },
		{ "http://p:1", NULL, ".example.com", "http://a.example.com/", NULL },
		{ "http://p:1", NULL, "*.example.com", "http://a.example.com/", NULL },
		{ "http://p:1", NULL, "example.com:8080", "http://example.com:8080/", NULL },
		{ "http://p:1", NULL, "example.com:8080", "http://example.com/", "http://p:1" },
		{ "http://p:1", NULL, "10.0.0.0/8, 192.168.1.1", "http://10.2.3.4/", NULL },
		{ "http://p:1", NULL, "10.0.0.0/8, 192.168.1.1", "http://192.168.1.1/", NULL },
		{ "http://p:1", NULL, "10.0.0.0/8, 192.168.1.1", "http://192.168.1.2/", "http://p:1" },
		{ "http://p:1", NULL, "[2001:db8::1]:80", "http://[2001:db8::1]/", NULL },
		{ "http://p:1", NULL, "EXAMPLE.COM", "http://Example.com/", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tf_proxy_env env = { cases[i].http, cases[i].https, cases[i].no_proxy };
		bool err;
		char *got = tf_proxy_for_url(&env, cases[i].url, &err);
		bool ok = !err && (cases[i].want ? got && !strcmp(got, cases[i].want) : !got);
		if (!ok) {
			char msg[256];
			snprintf(msg, sizeof(msg), "%s", got ? got : "(direct)");
			free(got);
			TEST_FAIL_("case %zu (%s, no_proxy=%s): got %s, want %s", i, cases[i].url,
				   cases[i].no_proxy ? cases[i].no_proxy : "-", msg,
				   cases[i].want ? cases[i].want : "(direct)");
		}
		free(got);
	}
	struct tf_proxy_env env = { "http://p:1", NULL, NULL };
	bool err;
	ASSERT_NULL(tf_proxy_for_url(&env, "not a url", &err));
	ASSERT(err);
	return 0;
}

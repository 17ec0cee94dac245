/* test-tls-certinfo.c - tls_certificate's pure formatting (Go's
 * pkix.Name.String(), algorithm names, fingerprints, RFC 3339 times, the
 * %v-dump id; expectations from Go 1.25's crypto/x509 on the same
 * certificate), the tls provider's proxy block checks, and the peer
 * chain fetch giving up on time and on StopProvider. */
#include "test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/pem.h>

#include "diag.h"
#include "provider/tls/tls.h"

/* Odd names on purpose: multi-valued RDNs, every escape, BMPString,
 * T61String, attributes Go has no field for, a blank issuer CN. */
static const char odd_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIB9zCCAZ6gAwIBAgIBTTAKBggqhkjOPQQDBDANMQswCQYDVQQDDAIgIDAeFw0y\n"
	"NDAxMDIwMzA0MDVaFw0yNTAyMDUwMzA0MDVaMIHlMRYwCQYDVQQGEwJERTAJBgNV\n"
	"BAYTAlVTMR0wGwYDVQQKDBQgbGVhZCwgInEiICN4PHk+OytcIDEdMAwGAyoDBAwF\n"
	"YSpiJmMwDQYDVQQDDAYjZmlyc3QxGTAXBgNVBAseEABTAOkAYwB1AHIAaQB0AOkx\n"
	"ETAPBgNVBAcUCFRhYgloZXJlMRQwEgYJKoZIhvcNAQkBFgV4QHkuejENMAsGA1UE\n"
	"AwwEbGFzdDEaMAkGA1UEBRMCNDIwDQYDVQQJDAYxIE1haW4xHjANBgNVBAkMBjIg\n"
	"U2lkZTANBgNVBCoMBkfDr3ZlbjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABMg4\n"
	"1md69yM+fLWUKhaT0IsD2PcYLIbG0UbfCdAm/XkZQbqIUZtAPQfVn6azfAh7iTuP\n"
	"regcxrZBgCfbl0VVr5KjFjAUMBIGA1UdEwEB/wQIMAYBAf8CAQMwCgYIKoZIzj0E\n"
	"AwQDRwAwRAIgI7PkMoIczTamXFQUU9KFqbW4JKeZARwJLq+ADNMti54CIGTAcApb\n"
	"ZcRfL/+ncU7UmccM2XSAxlBj2/KgxuIBgoFP\n"
	"-----END CERTIFICATE-----\n"
;

static X509 *odd_cert(void)
{
	BIO *b = BIO_new_mem_buf(odd_pem, -1);
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	return x;
}

TEST_IMPL(tls_go_name_strings)
{
	X509 *x = odd_cert();
	ASSERT_NOT_NULL(x);
	char *subject = tls_go_name_string(X509_get_subject_name(x));
	char *issuer = tls_go_name_string(X509_get_issuer_name(x));
	ASSERT_STR_EQ(subject, "SERIALNUMBER=42,CN=last,OU=S\xc3\xa9" "curit\xc3\xa9,"
			       "O=\\ lead\\, \\\"q\\\" #x\\<y\\>\\;\\+\\\\\\ ,"
			       "STREET=1 Main+STREET=2 Side,L=Tab\there,C=DE+C=US,"
			       "2.5.4.42=#0c0647c3af76656e,1.2.840.113549.1.9.1=#0c057840792e7a,"
			       "1.2.3.4=#0c05612a622663");
	ASSERT_STR_EQ(issuer, "CN=\\ \\ ");
	free(subject);
	free(issuer);

	/* a T61String that is not UTF-8 under an OID Go has no name for:
	 * Go cannot re-marshal it, so it prints the dotted OID and the
	 * bytes as runes (U+FFFD for the bad one) */
	X509_NAME *n = X509_NAME_new();
	ASSERT(X509_NAME_add_entry_by_txt(n, "1.2.3.4", V_ASN1_T61STRING,
					  (const unsigned char *)"#a\xff", 3, -1, 0));
	ASSERT(X509_NAME_add_entry_by_txt(n, "CN", V_ASN1_UTF8STRING,
					  (const unsigned char *)"", 0, -1, 0));
	char *s = tls_go_name_string(n);
	ASSERT_STR_EQ(s, "1.2.3.4=\\#a\xef\xbf\xbd");
	free(s);
	/* a string type Go refuses */
	ASSERT(X509_NAME_add_entry_by_txt(n, "O", V_ASN1_UNIVERSALSTRING,
					  (const unsigned char *)"\0\0\0a", 4, -1, 0));
	ASSERT_NULL(tls_go_name_string(n));
	X509_NAME_free(n);
	X509_free(x);
	return 0;
}

TEST_IMPL(tls_cert_info_fields)
{
	X509 *x = odd_cert();
	const char *why = NULL;
	ASSERT_NOT_NULL(x);
	struct tf_value *o = tls_cert_info(x, &why);
	ASSERT_NOT_NULL(o);
	ASSERT_STR_EQ(tf_value_get_string(o, "signature_algorithm"), "ECDSA-SHA512");
	ASSERT_STR_EQ(tf_value_get_string(o, "public_key_algorithm"), "ECDSA");
	ASSERT_STR_EQ(tf_value_get_string(o, "serial_number"), "77");
	ASSERT_STR_EQ(tf_value_get_string(o, "not_before"), "2024-01-02T03:04:05Z");
	ASSERT_STR_EQ(tf_value_get_string(o, "not_after"), "2025-02-05T03:04:05Z");
	ASSERT_STR_EQ(tf_value_get_string(o, "sha1_fingerprint"),
		      "f930334f0200f6e786ecec7cc48314ca2052945d");
	ASSERT_STR_EQ(tf_value_get_string(o, "cert_pem"), odd_pem);
	int64_t i;
	ASSERT(tf_value_get_int(o, "max_path_length", &i) && i == 3);
	ASSERT(tf_value_get_int(o, "version", &i) && i == 3);
	ASSERT(tf_value_get(o, "is_ca")->u.b);

	/* the id is hashForState of fmt's %v of the list, as upstream's */
	struct tf_value *list = tf_value_new_collection(TF_LIST);
	ASSERT(tf_value_append(list, o) == 0);
	char *id = tls_certificates_id(list);
	ASSERT_STR_EQ(id, "c92dac859f8558b77dd27265741b319700d9ed7e");
	free(id);
	tf_value_free(list);
	X509_free(x);
	return 0;
}

TEST_IMPL(tls_cert_dump_quoting)
{
	/* fmt's %q: escapes, \x for bytes that are not UTF-8, \u for
	 * runes Go does not print */
	struct tf_value *list = tf_value_new_collection(TF_LIST);
	struct tf_value *o = tf_value_new_collection(TF_OBJECT);
	ASSERT(tf_value_set(o, "issuer", tf_value_new_stringn("a\"b\\c\n\x01\x7f\xff\xc2\xa0\xc3\xa9\xe2\x80\x8b", 16)) == 0);
	ASSERT(tf_value_set(o, "is_ca", tf_value_new_bool(false)) == 0);
	ASSERT(tf_value_set(o, "version", tf_value_new_int(-1)) == 0);
	ASSERT(tf_value_append(list, o) == 0);
	char *dump = tls_certificates_dump(list);
	ASSERT_STR_EQ(dump, "[{<null> <null> <null> false <null> -1 "
			    "\"a\\\"b\\\\c\\n\\x01\\x7f\\xff\\u00a0\xc3\xa9\\u200b\" "
			    "<null> <null> <null> <null> <null>}]");
	free(dump);
	tf_value_free(list);
	struct tf_value *empty = tf_value_new_collection(TF_LIST);
	dump = tls_certificates_dump(empty);
	ASSERT_STR_EQ(dump, "[]");
	free(dump);
	tf_value_free(empty);
	return 0;
}

TEST_IMPL(tls_go_algorithm_names)
{
	static const struct { int nid; const char *name; } sig[] = {
		{ NID_sha256WithRSAEncryption, "SHA256-RSA" },
		{ NID_sha1WithRSA, "SHA1-RSA" },
		{ NID_ecdsa_with_SHA384, "ECDSA-SHA384" },
		{ NID_dsa_with_SHA256, "DSA-SHA256" },
		{ NID_ED25519, "Ed25519" },
		{ NID_sha3_256, "0" },
	};
	for (size_t k = 0; k < N_(sig); k++) {
		X509_ALGOR *a = X509_ALGOR_new();
		ASSERT(X509_ALGOR_set0(a, OBJ_nid2obj(sig[k].nid), V_ASN1_UNDEF, NULL));
		ASSERT_STR_EQ(tls_go_signature_algorithm(a), sig[k].name);
		X509_ALGOR_free(a);
	}
	/* Ed25519 with parameters is not Ed25519 to Go */
	X509_ALGOR *a = X509_ALGOR_new();
	ASSERT(X509_ALGOR_set0(a, OBJ_nid2obj(NID_ED25519), V_ASN1_NULL, NULL));
	ASSERT_STR_EQ(tls_go_signature_algorithm(a), "0");
	X509_ALGOR_free(a);
	return 0;
}

static int check_proxy(const char *url, const char *user, const char *pass, int blocks,
		       const char *path, const char *needle)
{
	struct tf_value *config = tf_value_new_collection(TF_OBJECT);
	struct tf_value *list = tf_value_new_collection(TF_LIST);
	for (int b = 0; b < blocks; b++) {
		struct tf_value *block = tf_value_new_collection(TF_OBJECT);
		tf_value_set(block, "url", url ? tf_value_new_string(url) : tf_value_new_null());
		tf_value_set(block, "username", user ? tf_value_new_string(user) : tf_value_new_null());
		tf_value_set(block, "password", pass ? tf_value_new_string(pass) : tf_value_new_null());
		tf_value_set(block, "from_env", tf_value_new_null());
		tf_value_append(list, block);
	}
	tf_value_set(config, "proxy", list);
	struct tf_diags d;
	tf_diags_init(&d);
	struct tf_ctx c = { .diags = &d };
	struct tls_meta *m = tls_meta_new(&c, config);
	const char *why = NULL;
	if (needle) {
		why = m ? "accepted" : test_diag_at(&d, path, needle);
	} else if (!m) {
		why = "refused";
	} else if (blocks && (strcmp(m->proxy_url, url) || (user && strcmp(m->proxy_username, user)) ||
			      (pass && strcmp(m->proxy_password, pass)))) {
		why = "settings not kept";
	}
	tls_meta_free(m);
	tf_diags_release(&d);
	tf_value_free(config);
	if (why)
		TEST_FAIL_("proxy %s: %s", url ? url : "(none)", why);
	return 0;
}

TEST_IMPL(tls_proxy_block_rules)
{
	ASSERT(!check_proxy("http://proxy:3128", "u", "p", 1, NULL, NULL));
	ASSERT(!check_proxy("socks5://[::1]:1080", NULL, NULL, 1, NULL, NULL));
	ASSERT(!check_proxy(NULL, NULL, NULL, 0, NULL, NULL));
	ASSERT(!check_proxy("http://a", NULL, NULL, 2, "proxy[1]", "At most one"));
	ASSERT(!check_proxy("ftp://proxy", NULL, NULL, 1, "proxy[0].url", "scheme"));
	ASSERT(!check_proxy("proxy:3128", NULL, NULL, 1, "proxy[0].url", "proxy:3128"));
	ASSERT(!check_proxy("http://", NULL, NULL, 1, "proxy[0].url", "http://"));
	ASSERT(!check_proxy(NULL, "u", NULL, 1, "proxy[0].username", "url"));
	ASSERT(!check_proxy("http://a", NULL, "p", 1, "proxy[0].password", "username"));
	return 0;
}

/* A loopback listener that accepts and never speaks. */
static int silent_listener(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 4) ||
	    getsockname(fd, (struct sockaddr *)&a, &len)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *stop_later(void *arg)
{
	usleep(300 * 1000);
	atomic_store((atomic_bool *)arg, true);
	return NULL;
}

TEST_IMPL(tls_fetch_gives_up)
{
	int port, fd = silent_listener(&port);
	char url[64], err[256];
	ASSERT(fd >= 0);
	snprintf(url, sizeof(url), "tls://127.0.0.1:%d", port);

	/* the connection timeout covers the TLS handshake */
	struct tls_fetch f = { .url = url, .verify = false, .timeout_ms = 400 };
	double t0 = now_s();
	STACK_OF(X509) *chain = tls_fetch_peer_chain(&f, err, sizeof(err));
	double took = now_s() - t0;
	ASSERT_NULL(chain);
	if (took > 3)
		TEST_FAIL_("timeout of 0.4 s took %.1f s", took);
	ASSERT(strstr(err, "imeout") || strstr(err, "timed out"));

	/* StopProvider during the handshake, through a proxy too */
	atomic_bool stopping = false;
	pthread_t th;
	struct tls_meta meta = { .proxy_url = url, .proxy_from_env = false };
	char proxy[64];
	snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", port);
	meta.proxy_url = proxy;
	for (int round = 0; round < 2; round++) {
		atomic_store(&stopping, false);
		struct tls_fetch g = { .url = round ? "https://example.test/" : url, .verify = true,
				       .meta = &meta, .timeout_ms = 60000, .stopping = &stopping };
		ASSERT(pthread_create(&th, NULL, stop_later, &stopping) == 0);
		t0 = now_s();
		chain = tls_fetch_peer_chain(&g, err, sizeof(err));
		took = now_s() - t0;
		pthread_join(th, NULL);
		ASSERT_NULL(chain);
		if (took > 3)
			TEST_FAIL_("round %d: stop took %.1f s (%s)", round, took, err);
		ASSERT_STR_EQ(err, "the provider is stopping");
	}
	close(fd);
	return 0;
}

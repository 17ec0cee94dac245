/* test-tls-cert.c - the certificate resources' pure logic: Go's time
 * text, the renewal window, the PEM-replace regex, PrintableString,
 * subject key ids, subjectAltName parsing, plan-time checks. */
#include "test.h"

#include <stdlib.h>
#include <time.h>

#include <openssl/sha.h>

#include "provider/tls/tls.h"

TEST_IMPL(tls_time_text)
{
	static const struct { int64_t sec; long nsec; const char *text; } cases[] = {
		{ 1589567117, 750041000, "2020-05-15T18:25:17.750041Z" },
		{ 1589567117, 0, "2020-05-15T18:25:17Z" },
		{ 1589567117, 1, "2020-05-15T18:25:17.000000001Z" },
		{ 4102444800, 500000000, "2100-01-01T00:00:00.5Z" },
	};
	setenv("TZ", "UTC", 1);
	tzset();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = tls_time_format(cases[i].sec, cases[i].nsec);
		int64_t sec;
		long nsec;
		ASSERT_STR_EQ(text, cases[i].text);
		ASSERT(tls_time_parse(text, &sec, &nsec));
		ASSERT_INT_EQ(sec, cases[i].sec);
		ASSERT_INT_EQ(nsec, cases[i].nsec);
		free(text);
	}
	int64_t sec;
	long nsec;
	ASSERT(tls_time_parse("2020-05-15T18:25:17.750041-04:00", &sec, &nsec));
	ASSERT_INT_EQ(sec, 1589567117 + 4 * 3600);
	static const char *const bad[] = { "", "2020-05-15", "2020-05-15T18:25:17", "2020-13-15T18:25:17Z",
					   "2020-05-15T18:25:17.Z", "2020-05-15T18:25:17+0400",
					   "2020-05-15T18:25:17Zjunk" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (tls_time_parse(bad[i], &sec, &nsec))
			TEST_FAIL_("\"%s\" parsed", bad[i]);
	return 0;
}

TEST_IMPL(tls_renewal_window)
{
	ASSERT(!tls_renewal_due(1000 + 7200, 0, 1, 1000, 0));       /* 2 h left, 1 h early */
	ASSERT(tls_renewal_due(1000 + 3600, 0, 1, 1000, 0));        /* exactly at the window */
	ASSERT(!tls_renewal_due(1000 + 3600, 5, 1, 1000, 4));
	ASSERT(tls_renewal_due(1000, 0, 0, 1001, 0));               /* expired */
	ASSERT(tls_renewal_due(1000 + 36000, 0, 10, 1000, 0));      /* early >= validity */
	return 0;
}

TEST_IMPL(tls_pem_replace_regex)
{
	static const char *const pem[] = {
		"-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n",
		"-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----",
		"-----BEGIN A-----\nx\ny\n-----END B C-----\n",
	};
	static const char *const not_pem[] = {
		"2b3c5d",  /* a 3.x hash */
		"-----BEGIN -----\nx\n-----END A-----\n",
		"-----BEGIN A-----\n\n-----END A-----\n",  /* empty body */
		"-----BEGIN A-----\nx\n-----END A-----\n\n",
		"-----BEGIN A1-----\nx\n-----END A-----\n",
		"-----BEGIN A-----\nx\n-----END A-----x",
	};
	for (size_t i = 0; i < sizeof(pem) / sizeof(pem[0]); i++)
		if (!tls_looks_like_pem(pem[i]))
			TEST_FAIL_("pem %zu not recognised", i);
	for (size_t i = 0; i < sizeof(not_pem) / sizeof(not_pem[0]); i++)
		if (tls_looks_like_pem(not_pem[i]))
			TEST_FAIL_("not_pem %zu taken for PEM", i);
	return 0;
}

TEST_IMPL(tls_go_printable_strings)
{
	ASSERT(tls_go_printable("Example, Inc (2) +-./:=?'", 25));
	ASSERT(!tls_go_printable("a*b", 3));
	ASSERT(!tls_go_printable("a&b", 3));
	ASSERT(!tls_go_printable("a@b", 3));
	ASSERT(!tls_go_printable("S\xc3\xa9", 3));
	return 0;
}

/* Ed25519: SHA-1 of 04 20 || key, upstream's quirk. */
TEST_IMPL(tls_subject_key_id_ed25519)
{
	static const unsigned char seed[32] = { 1, 2, 3 };
	EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
	unsigned char buf[34] = { 0x04, 0x20 }, want[20], got[20];
	size_t n = 32;
	ASSERT(key && EVP_PKEY_get_raw_public_key(key, buf + 2, &n));
	SHA1(buf, sizeof(buf), want);
	ASSERT(tls_subject_key_id(key, got));
	ASSERT_MEM_EQ(got, 20, want, 20);
	EVP_PKEY_free(key);
	return 0;
}

static struct tf_value *list_of(const char *a, const char *b)
{
	struct tf_value *l = tf_value_new_collection(TF_LIST);
	tf_value_append(l, tf_value_new_string(a));
	if (b)
		tf_value_append(l, tf_value_new_string(b));
	return l;
}

TEST_IMPL(tls_sans_parse)
{
	struct tf_diags d;
	struct tf_ctx c = { .diags = &d };
	struct tf_value *config = tf_value_new_collection(TF_OBJECT);
	GENERAL_NAMES *gens;
	tf_diags_init(&d);
	tf_value_set(config, "dns_names", list_of("example.com", NULL));
	tf_value_set(config, "ip_addresses", list_of("::ffff:192.0.2.1", "2001:db8::1"));
	tf_value_set(config, "uris", list_of("spiffe://x/y", NULL));
	ASSERT_INT_EQ(tls_sans_from_config(&c, config, &gens), 0);
	ASSERT_INT_EQ(sk_GENERAL_NAME_num(gens), 4);
	const GENERAL_NAME *ip4 = sk_GENERAL_NAME_value(gens, 1);
	ASSERT_INT_EQ(ip4->type, GEN_IPADD);
	ASSERT_INT_EQ(ASN1_STRING_length(ip4->d.iPAddress), 4); /* Go's To4() */
	ASSERT_INT_EQ(ASN1_STRING_length(sk_GENERAL_NAME_value(gens, 2)->d.iPAddress), 16);
	ASSERT_INT_EQ(sk_GENERAL_NAME_value(gens, 3)->type, GEN_URI);
	GENERAL_NAMES_free(gens);

	tf_value_set(config, "ip_addresses", list_of("1.2.3.4", "01.2.3.4"));
	tf_value_set(config, "uris", list_of("%zz", NULL));
	ASSERT_INT_EQ(tls_sans_from_config(&c, config, &gens), -1);
	ASSERT_NULL(gens);
	ASSERT_INT_EQ(d.errors, 2);
	ASSERT_STR_EQ(d.items[0].path.steps[0].name, "ip_addresses");
	ASSERT_INT_EQ(d.items[0].path.steps[1].index, 1);
	ASSERT_STR_EQ(d.items[1].summary, "Invalid URI");
	tf_value_free(config);
	tf_diags_release(&d);
	return 0;
}

/* A CA needs a subject; max_path_length only on a CA; one subject block. */
TEST_IMPL(tls_cert_validate_rules)
{
	struct tf_diags d;
	struct tf_ctx c = { .diags = &d };
	struct tf_value *config = tf_value_new_collection(TF_OBJECT);
	tf_diags_init(&d);
	tf_value_set(config, "allowed_uses", list_of("server_auth", "cert_signing"));
	tf_value_set(config, "is_ca_certificate", tf_value_new_bool(true));
	tf_value_set(config, "subject", tf_value_new_collection(TF_LIST));
	ASSERT_INT_EQ(tls_cert_validate(&c, config, true), -1);
	ASSERT_STR_EQ(d.items[0].summary, "Invalid Certificate Subject");
	ASSERT_INT_EQ(tls_cert_validate(&c, config, false), 0); /* locally signed: from the CSR */
	struct tf_value *subject = tf_value_new_collection(TF_OBJECT);
	tf_value_set(subject, "common_name", tf_value_new_unknown());
	struct tf_value *blocks = tf_value_new_collection(TF_LIST);
	tf_value_append(blocks, subject);
	tf_value_set(config, "subject", blocks);
	ASSERT_INT_EQ(tls_cert_validate(&c, config, true), 0);
	tf_value_set(config, "is_ca_certificate", tf_value_new_bool(false));
	tf_value_set(config, "max_path_length", tf_value_new_int(1));
	ASSERT_INT_EQ(tls_cert_validate(&c, config, true), -1);
	ASSERT_STR_EQ(d.items[d.n - 1].path.steps[0].name, "max_path_length");
	tf_value_set(config, "max_path_length", tf_value_new_int(0));
	ASSERT_INT_EQ(tls_cert_validate(&c, config, true), 0);
	tf_value_free(config);
	tf_diags_release(&d);
	return 0;
}

/* A CSR's subject as Go re-encodes it: its field order, one CN, no email. */
TEST_IMPL(tls_subject_go_roundtrip_order)
{
	X509_NAME *in = X509_NAME_new();
	X509_NAME_add_entry_by_txt(in, "CN", MBSTRING_UTF8, (const unsigned char *)"first", -1, -1, 0);
	X509_NAME_add_entry_by_txt(in, "emailAddress", MBSTRING_UTF8, (const unsigned char *)"a@b", -1, -1, 0);
	X509_NAME_add_entry_by_txt(in, "O", MBSTRING_UTF8, (const unsigned char *)"Org*", -1, -1, 0);
	X509_NAME_add_entry_by_txt(in, "C", MBSTRING_UTF8, (const unsigned char *)"DE", -1, -1, 0);
	X509_NAME_add_entry_by_txt(in, "CN", MBSTRING_UTF8, (const unsigned char *)"last", -1, -1, 0);
	X509_NAME *out = tls_subject_go_roundtrip(in);
	char buf[256];
	ASSERT_NOT_NULL(out);
	X509_NAME_oneline(out, buf, sizeof(buf));
	ASSERT_STR_EQ(buf, "/C=DE/O=Org*/CN=last");
	ASSERT_INT_EQ(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(out, 0))),
		      V_ASN1_PRINTABLESTRING);
	ASSERT_INT_EQ(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(out, 1))),
		      V_ASN1_UTF8STRING); /* '*' is not printable for Go */
	X509_NAME_free(in);
	X509_NAME_free(out);
	return 0;
}

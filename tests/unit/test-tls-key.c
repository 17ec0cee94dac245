/* test-tls-key.c - tls key formats: Go's TrimSpace quirk in ids, OpenSSH
 * blobs and fingerprints against ssh-keygen's, private key parsing of
 * hostile PEM, the OpenSSH private key round trip, cancellation, and the
 * tls_private_key v0 -> v1 state upgrade. */
#include "test.h"

#include <stdatomic.h>
#include <stdlib.h>

#include <openssl/sha.h>

#include "encode.h"
#include "provider/tls/tls.h"

/* Fixed keys; expected values from `ssh-keygen -y` and `ssh-keygen -l`. */
static const struct {
	const char *pem, *authorized, *md5, *sha256;
} vectors[] = {
	{ "-----BEGIN PRIVATE KEY-----\n"
	  "MC4CAQAwBQYDK2VwBCIEIOAIJ7IgVkO9Rx0C/GV7UdgF6ayTI1UMTywafG2Os5rB\n"
	  "-----END PRIVATE KEY-----\n",
	  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIONnJb6vR0+E6kxePZFmr5v/U8C41vqG6ByZqhdWVhpp\n",
	  "52:22:2d:dd:9f:60:e7:b5:ac:6f:bd:be:8d:61:e4:0f",
	  "SHA256:9/+4M9YUprlJdKY2JxxtRfNLODBYAkFESODn2XvlMEk" },
	{ "-----BEGIN EC PRIVATE KEY-----\n"
	  "MHcCAQEEIOhY7O5tMOVUdYqraEIhqLTurj0jlOU/b6cosu7Cjq6joAoGCCqGSM49\n"
	  "AwEHoUQDQgAELox5dNHMBR/joO9hihWHeMgEYI9zUsTMIKo9y6evtohlvVc56L/K\n"
	  "3a3khBdMl7GJpk3gKYo0K7StXHadPJbePQ==\n"
	  "-----END EC PRIVATE KEY-----\n",
	  "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBC6MeXTRzAUf46Dv"
	  "YYoVh3jIBGCPc1LEzCCqPcunr7aIZb1XOei/yt2t5IQXTJexiaZN4CmKNCu0rVx2nTyW3j0=\n",
	  "d6:d2:93:db:5e:02:44:28:4d:9f:c0:4e:32:bb:38:f2",
	  "SHA256:ly8NFFGgk1+4MdeXaahjqaHAlcgNnuf+z11VFuK0xss" },
};

struct fixture {
	struct tf_diags d;
	struct tf_ctx c;
	atomic_bool stop;
};

static void fixture_init(struct fixture *f)
{
	tf_diags_init(&f->d);
	atomic_init(&f->stop, false);
	f->c = (struct tf_ctx){ .diags = &f->d, .stopping = &f->stop };
}

static struct tf_value *object_with(const char *key, const char *val)
{
	struct tf_value *o = tf_value_new_collection(TF_OBJECT);
	if (o && key)
		tf_value_set(o, key, tf_value_new_string(val));
	return o;
}

TEST_IMPL(tls_go_trim_space)
{
	static const struct { const char *bytes; size_t kept; } cases[] = {
		{ "\x30\x01\x02", 3 },
		{ "\x30\x01 \t\n\v\f\r", 2 },
		{ "\x30\xc2\xa0", 1 },             /* U+00A0 */
		{ "\x30\xc2\x85 \xe3\x80\x80", 1 }, /* U+0085, space, U+3000 */
		{ "\x30\xe2\x80\xaf", 1 },         /* U+202F */
		{ "\x30\xe2\x80\x8b", 4 },         /* U+200B is not a space in Go */
		{ "\x30\xa0", 2 },                 /* a lone continuation byte */
		{ "\x30\x85\xc2", 3 },
		{ "  ", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const unsigned char *b = (const unsigned char *)cases[i].bytes;
		if (tls_go_trim_space_len(b, strlen(cases[i].bytes)) != cases[i].kept)
			TEST_FAIL_("case %zu: kept %zu bytes, want %zu", i,
				   tls_go_trim_space_len(b, strlen(cases[i].bytes)), cases[i].kept);
	}
	/* the id hashes what is left */
	unsigned char md[SHA_DIGEST_LENGTH];
	SHA1((const unsigned char *)"\x30\x01", 2, md);
	char *want = tf_hex_encode(md, sizeof(md));
	char *got = tls_hash_for_state((const unsigned char *)"\x30\x01\n\xc2\xa0", 5);
	ASSERT_STR_EQ(got, want);
	free(want);
	free(got);
	return 0;
}

TEST_IMPL(tls_openssh_public_vectors)
{
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		struct fixture f;
		fixture_init(&f);
		EVP_PKEY *key = tls_key_from_pem(&f.c, "k", vectors[i].pem);
		ASSERT_NOT_NULL(key);
		struct tf_value *state = object_with("id", ""); /* a type with an id */
		ASSERT_INT_EQ(tls_set_public_outputs(&f.c, state, key), 0);
		ASSERT_STR_EQ(tf_value_get_string(state, "public_key_openssh"), vectors[i].authorized);
		ASSERT_STR_EQ(tf_value_get_string(state, "public_key_fingerprint_md5"), vectors[i].md5);
		ASSERT_STR_EQ(tf_value_get_string(state, "public_key_fingerprint_sha256"),
			      vectors[i].sha256);
		ASSERT(!strncmp(tf_value_get_string(state, "public_key_pem"),
				"-----BEGIN PUBLIC KEY-----\n", 27));
		ASSERT_INT_EQ(strlen(tf_value_get_string(state, "id")), 40);
		tf_value_free(state);
		EVP_PKEY_free(key);
		tf_diags_release(&f.d);
	}
	return 0;
}

/* Every bad private key is one error on the attribute, never a crash. */
TEST_IMPL(tls_key_from_pem_errors)
{
	static const char *const bad[] = {
		"",
		"not pem",
		"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
		"-----BEGIN RSA PRIVATE KEY-----\nMAA=\n-----END RSA PRIVATE KEY-----\n",
		"-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
		"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
		"DEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nMAA=\n"
		"-----END RSA PRIVATE KEY-----\n",
		"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n",
		/* secp256k1: not one of the P curves */
		"-----BEGIN EC PRIVATE KEY-----\n"
		"MHQCAQEEIJIWJ2EBw+Yvqe01hMpsLDc1eagYNF7jD6JfiwQIYN0ioAcGBSuBBAAK\n"
		"oUQDQgAEd7cfeJPqrxyOVrmL0nYTogZIerxGO3yGKtS6jT2D60PRtUt5UY7T/+oe\n"
		"GPVdALbUQAXrPUul5+m5YGzZGslCqA==\n"
		"-----END EC PRIVATE KEY-----\n",
		"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n"
		"-----END OPENSSH PRIVATE KEY-----\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (int ssh = 0; ssh < 2; ssh++) {
			struct fixture f;
			fixture_init(&f);
			EVP_PKEY *key = ssh ? tls_key_from_openssh(&f.c, "k", bad[i])
					    : tls_key_from_pem(&f.c, "k", bad[i]);
			bool said = f.d.errors == 1 && f.d.items[0].path.n == 1 &&
				    !strcmp(f.d.items[0].path.steps[0].name, "k");
			EVP_PKEY_free(key);
			tf_diags_release(&f.d);
			if (key || !said)
				TEST_FAIL_("bad key %zu (ssh=%d) was not refused clearly", i, ssh);
		}
	}
	return 0;
}

/* create -> private_key_openssh -> tls_public_key gives the same outputs. */
static int roundtrip(const char *alg, const char *curve, bool has_ssh)
{
	struct fixture f;
	fixture_init(&f);
	struct tf_value *state = object_with("algorithm", alg);
	tf_value_set(state, "rsa_bits", tf_value_new_int(1024));
	tf_value_set(state, "ecdsa_curve", tf_value_new_string(curve));
	tf_value_set(state, "id", tf_value_new_null());
	ASSERT_INT_EQ(tls_private_key_resource.create(&f.c, state, state), 0);
	const char *ssh = tf_value_get_string(state, "private_key_openssh");
	ASSERT_NOT_NULL(ssh);
	ASSERT_INT_EQ(ssh[0] != '\0', has_ssh);
	for (int from_ssh = 0; from_ssh < 2; from_ssh++) {
		if (from_ssh && !has_ssh)
			continue;
		const char *in = from_ssh ? "private_key_openssh" : "private_key_pem";
		struct tf_value *ds = object_with(in, tf_value_get_string(state, in));
		tf_value_set(ds, "id", tf_value_new_null());
		ASSERT_INT_EQ(tls_public_key_data_source.read(&f.c, ds), 0);
		static const char *const same[] = { "public_key_pem", "public_key_openssh",
						    "public_key_fingerprint_md5",
						    "public_key_fingerprint_sha256", "id" };
		for (size_t i = 0; i < 5; i++)
			ASSERT_STR_EQ(tf_value_get_string(ds, same[i]),
				      tf_value_get_string(state, same[i]));
		ASSERT_STR_EQ(tf_value_get_string(ds, "algorithm"), alg);
		tf_value_free(ds);
	}
	tf_value_free(state);
	tf_diags_release(&f.d);
	return 0;
}

TEST_IMPL(tls_private_key_roundtrip)
{
	ASSERT_INT_EQ(roundtrip("RSA", "P224", true), 0);
	ASSERT_INT_EQ(roundtrip("ED25519", "P224", true), 0);
	ASSERT_INT_EQ(roundtrip("ECDSA", "P224", false), 0);
	ASSERT_INT_EQ(roundtrip("ECDSA", "P256", true), 0);
	ASSERT_INT_EQ(roundtrip("ECDSA", "P384", true), 0);
	ASSERT_INT_EQ(roundtrip("ECDSA", "P521", true), 0);
	return 0;
}

/* A stop request aborts RSA generation; rsa_bits below 1024 is refused
 * with its path. */
TEST_IMPL(tls_private_key_cancel_and_validate)
{
	struct fixture f;
	fixture_init(&f);
	struct tf_value *state = object_with("algorithm", "RSA");
	tf_value_set(state, "rsa_bits", tf_value_new_int(4096));
	atomic_store(&f.stop, true);
	ASSERT_INT_EQ(tls_private_key_resource.create(&f.c, state, state), -1);
	ASSERT_STR_EQ(f.d.items[0].summary, "Key generation cancelled");
	tf_value_set(state, "rsa_bits", tf_value_new_int(512));
	ASSERT_INT_EQ(tls_private_key_resource.validate(&f.c, state), -1);
	ASSERT_STR_EQ(f.d.items[1].path.steps[0].name, "rsa_bits");
	tf_value_set(state, "algorithm", tf_value_new_string("ECDSA"));
	ASSERT_INT_EQ(tls_private_key_resource.validate(&f.c, state), 0);
	tf_value_free(state);
	tf_diags_release(&f.d);
	return 0;
}

/* v0 state: outputs recomputed, an existing OpenSSH key kept. */
TEST_IMPL(tls_private_key_upgrade_v0)
{
	struct fixture f;
	fixture_init(&f);
	struct tf_value *state = object_with("private_key_pem", vectors[1].pem);
	tf_value_set(state, "algorithm", tf_value_new_string("ECDSA"));
	tf_value_set(state, "private_key_openssh", tf_value_new_string("kept"));
	ASSERT_INT_EQ(tls_private_key_resource.upgrade(&f.c, 0, state), 0);
	ASSERT_STR_EQ(tf_value_get_string(state, "private_key_openssh"), "kept");
	ASSERT_STR_EQ(tf_value_get_string(state, "public_key_openssh"), vectors[1].authorized);
	ASSERT_STR_EQ(tf_value_get_string(state, "ecdsa_curve"), "P224");
	ASSERT(!strncmp(tf_value_get_string(state, "private_key_pem_pkcs8"),
			"-----BEGIN PRIVATE KEY-----\n", 28));
	tf_value_set(state, "private_key_openssh", tf_value_new_string(""));
	ASSERT_INT_EQ(tls_private_key_resource.upgrade(&f.c, 0, state), 0);
	ASSERT(!strncmp(tf_value_get_string(state, "private_key_openssh"),
			"-----BEGIN OPENSSH PRIVATE KEY-----\n", 36));
	tf_value_free(state);
	tf_diags_release(&f.d);
	return 0;
}

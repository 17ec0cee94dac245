/* test-shim.c - the go-plugin pieces that can be checked without a client:
 * the AutoMTLS certificate is what go-plugin makes and Go accepts. */
#include "test.h"

#include <stdlib.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "encode.h"
#include "mtls.h"

TEST_IMPL(shim_mtls_certificate)
{
	struct tf_mtls_cert c;
	char err[256];
	size_t der_len;
	ASSERT_INT_EQ(tf_mtls_generate(&c, err, sizeof(err)), 0);
	ASSERT_NULL(strchr(c.cert_b64, '='));   /* no padding in the handshake field */
	ASSERT_NULL(strchr(c.cert_b64, '\n'));
	unsigned char *der = tf_base64_decode(c.cert_b64, TF_BASE64_STD_RAW, &der_len);
	ASSERT_NOT_NULL(der);
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)der_len);
	ASSERT_NOT_NULL(x);

	EVP_PKEY *key = X509_get0_pubkey(x);
	char group[64] = "";
	size_t glen;
	ASSERT(EVP_PKEY_get_group_name(key, group, sizeof(group), &glen));
	ASSERT_STR_EQ(group, "prime256v1"); /* P-256, cheaper than go-plugin's P-521 */
	ASSERT_INT_EQ(X509_get_signature_nid(x), NID_ecdsa_with_SHA256);
	ASSERT_INT_EQ(X509_check_ca(x), 1);
	ASSERT_INT_EQ(X509_check_host(x, "localhost", 0, 0, NULL), 1);
	ASSERT(X509_get_extended_key_usage(x) & XKU_SSL_SERVER);
	ASSERT(X509_get_extended_key_usage(x) & XKU_SSL_CLIENT);
	ASSERT(X509_get_key_usage(x) & KU_KEY_CERT_SIGN);
	time_t soon = time(NULL) - 20; /* back-dated by 30 s */
	ASSERT(X509_cmp_time(X509_get0_notBefore(x), &soon) < 0);
	ASSERT_INT_EQ(X509_check_issued(x, x), X509_V_OK); /* self-signed */
	ASSERT_NOT_NULL(strstr(c.key_pem, "BEGIN PRIVATE KEY"));
	/* the key reads back as gRPC reads it, and is the certificate's */
	BIO *kbio = BIO_new_mem_buf(c.key_pem, -1);
	EVP_PKEY *pkey = PEM_read_bio_PrivateKey(kbio, NULL, NULL, NULL);
	ASSERT_NOT_NULL(pkey);
	ASSERT_INT_EQ(X509_check_private_key(x, pkey), 1);
	EVP_PKEY_free(pkey);
	BIO_free(kbio);

	/* the PEM form in cert_pem is the same certificate */
	ASSERT_INT_EQ(tf_mtls_check_client_cert(c.cert_pem, err, sizeof(err)), 0);
	X509_free(x);
	free(der);
	tf_mtls_release(&c);
	ASSERT_NULL(c.key_pem);
	return 0;
}

TEST_IMPL(shim_mtls_serials_differ)
{
	struct tf_mtls_cert a, b;
	char err[256];
	ASSERT_INT_EQ(tf_mtls_generate(&a, err, sizeof(err)), 0);
	ASSERT_INT_EQ(tf_mtls_generate(&b, err, sizeof(err)), 0);
	ASSERT(strcmp(a.cert_b64, b.cert_b64) != 0);
	tf_mtls_release(&a);
	tf_mtls_release(&b);
	return 0;
}

TEST_IMPL(shim_client_cert_check)
{
	char err[256] = "";
	ASSERT_INT_EQ(tf_mtls_check_client_cert("", err, sizeof(err)), -1);
	ASSERT_NOT_NULL(strstr(err, "PLUGIN_CLIENT_CERT"));
	ASSERT_INT_EQ(tf_mtls_check_client_cert("-----BEGIN CERTIFICATE-----\nAAAA\n"
						"-----END CERTIFICATE-----\n", err, sizeof(err)), -1);
	return 0;
}

/*
 * mtls.h - go-plugin's AutoMTLS, server side.
 *
 * The plugin makes a throwaway certificate the way go-plugin does (ECDSA,
 * self-signed, CA, SAN "localhost", client and server EKU, valid from 30 s
 * ago for about 30 years), on P-256 where go-plugin uses P-521 (mtls.c
 * says why).  Terraform pins it from the handshake
 * line; we pin Terraform's from PLUGIN_CLIENT_CERT.
 */
#ifndef THINGFORM_MTLS_H
#define THINGFORM_MTLS_H

struct tf_mtls_cert {
	char *key_pem;     /* PKCS#8 private key; wiped on release */
	char *cert_pem;
	char *cert_b64;    /* DER, standard base64 without '=' padding */
};

/* Returns 0, or -1 with a message in err. */
int tf_mtls_generate(struct tf_mtls_cert *out, char *err, size_t errlen);
void tf_mtls_release(struct tf_mtls_cert *c);

/* Checks that `pem` is one X.509 certificate; 0 or -1 with a message. */
int tf_mtls_check_client_cert(const char *pem, char *err, size_t errlen);

#endif

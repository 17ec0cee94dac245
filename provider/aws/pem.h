/*
 * pem.h - PEM text compared and checked by what it holds, not by how it is
 * written.
 *
 * AWS may return a certificate with other line endings, line lengths or
 * surrounding whitespace than the configuration used; Terraform must see
 * the same value.  Two texts are the same PEM when OpenSSL's reader finds
 * the same blocks in both, in the same order: equal labels ("CERTIFICATE")
 * and equal decoded (DER) bytes.  Text outside the blocks and PEM headers
 * are ignored.
 *
 * All functions borrow their arguments (`text` need not be NUL-terminated)
 * and leave OpenSSL's error queue empty.  Returned objects are new: free
 * them with X509_free / X509_REQ_free.  `why` is a static string.
 */
#ifndef THINGFORM_AWS_PEM_H
#define THINGFORM_AWS_PEM_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>

/* True when a and b hold the same PEM blocks (at least one). */
bool aws_pem_same(const char *a, size_t alen, const char *b, size_t blen);

/* The first certificate (CSR) in `text`, or NULL and *why. */
X509 *aws_pem_certificate(const char *text, size_t len, const char **why);
X509_REQ *aws_pem_csr(const char *text, size_t len, const char **why);

/* True when the certificate carries the CSR's public key: it was issued
 * for that request's key.  False when either does not parse. */
bool aws_pem_csr_fits(const char *csr, size_t csrlen, const char *cert, size_t certlen);

/* True when the certificate's signature verifies with the CA
 * certificate's public key.  False when either does not parse. */
bool aws_pem_signed_by(const char *cert, size_t certlen, const char *ca, size_t calen);

#endif

/*
 * tls.h - the tls provider's handlers and the key and OpenSSH helpers they
 * share.  Private to provider/tls/ (and its unit tests).
 *
 * Formats follow hashicorp/tls 4.2 byte for byte: PEM is 64-column
 * base64 with a trailing newline and no headers; OpenSSH keys are what Go's
 * x/crypto/ssh writes.
 *
 * Ownership: functions named *_new return an object the caller frees;
 * struct tls_buf holds bytes that may be secret and is always wiped when
 * released.  Errors are -1 (or NULL) after a diagnostic on `attr` when the
 * function takes a struct tf_ctx.
 */
#ifndef THINGFORM_TLS_H
#define THINGFORM_TLS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "codec.h"
#include "provider.h"

extern const struct tf_resource tls_private_key_resource;
extern const struct tf_resource tls_self_signed_cert_resource;
extern const struct tf_resource tls_cert_request_resource;
extern const struct tf_resource tls_locally_signed_cert_resource;
extern const struct tf_data_source tls_public_key_data_source;
extern const struct tf_data_source tls_certificate_data_source;
extern const struct tf_ephemeral_resource tls_private_key_ephemeral;
extern const struct tf_ephemeral_resource tls_public_key_ephemeral;

/* --- a growable byte buffer, wiped when released ----------------------- */

struct tls_buf {
	struct tf_bytes b; /* wiped whenever it is freed or moved (codec.h) */
	bool failed;       /* an append ran out of memory; later appends do nothing */
};

void tls_buf_release(struct tls_buf *b);          /* wipes, then frees */
void tls_buf_put(struct tls_buf *b, const void *p, size_t n);
void tls_buf_put_u32(struct tls_buf *b, uint32_t v);
/* SSH wire types (RFC 4251 section 5). */
void tls_buf_put_string(struct tls_buf *b, const void *p, size_t n);
void tls_buf_put_cstring(struct tls_buf *b, const char *s);
void tls_buf_put_mpint(struct tls_buf *b, const BIGNUM *bn);

/* --- keys ----------------------------------------------------------------- */

enum tls_algorithm { TLS_ALG_NONE, TLS_ALG_RSA, TLS_ALG_ECDSA, TLS_ALG_ED25519 };

/* "RSA", "ECDSA", "ED25519" (the names the schema uses). */
const char *tls_algorithm_name(enum tls_algorithm alg);
enum tls_algorithm tls_key_algorithm(const EVP_PKEY *key);
/* OpenSSL's group name for "P224".."P521", or NULL. */
const char *tls_curve_group(const char *curve);
/* An EC key's public point 04||X||Y with padded coordinates (Go's
 * elliptic.Marshal) into out (133 bytes is enough); its length, or 0. */
size_t tls_ec_point(const EVP_PKEY *key, unsigned char out[133]);

/*
 * Generates a key.  `rsa_bits` is used for RSA, `curve` ("P256") for ECDSA.
 * Gives up (with an error) when c says the provider is stopping.
 */
EVP_PKEY *tls_key_generate(struct tf_ctx *c, enum tls_algorithm alg, int64_t rsa_bits,
			   const char *curve);

/*
 * Parses the first PEM block of `pem` as upstream does: RSA PRIVATE KEY
 * (PKCS#1), EC PRIVATE KEY (SEC1) or PRIVATE KEY (PKCS#8) holding an RSA,
 * ECDSA or Ed25519 key.  Anything else (encrypted keys included) is an
 * error on `attr`.
 */
EVP_PKEY *tls_key_from_pem(struct tf_ctx *c, const char *attr, const char *pem);

/* The first PEM block of some text (Go's pem.Decode). */
struct tls_pem_block {
	char *type, *header;  /* header: "" unless the block has headers */
	unsigned char *der;
	long len;
};
/* false when the text holds no valid PEM block (b is then empty). */
bool tls_pem_block_read(const char *text, struct tls_pem_block *b);
/* Frees the block, wiping its bytes. */
void tls_pem_block_release(struct tls_pem_block *b);

/* PEM text of DER bytes under `type`: 64-column lines, trailing newline. */
char *tls_pem_encode(const char *type, const unsigned char *der, size_t len);

/* The private key PEMs: by algorithm (PKCS#1/SEC1/PKCS#8), and PKCS#8. */
char *tls_private_key_pem(const EVP_PKEY *key);
char *tls_private_key_pkcs8_pem(const EVP_PKEY *key);

/* Lowercase hex SHA-1 of `der` after Go's strings.TrimSpace (the id of
 * keys, CSRs in upstream state). */
char *tls_hash_for_state(const unsigned char *der, size_t len);
/* How many bytes strings.TrimSpace would keep of der[0..len) (only the
 * tail can be space: DER starts with a tag). */
size_t tls_go_trim_space_len(const unsigned char *der, size_t len);

/*
 * Sets algorithm-independent public outputs on `state`: public_key_pem,
 * public_key_openssh, public_key_fingerprint_md5,
 * public_key_fingerprint_sha256 and, when `state` has that attribute (the
 * ephemeral tls_private_key has none), id.  The OpenSSH ones are "" for
 * keys OpenSSH cannot hold (ECDSA P-224).
 */
int tls_set_public_outputs(struct tf_ctx *c, struct tf_value *state, const EVP_PKEY *key);

/* --- OpenSSH formats --------------------------------------------------- */

/* The SSH wire public key blob; false for keys OpenSSH cannot hold. */
bool tls_ssh_public_blob(const EVP_PKEY *key, struct tls_buf *out);
/* "<type> <base64>\n", or "" when OpenSSH cannot hold the key. */
char *tls_ssh_authorized_key(const EVP_PKEY *key);
/* "aa:bb:..." (MD5) and "SHA256:<unpadded base64>" of a blob. */
char *tls_ssh_fingerprint_md5(const unsigned char *blob, size_t len);
char *tls_ssh_fingerprint_sha256(const unsigned char *blob, size_t len);
/* "-----BEGIN OPENSSH PRIVATE KEY-----..." or "" when OpenSSH cannot hold
 * the key. */
char *tls_ssh_private_key_pem(const EVP_PKEY *key);
/*
 * Parses what Go's ssh.ParseRawPrivateKey reads: an unencrypted OpenSSH
 * private key, or one of the PEM private keys tls_key_from_pem reads.
 */
EVP_PKEY *tls_key_from_openssh(struct tf_ctx *c, const char *attr, const char *text);

/* --- certificates ------------------------------------------------------ */

/* What a new certificate is made of; everything is borrowed. */
struct tls_cert_parts {
	X509_NAME *subject;
	GENERAL_NAMES *sans;      /* NULL: no subjectAltName */
	EVP_PKEY *subject_key;    /* the key the certificate is for */
	X509 *issuer;             /* NULL: self-signed */
	EVP_PKEY *issuer_key;     /* signs the certificate */
};

/*
 * Builds and signs a certificate as upstream's createCertificate does,
 * reading validity_period_hours, allowed_uses, is_ca_certificate,
 * max_path_length, set_subject_key_id and (when the schema has it)
 * set_authority_key_id from `state`, and sets id, cert_pem,
 * validity_start_time and validity_end_time on it.
 */
int tls_cert_create(struct tf_ctx *c, struct tf_value *state, const struct tls_cert_parts *p);
/*
 * What a CSR or a self-signed certificate is made from: private_key_pem,
 * the subject block and the SANs of `state`.  init also sets
 * key_algorithm on the state; release frees (and wipes) whatever init made.
 */
struct tls_request_parts {
	EVP_PKEY *key;
	X509_NAME *subject;
	GENERAL_NAMES *sans;
};
int tls_request_parts_init(struct tf_ctx *c, struct tf_value *state,
			   struct tls_request_parts *p);
void tls_request_parts_release(struct tls_request_parts *p);
/* validate for both: tls_cert_validate, and private_key_pem parses. */
int tls_request_validate(struct tf_ctx *c, const struct tf_value *config);
/* The digest Go signs with for this key (NULL for Ed25519). */
const EVP_MD *tls_signature_digest(const EVP_PKEY *key);

/* Index of an allowed_uses name in the table of 23, or -1. */
int tls_allowed_use_index(const char *name);
/* SHA-1 of the public key as upstream computes it for subjectKeyIdentifier
 * (Ed25519: of the DER OCTET STRING 04 20 || key); 20 bytes into out. */
bool tls_subject_key_id(const EVP_PKEY *key, unsigned char out[20]);

/* The `subject` block of a config as a name in Go's RDN order (an empty
 * name when there is none); NULL only when memory runs out. */
X509_NAME *tls_subject_from_config(const struct tf_value *config);
/* A parsed name as Go's pkix.Name keeps and writes it again: the fields
 * above in Go's order (one value for CN and serial number), emailAddress
 * and other attribute types dropped.  New, or NULL (memory, bad string). */
X509_NAME *tls_subject_go_roundtrip(const X509_NAME *from);
/* True when Go would use PrintableString for s (else UTF8String). */
bool tls_go_printable(const char *s, size_t len);

/* dns_names, ip_addresses and uris of a config as GeneralNames in Go's
 * order; *out NULL when there are none.  Errors name the element. */
int tls_sans_from_config(struct tf_ctx *c, const struct tf_value *config, GENERAL_NAMES **out);

/* The DNS, IP and URI names of a CSR's subjectAltName, in Go's order;
 * *out NULL when there are none.  -1 only when memory runs out. */
int tls_sans_from_request(X509_REQ *req, GENERAL_NAMES **out);

/* Checks shared by the certificate resources on a (partly unknown)
 * config: allowed_uses names, at most one subject block, SANs that parse,
 * max_path_length only on a CA, a CA with a subject (when `own_subject`). */
int tls_cert_validate(struct tf_ctx *c, const struct tf_value *config, bool own_subject);
/*
 * The certificate resources' plan: ready_for_renewal (true when the
 * validity is 0 or within early_renewal_hours; unknown and replacing once
 * the renewal window is reached) and the "PEM-replace" rule for the
 * NULL-terminated `pem_attrs`.
 */
int tls_cert_plan(struct tf_ctx *c, const struct tf_value *prior, const struct tf_value *config,
		  struct tf_value *planned, struct tf_paths *replace,
		  const char *const *pem_attrs);
/* Replaces `attr` on change only when the prior value is PEM (4.x state),
 * not a hash (3.x state). */
int tls_plan_pem_replace(const struct tf_value *prior, const struct tf_value *planned,
			 const char *attr, struct tf_paths *replace);
/* Read: marks the state ready_for_renewal inside the renewal window. */
int tls_cert_read(struct tf_ctx *c, struct tf_value *state, bool *gone);
/* upstream's regex ^-----BEGIN [[:alpha:] ]+-----\n(.|\s)+\n-----END [[:alpha:] ]+-----\n?$ */
bool tls_looks_like_pem(const char *s);

/* --- time ---------------------------------------------------------------- */

/* Go's time.MarshalText (RFC 3339 with nanoseconds, trailing zeros
 * trimmed) in the local zone; NULL when memory runs out. */
char *tls_time_format(int64_t sec, long nsec);
/* Go's time.Parse(time.RFC3339, s): false when s is not such a time. */
bool tls_time_parse(const char *s, int64_t *sec, long *nsec);
/* True when now is at or past end - early_hours. */
bool tls_renewal_due(int64_t end_sec, long end_nsec, int64_t early_hours, int64_t now_sec,
		     long now_nsec);

/* --- the provider block (its meta) and tls_certificate -------------------- */

/*
 * The provider's configuration: the proxy block.  Immutable once
 * configure returns; NULL meta means "no block" (the environment's proxy).
 * proxy_password is secret: wiped when freed and never logged.
 */
struct tls_meta {
	char *proxy_url;       /* the block's url, or NULL */
	char *proxy_username;  /* or NULL */
	char *proxy_password;  /* or NULL */
	bool proxy_from_env;   /* no url: take the proxy from the environment */
};
/* Checks the proxy block beyond the schema (at most one; username needs
 * url, password needs username; url's scheme and host). */
int tls_proxy_validate(struct tf_ctx *c, const struct tf_value *config);
/* A new meta from the provider block, or NULL with an error. */
struct tls_meta *tls_meta_new(struct tf_ctx *c, const struct tf_value *config);
void tls_meta_free(struct tls_meta *m);

/*
 * Checks a URL as upstream's UrlWithScheme does: it parses, has a host and
 * one of the NULL-terminated schemes.  Errors go on `attr` (a path).
 */
bool tls_url_check(struct tf_ctx *c, const struct tf_path *attr, const char *url,
		   const char *const *schemes);

/* What tls_fetch_peer_chain connects to and how. */
struct tls_fetch {
	const char *url;                /* https://host[:port] or tls://host:port */
	bool verify;                    /* verify the chain and the host name */
	const struct tls_meta *meta;    /* the proxy settings (NULL: environment) */
	long timeout_ms;                /* connection, TLS handshake included */
	const atomic_bool *stopping;
};
/*
 * The certificates the server presents (leaf first), after a TLS
 * handshake; https:// goes through the proxy rules, tls:// never uses a
 * proxy.  NULL with a message in err on failure.  Free with
 * sk_X509_pop_free(chain, X509_free).
 */
STACK_OF(X509) *tls_fetch_peer_chain(const struct tls_fetch *f, char *err, size_t errlen);

/* Go's pkix.Name.String() of a name; NULL when a value has a string type
 * Go refuses (or memory runs out). */
char *tls_go_name_string(const X509_NAME *name);
/* Go's x509.SignatureAlgorithm and PublicKeyAlgorithm names ("0" when
 * Go does not know the algorithm). */
const char *tls_go_signature_algorithm(const X509_ALGOR *alg);
const char *tls_go_public_key_algorithm(X509 *x);
/* Go's time.Format(time.RFC3339) of a certificate time (UTC). */
char *tls_time_format_utc(const ASN1_TIME *t);
/* One element of tls_certificate's `certificates`; NULL with *why set
 * when Go's parser would refuse the certificate. */
struct tf_value *tls_cert_info(X509 *x, const char **why);
/* fmt.Sprintf("%v", certs) of the `certificates` list, and its
 * hashForState: the data source's id. */
char *tls_certificates_dump(const struct tf_value *list);
char *tls_certificates_id(const struct tf_value *list);

/* --- values ---------------------------------------------------------------- */

/* Sets a string attribute, taking `s` (freed, wiped when `secret`); -1 with
 * an "Out of memory" error when s is NULL. */
int tls_set_string(struct tf_ctx *c, struct tf_value *state, const char *key, char *s,
		   bool secret);
/* Frees a NUL-terminated string after wiping it. */
void tls_free_secret(char *s);

#endif

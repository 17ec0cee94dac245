/*
 * ossl.c - OpenSSL's start and its error strings, loaded on first use.
 *
 * OpenSSL 3 loads its 3,000-odd error strings into a hash table the first
 * time any thread touches its error queue, which every start does: 0.85 M
 * instructions, a tenth of a provider's way to the handshake line, for
 * text read only when something fails.  With the OpenSSL of our static
 * build (provider/tools/static-libs.sh, a pinned release) we tell
 * OPENSSL_init_crypto not to, and load them on first use by calling the
 * two functions it would have called.  They are OpenSSL's internal API,
 * declared here: a release that renamed them fails the link rather than
 * the messages.  A shared OpenSSL (DYNAMIC=1 and the sanitizer builds)
 * exports neither, and loads the strings at start as it always does.
 */
#include <pthread.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "ossl.h"

#ifdef THINGFORM_STATIC_OPENSSL
int ossl_err_load_crypto_strings(void);
int ossl_err_load_SSL_strings(void);

#define DEFERRED_STRINGS (OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS | OPENSSL_INIT_NO_LOAD_SSL_STRINGS)

static void load_strings(void)
{
	ossl_err_load_crypto_strings();
	ossl_err_load_SSL_strings();
}
#else
#define DEFERRED_STRINGS 0

static void load_strings(void)
{
}
#endif

static pthread_once_t strings_once = PTHREAD_ONCE_INIT;

void tf_ossl_init(void)
{
	/* OpenSSL would also free its tables at exit, in an atexit handler
	 * that can run while a gRPC thread still holds per-thread OpenSSL
	 * state (ASan caught the double free) and that costs a million
	 * instructions on every exit; the kernel frees them anyway. */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT | DEFERRED_STRINGS, NULL);
}

void tf_ossl_load_strings(void)
{
	pthread_once(&strings_once, load_strings);
}

const char *tf_ossl_reason(unsigned long e)
{
	tf_ossl_load_strings();
	return ERR_reason_error_string(e);
}

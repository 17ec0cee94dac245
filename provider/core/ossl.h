/*
 * ossl.h - how every provider starts OpenSSL and reads its error messages.
 *
 * OpenSSL's error strings (the text behind an error code: "no start line",
 * "certificate verify failed") are wanted only when something fails, so
 * with the OpenSSL our static build carries they are loaded then, not at
 * start-up.  Anything that turns an OpenSSL error code into text, directly
 * or through a library such as libcurl, asks for them first.
 */
#ifndef THINGFORM_OSSL_H
#define THINGFORM_OSSL_H

/* Initialises OpenSSL; must be the process's first OpenSSL call. */
void tf_ossl_init(void);

/* Makes sure the error strings are loaded; cheap once they are. */
void tf_ossl_load_strings(void);

/* OpenSSL's reason text for error code `e`, or NULL when it has none. */
const char *tf_ossl_reason(unsigned long e);

#endif

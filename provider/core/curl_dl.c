/*
 * curl_dl.c - libcurl, loaded when the first request is made.
 *
 * The executables do not link libcurl: it and the ~30 libraries it needs
 * (a second OpenSSL, GnuTLS, Kerberos, LDAP, ...) cost the dynamic loader
 * more than the rest of start-up, and most processes Terraform starts
 * (schema, validate, plan, and every run of the random provider) make no
 * request.  This file defines the libcurl functions the providers call;
 * the first one that needs the library dlopens libcurl.so.4 and looks up
 * every function once.  If that fails, the functions that create an object
 * (curl_global_init, curl_easy_init, curl_url, curl_share_init,
 * curl_slist_append) fail the way they do when memory runs out, and the
 * reason is logged.
 *
 * The handle is never closed: libcurl and OpenSSL keep process-wide state
 * until exit, and it stays reachable for leak checkers.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

#include "log.h"

/* curl.h may define these as type-checking macros; here they are the
 * functions themselves. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_share_setopt

#define CURL_FUNCTIONS(X)                                                                  \
	X(curl_global_init, CURLcode, (long flags))                                        \
	X(curl_easy_init, CURL *, (void))                                                  \
	X(curl_easy_setopt, CURLcode, (CURL *h, CURLoption option, ...))                   \
	X(curl_easy_getinfo, CURLcode, (CURL *h, CURLINFO info, ...))                      \
	X(curl_easy_perform, CURLcode, (CURL *h))                                          \
	X(curl_easy_cleanup, void, (CURL *h))                                              \
	X(curl_easy_strerror, const char *, (CURLcode rc))                                 \
	X(curl_share_init, CURLSH *, (void))                                               \
	X(curl_share_setopt, CURLSHcode, (CURLSH *sh, CURLSHoption option, ...))           \
	X(curl_share_cleanup, CURLSHcode, (CURLSH *sh))                                    \
	X(curl_slist_append, struct curl_slist *, (struct curl_slist *l, const char *s))   \
	X(curl_slist_free_all, void, (struct curl_slist *l))                               \
	X(curl_url, CURLU *, (void))                                                       \
	X(curl_url_set, CURLUcode, (CURLU *u, CURLUPart what, const char *part,            \
				    unsigned int flags))                                   \
	X(curl_url_get, CURLUcode, (CURLU *u, CURLUPart what, char **part,                 \
				    unsigned int flags))                                   \
	X(curl_url_cleanup, void, (CURLU *u))                                              \
	X(curl_free, void, (void *p))

static struct {
#define FIELD(name, ret, params) ret (*name) params;
	CURL_FUNCTIONS(FIELD)
#undef FIELD
} fn;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static bool loaded;

static void load(void)
{
	void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		tf_log(TF_LOG_ERROR, "cannot load libcurl", "error", dlerror(), NULL);
		return;
	}
#define LOOKUP(name, ret, params)                                                          \
	if (!(*(void **)&fn.name = dlsym(lib, #name))) {                                   \
		tf_log(TF_LOG_ERROR, "libcurl lacks a function", "function", #name, NULL); \
		return;                                                                    \
	}
	CURL_FUNCTIONS(LOOKUP)
#undef LOOKUP
	loaded = true;
}

/* True once every function is there; loads the library on the first call. */
static bool have_curl(void)
{
	pthread_once(&load_once, load);
	return loaded;
}

/*
 * The variadic setters take one argument whose type the option's number
 * range gives (curl.h's CURLOPTTYPE_* bases, also used by the share and
 * info options): long, curl_off_t, or a pointer.
 */
CURLcode curl_easy_setopt(CURL *h, CURLoption option, ...)
{
	va_list ap;
	CURLcode rc;
	if (!h)
		return CURLE_BAD_FUNCTION_ARGUMENT;
	va_start(ap, option);
	if (option < CURLOPTTYPE_OBJECTPOINT)
		rc = fn.curl_easy_setopt(h, option, va_arg(ap, long));
	else if (option >= CURLOPTTYPE_OFF_T && option < CURLOPTTYPE_BLOB)
		rc = fn.curl_easy_setopt(h, option, va_arg(ap, curl_off_t));
	else
		rc = fn.curl_easy_setopt(h, option, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
	/* every CURLINFO_* takes a pointer to where the answer goes */
	va_list ap;
	if (!h)
		return CURLE_BAD_FUNCTION_ARGUMENT;
	va_start(ap, info);
	CURLcode rc = fn.curl_easy_getinfo(h, info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLSHcode curl_share_setopt(CURLSH *sh, CURLSHoption option, ...)
{
	/* CURLSHOPT_SHARE and _UNSHARE take a curl_lock_data (an int), the
	 * others a function or user pointer */
	va_list ap;
	CURLSHcode rc;
	if (!sh)
		return CURLSHE_INVALID;
	va_start(ap, option);
	if (option == CURLSHOPT_SHARE || option == CURLSHOPT_UNSHARE)
		rc = fn.curl_share_setopt(sh, option, va_arg(ap, int));
	else
		rc = fn.curl_share_setopt(sh, option, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

/* The constructors load the library; everything else does something only
 * with an object one of them made, and takes NULL as libcurl does. */

CURLcode curl_global_init(long flags)
{
	return have_curl() ? fn.curl_global_init(flags) : CURLE_FAILED_INIT;
}

CURL *curl_easy_init(void) { return have_curl() ? fn.curl_easy_init() : NULL; }
CURLSH *curl_share_init(void) { return have_curl() ? fn.curl_share_init() : NULL; }
CURLU *curl_url(void) { return have_curl() ? fn.curl_url() : NULL; }

struct curl_slist *curl_slist_append(struct curl_slist *l, const char *s)
{
	return have_curl() ? fn.curl_slist_append(l, s) : NULL;
}

CURLcode curl_easy_perform(CURL *h)
{
	return h ? fn.curl_easy_perform(h) : CURLE_BAD_FUNCTION_ARGUMENT;
}

void curl_easy_cleanup(CURL *h)
{
	if (h)
		fn.curl_easy_cleanup(h);
}

CURLSHcode curl_share_cleanup(CURLSH *sh)
{
	return sh ? fn.curl_share_cleanup(sh) : CURLSHE_INVALID;
}

const char *curl_easy_strerror(CURLcode rc)
{
	return have_curl() ? fn.curl_easy_strerror(rc) : "libcurl could not be loaded";
}

void curl_slist_free_all(struct curl_slist *l)
{
	if (l)
		fn.curl_slist_free_all(l);
}

CURLUcode curl_url_set(CURLU *u, CURLUPart what, const char *part, unsigned int flags)
{
	return u ? fn.curl_url_set(u, what, part, flags) : CURLUE_BAD_HANDLE;
}

CURLUcode curl_url_get(CURLU *u, CURLUPart what, char **part, unsigned int flags)
{
	return u ? fn.curl_url_get(u, what, part, flags) : CURLUE_BAD_HANDLE;
}

void curl_url_cleanup(CURLU *u)
{
	if (u)
		fn.curl_url_cleanup(u);
}

void curl_free(void *p)
{
	if (p)
		fn.curl_free(p);
}

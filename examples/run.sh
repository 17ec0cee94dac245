#!/usr/bin/env bash
# `make demo`: examples/iot-device end to end on this machine, with OpenTofu and then Terraform.
#
# The providers built from this tree go into a private filesystem mirror.  moto plays AWS IoT and
# STS, and a local HTTPS server serves a test root CA where the example would fetch Amazon Root CA 1
# (examples/local_aws.py).  For each CLI, in a directory of its own: init, apply, the outputs (not
# the private key), a check with boto3 of what AWS IoT holds, one MQTT message published as the
# device through a local mosquitto broker (mutual TLS), a second plan that must show no changes,
# destroy, and a check that moto holds nothing any more.
#
# Needs: `make deps` (OpenTofu, Terraform, the Python venv) and the Debian packages mosquitto and
# mosquitto-clients.  Runs without a terminal; leaves nothing running, even when it fails or is
# interrupted.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
example=$repo/examples/iot-device
CACHE=${THINGFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/thingform}
py=$CACHE/venv/bin/python
helper=$repo/examples/local_aws.py

umask 077
work=$(mktemp -d "${TMPDIR:-/tmp}/thingform-demo.XXXXXX")
stand_ins=
t0=$(date +%s%N)

cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	if [[ -n $stand_ins ]]; then
		# Its process group (it makes one at start-up), or itself if it has not made it yet.
		kill -TERM -- "-$stand_ins" 2>/dev/null || kill -TERM "$stand_ins" 2>/dev/null || true
		wait "$stand_ins" 2>/dev/null || true
	fi
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# One line per step: the time since the start, then what the step does.
step() {
	local tenths=$((($(date +%s%N) - t0) / 100000000))
	printf '[%4d.%ds] %s\n' $((tenths / 10)) $((tenths % 10)) "$*"
}

fail() {
	echo "demo: $*" >&2
	exit 1
}

# run LOG COMMAND...: the command's output goes to $work/LOG.log, and is shown if it fails.
run() {
	local log=$work/$1.log
	shift
	if ! "$@" </dev/null >"$log" 2>&1; then
		tail -n 60 "$log" >&2
		fail "failed: $*"
	fi
}

indent() { sed 's/^/  /'; }

for tool in "$CACHE/bin/tofu" "$CACHE/bin/terraform" "$py"; do
	[[ -x $tool ]] || fail "$tool is missing: run \`make deps\` (tests/tools/install.sh)"
done
for tool in mosquitto_pub mosquitto_sub; do
	command -v "$tool" >/dev/null || fail "$tool is missing: apt-get install mosquitto mosquitto-clients"
done

# Only what this script sets may steer the CLIs and the aws provider: no AWS_* or TF_* variable,
# shared AWS config or credentials file, or instance metadata from this machine.
while read -r name; do
	unset "$name"
done < <(compgen -e | grep -E '^(AWS_|TF_|TOFU_)' || true)
export AWS_CONFIG_FILE=$work/no-aws-config AWS_SHARED_CREDENTIALS_FILE=$work/no-aws-credentials \
	AWS_EC2_METADATA_DISABLED=true

step "install the providers into a private filesystem mirror"
run install make -s -C "$repo" install PLUGIN_DIR="$work/mirror"
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

step "start moto (AWS IoT and STS) and an HTTPS server with a test root CA, on loopback"
mkdir "$work/stand-ins"
"$py" "$helper" serve "$work/stand-ins" </dev/null >"$work/stand-ins.log" 2>&1 &
stand_ins=$!
for _ in $(seq 600); do
	[[ -f $work/stand-ins/env ]] && break
	kill -0 "$stand_ins" 2>/dev/null || { cat "$work/stand-ins.log" >&2; fail "the local stand-ins did not start"; }
	sleep 0.1
done
[[ -f $work/stand-ins/env ]] || fail "the local stand-ins did not start within 60 s"
# shellcheck source=/dev/null
source "$work/stand-ins/env"
echo "  AWS IoT and STS: $MOTO_URL (moto); root CA: $TF_VAR_root_ca_url"
# Credentials, region and the example's variables (iot_endpoint, sts_endpoint, root_ca_url,
# root_ca_url_trust_pem) now point at the stand-ins; against real AWS none of them is set.

for cli in tofu terraform; do
	exe=$CACHE/bin/$cli
	dir=$work/$cli
	mkdir "$dir"
	cp "$example"/*.tf "$dir/"
	tf() { "$exe" -chdir="$dir" "$@" </dev/null; }

	step "$cli: init ($(tf version | head -n 1))"
	run "$cli-init" tf init -input=false -no-color

	step "$cli: apply"
	run "$cli-apply" tf apply -input=false -no-color -auto-approve
	grep -E '^Apply complete' "$work/$cli-apply.log" | indent

	step "$cli: the outputs (private_key_pem is withheld)"
	tf output -no-color | indent
	tf output -json >"$dir/outputs.json"

	step "$cli: check out of band (boto3) what AWS IoT holds"
	"$py" "$helper" check "$MOTO_URL" "$dir/outputs.json" </dev/null

	step "$cli: connect as the device: MQTT over mutual TLS to a local mosquitto broker"
	"$py" "$helper" mqtt "$dir/mqtt" "$work/stand-ins" "$dir/outputs.json" </dev/null
	echo "  (this broker stands in for the AWS IoT data endpoint: it proves that the key, certificate and"
	echo "  CA work for mutual TLS; it does not enforce the IoT policy)"

	step "$cli: plan again"
	set +e
	tf plan -input=false -no-color -detailed-exitcode >"$work/$cli-plan.log" 2>&1
	rc=$?
	set -e
	if [[ $rc -ne 0 ]]; then
		cat "$work/$cli-plan.log" >&2
		fail "$cli: the second plan is not empty (exit $rc)"
	fi
	grep -E '^No changes' "$work/$cli-plan.log" | indent

	step "$cli: destroy"
	run "$cli-destroy" tf destroy -input=false -no-color -auto-approve
	grep -E '^Destroy complete' "$work/$cli-destroy.log" | indent

	step "$cli: moto holds nothing any more"
	"$py" "$helper" empty "$MOTO_URL" </dev/null
done

step "done: both CLIs provisioned the device, connected as it, and cleaned up"

#!/usr/bin/env bash
# Peak resident memory of a provider while a CLI applies and destroys a
# configuration, side by side for several providers.
#
#   bench/rss.sh CLI CONFIG.tf NAME=SOURCE=BINARY [NAME=SOURCE=BINARY ...]
#
# Each provider binary is put behind a dev_overrides wrapper that runs it
# under /usr/bin/time; every process the CLI starts (schema load, plan,
# apply, destroy) is measured and the largest peak is reported, with the
# wall time of the apply.  In CONFIG.tf the word PROVIDER_SOURCE is replaced
# by each SOURCE, so one configuration serves every provider.
set -euo pipefail

cli=$1 config=$2
shift 2
first=
for spec in "$@"; do
	IFS== read -r name source binary <<<"$spec"
	work=$(mktemp -d)
	mkdir -p "$work/bin" "$work/run"
	exe=$work/bin/terraform-provider-${source##*/}
	cat >"$exe" <<WRAP
#!/bin/sh
exec /usr/bin/time -a -o "$work/rss.txt" -f %M "$binary" "\$@"
WRAP
	chmod +x "$exe"
	cat >"$work/cli.tfrc" <<TFRC
provider_installation {
  dev_overrides { "$source" = "$work/bin" }
  direct {}
}
TFRC
	sed "s|PROVIDER_SOURCE|$source|" "$config" >"$work/run/main.tf"
	export TF_CLI_CONFIG_FILE=$work/cli.tfrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
	start=$(date +%s%N)
	"$cli" -chdir="$work/run" apply -auto-approve -input=false -no-color >"$work/apply.log" 2>&1 ||
		{ cat "$work/apply.log"; exit 1; }
	ms=$((($(date +%s%N) - start) / 1000000))
	"$cli" -chdir="$work/run" destroy -auto-approve -input=false -no-color >/dev/null 2>&1
	peak=$(sort -n "$work/rss.txt" | tail -n 1)
	runs=$(wc -l <"$work/rss.txt")
	first=${first:-$peak}
	awk -v n="$name" -v p="$peak" -v f="$first" -v r="$runs" -v ms="$ms" 'BEGIN {
		printf "  %-24s peak RSS %7.1f MiB over %d processes   apply %5d ms   x%.1f of the first\n",
			n, p / 1024, r, ms, p / f }'
	rm -rf "$work"
done

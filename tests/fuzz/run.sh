#!/bin/sh
# Run one libFuzzer target for a while and say how many inputs it ran.
#
#   tests/fuzz/run.sh FUZZER SECONDS WORKDIR SEEDDIR
#
# New inputs go to WORKDIR; SEEDDIR (the checked-in corpus) is only read.
# Extra options for target NAME_fuzz are in tests/fuzz/NAME.options, one
# line. A crash leaves its input in tests/fuzz/build/artifacts/ and fails.
set -eu
fuzzer=$1 secs=$2 work=$3 seeds=$4
name=$(basename "$fuzzer" _fuzz)
here=$(dirname "$0")
opts=
[ -f "$here/$name.options" ] && opts=$(cat "$here/$name.options")
art=$here/build/artifacts
mkdir -p "$art"
log=$here/build/$name.log
rc=0
# shellcheck disable=SC2086
"$fuzzer" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
	-artifact_prefix="$art/${name}-" $opts "$work" "$seeds" >"$log" 2>&1 ||
	rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
echo "fuzz $name: ${execs:-?} executions in $secs s, $cov, seeds $(ls "$seeds" | wc -l)"
if [ "$rc" != 0 ]; then
	tail -n 40 "$log" >&2
	echo "fuzz $name: FAILED (exit $rc), see $log" >&2
	exit 1
fi

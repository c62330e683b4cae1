#!/bin/bash
# The parent's command line, on the host: config test mode, the refusal of
# a config others can write, status of a stopped daemon, usage errors.
# Nothing here starts the children.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
lvsd=$top/parent/lvsd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else
		failed=$((failed + 1)); echo "not ok $n - $2"; fi
}
# run CMD...: $out (stdout and stderr) and $rc of CMD
run() { out=$("$@" 2>&1); rc=$?; }
is() { [ "$1" = "$2" ]; result $? "$3" || printf '#   got: %s\n#   expected: %s\n' "$1" "$2"; }
like() { [[ $1 == *"$2"* ]]; result $? "$3" || printf '#   got: %s\n#   expected to contain: %s\n' "$1" "$2"; }

good=$tmp/good.cf
printf 'checkinterval=1\n\nvirtual=127.0.0.100:80\n\treal=127.0.0.2:80 masq\n\tservice=http\n' >"$good"
chmod 0644 "$good"

run "$lvsd" -t -f "$good"
is "$rc" 0 "-t: a good config exits 0"
like "$out" "configuration OK" "-t: says so"

bad=$tmp/bad.cf
printf 'checkinterval=abc5\n\nvirtual=127.0.0.100:80\n\treal=127.0.0.2:80 nat\n' >"$bad"
run "$lvsd" -t -f "$bad"
is "$rc" 1 "-t: a bad config exits 1"
like "$out" "bad.cf:1:" "-t: the first error names file and line"
like "$out" "bad.cf:4:" "-t: and the second error too: every error is reported"
like "$out" "'nat'" "-t: quoting the offending text"

run "$lvsd" -t -f "$tmp/missing.cf"
is "$rc" 1 "-t: a missing file exits 1"

chmod 0664 "$good"
run "$lvsd" -d -u nobody -f "$good"
is "$rc" 1 "start: a group-writable config is refused"
like "$out" "writable by group or others" "start: and says why"
chmod 0646 "$good"
run "$lvsd" -d -u nobody -f "$good"
is "$rc" 1 "start: a world-writable config is refused"
chmod 0644 "$good"

run "$lvsd" -d -u no-such-user-here -f "$good"
is "$rc" 1 "start: an unknown user is refused"
like "$out" "user no-such-user-here does not exist" "start: and says which"

run "$lvsd" -f "$tmp/not-running.cf" status
is "$rc" 3 "status of a stopped lvsd exits 3 (LSB)"
like "$out" "stopped" "status says stopped"

run "$lvsd" -f "$tmp/not-running.cf" stop
is "$rc" 0 "stop of a stopped lvsd exits 0 (LSB)"

run "$lvsd" -f "$good" frobnicate extra
is "$rc" 1 "an unknown command is a usage error"
like "$out" "usage:" "and prints the usage"

echo "1..$n"
[ "$failed" = 0 ]

#!/bin/bash
# lvsd -t and -tt on the host: every error as FILE:LINE:COLUMN with the
# offending text, exit 0 or 1; -tt prints a config that lvsd -tt prints
# again the same; what lvsd parses but cannot run yet passes -t with a
# warning and keeps lvsd from starting.  Nothing here starts a daemon:
# every config given to lvsd without -t is one it refuses.
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
is() { [ "$1" = "$2" ]; result $? "$3" || printf '#   got: %s\n#   expected: %s\n' "$1" "$2"; }
like() { [[ $1 == *"$2"* ]]; result $? "$3" || printf '#   got: %s\n#   expected to contain: %s\n' "$1" "$2"; }

cf=$tmp/t.cf
printf '%s\n' 'checkinterval=abc5' 'quiescent=maybe' \
	'virtual=192.0.2.1' '	real=10.0.0.1:80 nat' 'emailalerts=a@b' \
	'virtual_server 10.0.0.1 80 {' >"$cf"
err=$("$lvsd" -t -f "$cf" 2>&1 >/dev/null); rc=$?
is "$rc" 1 "-t: errors exit 1"
is "$(printf '%s\n' "$err" | grep -c ': error: ')" 6 "-t: all six errors"
like "$err" "$cf:1:15: error: checkinterval must be a whole number from 1 to 86400, not 'abc5'" "abc5 at line 1 column 15"
like "$err" "$cf:2:11: error: quiescent must be yes or no, not 'maybe'" "maybe"
like "$err" "$cf:3:9: error: missing port in '192.0.2.1'" "forgotten port"
like "$err" "$cf:4:19: error: unknown forwarding method 'nat'" "nat"
like "$err" "$cf:5:1: error: unknown directive 'emailalerts'; did you mean 'emailalert'?" "did you mean"
like "$err" "$cf:6:1: error: unknown directive 'virtual_server': that is a keyword of keepalived.conf" "keepalived"

printf '%s\n' 'fallback=127.0.0.1:80' 'virtual=127.0.0.100:80' \
	'	real=127.0.0.2->127.0.0.4:80 masq 2' '	request="health"' \
	'	receive="OK"' 'virtual=127.0.0.100:1521' '	real=127.0.0.2:1521 masq' \
	'	emailalert=root' >"$cf"
out=$("$lvsd" -tt -f "$cf" 2>"$tmp/err"); rc=$?
is "$rc" 0 "-tt: a good config exits 0"
like "$(cat "$tmp/err")" "$cf:6: warning: service oracle is not implemented yet; lvsd will not start with it" "-t: what lvsd cannot run yet is a warning"
is "$(grep -c emailalert "$tmp/err")" 0 "emailalert is not refused: it is in force"
like "$(cat "$tmp/err")" "configuration OK" "-t: OK on stderr"
like "$out" "	real=127.0.0.4:80 masq 2" "-tt: the range is written out"
like "$out" "	failurecount=1" "-tt: defaults are explicit"
like "$out" "	fallback=127.0.0.1:80 gate" "-tt: the global fallback in the block"
printf '%s\n' "$out" >"$tmp/canon.cf"
again=$("$lvsd" -tt -f "$tmp/canon.cf" 2>/dev/null); rc=$?
is "$rc" 0 "-tt output passes -t"
is "$again" "$out" "-tt of the -tt output is the same text"

err=$("$lvsd" -f "$cf" 2>&1); rc=$?
is "$rc" 1 "without -t lvsd refuses to start"
like "$err" "$cf:6: error: service oracle is not implemented yet; lvsd cannot start with it (lvsd -t accepts it)" "and names file, line and what"
is "$(printf '%s\n' "$err" | grep -c 'not implemented yet')" 1 "every such line"

printf '%s\n' 'callback="/bin/true"' 'readdquiescent=yes' 'virtual=127.0.0.100:80' \
	'	real=127.0.0.2:80 masq' '	monitorfile=/var/log/m' '	schedflags=sh-port' '	scheduler=sh' >"$cf"
err=$("$lvsd" -t -f "$cf" 2>&1); rc=$?
is "$rc" 0 "-t: callback, readdquiescent, monitorfile, schedflags are taken"
[[ $err != *"not implemented"* && $err != *warning* ]]; result $? "  without a warning"
[ ! -e /var/log/m ]; result $? "  and -t creates no monitorfile"

printf '%s\n' 'virtual=127.0.0.100:80' '	real=127.0.0.2:80 masq' \
	'	receive="a++"' >"$cf"
err=$("$lvsd" -t -f "$cf" 2>&1); rc=$?
is "$rc" 1 "-t: what the checker would refuse fails the test too"
like "$err" "$cf:2: error: the check of this real server cannot run: receive 'a++' has two repetitions in a row" "  with the real's line"

printf '%s\n' 'callback="/etc/ha.d/reloaded --quiet"' \
	'fallbackcommand="/usr/local/sbin/sorry-page"' 'virtual=127.0.0.100:80' \
	'	real=127.0.0.2:80 masq' '	fallbackcommand=/bin/logger -t lvsd' >"$cf"
err=$("$lvsd" -t -f "$cf" 2>&1); rc=$?
is "$rc" 0 "-t accepts fallbackcommand and callback"
[[ $err != *warning* && $err != *error* ]]; result $? "  without a warning"

printf '%s\n' 'virtual=127.0.0.100:80' '	real=127.0.0.2:80 masq' \
	"	fallbackcommand=/bin/$(printf '%01015d' 0)" >"$cf"
err=$("$lvsd" -t -f "$cf" 2>&1); rc=$?
is "$rc" 1 "-t refuses a fallbackcommand too long for lvsd-exec"
like "$err" "$cf:3: error: fallbackcommand must be at most 1015 printable characters" "  with its line"

echo "1..$n"
[ "$failed" -eq 0 ]

#!/bin/bash
# A compromised checker, seen from the parent: tests/integration/
# fake-checker takes lvsd-checker's place in the libexec directory, so
# the parent starts it on the checker's channel and restarts it after
# each drop.  What it must take, neutralized, without dropping it (a
# stale RESULT, a "down" with control characters in its reason, forged
# LOG lines), a flood of valid RESULTs, then one malformed message per
# incarnation (wrong lengths, a bad state, an unterminated reason, a
# newer generation, an undeclared real, a LOG without NUL, a passed
# descriptor, a type the checker may not send).  Through all of it lvsd
# stays up and answers, and the IPVS table does not move: a RESULT is
# for status and hooks, only a STATE to ipvsd changes the table.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
fake_bin=$LVSD_TOP/tests/integration/fake-checker
[ -x "$fake_bin" ] || bail_out "build first: make"
plan 33
ipvs_clean

vip=127.0.0.148:80
fake=$TEST_TMP/fake
mkdir "$fake"
drops="short state unterminated newgen unknown logshort logunterminated fd type"
printf '%s\n' benign wait flood wait $drops >"$fake/cases"
rm -f "$TEST_TMP/libexec/lvsd-checker"
printf '#!/bin/sh\nexec %s %s "$@"\n' "$fake_bin" "$fake" \
	>"$TEST_TMP/libexec/lvsd-checker"
chmod 0755 "$TEST_TMP/libexec/lvsd-checker"

lvsd_conf "checkinterval=1
checktimeout=2
quiescent=yes

virtual=$vip
	real=127.0.0.48:80 masq 2
	real=127.0.0.49:80 masq 3
	service=http"
lvsd=$LVSD_TOP/parent/lvsd
lvsd_start

logged() { lvsd_log | grep -qE -- "$1"; }
logged_count() { lvsd_log | grep -cE -- "$1"; }
show() { "$lvsd" -f "$LVSD_CF" show; }
go() { touch "$fake/go"; }

ok "the fake checker has sent its benign forgeries" \
	wait_for 120 logged 'fake-checker: benign done' ||
	bail_out "lvsd or the fake did not start: $(lvsd_log)"
table=$(ipvs_table)
like "$table" "TCP $vip wrr" "ipvsd made the table" ||
	bail_out "no table: $(lvsd_log)"

# ---- taken, neutralized ----------------------------------------------------

out=$(show)
like "$out" '127.0.0.48:80 +down .* failed in 1 ms \(forged\?reason\?\[2J\?\?lvsd: FORGED \?quoted\? back\?slash\)' \
	"a forged reason is shown, each control character, quote and backslash a '?'"
nok "a RESULT of generation 0 (stale) was dropped quietly" \
	eval 'show | grep -q stale'
like "$(echo "$out" | grep 127.0.0.49:80)" 'none yet' \
	"the other real has no result"
is "$(logged_count 'fake-checker: forged line follows\?lvsd: FORGED\?\?\[2K\?\?\?\? end')" 1 \
	"a forged LOG line: each control character and high byte a '?'"
nok "no forged line of its own" eval 'lvsd_log | grep -q "^lvsd: FORGED"'
nok "no control character or high byte in lvsd's log" \
	eval "LC_ALL=C grep -q \$'[\\x01-\\x09\\x0b-\\x1f\\x7f-\\xff]' \"\$lvsd_logfile\""
ok "the longest LOG text arrives whole" \
	logged 'fake-checker: long L{1004}$'
nok "nothing was dropped" logged 'dropping checker'
is "$(ipvs_table)" "$table" "the table did not move"

# ---- a flood of valid RESULTs --------------------------------------------------

start=$(_t_now_us)
go
ok "30000 RESULTs taken" wait_for 600 logged 'fake-checker: flood done'
note "the flood took $((($(_t_now_us) - start) / 1000)) ms"
out=$(show)
is "$?" 0 "lvsd answers after the flood"
like "$(echo "$out" | grep 127.0.0.48:80)" ' up .*ok in 1 ms \(fake-checker: flood\)' \
	"the last RESULT of the flood counts (real 0 up)"
like "$(echo "$out" | grep 127.0.0.49:80)" ' up .*ok in 1 ms \(fake-checker: flood\)' \
	"(real 1 up)"
nok "still nothing dropped" logged 'dropping checker'
is "$(ipvs_table)" "$table" "the table did not move"

# ---- one malformed message per incarnation ------------------------------------

go
ok "the fake has sent its last forgery" \
	wait_for 300 grep -q 'case type' "$fake/log"
ok "and lvsd has dropped it for that too" \
	wait_for 120 logged 'dropping checker: message type not allowed here \(type [0-9]+ STATE'
ok "a RESULT one byte short" \
	logged 'dropping checker: wrong payload length \(type [0-9]+ RESULT, 147 bytes\)'
is "$(logged_count 'dropping checker: malformed RESULT')" 3 \
	"a bad state, an unterminated reason, a newer generation: malformed RESULT"
ok "a RESULT for a real never declared" \
	logged 'dropping checker: RESULT for real 2 of 2'
ok "a LOG one byte short" \
	logged 'dropping checker: wrong payload length \(type [0-9]+ LOG'
ok "a LOG without NUL" logged 'dropping checker: malformed LOG'
ok "a RESULT with a descriptor" \
	logged 'dropping checker: descriptor where none belongs'
is "$(logged_count 'dropping checker')" 9 "nine forgeries, nine drops"
nok "no message after a forgery was read" \
	logged 'fake-checker: [a-z]+ sent'
ok "the passed descriptor was closed" \
	eval '! ls -l /proc/$lvsd_pid/fd | grep -q "$fake/passed"'
ok "the checker was restarted after the last drop" \
	wait_for 120 logged 'restarting checker \(restart 9\)'
ok "lvsd is up" kill -0 "$lvsd_pid"
ok "and answers" eval 'show | grep -q "TCP $vip"'
is "$(ipvs_table)" "$table" "the table never moved"
[ "$_t_failed" = 0 ] || diag "lvsd's log:" "$(lvsd_log | tail -n 60)" \
	"the fake's cases:" "$(cat "$fake/log")"
ok "lvsd stops" "$lvsd" -f "$LVSD_CF" stop

#!/bin/bash
# fallbackcommand and callback with the whole of lvsd against the real
# ip_vs module.  External checks (41-lvsd-external.t) make the reals
# fail and pass on demand.  When every real of a virtual is down, its
# fallbackcommand runs with "start VIP:PORT tcp", as the unprivileged
# user of lvsd-exec; when one comes back, with "stop".  A command that
# fails is logged with its exit status.  A reload of a changed file runs
# the callback with the config's path; a reload of the same file does
# not.  lvsd -t accepts both.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
plan 16
ipvs_clean

chmod 0711 "$TEST_TMP"
bin=$TEST_TMP/bin
flags=$TEST_TMP/flags
mkdir -m 0755 "$bin" "$flags"
chmod 0777 "$flags"
uid=$(id -u nobody)
# the check: down while a flag exists
printf '%s\n' '#!/bin/sh' "[ ! -e \"$flags/down.\$3\" ]" >"$bin/check.sh"
# fallbackcommand and callback: their arguments and uid, one line a run
printf '%s\n' '#!/bin/sh' "echo \"\$* \$(id -u)\" >>\"$flags/fallback\"" \
	>"$bin/fallback.sh"
printf '%s\n' '#!/bin/sh' "echo \"\$* \$(id -u)\" >>\"$flags/failing\"" \
	'exit 3' >"$bin/failing.sh"
printf '%s\n' '#!/bin/sh' "echo \"\$* \$(id -u)\" >>\"$flags/callback\"" \
	>"$bin/callback.sh"
chmod 0755 "$bin"/*.sh

vip=127.0.0.151:80
vip2=127.0.0.152:80
touch "$flags/down.127.0.0.53"
lvsd_conf "checkinterval=1
checktimeout=20
quiescent=no
callback=\"$bin/callback.sh\"
fallbackcommand=\"$bin/fallback.sh\"

virtual=$vip
	real=127.0.0.51:80 masq 2
	real=127.0.0.52:80 masq 3
	checktype=external
	checkcommand=$bin/check.sh

virtual=$vip2
	real=127.0.0.53:80 masq 1
	checktype=external
	checkcommand=$bin/check.sh
	fallbackcommand=$bin/failing.sh"

ok "lvsd -t accepts fallbackcommand and callback" \
	"$LVSD_TOP/parent/lvsd" -t -f "$LVSD_CF"
lvsd_start
ok "the reals of the first virtual come up" \
	wait_for 60 eval 'weight_is $vip 127.0.0.51:80 2 &&
	    weight_is $vip 127.0.0.52:80 3'
ok "a virtual with no real up runs its own fallbackcommand with start" \
	wait_for 60 test -s "$flags/failing"
is "$(cat "$flags/failing")" "start $vip2 tcp $uid" \
	"  with ldirectord's arguments, as the unprivileged user"
ok "a fallbackcommand that fails is logged with its exit status" \
	wait_for 30 grep -q "fallbackcommand start of $vip2 tcp: exited with status 3" \
	"$lvsd_logfile"
nok "nothing runs for a virtual whose reals are up" test -e "$flags/fallback"

touch "$flags/down.127.0.0.51"
ok "one real fails" wait_for 60 weight_is $vip 127.0.0.51:80 absent
touch "$flags/down.127.0.0.52"
ok "the last real fails: fallbackcommand start" \
	wait_for 60 test -s "$flags/fallback"
is "$(cat "$flags/fallback")" "start $vip tcp $uid" "  its arguments and uid"
rm "$flags/down.127.0.0.52"
ok "one comes back: fallbackcommand stop" \
	wait_for 60 eval '[ "$(wc -l <"$flags/fallback")" -ge 2 ]'
is "$(sed -n 2p "$flags/fallback")" "stop $vip tcp $uid" "  its arguments"

printf '%s\n' '# changed' >>"$LVSD_CF"
ok "lvsd reload of a changed file" \
	"$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" reload
ok "runs the callback" wait_for 60 test -s "$flags/callback"
is "$(cat "$flags/callback")" "$LVSD_CF $uid" "  with the config's path"
"$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" reload >/dev/null 2>&1
is "$(grep -c 'running callback' "$lvsd_logfile")" 1 \
	"a reload of the same file does not run it"

nok "no child was killed by its sandbox" grep -q SIGSYS "$lvsd_logfile"
"$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" stop >/dev/null 2>&1
wait_for 30 eval '! kill -0 "$lvsd_pid" 2>/dev/null'

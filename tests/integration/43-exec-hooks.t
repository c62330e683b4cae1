#!/bin/bash
# lvsd-exec's half of fallbackcommand and callback, driven by
# checker-driver playing its parent: a hook runs through /bin/sh as the
# unprivileged user with its arguments as words the shell does not parse
# again; a stop asked for while its start runs waits for it; one that
# hangs, with a child, is ended at its timeout and logged; an EXEC_FIRE
# with a forged index makes lvsd-exec drop its parent and exit.  Needs
# root but no IPVS.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

execd=$top/exec/lvsd-exec
[ -x "$checker" ] && [ -x "$execd" ] && [ -x "$driver" ] ||
	plan skip_all "run make first"
[ -n "$TEST_TMP" ] && [ -d "$TEST_TMP" ] || bail_out "no TEST_TMP"

plan 16

gone() { ! kill -0 "$1" 2>/dev/null; }

chmod 0711 "$TEST_TMP"
bin=$TEST_TMP/bin
rec=$TEST_TMP/rec
mkdir -m 0755 "$bin"
mkdir -m 0777 "$rec"
# one line per run: its arguments, one per field, and its uid
printf '%s\n' '#!/bin/sh' \
	"for a; do printf '<%s>' \"\$a\"; done >>\"$rec/args\"" \
	"echo \" \$(id -u)\" >>\"$rec/args\"" >"$bin/rec.sh"
# slow: records a line when it starts and when it ends
printf '%s\n' '#!/bin/sh' "echo \"begin \$1\" >>\"$rec/slow\"" 'sleep 2' \
	"echo \"end \$1\" >>\"$rec/slow\"" >"$bin/slow.sh"
# hangs, ignores SIGTERM, with a child that does too
printf '%s\n' '#!/bin/sh' "trap '' TERM" "(exec sleep 300) &" \
	"echo \$! >>\"$rec/pids\"" "echo \$\$ >>\"$rec/pids\"" \
	'while :; do sleep 1; done' >"$bin/hang.sh"
chmod 0755 "$bin"/*.sh

checker_driver_start
ok "the checker says it is ready" wait_for 10 has ready
send "exec $execd -u 65534:65534 -v"
ok "lvsd-exec says it is ready" wait_for 10 has "exec ready"
execpid=$(sed -n 's/^exec pid //p' "$out")

# hooks 0-2 are fallbackcommands of three virtuals, 3 the callback; the
# callback's line and argument carry what a shell would act on
t=30000
send "hook 0 fallback 192.0.2.10 80 tcp $t $bin/rec.sh" \
	"hook 1 fallback 2001:db8::10 53 udp $t $bin/slow.sh" \
	"hook 2 fallback fwm:7 0 fwm 2000 $bin/hang.sh" \
	"hook 3 callback $t /etc/a+b;touch+$rec/injected $bin/rec.sh cb" \
	"execconf 1 0 3"
send "fire 1 0 start"
# rec.sh writes its line in several writes: wait for the whole line
ok "fallbackcommand start runs" \
	wait_for 30 eval 'test -s "$rec/args" && [ "$(wc -l <"$rec/args")" -ge 1 ]'
is "$(sed -n 1p "$rec/args")" "<start><192.0.2.10:80><tcp> 65534" \
	"  through the shell, with ldirectord's arguments, as nobody"
ok "and its end is logged" wait_for 30 \
	has_re "^exec log .*fallbackcommand start of 192.0.2.10:80 tcp: exited with status 0"

send "fire 1 3 run"
ok "the callback runs" wait_for 30 eval '[ "$(wc -l <"$rec/args")" -ge 2 ]'
is "$(sed -n 2p "$rec/args")" "<cb></etc/a b;touch $rec/injected> 65534" \
	"  its line's own words, then the config's path as one word"
nok "  which the shell did not parse" test -e "$rec/injected"

send "fire 1 1 start" "fire 1 1 stop"
ok "a stop asked for while its start runs" \
	wait_for 30 eval '[ "$(wc -l <"$rec/slow")" -ge 4 ]'
is "$(tr '\n' ' ' <"$rec/slow")" "begin start end start begin stop end stop " \
	"  runs after it"
ok "an IPv6 virtual in brackets" wait_for 30 \
	has_re "^exec log .*fallbackcommand stop of \[2001:db8::10\]:53 udp: exited"

send "fire 1 2 start"
ok "a fallbackcommand that hangs is stopped at its timeout" wait_for 30 \
	has_re "^exec log .*fallbackcommand start of 7:0 fwm: timed out after 2000 ms"
ok "  and logged as killed" wait_for 30 \
	has_re "^exec log .*fallbackcommand start of 7:0 fwm: killed at its timeout"
ok "  with what it forked" wait_for 30 eval '
	for p in $(cat "$rec/pids"); do ! kill -0 $p 2>/dev/null || exit 1; done'

send "fire 1 7 start"
ok "a forged index: lvsd-exec drops its parent and exits" \
	wait_for 30 has "exec exit 1"
ok "  and says why" has_re "EXEC_FIRE: hook 7 is not in the table"

send "quit"
wait_for 30 gone "$driver_pid"

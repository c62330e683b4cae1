#!/bin/bash
# checktype external and external-perl: lvsd-checker asks lvsd-exec to
# run a real's command, by the real's id, and lvsd-exec runs it as the
# unprivileged user with ldirectord's four arguments.  A command that
# passes, one that fails, one that hangs (killed at its timeout with
# what it forked), one that does not exist, a perl script, IPv4, IPv6
# and a fwmark; the helper's privileges and its commands' environment;
# forged requests; a helper that dies and comes back.  Needs root but
# no IPVS.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

execd=$top/exec/lvsd-exec
[ -x "$checker" ] && [ -x "$execd" ] && [ -x "$driver" ] ||
	plan skip_all "run make first"
command -v perl >/dev/null || plan skip_all "no perl"
[ -n "$TEST_TMP" ] && [ -d "$TEST_TMP" ] || bail_out "no TEST_TMP"

plan 47

count_re() { grep -cE -- "$1" "$out"; }
count_is() { [ "$(count_re "$1")" = "$2" ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }
all_gone() {
	local p
	for p in $(cat "$rec/hangers" "$rec/sleepers" 2>/dev/null); do
		gone "$p" || return 1
	done
}

# ---- the commands, where user nobody finds them ------------------------------

chmod 0711 "$TEST_TMP"
bin=$TEST_TMP/bin
rec=$TEST_TMP/rec
mkdir -m 0755 "$bin"
mkdir -m 0777 "$rec"
# The commands run again at every check: each writes what it records
# to a file of its own and renames it into place, so that the test never
# reads one a later run has just truncated.
printf '%s\n' '#!/bin/sh' \
	"echo \"\$@\" >\"$rec/.args.\$\$\"" \
	"mv \"$rec/.args.\$\$\" \"$rec/args.\$3.\$4\"" \
	'exit 0' >"$bin/ok.sh"
printf '%s\n' '#!/bin/sh' 'exit 3' >"$bin/fail.sh"
# A command that hangs and ignores SIGTERM, with a child that does too:
# the group gets SIGTERM at the timeout, SIGKILL a second later.  It
# records its pid, its child's, and, in a directory of its own that
# appears whole (it runs again at every check, and an earlier run may be
# killed before the test looks), its uid, environment, descriptors and
# privileges as its own /proc entry shows them.
printf '%s\n' '#!/bin/sh' \
	"trap '' TERM" \
	"(exec sleep 300) &" \
	"echo \$! >>\"$rec/sleepers\"" \
	"echo \$\$ >>\"$rec/hangers\"" \
	"d=\"$rec/part.\$\$\"" \
	"mkdir \"\$d\"" \
	"id -u >\"\$d/uid\"" \
	"env >\"\$d/env\"" \
	"ls /proc/self/fd >\"\$d/fds\"" \
	"grep -E '^(CapEff|CapPrm|NoNewPrivs):' /proc/\$\$/status >\"\$d/status\"" \
	"mv \"\$d\" \"$rec/run.\$\$\"" \
	'while :; do sleep 1; done' >"$bin/hang.sh"
printf '%s\n' \
	"open(my \$f, '>', \"$rec/.perl.\$\$\") or die;" \
	"print \$f join(' ', @ARGV), \"\\n\";" \
	"close(\$f) or die;" \
	"rename(\"$rec/.perl.\$\$\", \"$rec/perl.\$ARGV[2].\$ARGV[3]\") or die;" \
	"exit(\$ARGV[2] eq '[::1]' ? 0 : 1);" >"$bin/check.pl"
chmod 0755 "$bin/ok.sh" "$bin/fail.sh" "$bin/hang.sh" "$bin/check.pl"

# ---- the checker and lvsd-exec -----------------------------------------------

checker_driver_start
ok "the checker says it is ready" wait_for 10 has ready
send "exec $execd -u 65534:65534 -v"
ok "lvsd-exec says it is ready" wait_for 10 has "exec ready"
execpid=$(sed -n 's/^exec pid //p' "$out")

st() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null; }
caps() { echo "$(st "$1" CapInh)$(st "$1" CapPrm)$(st "$1" CapEff)$(st "$1" CapBnd)$(st "$1" CapAmb)"; }
zero5=00000000000000000000000000000000000000000000000000000000000000000000000000000000
is "$(st "$execpid" Uid)" "65534	65534	65534	65534" "lvsd-exec runs as nobody"
is "$(st "$execpid" Groups | tr -d " ")" "65534" "  in its own group only"
is "$(caps "$execpid")" "$zero5" "  with no capability in any set"
is "$(st "$execpid" NoNewPrivs)" 1 "  no_new_privs"
is "$(tr '\0' ' ' <"/proc/$execpid/environ")" "" "  an empty environment"
is "$(ls "/proc/$execpid/fd" | sort -n | tr '\n' ' ')" "0 1 2 3 4 5 " \
	"  descriptors: stdio, the parent, epoll, signalfd"

b=$bin
# generous: under TCG, with a loaded host, perl takes seconds to start
t=30000
th=15000
# ids: 0 ok, 1 fails, 2 hangs, 3 perl over IPv6 (up), 4 perl (down),
# 5 a command that does not exist, 6 a fwmark service, 7 no command
send "cmd 0 external 192.0.2.10 80 127.0.39.1 8080 $t $b/ok.sh" \
	"cmd 1 external 192.0.2.10 80 127.0.39.2 8080 $t $b/fail.sh" \
	"cmd 2 external 192.0.2.10 80 127.0.39.3 8080 $th $b/hang.sh" \
	"cmd 3 perl 2001:db8::10 443 ::1 8443 $t $b/check.pl" \
	"cmd 4 perl 192.0.2.10 80 127.0.39.4 81 $t $b/check.pl" \
	"cmd 5 external 192.0.2.10 80 127.0.39.5 8080 $t $TEST_TMP/nonexistent" \
	"cmd 6 external fwm:42 0 127.0.39.6 0 $t $b/ok.sh" \
	"execconf 1 8" execpeer
send "check 0 external tcp 127.0.39.1 8080 ctimeout=$t" \
	"check 1 external tcp 127.0.39.2 8080 ctimeout=$t" \
	"check 2 external tcp 127.0.39.3 8080 ctimeout=$th" \
	"check 3 perl tcp ::1 8443 ctimeout=$t" \
	"check 4 perl tcp 127.0.39.4 81 ctimeout=$t" \
	"check 5 external tcp 127.0.39.5 8080 ctimeout=$t" \
	"check 6 external tcp 127.0.39.6 0 ctimeout=$t" \
	"check 7 on tcp 127.0.0.1 1" \
	"conf 1 8" peer

expect 0 up "external: exit status 0" "a command that exits 0: up"
is "$(cat "$rec/args.127.0.39.1.8080" 2>/dev/null)" "192.0.2.10 80 127.0.39.1 8080" \
	"  its arguments: virtual address and port, real address and port"
expect 1 down "external: exit status 3" "a command that exits 3: down"
expect 3 up "external: exit status 0" "an external-perl script that exits 0: up"
is "$(cat "$rec/perl.[::1].8443" 2>/dev/null)" "[2001:db8::10] 443 [::1] 8443" \
	"  IPv6 addresses in brackets, as ldirectord passes them"
expect 4 down "external: exit status 1" "an external-perl script that exits 1: down"
expect 5 down "external: exit status 127 \(not found or not executable\?\)" \
	"a command that does not exist: down"
expect 6 up "external: exit status 0" "a fwmark service: up"
is "$(cat "$rec/args.127.0.39.6.0" 2>/dev/null)" "42 0 127.0.39.6 0" \
	"  its arguments: the mark, port 0, the real"

# the hanging command, while it runs
recorded() { ls -d "$rec"/run.[0-9]* >/dev/null 2>&1; }
ok "the hanging command runs" wait_for 60 recorded
run=$(ls -d "$rec"/run.[0-9]* | head -n 1)
is "$(cat "$run/uid")" 65534 "  as nobody"
is "$(grep -Ev '^(PWD|SHLVL|_)=' "$run/env" | sort | tr '\n' ' ')" \
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin " \
	"  with PATH alone in its environment"
is "$(sort -n "$run/fds" | tr '\n' ' ')" "0 1 2 3 " \
	"  with stdio alone open (3 is ls's own directory)"
is "$(awk '{ printf "%s", $2 }' "$run/status")" \
	"000000000000000000000000000000001" "  no capability, no_new_privs"
hang1=$(head -n 1 "$rec/hangers")
expect 2 down "external: timed out after [0-9]+ ms, killed" \
	"a command that hangs past its timeout: down"
sleeper1=$(head -n 1 "$rec/sleepers")
ok "  it is gone" wait_for 5 gone "$hang1"
ok "  and so is its child, which ignored SIGTERM" wait_for 5 gone "$sleeper1"
ok "  killed after its timeout (15 s), before the checker gave up" \
	has_re "^result 1 2 down down (1[5-9]|[2-9][0-9])[0-9]{6} "

# ---- forged requests: the driver plays the checker --------------------------

send execself "run 7 0 1"
ok "a request of an unknown generation is told so (STALE)" \
	wait_for 10 has "done 7 0 1 5 0 0"
send "run 1 7 2"
ok "a request for an id without a command drops the channel" \
	wait_for 10 has "execself closed"
send execself "run 1 99 3"
ok "  so does an id outside the table" wait_for 10 \
	count_is '^execself closed$' 2
send execself "run 1 0 4 1"
ok "  and a request with padding" wait_for 10 \
	count_is '^execself closed$' 3
send "execping 11"
ok "lvsd-exec still answers its parent" wait_for 10 has "exec pong 11"

# ---- the helper goes away, and comes back -----------------------------------

send execpeer "execterm"
ok "lvsd-exec stops on SIGTERM" wait_for 10 has_re "^exec (exit 0|killed)"
ok "the checker fails a check whose helper went away" wait_for 20 has_re \
	"^result 1 0 down down [0-9]+ external: (the exec helper went away|no exec helper)$"
ok "  and nothing of what it ran is left" wait_for 5 all_gone

send "exec $execd -u 65534:65534 -v"
ok "a new lvsd-exec" wait_for 10 count_is '^exec ready$' 2
send "cmd 0 external 192.0.2.10 80 127.0.39.1 8080 $t $b/ok.sh" \
	"execconf 1 8" execpeer
ok "  and the check is up again" \
	wait_for 30 has_re "^result 1 0 up up [0-9]+ external: exit status 0$"
ok "  a request for an id the new table lacks drops the checker" \
	wait_for 20 has_re "^exec log .*dropping checker: EXEC_RUN for id [1-6],"

nok "no probe was killed by the sandbox" has_re "^killed"
send quit
wait "$driver_pid" 2>/dev/null
ok "nothing of what lvsd-exec ran is left" wait_for 5 all_gone
ok "the checker exited cleanly" has_re "^exit 0$"
# shellcheck disable=SC2154 # lib.sh's count of failures
[ "$_t_failed" = 0 ] || diag "driver output:" "$(cat "$out")"

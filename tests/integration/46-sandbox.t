#!/bin/bash
# A child that attempts a forbidden system call dies of SIGSYS, the parent
# says so and restarts it, and the table never notices. The children here
# are the test copies from tests/hooks/ (the production filter, plus a
# hook that the real executables lack, see tests/unit/linkage.t): SIGUSR1
# makes one exec /bin/sh, SIGUSR2 makes it open a netlink socket. A child
# that survived the attempt would exit with status 99. The hook also logs
# a line full of control characters: the parent must neutralize them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
for c in checker ipvsd; do
	[ -x "$LVSD_TOP/tests/hooks/lvsd-$c" ] || bail_out "build first: make"
done
plan 26
ipvs_clean

vip=127.0.0.130:80
rip=127.0.0.8:80
httpd_start r8 127.0.0.8 80 OK || bail_out "no real server"
# the parent runs the test copies under the children's names
ln -sf "$LVSD_TOP/tests/hooks/lvsd-checker" "$LVSD_TOP/tests/hooks/lvsd-ipvsd" \
	"$TEST_TMP/libexec/"
lvsd_conf "checkinterval=1
checktimeout=2
quiescent=yes

virtual=$vip
	real=$rip masq 4
	service=http
	receive=\"OK\""
lvsd_start
ok "the real server is in with its weight" \
	wait_for 60 weight_is $vip $rip 4
ok "the children carry the test hook" \
	wait_for 60 eval '[ "$(lvsd_log | grep -c "lvsd test hook")" -ge 2 ]'
# the hook's line has a newline, CR, ESC, TAB, BEL, DEL and 0xff in it
is "$(lvsd_log | grep -cF 'a forged line follows?lvsd: FORGED??[2K???? end')" 2 \
	"a child's log line: each control character and high byte becomes '?'"
nok "no child could start a log line of its own" \
	eval 'lvsd_log | grep -q "^lvsd: FORGED"'
nok "no control character or high byte reaches the log" \
	eval "LC_ALL=C grep -q \$'[\\x01-\\x09\\x0b-\\x1f\\x7f-\\xff]' \"\$lvsd_logfile\""

status_field() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
ready_count() { lvsd_log | grep -c "$1 ready"; }

# attempt CHILD SIGNAL WHAT: make CHILD attempt WHAT; it must die of
# SIGSYS, be logged, be restarted, and the table must stay as it was.
attempt() {
	local child=$1 sig=$2 what=$3 old new readies
	old=$(lvsd_child "$child")
	readies=$(ready_count "$child")
	is "$(status_field "$old" Seccomp)" 2 "$child (pid $old) is under its filter"
	kill -"$sig" "$old"
	ok "$child attempting $what dies of SIGSYS, and lvsd says so" \
		wait_for 60 eval 'lvsd_log | grep -q "$child (pid $old) killed by SIGSYS (seccomp: a forbidden system call)"'
	ok "lvsd restarts the $child, which says READY again" \
		wait_for 60 eval 'new=$(lvsd_child "$child") && [ -n "$new" ] &&
		    [ "$new" != "$old" ] && [ "$(ready_count "$child")" -gt "$readies" ]'
	is "$(dest_weight $vip $rip)" 4 "the table did not notice the $child's death"
}
attempt checker USR1 "execve(/bin/sh)"
attempt checker USR2 "socket(AF_NETLINK)"
attempt ipvsd USR1 "execve(/bin/sh)"
attempt ipvsd USR2 "socket(AF_NETLINK)"

nok "no child outlived its attempt (exit status 99)" \
	eval 'lvsd_log | grep -q "exited with status 99"'
is "$(lvsd_log | grep -c 'killed by SIGSYS')" 4 "four attempts, four SIGSYS deaths"

# the restarted pair still does its job end to end
httpd_stop r8
ok "a failed real server still goes to weight 0 (quiescent)" \
	wait_for 60 weight_is $vip $rip 0
httpd_start r8 127.0.0.8 80 OK
ok "and comes back when it answers again" wait_for 60 weight_is $vip $rip 4
ok "lvsd stops" "$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" stop

#!/bin/bash
# The OCF resource agent, dist/ocf/lvsd: ocf-tester (resource-agents)
# passes on it; start returns with the table in place; monitor reports a
# SIGSTOPped lvsd as failed within its bound, a kill -9'ed one as not
# running, and stop copes with both; validate-all and start refuse a bad
# configuration with OCF_ERR_CONFIGURED.  And lvsd is a drop-in for
# ldirectord under Debian's own ldirectord agent (ldirectord=lvsd):
# ocf-tester passes on it too, and it sees a kill -9 as "not running".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
command -v ocf-tester >/dev/null || plan skip_all "no ocf-tester (resource-agents)"
command -v xmllint >/dev/null || plan skip_all "no xmllint (libxml2-utils)"
plan 33
ipvs_clean

AGENT=$LVSD_TOP/dist/ocf/lvsd
LDIR_AGENT=/usr/lib/ocf/resource.d/heartbeat/ldirectord
PIDFILE=/run/lvsd.lvsd.cf.pid
export OCF_ROOT=/usr/lib/ocf
vip=127.0.0.150:80
if ! httpd_start r15 127.0.0.15 80 "OK"; then
	# python is slow to start under TCG on a loaded host: give it longer
	wait_for 120 test -e "$TEST_TMP/httpd-r15/.ready" ||
		bail_out "no real server"
fi
lvsd_conf "checkinterval=1
checktimeout=2
quiescent=no
cleanstop=yes

virtual=$vip
	real=127.0.0.15:80 masq 3
	service=http
	receive=\"OK\""
printf 'checkinterval=banana\nvirtual=%s\n\treal=127.0.0.15:80 masq 1\n' \
	"$vip" >"$TEST_TMP/bad.cf"
on_exit "$LVSD_TOP/parent/lvsd -f $LVSD_CF stop >/dev/null 2>&1"

# agent ACTION [CONFIG]: run dist/ocf/lvsd as Pacemaker would; $rc, $out
agent() {
	out=$(OCF_RESOURCE_INSTANCE=lvsd-test __OCF_ACTION=$1 \
		OCF_RESKEY_configfile=${2:-$LVSD_CF} \
		OCF_RESKEY_lvsd=$LVSD_TOP/parent/lvsd \
		OCF_RESKEY_libexecdir=$TEST_TMP/libexec \
		OCF_RESKEY_user=nobody OCF_RESKEY_CRM_meta_interval=10000 \
		"$AGENT" "$1" 2>&1)
	rc=$?
}
daemon_pid() { head -n 1 "$PIDFILE" 2>/dev/null; }
lvsd_procs() { pgrep -x lvsd | wc -l; }
children() { ps -e -o comm= | grep -cE '^lvsd-(checker|ipvsd|exec)$'; }
# gone PID: the process has exited (kill -9 takes effect asynchronously)
gone() { ! kill -0 "$1" 2>/dev/null; }
# connections waiting to be accepted on the daemon's control socket
ctl_backlog() {
	ss -xlH src /run/lvsd/lvsd.lvsd.cf.sock | awk '$2 == "LISTEN" { print $3 }'
}

if command -v shellcheck >/dev/null; then
	ok "the agent is POSIX sh, shellcheck-clean" shellcheck -s sh "$AGENT"
else
	skip "no shellcheck"
fi
ok "its meta-data conforms to ra-api-1.dtd" eval \
	'"$AGENT" meta-data | (cd /usr/share/resource-agents && xmllint --noout --valid -)'

# validate-all: lvsd -t decides
agent validate-all
is "$rc" 0 "validate-all of a good configuration: OCF_SUCCESS"
agent validate-all "$TEST_TMP/bad.cf"
is "$rc" 6 "validate-all of a bad configuration: OCF_ERR_CONFIGURED"
like "$out" "checkinterval must be" "and the exit reason quotes lvsd -t"
agent validate-all "$TEST_TMP/missing.cf"
is "$rc" 5 "validate-all without the configuration file: OCF_ERR_INSTALLED"
agent start "$TEST_TMP/bad.cf"
is "$rc/$(lvsd_procs)" 6/0 "start with a bad configuration: OCF_ERR_CONFIGURED, nothing runs"

# ocf-tester: start, stop, monitor, probes, repeated start and stop, reload
out=$(ocf-tester -n lvsd-test -o configfile="$LVSD_CF" \
	-o lvsd="$LVSD_TOP/parent/lvsd" -o libexecdir="$TEST_TMP/libexec" \
	-o user=nobody "$AGENT" 2>&1)
rc=$?
is "$rc" 0 "ocf-tester passes on dist/ocf/lvsd" || diag "$out"
like "$out" "passed all tests" "and says so"
is "$(lvsd_procs)" 0 "ocf-tester left no lvsd running"

# start returns once ipvsd has applied the table
agent start
is "$rc" 0 "start: OCF_SUCCESS"
ok "the virtual service is in the table when start returns" \
	ipvsadm -Ln -t "$vip"
agent monitor
is "$rc" 0 "monitor of a running lvsd: OCF_SUCCESS"
ok "the real server comes up" wait_for 60 eval '[ "$(dest_weight $vip 127.0.0.15:80)" = 3 ]'

# a hung daemon: its pid lives, but it does not answer
pid=$(daemon_pid)
kill -STOP "$pid"
t0=$SECONDS
agent monitor
took=$((SECONDS - t0))
is "$rc" 1 "monitor of a SIGSTOPped lvsd: OCF_ERR_GENERIC"
# lvsd status waits 5 s for the answer; the rest is starting the agent
# and lvsd, slow under TCG.  The bound that matters is the monitor's
# timeout in the agent's meta-data, 20 s: past it Pacemaker fails it too.
ok "within the monitor's timeout ($took s; lvsd status waits 5 s)" \
	test "$took" -le 20
like "$out" "does not answer" "and the exit reason says why"
agent stop
is "$rc" 0 "stop of the hung lvsd: OCF_SUCCESS"
ok "it and its children are gone" wait_for 30 eval \
	'[ "$(lvsd_procs)/$(children)" = 0/0 ]'

# a killed daemon: the pid file stays, the lock goes
agent start
is "$rc" 0 "start again"
pid=$(daemon_pid)
kill -KILL "$pid"
ok "after kill -9 of lvsd, it and its children are gone" wait_for 30 eval \
	'gone $pid && [ "$(children)" = 0 ]'
agent monitor
is "$rc" 7 "monitor after kill -9: OCF_NOT_RUNNING"
agent start
is "$rc" 0 "start over the stale pid file"
agent reload
is "$rc" 0 "reload: OCF_SUCCESS"
like "$("$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" status)" "configuration 2 in force" \
	"the daemon read its file again"

# A daemon killed while the monitor asks it (Pacemaker's monitor racing
# a kill -9): not running, not hung.  It is stopped first, so that the
# monitor's lvsd status waits, connected, until the kill.
pid=$(daemon_pid)
kill -STOP "$pid"
(agent monitor; echo "$rc" >"$TEST_TMP/monitor.rc"; echo "$out" >"$TEST_TMP/monitor.out") &
asker=$!
ok "the monitor waits on the stopped daemon's control socket" wait_for 60 eval \
	'[ "$(ctl_backlog)" -ge 1 ] 2>/dev/null'
kill -KILL "$pid"
wait "$asker"
is "$(cat "$TEST_TMP/monitor.rc")" 7 "killed as the monitor asks it: OCF_NOT_RUNNING, not a failure" ||
	diag "$(cat "$TEST_TMP/monitor.out")"
agent start
is "$rc" 0 "start again"
agent stop
is "$rc" 0 "stop: OCF_SUCCESS"
agent monitor
is "$rc/$(lvsd_procs)" 7/0 "monitor after stop: OCF_NOT_RUNNING, nothing runs"

# Debian's ldirectord agent, unchanged, with ldirectord=lvsd.  It runs
# "$ldirectord $configfile start" with no other option: lvsd must find
# its children where it was built to (/usr/local/libexec/lvsd) and run
# them as _lvsd.  Both only in a private mount namespace: a tmpfs over
# /usr/local, and /etc/passwd and /etc/group with _lvsd added.
cat >"$TEST_TMP/dropin.sh" <<'EOF'
set -u
mount -t tmpfs -o mode=0755 lvsd-test /usr/local || exit 100
mkdir -p /usr/local/libexec/lvsd
ln -s "$LVSD_TOP/checker/lvsd-checker" "$LVSD_TOP/ipvsd/lvsd-ipvsd" \
	"$LVSD_TOP/exec/lvsd-exec" /usr/local/libexec/lvsd/
if ! getent passwd _lvsd >/dev/null; then
	cp /etc/passwd /etc/group "$TEST_TMP/"
	echo '_lvsd:x:64999:64999:lvsd test:/nonexistent:/usr/sbin/nologin' \
		>>"$TEST_TMP/passwd"
	echo '_lvsd:x:64999:' >>"$TEST_TMP/group"
	mount --bind "$TEST_TMP/passwd" /etc/passwd || exit 100
	mount --bind "$TEST_TMP/group" /etc/group || exit 100
fi
ocf-tester -n ldir-test -o configfile="$LVSD_CF" \
	-o ldirectord="$LVSD_TOP/parent/lvsd" "$LDIR_AGENT" \
	>"$TEST_TMP/ldir-tester.out" 2>&1
echo "tester=$?"
export OCF_RESKEY_configfile=$LVSD_CF OCF_RESKEY_ldirectord=$LVSD_TOP/parent/lvsd
"$LDIR_AGENT" start >/dev/null 2>&1
echo "start=$?"
pid=$(head -n 1 "$PIDFILE")
kill -KILL "$pid"
for _ in $(seq 300); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
"$LDIR_AGENT" monitor >/dev/null 2>&1
echo "killed=$?"
"$LDIR_AGENT" start >/dev/null 2>&1
echo "restart=$?"
"$LDIR_AGENT" stop >/dev/null 2>&1
echo "stop=$?"
EOF
res=$(LVSD_TOP=$LVSD_TOP LVSD_CF=$LVSD_CF LDIR_AGENT=$LDIR_AGENT PIDFILE=$PIDFILE \
	unshare -m --propagation private bash "$TEST_TMP/dropin.sh" 2>&1)
is "$(grep tester= <<<"$res")" tester=0 \
	"ocf-tester passes on Debian's ldirectord agent with ldirectord=lvsd" ||
	diag "$res" "$(cat "$TEST_TMP/ldir-tester.out")"
is "$(grep -E '^(start|killed|restart|stop)=' <<<"$res" | tr '\n' ' ')" \
	"start=0 killed=7 restart=0 stop=0 " \
	"under it: start, kill -9 (not running: the stale pid file in ldirectord's words), start, stop"
is "$(lvsd_procs)/$(children)" 0/0 "nothing left running"

#!/bin/bash
# Differential test: for each config, the IPVS table that lvsd builds is
# the table that Debian's ldirectord builds from the same file with the
# same real servers reachable -- except where lvsd.cf(5) documents a
# deliberate difference, which the test names and asserts exactly.
# Only configs lvsd can run today are compared (http/none, connect,
# on/off checks).  Each table is written out here, and each daemon's is
# checked against it; under the sanitizers (LVSD_SANITIZE=1) ldirectord,
# which they do not reach, is skipped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
[ -x /usr/sbin/ldirectord ] || plan skip_all "ldirectord is not installed"
plan 12
ipvs_clean

for i in 2 3 4; do
	httpd_start "r$i" "127.0.0.$i" 80 "OK from $i" ||
		bail_out "cannot start real server 127.0.0.$i"
	httpd_body "r$i" "OK health" /health
done
# 127.0.0.5:80 is a real server that is down: nothing listens there.

# The table (ipvs_table), then the thresholds that are set, one line per
# real server:  "thresholds TCP 127.0.0.102:80 127.0.0.2:80 u:20 l:2".
snapshot() {
	ipvs_table
	ipvsadm -Ln --thresholds | awk '
		/RemoteAddress/ { next }
		/^(TCP|UDP|FWM) / { svc = $1 " " $2 }
		/^  ->/ && ($3 != 0 || $4 != 0) {
			print "thresholds " svc " " $2 " u:" $3 " l:" $4 }' |
		LC_ALL=C sort
}

# holds WANT: the table is WANT and has been for 6 seconds, which is
# longer than a check pass of either daemon takes under the VM's TCG.
# $_prev keeps the last table seen, to show what a daemon built instead.
_prev='' _since=0
holds() {
	local now
	_prev=$(snapshot)
	now=$(_t_now_us)
	if [ "$_prev" != "$1" ]; then
		_since=0
		return 1
	fi
	((_since)) || _since=$now
	((now - _since >= 6000000))
}

# table_of ldirectord|lvsd WANT: run it on $cf until its table holds
# WANT (180 s at most), print the table, stop it, and leave the
# kernel's table empty.
table_of() {
	local pid
	ipvsadm -C
	_prev='' _since=0
	if [ "$1" = ldirectord ]; then
		# from a directory without ./ipvsadm, which -d would run
		(cd "$TEST_TMP" && exec /usr/sbin/ldirectord -d "$LVSD_CF" start) \
			>"$TEST_TMP/ld.log" 2>&1 &
		pid=$!
	else
		lvsd_start
		pid=$lvsd_pid
	fi
	wait_for 180 holds "$2" || diag "$1: the table is not the one expected"
	printf '%s\n' "$_prev"
	stop_pid "$pid"
	[ "$1" = ldirectord ] || cp "$lvsd_logfile" "$TEST_TMP/lvsd.log"
	ipvsadm -C
}

# builds DAEMON DESC WANT: DAEMON builds the table WANT from $LVSD_CF.
builds() {
	if [ "$1" = ldirectord ] && [ "${LVSD_SANITIZE:-}" = 1 ]; then
		skip "ldirectord is not under the sanitizers: $2"
		return
	fi
	local log=$TEST_TMP/ld.log
	[ "$1" = ldirectord ] || log=$TEST_TMP/lvsd.log
	is "$(table_of "$1" "$3")" "$3" "$2" ||
		diag "$1's log:" "$(tail -15 "$log")"
}

# compare DESC CONFIG WANT: both daemons build the table WANT.
compare() {
	lvsd_conf "$2"
	builds ldirectord "ldirectord: $1" "$3"
	builds lvsd "lvsd: $1" "$3"
}

compare "http checks, weights, persistence, a dead real server quiesced" \
"checkinterval=1
checktimeout=2
quiescent=yes

virtual=127.0.0.100:80
	real=127.0.0.2:80 masq 2
	real=127.0.0.3:80 masq 3
	real=127.0.0.4:80 masq
	real=127.0.0.5:80 masq 4
	fallback=127.0.0.1:80
	service=http
	request=\"/health\"
	receive=\"OK\"
	scheduler=wlc
	persistent=300
	netmask=255.255.255.0" \
"TCP 127.0.0.100:80 wlc persistent 300 mask 255.255.255.0
  -> 127.0.0.2:80 Masq 2
  -> 127.0.0.3:80 Masq 3
  -> 127.0.0.4:80 Masq 1
  -> 127.0.0.5:80 Masq 0"

compare "every real server down, not quiescent: only the fallback" \
"checkinterval=1
checktimeout=2
virtual=127.0.0.101:80
	real=127.0.0.5:80 masq
	real=127.0.0.6:80 masq
	fallback=127.0.0.1:80 masq
	checktype=connect" \
"TCP 127.0.0.101:80 wrr
  -> 127.0.0.1:80 Masq 1"

compare "firewall mark, checktype on, gate, scheduler rr" \
"virtual=7
	real=127.0.0.2 gate 4
	real=127.0.0.3 gate
	checktype=on
	scheduler=rr" \
"FWM 7 rr
  -> 127.0.0.2:0 Route 4
  -> 127.0.0.3:0 Route 1"

compare "ipip and thresholds, TCP connect checks, UDP service" \
"checkinterval=1
virtual=127.0.0.102:80
	real=127.0.0.2:80 ipip 5 l:2 u:20
	real=127.0.0.3:80 ipip 1 l:1 u:9
	checktype=connect
virtual=127.0.0.102:53
	real=127.0.0.2:53 masq 3
	checktype=on" \
"TCP 127.0.0.102:80 wrr
  -> 127.0.0.2:80 Tunnel 5
  -> 127.0.0.3:80 Tunnel 1
UDP 127.0.0.102:53 wrr
  -> 127.0.0.2:53 Masq 3
thresholds TCP 127.0.0.102:80 127.0.0.2:80 u:20 l:2
thresholds TCP 127.0.0.102:80 127.0.0.3:80 u:9 l:1"

# Deliberate difference (lvsd.cf(5)): a global fallback serves firewall-
# mark services too; ldirectord runs "ipvsadm -a -f 8 -r :0" and fails.
lvsd_conf "fallback=127.0.0.1:80 masq
virtual=8
	real=127.0.0.5 masq
	checktype=off"
builds ldirectord "ldirectord: no fallback on a firewall-mark service" \
"FWM 8 wrr"
builds lvsd "difference: lvsd puts the global fallback in the firewall-mark service" \
"FWM 8 wrr
  -> 127.0.0.1:80 Masq 1"

# Deliberate difference: ldirectord expands a range comparing addresses
# as text, so one across a power of ten (999999998 -> 1000000001) is
# empty; lvsd makes its four real servers.
lvsd_conf "virtual=127.0.0.103:80
	real=59.154.201.254->59.154.202.1:80 masq
	checktype=on"
builds ldirectord "ldirectord expands the range to nothing" \
"TCP 127.0.0.103:80 wrr"
builds lvsd "difference: lvsd expands it to its four real servers" \
"TCP 127.0.0.103:80 wrr
  -> 59.154.201.254:80 Masq 1
  -> 59.154.201.255:80 Masq 1
  -> 59.154.202.0:80 Masq 1
  -> 59.154.202.1:80 Masq 1"

#!/bin/bash
# IPVS connection synchronisation between two directors (syncdaemon= and
# the other sync directives): four network namespaces on one bridge, a
# client, two directors each running its own lvsd (IPVS is per
# namespace) and a real server behind the virtual service by direct
# routing.  A connection made through the active director must appear in
# the standby's connection table, sent by the kernel's master sync daemon
# to the backup one; lvsd starts them, keeps them over its own restart,
# changes them on reload, and refuses an interface without an address;
# lvsd show names them; a restart with a configuration without sync
# leaves them running.
# Addresses (10.200.87.0/24) exist only inside these namespaces.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/lvsd.sh"

require_ipvs
command -v ipvsadm >/dev/null || { plan skip_all "no ipvsadm"; }
plan 31

ns=lvsd87
net=10.200.87
vip=$net.100
declare -A ip=([a]=$net.1 [b]=$net.2 [cl]=$net.10 [rs]=$net.20)

in_ns() {
	local n=$1
	shift
	ip netns exec "$ns-$n" "$@"
}

# The bridge lives in a namespace of its own; every other namespace has
# an eth0 on it.
net_setup() {
	local n
	ip netns add "$ns-sw" || return
	on_exit "ip netns del $ns-sw"
	ip -n "$ns-sw" link add br0 type bridge || return
	ip -n "$ns-sw" link set br0 up || return
	for n in a b cl rs; do
		ip netns add "$ns-$n" || return
		on_exit "ip netns del $ns-$n"
		ip -n "$ns-sw" link add "v-$n" type veth peer name eth0 \
			netns "$ns-$n" || return
		ip -n "$ns-sw" link set "v-$n" master br0 up || return
		ip -n "$ns-$n" link set lo up || return
		ip -n "$ns-$n" addr add "${ip[$n]}/24" dev eth0 || return
		ip -n "$ns-$n" link set eth0 up || return
	done
	# the active director holds the VIP; the real takes it by DR
	ip -n "$ns-a" addr add "$vip/32" dev eth0 || return
	ip -n "$ns-rs" addr add "$vip/32" dev lo || return
	in_ns rs sysctl -qw net.ipv4.conf.all.arp_ignore=1 \
		net.ipv4.conf.all.arp_announce=2 || return
	# an interface without an address, for the refused config
	ip -n "$ns-a" link add bare0 type veth peer name bare1 || return
	ip -n "$ns-a" link set bare0 up
}

director_conf() { # FILE STATE SYNCID [INTERFACE]
	printf '%s\n' checkinterval=1 cleanstop=no "syncdaemon=$2" \
		"syncinterface=${4:-eth0}" "syncid=$3" "" "virtual=$vip:80" \
		"	real=${ip[rs]}:80 gate" "	checktype=connect" \
		"	scheduler=rr" >"$1"
	chmod 0644 "$1"
}

director_start() { # a|b
	spawn ip netns exec "$ns-$1" "$LVSD_TOP/parent/lvsd" -d -v -u nobody \
		-x "$TEST_TMP/libexec" -f "$TEST_TMP/dir$1.cf"
	eval "pid_$1=$spawned_pid log_$1=$spawned_log"
	on_exit "stop_pid $spawned_pid"
}

real_routed() { # a|b: the real is in that director's table, weight 1
	in_ns "$1" ipvsadm -Ln -t "$vip:80" 2>/dev/null |
		grep -Eq -- "-> ${ip[rs]}:80 +Route +1 "
}

daemons() { in_ns "$1" ipvsadm -L --daemon 2>&1; }

conn_listed() { # a|b
	in_ns "$1" ipvsadm -Lnc 2>/dev/null |
		grep -Eq "^TCP .* ESTABLISHED +${ip[cl]}:[0-9]+ +$vip:80 +${ip[rs]}:80"
}

# The real: accepts, answers each line, and holds the connection.
cat >"$TEST_TMP/hold.py" <<'EOF'
import socket, sys, threading
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 80))
s.listen(8)
open(sys.argv[1], "w").close()
def serve(c):
    for line in c.makefile("rb"):
        c.sendall(b"echo " + line)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
# The client: one line through the VIP, the answer to a file, then waits.
cat >"$TEST_TMP/client.py" <<'EOF'
import socket, sys, time
c = socket.create_connection((sys.argv[1], 80), timeout=30)
c.sendall(b"hello\n")
got = c.recv(100)
with open(sys.argv[2], "wb") as f:
    f.write(got)
time.sleep(3600)
EOF

ok "four namespaces on a bridge" net_setup
spawn ip netns exec "$ns-rs" python3 -I "$TEST_TMP/hold.py" "$TEST_TMP/rs.ready"
wait_for 30 test -e "$TEST_TMP/rs.ready"

director_conf "$TEST_TMP/dira.cf" master 87
director_conf "$TEST_TMP/dirb.cf" backup 87
director_start a
director_start b
ok "the active director routes to the real" wait_for 120 real_routed a
ok "so does the standby" wait_for 120 real_routed b
like "$(daemons a)" "master sync daemon \(mcast=eth0, syncid=87" \
	"the active director runs the master sync daemon"
like "$(daemons b)" "backup sync daemon \(mcast=eth0, syncid=87" \
	"the standby runs the backup sync daemon"
like "$(cat "$log_b")" "start sync backup on eth0 \(syncid 87, group 224.0.0.81:8848, ttl 1, maxlen the kernel's\): configured" \
	"lvsd logs the start"

# lvsd show, its JSON and the metrics name the daemons, as configured
show() { # a|b [ARGS...]
	local d=$1
	shift
	in_ns "$d" "$LVSD_TOP/parent/lvsd" -f "$TEST_TMP/dir$d.cf" "$@" 2>&1
}
like "$(show a show)" "sync daemons \(as configured\): master on eth0, syncid 87, group 224.0.0.81:8848, ttl 1, maxlen the kernel's" \
	"lvsd show names the master daemon"
is "$(show b show --json | python3 -c 'import json, sys
s = json.load(sys.stdin)["sync"]
print(s["source"], s["states"], s["interface"], s["syncid"], s["group"], s["port"], s["ttl"], s["maxlen"])')" \
	"configuration ['backup'] eth0 87 224.0.0.81 8848 1 None" \
	"show --json: the backup daemon's parameters"
like "$(show a metrics)" 'lvsd_sync_daemon\{state="master",interface="eth0",syncid="87"\} 1' \
	"metrics: lvsd_sync_daemon"

spawn ip netns exec "$ns-cl" python3 -I "$TEST_TMP/client.py" "$vip" \
	"$TEST_TMP/answer"
ok "a client connects through the VIP" wait_for 60 test -s "$TEST_TMP/answer"
is "$(cat "$TEST_TMP/answer")" "echo hello" "the real answered it"
ok "the connection is in the active director's table" conn_listed a
t0=$(_t_now_us)
ok "it appears in the standby's table" wait_for 120 conn_listed b
note "synced to the standby in $((($(_t_now_us) - t0) / 1000)) ms"

# A restart of lvsd with the same config leaves the daemons alone.
stop_pid "$pid_a"
director_start a
ok "the restarted director routes again" wait_for 120 real_routed a
ok "its configuration is in force" wait_for 60 \
	grep -q "configuration 1 in force" "$log_a"
nok "it did not touch the master sync daemon" grep -q "sync master" "$log_a"
like "$(daemons a)" "master sync daemon \(mcast=eth0, syncid=87" \
	"which still runs"

# A reload with another sync id starts the backup again with it.
director_conf "$TEST_TMP/dirb.cf" backup 88
ok "the standby reloads" kill -HUP "$pid_b"
ok "its backup daemon runs with the new sync id" wait_for 60 eval \
	'[[ $(daemons b) == *"backup sync daemon (mcast=eth0, syncid=88"* ]]'
like "$(cat "$log_b")" "stop sync backup on eth0 \(syncid 87.*\): its parameters changed" \
	"lvsd logs why it stopped the old one"

# Sync removed from the config: lvsd stops the daemon it ran.
grep -v '^sync' "$TEST_TMP/dirb.cf" >"$TEST_TMP/dirb.new"
mv "$TEST_TMP/dirb.new" "$TEST_TMP/dirb.cf"
ok "a reload without sync directives" kill -HUP "$pid_b"
ok "stops the backup daemon" wait_for 60 eval \
	'[[ $(daemons b) != *"sync daemon"* ]]'
nok "show has no sync line any more" eval 'show b show | grep -q "sync daemons"'

# An interface without an address: refused, clearly, before the kernel.
director_conf "$TEST_TMP/bare.cf" master 87 bare0
out=$(in_ns a "$LVSD_TOP/parent/lvsd" -t -f "$TEST_TMP/bare.cf" 2>&1)
like "$out" "bare.cf:4: error: syncinterface bare0 has no IPv4 address" \
	"lvsd -t refuses syncinterface on an interface without an address"
cp "$TEST_TMP/bare.cf" "$TEST_TMP/dira.cf"
kill -HUP "$pid_a"
ok "so does a reload" wait_for 60 \
	grep -q "syncinterface bare0 has no IPv4 address" "$log_a"
like "$(daemons a)" "master sync daemon \(mcast=eth0, syncid=87" \
	"which leaves the running daemon as it was"

# A restart between a configuration with sync and one without: the new
# lvsd does not know what the old one started, and leaves the kernel's
# daemons alone, as it leaves a service that left the configuration.
grep -v '^sync' "$TEST_TMP/dira.cf" >"$TEST_TMP/dira.new"
mv "$TEST_TMP/dira.new" "$TEST_TMP/dira.cf"
stop_pid "$pid_a"
director_start a
ok "the director starts again without sync directives" wait_for 120 \
	grep -q "configuration 1 in force" "$log_a"
like "$(daemons a)" "master sync daemon \(mcast=eth0, syncid=87" \
	"the master daemon the old lvsd started keeps running"
nok "the new lvsd did not touch it" grep -q "sync master" "$log_a"
old=$(pgrep -P "$pid_a" -x lvsd-ipvsd)
kill -KILL "${old:-0}"
ok "after a restart of ipvsd alone" wait_for 120 eval \
	'new=$(pgrep -P "$pid_a" -x lvsd-ipvsd) && [ -n "$new" ] && [ "$new" != "$old" ] &&
	 [ $(grep -c "configuration 1: 1 services" "$log_a") -ge 2 ]'
like "$(daemons a)" "master sync daemon \(mcast=eth0, syncid=87" \
	"it still runs"
in_ns a ipvsadm --stop-daemon master

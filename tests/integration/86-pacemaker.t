#!/bin/bash
# lvsd under Pacemaker: a one-node corosync + pacemaker cluster runs
# dist/ocf/lvsd as a primitive ocf:lvsd:lvsd with a 5 s monitor, in a
# group after the VIP (ocf:heartbeat:IPaddr2 on a veth of the VM's own,
# 10.200.86.1, an address that exists only in the VM).  Pacemaker puts
# the VIP up, starts lvsd, and both healthy real servers enter the
# table; kill -9 of lvsd's parent (its children follow it) is seen by the
# monitor, shown as a failed action with a fail count, and Pacemaker
# starts lvsd again; all the while (a look at the table every 0.1 s)
# both destinations stay in the table at their full weight.
#
# The cluster runs in a private mount namespace, so that everything it
# writes is on tmpfs that go with the test: the state directories of
# pacemaker and corosync, and a copy of /usr/lib/ocf/resource.d (read-only
# in the VM) with dist/ocf/lvsd added as provider lvsd, bound over it.
# corosync reads its configuration from $TEST_TMP (corosync -c).
if [ -z "${LVSD_PCMK_NS:-}" ] && command -v unshare >/dev/null; then
	LVSD_PCMK_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
[ -n "${LVSD_PCMK_NS:-}" ] || plan skip_all "no unshare (util-linux)"
for tool in corosync corosync-cfgtool pacemakerd cibadmin crm_mon \
	crm_resource crm_attribute crm_failcount; do
	command -v "$tool" >/dev/null ||
		plan skip_all "no $tool (corosync, pacemaker, pacemaker-cli-utils)"
done
getent passwd hacluster >/dev/null || plan skip_all "no user hacluster"
plan 17
ipvs_clean

NODE=node1
PCMK_LOG=/var/log/pacemaker/pacemaker.log
vip_ip=10.200.86.1
vip_nic=lvsd-vip0
vip=$vip_ip:80
want="2 3"

# ---- the cluster -------------------------------------------------------------

# pcmk_dirs: empty state directories on tmpfs, as the packages make them
pcmk_dirs() {
	local d
	for d in /var/lib/pacemaker /var/lib/corosync /var/log/pacemaker; do
		mkdir -p "$d" && mount -t tmpfs -o mode=0755 lvsd-pcmk "$d" || return
	done
	mkdir -p /var/lib/pacemaker/{cib,pengine,blackbox,cores} &&
		chown -R hacluster:haclient /var/lib/pacemaker /var/log/pacemaker &&
		chmod 0750 /var/lib/pacemaker/cib
}

# pcmk_agents: /usr/lib/ocf/resource.d as it is, plus lvsd/lvsd
pcmk_agents() {
	local ra=/usr/lib/ocf/resource.d copy=$TEST_TMP/resource.d
	mkdir -p "$copy" && cp -a "$ra/." "$copy/" &&
		mkdir -p "$copy/lvsd" &&
		cp "$LVSD_TOP/dist/ocf/lvsd" "$copy/lvsd/lvsd" &&
		chmod 0755 "$copy/lvsd/lvsd" &&
		mount --bind "$copy" "$ra"
}

# A token of 10 s (the default is 3 s): a one-node ring under TCG on a
# loaded host must not lose it for a slow scheduling slice, which makes
# corosync form the membership again and pacemaker start over.  No
# crypto, hence no authkey.
corosync_conf() {
	cat >"$TEST_TMP/corosync.conf" <<EOF
totem {
	version: 2
	cluster_name: lvsd-test
	transport: knet
	crypto_cipher: none
	crypto_hash: none
	token: 10000
}
nodelist {
	node {
		ring0_addr: 127.0.0.1
		name: $NODE
		nodeid: 1
	}
}
quorum {
	provider: corosync_votequorum
}
logging {
	to_stderr: yes
	to_syslog: no
	to_logfile: no
}
EOF
}

# The first CIB: dc-deadtime 2 s instead of 20 s, the wait of a starting
# controller for a DC that a one-node cluster will never find.
cib_seed() {
	cat >/var/lib/pacemaker/cib/cib.xml <<'EOF'
<cib validate-with="pacemaker-3.0" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="cib-bootstrap-options-dc-deadtime" name="dc-deadtime" value="2s"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources/>
    <constraints/>
  </configuration>
  <status/>
</cib>
EOF
	chown hacluster:haclient /var/lib/pacemaker/cib/cib.xml
	chmod 0600 /var/lib/pacemaker/cib/cib.xml
}

corosync_pid=
pacemakerd_pid=
cluster_start() {
	corosync -f -c "$TEST_TMP/corosync.conf" >"$TEST_TMP/corosync.log" 2>&1 </dev/null &
	corosync_pid=$!
	wait_for 120 eval 'corosync-cfgtool -s >/dev/null 2>&1' || return
	PCMK_logfile=$PCMK_LOG PCMK_logfacility=none \
		pacemakerd >"$TEST_TMP/pacemakerd.log" 2>&1 </dev/null &
	pacemakerd_pid=$!
}

# gone PID: the process has exited
gone() { ! kill -0 "$1" 2>/dev/null; }

# stop_daemon PID SECONDS: TERM, then KILL past SECONDS (and its children,
# pacemakerd's sub-daemons, if it had to be killed)
stop_daemon() {
	local pid=$1 kids
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
	kids=$(pgrep -P "$pid")
	kill -TERM "$pid"
	if ! wait_for "$2" gone "$pid"; then
		diag "pid $pid ($(ps -o comm= -p "$pid")) ignored SIGTERM for $2 s"
		# shellcheck disable=SC2086
		kill -KILL "$pid" $kids 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	return 0
}

# Pacemaker stops its resources (lvsd stop) before it exits; the lvsd stop
# after it is for a cluster that could not.
cluster_stop() {
	stop_daemon "$pacemakerd_pid" 300
	"$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" stop >/dev/null 2>&1
	stop_daemon "$corosync_pid" 60
}

# crm CMD...: a Pacemaker tool that cannot hang the test
crm() { timeout 60 "$@" 2>&1; }
node_online() { crm crm_mon -1 | grep -q "Online: \[ $NODE \]"; }
lvsd_located() { crm crm_resource --locate -r lvsd | grep -q "running on: $NODE"; }
vip_up() { ip -o addr show dev "$vip_nic" | grep -q " $vip_ip/32 "; }
fail_count() {
	crm crm_failcount --query -r lvsd -N "$NODE" | sed -n 's/.*value=//p'
}

# ---- the director --------------------------------------------------------------

for i in 61 62; do
	httpd_start "r$i" "127.0.0.$i" 80 "OK" || bail_out "no real server"
done
lvsd_conf "checkinterval=1
checktimeout=3
quiescent=no
cleanstop=yes

virtual=$vip
	real=127.0.0.61:80 masq 2
	real=127.0.0.62:80 masq 3
	service=http
	receive=\"OK\""

# the group: the VIP first, then lvsd (a failure of lvsd restarts lvsd
# alone; the VIP stays)
director_group() {
	cat <<EOF
<group id="director">
<primitive id="vip" class="ocf" provider="heartbeat" type="IPaddr2">
  <instance_attributes id="vip-params">
    <nvpair id="vip-ip" name="ip" value="$vip_ip"/>
    <nvpair id="vip-cidr" name="cidr_netmask" value="32"/>
    <nvpair id="vip-nic" name="nic" value="$vip_nic"/>
  </instance_attributes>
  <operations>
    <op id="vip-monitor" name="monitor" interval="10s" timeout="60s"/>
  </operations>
</primitive>
<primitive id="lvsd" class="ocf" provider="lvsd" type="lvsd">
  <instance_attributes id="lvsd-params">
    <nvpair id="lvsd-configfile" name="configfile" value="$LVSD_CF"/>
    <nvpair id="lvsd-lvsd" name="lvsd" value="$LVSD_TOP/parent/lvsd"/>
    <nvpair id="lvsd-libexecdir" name="libexecdir" value="$TEST_TMP/libexec"/>
    <nvpair id="lvsd-user" name="user" value="nobody"/>
  </instance_attributes>
  <operations>
    <op id="lvsd-start" name="start" interval="0" timeout="120s"/>
    <op id="lvsd-stop" name="stop" interval="0" timeout="120s"/>
    <op id="lvsd-monitor" name="monitor" interval="5s" timeout="30s"/>
  </operations>
</primitive>
</group>
EOF
}

# one look at the table: "W61 W62", "absent" for a missing one
weights() {
	ipvsadm -Ln -t $vip 2>/dev/null | awk '
		$1 == "->" { w[$2] = $4 }
		END { a = w["127.0.0.61:80"]; b = w["127.0.0.62:80"]
		      print (a == "" ? "absent" : a) " " (b == "" ? "absent" : b) }'
}

# The watcher looks without starting a process (under TCG an ipvsadm
# costs a large part of a second): bash builtins on /proc/net/ip_vs, whose
# service line is "TCP  0AC85601:0050 wrr" and a real's
# "  -> 7F00003D:0050      Masq    2      0          0".  One line per
# look: the time (us), then "W61 W62" as weights() prints them.
VIP_HEX=0AC85601:0050
look() {
	local f1 f2 f3 f4 in=0 a=absent b=absent
	while read -r f1 f2 f3 f4 _; do
		case $f1 in
		TCP | UDP | FWM) [ "$f2" = "$VIP_HEX" ] && in=1 || in=0 ;;
		-\>)
			[ "$in" = 1 ] || continue
			[ "$f2" != 7F00003D:0050 ] || a=$f4
			[ "$f2" != 7F00003E:0050 ] || b=$f4
			;;
		esac
	done </proc/net/ip_vs
	printf '%s %s %s\n' "${EPOCHREALTIME//[!0-9]/}" "$a" "$b"
}
watch_table() {
	local fifo=$TEST_TMP/tick
	mkfifo "$fifo"
	exec 9<>"$fifo"
	while [ ! -e "$TEST_TMP/stop-watch" ]; do
		look
		read -r -t 0.1 -u 9 # a 0.1 s pause, no sleep(1) to start
	done >"$TEST_TMP/watch"
}
looks() { { wc -l <"$TEST_TMP/watch"; } 2>/dev/null || echo 0; }
more_looks() {
	local target=$(($(looks) + $1))
	wait_for 60 eval '[ $(looks) -ge $target ]'
}
# the longest time between two looks, in ms
longest_gap() {
	awk 'NR > 1 && $1 - t > g { g = $1 - t } { t = $1 }
		END { printf "%d\n", g / 1000 }' "$TEST_TMP/watch"
}
daemon_pid() { head -n 1 /run/lvsd.lvsd.cf.pid 2>/dev/null; }

# ---- the test --------------------------------------------------------------------

ip link add "$vip_nic" type veth peer name lvsd-vip1 ||
	bail_out "cannot make the VIP's veth"
# at exit after cluster_stop (registered later, run first)
on_exit "ip link del $vip_nic"
ip link set "$vip_nic" up && ip link set lvsd-vip1 up ||
	bail_out "cannot set the VIP's veth up"
pcmk_dirs || bail_out "cannot make pacemaker's state directories"
pcmk_agents || bail_out "cannot install the agent for pacemaker"
corosync_conf
cib_seed
on_exit cluster_stop
t0=$SECONDS
cluster_start || bail_out "corosync did not start: $(tail -n 20 "$TEST_TMP/corosync.log")"
ok "the one-node cluster is online" wait_for 600 node_online ||
	bail_out "no cluster after $((SECONDS - t0)) s: $(crm crm_mon -1)
$(tail -n 20 "$TEST_TMP/corosync.log" "$TEST_TMP/pacemakerd.log")
$(grep -E 'error|warning|crit' "$PCMK_LOG" | tail -n 40)"
note "cluster online after $((SECONDS - t0)) s"
ok "stonith-enabled=false is set" \
	crm crm_attribute -t crm_config -n stonith-enabled -v false
ok "pacemaker finds the agent ocf:lvsd:lvsd" \
	eval 'crm crm_resource --show-metadata ocf:lvsd:lvsd | grep -q "<resource-agent name=\"lvsd\""'
ok "the group (the VIP, then lvsd) is added to the CIB" \
	crm cibadmin --create -o resources -X "$(director_group)"

t0=$SECONDS
ok "pacemaker starts lvsd" wait_for 300 lvsd_located
ok "the VIP is up on its interface" vip_up
ok "both real servers are in the table at their weight" \
	wait_for 120 eval '[ "$(weights)" = "$want" ]'
note "lvsd started and the table right after $((SECONDS - t0)) s"

watch_table &
watcher=$!
on_exit "touch $TEST_TMP/stop-watch; wait $watcher 2>/dev/null || :"
more_looks 3 || bail_out "the table watcher stopped looking"

old=$(daemon_pid)
ok "lvsd's parent runs (pid ${old:-none})" kill -0 "${old:-0}"
kill -KILL "$old"
t0=$SECONDS
ok "the monitor sees it: a failed action, a fail count" wait_for 120 eval \
	'[ "$(fail_count)" -ge 1 ] 2>/dev/null &&
	 crm crm_mon -1 | grep -A3 "Failed Resource Actions" | grep -q "lvsd .*monitor .*not running"' ||
	diag "fail count $(fail_count): $(crm crm_mon -1 2>&1 | tail -n 12)"
ok "pacemaker starts lvsd again" wait_for 300 eval \
	'new=$(daemon_pid) && [ -n "$new" ] && [ "$new" != "$old" ] &&
	 kill -0 "$new" 2>/dev/null && lvsd_located'
note "restarted after $((SECONDS - t0)) s (monitor interval 5 s)"
ok "the VIP stayed up" vip_up
ok "the new lvsd answers" wait_for 120 eval \
	'"$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" status >/dev/null 2>&1'
ok "its checker finds both real servers up" wait_for 120 eval \
	'[ "$("$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" show | grep -cE "127.0.0.6[12]:80 +up")" = 2 ]'
more_looks 5 || bail_out "the table watcher stopped looking"
touch "$TEST_TMP/stop-watch"
wait "$watcher"

n=$(looks)
ok "the table was watched throughout ($n looks, at most $(longest_gap) ms apart)" \
	test "$n" -ge 10
is "$(cut -d' ' -f2- "$TEST_TMP/watch" | sort -u)" "$want" \
	"every look saw both real servers at their full weight"

stop_daemon "$pacemakerd_pid" 300
ok "pacemaker stops lvsd as it leaves (cleanstop=yes: the service goes)" \
	wait_for 60 eval '! ipvsadm -Ln -t $vip >/dev/null 2>&1 && gone "$new"'
ok "and the VIP goes down after it" wait_for 60 eval '! vip_up'

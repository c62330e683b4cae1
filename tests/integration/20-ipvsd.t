#!/bin/bash
# lvsd-ipvsd alone against the kernel's IPVS table: ipvsd-driver plays the
# parent and the checker; after every step the table is read back with
# ipvsadm. Covers creation, quiescent and removed reals, the fallback, a
# second identical push and a restart of ipvsd (no change at all), forged
# checker messages (every type, every length fault, undeclared ids, bad
# states, a passed descriptor, a flood of 100005), a reload, a parent that
# breaks the protocol, the clean stop, and reals whose state the config
# fixes (checktype on and off). A service lvsd does not manage stays
# untouched throughout, up to that last part, which starts from an empty
# table.
. "$(dirname "$0")/lib.sh"

require_ipvs
cd "$TEST_LIB_DIR/../.." || bail_out "no source tree"
DRIVER=$PWD/tests/integration/ipvsd-driver
IPVSD=$PWD/ipvsd/lvsd-ipvsd
[ -x "$DRIVER" ] && [ -x "$IPVSD" ] || bail_out "build first: make"
plan 94

ipvs_clean
mkdir -m 0755 "$TEST_TMP/empty"

# ---- the driver ------------------------------------------------------------

send() { printf '%s\n' "$*" >&5; }
seen() { grep -q -- "$1" "$drv_out"; }
count() { grep -c -- "$1" "$drv_out"; }
# wait_count N PATTERN: until PATTERN has been printed N times.
wait_count() {
	local n=$1 pat=$2
	wait_for 60 eval '[ "$(count "$pat")" -ge "$n" ]'
}
# applied GEN: the APPLIED line of configuration GEN ("NS ND NOPS NERR").
applied() {
	wait_for 60 seen "^applied $1 " || return 1
	sed -n "s/^applied $1 //p" "$drv_out" | head -1
}

# drv_start NAME: start ipvsd under a driver; commands go to it with send,
# its output is $drv_out. spawn gives stdin /dev/null: a wrapper reads the
# fifo instead.
cat >"$TEST_TMP/drv.sh" <<'EOF'
#!/bin/sh
exec "$@" <"$DRV_IN"
EOF
chmod +x "$TEST_TMP/drv.sh"
drv_start() {
	mkfifo "$TEST_TMP/$1.in"
	DRV_IN=$TEST_TMP/$1.in spawn "$TEST_TMP/drv.sh" "$DRIVER" "$IPVSD" \
		-u 65534:65534 -r "$TEST_TMP/empty" -v
	exec 5<>"$TEST_TMP/$1.in"
	drv_out=$spawned_log
}

# The configuration (ids in order):
#   service 0  TCP 127.0.0.100:80, quiescent, fallback 127.0.0.1:80
#              reals 0: 127.0.0.2:80 w3, 1: 127.0.0.3:80 w1 (masq)
#   service 1  TCP 127.0.0.101:80, not quiescent, fallback 127.0.0.1:8081
#              reals 2: 127.0.0.4:80 w2 (masq), 3: 127.0.0.5:8080 w1 gate
#   service 2  UDP 127.0.0.100:53, persistent 300 /24
#              real 4: 127.0.0.6:53 w1 (masq)
stage_config() {
	send clear
	send service tcp 127.0.0.100 80 quiescent=1 fallback=127.0.0.1:80 fbfwd=masq
	send service tcp 127.0.0.101 80 quiescent=0 fallback=127.0.0.1:8081 fbfwd=masq
	if [ "${1:-}" != no-udp ]; then
		send service udp 127.0.0.100 53 persistent=300 netmask=0xffffff00
	fi
	send dest 0 127.0.0.2 80 weight=3
	send dest 0 127.0.0.3 80 weight=1
	send dest 1 127.0.0.4 80 weight=2
	send dest 1 127.0.0.5 8080 weight=1 fwd=gate
	if [ "${1:-}" != no-udp ]; then
		send dest 2 127.0.0.6 53 weight=1
	fi
}

table_is() { [ "$(ipvs_table)" = "$1" ]; }
# check_table DESC EXPECTED: wait until the table is EXPECTED, then say.
check_table() {
	wait_for 60 table_is "$2"
	is "$(ipvs_table)" "$2" "$1"
}

foreign="TCP 127.0.0.200:80 rr
  -> 127.0.0.9:80 Masq 4"

# ---- start: a table with a foreign service and a stray real ----------------

ipvsadm -A -t 127.0.0.200:80 -s rr
ipvsadm -a -t 127.0.0.200:80 -r 127.0.0.9:80 -m -w 4
ipvsadm -A -t 127.0.0.100:80 -s rr
ipvsadm -a -t 127.0.0.100:80 -r 127.0.0.9:80 -m -w 1

drv_start first
ok "ipvsd starts and says READY" wait_for 60 seen '^ready'
pid=$(sed -n 's/^pid //p' "$drv_out")
ok "it runs as uid 65534" grep -Eq '^Uid:[[:space:]]+65534[[:space:]]+65534' /proc/$pid/status
is "$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/$pid/status)" 0000000000001000 \
	"its only capability is CAP_NET_ADMIN"
is "$(sed -n 's/^Seccomp:[[:space:]]*//p' /proc/$pid/status)" 2 "it is under a seccomp filter"

stage_config
send conf 1
like "$(applied 1)" "^3 5 [1-9][0-9]* 0$" "configuration 1 applied, no refusal"
check_table "services created, scheduler corrected, stray purged, quiescent reals at 0" \
"TCP 127.0.0.100:80 wrr
  -> 127.0.0.2:80 Masq 0
  -> 127.0.0.3:80 Masq 0
TCP 127.0.0.101:80 wrr
$foreign
UDP 127.0.0.100:53 wrr persistent 300 mask 255.255.255.0"
ok "the purge is logged" seen "real 127.0.0.9:80 of TCP 127.0.0.100:80 purged"

# ---- the checker says ------------------------------------------------------

send peer
ok "a new checker channel gets a SNAPSHOT_REQUEST" wait_for 60 seen '^snapshot 1'
for id in 0 1 2 3 4; do send state 1 $id up; done
up_table="TCP 127.0.0.100:80 wrr
  -> 127.0.0.2:80 Masq 3
  -> 127.0.0.3:80 Masq 1
TCP 127.0.0.101:80 wrr
  -> 127.0.0.4:80 Masq 2
  -> 127.0.0.5:80 Route 1
$foreign
UDP 127.0.0.100:53 wrr persistent 300 mask 255.255.255.0
  -> 127.0.0.6:53 Masq 1"
check_table "every real UP: configured weights (gate real on the virtual's port)" "$up_table"

send state 1 0 down
check_table "DOWN in a quiescent service: weight 0" \
"TCP 127.0.0.100:80 wrr
  -> 127.0.0.2:80 Masq 0
  -> 127.0.0.3:80 Masq 1
TCP 127.0.0.101:80 wrr
  -> 127.0.0.4:80 Masq 2
  -> 127.0.0.5:80 Route 1
$foreign
UDP 127.0.0.100:53 wrr persistent 300 mask 255.255.255.0
  -> 127.0.0.6:53 Masq 1"
ok "logged for a sysadmin" \
	seen "real 127.0.0.2:80 of TCP 127.0.0.100:80 down: weight 0 (quiescent)"

send state 1 2 down
check_table "DOWN in a service that is not quiescent: removed" \
"TCP 127.0.0.100:80 wrr
  -> 127.0.0.2:80 Masq 0
  -> 127.0.0.3:80 Masq 1
TCP 127.0.0.101:80 wrr
  -> 127.0.0.5:80 Route 1
$foreign
UDP 127.0.0.100:53 wrr persistent 300 mask 255.255.255.0
  -> 127.0.0.6:53 Masq 1"

send state 1 1 down
send state 1 3 down
all_down="TCP 127.0.0.100:80 wrr
  -> 127.0.0.1:80 Masq 1
  -> 127.0.0.2:80 Masq 0
  -> 127.0.0.3:80 Masq 0
TCP 127.0.0.101:80 wrr
  -> 127.0.0.1:8081 Masq 1
$foreign
UDP 127.0.0.100:53 wrr persistent 300 mask 255.255.255.0
  -> 127.0.0.6:53 Masq 1"
check_table "every real DOWN: the fallback is in" "$all_down"
ok "the fallback is logged" \
	seen "fallback 127.0.0.1:80 of TCP 127.0.0.100:80 on (no real server up)"

send state 1 0 up
check_table "one real UP again: the fallback is gone" \
"TCP 127.0.0.100:80 wrr
  -> 127.0.0.2:80 Masq 3
  -> 127.0.0.3:80 Masq 0
TCP 127.0.0.101:80 wrr
  -> 127.0.0.1:8081 Masq 1
$foreign
UDP 127.0.0.100:53 wrr persistent 300 mask 255.255.255.0
  -> 127.0.0.6:53 Masq 1"
send state 1 0 down
check_table "and DOWN again: back" "$all_down"

# ---- no change costs nothing -----------------------------------------------

send conf 2
like "$(applied 2)" "^3 5 0 0$" "the same configuration again: zero netlink changes"
send ping 7
ok "PING is answered" wait_for 60 seen '^pong 7'

before=$(ipvs_table)
send quit
ok "ipvsd exits 0 when the parent hangs up" wait_for 60 seen '^exit 0'
is "$(ipvs_table)" "$before" "its exit leaves the table alone"

drv_start second
ok "a new ipvsd starts" wait_for 60 seen '^ready'
stage_config
send conf 3
like "$(applied 3)" "^3 5 0 0$" "restart with the table in place: zero changes"
is "$(ipvs_table)" "$before" "and the table is unchanged"

# ---- the checker is not trusted --------------------------------------------

send peer
wait_for 60 seen '^snapshot 3'
send state 2 1 up
for st in "0 down" "1 down" "2 down" "4 up"; do send state 3 $st; done
send state 3 3 up
check_table "a STATE of an old generation is ignored, the current one applied" \
"TCP 127.0.0.100:80 wrr
  -> 127.0.0.1:80 Masq 1
  -> 127.0.0.2:80 Masq 0
  -> 127.0.0.3:80 Masq 0
TCP 127.0.0.101:80 wrr
  -> 127.0.0.5:80 Route 1
$foreign
UDP 127.0.0.100:53 wrr persistent 300 mask 255.255.255.0
  -> 127.0.0.6:53 Masq 1"
is "$(count '^peer closed')" 0 "no channel was dropped so far"
send state 3 3 down
check_table "the fallback is back when the last real is DOWN" "$all_down"

forged() {
	local n=$1 desc=$2
	shift 2
	send peer
	wait_count $((n + 1)) '^snapshot 3'
	send "$@"
	ok "$desc: the checker channel is dropped" wait_count "$n" '^peer closed'
}
forged 1 "STATE for a real id out of range" state 3 99 up
forged 2 "STATE of a newer generation" state 4 0 up
forged 3 "STATE of the wrong length" badstate 3 4 0 1
forged 4 "STATE with up = 2" badstate 3 8 0 2
send ping 8
wait_for 60 seen '^pong 8'
is "$(ipvs_table)" "$all_down" "no forged STATE changed the table"

# ---- a compromised checker: anything it can put on the wire ------------------
# Type numbers are enum msg_type's (common/msg.h); every type but STATE is
# refused before its payload is looked at, so a DEST that names any weight
# cannot reach the table. A STATE has no weight field at all (id, up, pad).
fds() { ls "/proc/$pid/fd" | wc -l; }
pid=$(sed -n 's/^pid //p' "$drv_out" | tail -1)
send peer
wait_count 6 '^snapshot 3'
fds_before=$(fds)
n=4
refused() {
	n=$((n + 1))
	forged "$n" "$@"
}
# the first number past the last type, read off common/msg.h
past=$(awk '/^enum msg_type/ { f = 1; n = -1 } f && /^\tMSG_/ { n++ }
	f && /MSG_TYPE_MAX/ { print n; exit }' "$TEST_LIB_DIR/../../common/msg.h")
refused "type $past, past the last" peerrec "$past" 3 8 8 0 1
refused "type 65535" peerrec 65535 3 8 8 0 1
refused "type 0 (NONE)" peerrec 0 3 0 0
types=(NONE CONF_BEGIN SERVICE DEST CHECK CONF_END PEER SHUTDOWN PING READY
	APPLIED LOG PONG RESULT STATE SNAPSHOT_REQUEST)
for t in 1 2 3 4 5 6 7 8 9 10 11 12 13 15; do
	refused "a ${types[$t]} from the checker, well-formed" peerrec $t 3 ok ok
done
refused "a SYNC (type 24) from the checker, well-formed" peerrec 24 3 ok ok
refused "a header that says 8 bytes, 7 follow" peerrec 14 3 8 7 0 1
refused "a header that says 8 bytes, 9 follow" peerrec 14 3 8 9 0 1
refused "9 bytes said and sent" peerrec 14 3 9 9 0 1
refused "65535 bytes said, 8 sent" peerrec 14 3 65535 8 0 1
refused "a record shorter than a header" peerrec 14 3 8 -4
refused "a record longer than MSG_MAX" peerrec 14 3 8 4200 0 1
# records travel packed, and a datagram is taken whole or not at all:
# the good STATEs before a bad record change nothing
refused "four STATEs packed with a CONF_END after them" peerpack 3 up 4 5
refused "four STATEs packed, the last cut a byte short" peerpack 3 up 4 short
refused "a zero-length record" peerrec 14 3 0 -8
refused "a real never declared (id = the number of reals)" state 3 5 up
refused "id 4294967295" state 3 4294967295 up
refused "STATE with up = 255" peerrec 14 3 8 8 0 255
refused "STATE with a byte in its padding" peerrec 14 3 8 8 0 1 1
refused "STATE with a descriptor passed along" statefd 3 0 up
send ping 9
ok "ipvsd answers after $((n - 4)) more forgeries" wait_for 60 seen '^pong 9'
is "$(sed -n 's/^pid //p' "$drv_out" | tail -1)/$(count '^exit\|^killed')" "$pid/0" \
	"it is the same process, never exited"
is "$(ipvs_table)" "$all_down" "none of them changed the table"
send peer
wait_count $((n + 2)) '^snapshot 3'
is "$(fds)" "$fds_before" "no descriptor leaked (the passed one was closed)"

# a flood of valid STATEs: all taken, in order, the last one wins
send flood 3 100005 5
ok "100005 STATEs sent" wait_for 600 seen '^flooded 100005$'
check_table "after the flood every real is UP, as the last round said" "$up_table"
send ping 10
ok "ipvsd still answers" wait_for 60 seen '^pong 10'
is "$(count '^peer closed')" "$n" "the flood did not cost the channel"
hwm=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status")
# (ASan's shadow memory and quarantine: 64 MiB more in the sanitizer build)
hwm_max=$((${LVSD_SANITIZE:-0} == 1 ? 131072 : 16384))
ok "ipvsd's peak memory stays small (VmHWM $hwm kB < $((hwm_max / 1024)) MiB)" \
	test "$hwm" -lt "$hwm_max"
note "ipvsd VmHWM after 100005 STATEs: $hwm kB"
send "peerpack 3 down 4"
check_table "and DOWN again afterwards, by four STATEs packed in one datagram" \
	"$all_down"

# ---- reload, clean stop -------------------------------------------------------

stage_config no-udp
send conf 4
like "$(applied 4)" "^2 4 1 0$" "a reload without the UDP service: one change"
check_table "the service the reload dropped is gone, the others stay" \
"TCP 127.0.0.100:80 wrr
  -> 127.0.0.1:80 Masq 1
  -> 127.0.0.2:80 Masq 0
  -> 127.0.0.3:80 Masq 0
TCP 127.0.0.101:80 wrr
  -> 127.0.0.1:8081 Masq 1
$foreign"

send shutdown 1
ok "SHUTDOWN with cleanstop: ipvsd exits 0" wait_for 60 seen '^exit 0'
is "$(ipvs_table)" "$foreign" "only the foreign service is left"
nok "it was never killed by its sandbox" seen '^killed'

# ---- a parent that breaks the protocol ---------------------------------------

drv_start third
ok "ipvsd starts again" wait_for 60 seen '^ready'
stage_config
send service tcp 127.0.0.102 80 sched=nosuchsched
send conf 5
like "$(applied 5)" "^4 5 [1-9][0-9]* 1$" \
	"it builds the table again; the kernel refuses one service"
ok "the refusal is logged with the kernel's reason" seen \
	"failed: service TCP 127.0.0.102:80 added: scheduler nosuchsched: No such file"
ok "and it is retried, less and less often" wait_for 60 seen "trying again in 2 s"
before=$(ipvs_table)
send conf 5
ok "a configuration that is not newer: ipvsd exits 1" wait_for 60 seen '^exit 1'
ok "it said why" seen "configuration 5 is not newer than 5" || cat "$drv_out" >&2
is "$(ipvs_table)" "$before" "the table stays as it was"

drv_start fourth
wait_for 60 seen '^ready'
send raw 4
ok "a CHECK (the checker's message) on ipvsd's channel: it exits" \
	wait_for 60 seen '^exit '
ok "it said why" seen "dropping parent: message type not allowed here"
is "$(ipvs_table)" "$before" "the table still stays"

# ---- reals whose state the config fixes (checktype on, off) ------------------

ipvs_clean
drv_start fifth
ok "a fifth ipvsd starts" wait_for 60 seen '^ready'
send clear
send service tcp 127.0.0.100 80 quiescent=1 fallback=127.0.0.1:80 fbfwd=masq
send service tcp 127.0.0.101 80 quiescent=1 fallback=127.0.0.1:8081 fbfwd=masq
send service tcp 127.0.0.102 80 quiescent=0
send dest 0 127.0.0.2 80 weight=3 fixed=up
send dest 0 127.0.0.3 80 weight=1
send dest 1 127.0.0.4 80 weight=2 fixed=down
send dest 2 127.0.0.5 80 weight=2 fixed=down
send conf 1
check_table "before any STATE: fixed up in at its weight, fixed down at 0 (quiescent, with its fallback) or out" \
"TCP 127.0.0.100:80 wrr
  -> 127.0.0.2:80 Masq 3
  -> 127.0.0.3:80 Masq 0
TCP 127.0.0.101:80 wrr
  -> 127.0.0.1:8081 Masq 1
  -> 127.0.0.4:80 Masq 0
TCP 127.0.0.102:80 wrr"
send peer
wait_count 1 '^snapshot 1'
send state 1 0 down
send state 1 2 up
send state 1 1 up
send state 1 3 up
check_table "STATEs against the fixed states change nothing; the checked real's does" \
"TCP 127.0.0.100:80 wrr
  -> 127.0.0.2:80 Masq 3
  -> 127.0.0.3:80 Masq 1
TCP 127.0.0.101:80 wrr
  -> 127.0.0.1:8081 Masq 1
  -> 127.0.0.4:80 Masq 0
TCP 127.0.0.102:80 wrr"
send dest 1 127.0.0.6 80 fixed=sideways
send conf 2
ok "a DEST with a fixed state out of range: ipvsd drops its parent" \
	wait_for 60 seen "dropping parent: DEST: bad fixed state"
ok "and exits 1" wait_for 60 seen '^exit 1'
nok "the fifth was never killed by its sandbox" seen '^killed'

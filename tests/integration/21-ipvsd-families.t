#!/bin/bash
# lvsd-ipvsd with the other kinds of services: IPv6, firewall marks (IPv4
# and IPv6), persistence with a netmask or prefix, thresholds. Whatever
# ipvsd creates it must read back as equal: a second push of the same
# configuration, and a restart, make no change at all.
. "$(dirname "$0")/lib.sh"

require_ipvs
cd "$TEST_LIB_DIR/../.." || bail_out "no source tree"
DRIVER=$PWD/tests/integration/ipvsd-driver
IPVSD=$PWD/ipvsd/lvsd-ipvsd
[ -x "$DRIVER" ] && [ -x "$IPVSD" ] || bail_out "build first: make"
[ -e /proc/net/if_inet6 ] || plan skip_all "no IPv6 in this kernel"
plan 12

ipvs_clean
mkdir -m 0755 "$TEST_TMP/empty"

cat >"$TEST_TMP/drv.sh" <<'EOF'
#!/bin/sh
exec "$@" <"$DRV_IN"
EOF
chmod +x "$TEST_TMP/drv.sh"
# drv_start NAME: ipvsd under a driver that reads commands from a fifo.
drv_start() {
	mkfifo "$TEST_TMP/$1.in"
	DRV_IN=$TEST_TMP/$1.in spawn "$TEST_TMP/drv.sh" "$DRIVER" "$IPVSD" \
		-u 65534:65534 -r "$TEST_TMP/empty"
	exec 5<>"$TEST_TMP/$1.in"
	drv_out=$spawned_log
	wait_for 60 seen '^ready'
}
send() { printf '%s\n' "$*" >&5; }
seen() { grep -q -- "$1" "$drv_out"; }
applied() {
	wait_for 60 seen "^applied $1 " || return 1
	sed -n "s/^applied $1 //p" "$drv_out" | head -1
}
table_is() { [ "$(ipvs_table)" = "$1" ]; }

stage_config() {
	send clear
	send service tcp ::1 80 sched=rr
	send service udp ::1 53 persistent=60 netmask=64
	send service fwm 0.0.0.0 7 quiescent=1 persistent=120
	send service fwm :: 8 fallback=[::1]:80 fbfwd=masq
	send service tcp 127.0.0.100 443 persistent=30 netmask=0xffff0000
	send dest 0 ::2 8080 weight=4
	send dest 0 ::3 8080 weight=2 fwd=gate
	send dest 1 ::4 53 weight=1
	send dest 2 127.0.0.7 0 weight=5 fwd=gate
	send dest 3 ::5 0 weight=1 fwd=gate
	send dest 4 127.0.0.8 443 weight=3 u=100 l=10
}

drv_start first
stage_config
send conf 1
like "$(applied 1)" "^5 6 [1-9][0-9]* 0$" "every kind of service is accepted by the kernel"
send peer
wait_for 60 seen '^snapshot 1'
for id in 0 1 2 3 5; do send state 1 $id up; done
send state 1 4 down
expected="FWM 7 wrr persistent 120
  -> 127.0.0.7:0 Route 5
FWM 8 IPv6 wrr
  -> [::1]:80 Masq 1
TCP 127.0.0.100:443 wrr persistent 30 mask 255.255.0.0
  -> 127.0.0.8:443 Masq 3
TCP [::1]:80 rr
  -> [::2]:8080 Masq 4
  -> [::3]:80 Route 2
UDP [::1]:53 wrr persistent 60 mask 64
  -> [::4]:53 Masq 1"
wait_for 60 table_is "$expected"
is "$(ipvs_table)" "$expected" "the table has them all, as configured"
like "$(ipvsadm -Ln --thresholds | grep 127.0.0.8:443)" \
	"127.0.0.8:443 +100 +10" "thresholds are set"
ok "a fwmark service is logged by its mark" seen "service FWM 8 IPv6 added"
ok "an IPv6 real is logged in brackets" \
	seen "real \[::2\]:8080 of TCP \[::1\]:80 up: added, weight 4, masq"

send conf 2
like "$(applied 2)" "^5 6 0 0$" "the same configuration again: no change"
send quit
wait_for 60 seen '^exit 0'
drv_start second
stage_config
send conf 3
like "$(applied 3)" "^5 6 0 0$" "restart: every kind read back as equal, no change"
is "$(ipvs_table)" "$expected" "the table is unchanged"

send shutdown 1
ok "clean stop" wait_for 60 seen '^exit 0'
is "$(ipvs_table)" "" "every service is gone"
nok "no refusal from the kernel" seen "failed:"
nok "never killed by the sandbox" seen '^killed'

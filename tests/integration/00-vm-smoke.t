#!/bin/bash
# The test bed itself: IPVS in the kernel, ipvsadm, loopback addresses, the
# HTTP real server of lib.sh, the file systems of the VM.
. "$(dirname "$0")/lib.sh"

require_ipvs
plan 20

vip=127.0.0.100:80

ok "ip_vs is loaded" test -e /proc/net/ip_vs
ipvs_clean
is "$(ipvs_table)" "" "the IPVS table starts empty"

ok "ipvsadm adds a wrr service" ipvsadm -A -t $vip -s wrr
ok "ipvsadm adds a real server" ipvsadm -a -t $vip -r 127.0.0.2:80 -m -w 3
is "$(ipvs_table)" "TCP $vip wrr
  -> 127.0.0.2:80 Masq 3" "the service and its real server are in the table"
like "$(ipvsadm -Ln)" "TCP +$vip wrr" "ipvsadm -Ln shows the service"

every_scheduler() {
	local s bad=
	for s in rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh; do
		ipvsadm -E -t $vip -s $s || bad="$bad $s"
	done
	[ -z "$bad" ] || diag "schedulers missing:$bad"
	[ -z "$bad" ]
}
ok "every scheduler is available" every_scheduler

ok "ipvsadm deletes the service" ipvsadm -D -t $vip
is "$(ipvs_table)" "" "the IPVS table is empty again"

route_is_local() {
	[[ $(ip -o route get "$1") == "local $1 "* ]]
}
ok "127.0.0.2 is local without adding it" route_is_local 127.0.0.2
ok "127.255.0.9 is local without adding it" route_is_local 127.255.0.9

ok "the real server starts on 127.0.0.2:8080" \
	httpd_start web1 127.0.0.2 8080 "hello from web1"
is "$(http_get http://127.0.0.2:8080/)" "hello from web1" "it answers on /"
is "$(httpd_hits web1)" 1 "it counted the request"

httpd_stop web1
nok "it no longer answers when stopped" port_open 127.0.0.2 8080
ok "it starts again" httpd_start web1 127.0.0.2 8080
httpd_status web1 503
nok "it answers 503 when told to" http_get http://127.0.0.2:8080/

is "$(command -v python3)" /usr/bin/python3 "python3 is the system's"
nok "the host's root is read-only" touch "$PWD/.vm-write-probe"
mounted() {
	local dir
	for dir; do
		mountpoint -q "$dir" || { echo "$dir is not mounted"; return 1; }
	done
}
ok "/dev/shm, /dev/pts, /tmp and the results share are mounted" \
	mounted /dev/shm /dev/pts /tmp "${VM_RESULTS:-/tmp}"

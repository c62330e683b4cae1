#!/bin/bash
# Each child runs with exactly the privileges SECURITY.md promises:
# read back from /proc of the running processes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
plan 22
ipvs_clean

httpd_start r7 127.0.0.7 80 OK || bail_out "no real server"
lvsd_conf "checkinterval=1
cleanstop=no

virtual=127.0.0.120:80
	real=127.0.0.7:80 masq
	service=http"
lvsd_start
ok "lvsd programs the table" \
	wait_for 60 eval 'weight_is 127.0.0.120:80 127.0.0.7:80 1'

status_field() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
nobody=$(id -u nobody)
# CAP_NET_ADMIN is capability 12
net_admin=0000000000001000

for child in checker ipvsd; do
	pid=$(lvsd_child $child)
	is "$(status_field "$pid" Uid)" "$nobody" "$child runs as nobody"
	is "$(status_field "$pid" Gid)" "$(id -g nobody)" "$child has nobody's group"
	is "$(status_field "$pid" NoNewPrivs)" 1 "$child has no_new_privs"
	is "$(status_field "$pid" Seccomp)" 2 "$child is under a seccomp filter"
	is "$(readlink "/proc/$pid/root")" /run/lvsd/empty "$child is chrooted to the empty directory"
done
pid=$(lvsd_child checker)
is "$(status_field "$pid" CapEff)/$(status_field "$pid" CapPrm)/$(status_field "$pid" CapBnd)" \
	0000000000000000/0000000000000000/0000000000000000 "the checker has no capability at all"
pid=$(lvsd_child ipvsd)
is "$(status_field "$pid" CapEff)/$(status_field "$pid" CapPrm)/$(status_field "$pid" CapBnd)" \
	$net_admin/$net_admin/$net_admin "ipvsd has CAP_NET_ADMIN and nothing else"
is "$(status_field "$pid" CapInh)/$(status_field "$pid" CapAmb)" \
	0000000000000000/0000000000000000 "ipvsd can pass no capability on"
pid=$(lvsd_child exec)
is "$(status_field "$pid" Uid)/$(status_field "$pid" Gid)" \
	"$nobody/$(id -g nobody)" "exec runs as nobody, with nobody's group"
is "$(status_field "$pid" CapEff)/$(status_field "$pid" CapPrm)/$(status_field "$pid" CapBnd)/$(status_field "$pid" CapInh)/$(status_field "$pid" CapAmb)" \
	0000000000000000/0000000000000000/0000000000000000/0000000000000000/0000000000000000 \
	"exec has no capability at all"
is "$(status_field "$pid" NoNewPrivs)" 1 "exec has no_new_privs"
is "$(tr -d '\0' <"/proc/$pid/environ")" "" "exec has an empty environment"
is "$(ls /run/lvsd/empty | wc -l)" 0 "the chroot is empty"
is "$(status_field "$lvsd_pid" Uid)" 0 "the parent stays root"
ok "lvsd stops" "$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" stop
is "$(dest_weight 127.0.0.120:80 127.0.0.7:80)" 1 \
	"with cleanstop=no the table stays as it was after stop"

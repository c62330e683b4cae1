#!/bin/bash
# maintenancedir: a file named after a real server takes it out of
# rotation (weight 0 in a quiescent service, removed from another) as
# `lvsd disable` does, its removal gives it back; it survives a reload,
# a reload that changes the directory reads the new one at once, and it
# adds up with disable/enable.  What is not a regular file with a real's
# name is ignored and logged.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
plan 23
ipvs_clean

vq=127.0.0.171:80	# quiescent
vr=127.0.0.172:80	# not: a real out of rotation is removed
for i in 71 72; do
	httpd_start "r$i" "127.0.0.$i" 80 "OK" || bail_out "no real server"
done
md=$TEST_TMP/maint
md2=$TEST_TMP/maint2
mkdir -m 0755 "$md" "$md2"
conf() { # MAINTENANCEDIR
	lvsd_conf "checkinterval=1
checktimeout=5
maintenancedir=$1

virtual=$vq
	real=127.0.0.71:80 masq 2
	real=127.0.0.72:80 masq 3
	service=http
	receive=\"OK\"
	quiescent=yes

virtual=$vr
	real=127.0.0.72:80 masq 4
	service=http
	receive=\"OK\"
	quiescent=no"
}
conf "$md"
lvsd=$LVSD_TOP/parent/lvsd
ctl() { "$lvsd" -f "$LVSD_CF" "$@" 2>&1; }
lvsd_start
ok "every real up" wait_for 60 eval \
	'weight_is $vq 127.0.0.71:80 2 && weight_is $vq 127.0.0.72:80 3 &&
	 weight_is $vr 127.0.0.72:80 4' || bail_out "lvsd did not start: $(lvsd_log)"

touch "$md/127.0.0.72:80"
ok "a file ADDRESS:PORT: that real quiesced" wait_for 30 weight_is $vq 127.0.0.72:80 0
ok "  and removed where the service is not quiescent" weight_is $vr 127.0.0.72:80 absent
is "$(dest_weight $vq 127.0.0.71:80)" 2 "  the other real untouched"
like "$(ctl show)" "127.0.0.72:80 +disabled" "  show says disabled"
like "$(lvsd_log)" "maintenance file for 127.0.0.72:80 appeared: 2 real servers out of rotation" \
	"  the log says which file and how many reals"

ctl reload >/dev/null
is "$(dest_weight $vq 127.0.0.72:80)/$(dest_weight $vr 127.0.0.72:80)" "0/absent" \
	"it stays out through a reload"

rm "$md/127.0.0.72:80"
ok "the file removed: the real is back" wait_for 30 eval \
	'weight_is $vq 127.0.0.72:80 3 && weight_is $vr 127.0.0.72:80 4'
like "$(lvsd_log)" "maintenance file for 127.0.0.72:80 removed: 2 real servers back to their checks" \
	"  and the log says so"

# what is not a maintenance file
mkdir "$md/127.0.0.71"
ln -s /etc/hostname "$md/127.0.0.72"
touch "$md/web1.example.org"
ok "a directory, a symbolic link, a host name: ignored and logged" wait_for 30 eval \
	'lvsd_log | grep -q "ignoring 127.0.0.71: not a regular file" &&
	 lvsd_log | grep -q "ignoring 127.0.0.72: not a regular file" &&
	 lvsd_log | grep -q "ignoring web1.example.org: not ADDRESS or ADDRESS:PORT"'
is "$(dest_weight $vq 127.0.0.71:80)/$(dest_weight $vq 127.0.0.72:80)" "2/3" \
	"  no real taken out"
rmdir "$md/127.0.0.71"
rm "$md/127.0.0.72" "$md/web1.example.org"

# a file and disable by hand add up
touch "$md/127.0.0.71"
ok "a file ADDRESS: every port of it out" wait_for 30 weight_is $vq 127.0.0.71:80 0
out=$(ctl enable 127.0.0.71)
like "$out" "127.0.0.71 is not disabled already.*a file in maintenancedir $md keeps it out of rotation" \
	"enable cannot take it out of maintenance, and says why"
out=$(ctl disable 127.0.0.71)
like "$out" "^configuration [0-9]+ in force" "disable by hand as well"
is "$(dest_weight $vq 127.0.0.71:80)" 0 "  it stays out"
rm "$md/127.0.0.71"
wait_for 30 eval 'lvsd_log | grep -q "maintenance file for 127.0.0.71 removed"'
is "$(dest_weight $vq 127.0.0.71:80)" 0 "the file removed, disabled by hand: still out"
ctl enable 127.0.0.71 >/dev/null
ok "enabled: back" wait_for 30 weight_is $vq 127.0.0.71:80 2

# a reload to another directory reads it at once
touch "$md/127.0.0.72" "$md2/127.0.0.71:80"
ok "a file in the first directory takes 127.0.0.72 out" wait_for 30 weight_is $vq 127.0.0.72:80 0
conf "$md2"
out=$(ctl reload)
is "$?" 0 "a reload to another maintenancedir"
is "$(dest_weight $vq 127.0.0.71:80)/$(dest_weight $vq 127.0.0.72:80)" "0/3" \
	"  once applied: the new directory's file counts, the old one's not"
rm "$md2/127.0.0.71:80"
ok "  and the new directory is watched" wait_for 30 weight_is $vq 127.0.0.71:80 2

nok "no child was killed by its sandbox" grep -q SIGSYS "$lvsd_logfile"
ok "lvsd stops" "$lvsd" -f "$LVSD_CF" stop

#!/bin/bash
# Reload: the new config goes to ipvsd, which changes only what differs
# (counted: the netlink operations of APPLIED), then to the checker, which
# keeps the state and timers of the checks that did not change.  A config
# that does not parse changes nothing and `lvsd reload` says why.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
plan 38
ipvs_clean

vip=127.0.0.120:80
for i in 7 8 9; do
	httpd_start "r$i" "127.0.0.$i" 80 "OK" || bail_out "no real server"
done
# conf W8 [EXTRA REAL LINE] [EXTRA LAST LINE]: a block has no blank line
conf() {
	local text="checkinterval=1
checktimeout=2
quiescent=no

virtual=$vip
	real=127.0.0.7:80 masq 5
	real=127.0.0.8:80 masq $1"
	[ -z "${2:-}" ] || text+=$'\n'"$2"
	text+=$'\n\tservice=http\n\treceive="OK"'
	[ -z "${3:-}" ] || text+=$'\n'"$3"
	lvsd_conf "$text"
}
lvsd=$LVSD_TOP/parent/lvsd
conf 7
lvsd_start
ok "both real servers are up" wait_for 60 eval \
	'weight_is $vip 127.0.0.7:80 5 && weight_is $vip 127.0.0.8:80 7' ||
	bail_out "lvsd did not start: $(lvsd_log)"
ups() { lvsd_log | grep -c "real 127.0.0.7:80 up"; }
is "$(ups)" 1 "the checker has said once that 127.0.0.7 is up"

# one changed weight: one SET_DEST, nothing else
conf 9
out=$("$lvsd" -f "$LVSD_CF" reload 2>&1)
is "$?" 0 "lvsd reload of a good config exits 0"
like "$out" "configuration 2 in force: 1 virtual services, 2 real servers, 1 changes" \
	"and answers once ipvsd applied it: exactly one netlink operation"
is "$(dest_weight $vip 127.0.0.8:80)/$(dest_weight $vip 127.0.0.7:80)" 9/5 \
	"the changed weight is in the kernel, the other real is untouched"
like "$(lvsd_log)" "ipvsd applied configuration 2: 1 services, 2 real servers, 1 changes, 0 refused" \
	"the parent logs the count"
like "$(lvsd_log)" "reloading $LVSD_CF as configuration 2: 1 virtual services, 2 real servers \(read in [0-9]+ ms\)" \
	"and how long the new file took to read and check"
like "$(lvsd_log)" "real 127.0.0.8:80 of TCP $vip up: weight 9, masq \(was weight 7, masq\)" \
	"ipvsd logs the one change: a SET_DEST of the weight"

# the checker kept its state: it goes on probing without saying "up" again
hits=$(httpd_hits r7)
ok "the checker goes on probing after the reload" \
	wait_for 30 eval '[ $(httpd_hits r7) -ge $((hits + 2)) ]'
is "$(ups)" 1 "an unchanged check keeps its state: no new verdict of up"

out=$("$lvsd" -f "$LVSD_CF" reload 2>&1)
like "$out" "configuration 3 in force: .* 0 changes" \
	"reloading an unchanged file: not one netlink operation"
like "$(lvsd_log)" "read the kernel's whole table" \
	"ipvsd read the whole kernel table at its start"
is "$(lvsd_log | grep -c "read 0 of 1 services from the kernel")" 2 \
	"a reload reads back none of the services it keeps: it knows them"

# a new real starts as ldirectord's would: out until checked (quiescent=no)
conf 9 "	real=127.0.0.9:80 masq 3"
out=$("$lvsd" -f "$LVSD_CF" reload 2>&1)
like "$out" "configuration 4 in force: 1 virtual services, 3 real servers, 0 changes" \
	"a new real is not put in service before it is checked"
ok "it is added with its weight once the checker finds it up" \
	wait_for 60 weight_is $vip 127.0.0.9:80 3
is "$(dest_weight $vip 127.0.0.8:80)/$(dest_weight $vip 127.0.0.7:80)" 9/5 \
	"the others keep theirs"

# a bad config: nothing changes, the errors are told
before=$(ipvs_table)
conf 1 "	real=127.0.0.9:80 nat 3" "	checkinterval=abc"
out=$("$lvsd" -f "$LVSD_CF" reload 2>&1)
rc=$?
is "$rc" 2 "lvsd reload of a bad config exits 2 (ldirectord's config error)"
like "$out" "lvsd.cf:8:.*'nat'" "and prints the first error with file:line"
like "$out" "lvsd.cf:11:" "and the second one"
like "$out" "configuration 4 stays in force" "and says the running config stays"
like "$(lvsd_log)" "reload: .*lvsd.cf:8:" "every error is logged too"
is "$(ipvs_table)" "$before" "the kernel's table is exactly as before"

# SIGHUP reloads too; the generation goes on from the last good one
conf 4 "	real=127.0.0.9:80 masq 3"
kill -HUP "$lvsd_pid"
ok "SIGHUP reloads: the new weight arrives" \
	wait_for 60 weight_is $vip 127.0.0.8:80 4
like "$(lvsd_log)" "ipvsd applied configuration 5: 1 services, 3 real servers, 1 changes" \
	"as configuration 5, with one change"

# two new virtuals, one the kernel already has (made by hand): only they
# are read back; the hand-made one is made as configured (scheduler, the
# stray real out), the other is created
vip2=127.0.0.121:80 vip3=127.0.0.122:80
ipvsadm -A -t $vip2 -s rr
ipvsadm -a -t $vip2 -r 127.0.0.99:80 -m -w 4
conf 4 "	real=127.0.0.9:80 masq 3" "virtual=$vip2
	real=127.0.0.7:80 masq 2
	service=http
	receive=\"OK\"
virtual=$vip3
	real=127.0.0.8:80 masq 3
	service=http
	receive=\"OK\""
out=$("$lvsd" -f "$LVSD_CF" reload 2>&1)
like "$out" "configuration 6 in force: 3 virtual services, 5 real servers" \
	"a reload adds two virtual services"
like "$(lvsd_log)" "read 2 of 3 services from the kernel" \
	"  only the new ones are read back from the kernel"
svc_table() { ipvs_table | awk -v s="TCP $1" '/^[A-Z]/ { p = ($0 ~ "^" s) } p'; }
ok "  the hand-made one is taken over: wrr, the stray real out, its real in" \
	wait_for 60 eval '[ "$(svc_table $vip2)" = "TCP $vip2 wrr
  -> 127.0.0.7:80 Masq 2" ]'
ok "  the other one is created" \
	wait_for 60 eval '[ "$(svc_table $vip3)" = "TCP $vip3 wrr
  -> 127.0.0.8:80 Masq 3" ]'
nok "  neither needed the whole table read back" \
	grep -q "cannot read a service from the kernel" "$lvsd_logfile"
# what the reload trusts, lvsd.8 says: a change by hand in a kept service
# is not undone by a reload (only read back by a restart)
ipvsadm -e -t $vip2 -r 127.0.0.7:80 -m -w 7
out=$("$lvsd" -f "$LVSD_CF" reload 2>&1)
like "$out" "configuration 7 in force: .* 0 changes" \
	"a reload does not read back the services it keeps"
is "$(dest_weight $vip2 127.0.0.7:80)" 7 "  so a weight set by hand stays"

# autoreload=yes: a change on disk is reloaded with no command at all
conf 4 "	real=127.0.0.9:80 masq 3" "	checkinterval=1
autoreload=yes"
"$lvsd" -f "$LVSD_CF" reload >/dev/null
conf 6 "	real=127.0.0.9:80 masq 3" "	checkinterval=1
autoreload=yes"
ok "autoreload: a changed file is applied by itself" \
	wait_for 60 weight_is $vip 127.0.0.8:80 6
like "$(lvsd_log)" "configuration file .*lvsd.cf has changed on disk; reloading" \
	"and the log says why"
conf 7 "	real=127.0.0.9:80 masq 3" "	checkinterval=1
autoreload=yes
bogus=1"
ok "autoreload: a broken file is reported" wait_for 60 eval \
	'[ $(lvsd_log | grep -c "reload of .* failed") = 2 ]'
n=$(lvsd_log | grep -c "has changed on disk")
wait_for 6 false
is "$(lvsd_log | grep -c "has changed on disk")/$(dest_weight $vip 127.0.0.8:80)" "$n/6" \
	"once, not again and again, and the table keeps the running config"

out=$("$lvsd" -f "$TEST_TMP/not-running.cf" reload 2>&1)
is "$?" 1 "reload when lvsd is not running exits 1"
nok "no child was killed by its sandbox" grep -q SIGSYS "$lvsd_logfile"
ok "lvsd stops" "$lvsd" -f "$LVSD_CF" stop

#!/bin/bash
# The whole of lvsd with checktype external and external-perl against
# the real ip_vs module: a command's exit status takes a real server out
# of the table and puts it back; lvsd -t refuses a checkcommand it
# cannot run; a stop leaves none of lvsd-exec's processes behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
command -v perl >/dev/null || plan skip_all "no perl"
plan 13
ipvs_clean

# the commands, where user nobody finds them: down while a flag exists
chmod 0711 "$TEST_TMP"
bin=$TEST_TMP/bin
flags=$TEST_TMP/flags
mkdir -m 0755 "$bin" "$flags"
printf '%s\n' '#!/bin/sh' \
	"echo \"\$@\" >>\"$flags/args\"" \
	"[ ! -e \"$flags/down.\$3\" ]" >"$bin/check.sh"
printf '%s\n' "exit(-e \"$flags/down.\$ARGV[2]\" ? 1 : 0);" >"$bin/check.pl"
chmod 0755 "$bin/check.sh" "$bin/check.pl"
chmod 0777 "$flags"

vip=127.0.0.141:80
vip6=127.0.0.142:80
lvsd_conf "checkinterval=1
checktimeout=20
quiescent=no

virtual=$vip
	real=127.0.0.41:80 masq 2
	real=127.0.0.42:80 masq 3
	checktype=external
	checkcommand=\"$bin/check.sh\"

virtual=$vip6
	real=127.0.0.43:80 masq 1
	checktype=external-perl
	checkcommand=$bin/check.pl"

ok "lvsd -t accepts the config" "$LVSD_TOP/parent/lvsd" -t -f "$LVSD_CF"
lvsd_start
ok "every real server gets its weight from its command" \
	wait_for 60 eval 'weight_is $vip 127.0.0.41:80 2 &&
	    weight_is $vip 127.0.0.42:80 3 && weight_is $vip6 127.0.0.43:80 1'
like "$(cat "$flags/args")" "127.0.0.141 80 127.0.0.42 80" \
	"the command has ldirectord's four arguments"

touch "$flags/down.127.0.0.42"
ok "a command that fails takes its real server out of the table" \
	wait_for 60 weight_is $vip 127.0.0.42:80 absent
is "$(dest_weight $vip 127.0.0.41:80)" 2 "the other keeps its weight"
rm "$flags/down.127.0.0.42"
ok "and puts it back when it passes again" \
	wait_for 60 weight_is $vip 127.0.0.42:80 3

touch "$flags/down.127.0.0.43"
ok "external-perl: a script that exits 1 takes its real out" \
	wait_for 60 weight_is $vip6 127.0.0.43:80 absent
like "$(lvsd_log)" "127.0.0.43:80 down \(external: exit status 1\)" \
	"the log says why"

exec_pid=$(lvsd_child exec)
nok "no child was killed by its sandbox" grep -q SIGSYS "$lvsd_logfile"
ok "lvsd stop stops the daemon" "$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" stop
ok "lvsd-exec is gone" wait_for 10 eval '! kill -0 "$exec_pid" 2>/dev/null'
nok "nothing it ran is left" pgrep -f "$bin/"

lvsd_conf "virtual=$vip
	real=127.0.0.41:80 masq
	checktype=external
	checkcommand=\"check.sh --fast\""
like "$("$LVSD_TOP/parent/lvsd" -t -f "$LVSD_CF" 2>&1)" \
	"lvsd.cf:4: error: checkcommand must be an absolute path" \
	"lvsd -t refuses a checkcommand with arguments or without a path"

#!/bin/bash
# lvsd metrics: check counts that grow, a failure counted under its
# reason once a real server stops, a latency histogram whose count is
# the checks'; and show/--json/metrics say "unknown" for a real whose
# first check has not ended (a server that accepts and never answers,
# checked with a long timeout).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
plan 19
ipvs_clean

v1=127.0.0.173:80
v2=127.0.0.174:80
httpd_start r76 127.0.0.76 80 "OK" || bail_out "no real server"
# a server that accepts connections and never says a word
spawn python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.77", 80))
s.listen(64)
open(sys.argv[1], "w").close()
conns = []
while True:
    conns.append(s.accept()[0])
' "$TEST_TMP/silent.ready"
wait_for 20 test -e "$TEST_TMP/silent.ready" || bail_out "no silent server"

lvsd_conf "checkinterval=1
checktimeout=5
quiescent=yes

virtual=$v1
	real=127.0.0.76:80 masq 2
	service=http
	receive=\"OK\"

virtual=$v2
	real=127.0.0.77:80 masq 3
	service=http
	checktimeout=600
	negotiatetimeout=600"
lvsd=$LVSD_TOP/parent/lvsd
ctl() { "$lvsd" -f "$LVSD_CF" "$@" 2>&1; }
lvsd_start
ok "the answering real up" wait_for 60 weight_is $v1 127.0.0.76:80 2 ||
	bail_out "lvsd did not start: $(lvsd_log)"

# the silent real's first check is still waiting for an answer
out=$(ctl show)
like "$out" "127.0.0.77:80 +unknown +[0-9]+s +3 +[-0-9]+ +none yet" \
	"show: a real whose first check has not ended is unknown"
state=$(ctl show --json | python3 -c '
import json, sys
for v in json.load(sys.stdin)["virtuals"]:
    for r in v["reals"]:
        if r["address"] == "127.0.0.77":
            print(r["state"], r["last_check"])')
is "$state" "unknown None" "  show --json too, with no last check"
like "$(ctl metrics)" 'lvsd_real_up\{virtual="TCP 127.0.0.174:80",real="127.0.0.77:80"\} -1' \
	"  metrics: lvsd_real_up -1"

m1='lvsd_real_checks_total{virtual="TCP 127.0.0.173:80",real="127.0.0.76:80"}'
# the value of the sample NAME{LABELS} (labels hold a space: not awk's $1)
sample() { grep -F "$1 " | awk '{ print $NF }'; }
checks() { ctl metrics | sample "$1"; }
ok "metrics: the checks of the answering real are counted" \
	wait_for 30 eval '[ "$(checks "$m1")" -ge 2 ] 2>/dev/null'
n1=$(checks "$m1")
ok "  and the count grows (it was $n1)" \
	wait_for 30 eval '[ "$(checks "$m1")" -gt "$n1" ] 2>/dev/null'
out=$(ctl metrics)
like "$out" '# TYPE lvsd_real_check_failures_total counter' "failures: a counter"
like "$out" 'lvsd_real_check_failures_total\{virtual="TCP 127.0.0.173:80",real="127.0.0.76:80",reason="refused"\} 0' \
	"  none refused yet"
n=$(echo "$out" | sample "$m1")
ok "the latency histogram counts every check ($n)" test -n "$n" -a "$n" = \
	"$(echo "$out" | sample 'lvsd_real_check_duration_seconds_count{virtual="TCP 127.0.0.173:80",real="127.0.0.76:80"}')"
like "$out" 'lvsd_real_check_duration_seconds_bucket\{virtual="TCP 127.0.0.173:80",real="127.0.0.76:80",le="\+Inf"\} [1-9]' \
	"  with its +Inf bucket"
is "$(checks 'lvsd_real_checks_total{virtual="TCP 127.0.0.174:80",real="127.0.0.77:80"}')" 0 \
	"the silent real: no check has ended"
groups=$(printf '%s\n' "$out" | grep -v '^#' | sed 's/[{ ].*//' |
	sed 's/_\(bucket\|sum\|count\)$//' | uniq | sort | uniq -d)
is "$groups" "" "every metric's samples are one group (Prometheus text format)"

# Debian's python3, whatever python3 comes first in PATH
parsed=$(printf '%s\n' "$out" | /usr/bin/python3 -c '
import sys
from prometheus_client.parser import text_string_to_metric_families as parse
fams = {f.name: f for f in parse(sys.stdin.read())}
h = fams["lvsd_real_check_duration_seconds"]
# this parser names a counter family without its _total
f = fams.get("lvsd_real_check_failures_total", fams.get("lvsd_real_check_failures"))
print(h.type, len([s for s in h.samples if s.name.endswith("_bucket")]) // 2,
      f.type, sorted({s.labels["reason"] for s in f.samples}))' 2>&1)
if /usr/bin/python3 -c 'import prometheus_client' 2>/dev/null; then
	is "$parsed" "histogram 9 counter ['closed', 'mismatch', 'other', 'protocol', 'refused', 'timeout', 'unreachable']" \
		"Prometheus's own parser reads it: a histogram of 9 buckets, failures by 7 reasons"
else
	skip "no python3-prometheus-client" 1
fi

httpd_stop r76
ok "the real server stopped: quiesced" wait_for 30 weight_is $v1 127.0.0.76:80 0
refused='lvsd_real_check_failures_total{virtual="TCP 127.0.0.173:80",real="127.0.0.76:80",reason="refused"}'
ok "  its failures counted under reason refused" \
	wait_for 30 eval '[ "$(checks "$refused")" -ge 1 ] 2>/dev/null'
like "$(ctl metrics)" 'real="127.0.0.76:80",reason="timeout"\} 0' \
	"  and not under timeout"
like "$(ctl show)" "127.0.0.77:80 +unknown" "the silent real: still unknown"

nok "no child was killed by its sandbox" grep -q SIGSYS "$lvsd_logfile"
ok "lvsd stops" "$lvsd" -f "$LVSD_CF" stop

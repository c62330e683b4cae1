#!/bin/bash
# The control socket: show (text and JSON, checked against ipvsadm -Ln),
# metrics, disable/enable surviving a reload; only root may talk to it,
# and a malformed request drops that client and nothing else.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
plan 27
ipvs_clean

vip=127.0.0.150:80
for i in 14 15; do
	httpd_start "r$i" "127.0.0.$i" 80 "OK" || bail_out "no real server"
done
lvsd_conf "checkinterval=1
checktimeout=2
quiescent=yes

virtual=$vip
	real=127.0.0.14:80 masq 2
	real=127.0.0.15:80 masq 3
	real=127.0.0.16:80 masq 4
	fallback=127.0.0.1:80
	service=http
	receive=\"OK\""
lvsd=$LVSD_TOP/parent/lvsd
lvsd_start
ok "two up, the third (no server) quiesced" wait_for 60 eval \
	'weight_is $vip 127.0.0.14:80 2 && weight_is $vip 127.0.0.15:80 3 &&
	 weight_is $vip 127.0.0.16:80 0' || bail_out "lvsd did not start: $(lvsd_log)"
ctl=/run/lvsd/lvsd.lvsd.cf.sock
is "$(stat -c '%a %U' $ctl)" "600 root" "the control socket is root's, mode 0600"

ok "the checker's reason for the down one has arrived" wait_for 30 eval \
	'"$lvsd" -f "$LVSD_CF" show | grep -q "127.0.0.16:80 .*down"'
out=$("$lvsd" -f "$LVSD_CF" show)
is "$?" 0 "show exits 0"
like "$out" "TCP 127.0.0.150:80 wrr quiescent" "show names the virtual service"
like "$out" "127.0.0.14:80 +up +[0-9]+s +2 +2 +ok in [0-9]+ ms \(http: status 200\)" \
	"an up real: state, time since the change, weights, the last check"
like "$out" "127.0.0.16:80 +down +[0-9]+s +4 +0 +failed in [0-9]+ ms \(.*\)" \
	"a down real: configured weight 4, IPVS weight 0, why"
like "$out" "127.0.0.1:80 +fallback +-" "the fallback, not in the table"

"$lvsd" -f "$LVSD_CF" show --json >"$TEST_TMP/show.json"
is "$?" 0 "show --json exits 0"
ipvsadm -Ln >"$TEST_TMP/ipvsadm"
check=$(python3 - "$TEST_TMP/show.json" "$TEST_TMP/ipvsadm" <<'PY'
import json, sys
show = json.load(open(sys.argv[1]))
kernel = {}
for line in open(sys.argv[2]):
    f = line.split()
    if f and f[0] in ("TCP", "UDP"):
        svc = f[1]
    elif f and f[0] == "->" and f[1] != "RemoteAddress:Port":
        kernel[(svc, f[1])] = int(f[3])
seen = {}
for v in show["virtuals"]:
    for r in v["reals"]:
        key = ("%s:%d" % (v["address"], v["port"]), "%s:%d" % (r["address"], r["port"]))
        seen[key] = r["ipvs_weight"]
        assert r["state"] in ("up", "down"), r
        assert isinstance(r["last_check"]["reason"], str)
    fb = v["fallback"]
    assert fb["address"] == "127.0.0.1" and fb["port"] == 80, fb
    if fb["in_table"]:
        seen[("%s:%d" % (v["address"], v["port"]), "127.0.0.1:80")] = 1
print("match" if seen == kernel else "differ: %r %r" % (seen, kernel))
PY
)
is "$check" match "the JSON parses and every real's ipvs_weight is ipvsadm -Ln's"

out=$("$lvsd" -f "$LVSD_CF" metrics)
like "$out" 'lvsd_real_up\{virtual="TCP 127.0.0.150:80",real="127.0.0.14:80"\} 1' "metrics: an up real"
like "$out" 'lvsd_real_ipvs_weight\{virtual="TCP 127.0.0.150:80",real="127.0.0.16:80"\} 0' "metrics: its weight"
# a histogram's _bucket, _sum and _count of one real are one family's
groups=$(printf '%s\n' "$out" | grep -v '^#' | sed 's/[{ ].*//' |
	sed 's/_\(bucket\|sum\|count\)$//' | uniq | sort | uniq -d)
is "$groups" "" "metrics: every metric's samples are one group (Prometheus text format)"

# only root
chmod 0666 $ctl
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$lvsd" -f "$LVSD_CF" show 2>&1)
rc=$?
chmod 0600 $ctl
is "$rc/$out" "4/permission denied" "a client that is not root is refused (SO_PEERCRED), exit 4"
# malformed requests: that client gets an error, the daemon goes on
talk() { python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode("latin-1")); s.shutdown(socket.SHUT_WR)
print(s.makefile("rb").read().decode("latin-1").replace("\n", "|"))' "$ctl" "$1"; }
is "$(talk $'show\x01\n')" "2|request with a non-printable byte|" "a control character: refused"
is "$(talk "$(printf 'x%.0s' {1..600})")" "2|request too long|" "an endless line: refused"
is "$(talk $'frobnicate\n')" "2|unknown request|" "an unknown request: refused"
ok "the daemon still answers" "$lvsd" -f "$LVSD_CF" show

# disable / enable
out=$("$lvsd" -f "$LVSD_CF" disable 127.0.0.15:80 2>&1)
like "$?/$out" "^0/configuration 2 in force" "disable exits 0 once ipvsd applied it"
is "$(dest_weight $vip 127.0.0.15:80)" 0 "a disabled real is quiesced at once"
like "$("$lvsd" -f "$LVSD_CF" show)" "127.0.0.15:80 +disabled" "show says disabled"
"$lvsd" -f "$LVSD_CF" reload >/dev/null
is "$(dest_weight $vip 127.0.0.15:80)" 0 "it stays disabled through a reload"
out=$("$lvsd" -f "$LVSD_CF" disable 127.0.0.99 2>&1)
like "$?/$out" "^1/127.0.0.99: no such real server" "disable of an unknown real: 1"
out=$("$lvsd" -f "$LVSD_CF" enable 127.0.0.15:80 2>&1)
like "$?/$out" "^0/configuration 4 in force" "enable exits 0"
ok "an enabled real gets its weight back" weight_is $vip 127.0.0.15:80 3

nok "no child was killed by its sandbox" grep -q SIGSYS "$lvsd_logfile"
ok "lvsd stops" "$lvsd" -f "$LVSD_CF" stop

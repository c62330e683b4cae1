#!/bin/bash
# E-mail alerts sent by lvsd-checker (MSG_ALERT) to a real OpenSMTPD run
# in the foreground on 127.0.45.1:2525, which hands each recipient's copy
# to an mda script that files it under the test's tmp.  Proves that the
# mail arrives with ldirectord's headers and body, that every recipient
# gets its own RCPT TO (ldirectord sends one broken RCPT TO for a list),
# and that a dead mail server, a refused recipient and a server that
# never speaks (ended at the alert's timeout) each cost one logged
# failure and nothing else:
# the checks go on, the checker answers, the sandbox kills nothing.
# Needs root but no IPVS.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

command -v smtpd >/dev/null || plan skip_all "no OpenSMTPD (make deps)"
if [ -S /run/smtpd.sock ] || [ -S /var/run/smtpd.sock ]; then
	# one control socket per machine: another test's smtpd is running
	plan skip_all "another OpenSMTPD is running"
fi

plan 20

listening() { ss -Hltn "src $1" | grep -q .; }

# ---- OpenSMTPD on 127.0.45.1:2525 ------------------------------------------

sm=$TEST_TMP/smtpd
box=$TEST_TMP/mail
mkdir -p "$sm" "$box"
chmod 0711 "$TEST_TMP"
# the mda: one file per recipient, named after it, with the envelope
cat >"$sm/save.sh" <<'SAVE'
#!/bin/sh
{ printf 'X-Envelope: %s -> %s\n' "$2" "$1"; cat; } >"$3/$1.tmp" &&
	mv "$3/$1.tmp" "$3/$1"
SAVE
chmod 0755 "$sm/save.sh"
# smtpd will not deliver as root: as nobody, into a box nobody may write
printf '@ nobody\n' >"$sm/vusers"
chmod 0777 "$box"
cat >"$sm/smtpd.conf" <<SMTPD
table vusers file:$sm/vusers
listen on 127.0.45.1 port 2525
action "save" mda "$sm/save.sh %{rcpt} %{sender} $box" virtual <vusers>
match from any for domain "refused.example" reject
match from any for any action "save"
SMTPD
chmod 0600 "$sm/smtpd.conf" "$sm/vusers"
smtpd_start 127.0.45.1 2525 "$sm/smtpd.conf"

# ---- the checker, with one check that must go on ----------------------------

checker_driver_start
ok "the checker says it is ready" wait_for 10 has ready
send peer "check 0 smtp tcp 127.0.45.1 2525 interval=500 ntimeout=20000" \
	"conf 1 1"
ok "a check of the mail server is up" wait_for 60 has "state 1 0 up"

# ---- one alert, two recipients ---------------------------------------------

subject="[web] Deleted real server: 10.0.0.2:80 (192.0.2.1:80)"
body='lvsd host: lb1.example.com\nLog-Message: '"$subject"'\nDaemon-Status: running\n\nService name: web\nComment: the shop'
send "alert 127.0.45.1 2525 30000 ops@example.com, oncall@example.org|LVS director <lvsd@lb1.example.com>|lb1.example.com|$subject|$body"
ok "the checker logs the alert as sent" \
	wait_for 90 has "log checker: alert \"$subject\" sent through 127.0.45.1:2525"
ok "the first recipient has its copy" wait_for 30 test -s "$box/ops@example.com"
ok "the second recipient has its copy" \
	wait_for 30 test -s "$box/oncall@example.org"
m=$box/ops@example.com
hdr() { sed -n '/^\r\{0,1\}$/q;p' "$m" | tr -d '\r'; }
text() { sed '1,/^\r\{0,1\}$/d' "$m" | tr -d '\r'; }
ok "envelope: from the From: header's address, to each recipient" \
	grep -qxF "X-Envelope: lvsd@lb1.example.com -> ops@example.com" "$m"
ok "From: is emailalertfrom" \
	eval 'hdr | grep -qxF "From: LVS director <lvsd@lb1.example.com>"'
ok "To: names both recipients" \
	eval 'hdr | grep -A1 "^To: " | tr -d "\n" |
	    grep -qxF "To: ops@example.com, oncall@example.org"'
ok "Subject: is the log line with the service name" \
	eval 'hdr | grep -qxF "Subject: $subject"'
ok "a Date: header" eval 'hdr | grep -qE "^Date: [A-Z][a-z]{2}, [0-9]{2} "'
ok "it says it was sent by a program" \
	eval 'hdr | grep -qxF "Auto-Submitted: auto-generated"'
is "$(text)" "$(printf '%b' "$body")" "the body is ldirectord's"

# ---- a dead mail server ------------------------------------------------------

send "alert 127.0.45.2 2525 5000 ops@example.com|root@lb1|lb1|lost alert|x"
ok "a dead server is one logged failure" wait_for 60 has_re \
	'^log checker: alert "lost alert" not sent through 127\.0\.45\.2:2525: .+'
send "alert 127.0.45.1 2525 30000 x@refused.example|root@lb1|lb1|refused alert|x"
ok "a refused recipient is a logged failure, with the server's code" \
	wait_for 60 has_re \
	'^log checker: alert "refused alert" not sent through 127\.0\.45\.1:2525: .*55[0-9]'

# a server that accepts and never speaks: the alert's timeout ends it
stall=$TEST_TMP/stall.py
cat >"$stall" <<'PY'
import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.45.3", 2525))
s.listen(4)
conns = []
while True:
    conns.append(s.accept()[0])
PY
spawn python3 "$stall"
wait_for 30 listening 127.0.45.3:2525 || bail_out "the silent server did not start"
t0=$(date +%s)
send "alert 127.0.45.3 2525 2000 ops@example.com|root@lb1|lb1|silent alert|x"
ok "a silent server is a logged failure at the alert's timeout" \
	wait_for 60 has_re \
	'^log checker: alert "silent alert" not sent through 127\.0\.45\.3:2525: .*timed out after 2[0-9]{3} milliseconds'
t1=$(date +%s)
ok "  not held longer (took $((t1 - t0)) s, 30 allowed)" [ $((t1 - t0)) -le 30 ]
send "ping 45"
ok "the checker still answers" wait_for 30 has "pong 45"
# the check's sessions, as smtpd logs them, go on after the failure
probes() { grep -c 'smtp connected address=127.0.0.1' "$smtpd_log"; }
n=$(probes)
ok "the check goes on" wait_for 30 eval '[ "$(probes)" -gt "$n" ]'
nok "the real never went down" has "state 1 0 down"
nok "the sandbox killed nothing" has_re "^killed"
send quit
wait "$driver_pid" 2>/dev/null
# shellcheck disable=SC2154 # lib.sh's count of failures
[ "$_t_failed" = 0 ] ||
	diag "driver output:" "$(cat "$out")" "smtpd:" "$(cat "$smtpd_log")" \
	    "mail:" "$(ls -l "$box"; cat "$box"/* 2>/dev/null)"

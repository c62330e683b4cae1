#!/bin/bash
# lvsd-checker's radius and sip checks against real daemons: FreeRADIUS
# (a good login, a wrong password, a wrong secret, a server that stops)
# and SIPp as a UAS answering OPTIONS with 100 then 200 (over UDP and
# TCP), with 404, or not at all; each on its own 127.0.36.x address with
# a config the test writes.  Needs root but no IPVS.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

command -v freeradius >/dev/null || plan skip_all "no freeradius (make deps)"
command -v sipp >/dev/null || plan skip_all "no sipp (sip-tester, make deps)"

plan 25

udp_bound() { ss -Hlun "src $1" | grep -q .; }
tcp_bound() { ss -Hltn "src $1" | grep -q .; }

# ---- FreeRADIUS on 127.0.36.1:18120 ------------------------------------------

# A config of its own, only what a PAP login needs: it starts in about a
# second.  It runs as root (no user in security{}), in the foreground.
# The client must sign its requests (require_message_authenticator).
rd=$TEST_TMP/raddb
mkdir -p "$rd/run" "$rd/log" "$rd/mods-config/files"
cp /etc/freeradius/3.0/dictionary "$rd/"
cat >"$rd/radiusd.conf" <<RADIUSD
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = $rd
sbindir = /usr/sbin
logdir = $rd/log
raddbdir = $rd
radacctdir = \${logdir}/radacct
name = freeradius
confdir = \${raddbdir}
modconfdir = \${confdir}/mods-config
run_dir = $rd/run
db_dir = \${raddbdir}
libdir = /usr/lib/freeradius
pidfile = \${run_dir}/\${name}.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 1024
hostname_lookups = no
log {
	destination = stdout
	auth = yes
	auth_badpass = yes
}
security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = no
}
client probe {
	ipaddr = 127.0.0.0/8
	secret = s3cret-radius
	require_message_authenticator = yes
}
thread pool {
	start_servers = 1
	max_servers = 2
	min_spare_servers = 1
	max_spare_servers = 2
}
modules {
	files {
		filename = \${modconfdir}/files/authorize
	}
	pap {
	}
}
server default {
	listen {
		type = auth
		ipaddr = 127.0.36.1
		port = 18120
	}
	authorize {
		files
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
	}
}
RADIUSD
echo 'probe Cleartext-Password := "good-pass"' >"$rd/mods-config/files/authorize"
chmod -R go-w "$rd"
spawn freeradius -X -d "$rd"
radius_pid=$spawned_pid
radius_log=$spawned_log
wait_for 90 udp_bound 127.0.36.1:18120 ||
	bail_out "freeradius did not start: $(tail -n 30 "$radius_log")"

# ---- SIPp UAS on 127.0.36.2 (UDP and TCP), .3 and .4 -------------------------

# reply_scenario NAME STATUS...: answer each OPTIONS with these statuses.
reply_scenario() {
	local name=$1 status
	shift
	{
		echo '<?xml version="1.0" encoding="ISO-8859-1" ?>'
		echo "<scenario name=\"$name\">"
		echo '  <recv request="OPTIONS"/>'
		for status in "$@"; do
			cat <<SEND
  <send>
    <![CDATA[
SIP/2.0 $status
[last_Via:]
[last_From:]
[last_To:];tag=[pid]lvsd[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

    ]]>
  </send>
SEND
		done
		echo '</scenario>'
	} >"$TEST_TMP/$name.xml"
}
reply_scenario ok "100 Trying" "200 OK"
reply_scenario notfound "404 Not Found"
# silent: take the OPTIONS, answer nothing
cat >"$TEST_TMP/silent.xml" <<'SILENT'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="silent">
  <recv request="OPTIONS"/>
  <pause milliseconds="600000"/>
</scenario>
SILENT

# sipp_start ADDR PORT TRANSPORT SCENARIO N: each its own control port
# and media ports (it binds them even when it sends no media)
sipp_start() {
	cd "$TEST_TMP" && spawn sipp -sf "$4.xml" -i "$1" -p "$2" -t "$3" \
		-nostdin -cp $((8836 + $5)) -mp $((16000 + 10 * $5))
	cd - >/dev/null
}
sipp_start 127.0.36.2 5060 u1 ok 0
sipp_ok_pid=$spawned_pid
sipp_start 127.0.36.2 5061 t1 ok 1
sipp_start 127.0.36.3 5060 u1 notfound 2
sipp_start 127.0.36.4 5060 u1 silent 3
for a in 127.0.36.2:5060 127.0.36.3:5060 127.0.36.4:5060; do
	wait_for 90 udp_bound "$a" ||
		bail_out "sipp did not start on $a: $(cat "$TEST_TMP"/spawn.*.log)"
done
wait_for 90 tcp_bound 127.0.36.2:5061 || bail_out "sipp did not start on TCP"

# ---- the checks --------------------------------------------------------------

checker_driver_start
ok "the checker says it is ready" wait_for 10 has ready

a=127.0.36
t="ntimeout=20000"
good="login=probe passwd=good-pass secret=s3cret-radius"
send peer \
	"check 0 radius udp $a.1 18120 $t $good" \
	"check 1 radius udp $a.1 18120 $t login=probe passwd=bad-pass secret=s3cret-radius" \
	"check 2 radius tcp $a.1 18120 ntimeout=3000 login=probe passwd=good-pass secret=not-the-secret" \
	"check 3 radius udp $a.5 18120 $t $good" \
	"check 4 sip udp $a.2 5060 $t login=probe@example.org" \
	"check 5 sip tcp $a.2 5061 $t" \
	"check 6 sip udp $a.3 5060 $t login=probe@example.org" \
	"check 7 sip udp $a.4 5060 ntimeout=3000" \
	"check 8 sip udp $a.5 5060 $t" \
	"conf 1 9"

expect 0 up "radius: Access-Accept" "freeradius, the good login: up"
expect 1 down "radius: Access-Reject" "freeradius, a wrong password: down"
expect 2 down "radius: no reply within 3000 ms" \
	"freeradius, a wrong secret (it drops the request): down"
expect 3 down "radius: recv: Connection refused" "no radius server: down"
expect 4 up "sip: 'SIP/2.0 200 OK'" "sipp over UDP, 100 then 200: up"
expect 5 up "sip: 'SIP/2.0 200 OK'" "sipp over TCP, 100 then 200: up"
expect 6 down "sip: 'SIP/2.0 404 Not Found'" "sipp answering 404: down"
expect 7 down "sip: no reply within 3000 ms" "sipp answering nothing: down"
expect 8 down "sip: (recv|send): Connection refused" "no sip peer: down"

ok "freeradius checked the Message-Authenticator and refused the wrong secret" \
	grep -q "invalid Message-Authenticator" "$radius_log"
ok "freeradius saw the bad password" grep -q "Login incorrect" "$radius_log"

# stopped servers: the good checks go down on their next probe
stop_pid "$radius_pid"
stop_pid "$sipp_ok_pid"
ok "freeradius stopped: the good login goes down" \
	wait_for 90 has "state 1 0 down"
like "$(grep "^result 1 0 " "$out" | tail -n 1)" \
	"radius: (recv|send): Connection refused\$" "  because: refused"
ok "sipp stopped: its check goes down" wait_for 90 has "state 1 4 down"
nok "no probe was killed by the sandbox" has_re "^killed"
send quit
wait "$driver_pid" 2>/dev/null
# shellcheck disable=SC2154 # lib.sh's count of failures
[ "$_t_failed" = 0 ] || diag "driver output:" "$(cat "$out")" \
	"freeradius:" "$(tail -n 60 "$radius_log")"

#!/bin/bash
# lvsd-checker alone, with checker-driver playing the parent and ipvsd:
# every kind of check against real servers on 127.0.30.0/8 (and [::1]),
# the sandbox it runs in, a real going down after failurecount failures
# and coming back, a reload that keeps state, ipvsd restarting.
# Needs root (chroot, setuid) but no IPVS.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

if [ ! -x "$checker" ] || [ ! -x "$driver" ]; then
	plan skip_all "run make first"
fi
command -v python3 >/dev/null || plan skip_all "no python3"

plan 79

# ---- the driver and its output ---------------------------------------------

count() { grep -cxF -- "$1" "$out"; }
count_is() { [ "$(count "$1")" = "$2" ]; }

# ---- real servers ----------------------------------------------------------

httpd_start web 127.0.30.2 8080 "OK
" || bail_out "no HTTP server"
httpd_body web "nope" /nomatch
httpd_body web "$(head -c 100000 /dev/zero | tr '\0' x)" /big
httpd_start web503 127.0.30.3 8080 "OK"
httpd_status web503 503
httpd_start slow 127.0.30.5 8080 "OK"
httpd_delay slow 3
httpd_start flap 127.0.30.7 8080 "OK"

# A server that answers 200 only to "Host: www.example.org" and keeps
# every request head it gets, to see what the checker sends.
cat >"$TEST_TMP/vhost.py" <<'EOF'
import socket, sys
addr, port, log, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
s.listen(16)
open(ready, "w").close()
while True:
    c, _ = s.accept()
    c.settimeout(5)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = c.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    head = data.split(b"\r\n\r\n")[0]
    with open(log, "ab") as f:
        f.write(head + b"\n--\n")
    ok = b"\r\nHost: www.example.org\r\n" in head + b"\r\n"
    c.sendall(b"HTTP/1.0 %d X\r\nContent-Length: 3\r\nConnection: close"
              b"\r\n\r\nOK\n" % (200 if ok else 421))
    c.close()
EOF
spawn python3 "$TEST_TMP/vhost.py" 127.0.30.6 8080 "$TEST_TMP/vhost.log" \
	"$TEST_TMP/vhost.ready"
wait_for 20 test -e "$TEST_TMP/vhost.ready" || bail_out "no vhost server"

# A UDP service that is there (and does not answer), and a closed port.
cat >"$TEST_TMP/udp.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
open(sys.argv[3], "w").close()
while True:
    s.recv(2048)
EOF
spawn python3 "$TEST_TMP/udp.py" 127.0.30.8 5353 "$TEST_TMP/udp.ready"
wait_for 20 test -e "$TEST_TMP/udp.ready" || bail_out "no UDP server"

# Two that keep the connection open after their reply: one framed by
# Content-Length, one in chunks.  Only the framing ends the probe.
mkdir -p "$TEST_TMP/framing"
spawn python3 "$TEST_LIB_DIR/hostile.py" "$TEST_TMP/framing" \
	keep keepalive 127.0.30.11 8080 chunk chunked 127.0.30.12 8080
wait_for 60 test -e "$TEST_TMP/framing/ready" || bail_out "no framing servers"

have_v6=
if httpd_start web6 ::1 8090 "OK" 2>/dev/null; then
	have_v6=1
fi

# ---- start the checker -----------------------------------------------------

ulimit -Sn 512
checker_driver_start

ok "the checker says it is ready" wait_for 60 has ready
pid=$(sed -n 's/^pid //p' "$out")
# started under a soft limit of 512 open files (above), it takes
# the hard one: every probe in flight holds a descriptor
is "$(awk '/^Max open files/ { print ($4 == $5) ? "hard" : $4 "/" $5 }' "/proc/$pid/limits")" \
	hard "the checker raised its soft limit on open files to the hard one"

config() {
	# the reason of a verdict is tested: no timeout under load
	local gen=$1 t=ntimeout=20000 nomatch="request=/nomatch receive=^OK"
	send peer
	send "check 0 connect tcp 127.0.30.2 8080" \
		"check 1 connect tcp 127.0.30.4 8081" \
		"check 2 http tcp 127.0.30.2 8080 $t receive=^OK" \
		"check 3 http tcp 127.0.30.3 8080 $t" \
		"check 4 http tcp 127.0.30.2 8080 $t $nomatch" \
		"check 5 head tcp 127.0.30.2 8080 $t" \
		"check 6 http tcp 127.0.30.2 8080 $t request=/big receive=x" \
		"check 7 http tcp 127.0.30.5 8080 ntimeout=500" \
		"check 8 connect udp 127.0.30.8 5353 ctimeout=300" \
		"check 9 connect udp 127.0.30.9 5354" \
		"check 10 on tcp 127.0.30.10 0" \
		"check 11 off tcp 127.0.30.10 0" \
		"check 12 none tcp 127.0.30.10 80" \
		"check 13 http tcp 127.0.30.7 8080 interval=200 fail=3" \
		"check 14 http tcp 127.0.30.6 8080 $t vhost=www.example.org" \
		"check 16 head tcp 127.0.30.6 8080 $t" \
		"check 17 http tcp 127.0.30.11 8080 $t receive=^OK" \
		"check 18 http tcp 127.0.30.12 8080 $t receive=^OK"
	[ -z "$have_v6" ] || send "check 15 http tcp ::1 8090 receive=OK"
	send "conf $gen 19"
}
config 1

# ---- every kind of check ---------------------------------------------------

expect 0 up "connect: connected" "tcp connect to a listening port: up"
expect 1 down "connect: Connection refused" \
	"tcp connect to a closed port: down"
expect 2 up "http: status 200" "http 200 whose body matches: up"
expect 3 down "http: status 503" "http 503: down"
expect 4 down "http: body does not match '\\^OK'" \
	"http 200 whose body does not match: down"
expect 5 up "http: status 200" "http HEAD: up"
expect 6 down "http: body larger than 65536 bytes" \
	"a body over the cap: down"
expect 7 down "timeout after 500 ms" "a server too slow: down"
expect 8 up "udp: echo reply, no port unreachable" "udp to a bound port: up"
expect 9 down "udp: Connection refused" "udp to a closed port: down"
expect 10 up "checktype on" "checktype on: up"
expect 11 down "checktype off" "checktype off: down"
expect 12 up "service none" "negotiate, service none: up"
expect 14 up "http: status 200" "http with a virtualhost: up"
if [ -n "$have_v6" ]; then
	expect 15 up "http: status 200" "http over IPv6: up"
else
	skip "no IPv6 loopback" 2
fi
expect 16 down "http: status 421" "the same server without the vhost: down"
expect 17 up "http: status 200" "a reply by Content-Length on a connection kept open: up"
expect 18 up "http: status 200" "a chunked reply on a connection kept open: up"
# the first verdict's latency (us), in ms
latency_ms() { echo $(($(grep "^result 1 $1 " "$out" | head -n 1 | cut -d' ' -f6) / 1000)); }
ok "both at their framing's end ($(latency_ms 17) and $(latency_ms 18) ms), not at the 20 s timeout" \
	eval '[ "$(latency_ms 17)" -lt 10000 ] && [ "$(latency_ms 18)" -lt 10000 ]'
refused4="log checker: real 127.0.30.4:8081 down (connect: Connection refused)"
ok "a state change is logged at info level" has "$refused4"
ok "HEAD is sent as HEAD" grep -qx "HEAD /" "$TEST_TMP/httpd-web/.log"
ok "the virtualhost is the Host: header" \
	grep -q "^Host: www.example.org" "$TEST_TMP/vhost.log"
ok "the request line names the path" \
	grep -qx "GET /nomatch" "$TEST_TMP/httpd-web/.log"

# ---- the sandbox -----------------------------------------------------------

status=$(cat "/proc/$pid/status" 2>/dev/null)
like "$status" $'\nUid:\t65534\t65534\t65534\t65534\n' "it runs as nobody"
like "$status" $'\nGid:\t65534\t65534\t65534\t65534\n' "in group nogroup"
like "$status" $'\nGroups:\t65534 *\n' "with no other group"
like "$status" $'\nCapEff:\t0000000000000000\n' "with no effective capability"
like "$status" $'\nCapPrm:\t0000000000000000\n' "none permitted"
like "$status" $'\nCapBnd:\t0000000000000000\n' "none in the bounding set"
like "$status" $'\nNoNewPrivs:\t1\n' "with no_new_privs"
like "$status" $'\nSeccomp:\t2\n' "under a seccomp filter"
is "$(readlink "/proc/$pid/root")" "$empty" "chrooted to the empty directory"
is "$(ls -A "$empty")" "" "which it left empty"

# ---- down after failurecount failures, and back ----------------------------

ok "the flapping real is up" wait_for 15 has "state 1 13 up"
httpd_stop flap
ok "stopped, it goes down" wait_for 15 has "state 1 13 down"
# the two failures logged before "down" (an earlier one, say a timeout
# in a slow VM, was followed by a success, which resets the count)
soft=$(sed -n '/^log checker: real 127.0.30.7:8080 down /q;
	s/^log checker: real 127.0.30.7:8080 failure \([0-9]\) of 3 .*/\1/p' \
	"$out" | tail -n 2 | tr -d '\n')
is "$soft" 12 "after two soft failures, logged at debug level"
ok "the third failure is the one that takes it down" \
	has "log checker: real 127.0.30.7:8080 down (connect: Connection refused)"
like "$(grep "^result 1 13 " "$out" | tail -n 2 | head -n 1)" \
	"^result 1 13 down up " "the parent heard of the first soft failure"
httpd_start flap 127.0.30.7 8080
ok "started again, it comes back" wait_for 15 \
	count_is "state 1 13 up" 2
ok "and logs it" has "log checker: real 127.0.30.7:8080 up (http: status 200)"

# ---- reload ----------------------------------------------------------------

ups=$(count "log checker: real 127.0.30.2:8080 up (connect: connected)")
config 2
ok "a reload is applied" wait_for 10 has_re "^log checker: config 2 applied"
ok "ipvsd gets the known states under the new generation" \
	wait_for 10 has "state 2 0 up"
ok "and every one of them" has "state 2 11 down"
is "$(count "log checker: real 127.0.30.2:8080 up (connect: connected)")" \
	"$ups" "an unchanged check keeps its state: no new verdict logged"
# ids 0 and 1 swapped, 2 changed: the parent renumbered, then edited
send "check 0 connect tcp 127.0.30.4 8081" \
	"check 1 connect tcp 127.0.30.2 8080" \
	"check 2 connect tcp 127.0.30.2 8080 interval=300" "conf 3 3"
ok "a renumbered config is applied" \
	wait_for 10 has_re "^log checker: config 3 applied: 3 reals"
ok "a renumbered check keeps its state under its new id" \
	wait_for 10 has "state 3 1 up"
ok "both ways" wait_for 10 has "state 3 0 down"
ok "a changed check starts afresh" wait_for 10 \
	count_is "log checker: real 127.0.30.2:8080 up (connect: connected)" \
	$((ups + 1))
is "$(count "$refused4")" 1 "the renumbered ones were not redone"

# ---- ipvsd restarting ------------------------------------------------------

send unpeer
httpd_stop web
ok "the checker goes on while ipvsd is away" \
	wait_for 15 has_re "^result 3 1 down down [0-9]+ connect: Connection ref"
is "$(count "state 3 1 down")" 0 "nothing could be sent to ipvsd"
send peer
ok "the next ipvsd gets a snapshot" wait_for 10 has "state 3 1 down"
# requests on one channel are answered in order: 4 first, if at all
send "snapshot 4"
send "snapshot 3"
send "snapshot 3"
ok "a request for its configuration is answered" \
	wait_for 10 count_is "state 3 1 down" 3
send "ping 41"
wait_for 10 has "pong 41"
is "$(count "state 3 1 down")" 3 \
	"one for a configuration it does not have yet is left to that one's end"
send "ping 42"
ok "PING is answered" wait_for 10 has "pong 42"

# ---- the end ---------------------------------------------------------------

ok "the checker is still running" kill -0 "$pid"
nok "no probe was killed by the sandbox" has_re "^killed"
send quit
ok "it exits when the parent hangs up" wait_for 10 has "exit 0"
nok "the driver saw no protocol error" has_re "^error"
wait "$driver_pid" 2>/dev/null
# shellcheck disable=SC2154 # lib.sh's count of failures
[ "$_t_failed" = 0 ] || diag "driver output:" "$(cat "$out")"

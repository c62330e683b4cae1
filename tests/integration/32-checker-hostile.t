#!/bin/bash
# lvsd-checker against hostile real servers (hostile.py): garbage, a
# 100 MiB body, endless headers, one byte a second, a TLS handshake, a
# reset in mid-reply, a body that is the worst case of its receive. Each probe of one costs exactly one failed check,
# within its timeout; the checker's memory stays bounded; a good real
# server beside them is still checked on schedule. checker-driver plays
# the parent and ipvsd. Needs root (chroot and setuid) but no IPVS.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

if [ ! -x "$checker" ] || [ ! -x "$driver" ]; then
	plan skip_all "run make first"
fi
command -v python3 >/dev/null || plan skip_all "no python3"

modes=(garbage bigbody header headerline slowloris tls reset digits)
plan $((3 + 5 * ${#modes[@]} + 11))

# every probe gives up after this long
timeout_ms=2000
# fail=FAILS keeps a hostile real from ever going DOWN, so that every
# failed probe is logged ("failure N of FAILS") and can be counted
fails=100000

# ---- the real servers ----------------------------------------------------

# one server per mode, and a second 100 MiB one for a check without receive
args=()
for i in "${!modes[@]}"; do
	args+=("${modes[$i]}" "${modes[$i]}" "127.0.32.$((i + 2))" 8080)
done
spawn python3 "$TEST_LIB_DIR/hostile.py" "$TEST_TMP" "${args[@]}" \
	nore bigbody 127.0.32.30 8080
wait_for 60 test -e "$TEST_TMP/ready" || bail_out "no hostile servers"
httpd_start good 127.0.32.20 8080 "OK" || bail_out "no good server"

# ---- the checker ---------------------------------------------------------

mkfifo "$TEST_TMP/cmd"
"$driver" "$checker" -u 65534:65534 -r "$empty" -v \
	<"$TEST_TMP/cmd" >"$out" 2>&1 &
_t_pids+=("$!")
exec 5>"$TEST_TMP/cmd"
on_exit "exec 5>&-"
ok "the checker says it is ready" wait_for 30 has ready
pid=$(sed -n 's/^pid //p' "$out")
mem() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$pid/status"; }
rss0=$(mem VmRSS)

send peer
# receive for each: digits gets an expression that glibc's regexec would
# take seconds over on 64 KiB of digits, were it not anchored (validate.c)
for i in "${!modes[@]}"; do
	re=OK
	[ "${modes[$i]}" = digits ] && re='[0-9]+:(up|down)'
	send "check $i http tcp 127.0.32.$((i + 2)) 8080 receive=$re interval=1000 ctimeout=$timeout_ms ntimeout=$timeout_ms fail=$fails"
done
good=${#modes[@]}
bigid=$((good + 1))
send "check $good http tcp 127.0.32.20 8080 receive=OK interval=500" \
	"check $bigid http tcp 127.0.32.30 8080 interval=1000 ntimeout=$timeout_ms fail=$fails" \
	"conf 1 $((bigid + 1))"

# failures ID: the N of each "failure N of FAILS" logged for real ID
failures() {
	local a=127.0.32.$(($1 + 2)):8080
	sed -n "s/^log checker: real $a failure \([0-9]*\) of $fails .*/\1/p" "$out"
}
nfail() { failures "$1" | wc -l; }
all_failed_thrice() {
	local i
	for i in "${!modes[@]}"; do
		[ "$(nfail "$i")" -ge 3 ] || return 1
	done
}
ok "every hostile real has failed three probes" wait_for 300 all_failed_thrice
ok "the good real is up" has "state 1 $good up"

# stop every probe (a config without reals), so that what follows counts
# a still picture; a probe in flight is abandoned, its connection made
send "conf 2 0" "ping 1"
wait_for 60 has "pong 1" || bail_out "the checker does not answer"

for i in "${!modes[@]}"; do
	m=${modes[$i]}
	k=$(nfail "$i")
	conns=$(wc -l <"$TEST_TMP/$m.conns")
	is "$(failures "$i" | tr '\n' ' ')" "$(seq 1 "$k" | tr '\n' ' ')" \
		"$m: failures counted one by one, each once ($k)"
	ok "$m: one connection per failed probe ($conns connections, $k failures)" \
		test "$conns" -ge "$k" -a "$conns" -le $((k + 1))
	first=$(grep "^result 1 $i " "$out" | head -n 1)
	like "$first" "^result 1 $i down unknown [0-9]+ " \
	    "$m: the first probe failed (the state unknown: below failurecount)"
	lat_ms=$(($(echo "$first" | cut -d' ' -f6) / 1000))
	ok "$m: within its timeout ($lat_ms ms, timeout $timeout_ms ms)" \
		test "$lat_ms" -le $((timeout_ms + 1500))
	nok "$m: never up" has "state 1 $i up"
	note "$m: ${first#result 1 $i down unknown }"
done

# what each one cost: the reason of its first failure
reason() { grep "^result 1 $1 " "$out" | head -n 1 | cut -d' ' -f7-; }
is "$(reason 1)" "http: body larger than 65536 bytes" \
	"the 100 MiB body is cut at the cap when receive needs it"
is "$(reason 2)" "http: headers longer than 102400 bytes" \
	"header lines without end are cut at 100 KiB of headers"
is "$(reason 3)" "http: headers longer than 102400 bytes" \
	"so is one header line without end (skipped past 4095 bytes)"
is "$(reason 4)" "timeout after $timeout_ms ms" "slowloris ends at the timeout"
is "$(reason 7)" "http: body does not match '[0-9]+:(up|down)'" \
	"64000 digits are matched, quickly, and do not match"

# the good real, on schedule all along: a probe every 500 ms while the
# slowest hostile one takes 2 s a probe
hits=$(httpd_hits good)
slow=$(nfail 4)
ok "the good real was probed on schedule ($hits probes while slowloris had $slow)" \
	test "$hits" -ge $((2 * slow))
nok "and never failed" grep -q "^log checker: real 127.0.32.20:8080 failure" "$out"

# without receive the body is not kept, only its status counts: whether
# 100 MiB arrive within the timeout depends on the machine, but the
# verdict comes within it and the memory does not grow with the body
big=$(grep "^result 1 $bigid " "$out" | head -n 1)
ok "the 100 MiB body without receive gets a verdict within its timeout ($big)" \
	test -n "$big" -a "$(($(echo "$big" | cut -d' ' -f6) / 1000))" -le $((timeout_ms + 1500))
hwm=$(mem VmHWM)
# (ASan keeps freed blocks in quarantine: more room in the sanitizer build)
hwm_more=$((${LVSD_SANITIZE:-0} == 1 ? 65536 : 16384))
ok "the checker's peak memory stays bounded (VmHWM $hwm kB, VmRSS at start $rss0 kB, < +$((hwm_more / 1024)) MiB)" \
	test "$hwm" -lt $((rss0 + hwm_more))
note "checker VmRSS at start $rss0 kB, VmHWM at end $hwm kB, now $(mem VmRSS) kB"
is "$(grep -c '^exit\|^killed' "$out")" 0 "the checker never died"
send quit
ok "it exits when the parent hangs up" wait_for 30 has "exit 0"

#!/bin/bash
# lvsd-checker's line dialogues (smtp, pop, imap, nntp, simpletcp) against
# scripted servers that play each protocol well or badly (linesrv.py):
# what the checker sends, the verdict and its reason, and that a hostile
# server (an endless line, a flood, silence, one byte a second, control
# characters) costs one failed check within the timeout and nothing else.
# Needs root (chroot and setuid) but no IPVS.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

command -v python3 >/dev/null || plan skip_all "no python3"

plan 51

# srv N MODE: a scripted server on 127.0.32.N:2000; its log is srv.N.log
srv() {
	spawn python3 "$TEST_LIB_DIR/linesrv.py" "127.0.32.$1" 2000 "$2" \
		"$TEST_TMP/srv.$1.log" "$TEST_TMP/srv.$1.ready"
	wait_for 20 test -e "$TEST_TMP/srv.$1.ready" ||
		bail_out "no $2 server on 127.0.32.$1"
}
srvlog() { cat "$TEST_TMP/srv.$1.log" 2>/dev/null; }

srv 1 smtp
srv 2 smtp-helo
srv 3 smtp-busy
srv 4 pop
srv 5 imap
srv 6 nntp
srv 7 nntp-no
srv 8 simpletcp
srv 9 longline
srv 10 flood
srv 11 silent
srv 12 slow
srv 13 control

checker_driver_start
ok "the checker says it is ready" wait_for 10 has ready
pid=$(sed -n 's/^pid //p' "$out")

a=127.0.32
# Timeouts: generous where the verdict must not be a timeout (the test VM
# is slow); short where it must be.
t="ntimeout=20000"
send peer \
	"check 0 smtp tcp $a.1 2000 $t" \
	"check 1 smtp tcp $a.2 2000 $t" \
	"check 2 smtp tcp $a.3 2000 $t" \
	"check 3 pop tcp $a.4 2000 $t" \
	"check 4 pop tcp $a.4 2000 $t login=probe passwd=s3cret" \
	"check 5 pop tcp $a.4 2000 $t login=probe passwd=wrong" \
	"check 6 imap tcp $a.5 2000 $t" \
	"check 7 imap tcp $a.5 2000 $t login=probe passwd=s3\"cret" \
	"check 8 imap tcp $a.5 2000 $t login=probe passwd=wrong" \
	"check 9 nntp tcp $a.6 2000 $t" \
	"check 10 nntp tcp $a.7 2000 $t" \
	"check 11 simpletcp tcp $a.8 2000 $t request=/PING\\nHELLO receive=^PONG.10$" \
	"check 12 simpletcp tcp $a.8 2000 $t request=x receive=^nothing" \
	"check 13 smtp tcp $a.9 2000 $t" \
	"check 14 smtp tcp $a.10 2000 $t" \
	"check 15 smtp tcp $a.11 2000 ntimeout=1500" \
	"check 16 smtp tcp $a.12 2000 ntimeout=1500" \
	"check 17 smtp tcp $a.13 2000 $t" \
	"check 18 smtp tcp $a.14 2000 $t" \
	"check 19 connect tcp $a.1 2000 interval=200" \
	"conf 1 20"

expect 0 up "smtp: answered" "smtp: greeting, EHLO, QUIT: up"
expect 1 up "smtp: answered" "smtp: EHLO refused, HELO accepted: up"
expect 2 down "smtp: greeting: '554 5.3.2 busy'" "smtp: a 554 greeting: down"
expect 3 up "pop: answered" "pop without a login: greeting, QUIT: up"
expect 4 up "pop: answered" "pop with a good login: up"
expect 5 down "pop: PASS refused: '-ERR \\[AUTH\\] no'" \
	"pop with a bad password: down"
expect 6 up "imap: answered" "imap without a login: up"
expect 7 up "imap: answered" "imap with a good login (quoted): up"
expect 8 down "imap: LOGIN refused: 'L1 NO \\[AUTHENTICATIONFAILED\\] no'" \
	"imap with a bad password: down"
expect 9 up "nntp: answered" "nntp: a 200 greeting: up"
expect 10 down "nntp: greeting: '502 news.example.org ready'" \
	"nntp: a 502 greeting: down"
expect 11 up "simpletcp: receive matched" "simpletcp: a line matches: up"
expect 12 down "simpletcp: closed before a line matched receive" \
	"simpletcp: no line matches: down"
expect 13 down "smtp: a line longer than 2047 bytes" \
	"a line without end: down, at the line cap"
expect 14 down "smtp: more than 65536 bytes" \
	"a flood of continuation lines: down, at the total cap"
expect 15 down "smtp: timeout after 1500 ms" "silence: down at the timeout"
expect 16 down "smtp: timeout after 1500 ms" \
	"one byte a second: down at the timeout"
expect 17 down "smtp: greeting: '554 \\?\\[31mforged'" \
	"control characters in a reply are replaced in the reason"
expect 18 down "smtp: connect: Connection refused" \
	"nothing listening: down"

# ---- what went over the wire ------------------------------------------------

like "$(srvlog 1)" "^b'EHLO \\[127\\.0\\.0\\.1\\]\\\\r\\\\n'" \
	"smtp says EHLO with its address literal" # source 127.0.0.1 or .32.x
like "$(srvlog 1)" "b'QUIT\\\\r\\\\n'" "and QUIT"
like "$(srvlog 2)" "b'HELO " "HELO after a refused EHLO"
like "$(srvlog 4)" "b'USER probe\\\\r\\\\n'.b'PASS s3cret\\\\r\\\\n'.b'QUIT" \
	"pop: USER, PASS, QUIT"
like "$(srvlog 5)" "L1 LOGIN \"probe\" \"s3\\\\\\\\\"cret\"" \
	"imap: the password is a quoted string, its quote escaped"
ok "simpletcp: the request without its /, \\n as a newline, nothing added" \
	grep -qxF "b'PING\\nHELLO'" "$TEST_TMP/srv.8.log"
ok "simpletcp: each check sends its own request" \
	grep -qxF "b'x'" "$TEST_TMP/srv.8.log"

# ---- nobody else suffered ---------------------------------------------------

# check 19 runs every 200 ms throughout; the slow ones took 1.5-5 s each.
n19=$(grep -c "^result 1 19 " "$out")
ok "a plain check went on while the hostile servers were served ($n19)" \
	[ "$n19" -ge 1 ]
wait_for 20 eval '[ "$(grep -c "^result 1 13 " "$out")" -ge 3 ]'
rss=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
# ASan's shadow memory and quarantine add their own (32-checker-hostile.t)
rss_max=$((${LVSD_SANITIZE:-0} == 1 ? 20000 + 65536 : 20000))
ok "the checker's peak memory stays small (${rss} kB < $rss_max kB)" \
	[ "${rss:-0}" -lt "$rss_max" ]
nok "no probe was killed by the sandbox" has_re "^killed"
send quit
ok "it exits when the parent hangs up" wait_for 10 has "exit 0"
nok "the driver saw no protocol error" has_re "^error"
wait "$driver_pid" 2>/dev/null
# shellcheck disable=SC2154 # lib.sh's count of failures
[ "$_t_failed" = 0 ] || diag "driver output:" "$(cat "$out")"

#!/bin/bash
# lvsd-checker against a parent (and an ipvsd) that break the protocol:
# each violation is logged and the checker hangs up on that peer; on the
# parent's channel it then exits 1 (the parent restarts it), on ipvsd's
# it goes on checking.  Needs root (chroot, setuid) but no IPVS.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

if [ ! -x "$checker" ] || [ ! -x "$driver" ]; then
	plan skip_all "run make first"
fi

plan 74

# run NAME COMMAND...: one checker through the driver's COMMANDs, then
# the end of input (the parent hangs up).  Output in $TEST_TMP/NAME.
run() {
	local name=$1
	shift
	printf '%s\n' "$@" | timeout 60 "$driver" "$checker" \
		-u 65534:65534 -r "$empty" >"$TEST_TMP/$name" 2>&1
}

# refused NAME WHY COMMAND...: the checker drops the parent for WHY and
# exits 1.  A record that common/msg.c refuses (a type not allowed on
# the channel) is dropped there, and the checker cannot tell that from a
# hang-up: it exits 0 or 1 (refused_any).
refused() {
	_refused "exit 1" "$@"
}
refused_any() {
	_refused "exit [01]" "$@"
}
_refused() {
	local want=$1 name=$2 why=$3
	shift 3
	run "$name" "$@"
	ok "$name: refused" grep -qF "log checker: dropping parent: $why" \
		"$TEST_TMP/$name" || diag "$(cat "$TEST_TMP/$name")"
	ok "$name: the checker exits" grep -qx "$want" "$TEST_TMP/$name"
}

c='check 0 connect tcp 127.0.31.2 80'
h='check 0 http tcp 127.0.31.2 80'

run good "ping 7"
ok "a parent that keeps to the protocol gets its PONG" \
	grep -qx "pong 7" "$TEST_TMP/good"
ok "and the checker exits 0 when it hangs up" grep -qx "exit 0" "$TEST_TMP/good"

refused interval "CHECK 0: interval 50 ms is below 100 ms" \
	"$c interval=50" "conf 1 1"
refused timeout "CHECK 0: connect timeout 0" "$c ctimeout=0" "conf 1 1"
refused failurecount "CHECK 0: failurecount 0" "$c fail=0" "conf 1 1"
refused service "CHECK 0: unknown service 200" "$c service=200" "conf 1 1"
refused method "CHECK 0: unknown http method 0" "$h method=0" "conf 1 1"
refused pad "CHECK 0: padding is not zero" "$c pad=1" "conf 1 1"
refused port "CHECK 0: port 0" "check 0 connect tcp 127.0.31.2 0" "conf 1 1"
refused receive "CHECK 0: receive '(' does not compile" \
	"$h receive=(" "conf 1 1"
refused request "CHECK 0: request is not a path starting with /" \
	"$h request=health" "conf 1 1"
refused id-range "check id 5 out of range (2 reals)" \
	"check 5 connect tcp 127.0.31.2 80" "conf 1 2"
refused id-twice "check id 0 sent twice" "$c" "$c" "conf 1 2"
refused check-alone "CHECK outside its config" "raw 4"
refused end-alone "CONF_END outside its config" "raw 5"
refused generation "CONF_BEGIN generation 5 is not newer than 5" \
	"$c" "conf 5 1" "$c" "conf 5 1"
refused too-many "CONF_BEGIN with 2000000 reals, more than 1048576" \
	"conf 1 2000000"
# checktlsverify: the CA bundles (CA, a descriptor) and the CHECKs naming them
s='check 0 https tcp 127.0.31.2 443'
refused ca-missing "CHECK 0: CA file 1 not sent" "$s verify=1" "conf 1 1"
refused ca-range "CA id 16 out of range" "ca 16 /etc/hostname" "$c" "conf 1 1"
refused ca-twice "CA id 0 sent twice" "ca 0 /etc/hostname" \
	"ca 0 /etc/hostname" "$c" "conf 1 1"
refused verify-http "CHECK 0: TLS verification 1 for a check without TLS" \
	"ca 0 /etc/hostname" "$h verify=1" "conf 1 1"
refused_any ca-no-fd \
	"descriptor where none belongs, or none where one does (type 22 CA" \
	"raw 22"
refused_any service-msg "message type not allowed here (type 2 SERVICE" "raw 2"
# an e-mail alert (ALERT) with a zeroed payload, and one whose subject
# would end an SMTP header early
refused alert-zero "ALERT: bad server address" "raw 23"
refused alert-crlf "ALERT: bad subject" \
	"alert 127.0.0.1 25 5000 a@b|root@lb1|lb1|x\\nBcc: y@z|body"
refused_any snapshot-msg \
	"message type not allowed here (type 15 SNAPSHOT_REQUEST" "raw 15"

# CHECK_LIKE: the CHECK before it in the same config, for another real;
# its own address and port are validated as a CHECK's
refused like-first "CHECK_LIKE 1 with no CHECK before it" \
	"like 1 127.0.31.3 80" "conf 1 2"
refused like-next-config "CHECK_LIKE 0 with no CHECK before it" \
	"$c" "conf 1 1" "like 0 127.0.31.2 81" "conf 2 1"
refused like-pad "CHECK_LIKE 1: padding is not zero" \
	"$c" "like 1 127.0.31.3 80 1" "conf 1 2"
refused like-port "CHECK_LIKE 1: port 0" "$c" "like 1 127.0.31.3 0" \
	"conf 1 2"
refused like-twice "check id 0 sent twice" "$c" "like 0 127.0.31.3 80" \
	"conf 1 2"
refused like-alone "CHECK_LIKE outside its config" "raw 26"
run like "$c ctimeout=20000" "like 1 127.0.31.3 81" "conf 1 2" \
	"await result 1 1 " "ping 3"
ok "a CHECK_LIKE is a real of its own" grep -qF \
	"log checker: config 1 applied: 2 reals" "$TEST_TMP/like"
ok "probed at its own address and port" grep -qF \
	"log checker: real 127.0.31.3:81 down (connect: Connection refused)" \
	"$TEST_TMP/like" || diag "$(cat "$TEST_TMP/like")"
ok "reported under its own id" grep -qE \
	"^result 1 1 down down [0-9]+ connect: Connection refused$" \
	"$TEST_TMP/like"
ok "the checker goes on" grep -qx "pong 3" "$TEST_TMP/like"

# a state the config sets (checktype on) is reported, and logged at
# debug only (this checker runs without -v): ipvsd logs the real once
run forced "check 0 on tcp 127.0.31.2 0" "conf 1 1" "await result 1 0 " \
	"ping 4"
ok "checktype on: reported up" grep -qE \
	"^result 1 0 up up [0-9]+ checktype on$" "$TEST_TMP/forced" ||
	diag "$(cat "$TEST_TMP/forced")"
nok "and not logged at info" grep -qF "log checker: real 127.0.31.2" \
	"$TEST_TMP/forced"
ok "the checker goes on" grep -qx "pong 4" "$TEST_TMP/forced"

run peer "$c" "conf 1 1" peer "peerraw 14" "await peer closed" "ping 9"
ok "an ipvsd that sends STATE is dropped" \
	grep -qF "log checker: dropping ipvsd: message type not allowed here" \
	"$TEST_TMP/peer"
ok "its channel is closed" grep -qx "peer closed" "$TEST_TMP/peer"
ok "the checker goes on" grep -qx "pong 9" "$TEST_TMP/peer"
ok "and exits 0 at the end" grep -qx "exit 0" "$TEST_TMP/peer"

nok "no checker was killed by the sandbox" grep -q "^killed" "$TEST_TMP"/*

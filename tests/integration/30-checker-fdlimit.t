#!/bin/bash
# lvsd-checker near its limit on open files: more probes due at once
# than descriptors to hold them.  They wait in line and run late; none
# fails for want of a socket (a false "down" for a real that is fine).
# checker-driver plays the parent and ipvsd.  Needs root, not IPVS.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

command -v python3 >/dev/null || plan skip_all "no python3"

plan 7

# 300 checks of one server that answers each request a second late.
# Each check is its own (request /N), every 2 s: about 150 probes would
# be in flight at once, more than the 160 descriptors allowed below leave free.
n=300
mkdir -p "$TEST_TMP/late"
spawn python3 "$TEST_LIB_DIR/hostile.py" "$TEST_TMP/late" \
	late late 127.0.40.2 8080
wait_for 60 test -e "$TEST_TMP/late/ready" || bail_out "no late server"

# the checker takes the hard limit as its soft one: set both
ulimit -n 160
checker_driver_start
ok "the checker says it is ready" wait_for 60 has ready
pid=$(sed -n 's/^pid //p' "$out")
is "$(awk '/^Max open files/ { print $4 }' "/proc/$pid/limits")" 160 \
	"it runs under a limit of 160 open files"

send peer
for i in $(seq 0 $((n - 1))); do
	send "check $i http tcp 127.0.40.2 8080 interval=2000 ntimeout=60000 fail=1 request=/$i receive=^OK"
done
send "conf 1 $n"

ups() { grep -c "^state 1 [0-9]* up$" "$out"; }
if ! ok "all $n reals are up" wait_for 240 eval '[ "$(ups)" -eq '$n' ]'; then
	diag "$(ups) up; $(wc -l <"$TEST_TMP/late/late.conns") requests served" \
		"$(grep -v '^result\|^state' "$out" | tail -n 20)" \
		"$(grep '^result' "$out" | tail -n 5)" \
		"descriptors: $(ls "/proc/$pid/fd" | wc -l)"
fi
ok "none went down" eval '! grep -q "^state 1 [0-9]* down$" "$out"'
ok "no socket was refused for want of a descriptor" \
	eval '! grep -q "Too many open files" "$out"'
ok "the checker said that probes wait for descriptors" \
	has_re "^log checker: probes wait for a descriptor \(1 since the last such line\): [0-9]+ are in use by probes"
# a second round, still all up: waiting probes run, they do not starve
served=$(wc -l <"$TEST_TMP/late/late.conns")
ok "the next round runs too" wait_for 240 \
	eval '[ "$(wc -l <"$TEST_TMP/late/late.conns")" -ge $((served + n)) ]'

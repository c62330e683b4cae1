# Helpers for the tests that drive lvsd-checker alone, with
# tests/integration/checker-driver playing its parent and ipvsd.  They
# need root (chroot and setuid) but no IPVS; the production seccomp
# filter is in force.  Source after lib.sh.
#
#   $checker, $driver        the checker and the driver of this tree
#   $empty                   an empty directory, the checker's chroot
#   $out                     what the driver prints
#   checker_driver_start     start the driver and the checker under it,
#                            as nobody; fd 5 writes the driver's commands
#   send LINE...             a command line each to the driver
#   has LINE | has_re ERE    whether the driver printed it
#   expect ID STATE ERE DESC two asserts: real ID of generation 1 reaches
#                            STATE, and its result in that state gives the
#                            reason ERE; each waits up to $expect_wait
#                            seconds (90 unless set).  The checker reports
#                            a verdict when it changes: a probe that timed
#                            out under load gives the reason, so tests give
#                            generous timeouts where the reason matters

[ "$(id -u)" = 0 ] || plan skip_all "needs root (chroot and setuid)"
top=$(cd "$TEST_LIB_DIR/../.." && pwd)
checker=$top/checker/lvsd-checker
driver=$TEST_LIB_DIR/checker-driver
[ -x "$checker" ] && [ -x "$driver" ] || plan skip_all "run make first"

empty=$TEST_TMP/empty
out=$TEST_TMP/driver.out
mkdir -m 0755 "$empty"

send() { printf '%s\n' "$@" >&5; }
has() { grep -qxF -- "$1" "$out"; }
has_re() { grep -qE -- "$1" "$out"; }

checker_driver_start() {
	mkfifo "$TEST_TMP/cmd"
	"$driver" "$checker" -u 65534:65534 -r "$empty" -v \
		<"$TEST_TMP/cmd" >"$out" 2>&1 &
	driver_pid=$!
	_t_pids+=("$driver_pid")
	exec 5>"$TEST_TMP/cmd"
	on_exit "exec 5>&-"
}

expect() { # ID STATE REASON-ERE DESC
	local re got
	re="^result 1 $1 $2 $2 [0-9]+ $3\$"
	ok "$4" wait_for "${expect_wait:-90}" has "state 1 $1 $2"
	wait_for "${expect_wait:-90}" has_re "$re"
	got=$(grep -E -- "$re" "$out" | head -n 1)
	[ -n "$got" ] || got=$(grep "^result 1 $1 " "$out" | tail -n 1)
	like "$got" "$re" "  because: $3"
}

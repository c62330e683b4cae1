#!/bin/bash
# lvsd-ipvsd with a table large enough to take the code paths a small one
# does not: many netlink batches per push, multi-part dumps, big sorts
# (glibc's qsort asks sysinfo(2) for the memory size: once missed by the
# seccomp filter), bursts of STATEs coalesced into batches.
. "$(dirname "$0")/lib.sh"

require_ipvs
cd "$TEST_LIB_DIR/../.." || bail_out "no source tree"
DRIVER=$PWD/tests/integration/ipvsd-driver
IPVSD=$PWD/ipvsd/lvsd-ipvsd
[ -x "$DRIVER" ] && [ -x "$IPVSD" ] || bail_out "build first: make"
plan 9

NSVC=40
NREAL=25	# per service
ipvs_clean
mkdir -m 0755 "$TEST_TMP/empty"

cat >"$TEST_TMP/drv.sh" <<'EOF'
#!/bin/sh
exec "$@" <"$DRV_IN"
EOF
chmod +x "$TEST_TMP/drv.sh"
mkfifo "$TEST_TMP/in"
DRV_IN=$TEST_TMP/in spawn "$TEST_TMP/drv.sh" "$DRIVER" "$IPVSD" \
	-u 65534:65534 -r "$TEST_TMP/empty"
exec 5<>"$TEST_TMP/in"
drv_out=$spawned_log
seen() { grep -q -- "$1" "$drv_out"; }
applied() {
	wait_for 120 seen "^applied $1 " || return 1
	sed -n "s/^applied $1 //p" "$drv_out" | head -1
}
# reals WEIGHT: how many reals the table has with that weight
reals() { ipvsadm -Ln | awk -v w="$1" '$1 == "->" && $4 == w' | wc -l; }

wait_for 60 seen '^ready'
{
	for ((s = 0; s < NSVC; s++)); do
		echo "service tcp 127.1.0.$((s + 1)) 80 quiescent=1 fallback=127.0.0.1:80"
	done
	for ((s = 0; s < NSVC; s++)); do
		for ((r = 0; r < NREAL; r++)); do
			echo "dest $s 127.2.$s.$((r + 1)) 8080 weight=3"
		done
	done
	echo "conf 1"
} >&5
total=$((NSVC * NREAL))
like "$(applied 1)" "^$NSVC $total $((NSVC + total)) 0$" \
	"$NSVC services and $total quiescent reals in one push, no refusal"

echo peer >&5
wait_for 60 seen '^snapshot 1'
for ((i = 0; i < total; i++)); do echo "state 1 $i up"; done >&5
ok "a burst of $total STATE up: every real at its weight" \
	wait_for 120 eval '[ "$(reals 3)" = '$total' ]'
for ((i = 0; i < total; i++)); do echo "state 1 $i down"; done >&5
ok "a burst of $total STATE down: every real at 0, every fallback in" \
	wait_for 120 eval '[ "$(reals 0)" = '$total' ] && [ "$(reals 1)" = '$NSVC' ]'

echo "conf 2" >&5
like "$(applied 2)" "^$NSVC $total 0 0$" "the same table again: no change"
echo "shutdown 1" >&5
ok "clean stop" wait_for 120 seen '^exit 0'
is "$(ipvs_table)" "" "every service is gone"
is "$(grep -c '^exit\|^killed' "$drv_out")" 1 "ipvsd ran to the end"
nok "never killed by the sandbox" seen '^killed'
nok "no refusal from the kernel" seen "failed:"

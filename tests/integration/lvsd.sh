# Helpers for the tests that run the whole lvsd (parent and both
# children) from the build tree.  Source after lib.sh.
#
#   lvsd_conf TEXT          write $TEST_TMP/lvsd.cf (root's, mode 0644)
#   lvsd_start [ARGS...]    run lvsd -d on it in the background; $lvsd_pid
#   lvsd_child NAME         pid of the running lvsd-NAME child (checker|ipvsd|exec)
#   lvsd_log                what lvsd has logged so far
#   dest_weight VIP:PORT RIP:PORT   the weight in the kernel, "absent"

LVSD_TOP=$(cd "$TEST_LIB_DIR/../.." && pwd)
LVSD_CF=$TEST_TMP/lvsd.cf
# the children, found by the parent's -x under their installed names
mkdir -p "$TEST_TMP/libexec"
ln -sf "$LVSD_TOP/checker/lvsd-checker" "$LVSD_TOP/ipvsd/lvsd-ipvsd" \
	"$LVSD_TOP/exec/lvsd-exec" "$TEST_TMP/libexec/"

lvsd_conf() {
	printf '%s\n' "$1" >"$LVSD_CF"
	chmod 0644 "$LVSD_CF"
}

lvsd_start() {
	spawn "$LVSD_TOP/parent/lvsd" -d -v -u nobody -x "$TEST_TMP/libexec" \
		"$@" -f "$LVSD_CF"
	lvsd_pid=$spawned_pid
	lvsd_logfile=$spawned_log
}

lvsd_child() {
	pgrep -P "$lvsd_pid" -x "lvsd-$1"
}

lvsd_log() {
	cat "$lvsd_logfile"
}

# dest_weight VIP:PORT RIP:PORT: the weight of the real in the service.
dest_weight() {
	ipvsadm -Ln -t "$1" 2>/dev/null | awk -v r="$2" '
		$1 == "->" && $2 == r { w = $4 }
		END { print (w == "" ? "absent" : w) }'
}

weight_is() {
	[ "$(dest_weight "$1" "$2")" = "$3" ]
}

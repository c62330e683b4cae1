# shellcheck shell=bash disable=SC2034
# The directors make bench compares, sourced after lib.sh (bash).  Each
# has three functions, so adding one is a few lines:
#
#   DIR_conf N TYPE [VIRTUALS]  its config on stdout (lib.sh's generators)
#   DIR_start FILE              start it on FILE; its root pid in $dir_pid
#   DIR_reload FILE             make it read FILE again
#   DIR_settled                 (optional) whether its start is all done
#   DIR_prepare FILE            (optional) what it needs on disk to start
#                               on FILE; the table's clock starts after it
#
# and dir_stop stops whichever runs.  They run in the IPVS test VM.

DIRECTORS="lvsd keepalived ldirectord"
dir_pid=
dir_ldcf=

lvsd_conf() { gen_ldirectord "$@"; }
# its helpers where -x finds them, a config only root may write: three
# commands, a few hundred ms in the VM, not lvsd's to count
lvsd_prepare() {
	mkdir -p "$BENCH_TMP/libexec"
	ln -sf "$BENCH_TOP/checker/lvsd-checker" "$BENCH_TOP/ipvsd/lvsd-ipvsd" \
		"$BENCH_TOP/exec/lvsd-exec" "$BENCH_TMP/libexec/"
	chmod 0644 "$1"
	lvsd_prepared=$1
}
# lvsd's log goes to a file, as keepalived's does.  No stamper: one
# started with lvsd (perl, through a FIFO) took 0.3 s of the VM's CPU
# just as lvsd started, and the 10x4 table took that much longer.
lvsd_start() {
	[ "${lvsd_prepared:-}" = "$1" ] || lvsd_prepare "$1"
	"$BENCH_TOP/parent/lvsd" -d -u nobody -x "$BENCH_TMP/libexec" -f "$1" \
		>"$BENCH_TMP/lvsd.log" 2>&1 &
	dir_pid=$!
}
# whether ipvsd applied a configuration since line $1 of lvsd's log
lvsd_applied_since() {
	tail -n +"$1" "$BENCH_TMP/lvsd.log" | grep -q "applied configuration"
}
# whether a (new) checker applied its configuration since line $1
lvsd_checker_configured_since() {
	tail -n +"$1" "$BENCH_TMP/lvsd.log" | grep -q "checker: config [0-9]* applied"
}
# DIR_settled, where a director has one: whether all it does at start
# is done.  lvsd's checker gets its configuration after ipvsd has put
# the table in place: a reload measured before would pay for that too.
lvsd_settled() { lvsd_checker_configured_since 1; }
# netlink changes lvsd's ipvsd made since line $1 of its log: its line
# per operation (describe.c), refused ones too.  With -d a line starts
# with "ipvsd: ", with no time or host before it.  Not APPLIED's count,
# which covers configurations only: a restarted checker's STATEs that
# moved the table would not be in it.
lvsd_changes_since() {
	tail -n +"$1" "$BENCH_TMP/lvsd.log" | grep -cE \
		'(^| )ipvsd: (failed: )?(service .* (added|changed|deleted)|(real|fallback) [^ ]+ of .* ((up|down|disabled|purged):|(on|off) \(|not checked))'
}
lvsd_reload() { "$BENCH_TOP/parent/lvsd" -f "$1" reload >/dev/null 2>&1; }

keepalived_conf() { gen_keepalived "$@"; }
keepalived_start() {
	# -C: the checker (and IPVS) only, no VRRP; -n: in the foreground
	keepalived -n -C -f "$1" -p "$BENCH_TMP/ka.pid" \
		-c "$BENCH_TMP/ka-check.pid" >"$BENCH_TMP/keepalived.log" 2>&1 &
	dir_pid=$!
}
keepalived_reload() { kill -HUP "$dir_pid"; }

ldirectord_conf() {
	gen_ldirectord "$@"
	printf 'logfile="%s/ldirectord.log"\n' "$BENCH_TMP"
}
ldirectord_start() {
	mkdir -p /var/run /var/log /var/lib
	# it daemonizes; its pid file says where it went
	(cd "$BENCH_TMP" && /usr/sbin/ldirectord "$1" start) >/dev/null 2>&1
	dir_pid=$(cat "/var/run/ldirectord.${1##*/}.pid" 2>/dev/null)
	dir_ldcf=$1
}
ldirectord_reload() { /usr/sbin/ldirectord "$1" reload >/dev/null 2>&1; }

dir_stop() {
	local i
	[ -n "${dir_pid:-}" ] || return 0
	if [ -n "${dir_ldcf:-}" ]; then
		/usr/sbin/ldirectord "$dir_ldcf" stop >/dev/null 2>&1
		dir_ldcf=
	fi
	kill -TERM "$dir_pid" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		kill -0 "$dir_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$dir_pid" 2>/dev/null
	wait "$dir_pid" 2>/dev/null
	dir_pid=
	ipvsadm -C
}

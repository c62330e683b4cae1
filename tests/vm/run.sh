#!/bin/bash
# Run a command as root inside a throw-away VM that boots Debian's stock
# kernel (which has IPVS) under qemu with TCG, with the host's / visible
# read-only at the same paths and the current directory as working
# directory. See tests/vm/README.
#
#   tests/vm/run.sh [--] COMMAND [ARG...]
#
# The command's stdout and stderr (merged) stream to this script's stdout;
# its exit status becomes this script's. Environment:
#   VM_TIMEOUT      seconds before the VM is killed (default 4800; a net for a hung VM)
#   VM_ENV          "NAME=VALUE ..." set in the VM (values without spaces)
#   VM_PASSENV      names passed through when set on the host
#                   (default "CI V TEST_TRACE TEST_VERBOSE HARNESS_OPTIONS
#                   HARNESS_TIMER")
#   VM_MEM, VM_CPUS memory in MiB (2048), CPUs (2)
#   VM_RESULTS_DIR  host directory shared writable with the VM, seen there
#                   as $VM_RESULTS (default: a temporary one, removed)
#   VM_TTY=0|1      whether the command's output is a terminal (default:
#                   when this script's stdout is one) or a pipe
#   VM_DEBUG=1      kernel messages and an init trace on the console; the
#                   console is printed to stderr at the end
#   VM_QEMU_ARGS    more qemu arguments (split on blanks)
#   VM_APPEND       more kernel parameters
#   KVER            kernel version (see common.sh)
# Exit status: the command's, or 125 when the VM failed (boot, timeout...).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/common.sh
. "$here/common.sh"

say() { echo "vm: $*" >&2; }
fail() {
	say "$*"
	exit 125
}

[ "${1:-}" = -- ] && shift
if [ $# -eq 0 ]; then
	echo "usage: $0 [--] COMMAND [ARG...]" >&2
	exit 2
fi

cwd=$(pwd -P)
# The kernel command line carries the path: no blanks, no quotes.
case $cwd in
*[[:space:]\"\']*) fail "the current directory '$cwd' has blanks or quotes" ;;
esac

command -v qemu-system-x86_64 >/dev/null ||
	fail "no qemu-system-x86_64; install the packages in tests/vm/packages.txt"
kver=$(vm_kver) || exit 125
kernel=/boot/vmlinuz-$kver
[ -r "$kernel" ] || fail "cannot read $kernel"
# The unpacked kernel boots about 3 s faster under TCG; the bzImage works too.
if "$here/mkvmlinux.sh" "$here/build/vmlinux-$kver"; then
	kernel=$here/build/vmlinux-$kver
else
	say "booting the compressed $kernel (slower)"
fi
initrd=$here/build/initramfs-$kver.cpio.gz
"$here/mkinitramfs.sh" "$initrd" || fail "building $initrd failed"

if [ -n "${VM_RESULTS_DIR:-}" ]; then
	mkdir -p "$VM_RESULTS_DIR"
	res=$(cd "$VM_RESULTS_DIR" && pwd -P)
	rm -f "$res/cmd" "$res/env" "$res/status" "$res/started" \
		"$res/finished" "$res/console.log"
	keep=1
else
	res=$(mktemp -d "${TMPDIR:-/tmp}/lvsd-vm.XXXXXX")
	keep=
fi
cleanup() {
	[ -n "$keep" ] || rm -rf "$res"
}
trap cleanup EXIT
# qemu splits its option values at commas.
case $res in
*,*) fail "the results directory '$res' has a comma (set TMPDIR)" ;;
esac

# sh-quote: one argument as a single-quoted word for /bin/sh.
shq() {
	local q="'\\''"
	printf "'%s'" "${1//\'/$q}"
}

{
	printf 'exec'
	for arg in "$@"; do
		printf ' %s' "$(shq "$arg")"
	done
	printf '\n'
} >"$res/cmd"

{
	for name in ${VM_PASSENV-CI V TEST_TRACE TEST_VERBOSE HARNESS_OPTIONS HARNESS_TIMER}; do
		[ -n "${!name+set}" ] || continue
		printf 'export %s=%s\n' "$name" "$(shq "${!name}")"
	done
	for kv in ${VM_ENV:-}; do
		name=${kv%%=*}
		[[ $kv == *=* && $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] ||
			fail "VM_ENV: '$kv' is not NAME=VALUE"
		printf 'export %s=%s\n' "$name" "$(shq "${kv#*=}")"
	done
} >"$res/env"

append="console=ttyS0 quiet loglevel=0 panic=-1 oops=panic ${VM_APPEND:-}"
append+=" vm.cwd=$cwd vm.results=/run/vm-results vm.hostname=lvsd-vm vm.out=ttyS1"
[ "${VM_DEBUG:-}" = 1 ] && append=${append/quiet loglevel=0/loglevel=7 vm.debug=1}
# A terminal here: a terminal for the command there (else a pipe).
[ "${VM_TTY:-$([ -t 1 ] && echo 1)}" = 1 ] && append+=" vm.tty=1"

# -nodefaults: no VGA, monitor, default serial, floppy or CD; ttyS0 is the
# kernel console (into console.log), ttyS1 carries the command's output.
# qemu writes into a pipe of its own (| cat): stdio chardevs may set
# O_NONBLOCK, which must not leak into a descriptor shared with make.
start=$(date +%s.%N)
set +e
timeout --foreground -k 10 "${VM_TIMEOUT:-4800}" \
	qemu-system-x86_64 -accel tcg -cpu max \
	-m "${VM_MEM:-2048}" -smp "${VM_CPUS:-2}" \
	-nodefaults -no-user-config -display none -nic none -no-reboot \
	-kernel "$kernel" -initrd "$initrd" -append "$append" \
	-serial "file:$res/console.log" -serial stdio \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=$res,mount_tag=results,security_model=none,multidevs=remap" \
	${VM_QEMU_ARGS:-} </dev/null | cat # VM_QEMU_ARGS: split on purpose
rcs=("${PIPESTATUS[@]}")
set -e
end=$(date +%s.%N)
qemu_rc=${rcs[0]}

# Times from the mtimes the host gave the files the guest wrote.
mtime() { stat -c %.3Y "$1" 2>/dev/null; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
if [ -e "$res/started" ]; then
	boot=$(secs "$start" "$(mtime "$res/started")")
	msg="boot ${boot}s (guest uptime $(cat "$res/started")s)"
	if [ -e "$res/finished" ]; then
		msg+=", command $(secs "$(mtime "$res/started")" "$(mtime "$res/finished")")s"
	fi
	say "$msg, total $(secs "$start" "$end")s"
fi

# show_console [LINES]: the end of the VM's console on stderr.
show_console() {
	if [ -s "$res/console.log" ]; then
		say "---- VM console (last ${1:-50} lines) ----"
		tail -n "${1:-50}" "$res/console.log" | tr -d '\r' >&2
		say "---- end of VM console ----"
	fi
}
[ "${VM_DEBUG:-}" = 1 ] && show_console 100000

if [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
	show_console
	fail "timed out after ${VM_TIMEOUT:-4800}s (VM_TIMEOUT); VM killed"
fi
if [ ! -s "$res/status" ]; then
	show_console
	fail "the VM stopped without a command exit status (qemu exit $qemu_rc)"
fi
if [ "$qemu_rc" != 0 ]; then
	say "warning: qemu exited with status $qemu_rc"
fi
status=$(cat "$res/status")
[ "$status" = 0 ] || say "the command exited with status $status"
exit "$status"

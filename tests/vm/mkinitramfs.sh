#!/bin/sh
# Build the initramfs of the test VM: static busybox, the kernel modules the
# VM needs (in dependency order) and tests/vm/init.sh as /init.
#
#   tests/vm/mkinitramfs.sh OUT.cpio.gz
#
# OUT is rebuilt only when it is missing or older than one of its inputs
# (this script, init.sh, busybox, modules.dep, the modules). Environment:
#   KVER     kernel version (default: newest /lib/modules/*-amd64 that has
#            a /boot/vmlinuz-*)
#   BUSYBOX  static busybox binary (default /bin/busybox, busybox-static)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/common.sh
. "$here/common.sh"

if [ $# -ne 1 ]; then
	echo "usage: $0 OUT.cpio.gz" >&2
	exit 2
fi
out=$1
kver=$(vm_kver)
moddir=/lib/modules/$kver
busybox=${BUSYBOX:-/bin/busybox}

# Modules to load, in this order; "!" = the VM is useless without it.
# Each is expanded with its dependencies by modprobe --show-depends.
wanted='!virtio_pci !9pnet_virtio !9p !ip_vs
ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_lblc ip_vs_lblcr ip_vs_dh
ip_vs_sh ip_vs_sed ip_vs_nq ip_vs_fo ip_vs_ovf ip_vs_mh ip_vs_twos
veth bridge'

[ -d "$moddir" ] || { echo "$0: no $moddir" >&2; exit 1; }
[ -x "$busybox" ] || {
	echo "$0: no $busybox; install busybox-static" >&2
	exit 1
}
# has_interp ELF: true if ELF (64-bit, little-endian) asks for a dynamic
# loader, i.e. has a PT_INTERP program header.
has_interp() {
	phoff=$(od -An -tu8 -j32 -N8 "$1" | tr -d ' ')
	phentsize=$(od -An -tu2 -j54 -N2 "$1" | tr -d ' ')
	phnum=$(od -An -tu2 -j56 -N2 "$1" | tr -d ' ')
	i=0
	while [ "$i" -lt "$phnum" ]; do
		type=$(od -An -tu4 -j$((phoff + i * phentsize)) -N4 "$1" | tr -d ' ')
		[ "$type" = 3 ] && return 0
		i=$((i + 1))
	done
	return 1
}
if has_interp "$busybox"; then
	echo "$0: $busybox is dynamically linked; install busybox-static" >&2
	exit 1
fi

# The load list: one line per module file, "!" on the wanted ones that are
# required, dependencies first, each file once. Builtins need no loading.
list=$(
	for w in $wanted; do
		mark=
		case $w in !*) mark='!' w=${w#!} ;; esac
		# A missing one (a scheduler this kernel lacks) yields nothing.
		modprobe -S "$kver" --show-depends "$w" 2>/dev/null |
			while read -r verb path _; do
				[ "$verb" = insmod ] || continue
				name=${path##*/}
				name=${name%%.ko*}
				case $name in
				"$w" | "$(echo "$w" | tr _ -)") echo "$mark$path" ;;
				*) echo "$path" ;;
				esac
			done
	done | awk '{ p = $0; sub(/^!/, "", p) } !seen[p]++'
)
for w in $wanted; do
	case $w in !*) ;; *) continue ;; esac
	if ! echo "$list" | grep -q "^$w\>\|/${w#!}\.ko"; then
		echo "$0: required module ${w#!} not found in $moddir" >&2
		exit 1
	fi
done

modfiles=$(echo "$list" | sed 's/^!//')
if [ -e "$out" ] &&
	[ -z "$(find "$0" "$here/init.sh" "$here/common.sh" "$busybox" \
		"$moddir/modules.dep" $modfiles -newer "$out" 2>/dev/null)" ]; then
	exit 0 # up to date
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/lvsd-initramfs.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
stage=$work/root

mkdir -p "$stage/bin" "$stage/sbin" "$stage/usr/bin" "$stage/usr/sbin" \
	"$stage/dev" "$stage/proc" "$stage/sys" "$stage/run" "$stage/tmp" \
	"$stage/lib/modules"
cp "$busybox" "$stage/bin/busybox"
for applet in $("$busybox" --list-full); do
	[ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done
[ -e "$stage/bin/sh" ] || ln -s busybox "$stage/bin/sh"
cp "$here/init.sh" "$stage/init"
chmod 0755 "$stage/init"

# Modules go in flat, uncompressed (busybox insmod reads plain .ko only).
echo "$list" | while read -r entry; do
	path=${entry#!}
	mark=${entry%"$path"}
	base=${path##*/}
	case $base in
	*.ko) cp "$path" "$stage/lib/modules/$base" ;;
	*.ko.xz) base=${base%.xz}; xz -dc "$path" >"$stage/lib/modules/$base" ;;
	*.ko.zst) base=${base%.zst}; zstd -qdc "$path" >"$stage/lib/modules/$base" ;;
	*.ko.gz) base=${base%.gz}; gzip -dc "$path" >"$stage/lib/modules/$base" ;;
	*) echo "$0: unknown module file $path" >&2; exit 1 ;;
	esac
	echo "$mark$base"
done >"$stage/lib/modules/load.list"
echo "$kver" >"$stage/lib/modules/kver"

mkdir -p "$(dirname "$out")"
tmp=$out.tmp.$$
(
	cd "$stage"
	find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 2>"$work/cpio.err"
) | gzip -6n >"$tmp" || {
	cat "$work/cpio.err" >&2
	rm -f "$tmp"
	exit 1
}
mv -f "$tmp" "$out"
echo "vm: built $out for $kver ($(grep -c . "$stage/lib/modules/load.list") modules)" >&2

#!/bin/sh
# Unpack the kernel image of the test VM once, so that qemu can boot the
# plain ELF vmlinux through its PVH entry point: under TCG the kernel's own
# decompressor (xz on Debian) costs about 3 seconds of every boot.
#
#   tests/vm/mkvmlinux.sh OUT
#
# OUT is rebuilt only when missing or older than /boot/vmlinuz-$KVER or this
# script. Fails (and run.sh boots the bzImage) when the kernel has no PVH
# entry (CONFIG_PVH) or its payload is in an unknown format.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/common.sh
. "$here/common.sh"

if [ $# -ne 1 ]; then
	echo "usage: $0 OUT" >&2
	exit 2
fi
out=$1
kver=$(vm_kver)
bz=/boot/vmlinuz-$kver
config=/boot/config-$kver

if [ -e "$out" ] && [ -z "$(find "$bz" "$0" -newer "$out")" ]; then
	exit 0
fi
if [ -r "$config" ] && ! grep -q '^CONFIG_PVH=y' "$config"; then
	echo "$0: $kver has no PVH entry point" >&2
	exit 1
fi

# bzImage layout (Documentation/x86/boot.rst): setup_sects at 0x1f1; the
# protected-mode code starts at (setup_sects + 1) * 512; the compressed
# kernel is payload_length bytes at payload_offset (0x248, 0x24c) from it.
u() { od -An -tu"$1" -j"$2" -N"$1" "$bz" | tr -d ' '; }
[ "$(od -An -c -j$((0x202)) -N4 "$bz" | tr -d ' ')" = HdrS ] || {
	echo "$0: $bz is not a bzImage" >&2
	exit 1
}
setup_sects=$(u 1 $((0x1f1)))
[ "$setup_sects" != 0 ] || setup_sects=4
payload_offset=$(u 4 $((0x248)))
payload_length=$(u 4 $((0x24c)))
start=$(((setup_sects + 1) * 512 + payload_offset))

payload() { tail -c +$((start + 1)) "$bz" | head -c "$payload_length"; }
magic=$(payload | od -An -tx1 -N6 | tr -d ' ')
case $magic in
fd377a585a00) unpack='xz -dc --single-stream' ;;
1f8b*) unpack='gzip -dc' ;;
28b52ffd*) unpack='zstd -dcq' ;;
425a68*) unpack='bzip2 -dc' ;;
*)
	echo "$0: unknown kernel payload format (magic $magic)" >&2
	exit 1
	;;
esac

mkdir -p "$(dirname "$out")"
tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT
# gzip and zstd may complain about the 4-byte size the kernel appends.
payload | $unpack >"$tmp" 2>/dev/null || [ -s "$tmp" ]
[ "$(od -An -tx1 -N4 "$tmp" | tr -d ' ')" = 7f454c46 ] || {
	echo "$0: the unpacked kernel is not an ELF file" >&2
	exit 1
}
mv -f "$tmp" "$out"
trap - EXIT

# shellcheck shell=sh
# Shared by mkinitramfs.sh and run.sh (sourced, POSIX sh).

# vm_kver: the kernel the VM boots. $KVER if set, otherwise the newest
# /lib/modules/*-amd64 that has a /boot/vmlinuz of the same version.
vm_kver() {
	if [ -n "${KVER:-}" ]; then
		echo "$KVER"
		return 0
	fi
	for dir in $(ls -d /lib/modules/*-amd64 2>/dev/null | sort -r -V); do
		k=${dir##*/}
		if [ -e "/boot/vmlinuz-$k" ]; then
			echo "$k"
			return 0
		fi
	done
	echo "vm: no /lib/modules/*-amd64 with a matching /boot/vmlinuz-*;" \
		"install linux-image-amd64 (see tests/vm/packages.txt)" >&2
	return 1
}

#!/bin/sh
# /init of the lvsd test VM; runs under busybox sh from the initramfs that
# tests/vm/mkinitramfs.sh builds. It loads the modules, mounts the host's
# root (9p, read-only) with tmpfs over the writable places, mounts the
# results share, runs /results/cmd chrooted in the host root, writes its
# exit status next to it and powers the VM off.
#
# Kernel command line parameters (set by tests/vm/run.sh):
#   vm.cwd=DIR        working directory of the command (host path)
#   vm.results=DIR    where the results share appears inside the chroot
#   vm.hostname=NAME  host name of the VM
#   vm.out=TTY        device that carries the command's output (ttyS1)
#   vm.tty=1          the command's stdout and stderr are that terminal
#                     itself (run.sh's stdout is a terminal), not a pipe
#   vm.debug=1        trace this script on the console

PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PATH
umask 022

mount -t devtmpfs -o mode=0755,nosuid devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys

log() {
	echo "vm-init: $*"
}

# Something the VM cannot work without is missing: say so on the console
# (run.sh shows the console when no status file appears) and stop.
die() {
	echo "vm-init: FATAL: $*"
	sync
	poweroff -f
	sleep 10
	exit 1
}

uptime_s() {
	read -r up _ </proc/uptime
	echo "$up"
}

cwd=/
results=/run/vm-results
vmhost=lvsd-vm
out=ttyS1
tty=
for arg in $(cat /proc/cmdline); do
	case $arg in
	vm.cwd=*) cwd=${arg#vm.cwd=} ;;
	vm.results=*) results=${arg#vm.results=} ;;
	vm.hostname=*) vmhost=${arg#vm.hostname=} ;;
	vm.out=*) out=${arg#vm.out=} ;;
	vm.tty=1) tty=1 ;;
	vm.debug=1) set -x ;;
	esac
done
case $results in
/tmp/?* | /run/?*) ;;
*) die "vm.results=$results must be below /tmp or /run" ;;
esac

# Modules, in dependency order; a leading "!" marks one that must load.
# Failures of the others are logged: crc32c-intel, for one, needs SSE4.2.
while read -r mod; do
	required=
	case $mod in
	!*) required=1 mod=${mod#!} ;;
	esac
	if ! msg=$(insmod "/lib/modules/$mod" 2>&1); then
		[ -n "$required" ] && die "insmod $mod: $msg"
		log "insmod $mod failed (optional): $msg"
	fi
done </lib/modules/load.list
[ -e /proc/net/ip_vs ] || die "ip_vs is not loaded (no /proc/net/ip_vs)"

# The host's root, read-only. cache=loose makes reading many small files
# (perl, python) much faster; it is safe because nothing changes the host
# files a test reads while the VM runs. Plain mode is the fallback.
p9opts=trans=virtio,version=9p2000.L,msize=512000
mkdir -p /newroot /lower /results
if ! mount -t 9p -o "$p9opts,cache=loose,ro" hostroot /newroot; then
	log "9p cache=loose refused; mounting without cache"
	mount -t 9p -o "$p9opts,ro" hostroot /newroot ||
		die "cannot mount the host root (9p tag hostroot)"
fi
# The results share is written by the VM and read by the host: no cache.
mount -t 9p -o "$p9opts,rw" results /results ||
	die "cannot mount the results share (9p tag results)"
[ -r /results/cmd ] || die "no cmd file in the results share"

# A second view of the host root, without the tmpfs layers stacked below,
# so that a working directory hidden by one of them can be bound back.
mount --bind /newroot /lower

R=/newroot
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs $R/tmp
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs $R/run
mount -t tmpfs -o mode=0755 tmpfs $R/var
mkdir -p $R/run/lock $R/var/tmp $R/var/lib $R/var/log $R/var/cache \
	$R/var/spool $R/var/lib/misc
chmod 1777 $R/var/tmp $R/run/lock
ln -s /run $R/var/run
ln -s /run/lock $R/var/lock
# HOME is /root: give it a writable, empty tmpfs unless the repo is in it.
case $cwd/ in
/root/*) ;;
*) mount -t tmpfs -o mode=0700 tmpfs $R/root ;;
esac
for hidden in /tmp /run /var /root; do
	case $cwd/ in
	"$hidden"/*)
		mkdir -p "$R$cwd"
		mount --bind "/lower$cwd" "$R$cwd"
		;;
	esac
done

mount -t proc -o nosuid,nodev,noexec proc $R/proc
mount -t sysfs -o nosuid,nodev,noexec sysfs $R/sys
mount -t devtmpfs -o mode=0755,nosuid devtmpfs $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts -o gid=5,mode=0620,ptmxmode=0666,nosuid,noexec devpts $R/dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs $R/dev/shm
ln -sf /proc/self/fd $R/dev/fd
ln -sf /proc/self/fd/0 $R/dev/stdin
ln -sf /proc/self/fd/1 $R/dev/stdout
ln -sf /proc/self/fd/2 $R/dev/stderr
mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 $R/sys/fs/cgroup 2>/dev/null ||
	log "no cgroup2"
mount -t bpf -o mode=0700 bpf $R/sys/fs/bpf 2>/dev/null || log "no bpffs"

mkdir -p "$R$results"
mount --bind /results "$R$results"

# Modules the kernel asks for later (a scheduler, dummy, ...) come from the
# host's /lib/modules: the kernel runs its modprobe helper in this root.
# (Tested in the chroot: host symlinks such as /sbin/modprobe are absolute.)
if chroot $R /bin/sh -c '[ -x /sbin/modprobe ] && [ -d "/lib/modules/$1" ]' \
	sh "$(uname -r)"; then
	printf '#!/bin/sh\nexec chroot /newroot /sbin/modprobe "$@"\n' \
		>/bin/vm-modprobe
	chmod 0755 /bin/vm-modprobe
	echo /bin/vm-modprobe >/proc/sys/kernel/modprobe
else
	log "no modprobe or /lib/modules/$(uname -r) on the host root"
fi

hostname "$vmhost"
ip link set lo up || die "cannot bring lo up"

# The command's output goes to the port run.sh connects to its stdout.
# When that is a terminal the command gets a terminal too (prove shows its
# progress and colours, as it would on the host); otherwise a pipe (as
# under make), drained by cat onto the port in raw mode (no CR before LF).
[ -c "/dev/$out" ] || die "no /dev/$out for the command's output"
if [ -n "$tty" ]; then
	stty -F "/dev/$out" sane -echo 115200
	cmdout=/dev/$out
	catpid=
else
	stty -F "/dev/$out" raw -echo 115200
	cmdout=/run-out.fifo
	mkfifo $cmdout
	cat $cmdout >"/dev/$out" &
	catpid=$!
fi

uptime_s >/results/started
# env -i: only what run.sh wrote into the env file reaches the command.
env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root TERM=dumb LANG=C.UTF-8 VM=1 VM_RESULTS="$results" \
	chroot $R /bin/sh -c '
		cd -- "$1" || exit 125
		. "$2/env" || exit 125
		exec /bin/sh "$2/cmd"' vm-cmd "$cwd" "$results" \
	</dev/null >"$cmdout" 2>&1
status=$?
uptime_s >/results/finished

# End the processes the command left behind (they would keep the fifo
# open), then let cat drain the fifo and close the port, which waits for
# the UART to send everything.
left=
for dir in /proc/[0-9]*; do
	pid=${dir#/proc/}
	[ "$pid" = 1 ] || [ "$pid" = "$catpid" ] && continue
	readlink "$dir/exe" >/dev/null 2>&1 || continue # kernel thread
	left="$left $pid"
done
if [ -n "$left" ]; then
	log "killing processes the command left running:$left"
	kill -TERM $left 2>/dev/null
	sleep 0.2
	kill -KILL $left 2>/dev/null
fi
if [ -n "$catpid" ]; then
	wait $catpid
else
	stty -F "/dev/$out" -echo # its last close waits for the UART to drain
fi

echo "$status" >/results/status.tmp && mv /results/status.tmp /results/status
umount "$R$results"
umount /results
sync
poweroff -f
sleep 10

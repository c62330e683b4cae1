#!/bin/bash
# Each executable links only its own libraries, and every one is built
# hardened: PIE, full RELRO, non-executable stack, stack protector and
# FORTIFY_SOURCE.  Read from the binaries with readelf.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
n=0 failed=0
check() {
	n=$((n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $n - $3"
	else
		failed=$((failed + 1))
		echo "not ok $n - $3"
		echo "#   got: '$1'"
		echo "#   expected: '$2'"
	fi
}
needed() {
	readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
		sed 's/\.so\..*//' | sort | tr '\n' ' ' | sed 's/ $//'
}

check "$(needed "$top/parent/lvsd")" "libbsd libc" \
	"lvsd links libbsd and libc only"
check "$(needed "$top/checker/lvsd-checker")" "libbsd libc libcurl libseccomp" \
	"lvsd-checker links libcurl, libseccomp, libbsd and libc only"
check "$(needed "$top/ipvsd/lvsd-ipvsd")" "libbsd libc libnl-3 libnl-genl-3 libseccomp" \
	"lvsd-ipvsd links libnl-3, libnl-genl-3, libseccomp, libbsd and libc only"
# libseccomp only through the privilege drop it shares (common/sandbox.c)
check "$(needed "$top/exec/lvsd-exec")" "libbsd libc libseccomp" \
	"lvsd-exec links libseccomp, libbsd and libc only: no libcurl, no libnl"

for prog in parent/lvsd checker/lvsd-checker ipvsd/lvsd-ipvsd exec/lvsd-exec; do
	f=$top/$prog
	name=${prog#*/}
	check "$(readelf -h "$f" | awk '/Type:/ { print $2 }')" DYN "$name is PIE"
	check "$(readelf -l "$f" | grep -c GNU_RELRO)" 1 "$name has a RELRO segment"
	check "$(readelf -d "$f" | grep -Ec 'BIND_NOW|FLAGS.*NOW')" 2 \
		"$name binds now (full RELRO)"
	check "$(readelf -lW "$f" | awk '/GNU_STACK/ { print $7 }')" RW \
		"$name has a non-executable stack"
	check "$(readelf -W --dyn-syms "$f" | grep -c '__stack_chk_fail')" 1 \
		"$name is built with the stack protector"
	check "$(readelf -W --dyn-syms "$f" | grep -Ec '__[a-z_]+_chk@' | awk '{ print ($1 > 0) }')" 1 \
		"$name is built with FORTIFY_SOURCE"
done

# The sandbox test hook (LVSD_TEST_HOOKS) is in the test copies of the
# children and in no installed executable: neither its symbol nor its
# log line.  The test copies prove the probe would see it.
hook() {
	{ nm "$1" 2>/dev/null; strings "$1"; } |
		grep -Ec 'sandbox_test_(hooks|forbidden)|lvsd test hook'
}
for prog in checker/lvsd-checker ipvsd/lvsd-ipvsd; do
	name=${prog#*/}
	check "$(hook "$top/$prog")" 0 "$name has no sandbox test hook"
	check "$(hook "$top/tests/hooks/$name" | awk '{ print ($1 > 0) }')" 1 \
		"the test copy of $name has the hook"
done
check "$(hook "$top/parent/lvsd")" 0 "lvsd has no sandbox test hook"
check "$(hook "$top/exec/lvsd-exec")" 0 "lvsd-exec has no sandbox test hook"

# The sanitizer build's options and extra syscalls (-DLVSD_SANITIZE,
# common/sandbox.c) are in no installed executable either; the copy in
# build/asan, when there is one, proves the probe would see them.
san() {
	{ nm "$1" 2>/dev/null; strings "$1"; } |
		grep -Ec '__(asan|ubsan)_default_options|sandbox_san_|the report, on stderr'
}
for prog in parent/lvsd checker/lvsd-checker ipvsd/lvsd-ipvsd exec/lvsd-exec; do
	check "$(san "$top/$prog")" 0 "${prog#*/} has no sanitizer options or syscalls"
done
for prog in checker/lvsd-checker ipvsd/lvsd-ipvsd; do
	n=$((n + 1))
	if [ -x "$top/build/asan/$prog" ]; then
		n=$((n - 1))
		check "$(san "$top/build/asan/$prog" | awk '{ print ($1 > 0) }')" 1 \
			"the sanitizer build of ${prog#*/} has them"
	else
		echo "ok $n # skip no sanitizer build (make check-asan)"
	fi
done
echo "1..$n"
[ "$failed" = 0 ]

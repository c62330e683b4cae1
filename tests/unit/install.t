#!/bin/bash
# make install with PREFIX and DESTDIR puts lvsd in sbin, the children in
# libexec/lvsd and the man pages in share/man, with the right modes, and
# creates no user when DESTDIR is set; the man pages pass mandoc's lint.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
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
mode() { stat -c %a "$1" 2>/dev/null || echo missing; }

# In a copy of the built tree: a PREFIX other than the build's must
# rebuild lvsd with its paths, and not touch the tree under test.
mkdir "$tmp/src"
(cd "$top" && tar -cf - --exclude=./tests/vm/build --exclude=./.git .) |
	(cd "$tmp/src" && tar -xf -)
out=$(make -s -C "$tmp/src" install PREFIX=/usr DESTDIR="$tmp/root" 2>&1)
check $? 0 "make install PREFIX=/usr DESTDIR=... succeeds"
check "$(mode "$tmp/root/usr/sbin/lvsd")" 755 "lvsd in sbin, mode 0755"
for c in lvsd-checker lvsd-ipvsd lvsd-exec; do
	check "$(mode "$tmp/root/usr/libexec/lvsd/$c")" 755 \
		"$c in libexec/lvsd, mode 0755"
done
check "$(mode "$tmp/root/usr/share/man/man8/lvsd.8")" 644 "lvsd.8 installed"
check "$(mode "$tmp/root/usr/share/man/man5/lvsd.cf.5")" 644 \
	"lvsd.cf.5 installed"
check "$(printf '%s' "$out" | grep -c 'creating system user')" 0 \
	"no user is created under DESTDIR"
agent=$tmp/root/usr/lib/ocf/resource.d/lvsd/lvsd
check "$(mode "$agent")" 755 "the OCF agent in lib/ocf/resource.d/lvsd"
check "$(grep -c '^OCF_RESKEY_lvsd_default=/usr/sbin/lvsd$' "$agent")" 1 \
	"the agent's default lvsd is the installed one"
check "$(find "$tmp/root" -type f | wc -l)" 7 "nothing else is installed"

# The installed lvsd looks for its children where they were installed.
check "$(strings "$tmp/root/usr/sbin/lvsd" | grep -c '^/usr/libexec/lvsd$')" 1 \
	"the installed lvsd looks for its children in /usr/libexec/lvsd"
check "$(cmp -s "$tmp/src/checker/lvsd-checker" "$top/checker/lvsd-checker" &&
	echo same)" same "a change of PREFIX does not rebuild the children"

for page in parent/lvsd.8 conf/lvsd.cf.5; do
	lint=$(mandoc -T lint -W warning "$top/$page" 2>&1)
	check "$lint" "" "$page: no mandoc warning"
done

echo "1..$n"
[ "$failed" -eq 0 ]

#!/bin/bash
# make demo: runs inside the IPVS test VM (tests/vm/run.sh).  Three small
# web servers, lvsd on conf/examples/http.cf, and the kernel's IPVS table
# as it follows their health.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
pids=()
cleanup() {
	"$top/parent/lvsd" -f "$tmp/http.cf" stop >/dev/null 2>&1 || true
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
vip=127.0.0.100:80

# wait_until SECONDS CMD...: poll CMD until it succeeds
wait_until() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		((SECONDS < end)) || { echo "demo: timed out waiting for: $*" >&2; exit 1; }
		sleep 0.2
	done
}
weight() {
	ipvsadm -Ln -t $vip 2>/dev/null | awk -v r="$1" '$1 == "->" && $2 == r { print $4 }'
}
weight_is() { [ "$(weight "$1")" = "$2" ]; }

start_web() {
	local i=$1 dir=$tmp/web$1
	mkdir -p "$dir"
	echo "hello from real server $i" >"$dir/index.html"
	echo "OK" >"$dir/health"
	rm -f "$dir/.ready"
	python3 -I "$top/tests/integration/httpd.py" --bind "127.0.0.$i" --port 80 \
		--dir "$dir" >/dev/null 2>&1 &
	pids[$i]=$!
	wait_until 30 test -e "$dir/.ready"
}

say "starting three web servers: 127.0.0.2, .3 and .4, port 80"
for i in 2 3 4; do start_web $i; done

say "the config: conf/examples/http.cf"
grep -v '^#' "$top/conf/examples/http.cf" | grep -v '^[[:space:]]*#' | grep .
cp "$top/conf/examples/http.cf" "$tmp/http.cf"
chmod 0644 "$tmp/http.cf"

mkdir -p "$tmp/libexec"
ln -s "$top/checker/lvsd-checker" "$top/ipvsd/lvsd-ipvsd" \
    "$top/exec/lvsd-exec" "$tmp/libexec/"
say "lvsd -t: checking the config"
"$top/parent/lvsd" -t -f "$tmp/http.cf"
say "starting lvsd (its log follows, prefixed 'lvsd|')"
"$top/parent/lvsd" -d -u nobody -x "$tmp/libexec" -f "$tmp/http.cf" 2>&1 |
	sed -u 's/^/lvsd| /' &
wait_until 60 eval 'weight_is 127.0.0.2:80 1 && weight_is 127.0.0.3:80 1 && weight_is 127.0.0.4:80 1'
say "the kernel's IPVS table (ipvsadm -Ln): three real servers in rotation"
ipvsadm -Ln

say "the processes: root parent, unprivileged children"
ps -o user,pid,ppid,args -C lvsd,lvsd-checker,lvsd-ipvsd,lvsd-exec

say "stopping the web server on 127.0.0.3"
kill "${pids[3]}"
wait_until 30 weight_is 127.0.0.3:80 0
say "127.0.0.3 failed its check: quiesced (weight 0), its open connections may finish"
ipvsadm -Ln

say "starting it again"
start_web 3
wait_until 30 weight_is 127.0.0.3:80 1
say "127.0.0.3 passed its check: back in rotation"
ipvsadm -Ln

say "stopping lvsd: it removes its virtual service (cleanstop=yes)"
"$top/parent/lvsd" -f "$tmp/http.cf" stop
ipvsadm -Ln
say "that was lvsd. Next: make check, man parent/lvsd.8, man conf/lvsd.cf.5"

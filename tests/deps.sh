#!/bin/sh
# make deps: install the Debian packages the build and the tests need,
# only those missing, and say which.  Lists: tests/packages.txt and
# tests/vm/packages.txt (the IPVS test VM).
set -eu
cd "$(dirname "$0")/.."
wanted=$(cat tests/packages.txt tests/vm/packages.txt 2>/dev/null |
    sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$' | sort -u)
missing=
for p in $wanted; do
	s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$s" = installed ] || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps: all $(echo "$wanted" | wc -l) packages present"
	exit 0
fi
echo "deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: must be root to install packages (or install them by hand)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# The daemons among them are for the tests, which start their own: keep
# their packages from starting (or failing to start) a system service.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# deps.sh: no service starts during install\nexit 101\n' \
	    >"$policy"
	chmod 0755 "$policy"
	trap 'rm -f "$policy"' EXIT
fi
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing

#!/bin/bash
# lvsd-checker's TLS checks against the real daemons of Debian's packages,
# each run in the foreground on its own 127.0.34.x address with a config
# and a certificate of a CA the test makes: nginx for https (a good
# page, a wrong receive, an error status, HEAD, a closed port, and SNI:
# two server blocks whose bodies tell which name reached TLS and Host)
# and for http_proxy (nginx as the proxy in front of an origin); dovecot
# for pops and imaps, with a good and a bad login. checktlsverify: with
# the test's CA (up), the system bundle (down), another name (down), for
# https, imaps and pops; httpredirects: a 302 to the same real followed
# when allowed and the answer when not, a 302 to another address never
# followed. Then hostile TLS
# servers (tlshostile.py): one that never completes the handshake, one
# that answers garbage, one that sends a certificate without end; each
# probe of one costs one failed check within its timeout, and the checker
# stays up. Needs root (chroot and setuid) but no IPVS.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

command -v nginx >/dev/null || plan skip_all "no nginx (make deps)"
command -v dovecot >/dev/null || plan skip_all "no dovecot (make deps)"
command -v openssl >/dev/null || plan skip_all "no openssl (make deps)"
command -v python3 >/dev/null || plan skip_all "no python3"

hostile=(mute garbage endlesscert)
# what each costs: the end of the reason of its failures
declare -A hostile_why=([mute]="timeout after [0-9]+ ms( connecting)?"
	[garbage]="wrong version number" [endlesscert]="excessive message size")
plan $((2 * 25 + 2 + 2 * 6 * ${#hostile[@]} + 4))

listening() { ss -Hltn "src $1" | grep -q .; }

# dovecot's auth process reads its users file as user dovecot, nginx's
# workers run as nobody
chmod 0711 "$TEST_TMP"

# ---- the test's own CA, and a certificate of it for both daemons ------------
# for www.example.org and the addresses of nginx and dovecot, so that a
# check that verifies (checktlsverify) can pass with the test's CA file
# and fail with the system bundle, or with another name

pki=$TEST_TMP/pki
mkdir -p "$pki"
{
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -subj /CN=lvsd-test-ca -days 2 -keyout "$pki/ca.key" \
		-out "$pki/ca.pem" &&
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -subj /CN=lvsd-test -keyout "$pki/key.pem" \
		-out "$pki/req.pem" &&
	printf 'subjectAltName=DNS:www.example.org,IP:127.0.34.1,IP:127.0.34.4\n' \
		>"$pki/ext.cnf" &&
	openssl x509 -req -in "$pki/req.pem" -CA "$pki/ca.pem" \
		-CAkey "$pki/ca.key" -CAcreateserial -days 2 \
		-extfile "$pki/ext.cnf" -out "$pki/cert.pem"
} >"$pki/openssl.log" 2>&1 || bail_out "openssl: $(cat "$pki/openssl.log")"
chmod 0644 "$pki"/*.pem
system_ca=/etc/ssl/certs/ca-certificates.crt
[ -r "$system_ca" ] || bail_out "no $system_ca (ca-certificates)"

# ---- nginx: https on 127.0.34.1:8443, the proxy on .2:3128, its origin .3 ----

ng=$TEST_TMP/nginx
mkdir -p "$ng/tmp" && chmod 0777 "$ng/tmp"
cat >"$ng/nginx.conf" <<NGINX
daemon off;
user nobody nogroup;
worker_processes 1;
pid $ng/nginx.pid;
error_log $ng/error.log info;
events {
	worker_connections 64;
}
http {
	default_type text/plain;
	log_format probe '\$server_addr:\$server_port "\$request" \$status';
	access_log $ng/access.log probe;
	client_body_temp_path $ng/tmp/body;
	proxy_temp_path $ng/tmp/proxy;
	fastcgi_temp_path $ng/tmp/fastcgi;
	uwsgi_temp_path $ng/tmp/uwsgi;
	scgi_temp_path $ng/tmp/scgi;
	ssl_certificate $pki/cert.pem;
	ssl_certificate_key $pki/key.pem;
	server {
		listen 127.0.34.1:8443 ssl default_server;
		location / {
			return 200 "default site sni=[\$ssl_server_name] host=[\$host]\n";
		}
		location /down {
			return 503 "down for maintenance\n";
		}
		# httpredirects: to the same real, and to another address
		location /r-same {
			return 302 https://127.0.34.1:8443/landing;
		}
		location /landing {
			return 200 "landed\n";
		}
		location /r-other {
			return 302 https://127.0.34.2:8443/landing;
		}
	}
	server {
		listen 127.0.34.1:8443 ssl;
		server_name www.example.org;
		location / {
			return 200 "example site sni=[\$ssl_server_name] host=[\$host]\n";
		}
	}
	server {
		listen 127.0.34.2:3128;
		location / {
			proxy_pass http://127.0.34.3:8080;
			proxy_set_header Host \$host;
		}
	}
	server {
		listen 127.0.34.3:8080;
		location / {
			return 200 "origin host=[\$host] uri=[\$request_uri]\n";
		}
	}
}
NGINX
spawn nginx -c "$ng/nginx.conf" -e "$ng/error.log"
wait_for 60 eval 'listening 127.0.34.1:8443 && listening 127.0.34.3:8080' ||
	bail_out "nginx did not start: $(cat "$ng/error.log")"

# ---- dovecot: imaps on 127.0.34.4:1993, pop3s on :1995 ----------------------

dv=$TEST_TMP/dovecot
mkdir -p "$dv/home" && chmod 0777 "$dv/home"
echo 'probe:{PLAIN}s3cret' >"$dv/users"
cat >"$dv/dovecot.conf" <<DOVECOT
base_dir = $dv/run
state_dir = $dv/state
log_path = $dv/dovecot.log
listen = 127.0.34.4
protocols = imap pop3
ssl = required
ssl_cert = <$pki/cert.pem
ssl_key = <$pki/key.pem
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dv/users
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$dv/home/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = 1993
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 1995
  }
}
DOVECOT
spawn dovecot -F -c "$dv/dovecot.conf"
wait_for 60 eval 'listening 127.0.34.4:1993 && listening 127.0.34.4:1995' ||
	bail_out "dovecot did not start: $(cat "$dv/dovecot.log")"

# ---- hostile TLS servers on 127.0.34.1x:9443 (https), .2x:9443 (pops) -------

args=()
for i in "${!hostile[@]}"; do
	args+=("${hostile[$i]}-https" "${hostile[$i]}" "127.0.34.$((i + 10))" 9443
		"${hostile[$i]}-pops" "${hostile[$i]}" "127.0.34.$((i + 20))" 9443)
done
spawn python3 "$TEST_LIB_DIR/tlshostile.py" "$TEST_TMP" "${args[@]}"
hostile_log=$spawned_log
wait_for 60 test -e "$TEST_TMP/ready" ||
	bail_out "no hostile servers: $(cat "$hostile_log")"

# ---- the checker -------------------------------------------------------------

checker_driver_start
ok "the checker says it is ready" wait_for 30 has ready

a=127.0.34
# A first TLS handshake takes seconds in the emulated test VM, and more
# with fifteen at once: the first probe must not time out, because only
# a change of state is reported with its reason.
t="ntimeout=120000"
# every hostile probe gives up after this long, and fails for good
# never (fail=), so that each failed probe is logged and can be counted
timeout_ms=2000
fails=100000
send peer \
	"check 0 https tcp $a.1 8443 $t receive=^default.site" \
	"check 1 https tcp $a.1 8443 $t receive=nothing.like.this" \
	"check 2 https tcp $a.1 8443 $t request=/down" \
	"check 3 https-head tcp $a.1 8443 $t" \
	"check 4 https tcp $a.1 8444 $t" \
	"check 5 https tcp $a.1 8443 $t vhost=www.example.org receive=^example.site.sni=\[www\.example\.org\].host=\[www\.example\.org\]" \
	"check 6 https tcp $a.1 8443 $t receive=sni=\[\].host=\[127\.0\.34\.1\]" \
	"check 7 http_proxy tcp $a.2 3128 $t request=http://www.example.org/proxied receive=^origin.host=\[www\.example\.org\].uri=\[/proxied\]" \
	"check 8 http_proxy tcp $a.2 3128 $t request=http://www.example.org/x receive=nothing.like.this" \
	"check 9 imaps tcp $a.4 1993 $t login=probe passwd=s3cret" \
	"check 10 imaps tcp $a.4 1993 $t login=probe passwd=wrong" \
	"check 11 pops tcp $a.4 1995 $t login=probe passwd=s3cret" \
	"check 12 pops tcp $a.4 1995 $t login=probe passwd=wrong" \
	"check 13 imaps tcp $a.4 1993 $t" \
	"check 14 pops tcp $a.4 1995 $t" \
	"ca 0 $pki/ca.pem" "ca 1 $system_ca" \
	"check 15 https tcp $a.1 8443 $t verify=1 vhost=www.example.org receive=^example.site" \
	"check 16 https tcp $a.1 8443 $t verify=2 vhost=www.example.org" \
	"check 17 https tcp $a.1 8443 $t verify=1 receive=^default.site" \
	"check 18 https tcp $a.1 8443 $t verify=1 vhost=wrong.example.org" \
	"check 19 imaps tcp $a.4 1993 $t verify=1 login=probe passwd=s3cret" \
	"check 20 pops tcp $a.4 1995 $t verify=2 login=probe passwd=s3cret" \
	"check 21 pops tcp $a.4 1995 $t verify=1 vhost=wrong.example.org" \
	"check 22 https tcp $a.1 8443 $t request=/r-same redirects=3 receive=^landed" \
	"check 23 https tcp $a.1 8443 $t request=/r-same" \
	"check 24 https tcp $a.1 8443 $t request=/r-other redirects=3" \
	"conf 1 25"

expect_wait=240
expect 0 up "https: status 200" "https, a good page: up"
expect 1 down "https: body does not match 'nothing.like.this'" \
	"https, a wrong receive: down"
expect 2 down "https: status 503" "https, an error status: down"
expect 3 up "https: status 200" "https, HEAD: up"
expect 4 down "connect: Connection refused" "https, nothing listening: down"
expect 5 up "https: status 200" \
	"https, virtualhost: the second server block, by SNI and Host: up"
expect 6 up "https: status 200" \
	"https, no virtualhost: no SNI, the real's address as Host: up"
expect 7 up "http_proxy: status 200" \
	"http_proxy: the URL fetched through nginx from its origin: up"
expect 8 down "http_proxy: body does not match 'nothing.like.this'" \
	"http_proxy, a wrong receive: down"
expect 9 up "imaps: answered" "dovecot imaps, a good login: up"
expect 10 down "imaps: LOGIN refused: 'L1 NO .*" \
	"dovecot imaps, a bad login: down"
expect 11 up "pops: answered" "dovecot pop3s, a good login: up"
expect 12 down "pops: PASS refused: '-ERR .*" \
	"dovecot pop3s, a bad login: down"
expect 13 up "imaps: answered" "dovecot imaps, no login: up"
expect 14 up "pops: answered" "dovecot pop3s, no login: up"
expect 15 up "https: status 200" \
	"https, verified with the test's CA as www.example.org: up"
expect 16 down "https: SSL certificate problem: .*" \
	"https, verified with the system bundle: down"
expect 17 up "https: status 200" \
	"https, verified with the test's CA as the real's address: up"
expect 18 down "https: SSL: no alternative certificate subject name matches .*" \
	"https, verified as another name: down"
expect 19 up "imaps: answered" "imaps, verified with the test's CA: up"
expect 20 down "pops: .*SSL certificate problem: .*" \
	"pops, verified with the system bundle: down"
expect 21 down "pops: .*no alternative certificate subject name matches .*" \
	"pops, verified as another name: down"
expect 22 up "https: status 200" \
	"https, httpredirects=3: a 302 to the same real followed: up"
expect 23 down "https: status 302" "https, no httpredirects: the 302 is the answer: down"
expect 24 down "https: 302 to another server: 'https://127.0.34.2:8443/landing'" \
	"https, httpredirects=3: a 302 to another address: down"

ok "nginx, the proxy, got the full URL" grep -qF \
	'127.0.34.2:3128 "GET http://www.example.org/proxied HTTP/1.1" 200' \
	"$ng/access.log"
ok "dovecot saw the good logins over TLS" eval \
	'grep -q "imap-login: Info: Login: user=<probe>.*TLS" "$dv/dovecot.log" &&
	grep -q "pop3-login: Info: Login: user=<probe>.*TLS" "$dv/dovecot.log"'

# ---- the hostile ones, alone in the next generation ---------------------------

first_hostile=0
h="9443 interval=1000 ctimeout=$timeout_ms ntimeout=$timeout_ms fail=$fails"
for i in "${!hostile[@]}"; do
	send "check $((first_hostile + 2 * i)) https tcp $a.$((i + 10)) $h" \
		"check $((first_hostile + 2 * i + 1)) pops tcp $a.$((i + 20)) $h"
done
send "conf 2 $((2 * ${#hostile[@]}))"

# the hostile check ID's address, the name of its server, its service
hostile_addr() { echo "$a.$((($1 - first_hostile) / 2 + 10 + ($1 - first_hostile) % 2 * 10)):9443"; }
hostile_svc() { [ $((($1 - first_hostile) % 2)) = 0 ] && echo https || echo pops; }
hostile_name() { echo "${hostile[$((($1 - first_hostile) / 2))]}-$(hostile_svc "$1")"; }
# failures ID: the N of each "failure N of FAILS" logged for check ID
failures() {
	sed -n "s/^log checker: real $(hostile_addr "$1") failure \([0-9]*\) of $fails .*/\1/p" "$out"
}
nfail() { failures "$1" | wc -l; }
last_hostile=$((first_hostile + 2 * ${#hostile[@]} - 1))
all_failed_thrice() {
	local id
	for id in $(seq "$first_hostile" "$last_hostile"); do
		[ "$(nfail "$id")" -ge 3 ] || return 1
	done
}
ok "every hostile probe has failed three times" wait_for 300 all_failed_thrice

# a still picture: no more probes
send "conf 3 0" "ping 1"
wait_for 60 has "pong 1" || bail_out "the checker does not answer"

for id in $(seq "$first_hostile" "$last_hostile"); do
	m=$(hostile_name "$id")
	k=$(nfail "$id")
	conns=$(wc -l <"$TEST_TMP/$m.conns")
	is "$(failures "$id" | tr '\n' ' ')" "$(seq 1 "$k" | tr '\n' ' ')" \
		"$m: failures counted one by one, each once ($k)"
	ok "$m: one connection per failed probe ($conns connections, $k failures)" \
		test "$conns" -ge "$k" -a "$conns" -le $((k + 1))
	first=$(grep "^result 2 $id " "$out" | head -n 1)
	like "$first" "^result 2 $id down unknown [0-9]+ " \
	    "$m: the first probe failed (the state unknown: below failurecount)"
	lat_ms=$(($(echo "$first" | cut -d' ' -f6) / 1000))
	ok "$m: within its timeout ($lat_ms ms, timeout $timeout_ms ms)" \
		test "$lat_ms" -le $((timeout_ms + 1500))
	nok "$m: never up" has "state 2 $id up"
	why=${hostile_why[${m%-*}]}
	# a slow machine may time the first ones out: one of them will do
	ok "$m: a failure says why: $why" has_re \
		"^log checker: real $(hostile_addr "$id") failure [0-9]+ of $fails \(.*$why\)\$"
	note "$m: ${first#result 2 $id down unknown }"
done

is "$(grep -c '^exit\|^killed' "$out")" 0 "the checker never died"
send quit
ok "it exits when the parent hangs up" wait_for 30 has "exit 0"
# shellcheck disable=SC2154 # lib.sh's count of failures
[ "$_t_failed" = 0 ] || diag "driver output:" "$(cat "$out")" \
	"nginx:" "$(cat "$ng/error.log")" "dovecot:" "$(cat "$dv/dovecot.log")"

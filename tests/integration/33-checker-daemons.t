#!/bin/bash
# lvsd-checker's protocol checks against the real daemons of Debian's
# packages: dovecot (imap and pop3, with a good and a bad login),
# OpenSMTPD (smtp) and dnsmasq (dns over UDP and TCP: A, AAAA, PTR), each
# run in the foreground on its own 127.0.33.x address with a config the
# test writes.  Needs root but no IPVS.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

command -v dovecot >/dev/null || plan skip_all "no dovecot (make deps)"
command -v smtpd >/dev/null || plan skip_all "no OpenSMTPD (make deps)"
command -v dnsmasq >/dev/null || plan skip_all "no dnsmasq (make deps)"

plan 27

listening() { ss -Hltn "src $1" | grep -q .; }

# ---- dovecot: imap on 127.0.33.1:1143, pop3 on :1110 -------------------------

# dovecot's auth process reads the users file as user dovecot
chmod 0711 "$TEST_TMP"
dv=$TEST_TMP/dovecot
mkdir -p "$dv/home" && chmod 0777 "$dv/home"
echo 'probe:{PLAIN}s3cret' >"$dv/users"
cat >"$dv/dovecot.conf" <<DOVECOT
base_dir = $dv/run
state_dir = $dv/state
log_path = $dv/dovecot.log
listen = 127.0.33.1
protocols = imap pop3
ssl = no
disable_plaintext_auth = no
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
    port = 1143
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 1110
  }
  inet_listener pop3s {
    port = 0
  }
}
DOVECOT
spawn dovecot -F -c "$dv/dovecot.conf"
wait_for 60 listening 127.0.33.1:1110 ||
	bail_out "dovecot did not start: $(cat "$dv/dovecot.log")"

# ---- OpenSMTPD on 127.0.33.2:2525 ------------------------------------------

sm=$TEST_TMP/smtpd
mkdir -p "$sm"
cat >"$sm/smtpd.conf" <<SMTPD
listen on 127.0.33.2 port 2525
action "deliver" mbox
match from any for any action "deliver"
SMTPD
chmod 0600 "$sm/smtpd.conf"
smtpd_start 127.0.33.2 2525 "$sm/smtpd.conf"

# ---- dnsmasq on 127.0.33.3:5300, UDP and TCP ---------------------------------

spawn dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv \
	--no-hosts --pid-file= --user=nobody --bind-interfaces \
	--listen-address=127.0.33.3 --port=5300 \
	--address=/www.example.org/192.0.2.7 \
	--address=/v6.example.org/2001:db8::1 \
	--ptr-record=7.2.0.192.in-addr.arpa,www.example.org
dnsmasq_log=$spawned_log
wait_for 60 listening 127.0.33.3:5300 ||
	bail_out "dnsmasq did not start: $(cat "$dnsmasq_log")"

# ---- the checks --------------------------------------------------------------

checker_driver_start
ok "the checker says it is ready" wait_for 10 has ready

a=127.0.33
t="ntimeout=20000"
send peer \
	"check 0 imap tcp $a.1 1143 $t" \
	"check 1 imap tcp $a.1 1143 $t login=probe passwd=s3cret" \
	"check 2 imap tcp $a.1 1143 $t login=probe passwd=wrong" \
	"check 3 pop tcp $a.1 1110 $t login=probe passwd=s3cret" \
	"check 4 pop tcp $a.1 1110 $t login=probe passwd=wrong" \
	"check 5 smtp tcp $a.2 2525 $t" \
	"check 6 dns udp $a.3 5300 $t request=www.example.org receive=^192\.0\.2\.7$" \
	"check 7 dns tcp $a.3 5300 $t request=www.example.org receive=^192\.0\.2\.7$" \
	"check 8 dns udp $a.3 5300 $t request=www.example.org receive=^10\." \
	"check 9 dns udp $a.3 5300 $t request=/192.0.2.7 receive=^www\.example\.org$" \
	"check 10 dns udp $a.3 5300 $t request=v6.example.org receive=^2001:db8::1$" \
	"check 11 dns udp $a.3 5300 $t request=nowhere.example.net" \
	"conf 1 12"

expect 0 up "imap: answered" "dovecot imap, no login: up"
expect 1 up "imap: answered" "dovecot imap, a good login: up"
expect 2 down "imap: LOGIN refused: 'L1 NO .*" \
	"dovecot imap, a bad login: down"
expect 3 up "pop: answered" "dovecot pop3, a good login: up"
expect 4 down "pop: PASS refused: '-ERR .*" "dovecot pop3, a bad login: down"
expect 5 up "smtp: answered" "OpenSMTPD: up"
expect 6 up "dns: 192\.0\.2\.7" "dns over UDP, the A record matches: up"
expect 7 up "dns: 192\.0\.2\.7" "dns over TCP, the A record matches: up"
expect 8 down "dns: no answer matched receive" "an A record not matching: down"
expect 9 up "dns: www\.example\.org" "an address asks for its PTR: up"
expect 10 up "dns: 2001:db8::1" "an IPv6 receive asks for AAAA: up"
expect 11 down "dns: rcode [0-9]+" "a name the server will not answer: down"

ok "dovecot saw the good login" \
	grep -q "imap-login: Info: Login: user=<probe>" "$dv/dovecot.log"
nok "no probe was killed by the sandbox" has_re "^killed"
send quit
wait "$driver_pid" 2>/dev/null
# shellcheck disable=SC2154 # lib.sh's count of failures
[ "$_t_failed" = 0 ] || { diag "dovecot:" "$(cat "$dv/dovecot.log")"; } ; [ "$_t_failed" = 0 ] ||
	diag "driver output:" "$(cat "$out")" "smtpd:" "$(cat "$smtpd_log")"

#!/bin/bash
# lvsd-checker's ftp and ldap checks against the real daemons of Debian's
# packages: vsftpd (anonymous, with a file the test writes, and a local
# user's wrong password) and slapd (a database the test loads with
# slapadd: an anonymous bind, a good and a bad simple bind, a missing
# DN), each run in the foreground on its own 127.0.35.x address (vsftpd
# on [::1] too, for EPSV; slapd on an ldaps port too, with a self-signed
# certificate made by openssl, for the ldaps checks), and scripted
# hostile servers.  Then both are stopped and their checks must go down.
# Needs root, no IPVS.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

command -v vsftpd >/dev/null || plan skip_all "no vsftpd (make deps)"
command -v slapd >/dev/null || plan skip_all "no slapd (make deps)"
command -v slapadd >/dev/null || plan skip_all "no slapadd (make deps)"
command -v openssl >/dev/null || plan skip_all "no openssl (make deps)"

plan 54

listening() { ss -Hltn "src $1" | grep -q .; }
chmod 0755 "$TEST_TMP"

# ---- vsftpd on 127.0.35.1:2121 -----------------------------------------------

# vsftpd wants its anonymous root and its secure_chroot_dir owned by root
# and not writable by the ftp user, that user's home (the package's
# /srv/ftp) to exist, and a config file owned by root.
ftp=$TEST_TMP/ftp
mkdir -p -m 0755 "$ftp/pub" "$ftp/empty"
printf 'lvsd health: ok\n' >"$ftp/pub/health.txt"
cat >"$ftp/vsftpd.conf" <<VSFTPD
listen=YES
listen_ipv6=NO
listen_address=127.0.35.1
listen_port=2121
background=NO
anonymous_enable=YES
anon_root=$ftp/pub
no_anon_password=NO
local_enable=YES
write_enable=NO
pam_service_name=vsftpd
secure_chroot_dir=$ftp/empty
ftp_username=ftp
nopriv_user=nobody
isolate=NO
isolate_network=NO
pasv_enable=YES
vsftpd_log_file=$ftp/vsftpd.log
xferlog_enable=YES
dual_log_enable=YES
log_ftp_protocol=YES
VSFTPD
spawn vsftpd "$ftp/vsftpd.conf"
vsftpd_pid=$spawned_pid
vsftpd_log=$spawned_log
wait_for 60 listening 127.0.35.1:2121 ||
	bail_out "vsftpd did not start: $(cat "$vsftpd_log")"

# the same on [::1]:2122, if the machine has IPv6: EPSV instead of PASV
sed -e 's/^listen=YES$/listen=NO/' -e 's/^listen_ipv6=NO$/listen_ipv6=YES/' \
	-e 's/^listen_address=.*/listen_address6=::1/' \
	-e 's/^listen_port=.*/listen_port=2122/' \
	-e "s|^vsftpd_log_file=.*|vsftpd_log_file=$ftp/vsftpd6.log|" \
	"$ftp/vsftpd.conf" >"$ftp/vsftpd6.conf"
have_v6=
if ip -6 addr show dev lo 2>/dev/null | grep -q "inet6 ::1/128"; then
	spawn vsftpd "$ftp/vsftpd6.conf"
	vsftpd6_pid=$spawned_pid
	wait_for 60 eval 'ss -Hltn "src [::1]:2122" | grep -q .' && have_v6=1
fi

# ---- slapd on 127.0.35.2:3890, ldaps on :6360, a database of its own ---------

# slapd runs as root here: its key may stay 0600
ld=$TEST_TMP/ldap
mkdir -p "$ld/db"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-subj /CN=lvsd-test -days 2 -keyout "$ld/key.pem" \
	-out "$ld/cert.pem" >"$ld/openssl.log" 2>&1 ||
	bail_out "openssl: $(cat "$ld/openssl.log")"
cat >"$ld/slapd.conf" <<SLAPD
include /etc/ldap/schema/core.schema
TLSCertificateFile $ld/cert.pem
TLSCertificateKeyFile $ld/key.pem
pidfile $ld/slapd.pid
argsfile $ld/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 1048576
suffix "dc=example,dc=org"
rootdn "cn=admin,dc=example,dc=org"
directory $ld/db
access to attrs=userPassword by anonymous auth by * none
access to * by * read
SLAPD
cat >"$ld/data.ldif" <<LDIF
dn: dc=example,dc=org
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: cn=probe,dc=example,dc=org
objectClass: person
cn: probe
sn: Probe
userPassword: s3cret
LDIF
slapadd -f "$ld/slapd.conf" -l "$ld/data.ldif" >"$ld/slapadd.log" 2>&1 ||
	bail_out "slapadd failed: $(cat "$ld/slapadd.log")"
spawn slapd -d 0 -h "ldap://127.0.35.2:3890/ ldaps://127.0.35.2:6360/" \
	-f "$ld/slapd.conf"
slapd_pid=$spawned_pid
slapd_log=$spawned_log
wait_for 60 eval 'listening 127.0.35.2:3890 && listening 127.0.35.2:6360' ||
	bail_out "slapd did not start: $(cat "$slapd_log")"

# ---- hostile servers on 127.0.35.3 (ftpldapsrv.py) ---------------------------

hostile() { # PORT MODE
	spawn python3 "$TEST_LIB_DIR/ftpldapsrv.py" 127.0.35.3 "$1" "$2" \
		"$TEST_TMP/$2.ready"
	wait_for 30 test -e "$TEST_TMP/$2.ready" ||
		bail_out "ftpldapsrv.py $2 did not start: $(cat "$spawned_log")"
}
hostile 2101 ftp-foreign
hostile 2102 ftp-flood
hostile 2103 ftp-badpasv
hostile 2104 ldap-garbage
hostile 2105 ldap-two
hostile 2106 ldap-open

# ---- the checks --------------------------------------------------------------

checker_driver_start
ok "the checker says it is ready" wait_for 10 has ready

f="tcp 127.0.35.1 2121 ntimeout=20000 interval=2000"
l="tcp 127.0.35.2 3890 ntimeout=20000 interval=2000"
ls="tcp 127.0.35.2 6360 ntimeout=20000 interval=2000"
base=dc=example,dc=org
h="tcp 127.0.35.3"
t="ntimeout=20000 interval=2000"
send peer \
	"check 0 ftp $f request=/health.txt receive=^lvsd.health:.ok" \
	"check 1 ftp $f request=/health.txt login=anonymous passwd=x@y" \
	"check 2 ftp $f request=/health.txt receive=^bad" \
	"check 3 ftp $f request=/missing.txt" \
	"check 4 ftp $f request=/health.txt login=nobody passwd=wrong" \
	"check 5 ldap $l request=/$base receive=^dc=example,dc=org$" \
	"check 6 ldap $l request=/$base login=cn=probe,$base passwd=s3cret" \
	"check 7 ldap $l request=/$base login=cn=probe,$base passwd=wrong" \
	"check 8 ldap $l request=/ou=nowhere,$base" \
	"check 9 ldap $l request=/$base receive=^cn=" \
	"check 10 ftp $h 2101 $t request=/health.txt receive=^hostile.ok" \
	"check 11 ftp $h 2102 $t request=/health.txt" \
	"check 12 ftp $h 2103 $t request=/health.txt" \
	"check 13 ldap $h 2104 $t request=/$base" \
	"check 14 ldap $h 2105 $t request=/$base" \
	"check 15 ftp tcp ::1 2122 $t request=/health.txt receive=^lvsd" \
	"check 16 ldaps $ls request=/$base receive=^dc=example,dc=org$" \
	"check 17 ldaps $ls request=/$base login=cn=probe,$base passwd=s3cret" \
	"check 18 ldaps $ls request=/$base login=cn=probe,$base passwd=wrong" \
	"check 19 ldaps $ls request=/ou=nowhere,$base" \
	"check 20 ldaps $l request=/$base" \
	"check 21 ldap $h 2106 ntimeout=8000 interval=2000 request=/$base" \
	"conf 1 22"

expect 0 up "ftp: /health.txt: 16 bytes" \
	"vsftpd, anonymous, the file matches: up"
expect 1 up "ftp: /health.txt: 16 bytes" "vsftpd, an explicit login: up"
expect 2 down "ftp: /health.txt does not match '\^bad'" \
	"vsftpd, the file does not match: down"
expect 3 down "ftp: RETR refused: '550 .*" "vsftpd, a missing file: down"
expect 4 down "ftp: PASS refused: '530 .*" "vsftpd, a wrong password: down"
expect 5 up "ldap: found 'dc=example,dc=org'" \
	"slapd, anonymous, the DN matches: up"
expect 6 up "ldap: found 'dc=example,dc=org'" "slapd, a good bind: up"
expect 7 down "ldap: bind refused: invalidCredentials \(49\) ''" \
	"slapd, a wrong password: down"
expect 8 down "ldap: search refused: noSuchObject \(32\) ''" \
	"slapd, a missing DN: down"
expect 9 down "ldap: DN 'dc=example,dc=org' does not match '\^cn='" \
	"slapd, the DN does not match: down"
expect 10 up "ftp: /health.txt: 11 bytes" \
	"a PASV reply naming another host: the real's own address is used"
expect 11 down "ftp: /health.txt is larger than 65536 bytes" \
	"a file of 1 MiB: down at 64 KiB"
expect 12 down "ftp: PASV refused: '227 Entering Passive Mode \(1,2,3\)'" \
	"a PASV reply without a port: down"
expect 13 down "ldap: a malformed message, or one longer than 2047 bytes" \
	"an LDAP message claiming 2 GiB: down"
expect 14 down "ldap: search found 2 entries, not 1" \
	"two entries for a base search: down"
expect 21 up "ldap: found 'dc=open'" \
	"a server that keeps the connection open after the unbind: up"
if [ -n "$have_v6" ]; then
	expect 15 up "ftp: /health.txt: 16 bytes" \
		"vsftpd on [::1], EPSV, the file matches: up"
	ok "  over EPSV" grep -q '"EPSV"' "$ftp/vsftpd6.log"
else
	skip "no IPv6 loopback here" 3
fi
expect 16 up "ldaps: found 'dc=example,dc=org'" \
	"slapd over TLS, anonymous, the DN matches: up"
expect 17 up "ldaps: found 'dc=example,dc=org'" \
	"slapd over TLS, a good bind: up"
expect 18 down "ldaps: bind refused: invalidCredentials \(49\) ''" \
	"slapd over TLS, a wrong password: down"
expect 19 down "ldaps: search refused: noSuchObject \(32\) ''" \
	"slapd over TLS, a missing DN: down"
expect 20 down "ldaps: tls: .*SSL.*" \
	"slapd's plain ldap port probed as ldaps: down, a TLS failure"

# the daemons stop: the checks that were up go down
[ -z "$have_v6" ] || stop_pid "$vsftpd6_pid"
stop_pid "$vsftpd_pid"
stop_pid "$slapd_pid"
ok "vsftpd stopped: down" wait_for 90 has "state 1 0 down"
ok "slapd stopped: down" wait_for 90 has "state 1 6 down"
ok "slapd stopped: ldaps down" wait_for 90 has "state 1 17 down"
# (a probe in flight at the stop may end first as "connection closed";
# the checker reports the verdict once, with the reason of the first)
ok "  then: connection refused (or closed, if a probe was in flight)" \
	wait_for 90 has_re "^result 1 0 down down [0-9]+ \
ftp: (connect: Connection refused|connection closed)$"
ok "  then: connection refused (or closed, if a probe was in flight)" \
	wait_for 90 has_re "^result 1 6 down down [0-9]+ \
ldap: (connect: Connection refused|connection closed)$"
# the checker reports a verdict only when it changes, and the ldaps probe in
# flight may have met the stop (SSL_ERROR_SYSCALL): a new one, alone
send "check 0 ldaps $ls request=/$base" "conf 2 1"
nocon="ldaps: tls: Failed to connect to 127\.0\.35\.2 port 6360"
ok "  then, a new ldaps probe: no connection" wait_for 90 has_re \
	"^result 2 0 down down [0-9]+ $nocon.*$"

ok "vsftpd sent the file" grep -q "OK DOWNLOAD.*health.txt" "$ftp/vsftpd.log"
nok "no probe was killed by the sandbox" has_re "^killed"
send quit
wait "$driver_pid" 2>/dev/null
# shellcheck disable=SC2154 # lib.sh's count of failures
[ "$_t_failed" = 0 ] || diag "driver output:" "$(cat "$out")" \
	"vsftpd:" "$(cat "$vsftpd_log" "$ftp/vsftpd.log")" \
	"slapd:" "$(cat "$slapd_log")"

#!/bin/bash
# E-mail alerts with the whole of lvsd against the real ip_vs module: the
# parent decides (a real goes down or comes back, the fallback goes in or
# out, the repeat of emailalertfreq while a real stays down), composes
# ldirectord's mail and hands it to the checker, which sends it to a real
# OpenSMTPD on 127.0.48.1:2525; an mda script files every message it
# delivers.  External checks (as in 42-lvsd-hooks.t) make the reals fail
# and pass on demand.  A virtual service whose emailalertstatus excludes
# running sends nothing; a reload with an smtp= that does not resolve is
# refused with its line, and the running config goes on sending alerts.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
command -v smtpd >/dev/null || plan skip_all "no OpenSMTPD (make deps)"
if [ -S /run/smtpd.sock ] || [ -S /var/run/smtpd.sock ]; then
	# one control socket per machine: another test's smtpd is running
	plan skip_all "another OpenSMTPD is running"
fi
plan 27
ipvs_clean

chmod 0711 "$TEST_TMP"
bin=$TEST_TMP/bin
flags=$TEST_TMP/flags
box=$TEST_TMP/mail
sm=$TEST_TMP/smtpd
mkdir -m 0755 "$bin" "$flags" "$sm"
mkdir -m 0777 "$box"

# ---- OpenSMTPD on 127.0.48.1:2525 -------------------------------------------

# the mda: one file per message delivered, with its envelope, whole
cat >"$sm/save.sh" <<'SAVE'
#!/bin/sh
f=$(mktemp "$3/.in.XXXXXX") || exit 75
{ printf 'X-Envelope: %s -> %s\n' "$2" "$1"; cat; } >"$f" &&
	mv "$f" "$3/mail.${f##*/.in.}"
SAVE
chmod 0755 "$sm/save.sh"
# smtpd will not deliver as root: as nobody, into a box nobody may write
printf '@ nobody\n' >"$sm/vusers"
cat >"$sm/smtpd.conf" <<SMTPD
table vusers file:$sm/vusers
listen on 127.0.48.1 port 2525
action "save" mda "$sm/save.sh %{rcpt} %{sender} $box" virtual <vusers>
match from any for any action "save"
SMTPD
chmod 0600 "$sm/smtpd.conf" "$sm/vusers"
smtpd_start 127.0.48.1 2525 "$sm/smtpd.conf"

# mails SUBJECT: how many messages with exactly this subject arrived
mails() {
	local n=0 f
	for f in "$box"/mail.*; do
		[ -e "$f" ] || continue
		tr -d '\r' <"$f" | sed '/^$/q' | grep -qxF "Subject: $1" &&
			n=$((n + 1))
	done
	echo "$n"
}
# mail_with SUBJECT: the first message with this subject
mail_with() {
	local f
	for f in "$box"/mail.*; do
		[ -e "$f" ] || continue
		if tr -d '\r' <"$f" | sed '/^$/q' | grep -qxF "Subject: $1"; then
			tr -d '\r' <"$f"
			return 0
		fi
	done
	return 1
}
arrived() { [ "$(mails "$1")" -ge "${2:-1}" ]; }

# ---- lvsd -------------------------------------------------------------------

printf '%s\n' '#!/bin/sh' "[ ! -e \"$flags/down.\$3\" ]" >"$bin/check.sh"
chmod 0755 "$bin/check.sh"
vip=127.0.0.181:80
vip2=127.0.0.182:80
conf() {
	lvsd_conf "checkinterval=1
checktimeout=20
quiescent=no
emailalert=ops@example.com
emailalertfrom=lvsd <lvsd@lb.example.com>
smtp=$1

virtual=$vip
	real=127.0.0.81:80 masq 2
	real=127.0.0.82:80 masq 3
	fallback=127.0.0.89:80 masq
	checktype=external
	checkcommand=$bin/check.sh
	servicename=web
	comment=the shop
	emailalertfreq=2

virtual=$vip2
	real=127.0.0.83:80 masq 1
	checktype=external
	checkcommand=$bin/check.sh
	emailalertstatus=starting, stopping"
}
conf 127.0.48.1:2525
ok "lvsd -t accepts emailalert, smtp=host:port" \
	"$LVSD_TOP/parent/lvsd" -t -f "$LVSD_CF"
lvsd_start
ok "the reals come up" wait_for 120 eval 'weight_is $vip 127.0.0.81:80 2 &&
    weight_is $vip 127.0.0.82:80 3 && weight_is $vip2 127.0.0.83:80 1'
is "$(ls "$box")" "" "no mail while every real is up"

# ---- down: one mail, ldirectord's ---------------------------------------------

down="[web] Deleted real server: 127.0.0.81:80 ($vip)"
touch "$flags/down.127.0.0.81"
ok "a real goes down" wait_for 60 weight_is $vip 127.0.0.81:80 absent
ok "its alert arrives" wait_for 120 arrived "$down"
m=$(mail_with "$down")
like "$m" "X-Envelope: lvsd@lb.example.com -> ops@example.com" \
	"  from emailalertfrom's address, to emailalert"
like "$m" "From: lvsd <lvsd@lb.example.com>" "  From: is emailalertfrom"
body="ldirectord host: $(hostname)
Log-Message: $down
Daemon-Status: running

Service name: web
Comment: the shop"
is "$(printf '%s\n' "$m" | sed '1,/^$/d')" "$body" "  the body is ldirectord's"
is "$(mails "$down")" 1 "  one mail for one change"

# ---- emailalertfreq: repeated while down -----------------------------------

again="[web] Inaccessible real server: 127.0.0.81:80 ($vip)"
ok "emailalertfreq=2 repeats it while the real stays down" \
	wait_for 120 arrived "$again" 2
t0=$(date +%s)
ok "  and again" wait_for 120 arrived "$again" 3
t1=$(date +%s)
ok "  not before emailalertfreq (took $((t1 - t0)) s)" \
	[ $((t1 - t0)) -ge 1 ]

# ---- up: the "up" mail, the repeats stop -------------------------------------

up="[web] Added real server: 127.0.0.81:80 ($vip) (Weight set to 2)"
rm "$flags/down.127.0.0.81"
ok "the real comes back" wait_for 60 weight_is $vip 127.0.0.81:80 2
ok "its alert arrives" wait_for 120 arrived "$up"

# ---- emailalertstatus without running: nothing -------------------------------

touch "$flags/down.127.0.0.83"
ok "a real of the virtual with emailalertstatus=starting, stopping goes down" \
	wait_for 60 weight_is $vip2 127.0.0.83:80 absent
ok "  lvsd says it sends nothing while running" wait_for 60 grep -qF \
	"emailalert not sent while running (emailalertstatus): Deleted real server: 127.0.0.83:80" \
	"$lvsd_logfile"

# ---- the fallback ---------------------------------------------------------------

touch "$flags/down.127.0.0.81" "$flags/down.127.0.0.82"
fbin="[web] Added fallback server: 127.0.0.89:80 ($vip) (Weight set to 1)"
fbout="[web] Deleted fallback server: 127.0.0.89:80 ($vip)"
ok "every real of web down: the fallback's alert" wait_for 120 arrived "$fbin"
rm "$flags/down.127.0.0.82"
ok "one back: the fallback is out, and says so" wait_for 120 arrived "$fbout"

# ---- a reload with an smtp= that does not resolve ------------------------------

conf no-such-host.invalid
out=$("$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" reload 2>&1)
is "$?" 2 "a reload with an smtp= that does not resolve is refused"
like "$out" "$LVSD_CF:6:6: error: cannot resolve host 'no-such-host.invalid'" \
	"  with the file, line and column"
like "$out" "configuration 1 stays in force" "  the running config stays"
down2="[web] Deleted real server: 127.0.0.82:80 ($vip)"
n=$(mails "$down2")
touch "$flags/down.127.0.0.82"
ok "  and sends its alerts through its own smtp=" \
	wait_for 120 arrived "$down2" $((n + 1))

# ---- what went out, in lvsd's log -------------------------------------------------

# after the "up" mail, no repeat of 127.0.0.81 until it went down again:
# the parent's "emailalert:" lines, when it decides.  The checker's "sent
# through" line of a repeat decided just before the real came back may
# come after, once the SMTP server has answered.
nok "the repeats stopped when the real came back" eval \
	"sed -n '/emailalert: \[web\] Added real server: 127.0.0.81/,/emailalert: \[web\] Deleted real server: 127.0.0.81/p' \
	    '$lvsd_logfile' | grep -qF 'emailalert: [web] Inaccessible real server: 127.0.0.81'"
nok "no alert of the running-less virtual went out" \
	grep -qF "emailalert: Deleted real server: 127.0.0.83" "$lvsd_logfile"
nok "  and no mail of it arrived" eval 'grep -lF 127.0.0.83 "$box"/mail.*'
nok "no child was killed by its sandbox" grep -q SIGSYS "$lvsd_logfile"
"$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" stop >/dev/null 2>&1
ok "lvsd stops" wait_for 60 eval '! kill -0 "$lvsd_pid" 2>/dev/null'
# shellcheck disable=SC2154 # lib.sh's count of failures
[ "$_t_failed" = 0 ] || diag "lvsd:" "$(cat "$lvsd_logfile")" \
	"smtpd:" "$(cat "$smtpd_log")" "mail:" "$(ls -l "$box")"

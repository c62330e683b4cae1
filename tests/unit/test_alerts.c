/*
 * When the parent sends e-mail alerts (parent/alerts.c): which changes of
 * a real's state make one and with which subject, the fallback's, the
 * emailalertstatus filter against the daemon's state, and the repeat
 * timer of emailalertfreq: armed while down, cancelled when the real
 * comes up, kept or dropped by a reload, cancelled by a stop.  The
 * checker's channel and status.c are stand-ins here: what would go to
 * the checker is recorded.
 */
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "conf.h"
#include "lvsd.h"
#include "mailalert.h"

static struct lvsd_env	 test_env;
struct lvsd_env		*env = &test_env;

/* status.c's table, as the test sets it */
static struct rstatus	 st[8];

const struct rstatus *
status_get(uint32_t id)
{
	return id < sizeof(st) / sizeof(st[0]) ? &st[id] : NULL;
}

/* What went to the checker, read from the other end of its channel. */
static int		 checker_end = -1;
static char		 sent[16][MSG_ALERT_SUBJECT_LEN];
static struct msg_alert	 last;
static int		 nsent;

static void
collect(void)
{
	struct {
		struct msg_hdr		 hdr;
		struct msg_alert	 al;
	} rec;

	while (recv(checker_end, &rec, sizeof(rec), MSG_DONTWAIT) ==
	    (ssize_t)sizeof(rec) && rec.hdr.mh_type == MSG_ALERT) {
		last = rec.al;
		if (nsent < 16)
			strlcpy(sent[nsent], last.al_subject, sizeof(sent[0]));
		nsent++;
	}
}

static void
channel_open(void)
{
	int	 sp[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp) == -1)
		abort();
	checker_end = sp[1];
	msg_chan_init(&env->e_children[CHILD_CHECKER].ch_chan, sp[0],
	    "checker", 0, NULL, NULL, NULL);
}

static void
verdict(uint32_t id, int up)
{
	int	 was_known = st[id].st_known;

	st[id].st_known = 1;
	st[id].st_up = up ? STATE_UP : STATE_DOWN;
	alerts_real_changed(id, was_known);
	collect();
}

/* Ids: 0 and 1 in web (fallback, freq 1 s), 2 in quiet, 3 in q. */
static const char *conf1 =
    "emailalert=ops@example.com\n"
    "emailalertfrom=LVS <lvsd@lb1.example.com>\n"
    "smtp=127.0.0.1:2525\n"
    "virtual=192.0.2.1:80\n"
    "\treal=10.0.0.1:80 masq 2\n"
    "\treal=10.0.0.2:80 masq 3\n"
    "\tfallback=127.0.0.9:80\n"
    "\temailalertfreq=1\n"
    "\tservicename=web\n"
    "\tcomment=the shop\n"
    "virtual=192.0.2.2:80\n"
    "\treal=10.0.0.3:80 masq\n"
    "\temailalertstatus=none\n"
    "\temailalertfreq=60\n"
    "virtual=192.0.2.3:80\n"
    "\treal=10.0.0.4:80 masq 5\n"
    "\tquiescent=yes\n"
    "\temailalertstatus=running\n";

static void
break_loop(void *arg)
{
	ev_break();
}

static void
test_changes(void)
{
	nsent = 0;
	verdict(0, 1);
	verdict(1, 1);
	is_int(nsent, 0, "first verdicts of up send nothing");
	verdict(0, 0);
	is_int(nsent, 1, "a real that goes down: one alert");
	is_str(sent[0], "[web] Deleted real server: 10.0.0.1:80 "
	    "(192.0.2.1:80)", "  ldirectord's subject, the service name");
	like(last.al_body, "Daemon-Status: running\n\nService name: web\n"
	    "Comment: the shop\n", "  the body says running, service, comment");
	is_int(last.al_port, 2525, "  through smtp='s port");
	is_str(last.al_from, "LVS <lvsd@lb1.example.com>", "  from emailalertfrom");
	is_str(last.al_rcpt, "ops@example.com", "  to emailalert");
	ok(alerts_repeat_due(0) >= ev_now() + 900 &&
	    alerts_repeat_due(0) <= ev_now() + 1000,
	    "  its repeat is due in emailalertfreq seconds");
	verdict(0, 1);
	is_str(sent[1], "[web] Added real server: 10.0.0.1:80 (192.0.2.1:80) "
	    "(Weight set to 2)", "it comes back: Added, with its weight");
	is_int(alerts_repeat_due(0), 0, "  its repeat is cancelled");
	nsent = 0;
	verdict(2, 0);
	is_int(nsent, 0, "emailalertstatus=none: no alert");
	verdict(3, 0);
	is_str(sent[0], "Quiescent real server: 10.0.0.4:80 (192.0.2.3:80) "
	    "(Weight set to 0)", "a quiescent service: Quiescent, no [name]");
	verdict(3, 1);
	is_str(sent[1], "Restored real server: 10.0.0.4:80 (192.0.2.3:80) "
	    "(Weight set to 5)", "  and Restored");
}

static void
test_fallback(void)
{
	nsent = 0;
	verdict(0, 0);
	verdict(1, 0);
	is_int(nsent, 3, "the last real of web down: two reals, the fallback");
	is_str(sent[2], "[web] Added fallback server: 127.0.0.9:80 "
	    "(192.0.2.1:80) (Weight set to 1)", "  Added fallback server");
	verdict(1, 1);
	is_int(nsent, 5, "one back: the real, then the fallback");
	is_str(sent[4], "[web] Deleted fallback server: 127.0.0.9:80 "
	    "(192.0.2.1:80)", "  Deleted fallback server");
	verdict(1, 0);
	is_str(sent[6], "[web] Added fallback server: 127.0.0.9:80 "
	    "(192.0.2.1:80) (Weight set to 1)", "  and in again");
}

static void
test_repeat(void)
{
	struct ev_timer	 stop;

	nsent = 0;
	ev_timer_set(&stop, break_loop, NULL);
	ev_timer_add(&stop, 2500);
	ev_loop();
	collect();
	/* reals 0 and 1 are down, each repeats every second */
	is_int(nsent, 4, "two reals down for 2.5 s, freq 1 s: four repeats");
	is_str(sent[0], "[web] Inaccessible real server: 10.0.0.1:80 "
	    "(192.0.2.1:80)", "  Inaccessible real server");
	ok(alerts_repeat_due(0) > ev_now(), "  the next one is due");
	ok(alerts_repeat_due(2) > 0, "  a real of an emailalertstatus=none "
	    "service has its timer (its alerts are filtered when sent)");
}

static void
test_status(void)
{
	env->e_gen = 2;		/* a reload ipvsd has not applied yet */
	nsent = 0;
	verdict(3, 0);
	is_int(nsent, 0, "emailalertstatus=running: nothing while reloading");
	env->e_gen = 1;
	verdict(3, 1);
	is_int(nsent, 1, "  sent when running");
	is_int(mailalert_daemon_status(0, 1, 0), MAILALERT_STARTING,
	    "starting until the first config is applied");
	is_int(mailalert_daemon_status(0, 2, 1), MAILALERT_RELOADING,
	    "reloading while a newer one is on its way");
	is_int(mailalert_daemon_status(0, 2, 2), MAILALERT_RUNNING, "running");
	is_int(mailalert_daemon_status(1, 2, 2), MAILALERT_STOPPING,
	    "stopping whatever else");
	is_int(mailalert_repeat_at(0, 1, 5000), 0, "freq 0: no repeat");
	is_int(mailalert_repeat_at(10, 0, 5000), 0, "no recipients: none");
	is_int(mailalert_repeat_at(10, 1, 5000), 15000, "freq 10 s: 10 s on");
}

/*
 * A reload that drops web's second real and changes quiet's freq: the
 * kept real 0 keeps its due time, quiet's starts again.
 */
static void
test_reload(struct conf *old)
{
	struct conf	*c;
	uint64_t	 due0 = alerts_repeat_due(0);

	c = conf_parse_string("t.cf", "emailalert=ops@example.com\n"
	    "virtual=192.0.2.1:80\n\treal=10.0.0.1:80 masq 2\n"
	    "\tfallback=127.0.0.9:80\n\temailalertfreq=1\n"
	    "virtual=192.0.2.2:80\n\treal=10.0.0.3:80 masq\n"
	    "\temailalertfreq=120\n", stderr);
	if (c == NULL) {
		ok(0, "the reloaded config parses");
		return;
	}
	/* status.c keeps what it knew of the kept reals, by new id */
	st[1] = st[2];
	memset(&st[2], 0, sizeof(st) - 2 * sizeof(st[0]));
	alerts_rebuild(c);
	env->e_conf = c;
	conf_free(old);
	is_int(alerts_repeat_due(0), due0, "a reload keeps a kept real's due "
	    "time");
	ok(alerts_repeat_due(1) > ev_now() + 119000, "  a new emailalertfreq "
	    "starts it again");
	is_int(alerts_repeat_due(2), 0, "  a real that is gone has none");
	nsent = 0;
	verdict(0, 1);
	is_int(nsent, 2, "the kept virtual remembers its fallback is in");
	is_str(sent[1], "Deleted fallback server: 127.0.0.9:80 (192.0.2.1:80)",
	    "  and tells it is out");
	verdict(0, 0);
	alerts_stop();
	is_int(alerts_repeat_due(0) + alerts_repeat_due(1), 0,
	    "a stop cancels every repeat");
	env->e_conf = NULL;
	conf_free(c);
}

int
main(void)
{
	struct conf	*c;

	ev_init();
	channel_open();
	if ((c = conf_parse_string("t.cf", conf1, stderr)) == NULL) {
		ok(0, "the config parses");
		return tap_done();
	}
	env->e_conf = c;
	env->e_gen = env->e_applied_gen = 1;
	alerts_rebuild(c);
	test_changes();
	test_fallback();
	test_repeat();
	test_status();
	test_reload(c);
	return tap_done();
}

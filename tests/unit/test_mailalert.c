/*
 * The parent's e-mail alerts (parent/mailalert.c): subject and body as
 * ldirectord's, config bytes made printable so that the checker never
 * refuses what the parent sends, emailalertstatus's filter.
 */
#include <arpa/inet.h>

#include <string.h>

#include "tap.h"
#include "alert.h"
#include "conf.h"
#include "mailalert.h"

static struct mailalert_dest
dest(const char *from)
{
	struct mailalert_dest	 ad;

	memset(&ad, 0, sizeof(ad));
	ad.ad_server.a_af = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", ad.ad_server.a_u.raw);
	ad.ad_port = 25;
	ad.ad_timeout_ms = 30000;
	ad.ad_rcpt = "ops@example.com, root";
	ad.ad_from = from;
	ad.ad_helo = "lb1.example.com";
	return ad;
}

static void
test_compose(void)
{
	struct mailalert_dest	 ad = dest("root@lb1.example.com");
	struct msg_alert	 al;

	ok(mailalert_compose(&al, &ad, "web", "the shop", MAILALERT_RUNNING,
	    "Deleted real server: 10.0.0.2:80 (192.0.2.1:80)") == NULL,
	    "an alert the checker accepts");
	is_str(al.al_subject, "[web] Deleted real server: 10.0.0.2:80 "
	    "(192.0.2.1:80)", "subject: [servicename] and the log text");
	is_str(al.al_body, "ldirectord host: lb1.example.com\n"
	    "Log-Message: [web] Deleted real server: 10.0.0.2:80 "
	    "(192.0.2.1:80)\nDaemon-Status: running\n\n"
	    "Service name: web\nComment: the shop\n", "body as ldirectord's");
	is_str(al.al_rcpt, "ops@example.com, root", "recipients as conf's");
	is_int(al.al_port, 25, "port");

	ok(mailalert_compose(&al, &ad, NULL, NULL, MAILALERT_STARTING,
	    "Added real server: 10.0.0.2:80 (192.0.2.1:80)") == NULL,
	    "an alert without a service name");
	is_str(al.al_subject, "Added real server: 10.0.0.2:80 (192.0.2.1:80)",
	    "no [] without a service name");
	is_str(al.al_body, "ldirectord host: lb1.example.com\n"
	    "Log-Message: Added real server: 10.0.0.2:80 (192.0.2.1:80)\n"
	    "Daemon-Status: starting\n", "no service lines without one");
}

static void
test_hostile(void)
{
	struct mailalert_dest	 ad = dest("root@lb1");
	struct msg_alert	 al;
	char			 longname[2000];

	ok(mailalert_compose(&al, &ad, "w\r\neb\xc3\xa9", "a\tb",
	    MAILALERT_STOPPING, "down") == NULL,
	    "control and 8-bit bytes do not make a refused alert");
	is_str(al.al_subject, "[w??eb??] down", "they become ? in the subject");
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ok(mailalert_compose(&al, &ad, longname, longname,
	    MAILALERT_RELOADING, longname) == NULL,
	    "a very long service name is cut, not refused");
	ad.ad_helo = "lb_1 host";
	ok(mailalert_compose(&al, &ad, NULL, NULL, MAILALERT_RUNNING, "x") ==
	    NULL && strcmp(al.al_helo, "lb-1-host") == 0,
	    "a host name's odd characters become -");
	ad = dest("Load balancer");
	is_str(mailalert_compose(&al, &ad, NULL, NULL, MAILALERT_RUNNING, "x"),
	    "bad sender", "a From: without an address is reported");
}

static void
test_status(void)
{
	ok(mailalert_status_allows(CONF_ALERT_ALL, MAILALERT_RELOADING),
	    "all allows reloading");
	ok(!mailalert_status_allows(0, MAILALERT_RUNNING),
	    "none allows nothing");
	ok(mailalert_status_allows(CONF_ALERT_STARTING | CONF_ALERT_STOPPING,
	    MAILALERT_STOPPING) && !mailalert_status_allows(
	    CONF_ALERT_STARTING | CONF_ALERT_STOPPING, MAILALERT_RUNNING),
	    "starting,stopping allows stopping, not running");
	is_str(mailalert_status_name(MAILALERT_RELOADING), "reloading",
	    "status names");
}

int
main(void)
{
	test_compose();
	test_hostile();
	test_status();
	return tap_done();
}

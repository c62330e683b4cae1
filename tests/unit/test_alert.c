/*
 * E-mail alerts in the checker (checker/alert.c): which MSG_ALERT it
 * accepts (a string that runs past its field, a CR or LF that would end
 * a header or an SMTP command, a bad address or server is refused), how
 * it splits the recipients (each its own RCPT TO, unlike ldirectord)
 * and the message it composes: headers, folded To:, CRLF body.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "alert.h"

static void
good(struct msg_alert *al)
{
	memset(al, 0, sizeof(*al));
	al->al_server.a_af = AF_INET;
	inet_pton(AF_INET, "127.0.45.1", al->al_server.a_u.raw);
	al->al_port = 25;
	al->al_timeout_ms = 30000;
	strlcpy(al->al_rcpt, "ops@example.com, root", sizeof(al->al_rcpt));
	strlcpy(al->al_from, "LVS director <lvsd@lb1.example.com>",
	    sizeof(al->al_from));
	strlcpy(al->al_helo, "lb1.example.com", sizeof(al->al_helo));
	strlcpy(al->al_subject, "[web] Deleted real server: 10.0.0.2:80 "
	    "(192.0.2.1:80)", sizeof(al->al_subject));
	strlcpy(al->al_body, "lvsd host: lb1\nLog-Message: x\n"
	    "Daemon-Status: running", sizeof(al->al_body));
}

static void
test_validate(void)
{
	struct msg_alert	 al;

	good(&al);
	ok(alert_validate(&al) == NULL, "a good alert is accepted");
	good(&al);
	memset(al.al_subject, 'a', sizeof(al.al_subject));
	is_str(alert_validate(&al), "bad subject", "unterminated subject");
	good(&al);
	memset(al.al_rcpt, 'a', sizeof(al.al_rcpt));
	is_str(alert_validate(&al), "bad recipients",
	    "unterminated recipients");
	good(&al);
	memset(al.al_body, 'a', sizeof(al.al_body));
	is_str(alert_validate(&al), "bad body", "unterminated body");
	good(&al);
	strlcpy(al.al_subject, "down\r\nBcc: x@evil", sizeof(al.al_subject));
	is_str(alert_validate(&al), "bad subject", "CRLF in the subject");
	good(&al);
	strlcpy(al.al_from, "a@b\nRCPT TO:<x@evil>", sizeof(al.al_from));
	is_str(alert_validate(&al), "bad sender", "LF in the sender");
	good(&al);
	strlcpy(al.al_rcpt, "a@b>\r\nDATA", sizeof(al.al_rcpt));
	is_str(alert_validate(&al), "bad recipients", "CRLF in a recipient");
	good(&al);
	strlcpy(al.al_rcpt, "a@b, <c@d>", sizeof(al.al_rcpt));
	is_str(alert_validate(&al), "bad recipients", "<> in a recipient");
	good(&al);
	strlcpy(al.al_rcpt, "a@b,,c@d", sizeof(al.al_rcpt));
	is_str(alert_validate(&al), "bad recipients", "an empty recipient");
	good(&al);
	strlcpy(al.al_body, "tab\there", sizeof(al.al_body));
	is_str(alert_validate(&al), "bad body", "a control byte in the body");
	good(&al);
	al.al_port = 0;
	is_str(alert_validate(&al), "bad server address", "port 0");
	good(&al);
	al.al_server.a_af = 77;
	is_str(alert_validate(&al), "bad server address", "unknown family");
	good(&al);
	al.al_pad = 1;
	is_str(alert_validate(&al), "bad server address", "a padding byte");
	good(&al);
	al.al_timeout_ms = 10;
	is_str(alert_validate(&al), "timeout out of range", "a 10 ms timeout");
	good(&al);
	strlcpy(al.al_helo, "lb1 example", sizeof(al.al_helo));
	is_str(alert_validate(&al), "bad host name", "a space in EHLO's name");
}

static void
test_rcpts(void)
{
	const char	*list = " a@x ,b@y,  c ", *s;
	char		 got[256] = "";
	size_t		 len;

	while ((s = alert_next_rcpt(&list, &len)) != NULL)
		snprintf(got + strlen(got), sizeof(got) - strlen(got),
		    "[%.*s]", (int)len, s);
	is_str(got, "[a@x][b@y][c]", "recipients split, spaces trimmed");
}

static void
test_from(void)
{
	char	 buf[256];

	ok(alert_envelope_from("LVS <lvs@lb1>", buf, sizeof(buf)) == 0 &&
	    strcmp(buf, "lvs@lb1") == 0, "envelope from a Name <addr>");
	ok(alert_envelope_from("root@lb1", buf, sizeof(buf)) == 0 &&
	    strcmp(buf, "root@lb1") == 0, "envelope from a bare address");
	ok(alert_envelope_from("Bob Smith", buf, sizeof(buf)) == -1,
	    "no address in the From: refused");
}

static void
test_build(void)
{
	struct msg_alert	 al;
	char			 buf[ALERT_MAIL_MAX];
	size_t			 n;

	good(&al);
	/* Thu, 01 Jan 2026 00:00:00 UTC */
	n = alert_build(&al, 1767225600, buf, sizeof(buf));
	ok(n < sizeof(buf) && n == strlen(buf), "the message fits");
	is_str(buf, "From: LVS director <lvsd@lb1.example.com>\r\n"
	    "To: ops@example.com,\r\n root\r\n"
	    "Subject: [web] Deleted real server: 10.0.0.2:80 (192.0.2.1:80)\r\n"
	    "Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=us-ascii\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "\r\n"
	    "lvsd host: lb1\r\nLog-Message: x\r\nDaemon-Status: running\r\n",
	    "headers, folded To:, CRLF body with a final line end");
	n = alert_build(&al, 1767225600, buf, 64);
	ok(n >= 64, "a short buffer is reported as short");
}

int
main(void)
{
	test_validate();
	test_rcpts();
	test_from();
	test_build();
	return tap_done();
}

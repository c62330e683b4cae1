/*
 * An e-mail alert from the parent (struct msg_alert): what the checker
 * accepts, and the message it hands to libcurl (alert_smtp.c).  The
 * parent is trusted, but its message is checked as any other: the
 * strings end inside their fields and hold nothing that could end a
 * header or an SMTP command early (no CR, no LF but the body's).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "msg.h"

/* RFC 5321: a path is at most 256 octets; an address fits in it. */
#define ALERT_ADDR_MAX	254
/* RFC 5322: a line is at most 998 characters without its CRLF. */
#define ALERT_LINE_MAX	998

/* Printable ASCII, and newlines if lines; the NUL inside the field. */
static int
alert_text_ok(const char *s, size_t size, int lines)
{
	const char	*end;

	if ((end = memchr(s, '\0', size)) == NULL)
		return 0;
	for (; s < end; s++)
		if ((*s < 0x20 || *s > 0x7e) && !(lines && *s == '\n'))
			return 0;
	return 1;
}

/* One address as it goes into MAIL FROM or RCPT TO. */
static int
alert_addr_ok(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || len > ALERT_ADDR_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (!isgraph((unsigned char)s[i]) ||
		    strchr("<>\",;()[]\\", s[i]) != NULL)
			return 0;
	return 1;
}

/*
 * The next recipient of a "a@x, b@y" list from *sp: its start and
 * length, or NULL at the end; *sp moves past it.
 */
const char *
alert_next_rcpt(const char **sp, size_t *len)
{
	const char	*s = *sp, *end;

	s += strspn(s, " ");
	if (*s == '\0')
		return NULL;
	end = s + strcspn(s, ",");
	for (*len = end - s; *len > 0 && s[*len - 1] == ' ';)
		(*len)--;
	*sp = *end == ',' ? end + 1 : end;
	return s;
}

/* Between '<' and '>' if the From: header has them, else all of it. */
int
alert_envelope_from(const char *from, char *buf, size_t size)
{
	const char	*s = from, *end;
	size_t		 len;

	if ((s = strrchr(from, '<')) != NULL &&
	    (end = strchr(s, '>')) != NULL && end[1] == '\0')
		len = end - ++s;
	else {
		s = from;
		len = strlen(s);
	}
	if (!alert_addr_ok(s, len) || len >= size)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return 0;
}

static int
alert_rcpts_ok(const char *list)
{
	const char	*s;
	size_t		 len;
	int		 n = 0;

	while ((s = alert_next_rcpt(&list, &len)) != NULL) {
		if (!alert_addr_ok(s, len) || ++n > ALERT_RCPT_MAX)
			return 0;
	}
	return n > 0;
}

static int
alert_lines_ok(const char *s)
{
	size_t	 len;

	for (;; s += len + 1) {
		len = strcspn(s, "\n");
		if (len > ALERT_LINE_MAX)
			return 0;
		if (s[len] == '\0')
			return 1;
	}
}

static int
alert_helo_ok(const char *s)
{
	size_t	 len = strlen(s);

	return len > 0 && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == len;
}

/* NULL if al may be sent, else what is wrong with it. */
const char *
alert_validate(const struct msg_alert *al)
{
	char	 from[ALERT_ADDR_MAX + 1];

	if (!msg_addr_ok(&al->al_server) || al->al_port == 0 ||
	    al->al_pad != 0)
		return "bad server address";
	if (al->al_timeout_ms < ALERT_TIMEOUT_MIN_MS ||
	    al->al_timeout_ms > ALERT_TIMEOUT_MAX_MS)
		return "timeout out of range";
	if (!alert_text_ok(al->al_rcpt, sizeof(al->al_rcpt), 0) ||
	    !alert_rcpts_ok(al->al_rcpt))
		return "bad recipients";
	if (!alert_text_ok(al->al_from, sizeof(al->al_from), 0) ||
	    alert_envelope_from(al->al_from, from, sizeof(from)) == -1)
		return "bad sender";
	if (!alert_text_ok(al->al_helo, sizeof(al->al_helo), 0) ||
	    !alert_helo_ok(al->al_helo))
		return "bad host name";
	if (!alert_text_ok(al->al_subject, sizeof(al->al_subject), 0))
		return "bad subject";
	if (!alert_text_ok(al->al_body, sizeof(al->al_body), 1) ||
	    !alert_lines_ok(al->al_body))
		return "bad body";
	return NULL;
}

/* The recipients one a line: a list may be longer than a line. */
static size_t
alert_to(const char *list, char *buf, size_t size)
{
	const char	*s;
	size_t		 n = 0, len;

	while ((s = alert_next_rcpt(&list, &len)) != NULL && n < size)
		n += snprintf(buf + n, size - n, "%s%.*s", n ? ",\r\n " : "",
		    (int)len, s);
	return n;
}

/* The body with CRLF line ends, a final one added if missing. */
static size_t
alert_crlf(const char *body, char *buf, size_t size)
{
	size_t	 n = 0, len;

	for (; *body != '\0'; body += len + (body[len] == '\n')) {
		len = strcspn(body, "\n");
		n += snprintf(buf + n, size - n, "%.*s\r\n", (int)len, body);
		if (n >= size)
			return n;
	}
	return n;
}

/*
 * The whole message, headers and body, for a validated al, sent at
 * when: its length, or a length >= size if buf is too small.  The
 * header names those of ldirectord's mail (From, To, Subject), a Date
 * and the marks of an automatic message.
 */
size_t
alert_build(const struct msg_alert *al, time_t when, char *buf, size_t size)
{
	struct tm	 tm;
	char		 date[64];
	size_t		 n;

	if (gmtime_r(&when, &tm) == NULL ||
	    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000",
	    &tm) == 0)
		date[0] = '\0';
	n = snprintf(buf, size, "From: %s\r\nTo: ", al->al_from);
	if (n < size)
		n += alert_to(al->al_rcpt, buf + n, size - n);
	if (n < size)
		n += snprintf(buf + n, size - n, "\r\nSubject: %s\r\n"
		    "Date: %s\r\nMIME-Version: 1.0\r\n"
		    "Content-Type: text/plain; charset=us-ascii\r\n"
		    "Auto-Submitted: auto-generated\r\n\r\n", al->al_subject,
		    date);
	if (n >= size)
		return n;
	return n + alert_crlf(al->al_body, buf + n, size - n);
}

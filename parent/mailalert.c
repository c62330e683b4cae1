/*
 * Composing an e-mail alert (emailalert=) for the checker to send.
 *
 * The parent knows what happened (a real went down or up, the daemon's
 * state) but never talks to the network: it fills a MSG_ALERT and the
 * checker, unprivileged and sandboxed, sends it with libcurl.  Subject
 * and body are ldirectord's (section 4.10 of the reference), so that a
 * mail filter written for ldirectord's alerts still matches:
 *
 *	Subject: [servicename] <log text>
 *
 *	ldirectord host: <host name>
 *	Log-Message: <subject>
 *	Daemon-Status: <starting|running|stopping|reloading>
 *	[an empty line, then Service name: <servicename>, Comment: <comment>]
 *
 * Config text is anyone's bytes: anything but printable ASCII becomes
 * '?', and a field too long is cut, so that the checker, which refuses
 * any other byte, always accepts what the parent composes.
 */
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "mailalert.h"

/* A value in the body: RFC 5322 lines stop at 998 characters. */
#define MAILALERT_VALUE_MAX	400

/* Copy s into dst of size, printable ASCII only. */
static void
mailalert_printable(char *dst, size_t size, const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0' && i + 1 < size; i++)
		dst[i] = s[i] >= 0x20 && s[i] <= 0x7e ? s[i] : '?';
	dst[i] = '\0';
}

/* Append "name: value\n" to the body, value made printable. */
static void
mailalert_line(struct msg_alert *al, const char *name, const char *value)
{
	char	 clean[MAILALERT_VALUE_MAX + 1];
	size_t	 n = strlen(al->al_body);

	mailalert_printable(clean, sizeof(clean), value != NULL ? value : "");
	snprintf(al->al_body + n, sizeof(al->al_body) - n, "%s: %s\n", name,
	    clean);
}

const char *
mailalert_status_name(enum mailalert_status st)
{
	switch (st) {
	case MAILALERT_STARTING:
		return "starting";
	case MAILALERT_STOPPING:
		return "stopping";
	case MAILALERT_RELOADING:
		return "reloading";
	default:
		return "running";
	}
}

/* The EHLO name: a host name's characters only. */
static void
mailalert_helo(char *dst, size_t size, const char *s)
{
	size_t	 i;

	mailalert_printable(dst, size, s[0] != '\0' ? s : "localhost");
	for (i = 0; dst[i] != '\0'; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789.-", dst[i]) == NULL)
			dst[i] = '-';
}

/*
 * An alert of text (ldirectord's log line) for a virtual service named
 * servicename (NULL: none), from the daemon in state st, to the
 * recipients and through the server in ad.  The recipients come from
 * conf, which accepted only addresses; the rest is made printable.
 * NULL, or why the checker would refuse it (alert_validate(), linked
 * in as validate.c is): a From: without an address, say.
 */
const char *
mailalert_compose(struct msg_alert *al, const struct mailalert_dest *ad,
    const char *servicename, const char *comment, enum mailalert_status st,
    const char *text)
{
	char	 subject[MSG_ALERT_SUBJECT_LEN];

	memset(al, 0, sizeof(*al));
	al->al_server = ad->ad_server;
	al->al_port = ad->ad_port;
	al->al_timeout_ms = ad->ad_timeout_ms;
	mailalert_printable(al->al_rcpt, sizeof(al->al_rcpt), ad->ad_rcpt);
	mailalert_printable(al->al_from, sizeof(al->al_from), ad->ad_from);
	mailalert_helo(al->al_helo, sizeof(al->al_helo), ad->ad_helo);
	if (servicename != NULL)
		snprintf(subject, sizeof(subject), "[%s] %s", servicename,
		    text);
	else
		strlcpy(subject, text, sizeof(subject));
	mailalert_printable(al->al_subject, sizeof(al->al_subject), subject);
	mailalert_line(al, "ldirectord host", ad->ad_helo);
	mailalert_line(al, "Log-Message", al->al_subject);
	mailalert_line(al, "Daemon-Status", mailalert_status_name(st));
	if (servicename != NULL) {
		strlcat(al->al_body, "\n", sizeof(al->al_body));
		mailalert_line(al, "Service name", servicename);
		mailalert_line(al, "Comment", comment);
	}
	return alert_validate(al);
}

/* emailalertstatus's bits (CONF_ALERT_*) allow an alert in state st. */
int
mailalert_status_allows(unsigned int bits, enum mailalert_status st)
{
	return (bits & (1U << st)) != 0;
}

/*
 * The daemon's state for emailalertstatus: stopping once a stop began,
 * starting until ipvsd applied the first config, reloading while a
 * newer one than ipvsd applied is on its way, else running.
 */
enum mailalert_status
mailalert_daemon_status(int stopping, uint32_t gen, uint32_t applied_gen)
{
	if (stopping)
		return MAILALERT_STOPPING;
	if (applied_gen == 0)
		return MAILALERT_STARTING;
	if (applied_gen != gen)
		return MAILALERT_RELOADING;
	return MAILALERT_RUNNING;
}

/*
 * The event of a real that changed state: up or down, in a quiescent
 * virtual service (weight 0 when down) or not (out of the table).
 */
enum mailalert_event
mailalert_real_event(int up, int quiescent)
{
	if (up)
		return quiescent ? MAILALERT_RESTORED : MAILALERT_ADDED;
	return quiescent ? MAILALERT_QUIESCED : MAILALERT_DELETED;
}

/*
 * ldirectord's log text of an event of server (a real or the fallback,
 * "address:port") of virtual ("address:port" or the mark); weight is
 * the configured weight of a real put back.
 */
void
mailalert_text(char *buf, size_t len, enum mailalert_event ev,
    const char *server, const char *virtual, unsigned int weight)
{
	switch (ev) {
	case MAILALERT_DELETED:
		snprintf(buf, len, "Deleted real server: %s (%s)", server,
		    virtual);
		break;
	case MAILALERT_QUIESCED:
		snprintf(buf, len, "Quiescent real server: %s (%s) (Weight set "
		    "to 0)", server, virtual);
		break;
	case MAILALERT_ADDED:
	case MAILALERT_RESTORED:
		snprintf(buf, len, "%s real server: %s (%s) (Weight set to %u)",
		    ev == MAILALERT_ADDED ? "Added" : "Restored", server,
		    virtual, weight);
		break;
	case MAILALERT_INACCESSIBLE:
		snprintf(buf, len, "Inaccessible real server: %s (%s)", server,
		    virtual);
		break;
	case MAILALERT_FALLBACK_ADDED:
		snprintf(buf, len, "Added fallback server: %s (%s) (Weight set "
		    "to 1)", server, virtual);
		break;
	default:
		snprintf(buf, len, "Deleted fallback server: %s (%s)", server,
		    virtual);
		break;
	}
}

/*
 * When the next "Inaccessible real server" of a real down since now is
 * due: freq seconds on, or 0 for none (emailalertfreq=0, or no
 * emailalert for its virtual service).
 */
uint64_t
mailalert_repeat_at(int freq, int has_rcpt, uint64_t now)
{
	if (freq <= 0 || !has_rcpt)
		return 0;
	return now + (uint64_t)freq * 1000;
}

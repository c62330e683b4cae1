/*
 * E-mail alerts, the parent's half: composing the MSG_ALERT that the
 * checker sends (mailalert.c).
 */
#ifndef LVSD_MAILALERT_H
#define LVSD_MAILALERT_H

#include "msg.h"

/*
 * The daemon's state, as emailalertstatus names it: 1 << state is its
 * CONF_ALERT_* bit.
 */
enum mailalert_status {
	MAILALERT_STARTING = 0,
	MAILALERT_RUNNING,
	MAILALERT_STOPPING,
	MAILALERT_RELOADING
};

/* What happened, in ldirectord's words (mailalert_text). */
enum mailalert_event {
	MAILALERT_DELETED = 0,		/* down, taken out of the table */
	MAILALERT_QUIESCED,		/* down, weight 0 */
	MAILALERT_ADDED,		/* up again, put back */
	MAILALERT_RESTORED,		/* up again, its weight back */
	MAILALERT_INACCESSIBLE,		/* still down: the repeat */
	MAILALERT_FALLBACK_ADDED,	/* no real is up */
	MAILALERT_FALLBACK_DELETED	/* one is up again */
};

/*
 * The whole time an SMTP exchange of an alert may take: Net::SMTP's is
 * 120 s a command; one minute for all of it is ample for a mail server
 * on the local network and keeps few alerts in flight if it is dead.
 */
#define MAILALERT_TIMEOUT_MS	60000

/* Where an alert goes: the resolved smtp= server, or 127.0.0.1:25. */
struct mailalert_dest {
	struct addr	 ad_server;
	uint16_t	 ad_port;
	uint32_t	 ad_timeout_ms;
	const char	*ad_rcpt;	/* emailalert, "a@x, b@y" */
	const char	*ad_from;	/* emailalertfrom, or root@host */
	const char	*ad_helo;	/* this host's name */
};

const char	*mailalert_status_name(enum mailalert_status);
const char	*mailalert_compose(struct msg_alert *,
		    const struct mailalert_dest *, const char *, const char *,
		    enum mailalert_status, const char *);
int		 mailalert_status_allows(unsigned int, enum mailalert_status);
enum mailalert_status mailalert_daemon_status(int, uint32_t, uint32_t);
void		 mailalert_text(char *, size_t, enum mailalert_event,
		    const char *, const char *, unsigned int);
enum mailalert_event mailalert_real_event(int, int);
uint64_t	 mailalert_repeat_at(int, int, uint64_t);

#endif

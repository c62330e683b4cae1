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

#endif

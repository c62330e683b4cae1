/*
 * E-mail alerts the checker sends for the parent (MSG_ALERT): checking
 * and composing them (alert.c), sending them with libcurl over SMTP
 * (alert_smtp.c).
 */
#ifndef LVSD_ALERT_H
#define LVSD_ALERT_H

#include <stddef.h>
#include <time.h>

#include "msg.h"

/* Recipients of one alert: a team's few addresses, not a list server. */
#define ALERT_RCPT_MAX		32
/* A whole SMTP exchange: at least a second, at most five minutes. */
#define ALERT_TIMEOUT_MIN_MS	1000
#define ALERT_TIMEOUT_MAX_MS	300000
/* Alerts in flight at once: more are dropped, and the drop logged. */
#define ALERT_INFLIGHT_MAX	16
/* A composed message: the fields of a msg_alert and the headers. */
#define ALERT_MAIL_MAX		8192

/* alert.c */
const char	*alert_validate(const struct msg_alert *);
const char	*alert_next_rcpt(const char **, size_t *);
int		 alert_envelope_from(const char *, char *, size_t);
size_t		 alert_build(const struct msg_alert *, time_t, char *, size_t);

/* alert_smtp.c */
void		 alert_send(const struct msg_alert *);

#endif

/*
 * Sending an e-mail alert: one more transfer on http_loop.c's libcurl
 * multi handle, so that a slow or dead mail server never holds up a
 * check.  libcurl speaks SMTP (EHLO, MAIL FROM, one RCPT TO per
 * recipient, DATA, with dot-stuffing); the server is an IP literal the
 * parent resolved, so nothing here resolves a name or opens a file.
 * There is no queue and no retry, as in ldirectord: the outcome is
 * logged, and a lost alert is logged as lost.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "checker.h"
#include "log.h"

/* "smtp://" + "[v6]:port" + "/" + the EHLO name */
#define ALERT_URL_LEN	(8 + ADDR_STRLEN + 1 + MSG_VHOST_LEN)

/*
 * One alert in flight.  as_ck is only the handle http_loop.c knows a
 * transfer by (its easy handle, error buffer and done callback); it is
 * no real server's check.
 */
struct alert_xfer {
	struct check		 as_ck;
	struct curl_slist	*as_rcpt;
	char			 as_server[ADDR_STRLEN];
	char			 as_subject[MSG_ALERT_SUBJECT_LEN];
	char			*as_mail;
	size_t			 as_len;
	size_t			 as_off;
};

static unsigned int	 alert_inflight;

static void	alert_done(struct check *, int);

/* libcurl reads the message from here, as the DATA of the exchange. */
static size_t
alert_read(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct alert_xfer	*ax = arg;
	size_t			 n = size * nmemb;

	if (n > ax->as_len - ax->as_off)
		n = ax->as_len - ax->as_off;
	memcpy(buf, ax->as_mail + ax->as_off, n);
	ax->as_off += n;
	return n;
}

static void
alert_free(struct alert_xfer *ax)
{
	if (ax->as_ck.ck_easy != NULL) {
		http_loop_remove(&ax->as_ck);
		curl_easy_cleanup(ax->as_ck.ck_easy);
	}
	http_loop_errbuf_free(&ax->as_ck);
	curl_slist_free_all(ax->as_rcpt);
	free(ax->as_mail);
	free(ax);
	alert_inflight--;
}

/* Each recipient in its own RCPT TO, as "<addr>". */
static int
alert_rcpts(struct alert_xfer *ax, const char *list)
{
	struct curl_slist	*l;
	const char		*s;
	char			 one[MSG_ALERT_RCPT_LEN + 2];
	size_t			 len;

	while ((s = alert_next_rcpt(&list, &len)) != NULL) {
		snprintf(one, sizeof(one), "<%.*s>", (int)len, s);
		if ((l = curl_slist_append(ax->as_rcpt, one)) == NULL)
			return -1;
		ax->as_rcpt = l;
	}
	return 0;
}

static int
alert_setopts(struct alert_xfer *ax, const struct msg_alert *al)
{
	CURL	*easy = ax->as_ck.ck_easy;
	char	 url[ALERT_URL_LEN], from[MSG_ALERT_FROM_LEN + 2];
	char	 addr[MSG_ALERT_FROM_LEN];

	/* the URL's path is the name libcurl gives in EHLO */
	snprintf(url, sizeof(url), "smtp://%s/%s", ax->as_server,
	    al->al_helo);
	if (alert_envelope_from(al->al_from, addr, sizeof(addr)) == -1)
		return -1;
	snprintf(from, sizeof(from), "<%s>", addr);
	if (alert_rcpts(ax, al->al_rcpt) == -1 ||
	    curl_easy_setopt(easy, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "smtp") !=
	    CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_MAIL_FROM, from) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, ax->as_rcpt) !=
	    CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_READFUNCTION, alert_read) !=
	    CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_READDATA, ax) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
	    (long)al->al_timeout_ms) != CURLE_OK ||
	    curl_easy_setopt(easy, CURLOPT_PRIVATE, &ax->as_ck) != CURLE_OK ||
	    http_loop_errbuf(&ax->as_ck) == -1)
		return -1;
	return 0;
}

/* The message of al, composed now. */
static int
alert_compose(struct alert_xfer *ax, const struct msg_alert *al)
{
	if ((ax->as_mail = malloc(ALERT_MAIL_MAX)) == NULL)
		return -1;
	ax->as_len = alert_build(al, time(NULL), ax->as_mail, ALERT_MAIL_MAX);
	return ax->as_len < ALERT_MAIL_MAX ? 0 : -1;
}

/* Start sending al, which alert_validate() accepted. */
void
alert_send(const struct msg_alert *al)
{
	struct alert_xfer	*ax;

	if (alert_inflight >= ALERT_INFLIGHT_MAX) {
		log_warnx("alert \"%s\" not sent: %u alerts in flight",
		    al->al_subject, alert_inflight);
		return;
	}
	if ((ax = calloc(1, sizeof(*ax))) == NULL)
		fatal("%s", __func__);
	alert_inflight++;
	ax->as_ck.ck_fd = -1;
	ax->as_ck.ck_xfer_done = alert_done;
	addr_port_ntop(&al->al_server, al->al_port, ax->as_server,
	    sizeof(ax->as_server));
	strlcpy(ax->as_ck.ck_name, ax->as_server, sizeof(ax->as_ck.ck_name));
	strlcpy(ax->as_subject, al->al_subject, sizeof(ax->as_subject));
	if (alert_compose(ax, al) == -1 ||
	    (ax->as_ck.ck_easy = curl_easy_init()) == NULL ||
	    alert_setopts(ax, al) == -1 ||
	    http_loop_add(&ax->as_ck) == -1) {
		log_warnx("alert \"%s\" not sent: cannot set up the transfer",
		    ax->as_subject);
		alert_free(ax);
	}
}

/* http_loop.c: the exchange with the mail server ended with res. */
static void
alert_done(struct check *ck, int res)
{
	struct alert_xfer	*ax = (struct alert_xfer *)(void *)ck;

	if (res == CURLE_OK)
		log_info("alert \"%s\" sent through %s", ax->as_subject,
		    ax->as_server);
	else
		log_warnx("alert \"%s\" not sent through %s: %s",
		    ax->as_subject, ax->as_server,
		    http_loop_error(&ax->as_ck, res));
	alert_free(ax);
}

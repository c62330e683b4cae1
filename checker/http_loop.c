/*
 * libcurl's multi interface driven by the checker's event loop: curl
 * tells which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when to
 * wake it (CURLMOPT_TIMERFUNCTION); the loop calls it back with
 * curl_multi_socket_action().  One multi handle serves every HTTP probe
 * and every TLS handshake (tls_conn.c), so they all run concurrently
 * without a thread.
 */
#include <sys/epoll.h>

#include <curl/curl.h>
#include <stdlib.h>

#include "checker.h"
#include "log.h"

/* One socket curl asked us to watch. */
struct http_sock {
	struct ev_io	 hs_io;
};

static CURLM		*http_multi;
static struct ev_timer	 http_timer;

static int	http_loop_socket(CURL *, curl_socket_t, int, void *, void *);
static int	http_loop_timer(CURLM *, long, void *);
static void	http_loop_event(struct ev_io *, uint32_t, void *);
static void	http_loop_timeout(void *);
static void	http_loop_reap(void);

/*
 * Before the sandbox: curl_global_init() reads the OpenSSL config, and
 * curl_multi_init() makes its wake-up socketpair, which the filter
 * would refuse later.
 */
void
http_loop_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("curl_global_init failed");
	if ((http_multi = curl_multi_init()) == NULL)
		fatalx("curl_multi_init failed");
	if (curl_multi_setopt(http_multi, CURLMOPT_SOCKETFUNCTION,
	    http_loop_socket) != CURLM_OK ||
	    curl_multi_setopt(http_multi, CURLMOPT_TIMERFUNCTION,
	    http_loop_timer) != CURLM_OK)
		fatalx("curl_multi_setopt failed");
	ev_timer_set(&http_timer, http_loop_timeout, NULL);
}

int
http_loop_add(void *easy)
{
	return curl_multi_add_handle(http_multi, easy) == CURLM_OK ? 0 : -1;
}

void
http_loop_remove(void *easy)
{
	curl_multi_remove_handle(http_multi, easy);
}

/*
 * libcurl's own words on why ck's transfer failed (OpenSSL's reason for
 * a failed handshake, say), not only its error code's: a buffer for
 * them, set on ck_easy.  0, or -1 if curl will not take it.
 */
int
http_loop_errbuf(struct check *ck)
{
	if (ck->ck_curlerr == NULL &&
	    (ck->ck_curlerr = malloc(CURL_ERROR_SIZE)) == NULL)
		fatal("%s", __func__);
	ck->ck_curlerr[0] = '\0';
	return curl_easy_setopt(ck->ck_easy, CURLOPT_ERRORBUFFER,
	    ck->ck_curlerr) == CURLE_OK ? 0 : -1;
}

void
http_loop_errbuf_free(struct check *ck)
{
	free(ck->ck_curlerr);
	ck->ck_curlerr = NULL;
}

/*
 * Why the transfer ended with res (a CURLcode): the error buffer's
 * words if curl wrote some, else the code's.  The words may hold a
 * peer's bytes (a server name, say): control characters are replaced,
 * so that a real cannot forge a log line.
 */
const char *
http_loop_error(struct check *ck, int res)
{
	char	*p;

	if (ck->ck_curlerr == NULL || ck->ck_curlerr[0] == '\0')
		return curl_easy_strerror((CURLcode)res);
	for (p = ck->ck_curlerr; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			*p = '?';
	return ck->ck_curlerr;
}

static int
http_loop_socket(CURL *easy, curl_socket_t fd, int what, void *arg,
    void *sockp)
{
	struct http_sock	*hs = sockp;
	uint32_t		 events = 0;

	if (what == CURL_POLL_REMOVE) {
		if (hs != NULL) {
			ev_io_del(&hs->hs_io);
			free(hs);
		}
		return 0;
	}
	if (hs == NULL) {
		if ((hs = calloc(1, sizeof(*hs))) == NULL)
			fatal("%s", __func__);
		ev_io_set(&hs->hs_io, fd, http_loop_event, NULL);
		if (curl_multi_assign(http_multi, fd, hs) != CURLM_OK)
			fatalx("curl_multi_assign failed");
	}
	if (what & CURL_POLL_IN)
		events |= EPOLLIN;
	if (what & CURL_POLL_OUT)
		events |= EPOLLOUT;
	ev_io_add(&hs->hs_io, events);
	return 0;
}

/* curl wants to be called in ms ms (0: at once), or never (-1). */
static int
http_loop_timer(CURLM *multi, long ms, void *arg)
{
	if (ms < 0)
		ev_timer_del(&http_timer);
	else
		ev_timer_add(&http_timer, (uint64_t)ms);
	return 0;
}

static void
http_loop_event(struct ev_io *io, uint32_t events, void *arg)
{
	int	 flags = 0, running;

	if (events & EPOLLIN)
		flags |= CURL_CSELECT_IN;
	if (events & EPOLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (events & (EPOLLERR | EPOLLHUP))
		flags |= CURL_CSELECT_ERR;
	/* io may be freed inside: curl can drop the socket right away */
	curl_multi_socket_action(http_multi, io->io_fd, flags, &running);
	http_loop_reap();
}

static void
http_loop_timeout(void *arg)
{
	int	 running;

	curl_multi_socket_action(http_multi, CURL_SOCKET_TIMEOUT, 0,
	    &running);
	http_loop_reap();
}

/*
 * Hand every finished transfer to its check: an HTTP probe's verdict
 * (check_http.c), or a TLS stream ready for its probe (tls_conn.c).
 */
static void
http_loop_reap(void)
{
	CURLMsg		*m;
	CURL		*easy;
	struct check	*ck;
	CURLcode	 res;
	char		*priv;
	int		 left;

	while ((m = curl_multi_info_read(http_multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		/* m is gone once the handle is removed: copy first */
		easy = m->easy_handle;
		res = m->data.result;
		if (curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv) !=
		    CURLE_OK || priv == NULL)
			fatalx("%s: transfer without a check", __func__);
		ck = (struct check *)(void *)priv;
		if (ck->ck_xfer_done == NULL)
			fatalx("%s: transfer of %s without a callback",
			    __func__, ck->ck_name);
		ck->ck_xfer_done(ck, res);
	}
}

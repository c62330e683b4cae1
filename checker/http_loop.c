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

/*
 * How many multi handles share the transfers.  libcurl 7.88 keeps every
 * connection of a multi in a connection cache keyed by host and port,
 * and finds an entry to drop by walking the whole cache: one real per
 * key, so each probe's end costs as much as the probes in flight on its
 * multi, and thousands in flight feed on themselves (issue 7: at 10,000
 * reals nothing was checked).  Shards cut that walk by their number; a
 * multi costs some 40 KiB (its socket hash), and each must be made
 * before the sandbox (see http_loop_init).
 */
#define HTTP_LOOP_MULTIS	32
/*
 * Idle easy handles kept for the next probes: curl_easy_reset() is far
 * cheaper than a new handle, and only probes in flight need one, so a
 * real costs no handle between its probes.  Each one idle holds some
 * 25 KiB (its buffers), hence the bound.
 */
#define HTTP_LOOP_IDLE_MAX	256

/* One multi handle and its wake-up timer. */
struct http_multi {
	CURLM		*hm_multi;
	struct ev_timer	 hm_timer;
	unsigned int	 hm_running;	/* easy handles added */
};

/* One socket curl asked us to watch. */
struct http_sock {
	struct ev_io		 hs_io;
	struct http_multi	*hs_hm;
};

static struct http_multi	 http_multis[HTTP_LOOP_MULTIS];
static CURL			*http_idle[HTTP_LOOP_IDLE_MAX];
static unsigned int		 http_nidle;

static int	http_loop_socket(CURL *, curl_socket_t, int, void *, void *);
static int	http_loop_timer(CURLM *, long, void *);
static void	http_loop_event(struct ev_io *, uint32_t, void *);
static void	http_loop_timeout(void *);
static void	http_loop_reap(struct http_multi *);

/*
 * Before the sandbox: curl_global_init() reads the OpenSSL config, and
 * curl_multi_init() makes its wake-up socketpair, which the filter
 * would refuse later.
 */
void
http_loop_init(void)
{
	struct http_multi	*hm;
	size_t			 i;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("curl_global_init failed");
	for (i = 0; i < HTTP_LOOP_MULTIS; i++) {
		hm = &http_multis[i];
		if ((hm->hm_multi = curl_multi_init()) == NULL)
			fatalx("curl_multi_init failed");
		if (curl_multi_setopt(hm->hm_multi, CURLMOPT_SOCKETFUNCTION,
		    http_loop_socket) != CURLM_OK ||
		    curl_multi_setopt(hm->hm_multi, CURLMOPT_SOCKETDATA,
		    hm) != CURLM_OK ||
		    curl_multi_setopt(hm->hm_multi, CURLMOPT_TIMERFUNCTION,
		    http_loop_timer) != CURLM_OK ||
		    curl_multi_setopt(hm->hm_multi, CURLMOPT_TIMERDATA,
		    hm) != CURLM_OK)
			fatalx("curl_multi_setopt failed");
		ev_timer_set(&hm->hm_timer, http_loop_timeout, hm);
	}
}

/* An easy handle with libcurl's defaults: an idle one, or a new one. */
void *
http_loop_easy(void)
{
	if (http_nidle > 0)
		return http_idle[--http_nidle];
	return curl_easy_init();
}

/* Done with easy (out of any multi): kept for the next probe, or freed. */
void
http_loop_easy_free(void *easy)
{
	if (easy == NULL)
		return;
	if (http_nidle == HTTP_LOOP_IDLE_MAX) {
		curl_easy_cleanup(easy);
		return;
	}
	curl_easy_reset(easy);
	http_idle[http_nidle++] = easy;
}

/* ck's transfer (ck_easy) runs on the multi with the fewest. */
int
http_loop_add(struct check *ck)
{
	struct http_multi	*hm = &http_multis[0];
	size_t			 i;

	for (i = 1; i < HTTP_LOOP_MULTIS; i++)
		if (http_multis[i].hm_running < hm->hm_running)
			hm = &http_multis[i];
	if (curl_multi_add_handle(hm->hm_multi, ck->ck_easy) != CURLM_OK)
		return -1;
	hm->hm_running++;
	ck->ck_multi = hm;
	return 0;
}

/* ck's transfer leaves its multi, if it runs on one. */
void
http_loop_remove(struct check *ck)
{
	struct http_multi	*hm = ck->ck_multi;

	if (hm == NULL)
		return;
	curl_multi_remove_handle(hm->hm_multi, ck->ck_easy);
	hm->hm_running--;
	ck->ck_multi = NULL;
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
	struct http_multi	*hm = arg;
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
		hs->hs_hm = hm;
		ev_io_set(&hs->hs_io, fd, http_loop_event, hs);
		if (curl_multi_assign(hm->hm_multi, fd, hs) != CURLM_OK)
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
	struct http_multi	*hm = arg;

	if (ms < 0)
		ev_timer_del(&hm->hm_timer);
	else
		ev_timer_add(&hm->hm_timer, (uint64_t)ms);
	return 0;
}

static void
http_loop_event(struct ev_io *io, uint32_t events, void *arg)
{
	struct http_sock	*hs = arg;
	struct http_multi	*hm = hs->hs_hm;
	int			 flags = 0, running;

	if (events & EPOLLIN)
		flags |= CURL_CSELECT_IN;
	if (events & EPOLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (events & (EPOLLERR | EPOLLHUP))
		flags |= CURL_CSELECT_ERR;
	/* hs may be freed inside: curl can drop the socket right away */
	curl_multi_socket_action(hm->hm_multi, io->io_fd, flags, &running);
	http_loop_reap(hm);
}

static void
http_loop_timeout(void *arg)
{
	struct http_multi	*hm = arg;
	int			 running;

	curl_multi_socket_action(hm->hm_multi, CURL_SOCKET_TIMEOUT, 0,
	    &running);
	http_loop_reap(hm);
}

/*
 * Hand every finished transfer to its check: an HTTP probe's verdict
 * (check_http.c), or a TLS stream ready for its probe (tls_conn.c).
 */
static void
http_loop_reap(struct http_multi *hm)
{
	CURLMsg		*m;
	CURL		*easy;
	struct check	*ck;
	CURLcode	 res;
	char		*priv;
	int		 left;

	while ((m = curl_multi_info_read(hm->hm_multi, &left)) != NULL) {
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

/*
 * A TLS client stream for the probes that speak a protocol of their own
 * over TLS (pops and imaps through the line engine; an ldaps probe could
 * use it as well).  The checker links libcurl and no TLS library, so
 * libcurl makes the stream: the TCP connection and the handshake run as
 * a CURLOPT_CONNECT_ONLY transfer in the checker's one multi handle
 * (http_loop.c), without blocking; once it is done, curl_easy_send() and
 * curl_easy_recv() move the bytes, and the caller watches the socket
 * (tls_conn_fd) in its own event loop.
 *
 * The handle stays in the multi handle until tls_conn_stop(): libcurl
 * finds a CONNECT_ONLY connection through it, and closes it when it is
 * removed.  libcurl may also close the socket on its own (its connection
 * cache drops connections it believes dead); the close callback takes
 * the socket out of the event loop first, so that no stale descriptor
 * stays registered.
 *
 * As for https, the real's certificate is not verified unless
 * checktlsverify asks for it (tls_ca.c): the check asks whether the
 * service answers, and a real often has a certificate for the virtual
 * service's name, or a self-signed one.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <unistd.h>

#include "checker.h"
#include "log.h"

/* "https://" + the virtualhost or "[v6]:port" + "/" */
#define TLS_CONN_URL_LEN	(8 + MSG_VHOST_LEN + ADDR_STRLEN + 2)
/* "::" + "[v6]:port", for CURLOPT_CONNECT_TO */
#define TLS_CONN_TO_LEN		(2 + ADDR_STRLEN)
/* How much later than the caller's deadline curl's own would end it. */
#define TLS_CONN_SLACK_MS	1000L

static int	tls_conn_setopts(struct check *, CURL *, const char *);
static int	tls_conn_close(void *, curl_socket_t);
static int	tls_conn_route(struct check *, CURL *);

/*
 * Connect to the real and make the handshake; done(ck, CURLcode) is
 * called when the stream is ready (CURLE_OK) or has failed.  0, or -1
 * if the transfer cannot be set up (nothing to stop then).
 */
int
tls_conn_start(struct check *ck, void (*done)(struct check *, int))
{
	char	 url[TLS_CONN_URL_LEN];
	CURL	*easy;

	if ((easy = curl_easy_init()) == NULL)
		return -1;
	ck->ck_easy = easy;
	ck->ck_xfer_done = done;
	/*
	 * https: a scheme whose connection is the TLS handshake and no
	 * more.  Its host is the name verified, if verification is on:
	 * the virtualhost, with the connection to the real all the same.
	 */
	if (ck->ck_msg->ck_vhost[0] != '\0')
		snprintf(url, sizeof(url), "https://%s/", ck->ck_msg->ck_vhost);
	else
		snprintf(url, sizeof(url), "https://%s/", ck->ck_name);
	if (tls_conn_setopts(ck, easy, url) == -1 ||
	    tls_conn_route(ck, easy) == -1 ||
	    http_loop_errbuf(ck) == -1 || http_loop_add(ck) == -1) {
		tls_conn_stop(ck);
		return -1;
	}
	return 0;
}

static int
tls_conn_setopts(struct check *ck, CURL *easy, const char *url)
{
	long	 ms = (long)ck->ck_msg->ck_negotiate_timeout_ms;
	int	 bad = 0;

	bad |= curl_easy_setopt(easy, CURLOPT_URL, url) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "https") !=
	    CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_CONNECT_ONLY, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_PROXY, "") != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	/* a new connection per probe; never FORBID_REUSE: it would close it */
	bad |= curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L) != CURLE_OK;
	/* the protocol is not HTTP: offer no ALPN */
	bad |= curl_easy_setopt(easy, CURLOPT_SSL_ENABLE_ALPN, 0L) != CURLE_OK;
	/* checktlsverify; never a CA file: the chroot has none */
	bad |= tls_ca_setopts(ck, easy) == -1;
	/*
	 * The caller's deadline ends a slow handshake, with its own reason;
	 * curl's, later, only bounds curl's should the caller's be missed.
	 */
	bad |= curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
	    ms + TLS_CONN_SLACK_MS) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION,
	    tls_conn_close) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, ck) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_PRIVATE, ck) != CURLE_OK;
	return bad ? -1 : 0;
}

/* A virtualhost in the URL: the connection goes to the real still. */
static int
tls_conn_route(struct check *ck, CURL *easy)
{
	char	 to[TLS_CONN_TO_LEN];

	if (ck->ck_msg->ck_vhost[0] == '\0')
		return 0;
	snprintf(to, sizeof(to), "::%s", ck->ck_name);
	if ((ck->ck_connect_to = curl_slist_append(NULL, to)) == NULL)
		fatal("%s", __func__);
	return curl_easy_setopt(easy, CURLOPT_CONNECT_TO, ck->ck_connect_to) ==
	    CURLE_OK ? 0 : -1;
}

/* libcurl closes the stream's socket: out of the event loop first. */
static int
tls_conn_close(void *arg, curl_socket_t fd)
{
	struct check	*ck = arg;

	if (ck->ck_io.io_active && ck->ck_io.io_fd == fd)
		ev_io_del(&ck->ck_io);
	return close(fd);
}

/* The socket to watch once the stream is ready, or -1. */
int
tls_conn_fd(struct check *ck)
{
	curl_socket_t	 fd;

	if (ck->ck_easy == NULL || curl_easy_getinfo(ck->ck_easy,
	    CURLINFO_ACTIVESOCKET, &fd) != CURLE_OK || fd == CURL_SOCKET_BAD)
		return -1;
	return (int)fd;
}

/*
 * Send up to len bytes: how many went, or -1 with *err NULL if the
 * socket has no room now (wait for EPOLLOUT), or with *err saying why
 * the stream failed.  A short send must be retried with the same bytes.
 */
ssize_t
tls_conn_send(struct check *ck, const void *buf, size_t len,
    const char **err)
{
	CURLcode	 r;
	size_t		 n = 0;

	*err = NULL;
	if ((r = curl_easy_send(ck->ck_easy, buf, len, &n)) == CURLE_OK)
		return (ssize_t)n;
	if (r != CURLE_AGAIN)
		*err = curl_easy_strerror(r);
	return -1;
}

/*
 * Read up to len bytes: how many came (0: the real closed the stream),
 * or -1 as for tls_conn_send.  Bytes may wait inside the TLS layer with
 * the socket not readable: read until -1 with *err NULL before waiting.
 */
ssize_t
tls_conn_recv(struct check *ck, void *buf, size_t len, const char **err)
{
	CURLcode	 r;
	size_t		 n = 0;

	*err = NULL;
	if ((r = curl_easy_recv(ck->ck_easy, buf, len, &n)) == CURLE_OK)
		return (ssize_t)n;
	if (r != CURLE_AGAIN)
		*err = curl_easy_strerror(r);
	return -1;
}

/* Why the stream failed, given the CURLcode of the done callback. */
const char *
tls_conn_strerror(struct check *ck, int res)
{
	return http_loop_error(ck, res);
}

/*
 * Abandon the stream, if any: out of the event loop, then libcurl
 * closes the connection (through tls_conn_close).
 */
void
tls_conn_stop(struct check *ck)
{
	if (ck->ck_io.io_active)
		ev_io_del(&ck->ck_io);
	if (ck->ck_easy != NULL) {
		http_loop_remove(ck);
		curl_easy_cleanup(ck->ck_easy);
		ck->ck_easy = NULL;
	}
	http_loop_errbuf_free(ck);
	curl_slist_free_all(ck->ck_connect_to);
	ck->ck_connect_to = NULL;
	ck->ck_xfer_done = NULL;
}

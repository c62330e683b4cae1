/*
 * checktype negotiate, services http, https and http_proxy: one request
 * to the real, up iff the status is 2xx and, if a receive expression is
 * set, the body matches it.  Redirects are not followed: the real itself
 * must answer.
 *
 * libcurl never resolves a name (no resolver thread, no file access in
 * the sandbox): the connection always goes to the real's IP literal.
 * Without a virtualhost the URL holds that literal; with one, the URL
 * holds the virtualhost, which libcurl then sends as the Host: header
 * and, for https, as the TLS server name (SNI), and CURLOPT_CONNECT_TO
 * sends the connection to the real all the same.
 *
 * https does not verify the real's certificate unless checktlsverify
 * asks for it (tls_ca.c): the check asks whether the service answers,
 * and a real's certificate is often one for the virtual service's name,
 * or self-signed.
 *
 * http_proxy fetches its request, a full http:// URL, through the real
 * as a proxy, as ldirectord does; a request that is a path is fetched
 * from the real itself, through the real.  The virtualhost is not used.
 */
#include <curl/curl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "log.h"

/*
 * libcurl's receive buffer, which every transfer in flight holds: 4 KiB
 * rather than its 16 KiB.  A health reply is a status line, a few headers
 * and a short page; a longer one takes more reads, not more memory.  At
 * thousands of probes in flight (10,000 reals a second on a slow host)
 * that is 12 KiB less for each.
 */
#define CHECK_HTTP_RECV_BUF	4096L

/* "https://" + the virtualhost or "[v6]:port" + the request */
#define CHECK_HTTP_URL_LEN	(8 + MSG_VHOST_LEN + ADDR_STRLEN + \
	MSG_REQUEST_LEN)
/* "::" + "[v6]:port", for CURLOPT_CONNECT_TO; "http://" + it, a proxy */
#define CHECK_HTTP_TO_LEN	(8 + ADDR_STRLEN)

static size_t	check_http_write(char *, size_t, size_t, void *);
static int	check_http_setopts(struct check *, CURL *, const char *);
static int	check_http_route(struct check *, CURL *);
static int	check_http_verdict(struct check *, CURLcode, char *, size_t);
static void	check_http_fetch(struct check *, const char *, long);
static int	check_http_follow(struct check *, char *, size_t);

/* The service's name, for the reasons. */
static const char *
check_http_name(const struct check *ck)
{
	switch (ck->ck_msg->ck_service) {
	case SERVICE_HTTPS:
		return "https";
	case SERVICE_HTTP_PROXY:
		return "http_proxy";
	default:
		return "http";
	}
}

static int
check_http_is_proxy(const struct check *ck)
{
	return ck->ck_msg->ck_service == SERVICE_HTTP_PROXY;
}

/* The URL to fetch; see the top of the file. */
static void
check_http_url(const struct check *ck, char *url, size_t len)
{
	const struct msg_check	*m = ck->ck_msg;

	/* validate.c: http_proxy's request is a path or an http:// URL */
	if (check_http_is_proxy(ck) && m->ck_request[0] != '/')
		strlcpy(url, m->ck_request, len);
	else if (!check_http_is_proxy(ck) && m->ck_vhost[0] != '\0')
		snprintf(url, len, "%s://%s%s", check_http_name(ck),
		    m->ck_vhost, m->ck_request);
	else
		snprintf(url, len, "%s://%s%s",
		    m->ck_service == SERVICE_HTTPS ? "https" : "http",
		    ck->ck_name, m->ck_request);
}

void
check_http_start(struct check *ck)
{
	char		 url[CHECK_HTTP_URL_LEN];

	ck->ck_hops = 0;
	check_http_url(ck, url, sizeof(url));
	check_http_fetch(ck, url, (long)ck->ck_msg->ck_negotiate_timeout_ms);
}

/* One transfer of url, of the probe of ck, within ms. */
static void
check_http_fetch(struct check *ck, const char *url, long ms)
{
	char		 why[CHECK_REASON_LEN];
	CURL		*easy;

	if ((easy = http_loop_easy()) == NULL) {
		snprintf(why, sizeof(why), "%s: curl_easy_init failed",
		    check_http_name(ck));
		sched_done(ck, 0, why);
		return;
	}
	ck->ck_easy = easy;
	ck->ck_xfer_done = check_http_done;
	if (check_http_setopts(ck, easy, url) == -1 ||
	    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, ms) != CURLE_OK ||
	    http_loop_errbuf(ck) == -1 ||
	    check_http_route(ck, easy) == -1 ||
	    (ck->ck_msg->ck_service == SERVICE_HTTPS &&
	    tls_ca_setopts(ck, easy) == -1) ||
	    http_loop_add(ck) == -1) {
		check_http_stop(ck);
		snprintf(why, sizeof(why), "%s: cannot set up the request",
		    check_http_name(ck));
		sched_done(ck, 0, why);
	}
}

/*
 * Where the connection goes: always to the real.  Through it as a
 * proxy for http_proxy; else straight, whatever host the URL names.
 */
static int
check_http_route(struct check *ck, CURL *easy)
{
	char	 to[CHECK_HTTP_TO_LEN];

	if (check_http_is_proxy(ck)) {
		snprintf(to, sizeof(to), "http://%s", ck->ck_name);
		return curl_easy_setopt(easy, CURLOPT_PROXY, to) == CURLE_OK ?
		    0 : -1;
	}
	/* no proxy, whatever the environment says */
	if (curl_easy_setopt(easy, CURLOPT_PROXY, "") != CURLE_OK)
		return -1;
	if (ck->ck_msg->ck_vhost[0] == '\0')
		return 0;
	/* any host and port of the URL: to the real's address and port */
	snprintf(to, sizeof(to), "::%s", ck->ck_name);
	if ((ck->ck_connect_to = curl_slist_append(NULL, to)) == NULL)
		fatal("%s", __func__);
	return curl_easy_setopt(easy, CURLOPT_CONNECT_TO, ck->ck_connect_to) ==
	    CURLE_OK ? 0 : -1;
}

static int
check_http_setopts(struct check *ck, CURL *easy, const char *url)
{
	const struct msg_check	*m = ck->ck_msg;
	int			 bad = 0;

	bad |= curl_easy_setopt(easy, CURLOPT_URL, url) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR,
	    m->ck_service == SERVICE_HTTPS ? "https" : "http") != CURLE_OK;
	/* no SIGALRM: the sandbox has one thread and no signal to spare */
	bad |= curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
	/* every probe makes its own connection, as a new client would */
	bad |= curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L) != CURLE_OK;
	/*
	 * No DNS cache: the host is an IP literal, or CONNECT_TO's; and
	 * the multi's cache would keep an entry per real for a minute,
	 * which libcurl walks whole at the end of every transfer.
	 */
	bad |= curl_easy_setopt(easy, CURLOPT_DNS_CACHE_TIMEOUT, 0L) !=
	    CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_HTTP_VERSION,
	    (long)CURL_HTTP_VERSION_1_1) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_NOBODY,
	    m->ck_method == HTTP_HEAD ? 1L : 0L) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_USERAGENT, "lvsd-checker") !=
	    CURLE_OK;
	if (ck->ck_has_re)
		bad |= curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
		    (curl_off_t)CHECK_HTTP_BODY_MAX) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_BUFFERSIZE,
	    CHECK_HTTP_RECV_BUF) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION,
	    check_http_write) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_WRITEDATA, ck) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_PRIVATE, ck) != CURLE_OK;
	return bad ? -1 : 0;
}

/* libcurl hands over the body as it arrives. */
static size_t
check_http_write(char *data, size_t size, size_t nmemb, void *arg)
{
	return check_http_body(arg, data, size * nmemb);
}

/*
 * Keep the body if receive needs it, up to the cap; what curl must be
 * told was taken (len), or 0 to end the transfer.  This and
 * check_http_match are what lvsd itself does with a real's bytes
 * (tests/fuzz/http_fuzz.c); the HTTP framing is libcurl's.
 */
size_t
check_http_body(struct check *ck, const char *data, size_t len)
{
	size_t	 cap;
	char	*p;

	if (!ck->ck_has_re)
		return len;
	if (len > CHECK_HTTP_BODY_MAX - ck->ck_bodylen) {
		ck->ck_overflow = 1;
		return 0;	/* curl ends the transfer: CURLE_WRITE_ERROR */
	}
	if (ck->ck_bodylen + len + 1 > ck->ck_bodycap) {
		cap = ck->ck_bodycap ? ck->ck_bodycap : 4096;
		while (cap < ck->ck_bodylen + len + 1)
			cap *= 2;
		if (cap > CHECK_HTTP_BODY_MAX + 1)
			cap = CHECK_HTTP_BODY_MAX + 1;
		if ((p = realloc(ck->ck_body, cap)) == NULL)
			fatal("%s", __func__);
		ck->ck_body = p;
		ck->ck_bodycap = cap;
	}
	memcpy(ck->ck_body + ck->ck_bodylen, data, len);
	ck->ck_bodylen += len;
	/* regexec wants a string; the +1 in the cap is for this NUL */
	ck->ck_body[ck->ck_bodylen] = '\0';
	return len;
}

/* Does the body kept so far match receive (or is there none)? */
int
check_http_match(const struct check *ck)
{
	if (!ck->ck_has_re)
		return 1;
	return regexec(ck->ck_re, ck->ck_body ? ck->ck_body : "", 0, NULL,
	    0) == 0;
}

/* The transfer of ck has ended with res. */
void
check_http_done(struct check *ck, int res)
{
	char	 why[CHECK_REASON_LEN];
	int	 up;

	if (res == CURLE_OK) {
		switch (check_http_follow(ck, why, sizeof(why))) {
		case 1:
			return;		/* the next transfer runs */
		case -1:
			check_http_stop(ck);
			sched_done(ck, 0, why);
			return;
		default:
			break;
		}
	}
	up = check_http_verdict(ck, (CURLcode)res, why, sizeof(why));
	check_http_stop(ck);
	sched_done(ck, up, why);
}

/* Scheme, host and port of url, as libcurl reads them; -1 if it cannot. */
static int
check_http_origin(const char *url, char *buf, size_t len)
{
	CURLU	*u;
	char	*scheme = NULL, *host = NULL, *port = NULL;
	int	 r = -1;

	if ((u = curl_url()) == NULL)
		fatal("%s", __func__);
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
	    CURLUE_OK)
		r = snprintf(buf, len, "%s://%s:%s", scheme, host, port) <
		    (int)len ? 0 : -1;
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return r;
}

/*
 * After a 3xx with a Location, when httpredirects allows: 1 if the
 * redirect goes to the same real and its transfer now runs, -1 and why
 * if it goes elsewhere or one too many, 0 if there is none to follow
 * (the 3xx itself is then the verdict).
 */
static int
check_http_follow(struct check *ck, char *why, size_t len)
{
	char		 next[CHECK_HTTP_URL_LEN], here[CHECK_HTTP_TO_LEN + 16];
	char		 there[CHECK_HTTP_TO_LEN + 16];
	char		*cur = NULL, *loc = NULL;
	const char	*name = check_http_name(ck);
	long		 status = 0, left;

	if (ck->ck_msg->ck_redirects == 0 || curl_easy_getinfo(ck->ck_easy,
	    CURLINFO_RESPONSE_CODE, &status) != CURLE_OK || status < 300 ||
	    status > 399 || curl_easy_getinfo(ck->ck_easy,
	    CURLINFO_REDIRECT_URL, &loc) != CURLE_OK || loc == NULL ||
	    curl_easy_getinfo(ck->ck_easy, CURLINFO_EFFECTIVE_URL, &cur) !=
	    CURLE_OK || cur == NULL)
		return 0;
	if (ck->ck_hops >= ck->ck_msg->ck_redirects)
		snprintf(why, len, "%s: more than %u redirects", name,
		    ck->ck_msg->ck_redirects);
	else if (strlcpy(next, loc, sizeof(next)) >= sizeof(next) ||
	    check_http_origin(cur, here, sizeof(here)) == -1 ||
	    check_http_origin(next, there, sizeof(there)) == -1 ||
	    strcmp(here, there) != 0)
		snprintf(why, len, "%s: %ld to another server: '%.48s'",
		    name, status, loc);
	else if ((left = (long)ck->ck_msg->ck_negotiate_timeout_ms -
	    (long)(ev_now() - ck->ck_started_ms)) <= 0)
		snprintf(why, len, "timeout after %u ms",
		    ck->ck_msg->ck_negotiate_timeout_ms);
	else {
		ck->ck_hops++;
		check_http_stop(ck);
		check_http_fetch(ck, next, left);
		return 1;
	}
	return -1;
}

static int
check_http_verdict(struct check *ck, CURLcode res, char *why, size_t len)
{
	const char	*name = check_http_name(ck);
	long		 status = 0, oserr = 0;

	if ((res == CURLE_WRITE_ERROR && ck->ck_overflow) ||
	    res == CURLE_FILESIZE_EXCEEDED)
		check_http_too_big(ck, why, len);
	else if (res == CURLE_OPERATION_TIMEDOUT)
		snprintf(why, len, "timeout after %u ms",
		    ck->ck_msg->ck_negotiate_timeout_ms);
	else if (res == CURLE_COULDNT_CONNECT &&
	    curl_easy_getinfo(ck->ck_easy, CURLINFO_OS_ERRNO, &oserr) ==
	    CURLE_OK && oserr != 0)
		snprintf(why, len, "connect: %s", strerror((int)oserr));
	else if (res != CURLE_OK)
		snprintf(why, len, "%s: %s", name, http_loop_error(ck, res));
	else if (curl_easy_getinfo(ck->ck_easy, CURLINFO_RESPONSE_CODE,
	    &status) != CURLE_OK)
		snprintf(why, len, "%s: status %ld", name, status);
	else
		return check_http_judge(ck, status, why, len);
	return 0;
}

/*
 * A whole reply's verdict, over libcurl or not (check_http_plain.c): up
 * iff its status is 2xx and receive matches the body kept.
 */
int
check_http_judge(struct check *ck, long status, char *why, size_t len)
{
	const char	*name = check_http_name(ck);

	if (status < 200 || status > 299)
		snprintf(why, len, "%s: status %ld", name, status);
	else if (!check_http_match(ck))
		snprintf(why, len, "%s: body does not match '%.90s'", name,
		    ck->ck_msg->ck_receive);
	else {
		snprintf(why, len, "%s: status %ld", name, status);
		return 1;
	}
	return 0;
}

/* The reason of a body over the cap, whoever read it. */
void
check_http_too_big(const struct check *ck, char *why, size_t len)
{
	snprintf(why, len, "%s: body larger than %zu bytes",
	    check_http_name(ck), CHECK_HTTP_BODY_MAX);
}

/* Abandon the transfer of ck, if any; no verdict. */
void
check_http_stop(struct check *ck)
{
	if (ck->ck_easy != NULL) {
		http_loop_remove(ck);
		http_loop_easy_free(ck->ck_easy);
		ck->ck_easy = NULL;
	}
	http_loop_errbuf_free(ck);
	curl_slist_free_all(ck->ck_connect_to);
	ck->ck_connect_to = NULL;
	free(ck->ck_body);
	ck->ck_body = NULL;
	ck->ck_bodylen = ck->ck_bodycap = 0;
	ck->ck_overflow = 0;
}

/*
 * checktype negotiate, service http: one request to the real, up iff the
 * status is 2xx and, if a receive expression is set, the body matches
 * it.  The URL always holds the real's IP literal, so libcurl never
 * resolves a name (no resolver thread, no file access in the sandbox);
 * a virtualhost only sets the Host: header.  Redirects are not followed:
 * the real itself must answer.
 */
#include <curl/curl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "log.h"

/*
 * Most of a body the checker holds to match receive against.  A health
 * page is small; a bigger body means a wrong request or a hostile real,
 * and the cap bounds the checker's memory per probe.  Without a receive
 * expression the body is not kept, so its size does not matter.
 */
#define CHECK_HTTP_BODY_MAX	((size_t)64 * 1024)

/* "http://" + "[v6]:port" + the request */
#define CHECK_HTTP_URL_LEN	(8 + ADDR_STRLEN + MSG_REQUEST_LEN)

static size_t	check_http_write(char *, size_t, size_t, void *);
static int	check_http_setopts(struct check *, CURL *, const char *);
static int	check_http_verdict(struct check *, CURLcode, char *, size_t);

void
check_http_start(struct check *ck)
{
	char		 url[CHECK_HTTP_URL_LEN], host[8 + MSG_VHOST_LEN];
	CURL		*easy;

	if ((easy = curl_easy_init()) == NULL) {
		sched_done(ck, 0, "http: curl_easy_init failed");
		return;
	}
	ck->ck_easy = easy;
	if (ck->ck_msg.ck_vhost[0] != '\0') {
		snprintf(host, sizeof(host), "Host: %s", ck->ck_msg.ck_vhost);
		if ((ck->ck_headers = curl_slist_append(NULL, host)) == NULL)
			fatal("%s", __func__);
	}
	snprintf(url, sizeof(url), "http://%s%s", ck->ck_name,
	    ck->ck_msg.ck_request);
	if (check_http_setopts(ck, easy, url) == -1 ||
	    http_loop_add(easy) == -1) {
		check_http_stop(ck);
		sched_done(ck, 0, "http: cannot set up the request");
	}
}

static int
check_http_setopts(struct check *ck, CURL *easy, const char *url)
{
	const struct msg_check	*m = &ck->ck_msg;
	int			 bad = 0;

	bad |= curl_easy_setopt(easy, CURLOPT_URL, url) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http") !=
	    CURLE_OK;
	/* no proxy, whatever the environment says */
	bad |= curl_easy_setopt(easy, CURLOPT_PROXY, "") != CURLE_OK;
	/* no SIGALRM: the sandbox has one thread and no signal to spare */
	bad |= curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
	/* every probe makes its own connection, as a new client would */
	bad |= curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_HTTP_VERSION,
	    (long)CURL_HTTP_VERSION_1_1) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
	    (long)m->ck_negotiate_timeout_ms) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_NOBODY,
	    m->ck_method == HTTP_HEAD ? 1L : 0L) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_USERAGENT, "lvsd-checker") !=
	    CURLE_OK;
	if (ck->ck_headers != NULL)
		bad |= curl_easy_setopt(easy, CURLOPT_HTTPHEADER,
		    ck->ck_headers) != CURLE_OK;
	if (ck->ck_has_re)
		bad |= curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
		    (curl_off_t)CHECK_HTTP_BODY_MAX) != CURLE_OK;
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
	return regexec(&ck->ck_re, ck->ck_body ? ck->ck_body : "", 0, NULL,
	    0) == 0;
}

/* The transfer of ck has ended with res. */
void
check_http_done(struct check *ck, int res)
{
	char	 why[CHECK_REASON_LEN];
	int	 up;

	up = check_http_verdict(ck, (CURLcode)res, why, sizeof(why));
	check_http_stop(ck);
	sched_done(ck, up, why);
}

static int
check_http_verdict(struct check *ck, CURLcode res, char *why, size_t len)
{
	long	 status = 0, oserr = 0;

	if ((res == CURLE_WRITE_ERROR && ck->ck_overflow) ||
	    res == CURLE_FILESIZE_EXCEEDED)
		snprintf(why, len, "http: body larger than %zu bytes",
		    CHECK_HTTP_BODY_MAX);
	else if (res == CURLE_OPERATION_TIMEDOUT)
		snprintf(why, len, "timeout after %u ms",
		    ck->ck_msg.ck_negotiate_timeout_ms);
	else if (res == CURLE_COULDNT_CONNECT &&
	    curl_easy_getinfo(ck->ck_easy, CURLINFO_OS_ERRNO, &oserr) ==
	    CURLE_OK && oserr != 0)
		snprintf(why, len, "connect: %s", strerror((int)oserr));
	else if (res != CURLE_OK)
		snprintf(why, len, "http: %s", curl_easy_strerror(res));
	else if (curl_easy_getinfo(ck->ck_easy, CURLINFO_RESPONSE_CODE,
	    &status) != CURLE_OK || status < 200 || status > 299)
		snprintf(why, len, "http: status %ld", status);
	else if (!check_http_match(ck))
		snprintf(why, len, "http: body does not match '%.90s'",
		    ck->ck_msg.ck_receive);
	else {
		snprintf(why, len, "http: status %ld", status);
		return 1;
	}
	return 0;
}

/* Abandon the transfer of ck, if any; no verdict. */
void
check_http_stop(struct check *ck)
{
	if (ck->ck_easy != NULL) {
		http_loop_remove(ck->ck_easy);
		curl_easy_cleanup(ck->ck_easy);
		ck->ck_easy = NULL;
	}
	curl_slist_free_all(ck->ck_headers);
	ck->ck_headers = NULL;
	free(ck->ck_body);
	ck->ck_body = NULL;
	ck->ck_bodylen = ck->ck_bodycap = 0;
	ck->ck_overflow = 0;
}

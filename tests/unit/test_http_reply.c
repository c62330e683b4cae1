/*
 * An HTTP/1.x reply as checker/http_reply.c reads it: the status, the
 * body by Content-Length, by chunks or to the close, in whatever pieces
 * it comes; interim replies skipped; HEAD, 204 and 304 without a body;
 * every malformed or oversized part a bad reply that says what.  And
 * the request check_http_plain.c sends.
 */
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "checker.h"

/* check_http_plain.c's links to the rest of the checker: not reached */
void
sched_done(struct check *ck, int up, const char *why)
{
	abort();
}

int
sock_connect(const struct addr *a, uint16_t port, int type, int *fdp,
    const char **what)
{
	abort();
}

int
sock_connected(int fd, uint32_t events)
{
	abort();
}

void
check_release_probe(struct check *ck)
{
	abort();
}

size_t
check_http_body(struct check *ck, const char *p, size_t len)
{
	abort();
}

int
check_http_judge(struct check *ck, long status, char *why, size_t len)
{
	abort();
}

void
check_http_too_big(const struct check *ck, char *why, size_t len)
{
	abort();
}

struct body {
	char	 b[256];
	size_t	 len;
	size_t	 cap;		/* the sink refuses past this */
};

static int
body_take(void *arg, const char *p, size_t len)
{
	struct body	*b = arg;

	if (b->len + len > b->cap)
		return -1;
	memcpy(b->b + b->len, p, len);
	b->len += len;
	b->b[b->len] = '\0';
	return 0;
}

/*
 * Feed s in pieces of step bytes (0: whole), then the close if eof:
 * what the last call returned; the body in *b, the reason in why.
 */
static int
feed(const char *s, size_t step, int eof, int head, struct body *b,
    struct http_reply *hr, char *why, size_t len)
{
	const struct http_reply_sink	 sink = { body_take, b };
	size_t				 n = strlen(s), off = 0, k;
	int				 r = HR_MORE;

	memset(b, 0, sizeof(*b));
	b->cap = sizeof(b->b) - 1;
	http_reply_init(hr, head);
	while (r == HR_MORE && off < n) {
		k = step == 0 || n - off < step ? n - off : step;
		r = http_reply_feed(hr, s + off, k, &sink, why, len);
		off += k;
	}
	if (r == HR_MORE && eof)
		r = http_reply_eof(hr, why, len);
	return r;
}

static void
test_framing(void)
{
	static const size_t	 steps[] = { 0, 1, 2, 3, 7 };
	struct http_reply	 hr;
	struct body		 b = { .len = 0 };
	char			 why[CHECK_REASON_LEN];
	size_t			 i;
	char			 d[64];

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		snprintf(d, sizeof(d), " (pieces of %zu)", steps[i]);
		is_int(feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOKtrailing",
		    steps[i], 0, 0, &b, &hr, why, sizeof(why)), HR_END, d);
		is_str(b.b, "OK", "Content-Length: the body, nothing after it");
		is_int(hr.hr_status, 200, "status 200");
		is_int(feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		    "2;x=y\r\nOK\r\nA \r\n, healthy.\r\n0\r\nX-T: 1\r\n\r\n",
		    steps[i], 0, 0, &b, &hr, why, sizeof(why)), HR_END,
		    "chunked: ends at the last chunk and its trailers");
		is_str(b.b, "OK, healthy.", "the chunks joined, sizes in hex");
		is_int(feed("HTTP/1.0 503 Busy\nServer: x\n\nbusy\n", steps[i], 1,
		    0, &b, &hr, why, sizeof(why)), HR_END,
		    "no length, bare LFs: the body ends at the close");
		is_str(b.b, "busy\n", "all of it");
		is_int(hr.hr_status, 503, "status 503");
	}
}

static void
test_no_body(void)
{
	struct http_reply	 hr;
	struct body		 b = { .len = 0 };
	char			 why[CHECK_REASON_LEN];

	is_int(feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", 0, 0, 1,
	    &b, &hr, why, sizeof(why)), HR_END,
	    "HEAD: done at the headers whatever Content-Length says");
	is_int(feed("HTTP/1.1 204 No Content\r\n\r\n", 0, 0, 0, &b, &hr, why,
	    sizeof(why)), HR_END, "204: no body");
	is_int(feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 0, 0,
	    &b, &hr, why, sizeof(why)), HR_END, "Content-Length: 0");
	is_int(feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 P\r\nA: b\r\n\r\n"
	    "HTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx", 0, 0, 0, &b,
	    &hr, why, sizeof(why)), HR_END, "interim replies are skipped");
	is_int(hr.hr_status, 201, "the final status counts");
	is_str(b.b, "x", "and its body");
	is_int(feed("HTTP/1.1 200 OK\r\nContent-Length: 0000000000000000002\r\n"
	    " folded\r\n\r\nOK", 0, 0, 0, &b, &hr, why, sizeof(why)), HR_END,
	    "leading zeros do not count as digits; a folded line is passed");
	is_str(b.b, "OK", "the body by that length");
}

static void
test_bad(void)
{
	static const struct {
		const char	*reply;
		const char	*why;
	} bad[] = {
		{ "SSH-2.0-OpenSSH\r\n", "http: not an HTTP/1 status line: "
		    "'SSH-2.0-OpenSSH'" },
		{ "HTTP/1.1 2000 OK\r\n", "http: not an HTTP/1 status line: "
		    "'HTTP/1.1 2000 OK'" },
		{ "HTTP/2 200\r\n", "http: not an HTTP/1 status line: "
		    "'HTTP/2 200'" },
		{ "HTTP/1.2 200 OK\r\n", "http: not an HTTP/1 status line: "
		    "'HTTP/1.2 200 OK'" },
		{ "HTTP/1.1 200 OK\r\nno colon here\r\n",
		    "http: a header without a colon: 'no colon here'" },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n",
		    "http: a Transfer-Encoding other than chunked: "
		    "'gzip, chunked'" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
		    "http: malformed Content-Length: '1x'" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456\r\n\r\n",
		    "http: malformed Content-Length: '1234567890123456'" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2"
		    "\r\n\r\n", "http: two different Content-Lengths" },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		    "http: malformed chunk size: 'zz'" },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		    "1\r\nab\r\n", "http: no line end after a chunk: 'b'" },
	};
	struct http_reply	 hr;
	struct body		 b = { .len = 0 };
	char			 why[CHECK_REASON_LEN];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		is_int(feed(bad[i].reply, 0, 0, 0, &b, &hr, why, sizeof(why)),
		    HR_BAD, bad[i].why);
		is_str(why, bad[i].why, "  and says so");
	}
	is_int(feed("", 0, 1, 0, &b, &hr, why, sizeof(why)), HR_BAD,
	    "closed at once");
	is_str(why, "http: empty reply", "  an empty reply");
	is_int(feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nOK", 0, 1, 0,
	    &b, &hr, why, sizeof(why)), HR_BAD, "closed inside the body");
	is_str(why, "http: connection closed before the end of the reply",
	    "  says so");
	is_int(feed("HTTP/1.1 200 OK\r\nX: \033[2Kforged\r\n", 0, 1, 0, &b, &hr,
	    why, sizeof(why)), HR_BAD, "closed inside the headers");
	is_int(feed("HTTP/1.1 200 OK\r\nContent-Length: 300\r\n\r\n", 0, 0, 0,
	    &b, &hr, why, sizeof(why)), HR_MORE, "a body is awaited");
}

/* a line at the limit, one past it; headers past their limit */
static void
test_limits(void)
{
	struct body			 b = { .len = 0, .cap = 16 };
	const struct http_reply_sink	 sink = { body_take, &b };
	struct http_reply		 hr;
	char				 why[CHECK_REASON_LEN];
	char				*line;
	size_t				 i;
	int				 r = HR_MORE;

	if ((line = malloc(HTTP_REPLY_LINE_MAX + 2)) == NULL)
		abort();
	http_reply_init(&hr, 0);
	memcpy(line, "HTTP/1.1 200 OK\r\nX: ", 20);
	memset(line + 20, 'a', HTTP_REPLY_LINE_MAX - 1 - 20);
	line[HTTP_REPLY_LINE_MAX - 1] = '\n';
	is_int(http_reply_feed(&hr, line, HTTP_REPLY_LINE_MAX, &sink, why,
	    sizeof(why)), HR_MORE, "a header line of 4078 bytes: taken");
	memset(line, 'b', HTTP_REPLY_LINE_MAX);
	is_int(http_reply_feed(&hr, line, HTTP_REPLY_LINE_MAX, &sink, why,
	    sizeof(why)), HR_MORE, "one of 4096 and more: skipped, not bad");
	is_int(http_reply_feed(&hr, "bbb\r\nContent-Length: 2\r\n\r\nOK", 31,
	    &sink, why, sizeof(why)), HR_END, "  the headers after it count");
	is_str(b.b, "OK", "  and frame the body");

	http_reply_init(&hr, 0);
	memset(line, 'H', HTTP_REPLY_LINE_MAX);
	is_int(http_reply_feed(&hr, line, HTTP_REPLY_LINE_MAX, &sink, why,
	    sizeof(why)), HR_BAD, "a status line of 4096 bytes: too long");
	is_str(why, "http: a line longer than 4095 bytes", "  says so");

	http_reply_init(&hr, 0);
	(void)http_reply_feed(&hr, "HTTP/1.1 200 OK\r\n", 17, &sink, why,
	    sizeof(why));
	memset(line, 'h', 1000);
	memcpy(line, "X-Pad: ", 7);
	line[998] = '\r';
	line[999] = '\n';
	for (i = 0; r == HR_MORE && i < 200; i++)
		r = http_reply_feed(&hr, line, 1000, &sink, why, sizeof(why));
	is_int(r, HR_BAD, "endless short headers: bad");
	is_int((int)i, 103, "  once past 102400 bytes");
	is_str(why, "http: headers longer than 102400 bytes", "  says so");

	http_reply_init(&hr, 0);
	(void)http_reply_feed(&hr, "HTTP/1.1 200 OK\r\n", 17, &sink, why,
	    sizeof(why));
	memset(line, 'z', 1000);
	for (i = 0, r = HR_MORE; r == HR_MORE && i < 200; i++)
		r = http_reply_feed(&hr, line, 1000, &sink, why, sizeof(why));
	is_int(r, HR_BAD, "one endless header line: bad");
	is_str(why, "http: headers longer than 102400 bytes",
	    "  at the same bound");
	free(line);
}

static void
test_sink_refuses(void)
{
	struct http_reply	 hr;
	struct body		 b = { .len = 0 };
	const struct http_reply_sink sink = { body_take, &b };
	char			 why[CHECK_REASON_LEN];
	const char		*s = "HTTP/1.1 200 OK\r\n\r\n0123456789";

	memset(&b, 0, sizeof(b));
	b.cap = 4;
	http_reply_init(&hr, 0);
	is_int(http_reply_feed(&hr, s, strlen(s), &sink, why, sizeof(why)),
	    HR_BAD, "the sink wants no more: bad");
	is_str(why, "", "  without a reason of the parser's");
}

/* The parts of a check the request is made of. */
static void
http_check(struct check *ck, struct msg_check *m, const char *addr,
    uint16_t port, const char *vhost, int head)
{
	memset(ck, 0, sizeof(*ck));
	memset(m, 0, sizeof(*m));
	m->ck_service = SERVICE_HTTP;
	m->ck_method = head ? HTTP_HEAD : HTTP_GET;
	strlcpy(m->ck_request, "/health?x=1", sizeof(m->ck_request));
	strlcpy(m->ck_vhost, vhost, sizeof(m->ck_vhost));
	ck->ck_msg = m;
	if (addr_parse(addr, AF_UNSPEC, &ck->ck_addr) == -1)
		abort();
	ck->ck_port = port;
	addr_port_ntop(&ck->ck_addr, port, ck->ck_name, sizeof(ck->ck_name));
}

static void
test_request(void)
{
	struct check		 ck;
	struct msg_check	 m;
	char			 buf[2048];

	http_check(&ck, &m, "192.0.2.1", 80, "", 0);
	check_http_plain_request(&ck, buf, sizeof(buf));
	is_str(buf, "GET /health?x=1 HTTP/1.1\r\nHost: 192.0.2.1\r\n"
	    "User-Agent: lvsd-checker\r\nAccept: */*\r\nConnection: close\r\n"
	    "\r\n", "GET: the host without port 80, as libcurl's");
	http_check(&ck, &m, "2001:db8::80", 80, "", 1);
	check_http_plain_request(&ck, buf, sizeof(buf));
	ok(strncmp(buf, "HEAD /health?x=1 HTTP/1.1\r\nHost: [2001:db8::80]\r\n",
	    49) == 0, "HEAD, an IPv6 literal in brackets");
	http_check(&ck, &m, "2001:db8::80", 8080, "", 0);
	check_http_plain_request(&ck, buf, sizeof(buf));
	like(buf, "\r\nHost: [2001:db8::80]:8080\r\n",
	    "another port is kept");
	http_check(&ck, &m, "192.0.2.1", 8080, "www.example.org", 0);
	check_http_plain_request(&ck, buf, sizeof(buf));
	like(buf, "\r\nHost: www.example.org\r\n", "the virtualhost");
	http_check(&ck, &m, "192.0.2.1", 8080, "www.example.org:80", 0);
	check_http_plain_request(&ck, buf, sizeof(buf));
	like(buf, "\r\nHost: www.example.org\r\n",
	    "the virtualhost's port 80 goes, as in libcurl's");
	strlcpy(m.ck_request, "/status#part", sizeof(m.ck_request));
	check_http_plain_request(&ck, buf, sizeof(buf));
	like(buf, "GET /status HTTP/1.1\r\n", "a #fragment is not sent");
	strlcpy(m.ck_vhost, "2001:db8::80", sizeof(m.ck_vhost));
	ok(!check_http_plain_fits(&m),
	    "an IPv6 virtualhost without brackets: libcurl (which refuses it)");
	strlcpy(m.ck_vhost, "[2001:db8::80]:8080", sizeof(m.ck_vhost));
	ok(check_http_plain_fits(&m), "  with them: the plain probe");
	ok(check_http_plain_fits(&m), "http without redirects: the plain probe");
	m.ck_redirects = 1;
	ok(!check_http_plain_fits(&m), "with redirects: libcurl");
	m.ck_redirects = 0;
	m.ck_service = SERVICE_HTTPS;
	ok(!check_http_plain_fits(&m), "https: libcurl");
	m.ck_service = SERVICE_HTTP_PROXY;
	ok(!check_http_plain_fits(&m), "http_proxy: libcurl");
}

int
main(void)
{
	test_framing();
	test_no_body();
	test_bad();
	test_limits();
	test_sink_refuses();
	test_request();
	return tap_done();
}

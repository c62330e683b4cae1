/*
 * An HTTP/1.x reply, read as it arrives (check_http_plain.c): the status
 * line, the headers, then the body framed by Content-Length, by chunks,
 * or by the end of the connection, handed piece by piece to a sink.
 * 1xx interim replies are skipped; a reply to HEAD, a 204 and a 304 have
 * no body.
 *
 * The real's bytes are all this sees, so every length is bounded: a
 * status or chunk line longer than HTTP_REPLY_LINE_MAX (a header line
 * that long is skipped), more than HTTP_REPLY_HEAD_MAX bytes of status
 * and header lines, or a number that does not fit end the reply as bad,
 * with a reason that quotes at most 48 of its bytes
 * (tests/fuzz/http_reply_fuzz.c).  So do what libcurl refuses too: an
 * HTTP version other than 1.0 and 1.1, a header line without a colon,
 * a Transfer-Encoding other than chunked (none was asked for).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checker.h"

/* The most digits a Content-Length or a chunk size may have. */
#define HTTP_REPLY_DEC_MAX	15
#define HTTP_REPLY_HEX_MAX	12
/* the limits of checker.h, as the reasons say them */
#define HTTP_REPLY_LINE_TEXT	"4095"
#define HTTP_REPLY_HEAD_TEXT	"102400"
_Static_assert(HTTP_REPLY_LINE_MAX == 4096 &&
    HTTP_REPLY_HEAD_MAX == 102400, "the reasons quote the limits");

static int	http_reply_headers_end(struct http_reply *, char *, size_t);

void
http_reply_init(struct http_reply *hr, int head)
{
	memset(hr, 0, sizeof(*hr));
	hr->hr_state = HR_STATUS;
	hr->hr_head = head;
}

/* HR_BAD, with why = "http: WHAT: 'the line'", quoted. */
static int
http_reply_bad(const char *what, const char *line, char *why, size_t len)
{
	char	 q[48 + 4];	/* 48 of the real's bytes, "...", NUL */

	if (line == NULL)
		snprintf(why, len, "http: %s", what);
	else
		snprintf(why, len, "http: %s: '%s'", what,
		    line_quote(line, SIZE_MAX, q, sizeof(q)));
	return HR_BAD;
}

/*
 * A header or trailer line too long for hr_line is skipped whole: only
 * the framing headers matter, and they are short.  Servers do send a
 * Set-Cookie or a Content-Security-Policy of several KiB, which libcurl
 * takes; HTTP_REPLY_HEAD_MAX still bounds them all.
 */
static int
http_reply_may_skip(const struct http_reply *hr)
{
	return hr->hr_state == HR_HEADER || hr->hr_state == HR_TRAILER;
}

/*
 * Take bytes up to a newline into hr_line: 1 once the line is whole (its
 * CR and LF cut off), 0 if more must come (or the line was skipped), -1
 * if it is too long.  *p and *len move past what was taken.
 */
static int
http_reply_line(struct http_reply *hr, const char **p, size_t *len)
{
	const char	*nl;
	size_t		 n;

	nl = memchr(*p, '\n', *len);
	n = nl != NULL ? (size_t)(nl - *p) : *len;
	if (!hr->hr_skip && n > HTTP_REPLY_LINE_MAX - 1 - hr->hr_linelen) {
		if (!http_reply_may_skip(hr))
			return -1;
		hr->hr_skip = 1;
	}
	if (!hr->hr_skip) {
		memcpy(hr->hr_line + hr->hr_linelen, *p, n);
		hr->hr_linelen += n;
	}
	*p += n + (nl != NULL);
	*len -= n + (nl != NULL);
	if (nl == NULL)
		return 0;
	if (hr->hr_skip) {
		hr->hr_skip = 0;
		hr->hr_linelen = 0;
		return 0;
	}
	if (hr->hr_linelen > 0 && hr->hr_line[hr->hr_linelen - 1] == '\r')
		hr->hr_linelen--;
	hr->hr_line[hr->hr_linelen] = '\0';
	hr->hr_linelen = 0;
	return 1;
}

/* "HTTP/1.0 NNN[ reason]" or 1.1: the status, or -1. */
static int
http_reply_status(const char *s)
{
	if (strncmp(s, "HTTP/1.", 7) != 0 || (s[7] != '0' && s[7] != '1') ||
	    s[8] != ' ' || !isdigit((unsigned char)s[9]) ||
	    !isdigit((unsigned char)s[10]) || !isdigit((unsigned char)s[11]) ||
	    (s[12] != '\0' && s[12] != ' '))
		return -1;
	return (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
}

/* s without its leading and trailing blanks, in place. */
static char *
http_reply_trim(char *s)
{
	size_t	 n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/*
 * A number of at most max digits in base (10 or 16), leading zeros
 * aside: 0, or -1.
 */
static int
http_reply_number(const char *s, int base, size_t max, uint64_t *v)
{
	size_t	 i;
	int	 d;

	*v = 0;
	if (*s == '\0')
		return -1;
	while (s[0] == '0' && s[1] != '\0')
		s++;
	for (i = 0; s[i] != '\0'; i++) {
		if (isdigit((unsigned char)s[i]))
			d = s[i] - '0';
		else if (base == 16 && isxdigit((unsigned char)s[i]))
			d = tolower((unsigned char)s[i]) - 'a' + 10;
		else
			return -1;
		*v = *v * (uint64_t)base + (uint64_t)d;
	}
	return i > max ? -1 : 0;
}

/* One header line: the framing headers are noted, the others skipped. */
static int
http_reply_header(struct http_reply *hr, char *line, char *why, size_t len)
{
	char		*colon, *v;
	uint64_t	 n;

	if (line[0] == ' ' || line[0] == '\t')
		return HR_MORE;		/* folded: the rest of a header */
	if ((colon = strchr(line, ':')) == NULL)
		return http_reply_bad("a header without a colon", line, why,
		    len);
	*colon = '\0';
	v = http_reply_trim(colon + 1);
	if (strcasecmp(line, "Content-Length") == 0) {
		if (http_reply_number(v, 10, HTTP_REPLY_DEC_MAX, &n) == -1)
			return http_reply_bad("malformed Content-Length", v,
			    why, len);
		if (hr->hr_has_len && hr->hr_left != n)
			return http_reply_bad("two different Content-Lengths",
			    NULL, why, len);
		hr->hr_has_len = 1;
		hr->hr_left = n;
	} else if (strcasecmp(line, "Transfer-Encoding") == 0) {
		/* none was asked for: chunked is all a server may send */
		if (strcasecmp(v, "chunked") != 0)
			return http_reply_bad("a Transfer-Encoding other than "
			    "chunked", v, why, len);
		hr->hr_chunked = 1;
	}
	return HR_MORE;
}

/* The status line, then the headers, up to the empty line. */
static int
http_reply_head_line(struct http_reply *hr, char *line, char *why,
    size_t len)
{
	if (hr->hr_state == HR_STATUS) {
		if ((hr->hr_status = http_reply_status(line)) < 0)
			return http_reply_bad("not an HTTP/1 status line", line,
			    why, len);
		hr->hr_state = HR_HEADER;
		return HR_MORE;
	}
	if (line[0] == '\0')
		return http_reply_headers_end(hr, why, len);
	return http_reply_header(hr, line, why, len);
}

/* The headers are over: how the body comes, if there is one. */
static int
http_reply_headers_end(struct http_reply *hr, char *why, size_t len)
{
	if (hr->hr_status >= 100 && hr->hr_status <= 199) {
		/* an interim reply: the real one follows */
		hr->hr_state = HR_STATUS;
		hr->hr_has_len = hr->hr_chunked = 0;
		hr->hr_left = 0;
		return HR_MORE;
	}
	if (hr->hr_head || hr->hr_status == 204 || hr->hr_status == 304)
		hr->hr_state = HR_DONE;
	else if (hr->hr_chunked)
		hr->hr_state = HR_CHUNK_SIZE;
	else if (!hr->hr_has_len)
		hr->hr_state = HR_BODY_EOF;
	else
		hr->hr_state = hr->hr_left == 0 ? HR_DONE : HR_BODY_LEN;
	return hr->hr_state == HR_DONE ? HR_END : HR_MORE;
}

/* A chunk's size line, the empty line after its data, or a trailer. */
static int
http_reply_chunk_line(struct http_reply *hr, char *line, char *why,
    size_t len)
{
	uint64_t	 n;

	switch (hr->hr_state) {
	case HR_CHUNK_SIZE:
		line[strcspn(line, ";")] = '\0';
		if (http_reply_number(http_reply_trim(line), 16,
		    HTTP_REPLY_HEX_MAX, &n) == -1)
			return http_reply_bad("malformed chunk size", line,
			    why, len);
		hr->hr_left = n;
		hr->hr_state = n == 0 ? HR_TRAILER : HR_CHUNK_DATA;
		return HR_MORE;
	case HR_CHUNK_END:
		if (line[0] != '\0')
			return http_reply_bad("no line end after a chunk",
			    line, why, len);
		hr->hr_state = HR_CHUNK_SIZE;
		return HR_MORE;
	default:	/* HR_TRAILER */
		if (line[0] != '\0')
			return HR_MORE;
		hr->hr_state = HR_DONE;
		return HR_END;
	}
}

/* In the status line or the headers, which HTTP_REPLY_HEAD_MAX bounds. */
static int
http_reply_in_head(const struct http_reply *hr)
{
	return hr->hr_state == HR_STATUS || hr->hr_state == HR_HEADER;
}

/* A line of the head or of the chunk framing has come whole. */
static int
http_reply_take_line(struct http_reply *hr, char *why, size_t len)
{
	if (http_reply_in_head(hr))
		return http_reply_head_line(hr, hr->hr_line, why, len);
	return http_reply_chunk_line(hr, hr->hr_line, why, len);
}

/* Body bytes to the sink: HR_MORE, or HR_BAD if it wants no more. */
static int
http_reply_body(struct http_reply *hr, const char **p, size_t *len,
    const struct http_reply_sink *sink)
{
	size_t	 n = *len;

	if (hr->hr_state != HR_BODY_EOF && n > hr->hr_left)
		n = (size_t)hr->hr_left;
	if (sink->hs_body(sink->hs_arg, *p, n) == -1)
		return HR_BAD;
	*p += n;
	*len -= n;
	if (hr->hr_state == HR_BODY_EOF)
		return HR_MORE;
	if ((hr->hr_left -= n) > 0)
		return HR_MORE;
	if (hr->hr_state == HR_CHUNK_DATA) {
		hr->hr_state = HR_CHUNK_END;
		return HR_MORE;
	}
	hr->hr_state = HR_DONE;
	return HR_END;
}

static int
http_reply_is_line(const struct http_reply *hr)
{
	return http_reply_in_head(hr) || hr->hr_state == HR_CHUNK_SIZE ||
	    hr->hr_state == HR_CHUNK_END || hr->hr_state == HR_TRAILER;
}

/*
 * len more bytes of the reply: HR_MORE, HR_END once it is whole (what
 * follows is not looked at), or HR_BAD with why (empty if the sink
 * refused the body).
 */
int
http_reply_feed(struct http_reply *hr, const char *p, size_t len,
    const struct http_reply_sink *sink, char *why, size_t whylen)
{
	size_t	 before;
	int	 r = HR_MORE, got;

	why[0] = '\0';
	hr->hr_seen += len;
	while (r == HR_MORE && len > 0) {
		if (!http_reply_is_line(hr)) {
			r = http_reply_body(hr, &p, &len, sink);
			continue;
		}
		before = len;
		if ((got = http_reply_line(hr, &p, &len)) == -1)
			return http_reply_bad("a line longer than "
			    HTTP_REPLY_LINE_TEXT " bytes", NULL, why, whylen);
		if (http_reply_in_head(hr))
			hr->hr_headbytes += before - len;
		if (hr->hr_headbytes > HTTP_REPLY_HEAD_MAX)
			return http_reply_bad("headers longer than "
			    HTTP_REPLY_HEAD_TEXT " bytes", NULL, why, whylen);
		if (got == 1)
			r = http_reply_take_line(hr, why, whylen);
	}
	return r;
}

/* The real has closed: HR_END if that ends the reply, else HR_BAD. */
int
http_reply_eof(struct http_reply *hr, char *why, size_t len)
{
	if (hr->hr_state == HR_BODY_EOF || hr->hr_state == HR_DONE) {
		hr->hr_state = HR_DONE;
		return HR_END;
	}
	if (hr->hr_seen == 0)
		return http_reply_bad("empty reply", NULL, why, len);
	return http_reply_bad("connection closed before the end of the reply",
	    NULL, why, len);
}

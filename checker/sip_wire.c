/*
 * The SIP messages of service sip (RFC 3261): the OPTIONS request the
 * checker sends and its reading of a response.  A response is a real's
 * bytes: it is read only inside the n bytes given, one message at a
 * time (a TCP stream may hold a provisional response and the final one
 * together), and it counts only if its Call-ID and CSeq are the
 * request's.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checker.h"

/* What a response tells about itself. */
struct sip_head {
	const char	*sh_callid;	/* value, not terminated */
	size_t		 sh_callidlen;
	const char	*sh_cseq;
	size_t		 sh_cseqlen;
	long		 sh_clen;	/* Content-Length, -1: none */
};

/* A body larger than this is not what an OPTIONS answer carries. */
#define SIP_BODY_MAX	65536

/* Quote n bytes of a real's into dst, cut short, controls as '?'. */
void
wire_quote(char *dst, size_t len, const void *src, size_t n)
{
	const unsigned char	*s = src;
	size_t			 i;

	if (len == 0)
		return;
	for (i = 0; i < n && i < WIRE_QUOTE_MAX && i + 4 < len; i++)
		dst[i] = s[i] < 0x20 || s[i] > 0x7e ? '?' : (char)s[i];
	if (i < n && i + 3 < len) {
		memcpy(dst + i, "...", 3);
		i += 3;
	}
	dst[i] = '\0';
}

/*
 * The OPTIONS request into out, as ldirectord sends it (with the
 * transport the check uses, a branch, tag and Call-ID of its own and an
 * rport), its length, or 0 if it does not fit.
 */
size_t
sip_options_build(char *out, size_t cap, const struct sip_request *sr)
{
	int	 n;

	n = snprintf(out, cap,
	    "OPTIONS %s SIP/2.0\r\n"
	    "Via: SIP/2.0/%s %s;branch=z9hG4bK%s;rport\r\n"
	    "Max-Forwards: 70\r\n"
	    "To: <%s>\r\n"
	    "From: <%s>;tag=%s\r\n"
	    "Call-ID: %s\r\n"
	    "CSeq: %u OPTIONS\r\n"
	    "Contact: <%s>\r\n"
	    "Accept: application/sdp\r\n"
	    "Content-Length: 0\r\n"
	    "\r\n",
	    sr->sr_uri, sr->sr_transport, sr->sr_local, sr->sr_branch,
	    sr->sr_uri, sr->sr_uri, sr->sr_tag, sr->sr_callid, sr->sr_cseq,
	    sr->sr_uri);
	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

/* Where the header block of m ends (after its empty line), or 0. */
static size_t
sip_head_end(const char *m, size_t n)
{
	size_t	 i;

	for (i = 0; i + 1 < n; i++) {
		if (m[i] != '\n')
			continue;
		if (m[i + 1] == '\n')
			return i + 2;
		if (m[i + 1] == '\r' && i + 2 < n && m[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* The header line [s, e) if it is name (or its compact form c). */
static const char *
sip_header_value(const char *s, const char *e, const char *name, char c,
    size_t *vlen)
{
	size_t	 nl = strlen(name);
	const char *p;

	if ((size_t)(e - s) > nl && strncasecmp(s, name, nl) == 0)
		p = s + nl;
	else if (c != '\0' && e - s > 1 && tolower((unsigned char)*s) == c)
		p = s + 1;
	else
		return NULL;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p == e || *p++ != ':')
		return NULL;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	*vlen = (size_t)(e - p);
	return p;
}

/* A Content-Length value: digits only, at most SIP_BODY_MAX; else -2. */
static long
sip_clen(const char *v, size_t len)
{
	long	 n = 0;
	size_t	 i;

	if (len == 0)
		return -2;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)v[i]) || n > SIP_BODY_MAX)
			return -2;
		n = n * 10 + (v[i] - '0');
	}
	return n > SIP_BODY_MAX ? -2 : n;
}

/* The headers that tell whose response it is, from [m, end). */
static void
sip_head_read(const char *m, size_t end, struct sip_head *sh)
{
	const char	*s = m, *e, *stop = m + end, *v;
	size_t		 vlen;

	memset(sh, 0, sizeof(*sh));
	sh->sh_clen = -1;
	for (; s < stop; s = e + 1) {
		if ((e = memchr(s, '\n', (size_t)(stop - s))) == NULL)
			break;
		if ((v = sip_header_value(s, e, "Call-ID", 'i', &vlen)) != NULL) {
			sh->sh_callid = v;
			sh->sh_callidlen = vlen;
		} else if ((v = sip_header_value(s, e, "CSeq", '\0', &vlen)) !=
		    NULL) {
			sh->sh_cseq = v;
			sh->sh_cseqlen = vlen;
		} else if ((v = sip_header_value(s, e, "Content-Length", 'l',
		    &vlen)) != NULL)
			sh->sh_clen = sip_clen(v, vlen);
	}
}

/* Is the CSeq value v (len bytes) "cseq OPTIONS"? */
static int
sip_cseq_is(const char *v, size_t len, uint32_t cseq)
{
	unsigned long	 n = 0;
	size_t		 i = 0, digits;

	for (; i < len && i < 10 && isdigit((unsigned char)v[i]); i++)
		n = n * 10 + (unsigned long)(v[i] - '0');
	if ((digits = i) == 0 || n != cseq)
		return 0;
	while (i < len && (v[i] == ' ' || v[i] == '\t'))
		i++;
	return i > digits && len - i == 7 && memcmp(v + i, "OPTIONS", 7) == 0;
}

/* Is sh the head of a response to callid and "cseq OPTIONS"? */
static int
sip_is_ours(const struct sip_head *sh, const char *callid, uint32_t cseq)
{
	return sh->sh_callid != NULL && sh->sh_cseq != NULL &&
	    sh->sh_callidlen == strlen(callid) &&
	    memcmp(sh->sh_callid, callid, sh->sh_callidlen) == 0 &&
	    sip_cseq_is(sh->sh_cseq, sh->sh_cseqlen, cseq);
}

/* The status code of a status line "SIP/2.0 NNN ...", or -1. */
static int
sip_status(const char *m, size_t n)
{
	if (n < 12 || memcmp(m, "SIP/2.0 ", 8) != 0 ||
	    !isdigit((unsigned char)m[8]) || !isdigit((unsigned char)m[9]) ||
	    !isdigit((unsigned char)m[10]) || (m[11] != ' ' && m[11] != '\r' &&
	    m[11] != '\n'))
		return -1;
	return (m[8] - '0') * 100 + (m[9] - '0') * 10 + (m[10] - '0');
}

/* The status line of m for a reason: up to its end, quoted. */
static void
sip_quote_line(char *q, size_t qlen, const char *m, size_t n)
{
	const char	*e = memchr(m, '\n', n);
	size_t		 len = e != NULL ? (size_t)(e - m) : n;

	if (len > 0 && m[len - 1] == '\r')
		len--;
	wire_quote(q, qlen, m, len);
}

/*
 * The verdict on the message at the start of m (n bytes) for the
 * request of callid and cseq: WIRE_UP for a 200, WIRE_DOWN for any other
 * final status or bytes that are no response, WIRE_SKIP for a
 * provisional response or another request's (*used then says how many
 * bytes it took), WIRE_PARTIAL if m holds less than one message.  Blank
 * lines before a message (keep-alives, RFC 5626) are skipped.
 */
int
sip_reply_check(const char *m, size_t n, const char *callid, uint32_t cseq,
    size_t *used, char *why, size_t wlen)
{
	struct sip_head	 sh;
	char		 q[WIRE_QUOTE_MAX + 8];
	size_t		 lead = 0, end;
	int		 code = -1;

	while (lead < n && (m[lead] == '\r' || m[lead] == '\n'))
		lead++;
	m += lead;
	n -= lead;
	sip_quote_line(q, sizeof(q), m, n);
	end = sip_head_end(m, n);
	if ((n >= 12 || end != 0) && (code = sip_status(m, n)) == -1) {
		snprintf(why, wlen, "sip: not a SIP response: '%s'", q);
		return WIRE_DOWN;
	}
	if (end == 0) {
		snprintf(why, wlen, "sip: a response without its end: '%s'", q);
		return WIRE_PARTIAL;
	}
	sip_head_read(m, end, &sh);
	if (sh.sh_clen == -2) {
		snprintf(why, wlen, "sip: a bad Content-Length: '%s'", q);
		return WIRE_DOWN;
	}
	if (sh.sh_clen > 0 && end + (size_t)sh.sh_clen > n) {
		snprintf(why, wlen, "sip: a body cut short: '%s'", q);
		return WIRE_PARTIAL;
	}
	*used = lead + end + (sh.sh_clen > 0 ? (size_t)sh.sh_clen : 0);
	if (!sip_is_ours(&sh, callid, cseq)) {
		snprintf(why, wlen, "sip: a response to another request: '%s'",
		    q);
		return WIRE_SKIP;
	}
	snprintf(why, wlen, "sip: '%s'", q);
	if (code >= 100 && code < 200)
		return WIRE_SKIP;
	return code == 200 ? WIRE_UP : WIRE_DOWN;
}

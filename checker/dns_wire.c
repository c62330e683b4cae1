/*
 * DNS messages for service dns: the query the checker sends and the
 * reading of the answer (RFC 1035).  Pure functions on byte buffers, no
 * I/O, so that a unit test and a fuzzer can drive them.  The answer is
 * the real's and hostile until read: every offset is checked against
 * the length, a compressed name may jump at most DNS_MAX_JUMPS times,
 * and a name is cut at DNS_NAME_MAX characters.
 */
#include <arpa/inet.h>

#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "checker.h"

#define DNS_HDR_LEN	12
#define DNS_MAX_JUMPS	32
#define DNS_CLASS_IN	1

/* A name as dotted text into buf; the offset after it, or -1. */
static long
dns_read_name(const uint8_t *m, size_t len, size_t off, char *buf,
    size_t buflen)
{
	size_t	 n = 0, i;
	long	 end = -1;
	int	 jumps = 0;
	uint8_t	 l;

	buf[0] = '\0';
	for (;;) {
		if (off >= len)
			return -1;
		l = m[off];
		if ((l & 0xc0) == 0xc0) {
			if (off + 1 >= len || ++jumps > DNS_MAX_JUMPS)
				return -1;
			if (end == -1)
				end = (long)off + 2;
			off = ((size_t)(l & 0x3f) << 8) | m[off + 1];
			continue;
		}
		if (l & 0xc0)
			return -1;
		if (l == 0)
			break;
		if (off + 1 + l > len)
			return -1;
		for (i = 0; i < l && n + 2 < buflen; i++) {
			uint8_t	 c = m[off + 1 + i];

			buf[n++] = c > 0x20 && c < 0x7f ? (char)c : '?';
		}
		if (n + 1 < buflen)
			buf[n++] = '.';
		buf[n] = '\0';
		off += 1 + l;
	}
	if (n > 0)
		buf[n - 1] = '\0';	/* the last dot */
	return end != -1 ? end : (long)off + 1;
}

static void
dns_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static uint16_t
dns_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * A query for name (dotted, a trailing dot allowed) of type qtype with
 * recursion desired, as ldirectord's resolver sends it; its length, or 0
 * if name is not a valid domain name or buf is too small.
 */
size_t
dns_query_build(uint8_t *buf, size_t len, uint16_t id, const char *name,
    uint16_t qtype)
{
	size_t	 off = DNS_HDR_LEN, l;
	const char *dot;

	if (len < DNS_HDR_LEN + 2 + 4 || strlen(name) > DNS_NAME_MAX)
		return 0;
	memset(buf, 0, DNS_HDR_LEN);
	dns_put16(buf, id);
	buf[2] = 0x01;			/* RD */
	dns_put16(buf + 4, 1);		/* one question */
	while (*name != '\0') {
		dot = strchr(name, '.');
		l = dot != NULL ? (size_t)(dot - name) : strlen(name);
		if (l == 0 || l > 63 || off + 1 + l + 1 + 4 > len)
			return 0;
		buf[off++] = (uint8_t)l;
		memcpy(buf + off, name, l);
		off += l;
		name += l;
		if (*name == '.')
			name++;
	}
	buf[off++] = 0;
	dns_put16(buf + off, qtype);
	dns_put16(buf + off + 2, DNS_CLASS_IN);
	return off + 4;
}

/* "4.3.2.1.in-addr.arpa" for the IPv4 literal a; -1 if a is not one. */
int
dns_ptr_name(const char *a, char *buf, size_t len)
{
	uint8_t		 b[4];
	int		 n;

	if (inet_pton(AF_INET, a, b) != 1)
		return -1;
	n = snprintf(buf, len, "%u.%u.%u.%u.in-addr.arpa", b[3], b[2], b[1],
	    b[0]);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* The text of one answer's data, if it is of type qtype; else -1. */
static int
dns_rdata_text(const uint8_t *m, size_t len, size_t off, uint16_t rdlen,
    uint16_t qtype, char *buf, size_t buflen)
{
	if (qtype == DNS_T_A && rdlen == 4)
		return inet_ntop(AF_INET, m + off, buf, buflen) ? 0 : -1;
	if (qtype == DNS_T_AAAA && rdlen == 16)
		return inet_ntop(AF_INET6, m + off, buf, buflen) ? 0 : -1;
	if (qtype == DNS_T_PTR)
		return dns_read_name(m, len, off, buf, buflen) == -1 ? -1 : 0;
	return -1;
}

static int
dns_header_ok(const uint8_t *m, size_t len, uint16_t id, char *why,
    size_t wlen)
{
	if (len < DNS_HDR_LEN || dns_get16(m) != id || !(m[2] & 0x80)) {
		snprintf(why, wlen, "dns: not an answer to the query");
		return 0;
	}
	if (m[2] & 0x02) {
		snprintf(why, wlen, "dns: answer truncated");
		return 0;
	}
	if ((m[3] & 0x0f) != 0) {
		snprintf(why, wlen, "dns: rcode %u", (unsigned int)(m[3] & 0x0f));
		return 0;
	}
	return 1;
}

/* Past the question section; the offset or -1. */
static long
dns_skip_questions(const uint8_t *m, size_t len)
{
	char	 name[DNS_NAME_MAX + 1];
	long	 off = DNS_HDR_LEN;
	uint16_t n;

	for (n = dns_get16(m + 4); n > 0; n--) {
		if ((off = dns_read_name(m, len, (size_t)off, name,
		    sizeof(name))) == -1 || (size_t)off + 4 > len)
			return -1;
		off += 4;
	}
	return off;
}

/*
 * 1 if the answer m to query id holds a record of type qtype, class IN,
 * whose text (address or name) matches re (any, if re is NULL); else 0
 * and why.  Anything malformed is 0.
 */
int
dns_answer_check(const uint8_t *m, size_t len, uint16_t id, uint16_t qtype,
    const regex_t *re, char *why, size_t wlen)
{
	char	 name[DNS_NAME_MAX + 1], text[DNS_NAME_MAX + 1];
	long	 off;
	uint16_t n, type, class, rdlen, seen = 0;

	if (!dns_header_ok(m, len, id, why, wlen))
		return 0;
	if ((off = dns_skip_questions(m, len)) == -1)
		goto bad;
	for (n = dns_get16(m + 6); n > 0; n--) {
		if ((off = dns_read_name(m, len, (size_t)off, name,
		    sizeof(name))) == -1 || (size_t)off + 10 > len)
			goto bad;
		type = dns_get16(m + off);
		class = dns_get16(m + off + 2);
		rdlen = dns_get16(m + off + 8);
		off += 10;
		if ((size_t)off + rdlen > len)
			goto bad;
		if (type == qtype && class == DNS_CLASS_IN &&
		    dns_rdata_text(m, len, (size_t)off, rdlen, qtype, text,
		    sizeof(text)) == 0) {
			seen++;
			if (re == NULL || regexec(re, text, 0, NULL, 0) == 0) {
				snprintf(why, wlen, "dns: %s", text);
				return 1;
			}
		}
		off += rdlen;
	}
	snprintf(why, wlen, "dns: %s", seen ? "no answer matched receive" :
	    "no answer of the type asked");
	return 0;
bad:
	snprintf(why, wlen, "dns: malformed answer");
	return 0;
}

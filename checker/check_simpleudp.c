/*
 * service simpletcp of a UDP virtual service, run by the request-and-
 * reply engine (check_exchange.c): the request, as simpletcp_request()
 * shapes it, goes as one datagram (again, at growing intervals, while
 * nothing comes back); each reply datagram is cut into lines, and the
 * real is up iff one of them matches receive (any reply will do without
 * a receive expression).  A datagram is a whole answer: one in which no
 * line matches is down at once, its first bytes quoted.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "log.h"

static int
simpleudp_request(struct check *ck, char *why, size_t len)
{
	(void)why;
	(void)len;
	if ((ck->ck_out = malloc(MSG_REQUEST_LEN)) == NULL)
		fatal("%s", __func__);
	ck->ck_outlen = simpletcp_request(ck->ck_msg->ck_request, ck->ck_out,
	    MSG_REQUEST_LEN);
	return 0;
}

/* Does the line of n bytes at s match re?  It is copied to end in NUL. */
static int
simpleudp_line_matches(const regex_t *re, const uint8_t *s, size_t n)
{
	char	 line[SIMPLEUDP_REPLY_MAX + 1];

	if (n > 0 && s[n - 1] == '\r')
		n--;
	memcpy(line, s, n);
	line[n] = '\0';
	return regexec(re, line, 0, NULL, 0) == 0;
}

/*
 * WIRE_UP iff a line of the datagram m (n bytes, at most
 * SIMPLEUDP_REPLY_MAX) matches re, or re is NULL; else WIRE_DOWN.  The
 * lines end in LF (a CR before it is dropped); the last may end with
 * the datagram.
 */
int
simpleudp_reply_check(const regex_t *re, const uint8_t *m, size_t n,
    char *why, size_t len)
{
	const uint8_t	*nl;
	char		 q[WIRE_QUOTE_MAX + 8];
	size_t		 off = 0, linelen;

	if (n > SIMPLEUDP_REPLY_MAX) {
		snprintf(why, len, "simpletcp: a reply of %zu bytes, over %d",
		    n, SIMPLEUDP_REPLY_MAX);
		return WIRE_DOWN;
	}
	if (re == NULL) {
		snprintf(why, len, "simpletcp: answered (udp)");
		return WIRE_UP;
	}
	while (off < n) {
		nl = memchr(m + off, '\n', n - off);
		linelen = nl != NULL ? (size_t)(nl - (m + off)) : n - off;
		if (simpleudp_line_matches(re, m + off, linelen)) {
			snprintf(why, len, "simpletcp: receive matched (udp)");
			return WIRE_UP;
		}
		off += linelen + 1;
	}
	wire_quote(q, sizeof(q), m, n);
	snprintf(why, len, "simpletcp: no line of the reply matched receive: "
	    "'%s'", q);
	return WIRE_DOWN;
}

static int
simpleudp_reply(struct check *ck, const uint8_t *m, size_t n, size_t *used,
    char *why, size_t len)
{
	*used = n;
	return simpleudp_reply_check(ck->ck_has_re ? ck->ck_re : NULL, m, n,
	    why, len);
}

const struct exchange_service exchange_simpleudp = {
	.xs_name = "simpletcp",
	.xs_reply_max = SIMPLEUDP_REPLY_MAX,
	.xs_udp_only = 1,
	.xs_request = simpleudp_request,
	.xs_reply = simpleudp_reply,
};

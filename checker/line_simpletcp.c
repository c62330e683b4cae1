/*
 * service simpletcp, run by the line engine (check_line.c): send the
 * request, then half-close; up as soon as a line of the answer matches
 * receive (any line, without a receive expression); down if the real
 * closes first.  As in ldirectord the request loses a leading "/" and
 * each "\n" in it becomes a newline; nothing else is added.
 */
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "checker.h"

/* The request as it goes on the wire, into buf; its length. */
size_t
simpletcp_request(const char *req, char *buf, size_t len)
{
	size_t	 n = 0;

	if (*req == '/')
		req++;
	for (; *req != '\0' && n < len; req++) {
		if (req[0] == '\\' && req[1] == 'n') {
			buf[n++] = '\n';
			req++;
		} else
			buf[n++] = *req;
	}
	return n;
}

static void
simpletcp_begin(struct check *ck)
{
	char	 buf[MSG_REQUEST_LEN];
	size_t	 n;

	n = simpletcp_request(ck->ck_msg->ck_request, buf, sizeof(buf));
	/* MSG_REQUEST_LEN bytes at most: the engine's buffer holds them */
	(void)line_send_bytes(ck, buf, n);
	line_shutdown_after_send(ck);
}

static int
simpletcp_step(struct check *ck, const char *line, char *why, size_t len)
{
	if (line == NULL) {
		snprintf(why, len, "simpletcp: closed before a line %s",
		    ck->ck_has_re ? "matched receive" : "came");
		return LINE_DOWN;
	}
	if (!ck->ck_has_re || regexec(ck->ck_re, line, 0, NULL, 0) == 0) {
		snprintf(why, len, "simpletcp: %s", ck->ck_has_re ?
		    "receive matched" : "answered");
		return LINE_UP;
	}
	return LINE_MORE;
}

const struct line_service line_simpletcp = {
	"simpletcp", simpletcp_begin, simpletcp_step, NULL
};

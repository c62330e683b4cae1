/*
 * The mail and news dialogues, one step function each, run by the line
 * engine (check_line.c).  Each is the shortest exchange that shows the
 * service working and leaves politely:
 *
 *	smtp	220 greeting, EHLO (HELO if EHLO is refused) answered 2xx,
 *		QUIT.  Also for submission.
 *	pop	+OK greeting; with a login, USER and PASS answered +OK; QUIT.
 *		Also pops, over TLS.
 *	imap	* OK greeting; with a login, LOGIN answered OK; LOGOUT.
 *		Also imaps, over TLS.
 *	nntp	2xx greeting; QUIT.
 *
 * A step gets one line of the real's, or NULL when the real closed the
 * connection, and returns LINE_MORE (go on), LINE_UP or LINE_DOWN (with
 * why).  The verdict is known before the goodbye; the goodbye's answer,
 * or the close, only ends the exchange.
 */
#include <stdio.h>
#include <string.h>

#include "checker.h"

/* Does an SMTP or NNTP reply line carry code class c ('2', '5')? */
static int
reply_class(const char *line, char c)
{
	return line[0] == c && line[1] >= '0' && line[1] <= '9' &&
	    line[2] >= '0' && line[2] <= '9' &&
	    (line[3] == ' ' || line[3] == '-' || line[3] == '\0');
}

/* An SMTP multi-line reply goes on: "250-..." */
static int
reply_continues(const char *line)
{
	return strlen(line) >= 4 && line[3] == '-';
}

static int
closed_early(struct check *ck, char *why, size_t len)
{
	snprintf(why, len, "%s: connection closed", ck->ck_line->ls_name);
	return LINE_DOWN;
}

/* The goodbye was sent: whatever comes, or the close, ends it up. */
static int
after_goodbye(struct check *ck, char *why, size_t len)
{
	snprintf(why, len, "%s: answered", ck->ck_line->ls_name);
	return LINE_UP;
}

/* ---- smtp ---------------------------------------------------------- */

enum { SMTP_GREETING, SMTP_EHLO, SMTP_HELO, SMTP_QUIT };

static void
smtp_hello(struct check *ck, const char *verb)
{
	char	 me[ADDR_STRLEN + 8];

	line_local_literal(ck, me, sizeof(me));
	line_sendf(ck, "%s %s\r\n", verb, me);
}

static int
smtp_step(struct check *ck, const char *line, char *why, size_t len)
{
	if (ck->ck_step == SMTP_QUIT)
		return after_goodbye(ck, why, len);
	if (line == NULL)
		return closed_early(ck, why, len);
	if (reply_continues(line))
		return LINE_MORE;
	switch (ck->ck_step) {
	case SMTP_GREETING:
		if (!reply_class(line, '2'))
			return line_refused(ck, "greeting", line, why, len);
		smtp_hello(ck, "EHLO");
		ck->ck_step = SMTP_EHLO;
		return LINE_MORE;
	case SMTP_EHLO:
		if (reply_class(line, '5')) {
			smtp_hello(ck, "HELO");
			ck->ck_step = SMTP_HELO;
			return LINE_MORE;
		}
		/* FALLTHROUGH */
	default:
		if (!reply_class(line, '2'))
			return line_refused(ck, ck->ck_step == SMTP_EHLO ?
			    "EHLO refused" : "HELO refused", line, why, len);
		line_sendf(ck, "QUIT\r\n");
		ck->ck_step = SMTP_QUIT;
		return LINE_MORE;
	}
}

const struct line_service line_smtp = { "smtp", NULL, smtp_step, NULL };

/* ---- pop ----------------------------------------------------------- */

enum { POP_GREETING, POP_USER, POP_PASS, POP_QUIT };

static int
pop_ok(const char *line)
{
	return strncmp(line, "+OK", 3) == 0;
}

static int
pop_step(struct check *ck, const char *line, char *why, size_t len)
{
	if (ck->ck_step == POP_QUIT)
		return after_goodbye(ck, why, len);
	if (line == NULL)
		return closed_early(ck, why, len);
	if (!pop_ok(line))
		return line_refused(ck, ck->ck_step == POP_GREETING ?
		    "greeting" : ck->ck_step == POP_USER ? "USER refused" :
		    "PASS refused", line, why, len);
	if (ck->ck_step == POP_GREETING && ck->ck_msg->ck_login[0] != '\0') {
		line_sendf(ck, "USER %s\r\n", ck->ck_msg->ck_login);
		ck->ck_step = POP_USER;
	} else if (ck->ck_step == POP_USER) {
		line_sendf(ck, "PASS %s\r\n", ck->ck_msg->ck_passwd);
		ck->ck_step = POP_PASS;
	} else {
		line_sendf(ck, "QUIT\r\n");
		ck->ck_step = POP_QUIT;
	}
	return LINE_MORE;
}

const struct line_service line_pop = { "pop", NULL, pop_step, NULL };
/* the same dialogue over TLS (port 995), the engine's business */
const struct line_service line_pops = { "pops", NULL, pop_step, NULL };

/* ---- imap ---------------------------------------------------------- */

enum { IMAP_GREETING, IMAP_LOGIN, IMAP_LOGOUT };

/* s as an IMAP quoted string: validate.c has refused CR, LF and NUL. */
static void
imap_quote(char *dst, size_t len, const char *s)
{
	size_t	 i = 0;

	dst[i++] = '"';
	for (; *s != '\0' && i + 3 < len; s++) {
		if (*s == '"' || *s == '\\')
			dst[i++] = '\\';
		dst[i++] = *s;
	}
	dst[i++] = '"';
	dst[i] = '\0';
}

static void
imap_login(struct check *ck)
{
	char	 user[2 * MSG_CRED_LEN + 3], pass[2 * MSG_CRED_LEN + 3];

	imap_quote(user, sizeof(user), ck->ck_msg->ck_login);
	imap_quote(pass, sizeof(pass), ck->ck_msg->ck_passwd);
	line_sendf(ck, "L1 LOGIN %s %s\r\n", user, pass);
	ck->ck_step = IMAP_LOGIN;
}

static void
imap_logout(struct check *ck)
{
	line_sendf(ck, "L2 LOGOUT\r\n");
	ck->ck_step = IMAP_LOGOUT;
}

static int
imap_greeting(struct check *ck, const char *line, char *why, size_t len)
{
	if (strncmp(line, "* PREAUTH", 9) == 0 ||
	    (strncmp(line, "* OK", 4) == 0 && ck->ck_msg->ck_login[0] == '\0'))
		imap_logout(ck);
	else if (strncmp(line, "* OK", 4) == 0)
		imap_login(ck);
	else
		return line_refused(ck, "greeting", line, why, len);
	return LINE_MORE;
}

static int
imap_step(struct check *ck, const char *line, char *why, size_t len)
{
	if (ck->ck_step == IMAP_LOGOUT)
		return after_goodbye(ck, why, len);
	if (line == NULL)
		return closed_early(ck, why, len);
	if (ck->ck_step == IMAP_GREETING)
		return imap_greeting(ck, line, why, len);
	/* IMAP_LOGIN: untagged data (capabilities) may come first */
	if (strncmp(line, "* ", 2) == 0)
		return LINE_MORE;
	if (strncmp(line, "L1 OK", 5) != 0)
		return line_refused(ck, "LOGIN refused", line, why, len);
	imap_logout(ck);
	return LINE_MORE;
}

const struct line_service line_imap = { "imap", NULL, imap_step, NULL };
/* the same dialogue over TLS (port 993), the engine's business */
const struct line_service line_imaps = { "imaps", NULL, imap_step, NULL };

/* ---- nntp ---------------------------------------------------------- */

enum { NNTP_GREETING, NNTP_QUIT };

static int
nntp_step(struct check *ck, const char *line, char *why, size_t len)
{
	if (ck->ck_step == NNTP_QUIT)
		return after_goodbye(ck, why, len);
	if (line == NULL)
		return closed_early(ck, why, len);
	if (!reply_class(line, '2'))
		return line_refused(ck, "greeting", line, why, len);
	line_sendf(ck, "QUIT\r\n");
	ck->ck_step = NNTP_QUIT;
	return LINE_MORE;
}

const struct line_service line_nntp = { "nntp", NULL, nntp_step, NULL };

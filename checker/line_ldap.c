/*
 * services ldap and ldaps (the same over TLS), a dialogue of binary
 * messages run by the line engine (check_line.c) with ldap_frame
 * cutting the real's bytes:
 *
 *	bind (simple, with login and passwd if both are set, else
 *	anonymous) answered success; a search of request (its leading
 *	'/' dropped) with scope base, filter (objectClass=*) and no
 *	attributes, answered by exactly one entry and success; unbind.
 *
 * Up iff the entry's DN matches receive (any DN does without one), as
 * ldirectord's check_ldap.  The reason of a refusal quotes the real's
 * result code and diagnostic message, cut short and made printable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "log.h"

enum { LDAP_BIND, LDAP_SEARCH, LDAP_UNBIND };

/* The message ids, one per request. */
#define LDAP_ID_BIND	1
#define LDAP_ID_SEARCH	2
#define LDAP_ID_UNBIND	3

/* How much of a real's diagnostic message or DN a reason quotes. */
#define LDAP_QUOTE_MAX	64

/* The name of the result codes a check meets most (RFC 4511 A.1). */
static const char *
ldap_code_name(uint32_t code)
{
	switch (code) {
	case 32:
		return "noSuchObject";
	case 34:
		return "invalidDNSyntax";
	case 48:
		return "inappropriateAuthentication";
	case 49:
		return "invalidCredentials";
	case 50:
		return "insufficientAccessRights";
	case 51:
		return "busy";
	case 52:
		return "unavailable";
	case 53:
		return "unwillingToPerform";
	default:
		return "result";
	}
}

/*
 * LINE_DOWN, why = "SERVICE: WHAT: NAME (CODE) 'diagnostic message'",
 * SERVICE ldap or ldaps.
 */
static int
ldap_refused(const struct check *ck, const char *what,
    const struct ldap_reply *r, char *why, size_t len)
{
	char	 q[LDAP_QUOTE_MAX + 4];

	snprintf(why, len, "%s: %s: %s (%u) '%s'", ck->ck_line->ls_name, what,
	    ldap_code_name(r->lr_code), r->lr_code,
	    line_quote((const char *)r->lr_diag, r->lr_diaglen, q, sizeof(q)));
	return LINE_DOWN;
}

static int
ldap_unexpected(const struct check *ck, const struct ldap_reply *r,
    const char *to, char *why, size_t len)
{
	snprintf(why, len, "%s: message %u, operation %u, in answer to "
	    "the %s", ck->ck_line->ls_name, r->lr_id, r->lr_op, to);
	return LINE_DOWN;
}

/* The search request, as message LDAP_ID_SEARCH. */
static int
ldap_search(struct check *ck, char *why, size_t len)
{
	uint8_t	 buf[MSG_REQUEST_LEN + 64];
	size_t	 n;

	n = ldap_search_request(buf, sizeof(buf), LDAP_ID_SEARCH,
	    ck->ck_msg->ck_request + (ck->ck_msg->ck_request[0] == '/'));
	if (n == 0 || line_send_bytes(ck, (const char *)buf, n) == -1) {
		snprintf(why, len, "%s: search request too long",
		    ck->ck_line->ls_name);
		return LINE_DOWN;
	}
	ck->ck_step = LDAP_SEARCH;
	return LINE_MORE;
}

/* Keep the first entry's DN, NUL-terminated, for receive. */
static void
ldap_entry(struct check *ck, const struct ldap_reply *r)
{
	if (ck->ck_count++ > 0)
		return;
	if ((ck->ck_data = malloc(r->lr_dnlen + 1)) == NULL)
		fatal("%s", __func__);
	memcpy(ck->ck_data, r->lr_dn, r->lr_dnlen);
	ck->ck_data[r->lr_dnlen] = '\0';
	ck->ck_datalen = r->lr_dnlen;
}

/* The search is done: one entry, a DN that matches; then unbind. */
static int
ldap_search_done(struct check *ck, const struct ldap_reply *r, char *why,
    size_t len)
{
	char	 q[LDAP_QUOTE_MAX + 4];
	uint8_t	 buf[16];
	size_t	 n;

	if (r->lr_code != 0)
		return ldap_refused(ck, "search refused", r, why, len);
	if (ck->ck_count != 1) {
		snprintf(why, len, "%s: search found %d entries, not 1",
		    ck->ck_line->ls_name, ck->ck_count);
		return LINE_DOWN;
	}
	line_quote(ck->ck_data, ck->ck_datalen, q, sizeof(q));
	if (ck->ck_has_re && regexec(ck->ck_re, ck->ck_data, 0, NULL, 0) !=
	    0) {
		snprintf(why, len, "%s: DN '%s' does not match '%.80s'",
		    ck->ck_line->ls_name, q, ck->ck_msg->ck_receive);
		return LINE_DOWN;
	}
	if ((n = ldap_unbind_request(buf, sizeof(buf), LDAP_ID_UNBIND)) == 0 ||
	    line_send_bytes(ck, (const char *)buf, n) == -1)
		fatalx("%s: no room for an unbind", __func__);
	line_end_after_send(ck);	/* a server need not close after it */
	ck->ck_step = LDAP_UNBIND;
	return LINE_MORE;
}

static int
ldap_search_step(struct check *ck, const struct ldap_reply *r, char *why,
    size_t len)
{
	if (r->lr_id != LDAP_ID_SEARCH)
		return ldap_unexpected(ck, r, "search", why, len);
	switch (r->lr_op) {
	case LDAP_OP_SEARCH_ENTRY:
		ldap_entry(ck, r);
		return LINE_MORE;
	case LDAP_OP_SEARCH_REF:
		return LINE_MORE;
	case LDAP_OP_SEARCH_DONE:
		return ldap_search_done(ck, r, why, len);
	default:
		return ldap_unexpected(ck, r, "search", why, len);
	}
}

static int
ldap_step(struct check *ck, const char *msg, char *why, size_t len)
{
	struct ldap_reply	 r;
	char			 q[LDAP_QUOTE_MAX + 4];

	if (ck->ck_step == LDAP_UNBIND) {
		snprintf(why, len, "%s: found '%s'", ck->ck_line->ls_name,
		    line_quote(ck->ck_data, ck->ck_datalen, q, sizeof(q)));
		return LINE_UP;
	}
	if (msg == NULL) {
		snprintf(why, len, "%s: connection closed",
		    ck->ck_line->ls_name);
		return LINE_DOWN;
	}
	if (ldap_reply_parse((const uint8_t *)msg, ck->ck_msglen, &r) == -1) {
		snprintf(why, len, "%s: a malformed message",
		    ck->ck_line->ls_name);
		return LINE_DOWN;
	}
	if (r.lr_id == 0 && r.lr_op == LDAP_OP_EXTENDED_RESP)
		return ldap_refused(ck, "notice of disconnection", &r, why, len);
	if (ck->ck_step == LDAP_SEARCH)
		return ldap_search_step(ck, &r, why, len);
	if (r.lr_id != LDAP_ID_BIND || r.lr_op != LDAP_OP_BIND_RESPONSE)
		return ldap_unexpected(ck, &r, "bind", why, len);
	if (r.lr_code != 0)
		return ldap_refused(ck, "bind refused", &r, why, len);
	return ldap_search(ck, why, len);
}

/* The bind goes first: with login and passwd if both are set. */
static void
ldap_begin(struct check *ck)
{
	const struct msg_check	*m = ck->ck_msg;
	uint8_t			 buf[2 * MSG_CRED_LEN + 32];
	size_t			 n;
	int			 bound;

	ck->ck_count = 0;
	bound = m->ck_login[0] != '\0' && m->ck_passwd[0] != '\0';
	n = ldap_bind_request(buf, sizeof(buf), LDAP_ID_BIND,
	    bound ? m->ck_login : "", bound ? m->ck_passwd : "");
	if (n == 0 || line_send_bytes(ck, (const char *)buf, n) == -1)
		fatalx("%s: no room for a bind", __func__);
	ck->ck_step = LDAP_BIND;
}

const struct line_service line_ldap = {
	"ldap", ldap_begin, ldap_step, ldap_frame
};

/* The same over TLS: check_line.c makes the handshake first. */
const struct line_service line_ldaps = {
	"ldaps", ldap_begin, ldap_step, ldap_frame
};

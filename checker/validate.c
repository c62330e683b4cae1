/*
 * Validation of a CHECK message from the parent.  The parent is trusted,
 * but a bug there must stop at this boundary: a field out of range here
 * would become a bad URL, a bad header or a busy loop in the probes.
 * What passes is also made canonical (the bytes after each string's NUL
 * zeroed), so that a reload can compare two CHECKs byte for byte.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"

/*
 * Below this a check would mostly measure itself; it also bounds the
 * work a config can ask for per real and per second.
 */
#define CHECK_INTERVAL_MIN_MS	100U

static int	check_valid_enums(const struct msg_check *, char *, size_t);
static int	check_valid_numbers(const struct msg_check *, char *, size_t);
static int	check_valid_strings(struct msg_check *, char *, size_t);
static int	check_str_graph(const char *);
static int	check_str_print(const char *);
static int	check_str_host(const char *);
static void	check_str_canon(char *, size_t);

/* Is this check one whose probe uses HTTP? */
static int
check_is_http(const struct msg_check *ck)
{
	return ck->ck_type == CHECK_NEGOTIATE &&
	    ck->ck_service == SERVICE_HTTP;
}

/* Is ck a check the line engine runs (check_line.c)? */
int
check_line_handles(const struct msg_check *ck)
{
	/* msg.h lists the line services together, smtp to simpletcp */
	return ck->ck_type == CHECK_NEGOTIATE &&
	    ck->ck_service >= SERVICE_SMTP &&
	    ck->ck_service <= SERVICE_SIMPLETCP;
}

int
check_is_dns(const struct msg_check *ck)
{
	return ck->ck_type == CHECK_NEGOTIATE && ck->ck_service == SERVICE_DNS;
}

/* Is ck a check that runs a command (check_exec.c)? */
int
check_is_exec(const struct msg_check *ck)
{
	return ck->ck_type == CHECK_EXTERNAL ||
	    ck->ck_type == CHECK_EXTERNAL_PERL;
}

/*
 * Does the checker run this kind of check?  The parent asks too, and
 * refuses a config naming one it does not.
 */
int
check_type_runs(unsigned int type)
{
	switch (type) {
	case CHECK_CONNECT:
	case CHECK_NEGOTIATE:
	case CHECK_ON:
	case CHECK_OFF:
	case CHECK_EXTERNAL:
	case CHECK_EXTERNAL_PERL:
		return 1;
	default:
		return 0;
	}
}

/*
 * Does the checker have a probe for this negotiate service?  The parent
 * asks too, and refuses a config naming one it has not.
 */
int
check_service_runs(unsigned int service)
{
	switch (service) {
	case SERVICE_NONE:
	case SERVICE_HTTP:
	case SERVICE_SMTP:
	case SERVICE_POP:
	case SERVICE_IMAP:
	case SERVICE_NNTP:
	case SERVICE_SIMPLETCP:
	case SERVICE_DNS:
		return 1;
	default:
		return 0;
	}
}

/*
 * Most copies of a subexpression the bounds of one receive may ask for,
 * all bounds multiplied as if nested: glibc's regcomp copies the tree
 * once per repetition, so "a{255}{255}{255}" alone would take gigabytes
 * (check_fuzz found "x++++...", fifty stacked '+', the same way).
 */
#define CHECK_RECEIVE_COPIES	1024

/* Skip a bracket expression at s ('['); the ']' that ends it, or NUL. */
static const char *
check_skip_bracket(const char *s)
{
	char	 end;

	s++;
	if (*s == '^')
		s++;
	if (*s == ']')
		s++;
	for (; *s != '\0' && *s != ']'; s++)
		if (*s == '[' && (s[1] == ':' || s[1] == '=' || s[1] == '.')) {
			end = s[1];
			for (s += 2; *s != '\0' && !(s[0] == end && s[1] == ']');
			    s++)
				;
			if (*s == '\0')
				break;
			s++;
		}
	return s;
}

/* The largest count of a bound at s ('{'), or -1 if it is not one. */
static long
check_bound_max(const char **sp)
{
	const char	*s = *sp + 1;
	char		*e;
	long		 n;

	n = strtol(s, &e, 10);
	if (e == s)
		return -1;
	if (*e == ',' && e[1] != '}')
		n = strtol(e + 1, &e, 10);
	else if (*e == ',')
		e++;
	if (*e != '}')
		return -1;
	*sp = e;
	return n;
}

/*
 * The shape of a receive ERE, beyond what regcomp checks: every ')'
 * closes a '(' (glibc takes a lone ')' as a plain character, which would
 * close the group check_validate wraps the expression in); no two
 * repetitions in a row ("a+*", undefined in POSIX); bounded repetitions
 * within CHECK_RECEIVE_COPIES.  Escapes and bracket expressions are
 * skipped.  NULL if it is fine, else what is wrong.
 */
static const char *
check_receive_shape(const char *s)
{
	unsigned long	 copies = 1;
	long		 n;
	int		 depth = 0, repeated = 0, r;

	for (; *s != '\0'; s++) {
		r = 0;
		if (*s == '\\' && s[1] != '\0')
			s++;
		else if (*s == '(')
			depth++;
		else if (*s == ')' && --depth < 0)
			return "has a ')' without its '('";
		else if (*s == '[') {
			if (*(s = check_skip_bracket(s)) == '\0')
				return NULL;	/* regcomp has refused it */
		} else if (*s == '*' || *s == '+' || *s == '?')
			r = 1;
		else if (*s == '{' && (n = check_bound_max(&s)) >= 0) {
			r = 1;
			if (n > 1 && (copies *= (unsigned long)n) >
			    CHECK_RECEIVE_COPIES)
				return "repeats too much (bounds multiplied "
				    "above 1024)";
		}
		if (r && repeated)
			return "has two repetitions in a row";
		repeated = r;
	}
	return NULL;
}

/*
 * 0 if ck is acceptable, else -1 and why.  On success and a non-empty
 * receive string, *re holds the compiled expression and *has_re is 1;
 * the caller regfree()s it.
 */
int
check_validate(struct msg_check *ck, regex_t *re, int *has_re, char *why,
    size_t len)
{
	char		 err[128], anchored[MSG_RECEIVE_LEN + 8];
	const char	*shape;
	int		 r;

	*has_re = 0;
	if (check_valid_enums(ck, why, len) == -1 ||
	    check_valid_numbers(ck, why, len) == -1 ||
	    check_valid_strings(ck, why, len) == -1)
		return -1;
	if (ck->ck_receive[0] == '\0')
		return 0;
	/* before regcomp, which is what the shape is there to protect */
	if ((shape = check_receive_shape(ck->ck_receive)) != NULL) {
		snprintf(why, len, "receive '%s' %s", ck->ck_receive, shape);
		return -1;
	}
	if ((r = regcomp(re, ck->ck_receive, REG_EXTENDED | REG_NOSUB)) != 0) {
		regerror(r, re, err, sizeof(err));
		snprintf(why, len, "receive '%s' does not compile: %s",
		    ck->ck_receive, err);
		return -1;
	}
	regfree(re);
	/*
	 * glibc's regexec tries every start position in turn, each up to
	 * the end of what a repetition can take: "[0-9]+ up" over 64 KiB
	 * of digits, say, costs twenty seconds, during which no other
	 * real is checked.  Anchored at the start it runs once, in time
	 * linear in the body.  "^.*(R)" matches a string if and only if R
	 * matches somewhere in it: '.' takes any byte (no REG_NEWLINE) and
	 * a '^' or '$' inside R still means the ends of the body.
	 */
	snprintf(anchored, sizeof(anchored), "^.*(%s)", ck->ck_receive);
	if ((r = regcomp(re, anchored, REG_EXTENDED | REG_NOSUB)) != 0) {
		regerror(r, re, err, sizeof(err));
		snprintf(why, len, "receive '%s' does not compile anchored: %s",
		    ck->ck_receive, err);
		return -1;
	}
	*has_re = 1;
	return 0;
}

/*
 * The kind of check must be known; the service and the method must be
 * known where they are used, and either 0 or known elsewhere.
 */
static int
check_valid_enums(const struct msg_check *ck, char *why, size_t len)
{
	if (!check_type_runs(ck->ck_type)) {
		snprintf(why, len, "unknown check type %u", ck->ck_type);
		return -1;
	}
	if (ck->ck_proto != PROTO_TCP && ck->ck_proto != PROTO_UDP) {
		snprintf(why, len, "check protocol %u is not tcp or udp",
		    ck->ck_proto);
		return -1;
	}
	if ((ck->ck_service != 0 && !check_service_runs(ck->ck_service)) ||
	    (ck->ck_type == CHECK_NEGOTIATE && ck->ck_service == 0)) {
		snprintf(why, len, "unknown service %u", ck->ck_service);
		return -1;
	}
	if (check_line_handles(ck) && ck->ck_proto != PROTO_TCP) {
		snprintf(why, len, "service %u runs over tcp only",
		    ck->ck_service);
		return -1;
	}
	if (ck->ck_method >= HTTP_MAX ||
	    (check_is_http(ck) && ck->ck_method == 0)) {
		snprintf(why, len, "unknown http method %u", ck->ck_method);
		return -1;
	}
	return 0;
}

static int
check_valid_numbers(const struct msg_check *ck, char *why, size_t len)
{
	int	 probes;

	probes = ck->ck_type == CHECK_CONNECT || check_is_http(ck) ||
	    check_line_handles(ck) || check_is_dns(ck);
	if (ck->ck_pad != 0)
		snprintf(why, len, "padding is not zero");
	else if (!msg_addr_ok(&ck->ck_addr))
		snprintf(why, len, "bad address");
	else if (probes && ck->ck_port == 0)
		snprintf(why, len, "port 0");
	else if (ck->ck_interval_ms < CHECK_INTERVAL_MIN_MS)
		snprintf(why, len, "interval %u ms is below %u ms",
		    ck->ck_interval_ms, CHECK_INTERVAL_MIN_MS);
	else if (ck->ck_connect_timeout_ms == 0)
		snprintf(why, len, "connect timeout 0");
	else if (ck->ck_negotiate_timeout_ms == 0)
		snprintf(why, len, "negotiate timeout 0");
	else if (ck->ck_failurecount == 0)
		snprintf(why, len, "failurecount 0");
	else
		return 0;
	return -1;
}

/*
 * request and vhost end up in the request line and the Host: header, so
 * they may hold no space and no control character: nothing that could
 * end a line or smuggle a header in.  simpletcp's request is sent as it
 * is and may hold spaces; a login and a password end up in a command
 * line, so they may hold spaces but no control character.
 */
static int
check_valid_strings(struct msg_check *ck, char *why, size_t len)
{
	int	 simpletcp;

	if (!msg_str_ok(ck->ck_request, sizeof(ck->ck_request)) ||
	    !msg_str_ok(ck->ck_receive, sizeof(ck->ck_receive)) ||
	    !msg_str_ok(ck->ck_vhost, sizeof(ck->ck_vhost)) ||
	    !msg_str_ok(ck->ck_login, sizeof(ck->ck_login)) ||
	    !msg_str_ok(ck->ck_passwd, sizeof(ck->ck_passwd))) {
		snprintf(why, len, "string not terminated inside its field");
		return -1;
	}
	simpletcp = ck->ck_type == CHECK_NEGOTIATE &&
	    ck->ck_service == SERVICE_SIMPLETCP;
	if (simpletcp && !check_str_print(ck->ck_request)) {
		snprintf(why, len, "request holds a control character");
		return -1;
	}
	if (check_is_dns(ck) && (ck->ck_request[ck->ck_request[0] == '/'] ==
	    '\0' || !check_str_host(ck->ck_request +
	    (ck->ck_request[0] == '/')))) {
		snprintf(why, len, "request is not a domain name or address");
		return -1;
	}
	if (!simpletcp && !check_is_dns(ck) &&
	    (check_is_http(ck) || ck->ck_request[0] != '\0') &&
	    (ck->ck_request[0] != '/' || !check_str_graph(ck->ck_request))) {
		snprintf(why, len, "request is not a path starting with /");
		return -1;
	}
	if (!check_str_print(ck->ck_login) || !check_str_print(ck->ck_passwd)) {
		snprintf(why, len, "login or passwd holds a control character");
		return -1;
	}
	if (!check_str_host(ck->ck_vhost)) {
		snprintf(why, len, "virtualhost is not a host name");
		return -1;
	}
	check_str_canon(ck->ck_request, sizeof(ck->ck_request));
	check_str_canon(ck->ck_receive, sizeof(ck->ck_receive));
	check_str_canon(ck->ck_vhost, sizeof(ck->ck_vhost));
	check_str_canon(ck->ck_login, sizeof(ck->ck_login));
	check_str_canon(ck->ck_passwd, sizeof(ck->ck_passwd));
	return 0;
}

/* Printable ASCII, no space. */
static int
check_str_graph(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 0x21 || *s > 0x7e)
			return 0;
	return 1;
}

/* Printable ASCII, space included. */
static int
check_str_print(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s > 0x7e)
			return 0;
	return 1;
}

/* A name, an IPv4 address or a bracketed IPv6 one, maybe a ":port". */
static int
check_str_host(const char *s)
{
	for (; *s != '\0'; s++)
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:[]", *s) == NULL)
			return 0;
	return 1;
}

/* Zero what follows the NUL, which the sender may have left dirty. */
static void
check_str_canon(char *s, size_t size)
{
	size_t	 n = strlen(s);

	memset(s + n, 0, size - n);
}

/*
 * Checks that need no probe: checktype on and off, and negotiate with
 * service none (always up, as ldirectord's check_none).  1 and the
 * verdict if ck is one of them, else 0.
 */
int
check_static_verdict(const struct msg_check *ck, int *up, const char **why)
{
	switch (ck->ck_type) {
	case CHECK_ON:
		*up = 1;
		*why = "checktype on";
		return 1;
	case CHECK_OFF:
		*up = 0;
		*why = "checktype off";
		return 1;
	case CHECK_NEGOTIATE:
		if (ck->ck_service != SERVICE_NONE)
			return 0;
		*up = 1;
		*why = "service none";
		return 1;
	default:
		return 0;
	}
}

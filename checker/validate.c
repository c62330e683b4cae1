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
#include "ere.h"

/*
 * Below this a check would mostly measure itself; it also bounds the
 * work a config can ask for per real and per second.
 */
#define CHECK_INTERVAL_MIN_MS	100U
/*
 * Bounds that no useful config reaches; they keep a counter and the
 * time a real takes to come back (CHECK_RISE_MAX also bounds a ping's
 * checkcount, as conf does) finite.
 */
#define CHECK_COMBINED_MAX	1000000U
#define CHECK_RISE_MAX		1000U

static int	check_valid_enums(const struct msg_check *, char *, size_t);
static int	check_valid_numbers(const struct msg_check *, char *, size_t);
static int	check_valid_tls(const struct msg_check *, char *, size_t);
static int	check_valid_strings(struct msg_check *, char *, size_t);
static int	check_valid_exchange(const struct msg_check *, char *, size_t);
static int	check_valid_sql(const struct msg_check *, char *, size_t);
static int	check_str_graph(const char *);
static int	check_str_print(const char *);
static int	check_str_host(const char *);
static void	check_str_canon(char *, size_t);

/* Does ck negotiate, always (negotiate) or in some rounds (N)? */
int
check_negotiates(const struct msg_check *ck)
{
	return ck->ck_type == CHECK_NEGOTIATE || ck->ck_type == CHECK_COMBINED;
}

/* Is this check one whose probe uses HTTP? */
static int
check_is_http(const struct msg_check *ck)
{
	return check_negotiates(ck) &&
	    (ck->ck_service == SERVICE_HTTP ||
	    ck->ck_service == SERVICE_HTTPS ||
	    ck->ck_service == SERVICE_HTTP_PROXY);
}

/* http_proxy's request may be a full URL, which the proxy fetches. */
static int
check_is_proxy_url(const struct msg_check *ck)
{
	return check_negotiates(ck) &&
	    ck->ck_service == SERVICE_HTTP_PROXY &&
	    strncmp(ck->ck_request, "http://", 7) == 0 &&
	    ck->ck_request[7] != '\0' && ck->ck_request[7] != '/' &&
	    check_str_graph(ck->ck_request);
}

/* Is ck a check the line engine runs (check_line.c)? */
int
check_line_handles(const struct msg_check *ck)
{
	/* msg.h lists the first line services together, smtp to simpletcp */
	if (check_is_simpleudp(ck))
		return 0;
	return check_negotiates(ck) &&
	    ((ck->ck_service >= SERVICE_SMTP &&
	    ck->ck_service <= SERVICE_SIMPLETCP) ||
	    ck->ck_service == SERVICE_FTP || ck->ck_service == SERVICE_LDAP ||
	    ck->ck_service == SERVICE_POPS || ck->ck_service == SERVICE_IMAPS ||
	    ck->ck_service == SERVICE_LDAPS);
}

int
check_is_dns(const struct msg_check *ck)
{
	return check_negotiates(ck) && ck->ck_service == SERVICE_DNS;
}

/* Is ck a simpletcp check of a UDP service (check_simpleudp.c)? */
int
check_is_simpleudp(const struct msg_check *ck)
{
	return check_negotiates(ck) && ck->ck_service == SERVICE_SIMPLETCP &&
	    ck->ck_proto == PROTO_UDP;
}

/* Is ck one the request-and-reply engine runs (check_exchange.c)? */
int
check_is_exchange(const struct msg_check *ck)
{
	return check_negotiates(ck) &&
	    (ck->ck_service == SERVICE_RADIUS || ck->ck_service == SERVICE_SIP ||
	    check_is_simpleudp(ck));
}

/* Is ck a check of an SQL server (check_sql.c)? */
int
check_is_sql(const struct msg_check *ck)
{
	return check_negotiates(ck) &&
	    (ck->ck_service == SERVICE_MYSQL || ck->ck_service == SERVICE_PGSQL);
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
	case CHECK_PING:
	case CHECK_COMBINED:
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
	case SERVICE_RADIUS:
	case SERVICE_SIP:
	case SERVICE_FTP:
	case SERVICE_LDAP:
	case SERVICE_LDAPS:
	case SERVICE_MYSQL:
	case SERVICE_PGSQL:
	case SERVICE_HTTPS:
	case SERVICE_HTTP_PROXY:
	case SERVICE_POPS:
	case SERVICE_IMAPS:
		return 1;
	default:
		return 0;
	}
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
	    check_valid_tls(ck, why, len) == -1 ||
	    check_valid_strings(ck, why, len) == -1)
		return -1;
	if (ck->ck_receive[0] == '\0')
		return 0;
	/* before regcomp, which is what the shape is there to protect */
	if ((shape = ere_shape(ck->ck_receive)) != NULL) {
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
	    (check_negotiates(ck) && ck->ck_service == 0)) {
		snprintf(why, len, "unknown service %u", ck->ck_service);
		return -1;
	}
	if ((check_line_handles(ck) || check_is_sql(ck)) &&
	    ck->ck_proto != PROTO_TCP) {
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

/*
 * Verification is for a TLS service and names a CA bundle of the
 * config (reload.c checks that it came); redirects are for http and
 * https, and few.
 */
static int
check_valid_tls(const struct msg_check *ck, char *why, size_t len)
{
	int	 tls, http;

	tls = check_negotiates(ck) && (ck->ck_service == SERVICE_HTTPS ||
	    ck->ck_service == SERVICE_POPS ||
	    ck->ck_service == SERVICE_IMAPS ||
	    ck->ck_service == SERVICE_LDAPS);
	http = check_negotiates(ck) && (ck->ck_service == SERVICE_HTTP ||
	    ck->ck_service == SERVICE_HTTPS);
	if (ck->ck_pad2 != 0)
		snprintf(why, len, "padding is not zero");
	else if (ck->ck_tls_verify > 1 || (ck->ck_tls_verify && !tls))
		snprintf(why, len, "TLS verification %u for a check without "
		    "TLS", ck->ck_tls_verify);
	else if ((ck->ck_tls_ca != 0) != (ck->ck_tls_verify != 0) ||
	    ck->ck_tls_ca > MSG_CA_FILES)
		snprintf(why, len, "CA file %u with verification %u",
		    ck->ck_tls_ca, ck->ck_tls_verify);
	else if (ck->ck_redirects > MSG_REDIRECTS_MAX ||
	    (ck->ck_redirects != 0 && !http))
		snprintf(why, len, "%u redirects for a check that is not "
		    "http", ck->ck_redirects);
	else
		return 0;
	return -1;
}

/* Whether a check of ck's kind opens a connection, to a port. */
static int
check_probes(const struct msg_check *ck)
{
	return ck->ck_type == CHECK_CONNECT || check_is_http(ck) ||
	    check_line_handles(ck) || check_is_dns(ck) ||
	    check_is_exchange(ck) || check_is_sql(ck) ||
	    ck->ck_type == CHECK_COMBINED;
}

/*
 * What is the real's own in a check of params (a CHECK_LIKE changes
 * only that): its address, and a port where the check needs one.
 */
int
check_validate_real(const struct msg_check *params, const struct addr *addr,
    uint16_t port, char *why, size_t len)
{
	if (!msg_addr_ok(addr))
		snprintf(why, len, "bad address");
	else if (check_probes(params) && port == 0)
		snprintf(why, len, "port 0");
	else
		return 0;
	return -1;
}

static int
check_valid_numbers(const struct msg_check *ck, char *why, size_t len)
{
	if (ck->ck_pad != 0) {
		snprintf(why, len, "padding is not zero");
		return -1;
	}
	if (check_validate_real(ck, &ck->ck_addr, ck->ck_port, why, len) == -1)
		return -1;
	if (ck->ck_interval_ms < CHECK_INTERVAL_MIN_MS)
		snprintf(why, len, "interval %u ms is below %u ms",
		    ck->ck_interval_ms, CHECK_INTERVAL_MIN_MS);
	else if (ck->ck_connect_timeout_ms == 0)
		snprintf(why, len, "connect timeout 0");
	else if (ck->ck_negotiate_timeout_ms == 0)
		snprintf(why, len, "negotiate timeout 0");
	else if (ck->ck_failurecount == 0)
		snprintf(why, len, "failurecount 0");
	else if ((ck->ck_type == CHECK_COMBINED) != (ck->ck_combined != 0))
		snprintf(why, len, "checktype N with N = %u", ck->ck_combined);
	else if (ck->ck_combined > CHECK_COMBINED_MAX)
		snprintf(why, len, "checktype N above %u", CHECK_COMBINED_MAX);
	else if (ck->ck_checkcount > CHECK_RISE_MAX)
		snprintf(why, len, "checkcount %u above %u", ck->ck_checkcount,
		    CHECK_RISE_MAX);
	else if (ck->ck_rise > CHECK_RISE_MAX)
		snprintf(why, len, "rise %u above %u", ck->ck_rise,
		    CHECK_RISE_MAX);
	else
		return 0;
	return -1;
}

/*
 * An SQL check needs a login and a query, as ldirectord's check_sql
 * does; the query is sent as it is and may hold spaces, the database
 * name goes into a NUL-terminated field: no control character in either.
 */
static int
check_valid_sql(const struct msg_check *ck, char *why, size_t len)
{
	if (ck->ck_login[0] == '\0')
		snprintf(why, len, "an SQL check needs a login");
	else if (ck->ck_request[0] == '\0')
		snprintf(why, len, "an SQL check needs a request (the query)");
	else if (!check_str_print(ck->ck_request))
		snprintf(why, len, "request holds a control character");
	else if (!check_str_print(ck->ck_database))
		snprintf(why, len, "database holds a control character");
	else
		return 0;
	return -1;
}

/*
 * request and vhost end up in the request line and the Host: header, so
 * they may hold no space and no control character: nothing that could
 * end a line or smuggle a header in.  simpletcp's request is sent as it
 * is, ftp's is a file name in a command line and ldap's (and ldaps') a
 * DN, so they may hold spaces; a login and a password end up in a command
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
	    !msg_str_ok(ck->ck_passwd, sizeof(ck->ck_passwd)) ||
	    !msg_str_ok(ck->ck_secret, sizeof(ck->ck_secret)) ||
	    !msg_str_ok(ck->ck_database, sizeof(ck->ck_database))) {
		snprintf(why, len, "string not terminated inside its field");
		return -1;
	}
	simpletcp = check_negotiates(ck) &&
	    (ck->ck_service == SERVICE_SIMPLETCP ||
	    ck->ck_service == SERVICE_FTP || ck->ck_service == SERVICE_LDAP ||
	    ck->ck_service == SERVICE_LDAPS);
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
	if (check_is_sql(ck) && check_valid_sql(ck, why, len) == -1)
		return -1;
	if (!simpletcp && !check_is_dns(ck) && !check_is_sql(ck) &&
	    !check_is_proxy_url(ck) &&
	    (check_is_http(ck) || ck->ck_request[0] != '\0') &&
	    (ck->ck_request[0] != '/' || !check_str_graph(ck->ck_request))) {
		snprintf(why, len, "request is not a path starting with /%s",
		    ck->ck_service == SERVICE_HTTP_PROXY ? " or a URL "
		    "starting with http://" : "");
		return -1;
	}
	if (!check_str_print(ck->ck_login) || !check_str_print(ck->ck_passwd) ||
	    !check_str_print(ck->ck_secret)) {
		snprintf(why, len, "login, passwd or secret holds a control "
		    "character");
		return -1;
	}
	if (check_valid_exchange(ck, why, len) == -1)
		return -1;
	if (!check_str_host(ck->ck_vhost)) {
		snprintf(why, len, "virtualhost is not a host name");
		return -1;
	}
	check_str_canon(ck->ck_request, sizeof(ck->ck_request));
	check_str_canon(ck->ck_receive, sizeof(ck->ck_receive));
	check_str_canon(ck->ck_vhost, sizeof(ck->ck_vhost));
	check_str_canon(ck->ck_login, sizeof(ck->ck_login));
	check_str_canon(ck->ck_passwd, sizeof(ck->ck_passwd));
	check_str_canon(ck->ck_secret, sizeof(ck->ck_secret));
	check_str_canon(ck->ck_database, sizeof(ck->ck_database));
	return 0;
}

/*
 * radius cannot ask without a login and a secret (RFC 2865 wants both);
 * sip's login is the user@host of a URI, which a space or an angle
 * bracket would end.
 */
static int
check_valid_exchange(const struct msg_check *ck, char *why, size_t len)
{
	if (ck->ck_type != CHECK_NEGOTIATE)
		return 0;
	if (ck->ck_service == SERVICE_RADIUS &&
	    (ck->ck_login[0] == '\0' || ck->ck_secret[0] == '\0')) {
		snprintf(why, len, "radius needs a login and a secret");
		return -1;
	}
	if (ck->ck_service == SERVICE_SIP && (!check_str_graph(ck->ck_login) ||
	    strpbrk(ck->ck_login, "<>\"") != NULL)) {
		snprintf(why, len, "a sip login is user@host, without a space, "
		    "'<', '>' or '\"'");
		return -1;
	}
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

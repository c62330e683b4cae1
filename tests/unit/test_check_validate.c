/*
 * Validation of the parent's CHECK messages (checker/validate.c): every
 * field out of range is refused with a reason, and what passes is made
 * canonical for the byte-for-byte comparison at a reload.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "checker.h"

static struct msg_check
good_http(void)
{
	struct msg_check	 ck;

	memset(&ck, 0, sizeof(ck));
	ck.ck_id = 3;
	ck.ck_type = CHECK_NEGOTIATE;
	ck.ck_service = SERVICE_HTTP;
	ck.ck_proto = PROTO_TCP;
	ck.ck_method = HTTP_GET;
	addr_parse("127.0.0.2", AF_INET, &ck.ck_addr);
	ck.ck_port = 80;
	ck.ck_interval_ms = 1000;
	ck.ck_connect_timeout_ms = 500;
	ck.ck_negotiate_timeout_ms = 500;
	ck.ck_failurecount = 1;
	strlcpy(ck.ck_request, "/health?x=1", sizeof(ck.ck_request));
	strlcpy(ck.ck_receive, "^OK", sizeof(ck.ck_receive));
	strlcpy(ck.ck_vhost, "www.example.org", sizeof(ck.ck_vhost));
	return ck;
}

static struct msg_check
good_connect(void)
{
	struct msg_check	 ck = good_http();

	ck.ck_type = CHECK_CONNECT;
	ck.ck_service = 0;
	ck.ck_method = 0;
	ck.ck_request[0] = ck.ck_receive[0] = ck.ck_vhost[0] = '\0';
	return ck;
}

/* Validate ck; 0 or -1, and the reason in why. */
static int
validate(struct msg_check ck, char *why, size_t len)
{
	regex_t	 re;
	int	 has_re, r;

	why[0] = '\0';
	r = check_validate(&ck, &re, &has_re, why, len);
	if (r == 0 && has_re)
		regfree(&re);
	return r;
}

static void
refused(struct msg_check ck, const char *want, const char *desc)
{
	char	 why[256];

	is_int(validate(ck, why, sizeof(why)), -1, desc);
	like(why, want, "  with the reason");
}

static void
accepted(struct msg_check ck, const char *desc)
{
	char	 why[256];

	if (!is_int(validate(ck, why, sizeof(why)), 0, desc))
		diag("refused: %s", why);
}

static void
test_good(void)
{
	struct msg_check	 ck = good_http();
	regex_t			 re;
	char			 why[256];
	int			 has_re;

	is_int(check_validate(&ck, &re, &has_re, why, sizeof(why)), 0,
	    "a good http check passes");
	is_int(has_re, 1, "its receive is compiled");
	is_int(regexec(&re, "OK\n", 0, NULL, 0), 0, "and matches 'OK'");
	ok(regexec(&re, "NOT OK", 0, NULL, 0) != 0, "but not 'NOT OK'");
	regfree(&re);
	ck = good_connect();
	is_int(check_validate(&ck, &re, &has_re, why, sizeof(why)), 0,
	    "a good connect check passes");
	is_int(has_re, 0, "no receive, nothing compiled");
	ck = good_http();
	ck.ck_method = HTTP_HEAD;
	addr_parse("::1", AF_INET6, &ck.ck_addr);
	accepted(ck, "HEAD over IPv6 passes");
	ck = good_connect();
	ck.ck_proto = PROTO_UDP;
	ck.ck_interval_ms = 100;
	accepted(ck, "a UDP connect check every 100 ms passes");
}

static void
test_enums(void)
{
	struct msg_check	 ck;

	ck = good_http(); ck.ck_type = 0;
	refused(ck, "check type", "check type 0 is refused");
	ck = good_http(); ck.ck_type = CHECK_MAX;
	refused(ck, "check type", "check type CHECK_MAX is refused");
	ck = good_http(); ck.ck_proto = PROTO_FWM;
	refused(ck, "not tcp or udp", "protocol fwm is refused");
	ck = good_http(); ck.ck_proto = 0;
	refused(ck, "not tcp or udp", "protocol 0 is refused");
	ck = good_http(); ck.ck_service = 0;
	refused(ck, "service", "negotiate without a service is refused");
	ck = good_connect(); ck.ck_service = SERVICE_MAX;
	refused(ck, "service", "service SERVICE_MAX is refused");
	ck = good_http(); ck.ck_method = 0;
	refused(ck, "method", "http without a method is refused");
	ck = good_connect(); ck.ck_method = HTTP_MAX;
	refused(ck, "method", "method HTTP_MAX is refused, even unused");
}

static void
test_numbers(void)
{
	struct msg_check	 ck;

	ck = good_http(); ck.ck_pad = 1;
	refused(ck, "padding", "non-zero padding is refused");
	ck = good_http(); ck.ck_addr.a_af = 0;
	refused(ck, "address", "address family 0 is refused");
	ck = good_http(); ck.ck_addr.a_u.raw[9] = 1;
	refused(ck, "address", "bytes after an IPv4 address are refused");
	ck = good_http(); ck.ck_port = 0;
	refused(ck, "port 0", "port 0 is refused for http");
	ck = good_connect(); ck.ck_port = 0;
	refused(ck, "port 0", "port 0 is refused for connect");
	ck = good_connect(); ck.ck_port = 0; ck.ck_type = CHECK_ON;
	accepted(ck, "port 0 is fine for checktype on (fwmark reals)");
	ck = good_http(); ck.ck_interval_ms = 99;
	refused(ck, "below 100 ms", "an interval of 99 ms is refused");
	ck = good_http(); ck.ck_connect_timeout_ms = 0;
	refused(ck, "connect timeout", "connect timeout 0 is refused");
	ck = good_http(); ck.ck_negotiate_timeout_ms = 0;
	refused(ck, "negotiate timeout", "negotiate timeout 0 is refused");
	ck = good_http(); ck.ck_failurecount = 0;
	refused(ck, "failurecount", "failurecount 0 is refused");
}

static void
test_strings(void)
{
	struct msg_check	 ck;

	ck = good_http(); memset(ck.ck_request, 'a', sizeof(ck.ck_request));
	refused(ck, "not terminated", "an unterminated request is refused");
	ck = good_http(); memset(ck.ck_receive, 'a', sizeof(ck.ck_receive));
	refused(ck, "not terminated", "an unterminated receive is refused");
	ck = good_http(); memset(ck.ck_vhost, 'a', sizeof(ck.ck_vhost));
	refused(ck, "not terminated", "an unterminated vhost is refused");
	ck = good_http(); strlcpy(ck.ck_request, "health", 7);
	refused(ck, "starting with /", "a request without / is refused");
	ck = good_http(); ck.ck_request[0] = '\0';
	refused(ck, "starting with /", "an empty http request is refused");
	ck = good_http(); strlcpy(ck.ck_request, "/a b", 5);
	refused(ck, "starting with /", "a space in the request is refused");
	ck = good_http(); strlcpy(ck.ck_request, "/a\r\nX: y", 10);
	refused(ck, "starting with /", "CR LF in the request is refused");
	ck = good_http(); strlcpy(ck.ck_vhost, "a\r\nX: y", 9);
	refused(ck, "host name", "CR LF in the vhost is refused");
	ck = good_http(); strlcpy(ck.ck_vhost, "[::1]:8080", 11);
	accepted(ck, "a bracketed IPv6 vhost with a port passes");
	ck = good_http(); strlcpy(ck.ck_receive, "(unclosed", 10);
	refused(ck, "does not compile", "a receive that does not compile");
}

static void
test_canonical(void)
{
	struct msg_check	 ck = good_http();
	regex_t			 re;
	char			 why[256];
	int			 has_re;

	ck.ck_request[20] = 'j';
	ck.ck_receive[30] = 'u';
	ck.ck_vhost[100] = 'n';
	is_int(check_validate(&ck, &re, &has_re, why, sizeof(why)), 0,
	    "junk after a string's NUL is accepted");
	regfree(&re);
	ok(ck.ck_request[20] == 0 && ck.ck_receive[30] == 0 &&
	    ck.ck_vhost[100] == 0, "and zeroed");
}

static void
test_static(void)
{
	struct msg_check	 ck = good_connect();
	const char		*why;
	int			 up = -1;

	is_int(check_static_verdict(&ck, &up, &why), 0,
	    "connect needs a probe");
	ck.ck_type = CHECK_ON;
	ok(check_static_verdict(&ck, &up, &why) && up == 1,
	    "checktype on: up without a probe");
	ck.ck_type = CHECK_OFF;
	ok(check_static_verdict(&ck, &up, &why) && up == 0,
	    "checktype off: down without a probe");
	ck.ck_type = CHECK_NEGOTIATE;
	ck.ck_service = SERVICE_NONE;
	ok(check_static_verdict(&ck, &up, &why) && up == 1,
	    "negotiate, service none: up without a probe");
	ck.ck_service = SERVICE_HTTP;
	is_int(check_static_verdict(&ck, &up, &why), 0,
	    "negotiate http needs a probe");
}

static struct msg_check
good_line(uint8_t service)
{
	struct msg_check	 ck = good_http();

	ck.ck_service = service;
	ck.ck_method = 0;
	ck.ck_request[0] = ck.ck_receive[0] = ck.ck_vhost[0] = '\0';
	return ck;
}

/* The line dialogues: smtp, pop, imap, nntp, simpletcp, ftp, ldap. */
static void
test_lines(void)
{
	struct msg_check	 ck;

	ck = good_line(SERVICE_SMTP);
	accepted(ck, "a smtp check passes");
	ok(check_line_handles(&ck), "  and is one for the line engine");
	ok(!check_line_handles(&(struct msg_check){ .ck_type = CHECK_NEGOTIATE,
	    .ck_service = SERVICE_HTTP }), "http is not");
	ck = good_line(SERVICE_POP);
	strlcpy(ck.ck_login, "probe", sizeof(ck.ck_login));
	strlcpy(ck.ck_passwd, "s3 \"cr\\et", sizeof(ck.ck_passwd));
	accepted(ck, "a pop login whose password has a space, a quote and "
	    "a backslash passes");
	ck = good_line(SERVICE_IMAP);
	strlcpy(ck.ck_passwd, "a\r\nA1 DELETE INBOX", sizeof(ck.ck_passwd));
	refused(ck, "control character", "a password with CR LF is refused");
	ck = good_line(SERVICE_IMAP);
	strlcpy(ck.ck_login, "a\tb", sizeof(ck.ck_login));
	refused(ck, "control character", "a login with a tab is refused");
	ck = good_line(SERVICE_POP);
	memset(ck.ck_login, 'x', sizeof(ck.ck_login));
	refused(ck, "not terminated", "a login without its NUL is refused");
	ck = good_line(SERVICE_SIMPLETCP);
	strlcpy(ck.ck_request, "PING me\\n", sizeof(ck.ck_request));
	accepted(ck, "a simpletcp request with a space and no / passes");
	strlcpy(ck.ck_request, "PING\r\n", sizeof(ck.ck_request));
	refused(ck, "control character", "one with a real CR LF is refused");
	ck = good_line(SERVICE_SMTP);
	strlcpy(ck.ck_request, "HELO x", sizeof(ck.ck_request));
	refused(ck, "path starting with /",
	    "another service's request is still a path");
	ck = good_line(SERVICE_NNTP);
	ck.ck_proto = PROTO_UDP;
	refused(ck, "tcp only", "nntp over udp is refused");
	ck = good_line(SERVICE_SIMPLETCP);
	ck.ck_proto = PROTO_UDP;
	accepted(ck, "simpletcp over udp passes");
	ok(check_is_exchange(&ck) && !check_line_handles(&ck),
	    "  and runs in the request-and-reply engine, not the line one");
	ck.ck_proto = PROTO_TCP;
	ok(!check_is_exchange(&ck) && check_line_handles(&ck),
	    "simpletcp over tcp stays a line dialogue");
	ck = good_line(SERVICE_SMTP);
	ck.ck_port = 0;
	refused(ck, "port 0", "a smtp check of port 0 is refused");
	ck = good_line(SERVICE_MAX);
	refused(ck, "unknown service", "the service after the last is refused");
	ck = good_line(SERVICE_FTP);
	strlcpy(ck.ck_request, "/pub/health check.txt", sizeof(ck.ck_request));
	accepted(ck, "an ftp file name with a space passes");
	ok(check_line_handles(&ck), "  and ftp is one for the line engine");
	strlcpy(ck.ck_request, "/x\r\nDELE y", sizeof(ck.ck_request));
	refused(ck, "control character", "an ftp request with CR LF is refused");
	ck = good_line(SERVICE_LDAP);
	strlcpy(ck.ck_request, "/ou=Health Check,dc=example,dc=org",
	    sizeof(ck.ck_request));
	strlcpy(ck.ck_login, "cn=probe, dc=example,dc=org",
	    sizeof(ck.ck_login));
	accepted(ck, "an ldap DN with spaces passes, as base and as login");
	ok(check_line_handles(&ck), "  and ldap is one for the line engine");
	ck.ck_proto = PROTO_UDP;
	refused(ck, "tcp only", "ldap over udp is refused");
}

/* Does receive expr, as the checker compiles it, match text? */
static int
matches(const char *expr, const char *text)
{
	struct msg_check	 ck = good_http();
	regex_t			 re;
	char			 why[256];
	int			 has_re, r;

	strlcpy(ck.ck_receive, expr, sizeof(ck.ck_receive));
	if (check_validate(&ck, &re, &has_re, why, sizeof(why)) == -1 ||
	    !has_re)
		return -1;
	r = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	return r;
}

/*
 * receive is compiled anchored, "^.*(R)", so that a hostile body costs
 * linear time (http_fuzz found 20 s for 64 KiB); it must still mean R
 * anywhere in the body.
 */
static void
test_receive(void)
{
	struct msg_check	 ck = good_http();
	struct timespec		 t0, t1;
	char			*body;
	double			 secs;
	size_t			 n = (size_t)64 * 1024;

	is_int(matches("^OK", "OK then"), 1, "^OK at the start matches");
	is_int(matches("^OK", "NOT OK"), 0, "^OK later does not");
	is_int(matches("OK$", "all OK"), 1, "OK$ at the end matches");
	is_int(matches("OK$", "OK then"), 0, "OK$ earlier does not");
	is_int(matches("^OK$", "OK"), 1, "^OK$ matches the whole body");
	is_int(matches("up|down", "it is down"), 1,
	    "a top-level alternative matches anywhere");
	is_int(matches("a|^b", "xb"), 0, "an anchored alternative stays anchored");
	is_int(matches("x.y", "x\ny"), 1, "'.' takes a newline, as before");
	is_int(matches("[)]", "a)"), 1, "a ')' in brackets is accepted");
	is_int(matches("[[:alpha:])]+!", "ok)!"), 1,
	    "and after a [:class:]");
	is_int(matches("\\)", "a)"), 1, "an escaped ')' is accepted");
	strlcpy(ck.ck_receive, "a|(b", sizeof(ck.ck_receive));
	refused(ck, "does not compile", "an unclosed '(' is refused");
	strlcpy(ck.ck_receive, "a)|b", sizeof(ck.ck_receive));
	refused(ck, "without its '('", "a lone ')' is refused");
	strlcpy(ck.ck_receive, "x++++++++++++++++++++++++++++++++++++++++",
	    sizeof(ck.ck_receive));
	refused(ck, "two repetitions in a row",
	    "stacked repetitions are refused (regcomp: gigabytes)");
	strlcpy(ck.ck_receive, "(a{255}){255}", sizeof(ck.ck_receive));
	refused(ck, "repeats too much", "nested bounds beyond 1024 copies");
	is_int(matches("[0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}",
	    "at 10.1.2.3 now"), 1, "bounds within the limit still work");
	is_int(matches("a+b*c?", "xaac"), 1, "single repetitions still work");
	is_int(matches("[+*]+", "1+1"), 1,
	    "a repetition after a bracket of '+' and '*' is fine");
	is_int(matches("\\++", "a+"), 1, "so is one after an escaped '+'");

	if ((body = malloc(n + 1)) == NULL)
		abort();
	memset(body, '7', n);
	body[n] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &t0);
	is_int(matches("[0-9]+ (up|down)", body), 0,
	    "64 KiB of digits do not match '[0-9]+ (up|down)'");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ok(secs < 1.0, "and finding that out takes well under a second");
	diag("'[0-9]+ (up|down)' over 64 KiB of digits: %.3f s", secs);
	free(body);
}

static struct msg_check
good_radius(void)
{
	struct msg_check	 ck = good_connect();

	ck.ck_type = CHECK_NEGOTIATE;
	ck.ck_service = SERVICE_RADIUS;
	ck.ck_proto = PROTO_UDP;
	ck.ck_port = 1812;
	strlcpy(ck.ck_login, "probe", sizeof(ck.ck_login));
	strlcpy(ck.ck_passwd, "pass word", sizeof(ck.ck_passwd));
	strlcpy(ck.ck_secret, "s3 cret", sizeof(ck.ck_secret));
	return ck;
}

/* radius and sip: the secret, validated and made canonical too */
static void
test_exchange(void)
{
	struct msg_check	 ck;
	regex_t			 re;
	char			 why[256];
	int			 has_re;

	accepted(good_radius(), "a radius check passes");
	ck = good_radius(); ck.ck_proto = PROTO_TCP;
	accepted(ck, "of a TCP service too (it asks over UDP)");
	ck = good_radius(); ck.ck_secret[0] = '\0';
	refused(ck, "a login and a secret", "radius without a secret");
	ck = good_radius(); ck.ck_login[0] = '\0';
	refused(ck, "a login and a secret", "radius without a login");
	ck = good_radius(); memset(ck.ck_secret, 'a', sizeof(ck.ck_secret));
	refused(ck, "not terminated", "an unterminated secret is refused");
	ck = good_radius(); strlcpy(ck.ck_secret, "a\nb", 4);
	refused(ck, "control character", "a newline in the secret");
	ck = good_radius(); ck.ck_port = 0;
	refused(ck, "port 0", "port 0 is refused for radius");
	ck = good_radius();
	ck.ck_secret[100] = 'j';
	is_int(check_validate(&ck, &re, &has_re, why, sizeof(why)), 0,
	    "junk after the secret's NUL is accepted");
	ok(ck.ck_secret[100] == 0, "  and zeroed");
	ck = good_radius(); ck.ck_service = SERVICE_SIP; ck.ck_port = 5060;
	ck.ck_login[0] = '\0';
	accepted(ck, "sip without a login passes");
	strlcpy(ck.ck_login, "probe@example.org", sizeof(ck.ck_login));
	ck.ck_proto = PROTO_TCP;
	accepted(ck, "sip over TCP with a login passes");
	strlcpy(ck.ck_login, "a b@example.org", sizeof(ck.ck_login));
	refused(ck, "sip login", "a sip login with a space");
	strlcpy(ck.ck_login, "a>@example.org", sizeof(ck.ck_login));
	refused(ck, "sip login", "a sip login with a '>'");
}

/* checktlsverify, its CA, httpredirects: in range, for their services. */
static void
test_tls_opts(void)
{
	struct msg_check	 ck = good_http();

	ck.ck_service = SERVICE_HTTPS;
	ck.ck_tls_verify = 1;
	ck.ck_tls_ca = 1;
	ck.ck_redirects = MSG_REDIRECTS_MAX;
	accepted(ck, "https, verifying with CA 1, 5 redirects");
	ck.ck_tls_ca = MSG_CA_FILES;
	accepted(ck, "the last CA");
	ck.ck_tls_ca = MSG_CA_FILES + 1;
	refused(ck, "CA file 17 with verification 1", "a CA out of range");
	ck.ck_tls_ca = 0;
	refused(ck, "CA file 0 with verification 1", "verification, no CA");
	ck.ck_tls_verify = 0;
	ck.ck_tls_ca = 1;
	refused(ck, "CA file 1 with verification 0", "a CA, no verification");
	ck.ck_tls_verify = 2;
	refused(ck, "TLS verification 2", "verification neither 0 nor 1");
	ck = good_http();
	ck.ck_tls_verify = 1;
	ck.ck_tls_ca = 1;
	refused(ck, "TLS verification 1 for a check without TLS",
	    "verification of plain http");
	ck = good_http();
	ck.ck_redirects = MSG_REDIRECTS_MAX + 1;
	refused(ck, "6 redirects", "redirects past the limit");
	ck = good_connect();
	ck.ck_redirects = 1;
	refused(ck, "1 redirects for a check that is not http",
	    "redirects for a connect check");
	ck = good_http();
	ck.ck_pad2 = 1;
	refused(ck, "padding is not zero", "ck_pad2 not zero");
	ck = good_http();
	ck.ck_type = CHECK_NEGOTIATE;
	ck.ck_service = SERVICE_POPS;
	ck.ck_request[0] = ck.ck_receive[0] = '\0';
	ck.ck_tls_verify = 1;
	ck.ck_tls_ca = 3;
	accepted(ck, "pops, verifying");
	ck.ck_redirects = 1;
	refused(ck, "1 redirects for a check that is not http",
	    "redirects for pops");
}

/* ping, checktype N and rise (the engine's checks). */
static void
test_engine(void)
{
	struct msg_check	 ck;
	const char		*why;
	int			 up;

	ck = good_connect();
	ck.ck_type = CHECK_PING;
	ck.ck_port = 0;
	accepted(ck, "ping: no port needed");
	ok(!check_negotiates(&ck), "  and it does not negotiate");
	ck = good_http();
	ck.ck_type = CHECK_COMBINED;
	ck.ck_combined = 3;
	accepted(ck, "checktype 3 with http");
	ok(check_negotiates(&ck), "  negotiates");
	ck.ck_combined = 0;
	refused(ck, "checktype N with N = 0", "checktype N needs its N");
	ck = good_connect();
	ck.ck_combined = 2;
	refused(ck, "checktype N with N = 2", "only checktype N has one");
	ck = good_http();
	ck.ck_type = CHECK_COMBINED;
	ck.ck_combined = 2000000;
	refused(ck, "checktype N above", "an N past any use");
	ck = good_connect();
	ck.ck_type = CHECK_COMBINED;
	ck.ck_combined = 2;
	refused(ck, "unknown service 0", "checktype N without a service");
	ck.ck_service = SERVICE_NONE;
	accepted(ck, "checktype N with service none");
	is_int(check_static_verdict(&ck, &up, &why), 0,
	    "  is no static verdict: its connect rounds probe");
	ck = good_connect();
	ck.ck_rise = 5;
	accepted(ck, "rise 5");
	ck.ck_rise = 5000;
	refused(ck, "rise 5000 above", "rise past any use");
}

/* mysql and pgsql: a login and a query, over TCP; database canonical. */
static void
test_sql(void)
{
	struct msg_check	 ck;
	uint8_t			 svc[] = { SERVICE_MYSQL, SERVICE_PGSQL };
	size_t			 i;

	for (i = 0; i < sizeof(svc); i++) {
		ck = good_line(svc[i]);
		strlcpy(ck.ck_login, "lvs", sizeof(ck.ck_login));
		strlcpy(ck.ck_request, "SELECT x FROM t WHERE y = 'a b'",
		    sizeof(ck.ck_request));
		strlcpy(ck.ck_database, "probe", sizeof(ck.ck_database));
		accepted(ck, "an SQL check with a query of spaces and quotes "
		    "passes");
		ok(check_is_sql(&ck) && !check_line_handles(&ck),
		    "  and is one for check_sql.c");
		ck.ck_login[0] = '\0';
		refused(ck, "needs a login", "an SQL check without a login is "
		    "refused");
		strlcpy(ck.ck_login, "lvs", sizeof(ck.ck_login));
		ck.ck_request[0] = '\0';
		refused(ck, "needs a request", "one without a query is refused");
		strlcpy(ck.ck_request, "SELECT 1;\nDROP TABLE t",
		    sizeof(ck.ck_request));
		refused(ck, "control character", "a query with a newline is "
		    "refused");
		strlcpy(ck.ck_request, "SELECT 1", sizeof(ck.ck_request));
		strlcpy(ck.ck_database, "a\tb", sizeof(ck.ck_database));
		refused(ck, "control character", "a database with a tab is "
		    "refused");
		memset(ck.ck_database, 'x', sizeof(ck.ck_database));
		refused(ck, "not terminated", "a database without its NUL is "
		    "refused");
		strlcpy(ck.ck_database, "probe", sizeof(ck.ck_database));
		ck.ck_proto = PROTO_UDP;
		refused(ck, "tcp only", "an SQL check over UDP is refused");
	}
}

/* https, http_proxy, pops and imaps. */
static void
test_tls(void)
{
	struct msg_check	 ck;

	ck = good_http();
	ck.ck_service = SERVICE_HTTPS;
	accepted(ck, "an https check with a virtualhost passes");
	ok(!check_line_handles(&ck), "  and is not for the line engine");
	ck.ck_method = 0;
	refused(ck, "http method", "https needs a method");
	ck = good_http();
	ck.ck_service = SERVICE_HTTP_PROXY;
	strlcpy(ck.ck_request, "http://www.example.org:8080/p?q=1",
	    sizeof(ck.ck_request));
	accepted(ck, "http_proxy takes a full http:// URL");
	strlcpy(ck.ck_request, "/local", sizeof(ck.ck_request));
	accepted(ck, "  or a path");
	strlcpy(ck.ck_request, "https://www.example.org/",
	    sizeof(ck.ck_request));
	refused(ck, "or a URL starting with http://", "  not an https:// one");
	strlcpy(ck.ck_request, "http://", sizeof(ck.ck_request));
	refused(ck, "not a path", "  nor a URL without a host");
	strlcpy(ck.ck_request, "http://a b/", sizeof(ck.ck_request));
	refused(ck, "not a path", "  nor one with a blank");
	ck = good_http();
	strlcpy(ck.ck_request, "http://www.example.org/",
	    sizeof(ck.ck_request));
	refused(ck, "not a path starting with /", "http takes no URL");
	ck = good_line(SERVICE_POPS);
	strlcpy(ck.ck_login, "probe", sizeof(ck.ck_login));
	accepted(ck, "a pops check passes");
	ok(check_line_handles(&ck), "  and is one for the line engine");
	ck = good_line(SERVICE_IMAPS);
	ck.ck_proto = PROTO_UDP;
	refused(ck, "tcp only", "imaps over udp is refused");
	ck = good_line(SERVICE_LDAPS);
	strlcpy(ck.ck_request, "/ou=Health Check,dc=example,dc=org",
	    sizeof(ck.ck_request));
	strlcpy(ck.ck_login, "cn=probe, dc=example,dc=org",
	    sizeof(ck.ck_login));
	accepted(ck, "an ldaps check, DNs with spaces, passes");
	ok(check_line_handles(&ck), "  and is one for the line engine");
	strlcpy(ck.ck_request, "/dc=x\r\n", sizeof(ck.ck_request));
	refused(ck, "control character", "an ldaps DN with CR LF is refused");
	ck = good_line(SERVICE_LDAPS);
	ck.ck_proto = PROTO_UDP;
	refused(ck, "tcp only", "ldaps over udp is refused");
}

int
main(void)
{
	test_good();
	test_engine();
	test_tls_opts();
	test_enums();
	test_numbers();
	test_strings();
	test_canonical();
	test_static();
	test_lines();
	test_tls();
	test_receive();
	test_exchange();
	test_sql();
	return tap_done();
}

/*
 * Addresses and ports as ldirectord.cf writes them: dotted IPv4, host
 * names, [IPv6] in brackets, port numbers and /etc/services names.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "conf_priv.h"

/* Longest host name DNS allows, plus room to say it is too long. */
#define CONF_HOSTLEN	256

static int
conf_is_dotted(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s) && *s != '.')
			return 0;
	return 1;
}

static int
conf_is_hostname(const char *s)
{
	int	 alpha = 0;

	for (; *s != '\0'; s++) {
		if (isalpha((unsigned char)*s))
			alpha = 1;
		else if (!isdigit((unsigned char)*s) && strchr(".-_", *s) ==
		    NULL)
			return 0;
	}
	return alpha;
}

static int
conf_resolve(struct conf_ctx *x, const char *s, unsigned int col, int af,
    struct addr *a)
{
	struct addrinfo	 hints, *res;
	int		 rc;

	if (x->x_flags & CONF_NORESOLVE) {
		conf_error(x, col, "host name '%s' not resolved (names are "
		    "not looked up here)", conf_quote(x, s));
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = af;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(s, NULL, &hints, &res)) != 0) {
		conf_error(x, col, "cannot resolve host '%s'%s: %s",
		    conf_quote(x, s), af == AF_INET ? " as IPv4" :
		    af == AF_INET6 ? " as IPv6" : "", gai_strerror(rc));
		return -1;
	}
	if (res->ai_family == AF_INET)
		addr_from_raw(a, AF_INET,
		    &((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr);
	else
		addr_from_raw(a, AF_INET6,
		    &((struct sockaddr_in6 *)(void *)res->ai_addr)->sin6_addr);
	freeaddrinfo(res);
	return 0;
}

/*
 * A host without brackets or port: dotted IPv4, or a name resolved once,
 * now, in family af (the first address, as ldirectord does).
 */
int
conf_host(struct conf_ctx *x, const char *s, unsigned int col, int af,
    struct addr *a)
{
	if (*s == '\0') {
		conf_error(x, col, "missing address in '%s'", x->x_dname);
		return -1;
	}
	if (conf_is_dotted(s)) {
		if (addr_parse(s, AF_INET, a) == -1) {
			conf_error(x, col, "invalid IPv4 address '%s'",
			    conf_quote(x, s));
			return -1;
		}
		if (af == AF_INET6) {
			conf_error(x, col, "'%s' is an IPv4 address; %s takes "
			    "an IPv6 address in brackets", conf_quote(x, s),
			    x->x_dname);
			return -1;
		}
		return 0;
	}
	if (strchr(s, ':') != NULL) {
		conf_error(x, col, "write an IPv6 address in brackets, as in "
		    "[2001:db8::1]:80 (got '%s')", conf_quote(x, s));
		return -1;
	}
	if (!conf_is_hostname(s) || strlen(s) >= CONF_HOSTLEN) {
		conf_error(x, col, "invalid address '%s'", conf_quote(x, s));
		return -1;
	}
	return conf_resolve(x, s, col, af, a);
}

/* A port: a number from 1 to 65535, or a name from /etc/services. */
int
conf_port(struct conf_ctx *x, const char *s, unsigned int col,
    uint16_t *port)
{
	struct servent		*se;
	unsigned long long	 v;

	if (*s == '\0') {
		conf_error(x, col, "missing port after ':'");
		return -1;
	}
	if (conf_is_digits(s)) {
		if (conf_uint(x, s, col, "port", 1, 65535, &v) == -1)
			return -1;
		*port = v;
		return 0;
	}
	if (!conf_is_hostname(s) || strchr(s, '.') != NULL) {
		conf_error(x, col, "invalid port '%s'", conf_quote(x, s));
		return -1;
	}
	if ((se = getservbyname(s, NULL)) == NULL) {
		conf_error(x, col, "unknown port name '%s' (not in "
		    "/etc/services)", conf_quote(x, s));
		return -1;
	}
	*port = ntohs(se->s_port);
	return 0;
}

static int
conf_bracketed(struct conf_ctx *x, const struct conf_tok *t, int af,
    struct addr *a, uint16_t *port)
{
	char		 host[CONF_HOSTLEN];
	const char	*s = t->t_text, *end;
	size_t		 len;

	if ((end = strchr(s, ']')) == NULL) {
		conf_error(x, t->t_col, "missing ']' in '%s'",
		    conf_quote(x, s));
		return -1;
	}
	len = end - s - 1;
	if (len >= sizeof(host)) {
		conf_error(x, t->t_col, "invalid IPv6 address '%s'",
		    conf_quote(x, s));
		return -1;
	}
	memcpy(host, s + 1, len);
	host[len] = '\0';
	if (addr_parse(host, AF_INET6, a) == -1) {
		conf_error(x, t->t_col, "invalid IPv6 address '%s'",
		    conf_quote(x, host));
		return -1;
	}
	if (af == AF_INET) {
		conf_error(x, t->t_col, "'%s' is an IPv6 address; use %s6= "
		    "for it", conf_quote(x, s), x->x_dname);
		return -1;
	}
	if (end[1] == ':')
		return conf_port(x, end + 2, t->t_col + (end + 2 - s), port);
	if (end[1] != '\0') {
		conf_error(x, t->t_col + (end + 1 - s), "unexpected '%s' "
		    "after ']'", conf_quote(x, end + 1));
		return -1;
	}
	return 0;
}

/*
 * HOST[:PORT] or [IPV6][:PORT] in family af.  *port is left alone when
 * the text has no port, so the caller sets its default first.
 */
int
conf_hostport(struct conf_ctx *x, const struct conf_tok *t, int af,
    struct addr *a, uint16_t *port)
{
	char		 host[CONF_HOSTLEN];
	const char	*s = t->t_text, *colon;
	size_t		 len;

	if (s[0] == '[')
		return conf_bracketed(x, t, af, a, port);
	colon = strchr(s, ':');
	if (colon != NULL && strchr(colon + 1, ':') != NULL) {
		conf_error(x, t->t_col, "write an IPv6 address in brackets, as "
		    "in [2001:db8::1]:80 (got '%s')", conf_quote(x, s));
		return -1;
	}
	len = colon != NULL ? (size_t)(colon - s) : strlen(s);
	if (len >= sizeof(host)) {
		conf_error(x, t->t_col, "invalid address '%s'",
		    conf_quote(x, s));
		return -1;
	}
	memcpy(host, s, len);
	host[len] = '\0';
	if (conf_host(x, host, t->t_col, af, a) == -1)
		return -1;
	if (colon != NULL)
		return conf_port(x, colon + 1, t->t_col + len + 1, port);
	return 0;
}

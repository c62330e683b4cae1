/*
 * Address helpers shared by the three processes.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

/* Parse a numeric address of family af (AF_UNSPEC: either). */
int
addr_parse(const char *s, int af, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if ((af == AF_INET || af == AF_UNSPEC) &&
	    inet_pton(AF_INET, s, &a->a_u.v4) == 1) {
		a->a_af = AF_INET;
		return 0;
	}
	if ((af == AF_INET6 || af == AF_UNSPEC) &&
	    inet_pton(AF_INET6, s, &a->a_u.v6) == 1) {
		a->a_af = AF_INET6;
		return 0;
	}
	return -1;
}

const char *
addr_ntop(const struct addr *a, char *buf, size_t len)
{
	if (!addr_valid(a) ||
	    inet_ntop(a->a_af, a->a_u.raw, buf, len) == NULL)
		strlcpy(buf, "?", len);
	return buf;
}

/* "192.0.2.1:80" or "[2001:db8::1]:80", as ipvsadm prints them. */
const char *
addr_port_ntop(const struct addr *a, uint16_t port, char *buf, size_t len)
{
	char	 host[INET6_ADDRSTRLEN];

	addr_ntop(a, host, sizeof(host));
	if (a->a_af == AF_INET6)
		snprintf(buf, len, "[%s]:%u", host, port);
	else
		snprintf(buf, len, "%s:%u", host, port);
	return buf;
}

/* An order of addresses: by family, then the address's bytes. */
int
addr_cmp(const struct addr *a, const struct addr *b)
{
	size_t	 n;

	if (a->a_af != b->a_af)
		return a->a_af < b->a_af ? -1 : 1;
	n = a->a_af == AF_INET ? sizeof(a->a_u.v4) : sizeof(a->a_u.v6);
	return memcmp(a->a_u.raw, b->a_u.raw, n);
}

int
addr_eq(const struct addr *a, const struct addr *b)
{
	return addr_cmp(a, b) == 0;
}

int
addr_valid(const struct addr *a)
{
	return a->a_af == AF_INET || a->a_af == AF_INET6;
}

socklen_t
addr_to_sockaddr(const struct addr *a, uint16_t port,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->a_af == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = a->a_u.v4;
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	sin6->sin6_addr = a->a_u.v6;
	return sizeof(*sin6);
}

/* Fill from a raw in_addr/in6_addr of family af. */
void
addr_from_raw(struct addr *a, int af, const void *raw)
{
	memset(a, 0, sizeof(*a));
	a->a_af = af;
	memcpy(a->a_u.raw, raw, af == AF_INET ? 4 : 16);
}

/*
 * Addresses as lvsd carries them: a family and 16 bytes, so that one
 * fixed-size field fits both IPv4 and IPv6 in every wire message.
 */
#ifndef LVSD_ADDR_H
#define LVSD_ADDR_H

#include <sys/socket.h>

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

/* "[" + INET6_ADDRSTRLEN + "]:" + 5 digits, rounded up */
#define ADDR_STRLEN	64

struct addr {
	uint8_t		 a_af;		/* AF_INET or AF_INET6 */
	uint8_t		 a_pad[3];
	union {
		struct in_addr	 v4;
		struct in6_addr	 v6;
		uint8_t		 raw[16];
	} a_u;
};

int		 addr_parse(const char *, int, struct addr *);
const char	*addr_ntop(const struct addr *, char *, size_t);
const char	*addr_port_ntop(const struct addr *, uint16_t, char *, size_t);
int		 addr_cmp(const struct addr *, const struct addr *);
int		 addr_eq(const struct addr *, const struct addr *);
int		 addr_valid(const struct addr *);
socklen_t	 addr_to_sockaddr(const struct addr *, uint16_t,
		    struct sockaddr_storage *);
void		 addr_from_raw(struct addr *, int, const void *);

#endif /* LVSD_ADDR_H */

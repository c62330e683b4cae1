/*
 * Fuzz target: the checker's reading of what its raw ICMP sockets
 * deliver (checker/icmp_wire.c), which anyone who can send this host a
 * packet chooses.  The first byte picks the family (even: IPv4, with the
 * IP header in front; odd: ICMPv6, the message alone), the rest is the
 * packet.  Whatever the bytes, the reading must stay inside them, and an
 * accepted reply's data must lie inside them too; an accepted IPv4 reply
 * must have a good checksum.
 */
#include <sys/socket.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct icmp_echo	 echo;
	uint8_t			*copy;
	size_t			 len;
	int			 family;

	if (size == 0)
		return 0;
	family = data[0] % 2 ? AF_INET6 : AF_INET;
	len = size - 1;
	/* an exact-size copy, so that ASan sees any read past the end */
	if ((copy = malloc(len ? len : 1)) == NULL)
		abort();
	memcpy(copy, data + 1, len);
	if (icmp_echo_reply_parse(family, copy, len, &echo) == 0) {
		if (echo.ie_data < copy + ICMP_ECHO_HDR ||
		    echo.ie_data + echo.ie_datalen > copy + len)
			abort();
		if (family == AF_INET && icmp_cksum(echo.ie_data -
		    ICMP_ECHO_HDR, echo.ie_datalen + ICMP_ECHO_HDR) != 0)
			abort();
	}
	free(copy);
	return 0;
}

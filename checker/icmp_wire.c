/*
 * ICMP echo on the wire (RFC 792, RFC 4443), kept apart from the
 * sockets so that it can be tested and fuzzed alone.  Requests are built
 * here; replies are read from bytes anyone on the network may have sent,
 * so every length is checked before it is used.
 *
 * An IPv4 raw socket delivers the IP header in front of the message, and
 * the kernel has not checked the ICMP checksum: both are checked here.
 * An ICMPv6 raw socket delivers the message alone, its checksum checked
 * by the kernel (which also computes it on the way out).
 */
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "checker.h"

#define ICMP4_ECHO_REQUEST	8
#define ICMP4_ECHO_REPLY	0
#define ICMP6_ECHO_REQUEST	128
#define ICMP6_ECHO_REPLY	129
#define IP4_HDR_MIN		20
#define IP4_PROTO_ICMP		1

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* The Internet checksum of len bytes (RFC 1071), in host order. */
uint16_t
icmp_cksum(const uint8_t *p, size_t len)
{
	uint32_t	 sum = 0;
	size_t		 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * An echo request for family with id, seq and data into buf; its length,
 * or 0 if buf is too small.
 */
size_t
icmp_echo_build(uint8_t *buf, size_t size, int family, uint16_t id,
    uint16_t seq, const uint8_t *data, size_t datalen)
{
	size_t	 len = ICMP_ECHO_HDR + datalen;

	if (size < len)
		return 0;
	buf[0] = family == AF_INET ? ICMP4_ECHO_REQUEST : ICMP6_ECHO_REQUEST;
	buf[1] = 0;
	put16(buf + 2, 0);
	put16(buf + 4, id);
	put16(buf + 6, seq);
	memcpy(buf + ICMP_ECHO_HDR, data, datalen);
	if (family == AF_INET)
		put16(buf + 2, icmp_cksum(buf, len));
	return len;
}

/*
 * The ICMP message inside an IPv4 packet of len bytes: *msglen bytes at
 * the returned pointer, or NULL if the packet is not a whole ICMP one.
 */
static const uint8_t *
icmp_strip_ip4(const uint8_t *p, size_t len, size_t *msglen)
{
	size_t	 hlen, total;

	if (len < IP4_HDR_MIN || p[0] >> 4 != 4 || p[9] != IP4_PROTO_ICMP)
		return NULL;
	hlen = (size_t)(p[0] & 0x0f) * 4;
	total = get16(p + 2);
	if (hlen < IP4_HDR_MIN || total < hlen || total > len)
		return NULL;
	*msglen = total - hlen;
	return p + hlen;
}

/*
 * Read an echo reply of family from what its raw socket delivered.  0
 * and *echo filled if it is a well-formed one (echo->ie_data points into
 * p), else -1.  Who sent it and whether it answers a request of ours is
 * for the caller to decide.
 */
int
icmp_echo_reply_parse(int family, const uint8_t *p, size_t len,
    struct icmp_echo *echo)
{
	const uint8_t	*m = p;
	size_t		 mlen = len;

	if (family == AF_INET) {
		if ((m = icmp_strip_ip4(p, len, &mlen)) == NULL)
			return -1;
		if (mlen < ICMP_ECHO_HDR || m[0] != ICMP4_ECHO_REPLY ||
		    m[1] != 0 || icmp_cksum(m, mlen) != 0)
			return -1;
	} else if (family == AF_INET6) {
		if (mlen < ICMP_ECHO_HDR || m[0] != ICMP6_ECHO_REPLY ||
		    m[1] != 0)
			return -1;
	} else
		return -1;
	echo->ie_id = get16(m + 4);
	echo->ie_seq = get16(m + 6);
	echo->ie_data = m + ICMP_ECHO_HDR;
	echo->ie_datalen = mlen - ICMP_ECHO_HDR;
	return 0;
}

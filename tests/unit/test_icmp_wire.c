/*
 * ICMP echo on the wire (checker/icmp_wire.c): the requests the checker
 * sends, and the replies it accepts from its raw sockets, and those it
 * refuses (anything but a whole, well-formed echo reply).
 */
#include <sys/socket.h>

#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "checker.h"

static const uint8_t	 data[PING_DATA_LEN] = "0123456789abcdef";

/* An IPv4 packet of ihl words around msg; its length. */
static size_t
ip4(uint8_t *buf, const uint8_t *msg, size_t len, unsigned int ihl)
{
	size_t	 total = ihl * 4 + len;

	memset(buf, 0, ihl * 4);
	buf[0] = 0x40 | ihl;
	buf[2] = total >> 8;
	buf[3] = total & 0xff;
	buf[8] = 64;
	buf[9] = 1;
	memcpy(buf + ihl * 4, msg, len);
	return total;
}

/* The reply a real makes of a request: type changed, checksum redone. */
static void
make_reply(uint8_t *m, size_t len, int family)
{
	m[0] = family == AF_INET ? 0 : 129;
	m[2] = m[3] = 0;
	if (family == AF_INET) {
		uint16_t c = icmp_cksum(m, len);

		m[2] = c >> 8;
		m[3] = c & 0xff;
	}
}

static void
test_v4(void)
{
	uint8_t			 m[64], pkt[128];
	struct icmp_echo	 e;
	size_t			 len, n;

	len = icmp_echo_build(m, sizeof(m), AF_INET, 0xbeef, 7, data,
	    sizeof(data));
	is_int(len, ICMP_ECHO_HDR + PING_DATA_LEN, "v4 request: its length");
	ok(m[0] == 8 && m[1] == 0, "  type 8, code 0");
	is_int(icmp_cksum(m, len), 0, "  a valid checksum");
	is_int(icmp_echo_build(m, 10, AF_INET, 1, 1, data, sizeof(data)), 0,
	    "a buffer too small: nothing built");

	len = icmp_echo_build(m, sizeof(m), AF_INET, 0xbeef, 7, data,
	    sizeof(data));
	n = ip4(pkt, m, len, 5);
	is_int(icmp_echo_reply_parse(AF_INET, pkt, n, &e), -1,
	    "our own request is no reply");
	make_reply(m, len, AF_INET);
	n = ip4(pkt, m, len, 5);
	is_int(icmp_echo_reply_parse(AF_INET, pkt, n, &e), 0, "a v4 reply");
	ok(e.ie_id == 0xbeef && e.ie_seq == 7, "  its id and sequence");
	ok(e.ie_datalen == sizeof(data) &&
	    memcmp(e.ie_data, data, sizeof(data)) == 0, "  its data");
	n = ip4(pkt, m, len, 7);
	is_int(icmp_echo_reply_parse(AF_INET, pkt, n, &e), 0,
	    "behind an IP header with options");
	is_int(icmp_echo_reply_parse(AF_INET, pkt, n - 1, &e), -1,
	    "a packet shorter than its IP total length");
	n = ip4(pkt, m, len, 5);
	pkt[20 + 9] ^= 1;
	is_int(icmp_echo_reply_parse(AF_INET, pkt, n, &e), -1,
	    "a bad checksum");
	n = ip4(pkt, m, 6, 5);
	is_int(icmp_echo_reply_parse(AF_INET, pkt, n, &e), -1,
	    "an ICMP message shorter than its header");
	n = ip4(pkt, m, len, 4);
	is_int(icmp_echo_reply_parse(AF_INET, pkt, n, &e), -1,
	    "an IP header length below 5 words");
	n = ip4(pkt, m, len, 5);
	pkt[9] = 17;
	is_int(icmp_echo_reply_parse(AF_INET, pkt, n, &e), -1,
	    "not ICMP");
	is_int(icmp_echo_reply_parse(AF_INET, pkt, 3, &e), -1,
	    "three bytes");
}

static void
test_v6(void)
{
	uint8_t			 m[64];
	struct icmp_echo	 e;
	size_t			 len;

	len = icmp_echo_build(m, sizeof(m), AF_INET6, 0x1234, 65535, data,
	    sizeof(data));
	ok(m[0] == 128 && m[2] == 0 && m[3] == 0,
	    "v6 request: type 128, the checksum left to the kernel");
	is_int(icmp_echo_reply_parse(AF_INET6, m, len, &e), -1,
	    "our own request is no reply");
	make_reply(m, len, AF_INET6);
	is_int(icmp_echo_reply_parse(AF_INET6, m, len, &e), 0, "a v6 reply");
	ok(e.ie_id == 0x1234 && e.ie_seq == 65535 &&
	    e.ie_datalen == sizeof(data), "  its id, sequence and data");
	is_int(icmp_echo_reply_parse(AF_INET6, m, 7, &e), -1,
	    "shorter than the echo header");
	is_int(icmp_echo_reply_parse(AF_UNIX, m, len, &e), -1,
	    "another family");
}

int
main(void)
{
	test_v4();
	test_v6();
	return tap_done();
}

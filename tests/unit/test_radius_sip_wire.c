/*
 * The packets of services radius and sip (checker/radius_wire.c,
 * checker/sip_wire.c): the password hiding and the Response
 * Authenticator against the example of RFC 2865 7.1, the
 * Message-Authenticator both ways, and the reading of replies that are
 * good, refused, forged, truncated, someone else's or no reply at all.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "checker.h"
#include "md5.h"

/* RFC 2865 7.1: user nemo, password arctangent, secret xyzzy5461 */
static const uint8_t rfc_auth[16] = {
	0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57,
	0xbd, 0x83, 0xd5, 0xcb, 0x98, 0xf4, 0x22, 0x7a
};
static const uint8_t rfc_hidden[16] = {
	0x0d, 0xbe, 0x70, 0x8d, 0x93, 0xd4, 0x13, 0xce,
	0x31, 0x96, 0xe4, 0x3f, 0x78, 0x2a, 0x0a, 0xee
};
static const uint8_t rfc_accept[38] = {
	0x02, 0x00, 0x00, 0x26, 0x86, 0xfe, 0x22, 0x0e,
	0x76, 0x24, 0xba, 0x2a, 0x10, 0x05, 0xf6, 0xbf,
	0x9b, 0x55, 0xe0, 0xb2, 0x06, 0x06, 0x00, 0x00,
	0x00, 0x01, 0x0f, 0x06, 0x00, 0x00, 0x00, 0x00,
	0x0e, 0x06, 0xc0, 0xa8, 0x01, 0x03
};
static const char secret[] = "xyzzy5461";

static void
test_request(void)
{
	static const uint8_t	 nas[4] = { 192, 168, 1, 16 };
	struct radius_cred	 rc = { "nemo", "arctangent", secret };
	uint8_t			 p[RADIUS_REQUEST_MAX], ma[16], copy[512];
	size_t			 n;

	n = radius_request_build(p, sizeof(p), 0, rfc_auth, &rc, nas, 4);
	is_int(n, 20 + 18 + 6 + 18 + 6, "the request is 68 bytes");
	ok(p[0] == 1 && p[1] == 0 && (p[2] << 8 | p[3]) == (int)n &&
	    memcmp(p + 4, rfc_auth, 16) == 0, "header: code 1, id, length, "
	    "the request authenticator");
	ok(p[20] == 80 && p[21] == 18, "Message-Authenticator comes first");
	ok(p[38] == 1 && p[39] == 6 && memcmp(p + 40, "nemo", 4) == 0,
	    "User-Name");
	ok(p[44] == 2 && p[45] == 18 && memcmp(p + 46, rfc_hidden, 16) == 0,
	    "User-Password hidden as in RFC 2865 7.1");
	ok(p[62] == 4 && p[63] == 6 && memcmp(p + 64, nas, 4) == 0,
	    "NAS-IP-Address");
	memcpy(copy, p, n);
	memset(copy + 22, 0, 16);
	hmac_md5(secret, strlen(secret), copy, n, ma);
	ok(memcmp(ma, p + 22, 16) == 0, "Message-Authenticator: HMAC-MD5 of "
	    "the packet with itself zeroed (RFC 3579 3.2)");
}

/* A password of 40 bytes: three blocks, each chained on the last. */
static void
test_long_password(void)
{
	struct radius_cred	 rc = { "nemo",
	    "0123456789012345678901234567890123456789", secret };
	uint8_t			 p[RADIUS_REQUEST_MAX], b[16], plain[48];
	struct md5_ctx		 ctx;
	size_t			 i, j;

	ok(radius_request_build(p, sizeof(p), 7, rfc_auth, &rc, NULL, 0) > 0,
	    "a 40-byte password fits");
	ok(p[44] == 2 && p[45] == 2 + 48, "it is hidden in 48 bytes");
	for (i = 0; i < 48; i += 16) {
		md5_init(&ctx);
		md5_update(&ctx, secret, strlen(secret));
		md5_update(&ctx, i == 0 ? rfc_auth : p + 46 + i - 16, 16);
		md5_final(&ctx, b);
		for (j = 0; j < 16; j++)
			plain[i + j] = p[46 + i + j] ^ b[j];
	}
	ok(memcmp(plain, rc.rc_passwd, 40) == 0 && plain[40] == 0 &&
	    plain[47] == 0, "it decodes back, NUL-padded");
	ok(p[94] == 32 && p[95] == 6 && memcmp(p + 96, "lvsd", 4) == 0,
	    "without an address: NAS-Identifier lvsd");
}

/* Sign a reply of len bytes to rfc_auth, Message-Authenticator at ma. */
static void
sign(uint8_t *m, size_t len, size_t ma)
{
	struct md5_ctx	 ctx;
	uint8_t		 copy[512];

	m[2] = (uint8_t)(len >> 8);
	m[3] = (uint8_t)len;
	if (ma != 0) {
		memcpy(copy, m, len);
		memcpy(copy + 4, rfc_auth, 16);
		memset(copy + ma + 2, 0, 16);
		hmac_md5(secret, strlen(secret), copy, len, m + ma + 2);
	}
	md5_init(&ctx);
	md5_update(&ctx, m, 4);
	md5_update(&ctx, rfc_auth, 16);
	md5_update(&ctx, m + 20, len - 20);
	md5_update(&ctx, secret, strlen(secret));
	md5_final(&ctx, m + 4);
}

static int
reply(const uint8_t *m, size_t n, uint8_t id, const char *s, char *why)
{
	return radius_reply_check(m, n, id, rfc_auth, s, why, 128);
}

static void
test_replies(void)
{
	uint8_t	 m[128];
	char	 why[128];

	is_int(reply(rfc_accept, sizeof(rfc_accept), 0, secret, why), WIRE_UP,
	    "RFC 2865 7.1's Access-Accept: up");
	is_str(why, "radius: Access-Accept", "  because: Access-Accept");
	is_int(reply(rfc_accept, sizeof(rfc_accept), 0, "other", why),
	    WIRE_DOWN, "another secret: down");
	like(why, "authenticator is wrong", "  because: the authenticator");
	is_int(reply(rfc_accept, sizeof(rfc_accept), 9, secret, why),
	    WIRE_SKIP, "another id: skipped");
	is_int(reply(rfc_accept, 19, 0, secret, why), WIRE_DOWN,
	    "19 bytes: down");
	is_int(reply(rfc_accept, 37, 0, secret, why), WIRE_DOWN,
	    "a length beyond the datagram: down");
	like(why, "length 38 in a datagram of 37", "  because: the length");

	/* Access-Reject, a Reply-Message with a newline in it */
	memset(m, 0, sizeof(m));
	m[0] = 3;
	memcpy(m + 20, "\x12\x0a" "no\nentry", 10);
	sign(m, 30, 0);
	is_int(reply(m, 30, 0, secret, why), WIRE_DOWN, "Access-Reject: down");
	is_str(why, "radius: Access-Reject: 'no?entry'",
	    "  because: the Reply-Message, its newline replaced");

	/* Access-Accept with a Message-Authenticator, good then forged */
	memset(m, 0, sizeof(m));
	m[0] = 2;
	m[20] = 80;
	m[21] = 18;
	sign(m, 38, 20);
	is_int(reply(m, 38, 0, secret, why), WIRE_UP,
	    "an Accept with a good Message-Authenticator: up");
	m[30] ^= 1;
	sign(m, 38, 0);
	is_int(reply(m, 38, 0, secret, why), WIRE_DOWN,
	    "a Message-Authenticator that does not hold: down");
	like(why, "Message-Authenticator is wrong", "  because: it is wrong");

	/* an attribute that runs past the end */
	memset(m, 0, sizeof(m));
	m[0] = 2;
	m[20] = 18;
	m[21] = 40;
	sign(m, 30, 0);
	is_int(reply(m, 30, 0, secret, why), WIRE_DOWN,
	    "an attribute past the packet: down");
	m[21] = 1;
	sign(m, 30, 0);
	is_int(reply(m, 30, 0, secret, why), WIRE_DOWN,
	    "an attribute of length 1: down");
	m[0] = 11;
	m[21] = 10;
	sign(m, 30, 0);
	is_int(reply(m, 30, 0, secret, why), WIRE_DOWN,
	    "Access-Challenge: down");
}

static void
test_sip_request(void)
{
	struct sip_request	 sr = { "sip:probe@example.org", "UDP",
	    "127.0.0.1:45757", "0a1b2c", "3d4e", "c5b421af7da1db06", 63104 };
	char			 buf[SIP_REQUEST_MAX];

	ok(sip_options_build(buf, sizeof(buf), &sr) > 0, "OPTIONS fits");
	is_str(buf,
	    "OPTIONS sip:probe@example.org SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 127.0.0.1:45757;branch=z9hG4bK0a1b2c;rport\r\n"
	    "Max-Forwards: 70\r\n"
	    "To: <sip:probe@example.org>\r\n"
	    "From: <sip:probe@example.org>;tag=3d4e\r\n"
	    "Call-ID: c5b421af7da1db06\r\n"
	    "CSeq: 63104 OPTIONS\r\n"
	    "Contact: <sip:probe@example.org>\r\n"
	    "Accept: application/sdp\r\n"
	    "Content-Length: 0\r\n\r\n", "the OPTIONS request, as ldirectord's");
	is_int(sip_options_build(buf, 100, &sr), 0, "too small a buffer: 0");
}

static int
sip(const char *m, size_t *used, char *why)
{
	*used = 0;
	return sip_reply_check(m, strlen(m), "abc", 7, used, why, 128);
}

#define OURS	"Call-ID: abc\r\nCSeq: 7 OPTIONS\r\n"

static void
test_sip_replies(void)
{
	const char	*two = "SIP/2.0 100 Trying\r\n" OURS
	    "Content-Length: 0\r\n\r\nSIP/2.0 200 OK\r\n" OURS "\r\n";
	char		 why[128];
	size_t		 used;

	is_int(sip("SIP/2.0 200 OK\r\n" OURS "\r\n", &used, why), WIRE_UP,
	    "200 to our request: up");
	is_str(why, "sip: 'SIP/2.0 200 OK'", "  because: the status line");
	is_int(sip(two, &used, why), WIRE_SKIP, "100 first: skipped");
	is_int(used, strstr(two + 1, "SIP/2.0") - two, "  just the 100 taken");
	is_int(sip(two + used, &used, why), WIRE_UP, "  then the 200: up");
	is_int(sip("SIP/2.0 404 Not Found\r\n" OURS "\r\n", &used, why),
	    WIRE_DOWN, "404: down");
	is_str(why, "sip: 'SIP/2.0 404 Not Found'", "  because: the 404");
	is_int(sip("SIP/2.0 202 Accepted\r\n" OURS "\r\n", &used, why),
	    WIRE_DOWN, "202: down");
	is_int(sip("SIP/2.0 200 OK\r\nCall-ID: abd\r\nCSeq: 7 OPTIONS\r\n\r\n",
	    &used, why), WIRE_SKIP, "another Call-ID: skipped");
	is_int(sip("SIP/2.0 200 OK\r\nCall-ID: abc\r\nCSeq: 8 OPTIONS\r\n\r\n",
	    &used, why), WIRE_SKIP, "another CSeq number: skipped");
	is_int(sip("SIP/2.0 200 OK\r\nCall-ID: abc\r\nCSeq: 7 INVITE\r\n\r\n",
	    &used, why), WIRE_SKIP, "another CSeq method: skipped");
	is_int(sip("SIP/2.0 200 OK\r\nCall-ID: abc\r\nCSeq: 7OPTIONS\r\n\r\n",
	    &used, why), WIRE_SKIP, "a CSeq without its blank: skipped");
	is_int(sip("\r\n\r\nsip/2.0 200 OK\r\ni:abc\r\ncseq:\t7  OPTIONS \r\n"
	    "\r\n", &used, why), WIRE_DOWN, "lower-case SIP/2.0: down");
	is_int(sip("\r\n\r\nSIP/2.0 200 OK\ni : abc\ncseq:\t7  OPTIONS \nl: 3\n"
	    "\nabc", &used, why), WIRE_UP, "keep-alives, bare LFs, compact "
	    "and lower-case names, blanks: up");
	is_int(sip("SIP/2.0 200 OK\r\n" OURS, &used, why), WIRE_PARTIAL,
	    "no empty line yet: partial");
	is_int(sip("SIP/2.0 100 Trying\r\n" OURS "l: 10\r\n\r\nabc", &used,
	    why), WIRE_PARTIAL, "a body cut short: partial");
	is_int(sip("SIP/2.0 200 OK\r\n" OURS "l: 1x\r\n\r\n", &used, why),
	    WIRE_DOWN, "a bad Content-Length: down");
	is_int(sip("SIP/2.0 200 OK\r\n" OURS "l: 99999999999999999999\r\n\r\n",
	    &used, why), WIRE_DOWN, "a huge Content-Length: down");
	is_int(sip("HTTP/1.1 200 OK\r\n\r\n", &used, why), WIRE_DOWN,
	    "HTTP: down");
	is_str(why, "sip: not a SIP response: 'HTTP/1.1 200 OK'",
	    "  because: not SIP");
	is_int(sip("HTTP", &used, why), WIRE_PARTIAL, "4 bytes: partial");
	is_int(sip("SIP/2.0 20 OK\r\n\r\n", &used, why), WIRE_DOWN,
	    "a two-digit status: down");
}

static void
test_quote(void)
{
	char	 q[64];

	wire_quote(q, sizeof(q), "a\x1b[2Jb\x7f\xff", 8);
	is_str(q, "a?[2Jb??", "control characters and high bytes quoted as ?");
	wire_quote(q, sizeof(q), "0123456789012345678901234567890123456789"
	    "0123456789", 50);
	is_int(strlen(q), WIRE_QUOTE_MAX + 3, "cut at 48 bytes, then ...");
	wire_quote(q, 4, "abcdef", 6);
	ok(strlen(q) < 4, "a small buffer stays terminated");
}

int
main(void)
{
	test_request();
	test_long_password();
	test_replies();
	test_sip_request();
	test_sip_replies();
	test_quote();
	return tap_done();
}

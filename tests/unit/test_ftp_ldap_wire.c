/*
 * The wire of services ftp and ldap: the LDAP requests are byte for byte
 * what ldirectord's Net::LDAP sends (but for the search's attribute
 * list, "1.1": no attribute), an LDAP reply is read within its bytes and
 * refused when malformed, and a passive-mode reply yields its port or
 * nothing.
 */
#include <string.h>

#include "tap.h"
#include "checker.h"

static uint8_t	 buf[2048];

static int
bytes_are(size_t n, const uint8_t *want, size_t wantlen)
{
	return n == wantlen && memcmp(buf, want, wantlen) == 0;
}

static void
test_requests(void)
{
	static const uint8_t anon[] = { 0x30, 0x0c, 0x02, 0x01, 0x03, 0x60,
	    0x07, 0x02, 0x01, 0x03, 0x04, 0x00, 0x80, 0x00 };
	static const uint8_t unbind[] = { 0x30, 0x05, 0x02, 0x01, 0x03, 0x42,
	    0x00 };
	uint8_t	 want[128];
	char	 base[301];
	size_t	 n;

	n = ldap_bind_request(buf, sizeof(buf), 3, "", "");
	ok(bytes_are(n, anon, sizeof(anon)), "anonymous bind as ldirectord's");

	memcpy(want, "\x30\x30\x02\x01\x01\x60\x2b\x02\x01\x03\x04\x1c"
	    "cn=monitor,dc=example,dc=org\x80\x08ldappass", 50);
	n = ldap_bind_request(buf, sizeof(buf), 1,
	    "cn=monitor,dc=example,dc=org", "ldappass");
	ok(bytes_are(n, want, 50), "simple bind as ldirectord's");

	memcpy(want, "\x30\x3b\x02\x01\x02\x63\x36\x04\x11"
	    "dc=example,dc=org\x0a\x01\x00\x0a\x01\x02\x02\x01\x00"
	    "\x02\x01\x00\x01\x01\x00\x87\x0bobjectClass"
	    "\x30\x05\x04\x03\x31\x2e\x31", 61);
	n = ldap_search_request(buf, sizeof(buf), 2, "dc=example,dc=org");
	ok(bytes_are(n, want, 61), "base search as ldirectord's, attrs 1.1");

	n = ldap_unbind_request(buf, sizeof(buf), 3);
	ok(bytes_are(n, unbind, sizeof(unbind)), "unbind");

	memset(base, 'a', 300);
	base[300] = '\0';
	n = ldap_search_request(buf, sizeof(buf), 2, base);
	is_int(n, 4 + 3 + 4 + 4 + 300 + 15 + 13 + 7, "a 300-byte base: "
	    "two-byte lengths");
	ok(buf[1] == 0x82 && buf[8] == 0x82 && buf[12] == 0x82 &&
	    buf[13] == 0x01 && buf[14] == 0x2c, "  in the long form");
	is_int(ldap_frame(buf, n, sizeof(buf)), n, "  which ldap_frame cuts");
	is_int(ldap_search_request(buf, 40, 2, base), 0, "too small a buffer: 0");
	is_int(ldap_bind_request(buf, 13, 3, "", ""), 0, "  one byte short: 0");
}

static void
test_frame(void)
{
	static const uint8_t ok_bind[] = { 0x30, 0x0c, 0x02, 0x01, 0x01, 0x61,
	    0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00 };

	is_int(ldap_frame(ok_bind, 0, 2047), 0, "no byte: more");
	is_int(ldap_frame(ok_bind, 1, 2047), 0, "one byte: more");
	is_int(ldap_frame(ok_bind, 13, 2047), 0, "one byte short: more");
	is_int(ldap_frame(ok_bind, 14, 2047), 14, "whole: its length");
	is_int(ldap_frame(ok_bind, 14, 13), -1, "longer than max: -1");
	is_int(ldap_frame((const uint8_t *)"\x31\x00", 2, 2047), -1,
	    "not a SEQUENCE: -1");
	is_int(ldap_frame((const uint8_t *)"\x30\x80\x00\x00", 4, 2047), -1,
	    "indefinite length: -1");
	is_int(ldap_frame((const uint8_t *)"\x30\x85\x00\x00\x00\x00\x01", 7,
	    2047), -1, "a five-byte length: -1");
	is_int(ldap_frame((const uint8_t *)"\x30\x82\x01", 3, 2047), 0,
	    "a length cut short: more");
	is_int(ldap_frame((const uint8_t *)"\x30\x84\x7f\xff\xff\xff", 6,
	    2047), -1, "2 GiB: -1");
}

static void
test_replies(void)
{
	struct ldap_reply	 r;

	ok(ldap_reply_parse((const uint8_t *)"\x30\x0c\x02\x01\x01\x61\x07"
	    "\x0a\x01\x00\x04\x00\x04\x00", 14, &r) == 0 && r.lr_id == 1 &&
	    r.lr_op == LDAP_OP_BIND_RESPONSE && r.lr_code == 0,
	    "a bind response, success");
	ok(ldap_reply_parse((const uint8_t *)"\x30\x0f\x02\x01\x01\x61\x0a"
	    "\x0a\x01\x31\x04\x00\x04\x03" "bad", 17, &r) == 0 &&
	    r.lr_code == 49 && r.lr_diaglen == 3 &&
	    memcmp(r.lr_diag, "bad", 3) == 0,
	    "invalidCredentials and its diagnostic message");
	ok(ldap_reply_parse((const uint8_t *)"\x30\x0e\x02\x01\x02\x64\x09"
	    "\x04\x05" "dc=ex" "\x30\x00", 16, &r) == 0 &&
	    r.lr_op == LDAP_OP_SEARCH_ENTRY && r.lr_dnlen == 5 &&
	    memcmp(r.lr_dn, "dc=ex", 5) == 0, "an entry and its DN");
	ok(ldap_reply_parse((const uint8_t *)"\x30\x05\x02\x01\x02\x73\x00",
	    7, &r) == 0 && r.lr_op == LDAP_OP_SEARCH_REF,
	    "a reference is only named");
	is_int(ldap_reply_parse((const uint8_t *)"\x30\x0c\x02\x01\x01\x61"
	    "\x07\x0a\x01\x00\x04\x00\x04\x00\x00", 15, &r), -1,
	    "a byte after the message");
	is_int(ldap_reply_parse((const uint8_t *)"\x30\x0c\x02\x01\x81\x61"
	    "\x07\x0a\x01\x00\x04\x00\x04\x00", 14, &r), -1, "a negative id");
	is_int(ldap_reply_parse((const uint8_t *)"\x30\x0a\x02\x01\x01\x61"
	    "\x05\x0a\x01\x00\x04\x00", 12, &r), -1,
	    "a result without its diagnostic message");
	is_int(ldap_reply_parse((const uint8_t *)"\x30\x0c\x02\x01\x01\x61"
	    "\x07\x0a\x01\x00\x04\x09\x04\x00", 14, &r), -1,
	    "an inner length past the end");
	is_int(ldap_reply_parse((const uint8_t *)"\x30\x05\x02\x01\x01\x9f"
	    "\x00", 7, &r), -1, "a high tag number");
	is_int(ldap_reply_parse((const uint8_t *)"\x30\x05\x02\x01\x01\x04"
	    "\x00", 7, &r), -1, "an op that is not [APPLICATION n]");
	is_int(ldap_reply_parse((const uint8_t *)"\x30\x09\x02\x05\x00\x80"
	    "\x00\x00\x00\x42\x00", 11, &r), -1, "an id of 2^31");
}

static void
test_passive(void)
{
	is_int(ftp_passive_port("227 Entering Passive Mode "
	    "(127,0,0,1,195,80)."), 50000, "PASV: the port");
	is_int(ftp_passive_port("227 =127,0,0,1,4,1"), 1025,
	    "PASV without parentheses");
	is_int(ftp_passive_port("229 Entering Extended Passive Mode "
	    "(|||6446|)"), 6446, "EPSV: the port");
	is_int(ftp_passive_port("229 (!!!1!)"), 1, "EPSV, another delimiter");
	is_int(ftp_passive_port("227 (1,2,3)"), -1, "PASV, three numbers");
	is_int(ftp_passive_port("227 (256,0,0,1,1,1)"), -1, "PASV, 256");
	is_int(ftp_passive_port("227 (1,2,3,4,0,0)"), -1, "PASV, port 0");
	is_int(ftp_passive_port("227 (1,2,3,4,5,1234)"), -1,
	    "PASV, four digits");
	is_int(ftp_passive_port("227 (1,2,3,4,5,"), -1, "PASV cut short");
	is_int(ftp_passive_port("229 (|||70000|)"), -1, "EPSV, 70000");
	is_int(ftp_passive_port("229 (||1|)"), -1, "EPSV, two delimiters");
	is_int(ftp_passive_port("229 (|||123456|)"), -1, "EPSV, six digits");
	is_int(ftp_passive_port("229 (|||12"), -1, "EPSV cut short");
	is_int(ftp_passive_port("230 (1,2,3,4,5,6)"), -1, "not 227 or 229");
}

int
main(void)
{
	test_requests();
	test_frame();
	test_replies();
	test_passive();
	return tap_done();
}

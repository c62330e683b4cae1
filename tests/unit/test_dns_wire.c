/*
 * The DNS messages of service dns (checker/dns_wire.c): the query is
 * byte for byte what ldirectord's resolver sends, and an answer is read
 * safely whatever its bytes: wrong ids, error codes, truncation, bad
 * lengths and compression loops are a down verdict with a reason.
 */
#include <regex.h>
#include <string.h>

#include "tap.h"
#include "checker.h"

static const uint8_t query_www[] = {
	0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r',
	'g', 0, 0x00, 0x01, 0x00, 0x01
};

/* An answer to query_www: the question, then n records built by add_rr. */
static uint8_t	 ans[1024];
static size_t	 anslen;

static void
answer_begin(uint8_t flags2, uint8_t rcode)
{
	memcpy(ans, query_www, sizeof(query_www));
	ans[2] = 0x81 | flags2;		/* QR, RD (and TC if asked) */
	ans[3] = 0x80 | rcode;		/* RA */
	anslen = sizeof(query_www);
}

/* A record whose owner is a pointer to the question's name. */
static void
add_rr(uint16_t type, const void *rdata, uint16_t rdlen)
{
	uint8_t	*p = ans + anslen;

	p[0] = 0xc0;
	p[1] = 12;
	p[2] = type >> 8;
	p[3] = type & 0xff;
	p[4] = 0;
	p[5] = 1;			/* IN */
	memset(p + 6, 0, 4);		/* TTL */
	p[10] = rdlen >> 8;
	p[11] = rdlen & 0xff;
	memcpy(p + 12, rdata, rdlen);
	anslen += 12 + rdlen;
	ans[7]++;			/* ANCOUNT */
}

static int
check(uint16_t qtype, const char *receive, char *why, size_t len)
{
	regex_t	 re;
	int	 r;

	if (receive == NULL)
		return dns_answer_check(ans, anslen, 0x1234, qtype, NULL, why,
		    len);
	regcomp(&re, receive, REG_EXTENDED | REG_NOSUB);
	r = dns_answer_check(ans, anslen, 0x1234, qtype, &re, why, len);
	regfree(&re);
	return r;
}

static void
test_query(void)
{
	uint8_t	 buf[DNS_QUERY_MAX];
	char	 name[64];
	size_t	 n;

	n = dns_query_build(buf, sizeof(buf), 0x1234, "www.example.org",
	    DNS_T_A);
	ok(n == sizeof(query_www) && memcmp(buf, query_www, n) == 0,
	    "the A query is ldirectord's, byte for byte");
	is_int(dns_query_build(buf, sizeof(buf), 1, "www.example.org.", 1),
	    (long long)sizeof(query_www), "a trailing dot changes nothing");
	is_int(dns_query_build(buf, sizeof(buf), 1, "a..b", 1), 0,
	    "an empty label is refused");
	is_int(dns_query_build(buf, sizeof(buf), 1,
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.org",
	    1), 0, "a label over 63 bytes is refused");
	is_int(dns_query_build(buf, 20, 1, "www.example.org", 1), 0,
	    "a buffer too small is refused");
	is_int(dns_ptr_name("192.0.2.7", name, sizeof(name)), 0,
	    "an IPv4 address asks for its PTR");
	is_str(name, "7.2.0.192.in-addr.arpa", "  under in-addr.arpa");
	is_int(dns_ptr_name("www.example.org", name, sizeof(name)), -1,
	    "a name does not");
}

static void
test_answers(void)
{
	static const uint8_t a1[] = { 192, 0, 2, 7 }, a2[] = { 192, 0, 2, 8 };
	static const uint8_t ptr[] = { 3, 'w', 'w', 'w', 0xc0, 16 };
	uint8_t	 v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	char	 why[128];

	v6[15] = 1;
	answer_begin(0, 0);
	add_rr(5, "\0", 1);			/* a CNAME to skip */
	add_rr(DNS_T_A, a1, 4);
	add_rr(DNS_T_A, a2, 4);
	is_int(check(DNS_T_A, "^192\\.0\\.2\\.8$", why, sizeof(why)), 1,
	    "the second A record matches receive: up");
	is_str(why, "dns: 192.0.2.8", "  the reason names it");
	is_int(check(DNS_T_A, "^10\\.", why, sizeof(why)), 0,
	    "no A record matches: down");
	is_str(why, "dns: no answer matched receive", "  and says so");
	is_int(check(DNS_T_A, NULL, why, sizeof(why)), 1,
	    "without receive, any A record: up");
	is_int(check(DNS_T_AAAA, NULL, why, sizeof(why)), 0,
	    "no AAAA record: down");
	is_str(why, "dns: no answer of the type asked", "  and says so");

	answer_begin(0, 0);
	add_rr(DNS_T_AAAA, v6, 16);
	is_int(check(DNS_T_AAAA, "^2001:db8::1$", why, sizeof(why)), 1,
	    "an AAAA record in its text form matches");
	answer_begin(0, 0);
	add_rr(DNS_T_PTR, ptr, sizeof(ptr));
	is_int(check(DNS_T_PTR, "^www\\.example\\.org$", why, sizeof(why)), 1,
	    "a PTR name, compressed, matches");

	answer_begin(0, 3);
	is_int(check(DNS_T_A, NULL, why, sizeof(why)), 0, "NXDOMAIN: down");
	is_str(why, "dns: rcode 3", "  with its rcode");
	answer_begin(0x02, 0);
	add_rr(DNS_T_A, a1, 4);
	is_int(check(DNS_T_A, NULL, why, sizeof(why)), 0, "truncated: down");
	answer_begin(0, 0);
	add_rr(DNS_T_A, a1, 4);
	ans[0] ^= 1;
	is_int(check(DNS_T_A, NULL, why, sizeof(why)), 0, "another id: down");
	is_str(why, "dns: not an answer to the query", "  not ours");
}

static void
test_hostile(void)
{
	static const uint8_t a1[] = { 192, 0, 2, 7 };
	static const uint8_t loop[] = { 0xc0, 0x00 };
	char	 why[128];
	size_t	 cut;

	answer_begin(0, 0);
	add_rr(DNS_T_A, a1, 4);
	ans[anslen - 5] = 200;			/* rdlength past the end */
	is_int(check(DNS_T_A, NULL, why, sizeof(why)), 0,
	    "a record longer than the message: down");
	is_str(why, "dns: malformed answer", "  malformed");
	answer_begin(0, 0);
	add_rr(DNS_T_PTR, loop, 2);
	memcpy(ans + anslen - 2, (uint8_t[]){ 0xc0, (uint8_t)(anslen - 2) },
	    2);
	is_int(check(DNS_T_PTR, NULL, why, sizeof(why)), 0,
	    "a name pointing at itself: down, not a hang");
	answer_begin(0, 0);
	add_rr(DNS_T_A, a1, 4);
	for (cut = 0; cut < anslen; cut++)
		if (dns_answer_check(ans, cut, 0x1234, DNS_T_A, NULL, why,
		    sizeof(why)) != 0)
			break;
	is_int((long long)cut, (long long)anslen,
	    "every truncation of a good answer is down");
	ans[7] = 200;				/* ANCOUNT beyond the data */
	is_int(check(DNS_T_A, NULL, why, sizeof(why)), 1,
	    "a count beyond the data: the records before the end still count");
}

int
main(void)
{
	test_query();
	test_answers();
	test_hostile();
	return tap_done();
}

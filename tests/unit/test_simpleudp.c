/*
 * simpletcp over UDP (checker/check_simpleudp.c): the reply datagram's
 * lines are matched against receive; none matching, an empty datagram
 * or one over the bound is down, and the reason quotes the real's bytes.
 */
#include <regex.h>
#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "checker.h"

/* line_simpletcp.c's TCP half, not run here */
int
line_send_bytes(struct check *ck, const char *b, size_t n)
{
	return 0;
}

void
line_shutdown_after_send(struct check *ck)
{
}

static int
verdict(const regex_t *re, const char *s, char *why, size_t len)
{
	return simpleudp_reply_check(re, (const uint8_t *)s, strlen(s), why,
	    len);
}

int
main(void)
{
	regex_t		 re;
	char		 why[CHECK_REASON_LEN], big[SIMPLEUDP_REPLY_MAX + 1];
	char		 buf[64];

	/* as validate.c compiles receive "^PONG$" */
	if (regcomp(&re, "^.*(^PONG$)", REG_EXTENDED | REG_NOSUB) != 0)
		return 1;
	is_int(verdict(&re, "PONG", why, sizeof(why)), WIRE_UP,
	    "a reply of one line, no newline");
	is_str(why, "simpletcp: receive matched (udp)", "the reason");
	is_int(verdict(&re, "hello\r\nPONG\r\n", why, sizeof(why)), WIRE_UP,
	    "the second line matches, CR LF ends");
	is_int(verdict(&re, "PONGS\nPING\n", why, sizeof(why)), WIRE_DOWN,
	    "no line matches");
	is_str(why, "simpletcp: no line of the reply matched receive: "
	    "'PONGS?PING?'", "the reason quotes the reply");
	is_int(verdict(&re, "", why, sizeof(why)), WIRE_DOWN,
	    "an empty datagram");
	is_int(simpleudp_reply_check(&re, (const uint8_t *)"x\0PONG\n", 7,
	    why, sizeof(why)), WIRE_DOWN, "a NUL ends the line it is in");
	is_int(simpleudp_reply_check(&re, (const uint8_t *)"x\0\nPONG", 7,
	    why, sizeof(why)), WIRE_UP, "the next line still counts");
	is_int(verdict(NULL, "", why, sizeof(why)), WIRE_UP,
	    "no receive: any datagram is up");
	memset(big, 'P', sizeof(big));
	is_int(simpleudp_reply_check(&re, (const uint8_t *)big, sizeof(big),
	    why, sizeof(why)), WIRE_DOWN, "one byte over the bound");
	like(why, "over 2048", "the reason says so");
	memcpy(big + SIMPLEUDP_REPLY_MAX - 5, "\nPONG", 5);
	is_int(simpleudp_reply_check(&re, (const uint8_t *)big,
	    SIMPLEUDP_REPLY_MAX, why, sizeof(why)), WIRE_UP,
	    "a line of 2043 bytes, then one that matches, at the bound");
	is_int((long long)simpletcp_request("/PING\\nME", buf, sizeof(buf)),
	    7, "the request: no leading /, \\n a newline");
	ok(memcmp(buf, "PING\nME", 7) == 0, "its bytes");
	regfree(&re);
	return tap_done();
}

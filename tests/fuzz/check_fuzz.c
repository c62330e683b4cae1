/*
 * Fuzz target: the checker's validation of a CHECK from the parent
 * (checker/validate.c, through check_new as the checker calls it).  The
 * input is the message's payload, cut or zero-padded to its size.  What
 * passes must be safe for the probes: strings terminated and canonical,
 * enums in range, a receive expression that regexec can run.
 */
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Every byte after the string's NUL is zero. */
static void
fuzz_canonical(const char *s, size_t len)
{
	size_t	 n;

	if ((n = strnlen(s, len)) == len)
		abort();
	for (; n < len; n++)
		if (s[n] != '\0')
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg_check	 msg;
	struct check		*ck;
	char			 why[256];

	memset(&msg, 0, sizeof(msg));
	memcpy(&msg, data, size < sizeof(msg) ? size : sizeof(msg));
	if ((ck = check_new(&msg, why, sizeof(why))) == NULL) {
		if (strnlen(why, sizeof(why)) == 0 ||
		    strnlen(why, sizeof(why)) == sizeof(why))
			abort();	/* a refusal always says why */
		return 0;
	}
	if (ck->ck_msg->ck_type == 0 || ck->ck_msg->ck_type >= CHECK_MAX ||
	    ck->ck_msg->ck_proto == 0 || ck->ck_msg->ck_proto >= PROTO_MAX)
		abort();
	fuzz_canonical(ck->ck_msg->ck_request, sizeof(ck->ck_msg->ck_request));
	fuzz_canonical(ck->ck_msg->ck_receive, sizeof(ck->ck_msg->ck_receive));
	fuzz_canonical(ck->ck_msg->ck_vhost, sizeof(ck->ck_msg->ck_vhost));
	if (strnlen(ck->ck_name, sizeof(ck->ck_name)) == sizeof(ck->ck_name))
		abort();
	if (ck->ck_has_re)
		(void)regexec(ck->ck_re, "HTTP/1.1 200 OK\r\n\r\nOK", 0,
		    NULL, 0);
	check_free(ck);
	return 0;
}

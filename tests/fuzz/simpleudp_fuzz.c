/*
 * Fuzz target: simpletcp's reading of a reply datagram over UDP
 * (checker/check_simpleudp.c), whose bytes the real server chooses.  The
 * first byte picks the receive expression (or none), the rest is the
 * datagram.  Whatever the bytes, the reading must stay inside them, give
 * a verdict, and leave a NUL-terminated reason.
 */
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

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

/* as validate.c compiles receive: anchored at the start */
static const char *const	 receives[] = {
	"^.*(^PONG.[0-9]+$)", "^.*(OK|ready)", "^.*($)",
};
static regex_t			 res[3];

static void
compile_once(void)
{
	static int	 done;
	size_t		 i;

	if (done++)
		return;
	for (i = 0; i < 3; i++)
		if (regcomp(&res[i], receives[i], REG_EXTENDED | REG_NOSUB))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const regex_t	*re;
	uint8_t		*copy;
	char		 why[CHECK_REASON_LEN];
	size_t		 len;
	int		 r;

	if (size == 0)
		return 0;
	compile_once();
	re = data[0] % 4 == 3 ? NULL : &res[data[0] % 4];
	len = size - 1;
	/* an exact-size copy, so that ASan sees any read past the end */
	if ((copy = malloc(len ? len : 1)) == NULL)
		abort();
	memcpy(copy, data + 1, len);
	memset(why, 'x', sizeof(why));
	r = simpleudp_reply_check(re, copy, len, why, sizeof(why));
	if ((r != WIRE_UP && r != WIRE_DOWN) ||
	    memchr(why, '\0', sizeof(why)) == NULL)
		abort();
	if (len > SIMPLEUDP_REPLY_MAX && r != WIRE_DOWN)
		abort();
	free(copy);
	return 0;
}

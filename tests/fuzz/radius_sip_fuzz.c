/*
 * Fuzz target: the checker's reading of a real's reply for services
 * radius and sip (checker/radius_wire.c, checker/sip_wire.c).  The
 * first byte picks the reader (even: radius, odd: sip); the rest is the
 * reply.  sip's bytes are read as a TCP stream is, message after
 * message while the reader skips one.  Whatever the bytes, each reading
 * must stay inside them, end, give a verdict it knows, and a skip must
 * take at least one byte and no more than there are.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_why(const char *why, const char *prefix)
{
	if (strncmp(why, prefix, strlen(prefix)) != 0 || strlen(why) >= 128)
		abort();
}

static void
fuzz_radius(const uint8_t *m, size_t n)
{
	static const uint8_t	 auth[16] = "0123456789abcdef";
	char			 why[128];
	int			 r;

	why[0] = '\0';
	r = radius_reply_check(m, n, n > 1 ? m[1] : 0, auth, "s3cret", why,
	    sizeof(why));
	if (r != WIRE_UP && r != WIRE_DOWN && r != WIRE_SKIP)
		abort();
	fuzz_why(why, "radius: ");
}

static void
fuzz_sip(const uint8_t *m, size_t n)
{
	char	 why[128];
	size_t	 used;
	int	 r;

	do {
		why[0] = '\0';
		used = 0;
		r = sip_reply_check((const char *)m, n, "abc", 7, &used, why,
		    sizeof(why));
		fuzz_why(why, "sip: ");
		if (r == WIRE_SKIP && (used == 0 || used > n))
			abort();
		if (r == WIRE_SKIP) {
			m += used;
			n -= used;
		}
	} while (r == WIRE_SKIP);
	if (r != WIRE_UP && r != WIRE_DOWN && r != WIRE_PARTIAL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t	*copy;

	if (size == 0)
		return 0;
	/* an exact-size copy, so that ASan sees any read past the end */
	if ((copy = malloc(size - 1 ? size - 1 : 1)) == NULL)
		abort();
	memcpy(copy, data + 1, size - 1);
	if (data[0] % 2 == 0)
		fuzz_radius(copy, size - 1);
	else
		fuzz_sip(copy, size - 1);
	free(copy);
	return 0;
}

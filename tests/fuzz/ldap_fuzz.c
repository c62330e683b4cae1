/*
 * Fuzz target: the checker's reading of LDAP replies from a real server
 * (checker/ldap_ber.c), as the line engine feeds it: the input is the
 * stream of bytes, cut into messages by ldap_frame and each read by
 * ldap_reply_parse.  Whatever the bytes, a frame lies inside them, and
 * what a reply points to (a DN, a diagnostic message) lies inside its
 * message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"

/* the line engine's buffer: LINE_LEN_MAX - 1 */
#define FUZZ_LDAP_MAX	2047

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
inside(const uint8_t *p, size_t len, const uint8_t *msg, size_t msglen)
{
	if (len > 0 && (p < msg || p + len > msg + msglen))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ldap_reply	 r;
	uint8_t			*copy;
	const uint8_t		*p;
	size_t			 left = size;
	ssize_t			 n;

	/* an exact-size copy, so that ASan sees any read past the end */
	if ((copy = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(copy, data, size);
	p = copy;
	while ((n = ldap_frame(p, left, FUZZ_LDAP_MAX)) > 0) {
		if ((size_t)n > left || n > FUZZ_LDAP_MAX)
			abort();
		if (ldap_reply_parse(p, (size_t)n, &r) == 0) {
			inside(r.lr_dn, r.lr_dnlen, p, (size_t)n);
			inside(r.lr_diag, r.lr_diaglen, p, (size_t)n);
		}
		p += n;
		left -= (size_t)n;
	}
	free(copy);
	return 0;
}

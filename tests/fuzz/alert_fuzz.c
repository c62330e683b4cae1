/*
 * Fuzz target: the checker's checking and composing of an e-mail alert
 * (checker/alert.c).  The input, cut or padded with zeros to a struct
 * msg_alert, is what a broken parent could send.  Whatever it is, the
 * checking stays inside the fields; an accepted alert composes into a
 * message that fits ALERT_MAIL_MAX, in which every line ends in CRLF
 * and no line is longer than RFC 5322's 998 characters, and whose
 * header ends at the first empty line (nothing in a field starts a
 * header or the body early).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Every LF after a CR, no bare CR, lines of at most 998 characters. */
static void
fuzz_lines(const char *m, size_t n)
{
	size_t	 i, start = 0;

	for (i = 0; i < n; i++) {
		if (m[i] == '\r' && (i + 1 == n || m[i + 1] != '\n'))
			abort();
		if (m[i] != '\n')
			continue;
		if (i == 0 || m[i - 1] != '\r' || i - 1 - start > 998)
			abort();
		start = i + 1;
	}
	if (start != n)
		abort();	/* the message ends with a line end */
}

/* The header's end is where the fields put it: after Auto-Submitted. */
static void
fuzz_header(const char *m)
{
	const char	*end = strstr(m, "\r\n\r\n");

	if (end == NULL || end - m < 30 ||
	    memcmp(end - 30, "Auto-Submitted: auto-generated", 30) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg_alert	*al;
	char			*m;
	size_t			 n;

	/* a heap copy of exactly the struct: ASan sees a read past it */
	if ((al = calloc(1, sizeof(*al))) == NULL ||
	    (m = malloc(ALERT_MAIL_MAX)) == NULL)
		abort();
	memcpy(al, data, size < sizeof(*al) ? size : sizeof(*al));
	if (alert_validate(al) == NULL) {
		n = alert_build(al, 1767225600, m, ALERT_MAIL_MAX);
		if (n >= ALERT_MAIL_MAX || strlen(m) != n)
			abort();
		fuzz_lines(m, n);
		fuzz_header(m);
	}
	free(m);
	free(al);
	return 0;
}

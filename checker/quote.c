/*
 * Quoting a real's bytes in a reason, for every probe that reads a
 * reply (check_line.c's services, http_reply.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "checker.h"

/*
 * The first bytes of a real's text s (len of them, or up to a NUL) as a
 * log may quote them: cut short, control characters and bytes above
 * ASCII replaced, so a real cannot forge a log line; "..." if cut.
 */
const char *
line_quote(const char *s, size_t len, char *q, size_t qlen)
{
	size_t	 i;

	for (i = 0; i < len && i + 4 < qlen && s[i] != '\0'; i++)
		q[i] = s[i] < 0x20 || s[i] > 0x7e ? '?' : s[i];
	if (i < len && s[i] != '\0')
		strlcpy(q + i, "...", qlen - i);
	else
		q[i] = '\0';
	return q;
}

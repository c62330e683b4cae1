/*
 * Fuzz target: the checker's reading of a DNS answer from a real server
 * (checker/dns_wire.c).  The input is the answer itself, for a query of
 * id 0x1234; one of the three record types is asked, with or without a
 * receive expression, by the input's length.  Whatever the bytes, the
 * reading must stay inside them and end (compression loops included),
 * and a "match" must name a record of the type asked.
 */
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t	 types[] = { DNS_T_A, DNS_T_AAAA, DNS_T_PTR };
	static regex_t		 re;
	static int		 compiled;
	uint8_t			*copy;
	char			 why[128];
	int			 up;

	if (!compiled) {
		if (regcomp(&re, "^.*(example|192\\.0\\.2\\.)", REG_EXTENDED |
		    REG_NOSUB) != 0)
			abort();
		compiled = 1;
	}
	/* an exact-size copy, so that ASan sees any read past the end */
	if ((copy = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(copy, data, size);
	why[0] = '\0';
	up = dns_answer_check(copy, size, 0x1234, types[size % 3],
	    size % 2 ? &re : NULL, why, sizeof(why));
	if (up != 0 && up != 1)
		abort();
	if (strncmp(why, "dns: ", 5) != 0 || strlen(why) >= sizeof(why))
		abort();
	free(copy);
	return 0;
}

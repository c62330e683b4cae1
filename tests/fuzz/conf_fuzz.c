/*
 * libFuzzer target of the config parser.  Any input must be parsed or
 * refused without a crash, a leak or undefined behaviour; an input that
 * parses must round-trip: its canonical form parses to a config that
 * prints as the same text.  Host names are never looked up.
 *
 *   make tests/fuzz/conf_fuzz        (needs clang)
 *   tests/fuzz/conf_fuzz -max_len=4096 tests/fuzz/corpus/conf
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char *
canonical(const struct conf *c)
{
	char	*buf = NULL;
	size_t	 len;
	FILE	*fp;

	if ((fp = open_memstream(&buf, &len)) == NULL)
		abort();
	conf_print(c, fp);
	fclose(fp);
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf	*a, *b;
	char		*text, *pa, *pb;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	a = conf_parse_string_flags("fuzz.cf", text, NULL, CONF_NORESOLVE);
	free(text);
	if (a == NULL)
		return 0;
	pa = canonical(a);
	if ((b = conf_parse_string_flags("canon.cf", pa, NULL,
	    CONF_NORESOLVE)) == NULL) {
		fprintf(stderr, "the canonical form is refused:\n%s", pa);
		conf_free(conf_parse_string_flags("canon.cf", pa, stderr,
		    CONF_NORESOLVE));
		abort();
	}
	pb = canonical(b);
	if (strcmp(pa, pb) != 0) {
		fprintf(stderr, "printed twice, two texts:\n%s\n---\n%s", pa,
		    pb);
		abort();
	}
	free(pa);
	free(pb);
	conf_free(a);
	conf_free(b);
	return 0;
}

/*
 * A minimal TAP producer for lvsd's unit tests, read by prove(1).
 * Each test file is one program; main() calls the checks and ends with
 * tap_done(), whose exit status says whether every check passed.
 */
#ifndef LVSD_TAP_H
#define LVSD_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int
tap_ok(int cond, const char *file, int line, const char *desc)
{
	tap_n++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, desc);
	if (!cond) {
		tap_failed++;
		printf("#   Failed test at %s line %d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

static inline int
tap_is_int(long long got, long long want, const char *file, int line,
    const char *desc)
{
	int	 r = tap_ok(got == want, file, line, desc);

	if (!r)
		printf("#   got: %lld\n#   expected: %lld\n", got, want);
	return r;
}

static inline int
tap_is_str(const char *got, const char *want, const char *file, int line,
    const char *desc)
{
	int	 same = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);
	int	 r = tap_ok(same, file, line, desc);

	if (!r)
		printf("#   got: '%s'\n#   expected: '%s'\n",
		    got ? got : "(null)", want ? want : "(null)");
	return r;
}

static inline int
tap_like(const char *got, const char *needle, const char *file, int line,
    const char *desc)
{
	int	 r = tap_ok(got != NULL && strstr(got, needle) != NULL, file,
	    line, desc);

	if (!r)
		printf("#   got: '%s'\n#   expected to contain: '%s'\n",
		    got ? got : "(null)", needle);
	return r;
}

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#define ok(c, d)	tap_ok(!!(c), __FILE__, __LINE__, (d))
#define is_int(g, w, d)	tap_is_int((g), (w), __FILE__, __LINE__, (d))
#define is_str(g, w, d)	tap_is_str((g), (w), __FILE__, __LINE__, (d))
#define like(g, w, d)	tap_like((g), (w), __FILE__, __LINE__, (d))
#define diag(...)	(printf("# "), printf(__VA_ARGS__), printf("\n"))

#endif /* LVSD_TAP_H */

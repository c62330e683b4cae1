/*
 * The shape of a receive expression (a POSIX ERE), checked before
 * regcomp() sees it: glibc's regcomp builds a tree whose size the
 * expression's repetitions multiply, so that a few hundred bytes can ask
 * for gigabytes.  The parser (conf/values.c) and the checker's
 * validation of a CHECK (checker/validate.c) both look here first.
 */
#include <stdlib.h>

#include "ere.h"

/*
 * Most copies of a subexpression the bounds of one receive may ask for,
 * all bounds multiplied as if nested: glibc's regcomp copies the tree
 * once per repetition, so "a{255}{255}{255}" alone would take gigabytes
 * (check_fuzz found "x++++...", fifty stacked '+', the same way).
 */
#define ERE_COPIES_MAX	1024

/* Skip a bracket expression at s ('['); the ']' that ends it, or NUL. */
static const char *
ere_skip_bracket(const char *s)
{
	char	 end;

	s++;
	if (*s == '^')
		s++;
	if (*s == ']')
		s++;
	for (; *s != '\0' && *s != ']'; s++)
		if (*s == '[' && (s[1] == ':' || s[1] == '=' || s[1] == '.')) {
			end = s[1];
			for (s += 2; *s != '\0' && !(s[0] == end && s[1] == ']');
			    s++)
				;
			if (*s == '\0')
				break;
			s++;
		}
	return s;
}

/* The largest count of a bound at s ('{'), or -1 if it is not one. */
static long
ere_bound_max(const char **sp)
{
	const char	*s = *sp + 1;
	char		*e;
	long		 n;

	n = strtol(s, &e, 10);
	if (e == s)
		return -1;
	if (*e == ',' && e[1] != '}')
		n = strtol(e + 1, &e, 10);
	else if (*e == ',')
		e++;
	if (*e != '}')
		return -1;
	*sp = e;
	return n;
}

/*
 * The shape of a receive ERE, beyond what regcomp checks: every ')'
 * closes a '(' (glibc takes a lone ')' as a plain character, which would
 * close the group the checker wraps the expression in); no two
 * repetitions in a row ("a+*", undefined in POSIX); bounded repetitions
 * within ERE_COPIES_MAX.  Escapes and bracket expressions are
 * skipped.  NULL if it is fine, else what is wrong.
 */
const char *
ere_shape(const char *s)
{
	unsigned long	 copies = 1;
	long		 n;
	int		 depth = 0, repeated = 0, r;

	for (; *s != '\0'; s++) {
		r = 0;
		if (*s == '\\' && s[1] != '\0')
			s++;
		else if (*s == '(')
			depth++;
		else if (*s == ')' && --depth < 0)
			return "has a ')' without its '('";
		else if (*s == '[') {
			if (*(s = ere_skip_bracket(s)) == '\0')
				return NULL;	/* regcomp has refused it */
		} else if (*s == '*' || *s == '+' || *s == '?')
			r = 1;
		else if (*s == '{' && (n = ere_bound_max(&s)) >= 0) {
			r = 1;
			if (n > 1 && (copies *= (unsigned long)n) >
			    ERE_COPIES_MAX)
				return "repeats too much (bounds multiplied "
				    "above 1024)";
		}
		if (r && repeated)
			return "has two repetitions in a row";
		repeated = r;
	}
	return NULL;
}

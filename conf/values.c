/*
 * Checks of single values: whole numbers, yes/no, keywords and the
 * strings that end up in a check (request, receive, virtualhost).  Each
 * reports its own error with the offending text and returns -1.
 */
#include <sys/types.h>

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf_priv.h"
#include "ere.h"

/* The one value of a directive that takes one: NULL after an error. */
struct conf_tok *
conf_one(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	if (n == 0) {
		conf_error(x, x->x_vcol, "missing value for '%s'",
		    x->x_dname);
		return NULL;
	}
	if (n > 1) {
		conf_error(x, tok[1].t_col, "unexpected '%s' after the value "
		    "of '%s'", conf_quote(x, tok[1].t_text), x->x_dname);
		return NULL;
	}
	return &tok[0];
}

/*
 * A whole number in [min, max]: digits only, so "abc5", "1.5", "+3" and
 * "5s" are errors where ldirectord would take the first run of digits.
 */
int
conf_uint(struct conf_ctx *x, const char *s, unsigned int col,
    const char *what, unsigned long long min, unsigned long long max,
    unsigned long long *out)
{
	unsigned long long	 v = 0;
	const char		*p;

	if (conf_is_digits(s) && strlen(s) <= 12) {
		/* digits only, at most 12: no strtoull, once per real */
		for (p = s; *p != '\0'; p++)
			v = v * 10 + (unsigned long long)(*p - '0');
		if (v >= min && v <= max) {
			*out = v;
			return 0;
		}
	}
	conf_error(x, col, "%s must be a whole number from %llu to %llu, "
	    "not '%s'", what, min, max, conf_quote(x, s));
	return -1;
}

/*
 * The one value of the directive being read, a whole number in [min,
 * max]; the errors name the directive.  0, or -1 after an error.
 */
int
conf_one_uint(struct conf_ctx *x, struct conf_tok *tok, int n,
    unsigned long long min, unsigned long long max, unsigned long long *out)
{
	struct conf_tok	*t;

	if ((t = conf_one(x, tok, n)) == NULL)
		return -1;
	return conf_uint(x, t->t_text, t->t_col, x->x_dname, min, max, out);
}

int
conf_yesno(struct conf_ctx *x, const struct conf_tok *t, int *out)
{
	if (strcasecmp(t->t_text, "yes") == 0)
		*out = 1;
	else if (strcasecmp(t->t_text, "no") == 0)
		*out = 0;
	else {
		conf_error(x, t->t_col, "%s must be yes or no, not '%s'",
		    x->x_dname, conf_quote(x, t->t_text));
		return -1;
	}
	return 0;
}

/*
 * One of names[], exactly: the index, or -1 after an error that lists
 * them (and the nearest, when the value looks like a typo of it).
 */
int
conf_keyword(struct conf_ctx *x, const struct conf_tok *t, const char *what,
    const char *const *names, size_t n)
{
	char		 list[256] = "";
	const char	*near;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (strcmp(t->t_text, names[i]) == 0)
			return i;
	for (i = 0; i < n && n <= CONF_LISTMAX; i++) {
		if (i > 0)
			strlcat(list, i + 1 == n ? " or " : ", ", sizeof(list));
		strlcat(list, names[i], sizeof(list));
	}
	if (n > CONF_LISTMAX)
		strlcpy(list, "one listed in lvsd.cf(5)", sizeof(list));
	if ((near = conf_suggest(t->t_text, names, n)) != NULL)
		conf_error(x, t->t_col, "unknown %s '%s' (expected %s); "
		    "did you mean '%s'?", what, conf_quote(x, t->t_text), list,
		    near);
	else
		conf_error(x, t->t_col, "unknown %s '%s' (expected %s)", what,
		    conf_quote(x, t->t_text), list);
	return -1;
}

/*
 * What a check asks for: a path for HTTP, a query for SQL, a name for
 * DNS.  A '/' is put in front, as ldirectord does, unless it is a full
 * URL.  Control bytes would split a request line: they are refused here,
 * blanks only where the check is HTTP (resolve.c).
 */
int
conf_request(struct conf_ctx *x, const struct conf_tok *t, char **out)
{
	const char	*s = t->t_text;
	size_t		 len;
	char		*p;
	int		 url = strstr(s, "://") != NULL;

	if (*s == '\0') {
		conf_error(x, t->t_col, "request must not be empty");
		return -1;
	}
	for (p = t->t_text; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			conf_error(x, t->t_col, "request '%s' contains a "
			    "control character", conf_quote(x, s));
			return -1;
		}
	}
	len = strlen(s) + (*s != '/' && !url);
	if (len > MSG_REQUEST_LEN - 1) {
		conf_error(x, t->t_col, "request is %zu bytes long; at most %d "
		    "are allowed", len, MSG_REQUEST_LEN - 1);
		return -1;
	}
	if (asprintf(&p, "%s%s", *s == '/' || url ? "" : "/", s) == -1) {
		x->x_oom = 1;
		return -1;
	}
	free(*out);
	*out = p;
	return 0;
}

/* ldirectord's receive is Perl's; \d and its kin mean 'd' to POSIX. */
static void
conf_perl_warn(struct conf_ctx *x, const struct conf_tok *t)
{
	const char	*s;

	for (s = t->t_text; (s = strchr(s, '\\')) != NULL; s += 2) {
		if (s[1] != '\0' && strchr("dDhHvVzZAG", s[1]) != NULL) {
			conf_warning(x, t->t_col, "receive uses Perl's \\%c, "
			    "which a POSIX regular expression reads as '%c'; "
			    "write a bracket expression such as [0-9]", s[1],
			    s[1]);
			return;
		}
		if (s[1] == '\0')
			break;
	}
}

/* A POSIX extended regular expression for the body; "" checks nothing. */
int
conf_receive(struct conf_ctx *x, const struct conf_tok *t, char **out)
{
	regex_t	 re;
	char	 why[128], *p;
	size_t	 len = strlen(t->t_text);
	int	 rc;

	if (len > MSG_RECEIVE_LEN - 1) {
		conf_error(x, t->t_col, "receive is %zu bytes long; at most %d "
		    "are allowed", len, MSG_RECEIVE_LEN - 1);
		return -1;
	}
	/*
	 * A shape ere_shape() refuses is not compiled here, where it could
	 * cost gigabytes: the check of each real that uses it refuses it
	 * (confmsg_validate, with the real's line, as for a real's own).
	 */
	if (len > 0 && ere_shape(t->t_text) == NULL) {
		if ((rc = regcomp(&re, t->t_text, REG_EXTENDED | REG_NOSUB))
		    != 0) {
			regerror(rc, &re, why, sizeof(why));
			conf_error(x, t->t_col, "receive '%s' is not a valid "
			    "extended regular expression: %s",
			    conf_quote(x, t->t_text), why);
			return -1;
		}
		regfree(&re);
		conf_perl_warn(x, t);
	}
	if ((p = conf_strdup(x, t->t_text)) == NULL)
		return -1;
	free(*out);
	*out = p;
	return 0;
}

/*
 * The Host: header of an HTTP check: a host name or address with an
 * optional port, nothing that could end the header line.
 */
int
conf_vhost(struct conf_ctx *x, const struct conf_tok *t, char **out)
{
	const char	*s;
	size_t		 len = strlen(t->t_text);
	char		*p;

	if (len == 0) {
		conf_error(x, t->t_col, "virtualhost must not be empty");
		return -1;
	}
	if (len > MSG_VHOST_LEN - 1) {
		conf_error(x, t->t_col, "virtualhost is %zu bytes long; at "
		    "most %d are allowed", len, MSG_VHOST_LEN - 1);
		return -1;
	}
	for (s = t->t_text; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && strchr(".-_:[]", *s) ==
		    NULL) {
			conf_error(x, t->t_quoted ? t->t_col : t->t_col +
			    (s - t->t_text), "virtualhost '%s' is not a host "
			    "name (unexpected '%s')", conf_quote(x, t->t_text),
			    conf_quote(x, (char []){ *s, '\0' }));
			return -1;
		}
	}
	if ((p = conf_strdup(x, t->t_text)) == NULL)
		return -1;
	free(*out);
	*out = p;
	return 0;
}

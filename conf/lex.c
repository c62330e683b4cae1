/*
 * The lexical rules of ldirectord.cf below the level of directives:
 * indentation, comments and the values after "name=".
 */
#include <ctype.h>
#include <string.h>

#include "conf_priv.h"

/*
 * Width of the leading blanks of s, a tab counting 4 as in ldirectord
 * (which turns each tab into four spaces); *off is set to the offset of
 * the first other byte.
 */
unsigned int
conf_indent(const char *s, size_t *off)
{
	unsigned int	 width = 0;
	size_t		 i;

	for (i = 0; s[i] == ' ' || s[i] == '\t'; i++)
		width += s[i] == '\t' ? 4 : 1;
	*off = i;
	return width;
}

int
conf_is_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/*
 * A double-quoted string starting at s[0].  \" stands for a quote and
 * every other backslash is kept as written, so a regular expression
 * such as "a\.b" means what it says.  The last quote of the line always
 * closes, as in ldirectord, so "C:\" is the two bytes C:\.  Returns the
 * length consumed, or 0 if the string is not closed.
 */
static size_t
conf_lex_quoted(const char *s, char *out)
{
	size_t	 i;

	for (i = 1; s[i] != '\0'; i++) {
		if (s[i] == '\\' && s[i + 1] == '"' &&
		    strchr(s + i + 2, '"') != NULL) {
			*out++ = '"';
			i++;
		} else if (s[i] == '"') {
			*out = '\0';
			return i + 1;
		} else
			*out++ = s[i];
	}
	return 0;
}

/*
 * Split the value of a directive into words and quoted strings.  A '#'
 * outside quotes starts a comment that runs to the end of the line; a
 * '#' inside quotes is part of the string (ldirectord cuts the line
 * there).  value starts at column col of the line; out has room for a
 * copy of value.  Returns the number of values, or -1 after an error.
 */
int
conf_tokenize(struct conf_ctx *x, char *value, unsigned int col, char *out,
    struct conf_tok *tok)
{
	size_t	 i = 0, len;
	int	 n = 0;

	for (;;) {
		while (value[i] == ' ' || value[i] == '\t')
			i++;
		if (value[i] == '\0' || value[i] == '#')
			return n;
		if (n == CONF_MAXTOK) {
			conf_error(x, col + i, "too many values for '%s', "
			    "starting at '%s'", x->x_dname,
			    conf_quote(x, value + i));
			return -1;
		}
		tok[n].t_text = out;
		tok[n].t_col = col + i;
		tok[n].t_quoted = value[i] == '"';
		if (tok[n].t_quoted) {
			if ((len = conf_lex_quoted(value + i, out)) == 0) {
				conf_error(x, col + i, "unterminated string "
				    "'%s' (a '\"' is missing)",
				    conf_quote(x, value + i));
				return -1;
			}
			i += len;
			out += strlen(out) + 1;
		} else {
			len = strcspn(value + i, " \t\"#");
			memcpy(out, value + i, len);
			out[len] = '\0';
			out += len + 1;
			i += len;
		}
		n++;
	}
}

/* Length of value up to a '#' outside double quotes, blanks trimmed. */
static size_t
conf_uncommented_len(const char *value)
{
	size_t	 i, len;
	int	 quoted = 0;

	for (i = 0; value[i] != '\0'; i++) {
		if (quoted && value[i] == '\\' && value[i + 1] == '"')
			i++;
		else if (value[i] == '"')
			quoted = !quoted;
		else if (value[i] == '#' && !quoted)
			break;
	}
	for (len = i; len > 0 && (value[len - 1] == ' ' ||
	    value[len - 1] == '\t'); len--)
		;
	return len;
}

/*
 * The value of a directive that takes the rest of the line, such as a
 * command or a comment: one quoted string, or else the text up to a
 * comment, blanks and quotes kept, as one value.
 */
int
conf_rest(struct conf_ctx *x, char *value, unsigned int col, char *out,
    struct conf_tok *tok)
{
	size_t	 len, qlen;

	len = conf_uncommented_len(value);
	if (value[0] == '"') {
		qlen = conf_lex_quoted(value, out);
		if (qlen == 0) {
			conf_error(x, col, "unterminated string '%s' (a '\"' "
			    "is missing)", conf_quote(x, value));
			return -1;
		}
		if (qlen == len) {
			tok[0].t_text = out;
			tok[0].t_col = col;
			tok[0].t_quoted = 1;
			return 1;
		}
	}
	if (len == 0)
		return 0;
	memcpy(out, value, len);
	out[len] = '\0';
	tok[0].t_text = out;
	tok[0].t_col = col;
	tok[0].t_quoted = 0;
	return 1;
}

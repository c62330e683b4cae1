/*
 * The free-text values of a virtual block: credentials, the external
 * check's command, and the names that alerts and logs carry.  Each is
 * kept as written; none may hold a control character, which could forge
 * a log line or a header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

/* Longer text cannot be a password or a path anyone means. */
#define CONF_MAXTEXT	1024

/*
 * t as the value of what, into *out (replacing what was there).  An
 * empty value stores NULL: ldirectord's "" is its "unset".
 */
int
conf_text(struct conf_ctx *x, const struct conf_tok *t, const char *what,
    char **out)
{
	const unsigned char	*s;
	char			*p = NULL;

	for (s = (const unsigned char *)t->t_text; *s != '\0'; s++) {
		if (*s < 0x20 || *s == 0x7f) {
			conf_error(x, t->t_col, "%s '%s' contains a control "
			    "character", what, conf_quote(x, t->t_text));
			return -1;
		}
	}
	if (strlen(t->t_text) > CONF_MAXTEXT) {
		conf_error(x, t->t_col, "%s is %zu bytes long; at most %d are "
		    "allowed", what, strlen(t->t_text), CONF_MAXTEXT);
		return -1;
	}
	if (t->t_text[0] != '\0' && (p = conf_strdup(x, t->t_text)) == NULL)
		return -1;
	free(*out);
	*out = p;
	return 0;
}

static void
conf_vtext(struct conf_ctx *x, struct conf_tok *tok, int n, char **out)
{
	struct conf_tok	*t;

	if ((t = conf_one(x, tok, n)) != NULL)
		conf_text(x, t, x->x_dname, out);
}

void
dir_login(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	conf_vtext(x, tok, n, &x->x_cur->p_v->v_login);
}

void
dir_passwd(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	conf_vtext(x, tok, n, &x->x_cur->p_v->v_passwd);
}

void
dir_database(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	conf_vtext(x, tok, n, &x->x_cur->p_v->v_database);
}

void
dir_secret(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	conf_vtext(x, tok, n, &x->x_cur->p_v->v_secret);
}

void
dir_servicename(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	conf_vtext(x, tok, n, &x->x_cur->p_v->v_servicename);
}

void
dir_comment(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	conf_vtext(x, tok, n, &x->x_cur->p_v->v_comment);
}

/*
 * ldirectord executes checkcommand without a shell, so "cmd arg" is a
 * program of that name, which never exists: every check fails.  lvsd
 * says so instead; a quoted value is one path, blanks and all.
 */
void
dir_checkcommand(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	if (t->t_text[0] == '\0') {
		conf_error(x, t->t_col, "checkcommand must not be empty");
		return;
	}
	if (!t->t_quoted && strpbrk(t->t_text, " \t") != NULL) {
		conf_error(x, t->t_col, "checkcommand '%s' has arguments, but "
		    "it is run without a shell, with the arguments VIP VPORT "
		    "RIP RPORT; put the command in a script",
		    conf_quote(x, t->t_text));
		return;
	}
	conf_text(x, t, "checkcommand", &x->x_cur->p_v->v_checkcommand);
}

/* ldirectord creates the file while it parses; lvsd only notes it. */
void
dir_monitorfile(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	if (t->t_text[0] != '/') {
		conf_error(x, t->t_col, "monitorfile must be an absolute path, "
		    "not '%s'", conf_quote(x, t->t_text));
		return;
	}
	conf_text(x, t, "monitorfile", &x->x_cur->p_v->v_monitorfile);
}

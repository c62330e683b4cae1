/*
 * The directives of the daemon as a whole, which ldirectord accepts at
 * the top level only: reloading, logging, other instances, maintenance.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

/* Sys::Syslog's facilities, the ones ldirectord's logfile can name. */
static const char *const conf_facilities[] = {
	"auth", "authpriv", "cron", "daemon", "ftp", "kern", "local0",
	"local1", "local2", "local3", "local4", "local5", "local6", "local7",
	"lpr", "mail", "news", "syslog", "user", "uucp"
};

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

static void
conf_global_yesno(struct conf_ctx *x, struct conf_tok *tok, int n, int *out)
{
	struct conf_tok	*t;
	int		 yes;

	if ((t = conf_one(x, tok, n)) != NULL && conf_yesno(x, t, &yes) == 0)
		*out = yes;
}

void
dir_autoreload(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	conf_global_yesno(x, tok, n, &x->x_conf->c_autoreload);
}

void
dir_fork(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	conf_global_yesno(x, tok, n, &x->x_conf->c_fork);
}

void
dir_readdquiescent(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	conf_global_yesno(x, tok, n, &x->x_conf->c_readdquiescent);
}

/* parse.c turns a bare "supervised" into "supervised=yes". */
void
dir_supervised(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	conf_global_yesno(x, tok, n, &x->x_conf->c_supervised);
}

static int
conf_abspath(struct conf_ctx *x, const struct conf_tok *t, char **out)
{
	if (t->t_text[0] != '/') {
		conf_error(x, t->t_col, "%s must be an absolute path, not "
		    "'%s'", x->x_dname, conf_quote(x, t->t_text));
		return -1;
	}
	return conf_text(x, t, x->x_dname, out);
}

/* ldirectord wants it quoted; lvsd takes it either way. */
void
dir_callback(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;

	if ((t = conf_one(x, tok, n)) != NULL)
		conf_abspath(x, t, &x->x_conf->c_callback);
}

/* "/path" is a file, anything else a syslog facility. */
void
dir_logfile(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	if (t->t_text[0] != '/' && conf_keyword(x, t, "syslog facility",
	    conf_facilities, nitems(conf_facilities)) == -1)
		return;
	conf_text(x, t, "logfile", &x->x_conf->c_logfile);
}

void
dir_execute(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf	*c = x->x_conf;
	struct conf_tok	*t;
	char		**ne, *s = NULL;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	if (t->t_text[0] == '\0') {
		conf_error(x, t->t_col, "execute must name a configuration");
		return;
	}
	if (conf_text(x, t, "execute", &s) == -1)
		return;
	if ((ne = reallocarray(c->c_execute, c->c_nexecute + 1,
	    sizeof(*ne))) == NULL) {
		free(s);
		x->x_oom = 1;
		return;
	}
	c->c_execute = ne;
	c->c_execute[c->c_nexecute++] = s;
}

void
dir_emailalertfrom(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;

	if ((t = conf_one(x, tok, n)) != NULL)
		conf_text(x, t, "emailalertfrom", &x->x_conf->c_emailalertfrom);
}

/* As ldirectord: a warning, not an error, if it is not a directory. */
void
dir_maintenancedir(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;
	struct stat	 st;

	if ((t = conf_one(x, tok, n)) == NULL ||
	    conf_abspath(x, t, &x->x_conf->c_maintenancedir) == -1)
		return;
	if (stat(t->t_text, &st) == -1 || !S_ISDIR(st.st_mode))
		conf_warning(x, t->t_col, "maintenancedir '%s' is not a "
		    "directory", conf_quote(x, t->t_text));
}

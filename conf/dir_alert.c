/*
 * What lvsd tells the world about a change: e-mail alerts and the
 * fallback command, and cleanstop.  Each may be global or per virtual;
 * the virtual's value wins, resolved in resolve.c.
 */
#include <sys/socket.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

static const struct {
	const char	*as_name;
	unsigned int	 as_bits;
} conf_alert_states[] = {
	{ "all", CONF_ALERT_ALL }, { "none", 0 },
	{ "starting", CONF_ALERT_STARTING }, { "running", CONF_ALERT_RUNNING },
	{ "stopping", CONF_ALERT_STOPPING },
	{ "reloading", CONF_ALERT_RELOADING }
};

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

void
dir_cleanstop(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;
	int		 yes;

	if ((t = conf_one(x, tok, n)) == NULL || conf_yesno(x, t, &yes) == -1)
		return;
	if (x->x_cur != NULL)
		x->x_cur->p_v->v_cleanstop = yes;
	else
		x->x_conf->c_cleanstop = yes;
}

/* A shell command by design, as in ldirectord: kept as written. */
void
dir_fallbackcommand(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = conf_curv(x);
	struct conf_tok		*t;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	if (t->t_text[0] == '\0') {
		conf_error(x, t->t_col, "fallbackcommand must not be empty");
		return;
	}
	conf_text(x, t, "fallbackcommand", v ? &v->v_fallbackcommand :
	    &x->x_conf->c_fallbackcommand);
}

/* One recipient: an address or a local user, nothing a header ends on. */
static int
conf_recipient(struct conf_ctx *x, const struct conf_tok *t, const char *s,
    size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (!isgraph((unsigned char)s[i]) || strchr("<>\",;", s[i]))
			break;
	if (len == 0 || i < len) {
		conf_error(x, t->t_col, "invalid e-mail address in '%s' "
		    "(expected addresses separated by commas)",
		    conf_quote(x, t->t_text));
		return -1;
	}
	return 0;
}

/*
 * A comma list of recipients, kept as "a@x, b@y".  ldirectord hands
 * the whole list to one RCPT TO with smtp=, which fails for two.
 */
void
dir_emailalert(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = conf_curv(x);
	struct conf_tok		*t;
	const char		*s, *end;
	char			 out[1024] = "";
	size_t			 len;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	for (s = t->t_text;; s = end + 1) {
		s += strspn(s, " \t");
		end = s + strcspn(s, ",");
		for (len = end - s; len > 0 && strchr(" \t", s[len - 1]);)
			len--;
		if (conf_recipient(x, t, s, len) == -1)
			return;
		if (out[0] != '\0')
			strlcat(out, ", ", sizeof(out));
		if (strlen(out) + len >= sizeof(out)) {
			conf_error(x, t->t_col, "emailalert is too long");
			return;
		}
		strncat(out, s, len);
		if (*end == '\0')
			break;
	}
	free(v ? v->v_emailalert : x->x_conf->c_emailalert);
	*(v ? &v->v_emailalert : &x->x_conf->c_emailalert) =
	    conf_strdup(x, out);
}

void
dir_emailalertfreq(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = conf_curv(x);
	struct conf_tok		*t;
	unsigned long long	 val;

	if ((t = conf_one(x, tok, n)) == NULL ||
	    conf_uint(x, t->t_text, t->t_col, "emailalertfreq", 0,
	    CONF_MAXPERSIST, &val) == -1)
		return;
	*(v ? &v->v_emailalertfreq : &x->x_conf->c_emailalertfreq) = val;
}

static int
conf_alert_state(struct conf_ctx *x, const struct conf_tok *t, const char *s,
    size_t len, unsigned int *bits)
{
	size_t	 i;

	for (i = 0; i < nitems(conf_alert_states); i++) {
		if (strlen(conf_alert_states[i].as_name) == len &&
		    strncmp(conf_alert_states[i].as_name, s, len) == 0) {
			*bits |= conf_alert_states[i].as_bits;
			return i == 1;
		}
	}
	conf_error(x, t->t_col, "invalid emailalertstatus '%s' (expected all, "
	    "none, or a list of starting, running, stopping, reloading)",
	    conf_quote(x, t->t_text));
	return -1;
}

/* starting, running, stopping, reloading, all or none. */
void
dir_emailalertstatus(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = conf_curv(x);
	struct conf_tok		*t;
	const char		*s;
	unsigned int		 bits = 0, words = 0, none = 0;
	size_t			 len;
	int			 rc;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	for (s = t->t_text; *(s += strspn(s, " \t,")) != '\0'; s += len) {
		len = strcspn(s, " \t,");
		if ((rc = conf_alert_state(x, t, s, len, &bits)) == -1)
			return;
		none |= rc;
		words++;
	}
	if (words == 0 || (none && words > 1)) {
		conf_error(x, t->t_col, "emailalertstatus '%s': none stands "
		    "alone", conf_quote(x, t->t_text));
		return;
	}
	*(v ? &v->v_emailalertstatus : &x->x_conf->c_emailalertstatus) = bits;
}

/*
 * The mail server alerts go through: host[:port], [IPv6][:port], port
 * 25 by default, resolved now (the parent resolves, the checker that
 * sends only connects).  ldirectord takes a host alone.
 */
void
dir_smtp(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = conf_curv(x);
	struct conf_tok		*t;
	struct addr		 a;
	uint16_t		 port = CONF_DEF_SMTP_PORT;

	if ((t = conf_one(x, tok, n)) == NULL ||
	    conf_hostport(x, t, AF_UNSPEC, &a, &port) == -1)
		return;
	conf_text(x, t, "smtp", v ? &v->v_smtp : &x->x_conf->c_smtp);
	*(v ? &v->v_smtp_addr : &x->x_conf->c_smtp_addr) = a;
	*(v ? &v->v_smtp_port : &x->x_conf->c_smtp_port) = port;
}

/*
 * lvsd's own check settings that ldirectord lacks (its W7 and W10):
 * checktlsverify turns verification of a real's certificate on (chain
 * and name), checktlsca names the CA bundle to verify against, and
 * httpredirects lets an http check follow redirects to the same real.
 * Each is a global default and a per-virtual override.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conf_priv.h"

void
dir_checktlsverify(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = conf_curv(x);
	struct conf_tok		*t;
	int			 yes;

	if ((t = conf_one(x, tok, n)) == NULL || conf_yesno(x, t, &yes) == -1)
		return;
	*(v ? &v->v_tlsverify : &x->x_conf->c_tlsverify) = yes;
}

/* An absolute path; the file itself is looked at once the block is read. */
void
dir_checktlsca(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = conf_curv(x);
	struct conf_tok		*t;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	if (t->t_text[0] != '/') {
		conf_error(x, t->t_col, "checktlsca must be an absolute path, "
		    "not '%s'", conf_quote(x, t->t_text));
		return;
	}
	if (strlen(t->t_text) >= MSG_PATH_LEN) {
		conf_error(x, t->t_col, "checktlsca is longer than %d bytes",
		    MSG_PATH_LEN - 1);
		return;
	}
	conf_text(x, t, "checktlsca", v ? &v->v_tlsca : &x->x_conf->c_tlsca);
}

void
dir_httpredirects(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = conf_curv(x);
	struct conf_tok		*t;
	unsigned long long	 val;

	if ((t = conf_one(x, tok, n)) == NULL ||
	    conf_uint(x, t->t_text, t->t_col, "httpredirects", 0,
	    MSG_REDIRECTS_MAX, &val) == -1)
		return;
	*(v ? &v->v_redirects : &x->x_conf->c_redirects) = (int)val;
}

/*
 * Open the CA bundle at path for the checker: a regular file of 1 byte
 * to MSG_CA_MAX.  The descriptor, or -1 and why.
 */
int
conf_tls_ca_open(const char *path, char *why, size_t len)
{
	struct stat	 st;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		snprintf(why, len, "cannot open CA file %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		snprintf(why, len, "CA file %s is not a regular file", path);
	else if (st.st_size == 0)
		snprintf(why, len, "CA file %s is empty", path);
	else if ((size_t)st.st_size > MSG_CA_MAX)
		snprintf(why, len, "CA file %s is larger than %zu bytes", path,
		    MSG_CA_MAX);
	else
		return fd;
	close(fd);
	return -1;
}

/* The CA bundle a verifying check of v uses. */
const char *
conf_tls_ca_path(const struct conf_virtual *v)
{
	return v->v_tlsca != NULL ? v->v_tlsca : CONF_TLS_SYSTEM_CA;
}

/*
 * The global values where the block sets none; then, if v verifies,
 * its CA file must be there (lvsd -t says so, with the line).
 */
void
conf_tls_resolve(struct conf_ctx *x, struct conf_virtual *v)
{
	const struct conf	*c = x->x_conf;
	char			 why[MSG_PATH_LEN + 64];
	unsigned int		 line;
	int			 fd;

	if (v->v_tlsverify == -1)
		v->v_tlsverify = c->c_tlsverify;
	if (v->v_redirects == -1)
		v->v_redirects = c->c_redirects;
	if (v->v_tlsca == NULL && c->c_tlsca != NULL)
		v->v_tlsca = conf_strdup(x, c->c_tlsca);
	if (!v->v_tlsverify)
		return;
	if ((fd = conf_tls_ca_open(conf_tls_ca_path(v), why,
	    sizeof(why))) != -1) {
		close(fd);
		return;
	}
	if ((line = conf_line(c, v, "checktlsca")) == 0 &&
	    (line = conf_line(c, v, "checktlsverify")) == 0)
		line = v->v_line;
	conf_diag_at(x, 1, line, 1, "%s", why);
}

/*
 * The checker holds at most MSG_CA_FILES CA bundles: more distinct
 * checktlsca files among the verifying virtuals is an error.
 */
void
conf_tls_count(struct conf_ctx *x)
{
	const struct conf_virtual	*v;
	const char			*seen[MSG_CA_FILES];
	size_t				 n = 0, i;

	TAILQ_FOREACH(v, &x->x_conf->c_virtuals, v_entry) {
		if (v->v_tlsverify != 1)
			continue;
		for (i = 0; i < n; i++)
			if (strcmp(seen[i], conf_tls_ca_path(v)) == 0)
				break;
		if (i < n)
			continue;
		if (n == MSG_CA_FILES) {
			conf_diag_at(x, 1, conf_line(x->x_conf, v,
			    "checktlsca"), 1, "more than %d distinct "
			    "checktlsca files", MSG_CA_FILES);
			return;
		}
		seen[n++] = conf_tls_ca_path(v);
	}
}

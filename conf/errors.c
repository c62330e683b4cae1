/*
 * Diagnostics of the config parser: collected while the file is read,
 * then printed in line and column order as
 * "FILE:LINE:COLUMN: error: MESSAGE", so a user sees every mistake of a
 * file in one run, not one per run.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

static void
conf_vdiag(struct conf_ctx *x, int error, unsigned int line,
    unsigned int col, const char *fmt, va_list ap)
{
	struct conf_diag	*d, *nd;
	char			*msg;

	if (error)
		x->x_nerrors++;
	if (x->x_ndiag >= CONF_MAXDIAG) {
		x->x_dropped++;
		return;
	}
	if (vasprintf(&msg, fmt, ap) == -1) {
		x->x_oom = 1;
		return;
	}
	nd = reallocarray(x->x_diag, x->x_ndiag + 1, sizeof(*nd));
	if (nd == NULL) {
		free(msg);
		x->x_oom = 1;
		return;
	}
	x->x_diag = nd;
	d = &nd[x->x_ndiag];
	d->d_line = line;
	d->d_col = col;
	d->d_seq = x->x_ndiag++;
	d->d_error = error;
	d->d_msg = msg;
}

/* An error at column col of the line being read. */
void
conf_error(struct conf_ctx *x, unsigned int col, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conf_vdiag(x, 1, x->x_line, col, fmt, ap);
	va_end(ap);
}

void
conf_warning(struct conf_ctx *x, unsigned int col, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conf_vdiag(x, 0, x->x_line, col, fmt, ap);
	va_end(ap);
}

/* A diagnostic about an earlier line, found once its block was read. */
void
conf_diag_at(struct conf_ctx *x, int error, unsigned int line,
    unsigned int col, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conf_vdiag(x, error, line, col, fmt, ap);
	va_end(ap);
}

static int
conf_diag_cmp(const void *a, const void *b)
{
	const struct conf_diag	*da = a, *db = b;

	if (da->d_line != db->d_line)
		return da->d_line < db->d_line ? -1 : 1;
	if (da->d_col != db->d_col)
		return da->d_col < db->d_col ? -1 : 1;
	return da->d_seq < db->d_seq ? -1 : da->d_seq > db->d_seq;
}

/* Print every diagnostic in line order, then forget them. */
void
conf_diag_flush(struct conf_ctx *x)
{
	struct conf_diag	*d;
	size_t			 i;

	if (x->x_ndiag > 0)
		qsort(x->x_diag, x->x_ndiag, sizeof(*x->x_diag),
		    conf_diag_cmp);
	for (i = 0; i < x->x_ndiag; i++) {
		d = &x->x_diag[i];
		if (x->x_errs == NULL)
			;
		else if (d->d_line == 0)
			fprintf(x->x_errs, "%s: %s: %s\n", x->x_name,
			    d->d_error ? "error" : "warning", d->d_msg);
		else if (d->d_col == 0)
			fprintf(x->x_errs, "%s:%u: %s: %s\n", x->x_name,
			    d->d_line, d->d_error ? "error" : "warning",
			    d->d_msg);
		else
			fprintf(x->x_errs, "%s:%u:%u: %s: %s\n", x->x_name,
			    d->d_line, d->d_col,
			    d->d_error ? "error" : "warning", d->d_msg);
		free(d->d_msg);
	}
	if (x->x_errs != NULL && x->x_dropped > 0)
		fprintf(x->x_errs, "%s: %u more diagnostics not shown\n",
		    x->x_name, x->x_dropped);
	if (x->x_errs != NULL && x->x_oom)
		fprintf(x->x_errs, "%s: error: out of memory\n", x->x_name);
	free(x->x_diag);
	x->x_diag = NULL;
	x->x_ndiag = 0;
	x->x_dropped = 0;
}

/*
 * Offending text as it may be shown on a terminal: bytes that are not
 * printable ASCII become \xNN and long text is cut, so a config full of
 * junk cannot send escape sequences or screens of text to the user.
 */
const char *
conf_quote(struct conf_ctx *x, const char *s)
{
	char		*buf = x->x_qbuf[x->x_qnext++ % 4];
	size_t		 n = 0, i;
	unsigned char	 c;

	for (i = 0; s[i] != '\0' && i < CONF_QUOTELEN; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f)
			buf[n++] = c;
		else
			n += snprintf(buf + n, 5, "\\x%02x", c);
	}
	if (s[i] != '\0') {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

static size_t
conf_min3(size_t a, size_t b, size_t c)
{
	size_t	 m = a < b ? a : b;

	return m < c ? m : c;
}

/*
 * Edit distance where swapping two neighbours counts as one edit, case
 * ignored: "chektimeout", "checktimout" and "CheckTimeout" all find
 * checktimeout.  The words are short, so a small fixed table will do.
 */
#define CONF_EDITMAX	32

static size_t
conf_distance(const char *a, const char *b)
{
	size_t	 d[CONF_EDITMAX + 1][CONF_EDITMAX + 1];
	size_t	 la = strlen(a), lb = strlen(b), i, j, cost;

	if (la > CONF_EDITMAX || lb > CONF_EDITMAX)
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			cost = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			d[i][j] = conf_min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
			    d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 &&
			    tolower((unsigned char)a[i - 1]) ==
			    tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) ==
			    tolower((unsigned char)b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[la][lb];
}

/* The candidate nearest to word, if it is near enough to be meant. */
const char *
conf_suggest(const char *word, const char *const *cands, size_t n)
{
	const char	*best = NULL;
	size_t		 i, dist, bestd, maxd;

	maxd = strlen(word) <= 4 ? 1 : 2;
	bestd = maxd + 1;
	for (i = 0; i < n; i++) {
		dist = conf_distance(word, cands[i]);
		if (dist < bestd) {
			bestd = dist;
			best = cands[i];
		}
	}
	return best;
}

/* Allocation that records a failure instead of killing the parent. */
void *
conf_calloc(struct conf_ctx *x, size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n, size)) == NULL)
		x->x_oom = 1;
	return p;
}

/* A zeroed real from the config's slabs; NULL (and x_oom) if none. */
struct conf_real *
conf_real_new(struct conf_ctx *x)
{
	struct conf		*c = x->x_conf;
	struct conf_slab	*sl = c->c_slabs;

	if (sl == NULL || sl->sl_used == CONF_SLAB_REALS) {
		if ((sl = conf_calloc(x, 1, sizeof(*sl))) == NULL)
			return NULL;
		sl->sl_next = c->c_slabs;
		c->c_slabs = sl;
	}
	return &sl->sl_reals[sl->sl_used++];
}

char *
conf_strdup(struct conf_ctx *x, const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		x->x_oom = 1;
	return p;
}

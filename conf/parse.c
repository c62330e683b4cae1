/*
 * Reading ldirectord.cf: lines, blocks and the dispatch of directives.
 *
 * The layout is ldirectord's: a global directive starts in column 0; a
 * virtual block starts at virtual= in column 0 and its lines are indented
 * by at least 4 spaces or a tab; a blank line, or a line in column 0,
 * ends the block.  Lines whose first non-blank is '#' are comments and
 * end nothing.  Where ldirectord would ignore a mistake, this parser
 * reports it, and it reports all of them before it gives up.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_priv.h"

/* Directive names are short; a longer word is unknown anyway. */
#define CONF_NAMELEN	32

/*
 * The length of the name at the start of s: letters, digits, '_', '-'.
 * Not strspn(), which for a set this long builds a table at each call,
 * and a config has a line per real server.
 */
static size_t
conf_name_len(const char *s)
{
	size_t	 n = 0;

	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
	    (s[n] >= '0' && s[n] <= '9') || s[n] == '_' || s[n] == '-')
		n++;
	return n;
}

static void
conf_close_block(struct conf_ctx *x)
{
	if (x->x_cur != NULL)
		conf_block_end(x, x->x_cur);
	x->x_cur = NULL;
	x->x_blank = 0;
	x->x_blanktold = 0;
}

static struct conf_pvirt *
conf_open_block(struct conf_ctx *x, int v6)
{
	struct conf_pvirt	*pv, **npv;
	struct conf_virtual	*v;
	size_t			 size;

	conf_close_block(x);
	/* doubling: 10,000 blocks must not cost 10,000 copies */
	if ((x->x_npv & (x->x_npv - 1)) == 0) {
		size = x->x_npv ? x->x_npv * 2 : 16;
		/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
		if ((npv = reallocarray(x->x_pv, size, sizeof(*npv))) == NULL) {
			x->x_oom = 1;
			return NULL;
		}
		x->x_pv = npv;
	}
	if ((pv = conf_calloc(x, 1, sizeof(*pv))) == NULL)
		return NULL;
	if ((v = conf_calloc(x, 1, sizeof(*v))) == NULL) {
		free(pv);
		return NULL;
	}
	v->v_line = x->x_line;
	v->v_quiescent = -1;	/* -1: the global value */
	v->v_cleanstop = -1;
	v->v_emailalertfreq = -1;
	v->v_emailalertstatus = CONF_ALERT_UNSET;
	v->v_tlsverify = -1;
	v->v_redirects = -1;
	TAILQ_INIT(&v->v_reals);
	TAILQ_INSERT_TAIL(&x->x_conf->c_virtuals, v, v_entry);
	pv->p_v = v;
	pv->p_v6 = v6;
	pv->p_errors = x->x_nerrors;
	x->x_pv[x->x_npv++] = pv;
	x->x_cur = pv;
	return pv;
}

/*
 * An indented line where none belongs.  The line is still handled as if
 * it were in the right place, so its own mistakes are reported too.
 */
static void
conf_check_indent(struct conf_ctx *x, unsigned int indent, const char *name)
{
	if (indent == 0)
		return;
	if (x->x_cur == NULL && indent >= 4)
		conf_error(x, 1, "'%s' is indented, but no virtual block is "
		    "open; global directives start in column 0", name);
	else if (x->x_cur == NULL)
		conf_error(x, 1, "'%s' is indented by %u spaces; global "
		    "directives start in column 0", name, indent);
	else if (x->x_blank != 0 && !x->x_blanktold) {
		conf_error(x, 1, "'%s' is indented, but the blank line %u "
		    "ended the virtual block of line %u; a block has no blank "
		    "lines", name, x->x_blank, x->x_cur->p_v->v_line);
		x->x_blanktold = 1;
	} else if (indent < 4)
		conf_error(x, 1, "'%s' is indented by %u spaces; lines of a "
		    "virtual block are indented by at least 4 or a tab", name,
		    indent);
}

/* The directive's entry, or NULL after reporting an unknown name. */
static const struct conf_dir *
conf_lookup(struct conf_ctx *x, const char *body, unsigned int col,
    size_t *idx)
{
	const struct conf_dir	*d;
	char			 name[CONF_NAMELEN];
	size_t			 len = conf_name_len(body);

	if (len == 0) {
		conf_error(x, col, "expected a directive name, not '%s'",
		    conf_quote(x, body));
		return NULL;
	}
	if (len >= sizeof(name)) {
		strlcpy(name, body, sizeof(name));
		conf_error(x, col, "unknown directive '%s'",
		    conf_quote(x, name));
		return NULL;
	}
	memcpy(name, body, len);
	name[len] = '\0';
	if ((d = conf_dir_find(name, idx)) == NULL)
		conf_unknown(x, name, col);
	return d;
}

/* Whether d may appear where the parser is; reports why not. */
static int
conf_allowed(struct conf_ctx *x, const struct conf_dir *d, unsigned int col)
{
	if (d->d_fn == NULL) {
		conf_error(x, col, "'%s' %s", d->d_name, d->d_why);
		return 0;
	}
	if (x->x_cur == NULL && !(d->d_scope & SCOPE_GLOBAL)) {
		conf_error(x, col, "'%s' belongs in a virtual block, indented "
		    "by 4 spaces or a tab", d->d_name);
		return 0;
	}
	if (x->x_cur != NULL && !(d->d_scope & SCOPE_VIRTUAL)) {
		conf_error(x, col, "'%s' is only allowed at the top level, in "
		    "column 0", d->d_name);
		return 0;
	}
	return 1;
}

/*
 * The entry of block v for directive idx, made if it has none (doubling
 * from 4); NULL if out of memory.
 */
static struct conf_seen *
conf_seen_entry(struct conf_ctx *x, struct conf_virtual *v, size_t idx)
{
	const struct conf_seen	*found;
	struct conf_seen	*sn;
	unsigned int		 n = v->v_nseen;

	if ((found = conf_seen_find(v, idx)) != NULL)
		return &v->v_seen[found - v->v_seen];
	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
		sn = reallocarray(v->v_seen, n == 0 ? 4 : n * 2, sizeof(*sn));
		if (sn == NULL) {
			x->x_oom = 1;
			return NULL;
		}
		v->v_seen = sn;
	}
	sn = &v->v_seen[v->v_nseen++];
	sn->s_dir = (unsigned int)idx;
	sn->s_line = 0;
	sn->s_col = 0;
	return sn;
}

/* ldirectord lets the last one win; so does lvsd, but it says so. */
static void
conf_note_seen(struct conf_ctx *x, const struct conf_dir *d, size_t idx)
{
	struct conf_seen	*sn;
	unsigned int		*line;

	if (x->x_cur == NULL)
		line = &x->x_conf->c_seen[idx];
	else if ((sn = conf_seen_entry(x, x->x_cur->p_v, idx)) != NULL) {
		line = &sn->s_line;
		sn->s_col = x->x_vcol;
	} else
		return;
	if (*line != 0 && !(d->d_flags & DIR_REPEAT))
		conf_warning(x, x->x_vcol, "'%s' was already set at line %u; "
		    "this value replaces it", d->d_name, *line);
	*line = x->x_line;
}

static void
conf_virtual_line(struct conf_ctx *x, const struct conf_dir *d,
    unsigned int indent, char *value, char *scratch)
{
	struct conf_tok		 tok[CONF_MAXTOK];
	struct conf_pvirt	*pv;
	int			 n;

	if (indent > 0)
		conf_error(x, 1, "'%s' starts a new block and must start in "
		    "column 0", d->d_name);
	if ((pv = conf_open_block(x, strcmp(d->d_name, "virtual6") == 0)) ==
	    NULL)
		return;
	if ((n = conf_tokenize(x, value, x->x_vcol, scratch, tok)) >= 0)
		conf_virtual_addr(x, pv, tok, n);
}

/* ldirectord takes a bare "supervised" as supervised=yes. */
static void
conf_bare_supervised(struct conf_ctx *x, const struct conf_dir *d,
    size_t idx, unsigned int indent, unsigned int col)
{
	struct conf_tok	 yes;
	char		 word[] = "yes";

	conf_warning(x, col, "a bare 'supervised' means yes, as in "
	    "ldirectord; write supervised=yes");
	conf_check_indent(x, indent, d->d_name);
	if (!conf_allowed(x, d, col))
		return;
	x->x_vcol = col;
	conf_note_seen(x, d, idx);
	yes.t_text = word;
	yes.t_col = col;
	yes.t_quoted = 0;
	d->d_fn(x, &yes, 1);
}

/* NAME = VALUE, the name at body (column col), indented by indent. */
static void
conf_directive(struct conf_ctx *x, char *line, char *body,
    unsigned int indent, char *scratch)
{
	struct conf_tok		 tok[CONF_MAXTOK];
	const struct conf_dir	*d;
	unsigned int		 col = body - line + 1;
	size_t			 idx;
	char			*p;
	int			 n;

	if ((d = conf_lookup(x, body, col, &idx)) == NULL)
		return;
	x->x_dname = d->d_name;
	p = body + strlen(d->d_name);
	p += strspn(p, " \t");
	if ((*p == '\0' || *p == '#') && strcmp(d->d_name, "supervised") == 0) {
		conf_bare_supervised(x, d, idx, indent, col);
		return;
	}
	if (*p == '\0') {
		conf_error(x, p - line + 1, "missing '=' after '%s'",
		    d->d_name);
		return;
	}
	if (*p != '=') {
		conf_error(x, p - line + 1, "expected '=' after '%s', not '%s'",
		    d->d_name, conf_quote(x, p));
		return;
	}
	p++;
	p += strspn(p, " \t");
	x->x_vcol = p - line + 1;
	if (d->d_flags & DIR_BLOCK) {
		conf_virtual_line(x, d, indent, p, scratch);
		return;
	}
	conf_check_indent(x, indent, d->d_name);
	if (!conf_allowed(x, d, col))
		return;
	conf_note_seen(x, d, idx);
	if (d->d_flags & DIR_REST)
		n = conf_rest(x, p, x->x_vcol, scratch, tok);
	else
		n = conf_tokenize(x, p, x->x_vcol, scratch, tok);
	if (n >= 0)
		d->d_fn(x, tok, n);
}

static void
conf_read_line(struct conf_ctx *x, char *line, char *scratch)
{
	unsigned int	 indent;
	size_t		 off;

	indent = conf_indent(line, &off);
	if (line[off] == '\0') {
		if (x->x_cur != NULL && x->x_blank == 0)
			x->x_blank = x->x_line;
		return;
	}
	if (line[off] == '#')
		return;
	if (indent == 0)
		conf_close_block(x);
	conf_directive(x, line, line + off, indent, scratch);
}

/* Each line of text, without its "\n" or "\r\n", to conf_read_line(). */
static void
conf_lines(struct conf_ctx *x, const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *nl, *nul;
	char		*line = NULL, *scratch = NULL;
	size_t		 n, size = 0;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		n = nl - p;
		x->x_line++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if ((nul = memchr(p, '\0', n)) != NULL) {
			conf_error(x, nul - p + 1, "NUL byte in the line");
			continue;
		}
		if (line == NULL || n + 2 > size) {
			free(line);
			free(scratch);
			size = n + 2;
			line = malloc(size);
			scratch = malloc(size);
			if (line == NULL || scratch == NULL) {
				x->x_oom = 1;
				break;
			}
		}
		memcpy(line, p, n);
		line[n] = '\0';
		conf_read_line(x, line, scratch);
	}
	free(line);
	free(scratch);
}

static int
conf_ctx_init(struct conf_ctx *x, const char *name, FILE *errs)
{
	struct conf	*c;

	memset(x, 0, sizeof(*x));
	x->x_name = name;
	x->x_errs = errs;
	if ((c = conf_calloc(x, 1, sizeof(*c))) == NULL)
		return -1;
	if ((c->c_path = conf_strdup(x, name)) == NULL) {
		free(c);
		return -1;
	}
	c->c_checkinterval = CONF_DEF_INTERVAL;
	c->c_failurecount = CONF_DEF_FAILURES;
	c->c_rise = 1;
	c->c_checkcount = 1;
	c->c_cleanstop = 1;
	c->c_emailalertstatus = CONF_ALERT_ALL;
	/* alerts go to the local SMTP server unless smtp= says otherwise */
	addr_parse(CONF_DEF_SMTP, AF_INET, &c->c_smtp_addr);
	c->c_smtp_port = CONF_DEF_SMTP_PORT;
	TAILQ_INIT(&c->c_virtuals);
	x->x_conf = c;
	return 0;
}

static struct conf *
conf_run(struct conf_ctx *x, const char *text, size_t len)
{
	struct conf	*c = x->x_conf;
	size_t		 i;

	conf_lines(x, text, len);
	conf_close_block(x);
	conf_finish(x);
	conf_diag_flush(x);
	for (i = 0; i < x->x_npv; i++)
		free(x->x_pv[i]);
	free(x->x_pv);
	if (x->x_nerrors > 0 || x->x_oom) {
		conf_free(c);
		return NULL;
	}
	return c;
}

/* name is what messages call the text: a file name, "-", "(reload)". */
struct conf *
conf_parse_string_flags(const char *name, const char *text, FILE *errs,
    int flags)
{
	struct conf_ctx	 x;

	if (conf_ctx_init(&x, name, errs) == -1) {
		conf_diag_flush(&x);
		return NULL;
	}
	x.x_flags = flags;
	return conf_run(&x, text, strlen(text));
}

struct conf *
conf_parse_string(const char *name, const char *text, FILE *errs)
{
	return conf_parse_string_flags(name, text, errs, 0);
}

/* All of fd, up to CONF_MAXFILE; NULL after a message. */
static char *
conf_slurp(struct conf_ctx *x, int fd, size_t *lenp)
{
	struct stat	 st;
	char		*buf = NULL, *nbuf;
	size_t		 len = 0, size = 0, first = 8192;
	ssize_t		 n;

	/* a file's size and one byte, to see its end: no doubling */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size < CONF_MAXFILE)
		first = (size_t)st.st_size + 1;
	for (;;) {
		if (len == size) {
			size = size ? size * 2 : first;
			if ((nbuf = realloc(buf, size)) == NULL) {
				x->x_oom = 1;
				break;
			}
			buf = nbuf;
		}
		if ((n = read(fd, buf + len, size - len)) == 0) {
			*lenp = len;
			return buf;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			conf_diag_at(x, 1, 0, 0, "cannot read: %s",
			    strerror(errno));
			break;
		}
		if ((len += n) > CONF_MAXFILE) {
			conf_diag_at(x, 1, 0, 0, "larger than %zu MiB; that "
			    "cannot be a config", CONF_MAXFILE >> 20);
			break;
		}
	}
	free(buf);
	return NULL;
}

/* The parent runs as root: a file others may write is worth a word. */
static void
conf_check_perm(struct conf_ctx *x, int fd)
{
	struct stat	 st;

	if (fstat(fd, &st) == -1)
		return;
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		conf_diag_at(x, 0, 0, 0, "the file is writable by %s; lvsd "
		    "runs as root", st.st_mode & S_IWOTH ? "everyone" :
		    "its group");
}

struct conf *
conf_parse_file(const char *path, FILE *errs)
{
	struct conf_ctx	 x;
	char		*text;
	size_t		 len;
	int		 fd;

	if (conf_ctx_init(&x, path, errs) == -1) {
		conf_diag_flush(&x);
		return NULL;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		conf_diag_at(&x, 1, 0, 0, "cannot open: %s", strerror(errno));
		conf_diag_flush(&x);
		conf_free(x.x_conf);
		return NULL;
	}
	conf_check_perm(&x, fd);
	text = conf_slurp(&x, fd, &len);
	close(fd);
	if (text == NULL) {
		conf_diag_flush(&x);
		conf_free(x.x_conf);
		return NULL;
	}
	x.x_conf = conf_run(&x, text, len);
	free(text);
	return x.x_conf;
}

static void
conf_free_virtual(struct conf_virtual *v)
{
	struct conf_real	*r;

	/* the reals themselves are in the config's slabs (conf_free) */
	TAILQ_FOREACH(r, &v->v_reals, r_entry) {
		free(r->r_request);
		free(r->r_receive);
	}
	free(v->v_schedflags);
	free(v->v_request);
	free(v->v_receive);
	free(v->v_virtualhost);
	free(v->v_login);
	free(v->v_passwd);
	free(v->v_database);
	free(v->v_secret);
	free(v->v_checkcommand);
	free(v->v_monitorfile);
	free(v->v_servicename);
	free(v->v_comment);
	free(v->v_fallbackcommand);
	free(v->v_emailalert);
	free(v->v_smtp);
	free(v->v_tlsca);
	free(v->v_seen);
	free(v);
}

void
conf_free(struct conf *c)
{
	struct conf_virtual	*v;
	struct conf_slab	*sl;
	size_t			 i;

	if (c == NULL)
		return;
	while ((v = TAILQ_FIRST(&c->c_virtuals)) != NULL) {
		TAILQ_REMOVE(&c->c_virtuals, v, v_entry);
		conf_free_virtual(v);
	}
	while ((sl = c->c_slabs) != NULL) {
		c->c_slabs = sl->sl_next;
		free(sl);
	}
	for (i = 0; i < c->c_nexecute; i++)
		free(c->c_execute[i]);
	free(c->c_execute);
	free(c->c_fallbackcommand);
	free(c->c_emailalert);
	free(c->c_smtp);
	free(c->c_tlsca);
	free(c->c_emailalertfrom);
	free(c->c_callback);
	free(c->c_logfile);
	free(c->c_maintenancedir);
	free(c->c_path);
	free(c);
}

/*
 * The inside of the config parser, shared by the files of conf/ and by
 * nothing else.  conf.h is what the rest of lvsd sees.
 */
#ifndef LVSD_CONF_PRIV_H
#define LVSD_CONF_PRIV_H

#include <stdarg.h>
#include <stddef.h>

#include "conf.h"

/* A real= line has at most 8 values; room for a few too many to name. */
#define CONF_MAXTOK		12
/* Diagnostics shown; past that a count, so a binary file cannot flood. */
#define CONF_MAXDIAG		100
/* A keyword error lists the choices when there are at most this many. */
#define CONF_LISTMAX		8
/* Offending text is quoted up to this length, then cut with "...". */
#define CONF_QUOTELEN		64
/* Larger files are refused: real configs are a few kilobytes. */
#define CONF_MAXFILE		((size_t)16 * 1024 * 1024)
/* A range A->B expands to at most this many real servers. */
#define CONF_MAXRANGE		4096

/* Time values in seconds, and their upper bound: one day. */
#define CONF_MAXSECONDS		86400
#define CONF_MAXFAILURES	1000
/* the checker's CHECK_RISE_MAX */
#define CONF_MAXRISE		1000
#define CONF_MAXWEIGHT		65535
#define CONF_MAXPERSIST		2678400	/* 31 days, as seconds */

/* Defaults of ldirectord's code (ld_setup), not of its manual. */
#define CONF_DEF_CHECKTIMEOUT	5
#define CONF_DEF_NEGOTIATE	30
#define CONF_DEF_INTERVAL	10
#define CONF_DEF_FAILURES	1
#define CONF_DEF_SCHED		"wrr"
#define CONF_DEF_CHECKCOMMAND	"/bin/true"
/* smtp=: ldirectord's default is the local mailer, which lvsd cannot run */
#define CONF_DEF_SMTP		"127.0.0.1"
#define CONF_DEF_SMTP_PORT	25

enum conf_scope {
	SCOPE_GLOBAL = 1,
	SCOPE_VIRTUAL = 2,
	SCOPE_BOTH = 3
};

/* One value of a directive: a word or a double-quoted string. */
struct conf_tok {
	char		*t_text;	/* unquoted, NUL-terminated */
	unsigned int	 t_col;		/* 1-based byte column in the line */
	int		 t_quoted;
};

/* One virtual block while it is parsed, beside the struct it fills. */
struct conf_pvirt {
	struct conf_virtual	*p_v;
	unsigned int		 p_col;		/* column of the address */
	int			 p_ok;		/* the address parsed */
	int			 p_v6;		/* virtual6= */
	unsigned int		 p_errors;	/* errors before the block */
};

/*
 * The reals of a config, CONF_SLAB_REALS to an allocation: 100,000 of
 * them are as many mallocs and frees at each reload otherwise.  They
 * go with the config (conf_free), never one by one.
 */
#define CONF_SLAB_REALS		256

struct conf_slab {
	struct conf_slab	*sl_next;
	unsigned int		 sl_used;
	struct conf_real	 sl_reals[CONF_SLAB_REALS];
};

struct conf_diag {
	unsigned int	 d_line;	/* 0: the file as a whole */
	unsigned int	 d_col;		/* 0: the line as a whole */
	unsigned int	 d_seq;		/* keeps the order within a line */
	int		 d_error;	/* else a warning */
	char		*d_msg;
};

struct conf_ctx {
	const char		*x_name;	/* file name in messages */
	FILE			*x_errs;
	int			 x_flags;	/* CONF_NORESOLVE */
	struct conf		*x_conf;
	int			 x_oom;

	/* diagnostics, printed sorted by line once the file is read */
	struct conf_diag	*x_diag;
	size_t			 x_ndiag;
	unsigned int		 x_nerrors;
	unsigned int		 x_dropped;

	/* where the parser is */
	unsigned int		 x_line;
	const char		*x_dname;	/* directive being handled */
	unsigned int		 x_vcol;	/* column of its value */
	struct conf_pvirt	*x_cur;		/* open virtual block */
	unsigned int		 x_blank;	/* blank line that closes it */
	int			 x_blanktold;	/* ... already reported */
	struct conf_pvirt	**x_pv;		/* every block, in order */
	size_t			 x_npv;

	/* quote() returns one of these, so a message can quote twice */
	char			 x_qbuf[4][CONF_QUOTELEN * 4 + 8];
	unsigned int		 x_qnext;
};

typedef void	(*conf_handler)(struct conf_ctx *, struct conf_tok *, int);

#define DIR_REPEAT	0x01	/* may be given more than once */
#define DIR_BLOCK	0x02	/* starts a virtual block */
#define DIR_REST	0x04	/* the value is the rest of the line */

struct conf_dir {
	const char	*d_name;
	int		 d_scope;	/* enum conf_scope */
	int		 d_flags;
	conf_handler	 d_fn;		/* NULL: d_why says why not */
	const char	*d_why;
};

/* errors.c */
void		 conf_error(struct conf_ctx *, unsigned int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void		 conf_warning(struct conf_ctx *, unsigned int, const char *,
		    ...) __attribute__((format(printf, 3, 4)));
void		 conf_diag_at(struct conf_ctx *, int, unsigned int,
		    unsigned int, const char *, ...)
		    __attribute__((format(printf, 5, 6)));
void		 conf_diag_flush(struct conf_ctx *);
const char	*conf_quote(struct conf_ctx *, const char *);
const char	*conf_suggest(const char *, const char *const *, size_t);
void		*conf_calloc(struct conf_ctx *, size_t, size_t);
char		*conf_strdup(struct conf_ctx *, const char *);
struct conf_real *conf_real_new(struct conf_ctx *);

/* lex.c */
unsigned int	 conf_indent(const char *, size_t *);
int		 conf_tokenize(struct conf_ctx *, char *, unsigned int, char *,
		    struct conf_tok *);
int		 conf_rest(struct conf_ctx *, char *, unsigned int, char *,
		    struct conf_tok *);
int		 conf_is_digits(const char *);

/* directives.c */
const struct conf_dir *conf_dir_find(const char *, size_t *);
size_t		 conf_dir_index(const char *);
const char	*conf_dir_suggest(const char *);

/* values.c */
struct conf_tok	*conf_one(struct conf_ctx *, struct conf_tok *, int);
int		 conf_uint(struct conf_ctx *, const char *, unsigned int,
		    const char *, unsigned long long, unsigned long long,
		    unsigned long long *);
int		 conf_one_uint(struct conf_ctx *, struct conf_tok *, int,
		    unsigned long long, unsigned long long,
		    unsigned long long *);
int		 conf_yesno(struct conf_ctx *, const struct conf_tok *, int *);
int		 conf_request(struct conf_ctx *, const struct conf_tok *,
		    char **);
int		 conf_receive(struct conf_ctx *, const struct conf_tok *,
		    char **);
int		 conf_vhost(struct conf_ctx *, const struct conf_tok *,
		    char **);
int		 conf_keyword(struct conf_ctx *, const struct conf_tok *,
		    const char *, const char *const *, size_t);

/* address.c */
int		 conf_host(struct conf_ctx *, const char *, unsigned int, int,
		    struct addr *);
int		 conf_port(struct conf_ctx *, const char *, unsigned int,
		    uint16_t *);
int		 conf_hostport(struct conf_ctx *, const struct conf_tok *, int,
		    struct addr *, uint16_t *);

/* servers.c */
void		 conf_virtual_addr(struct conf_ctx *, struct conf_pvirt *,
		    struct conf_tok *, int);
void		 conf_dir_real(struct conf_ctx *, struct conf_tok *, int);
void		 conf_dir_fallback(struct conf_ctx *, struct conf_tok *, int);
int		 conf_fwd(struct conf_ctx *, const struct conf_tok *,
		    uint8_t *);

/* resolve.c */
void		 conf_block_end(struct conf_ctx *, struct conf_pvirt *);
/* quirks.c */
void		 conf_block_quirks(struct conf_ctx *, const struct conf_pvirt *);
void		 conf_finish(struct conf_ctx *);

/* directives.c: names shared by resolve.c and print.c */
const char	*conf_proto_name(unsigned int);
const char	*conf_fwd_name(unsigned int);
const char	*conf_method_name(unsigned int);
int		 conf_service_by_port(uint16_t);
struct conf_virtual *conf_curv(struct conf_ctx *);

/* dir_global.c: the directives of the daemon as a whole */
void		 dir_autoreload(struct conf_ctx *, struct conf_tok *, int);
void		 dir_callback(struct conf_ctx *, struct conf_tok *, int);
void		 dir_logfile(struct conf_ctx *, struct conf_tok *, int);
void		 dir_execute(struct conf_ctx *, struct conf_tok *, int);
void		 dir_fork(struct conf_ctx *, struct conf_tok *, int);
void		 dir_supervised(struct conf_ctx *, struct conf_tok *, int);
void		 dir_readdquiescent(struct conf_ctx *, struct conf_tok *, int);
void		 dir_emailalertfrom(struct conf_ctx *, struct conf_tok *, int);
void		 dir_maintenancedir(struct conf_ctx *, struct conf_tok *, int);

/* dir_alert.c: alerts and hooks, global or per virtual */
void		 dir_fallbackcommand(struct conf_ctx *, struct conf_tok *,
		    int);
void		 dir_emailalert(struct conf_ctx *, struct conf_tok *, int);
void		 dir_emailalertfreq(struct conf_ctx *, struct conf_tok *, int);
void		 dir_emailalertstatus(struct conf_ctx *, struct conf_tok *,
		    int);
void		 dir_smtp(struct conf_ctx *, struct conf_tok *, int);
void		 dir_cleanstop(struct conf_ctx *, struct conf_tok *, int);

/* dir_ipvs.c: the IPVS service's own directives */
void		 dir_protocol(struct conf_ctx *, struct conf_tok *, int);
void		 dir_scheduler(struct conf_ctx *, struct conf_tok *, int);
void		 dir_persistent(struct conf_ctx *, struct conf_tok *, int);
void		 dir_netmask(struct conf_ctx *, struct conf_tok *, int);
void		 dir_ops(struct conf_ctx *, struct conf_tok *, int);
void		 dir_schedflags(struct conf_ctx *, struct conf_tok *, int);
uint32_t	 conf_schedflag_bit(const char *, size_t, const char **);

/* dir_strings.c: the free-text values of a virtual block */
void		 dir_login(struct conf_ctx *, struct conf_tok *, int);
void		 dir_passwd(struct conf_ctx *, struct conf_tok *, int);
void		 dir_database(struct conf_ctx *, struct conf_tok *, int);
void		 dir_secret(struct conf_ctx *, struct conf_tok *, int);
void		 dir_checkcommand(struct conf_ctx *, struct conf_tok *, int);
void		 dir_monitorfile(struct conf_ctx *, struct conf_tok *, int);
void		 dir_servicename(struct conf_ctx *, struct conf_tok *, int);
void		 dir_comment(struct conf_ctx *, struct conf_tok *, int);
int		 conf_text(struct conf_ctx *, const struct conf_tok *,
		    const char *, char **);

/* dir_tls.c: lvsd's own TLS and redirect settings */
void		 dir_checktlsverify(struct conf_ctx *, struct conf_tok *, int);
void		 dir_checktlsca(struct conf_ctx *, struct conf_tok *, int);
void		 dir_httpredirects(struct conf_ctx *, struct conf_tok *, int);
void		 conf_tls_resolve(struct conf_ctx *, struct conf_virtual *);
void		 conf_tls_count(struct conf_ctx *);
/* The CA bundle verification uses when checktlsca is not set. */
#define CONF_TLS_SYSTEM_CA	"/etc/ssl/certs/ca-certificates.crt"

/* dir_sync.c: lvsd's own, the kernel's connection sync daemons */
void		 dir_syncdaemon(struct conf_ctx *, struct conf_tok *, int);
void		 dir_syncinterface(struct conf_ctx *, struct conf_tok *, int);
void		 dir_syncid(struct conf_ctx *, struct conf_tok *, int);
void		 dir_syncport(struct conf_ctx *, struct conf_tok *, int);
void		 dir_syncttl(struct conf_ctx *, struct conf_tok *, int);
void		 dir_syncmaxlen(struct conf_ctx *, struct conf_tok *, int);
void		 dir_syncgroup(struct conf_ctx *, struct conf_tok *, int);
void		 conf_sync_finish(struct conf_ctx *);

/* hints.c: what an unknown directive may have been meant as */
void		 conf_unknown(struct conf_ctx *, const char *, unsigned int);

#endif /* LVSD_CONF_PRIV_H */

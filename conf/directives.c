/*
 * The directives of ldirectord.cf: a table with the scope each may
 * appear in, and the short handlers of the numbers, switches and check
 * settings.  The other handlers live beside the kind of value they
 * take: dir_ipvs.c, dir_strings.c, dir_alert.c, dir_global.c, servers.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf_priv.h"

static const char *const conf_fwds[] = { "gate", "masq", "ipip" };
static const char *const conf_checktypes[] = {
	"connect", "negotiate", "on", "off", "ping", "external",
	"external-perl"
};
/* In the order of enum msg_service_kind, then enum conf_service. */
static const char *const conf_services[] = {
	"none", "http", "smtp", "pop", "imap", "nntp", "simpletcp", "dns",
	"ftp", "http_proxy", "https", "imaps", "ldap", "ldaps", "mysql",
	"oracle", "pgsql", "pops", "radius", "sip", "submission"
};
static const char *const conf_methods[] = { "GET", "HEAD" };

/* ldirectord's ld_service_to_port, in the order of conf_services. */
static const uint16_t conf_service_ports[] = {
	0, 80, 25, 110, 143, 119, 0, 53,
	21, 3128, 443, 993, 389, 636, 3306,
	1521, 5432, 995, 1812, 5060, 587
};

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

_Static_assert(nitems(conf_services) == CONF_SVC_MAX - 1, "services");
_Static_assert(nitems(conf_service_ports) == CONF_SVC_MAX - 1, "ports");
_Static_assert(nitems(conf_checktypes) == CONF_CHECK_COMBINED - 1, "types");

const char *
conf_fwd_name(unsigned int f)
{
	return f >= 1 && f <= nitems(conf_fwds) ? conf_fwds[f - 1] : "?";
}

const char *
conf_checktype_name(unsigned int c)
{
	if (c == CONF_CHECK_COMBINED)
		return "combined";
	return c >= 1 && c <= nitems(conf_checktypes) ?
	    conf_checktypes[c - 1] : "?";
}

const char *
conf_service_name(unsigned int s)
{
	return s >= 1 && s <= nitems(conf_services) ?
	    conf_services[s - 1] : "?";
}

uint16_t
conf_service_port(unsigned int s)
{
	return s >= 1 && s <= nitems(conf_service_ports) ?
	    conf_service_ports[s - 1] : 0;
}

/* ldirectord's ld_port_to_service: the service a virtual port implies. */
int
conf_service_by_port(uint16_t port)
{
	size_t	 i;

	for (i = 0; i < nitems(conf_service_ports) && port != 0; i++)
		if (conf_service_ports[i] == port)
			return SERVICE_NONE + i;
	return SERVICE_NONE;
}

const char *
conf_method_name(unsigned int m)
{
	return m >= 1 && m <= nitems(conf_methods) ? conf_methods[m - 1] : "?";
}

/* "gate", "masq" or "ipip", as enum msg_fwd; -1 after an error. */
int
conf_fwd(struct conf_ctx *x, const struct conf_tok *t, uint8_t *fwd)
{
	int	 i;

	if ((i = conf_keyword(x, t, "forwarding method", conf_fwds,
	    nitems(conf_fwds))) == -1)
		return -1;
	*fwd = FWD_GATE + i;
	return 0;
}

struct conf_virtual *
conf_curv(struct conf_ctx *x)
{
	return x->x_cur != NULL ? x->x_cur->p_v : NULL;
}

/* A number that is both a global and a per-virtual override. */
static void
conf_set_uint(struct conf_ctx *x, struct conf_tok *tok, int n,
    unsigned long long min, unsigned long long max, unsigned int *global,
    unsigned int *virtual)
{
	unsigned long long	 v;
	unsigned int		*dst = x->x_cur != NULL ? virtual : global;

	if (conf_one_uint(x, tok, n, min, max, &v) == -1)
		return;
	if (dst != NULL)	/* the table gives each its scope */
		*dst = (unsigned int)v;
}

static void
dir_checktimeout(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = conf_curv(x);

	conf_set_uint(x, tok, n, 1, CONF_MAXSECONDS,
	    &x->x_conf->c_checktimeout, v ? &v->v_checktimeout : NULL);
}

static void
dir_negotiatetimeout(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = conf_curv(x);

	conf_set_uint(x, tok, n, 1, CONF_MAXSECONDS,
	    &x->x_conf->c_negotiatetimeout, v ? &v->v_negotiatetimeout : NULL);
}

static void
dir_checkinterval(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = conf_curv(x);

	conf_set_uint(x, tok, n, 1, CONF_MAXSECONDS,
	    &x->x_conf->c_checkinterval, v ? &v->v_checkinterval : NULL);
}

static void
dir_failurecount(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = conf_curv(x);

	conf_set_uint(x, tok, n, 1, CONF_MAXFAILURES,
	    &x->x_conf->c_failurecount, v ? &v->v_failurecount : NULL);
}

/*
 * lvsd's own (ldirectord has none): the successes in a row that bring
 * a real that is down back up.
 */
static void
dir_rise(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = conf_curv(x);

	conf_set_uint(x, tok, n, 1, CONF_MAXRISE, &x->x_conf->c_rise,
	    v ? &v->v_rise : NULL);
}

static void
dir_quiescent(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;
	int		 yes;

	if ((t = conf_one(x, tok, n)) == NULL || conf_yesno(x, t, &yes) == -1)
		return;
	if (x->x_cur != NULL)
		x->x_cur->p_v->v_quiescent = yes;
	else
		x->x_conf->c_quiescent = yes;
}

static void
dir_checkcount(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = conf_curv(x);
	struct conf_tok		*t;
	unsigned long long	 val;

	if ((t = conf_one(x, tok, n)) == NULL ||
	    conf_uint(x, t->t_text, t->t_col, "checkcount", 1,
	    CONF_MAXFAILURES, &val) == -1)
		return;
	*(v ? &v->v_checkcount : &x->x_conf->c_checkcount) = val;
	conf_warning(x, t->t_col, "checkcount is deprecated, as in "
	    "ldirectord; it only counts the attempts of a ping check");
}

/* ldirectord parsed load= and never read it. */
static void
dir_load(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	conf_warning(x, x->x_vcol, "load is ignored, as ldirectord ignores "
	    "it");
}

static void
dir_service(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;
	int		 k;

	if ((t = conf_one(x, tok, n)) != NULL &&
	    (k = conf_keyword(x, t, "service", conf_services,
	    nitems(conf_services))) != -1)
		x->x_cur->p_v->v_service = SERVICE_NONE + k;
}

/*
 * A number N is ldirectord's combined check: negotiate, then N connect
 * checks.  ldirectord takes any value with a digit in it ("abc5" is 5);
 * lvsd only digits.
 */
static void
dir_checktype(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = x->x_cur->p_v;
	struct conf_tok		*t;
	unsigned long long	 num;
	int			 k;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	if (strpbrk(t->t_text, "0123456789") != NULL) {
		if (conf_uint(x, t->t_text, t->t_col, "a combined checktype",
		    0, CONF_MAXFAILURES, &num) == 0) {
			v->v_checktype = CONF_CHECK_COMBINED;
			v->v_combined = num;
		}
		return;
	}
	if ((k = conf_keyword(x, t, "checktype", conf_checktypes,
	    nitems(conf_checktypes))) != -1) {
		v->v_checktype = CHECK_CONNECT + k;
		v->v_combined = 0;
	}
}

static void
dir_checkport(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok		*t;
	unsigned long long	 v;

	if ((t = conf_one(x, tok, n)) == NULL ||
	    conf_uint(x, t->t_text, t->t_col, "checkport", 1, 65535, &v) == -1)
		return;
	x->x_cur->p_v->v_checkport = v;
}

static void
dir_request(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;

	if ((t = conf_one(x, tok, n)) != NULL)
		conf_request(x, t, &x->x_cur->p_v->v_request);
}

static void
dir_receive(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;

	if ((t = conf_one(x, tok, n)) != NULL)
		conf_receive(x, t, &x->x_cur->p_v->v_receive);
}

static void
dir_virtualhost(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;

	if ((t = conf_one(x, tok, n)) != NULL)
		conf_vhost(x, t, &x->x_cur->p_v->v_virtualhost);
}

static void
dir_httpmethod(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;
	size_t		 i;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	for (i = 0; i < nitems(conf_methods); i++) {
		if (strcasecmp(t->t_text, conf_methods[i]) == 0) {
			x->x_cur->p_v->v_httpmethod = HTTP_GET + i;
			return;
		}
	}
	conf_error(x, t->t_col, "httpmethod must be GET or HEAD, not '%s'",
	    conf_quote(x, t->t_text));
}

static const struct conf_dir conf_dirs[] = {
	{ "virtual",		SCOPE_GLOBAL,	DIR_BLOCK, NULL, NULL },
	{ "virtual6",		SCOPE_GLOBAL,	DIR_BLOCK, NULL, NULL },
	{ "real",		SCOPE_VIRTUAL,	DIR_REPEAT, conf_dir_real,
	    NULL },
	{ "real6",		SCOPE_VIRTUAL,	DIR_REPEAT, conf_dir_real,
	    NULL },
	{ "checktimeout",	SCOPE_BOTH,	0, dir_checktimeout, NULL },
	{ "negotiatetimeout",	SCOPE_BOTH,	0, dir_negotiatetimeout, NULL },
	{ "checkinterval",	SCOPE_BOTH,	0, dir_checkinterval, NULL },
	{ "failurecount",	SCOPE_BOTH,	0, dir_failurecount, NULL },
	{ "rise",		SCOPE_BOTH,	0, dir_rise, NULL },
	{ "checkcount",		SCOPE_BOTH,	0, dir_checkcount, NULL },
	{ "quiescent",		SCOPE_BOTH,	0, dir_quiescent, NULL },
	{ "cleanstop",		SCOPE_BOTH,	0, dir_cleanstop, NULL },
	{ "fallback",		SCOPE_BOTH,	0, conf_dir_fallback, NULL },
	{ "fallback6",		SCOPE_BOTH,	0, conf_dir_fallback, NULL },
	{ "fallbackcommand",	SCOPE_BOTH,	DIR_REST, dir_fallbackcommand,
	    NULL },
	{ "emailalert",		SCOPE_BOTH,	DIR_REST, dir_emailalert, NULL },
	{ "emailalertfreq",	SCOPE_BOTH,	0, dir_emailalertfreq, NULL },
	{ "emailalertstatus",	SCOPE_BOTH,	DIR_REST, dir_emailalertstatus,
	    NULL },
	{ "smtp",		SCOPE_BOTH,	0, dir_smtp, NULL },
	{ "autoreload",		SCOPE_GLOBAL,	0, dir_autoreload, NULL },
	{ "callback",		SCOPE_GLOBAL,	DIR_REST, dir_callback, NULL },
	{ "logfile",		SCOPE_GLOBAL,	DIR_REST, dir_logfile, NULL },
	{ "execute",		SCOPE_GLOBAL,	DIR_REST | DIR_REPEAT,
	    dir_execute, NULL },
	{ "fork",		SCOPE_GLOBAL,	0, dir_fork, NULL },
	{ "supervised",		SCOPE_GLOBAL,	0, dir_supervised, NULL },
	{ "readdquiescent",	SCOPE_GLOBAL,	0, dir_readdquiescent, NULL },
	{ "emailalertfrom",	SCOPE_GLOBAL,	DIR_REST, dir_emailalertfrom,
	    NULL },
	{ "maintenancedir",	SCOPE_GLOBAL,	DIR_REST, dir_maintenancedir,
	    NULL },
	{ "protocol",		SCOPE_VIRTUAL,	0, dir_protocol, NULL },
	{ "scheduler",		SCOPE_VIRTUAL,	0, dir_scheduler, NULL },
	{ "schedflags",		SCOPE_VIRTUAL,	0, dir_schedflags, NULL },
	{ "persistent",		SCOPE_VIRTUAL,	0, dir_persistent, NULL },
	{ "netmask",		SCOPE_VIRTUAL,	0, dir_netmask, NULL },
	{ "ops",		SCOPE_VIRTUAL,	0, dir_ops, NULL },
	{ "checktype",		SCOPE_VIRTUAL,	0, dir_checktype, NULL },
	{ "service",		SCOPE_VIRTUAL,	0, dir_service, NULL },
	{ "checkport",		SCOPE_VIRTUAL,	0, dir_checkport, NULL },
	{ "request",		SCOPE_VIRTUAL,	0, dir_request, NULL },
	{ "receive",		SCOPE_VIRTUAL,	0, dir_receive, NULL },
	{ "httpmethod",		SCOPE_VIRTUAL,	0, dir_httpmethod, NULL },
	{ "virtualhost",	SCOPE_VIRTUAL,	0, dir_virtualhost, NULL },
	{ "login",		SCOPE_VIRTUAL,	0, dir_login, NULL },
	{ "passwd",		SCOPE_VIRTUAL,	0, dir_passwd, NULL },
	{ "database",		SCOPE_VIRTUAL,	0, dir_database, NULL },
	{ "secret",		SCOPE_VIRTUAL,	0, dir_secret, NULL },
	{ "checkcommand",	SCOPE_VIRTUAL,	DIR_REST, dir_checkcommand,
	    NULL },
	{ "monitorfile",	SCOPE_VIRTUAL,	DIR_REST, dir_monitorfile,
	    NULL },
	{ "servicename",	SCOPE_VIRTUAL,	DIR_REST, dir_servicename,
	    NULL },
	{ "comment",		SCOPE_VIRTUAL,	DIR_REST, dir_comment, NULL },
	{ "load",		SCOPE_VIRTUAL,	DIR_REST, dir_load, NULL },
	{ "checktlsverify",	SCOPE_BOTH,	0, dir_checktlsverify, NULL },
	{ "checktlsca",		SCOPE_BOTH,	0, dir_checktlsca, NULL },
	{ "httpredirects",	SCOPE_BOTH,	0, dir_httpredirects, NULL },
	{ "syncdaemon",		SCOPE_GLOBAL,	0, dir_syncdaemon, NULL },
	{ "syncinterface",	SCOPE_GLOBAL,	0, dir_syncinterface, NULL },
	{ "syncid",		SCOPE_GLOBAL,	0, dir_syncid, NULL },
	{ "syncport",		SCOPE_GLOBAL,	0, dir_syncport, NULL },
	{ "syncttl",		SCOPE_GLOBAL,	0, dir_syncttl, NULL },
	{ "syncmaxlen",		SCOPE_GLOBAL,	0, dir_syncmaxlen, NULL },
	{ "syncgroup",		SCOPE_GLOBAL,	0, dir_syncgroup, NULL },
	{ "connecttimeout",	SCOPE_BOTH,	0, NULL,
	    "is deprecated and not accepted; use negotiatetimeout" },
	{ "timeout",		SCOPE_BOTH,	0, NULL,
	    "is deprecated and not accepted; use checktimeout and "
	    "negotiatetimeout" },
};

_Static_assert(nitems(conf_dirs) <= CONF_NDIR, "raise CONF_NDIR");

/* The directive called name, and its index in the table. */
const struct conf_dir *
conf_dir_find(const char *name, size_t *idx)
{
	size_t	 i;

	/* resolve.c and confmsg.c look names up per block: a byte first */
	for (i = 0; i < nitems(conf_dirs); i++) {
		if (conf_dirs[i].d_name[0] == name[0] &&
		    strcmp(conf_dirs[i].d_name, name) == 0) {
			*idx = i;
			return &conf_dirs[i];
		}
	}
	return NULL;
}

/* The index of a directive the code names, for c_seen[] and conf_seen. */
size_t
conf_dir_index(const char *name)
{
	size_t	 i = 0;

	conf_dir_find(name, &i);
	return i;
}

const char *
conf_dir_suggest(const char *name)
{
	const char	*names[nitems(conf_dirs)];
	size_t		 i;

	for (i = 0; i < nitems(conf_dirs); i++)
		names[i] = conf_dirs[i].d_name;
	return conf_suggest(name, names, nitems(conf_dirs));
}

/* Where block v set directive idx; NULL if it did not. */
const struct conf_seen *
conf_seen_find(const struct conf_virtual *v, size_t idx)
{
	unsigned int	 i;

	for (i = 0; i < v->v_nseen; i++)
		if (v->v_seen[i].s_dir == idx)
			return &v->v_seen[i];
	return NULL;
}

/* Where a directive came from, for messages about a parsed config. */
unsigned int
conf_line(const struct conf *c, const struct conf_virtual *v,
    const char *name)
{
	const struct conf_seen	*sn;
	size_t			 i = 0;

	if (conf_dir_find(name, &i) == NULL)
		return 0;
	if (v != NULL && (sn = conf_seen_find(v, i)) != NULL)
		return sn->s_line;
	return c->c_seen[i];
}

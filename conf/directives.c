/*
 * The directives of ldirectord.cf that lvsd knows: a table with the
 * scope each may appear in, and one short handler per directive that
 * checks its value and stores it.  Directives ldirectord has and lvsd
 * does not yet are in the table too, so that they get "not supported
 * yet" instead of "unknown".
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf_priv.h"

static const char *const conf_protos[] = { "tcp", "udp", "fwm" };
static const char *const conf_fwds[] = { "gate", "masq", "ipip" };
static const char *const conf_checktypes[] = {
	"connect", "negotiate", "on", "off"
};
static const char *const conf_services[] = { "none", "http" };
static const char *const conf_methods[] = { "GET", "HEAD" };

/* ldirectord's services that lvsd does not check yet. */
static const char *const conf_later_services[] = {
	"dns", "ftp", "http_proxy", "https", "imap", "imaps", "ldap", "ldaps",
	"mysql", "nntp", "oracle", "pgsql", "pop", "pops", "radius",
	"simpletcp", "sip", "smtp", "submission"
};

/* The schedulers Linux ships; others are warned about, not refused. */
static const char *const conf_scheds[] = {
	"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq",
	"fo", "ovf", "mh", "twos"
};

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

const char *
conf_proto_name(unsigned int p)
{
	return p >= 1 && p <= nitems(conf_protos) ? conf_protos[p - 1] : "?";
}

const char *
conf_fwd_name(unsigned int f)
{
	return f >= 1 && f <= nitems(conf_fwds) ? conf_fwds[f - 1] : "?";
}

const char *
conf_checktype_name(unsigned int c)
{
	return c >= 1 && c <= nitems(conf_checktypes) ?
	    conf_checktypes[c - 1] : "?";
}

const char *
conf_service_name(unsigned int s)
{
	return s >= 1 && s <= nitems(conf_services) ?
	    conf_services[s - 1] : "?";
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

static struct conf_virtual *
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
	struct conf_tok		*t;
	unsigned long long	 v;

	if ((t = conf_one(x, tok, n)) == NULL ||
	    conf_uint(x, t->t_text, t->t_col, x->x_dname, min, max, &v) == -1)
		return;
	*(x->x_cur != NULL ? virtual : global) = v;
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

/* Global only for now: ipvsd removes all services on stop, or none. */
static void
dir_cleanstop(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;
	int		 yes;

	if ((t = conf_one(x, tok, n)) == NULL || conf_yesno(x, t, &yes) == -1)
		return;
	x->x_conf->c_cleanstop = yes;
}

static void
dir_autoreload(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;
	int		 yes;

	if ((t = conf_one(x, tok, n)) == NULL || conf_yesno(x, t, &yes) == -1)
		return;
	x->x_conf->c_autoreload = yes;
}

/* The syslog facilities logfile= may name (log_facility() maps them). */
static const char *const conf_facilities[] = {
	"auth", "authpriv", "cron", "daemon", "ftp", "kern", "lpr", "mail",
	"news", "syslog", "user", "uucp", "local0", "local1", "local2",
	"local3", "local4", "local5", "local6", "local7",
};

/* A file (an absolute path) or a syslog facility, as ldirectord's. */
static void
dir_logfile(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;
	size_t		 i;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	for (i = 0; t->t_text[0] != '/' && i < nitems(conf_facilities); i++)
		if (strcmp(t->t_text, conf_facilities[i]) == 0)
			break;
	if (t->t_text[0] != '/' && i == nitems(conf_facilities)) {
		conf_error(x, t->t_col, "logfile must be an absolute path or a "
		    "syslog facility (daemon, local0 ... local7, ...), not "
		    "'%s'", conf_quote(x, t->t_text));
		return;
	}
	free(x->x_conf->c_logfile);
	x->x_conf->c_logfile = conf_strdup(x, t->t_text);
}

/* Only ping checks used it, and lvsd has none yet: say so, go on. */
static void
dir_checkcount(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok		*t;
	unsigned long long	 v;

	if ((t = conf_one(x, tok, n)) == NULL ||
	    conf_uint(x, t->t_text, t->t_col, x->x_dname, 1, CONF_MAXFAILURES,
	    &v) == -1)
		return;
	conf_warning(x, t->t_col, "checkcount is ignored: only ping checks "
	    "used it, and ldirectord deprecated it");
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
	size_t		 i;
	int		 k;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	for (i = 0; i < nitems(conf_later_services); i++) {
		if (strcmp(t->t_text, conf_later_services[i]) == 0) {
			conf_error(x, t->t_col, "service %s is not supported "
			    "yet (lvsd checks http and none)", t->t_text);
			return;
		}
	}
	if ((k = conf_keyword(x, t, "service", conf_services,
	    nitems(conf_services))) != -1)
		x->x_cur->p_v->v_service = SERVICE_NONE + k;
}

static int
conf_has_digit(const char *s)
{
	return strpbrk(s, "0123456789") != NULL;
}

static void
dir_checktype(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;
	int		 k;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	if (conf_has_digit(t->t_text)) {
		conf_error(x, t->t_col, "checktype %s (negotiate, then that "
		    "many connect checks) is not supported yet",
		    conf_quote(x, t->t_text));
		return;
	}
	if (strcmp(t->t_text, "ping") == 0 ||
	    strcmp(t->t_text, "external") == 0 ||
	    strcmp(t->t_text, "external-perl") == 0) {
		conf_error(x, t->t_col, "checktype %s is not supported yet",
		    t->t_text);
		return;
	}
	if ((k = conf_keyword(x, t, "checktype", conf_checktypes,
	    nitems(conf_checktypes))) != -1)
		x->x_cur->p_v->v_checktype = CHECK_CONNECT + k;
}

static void
dir_protocol(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = x->x_cur->p_v;
	struct conf_tok		*t;
	int			 k;

	if ((t = conf_one(x, tok, n)) == NULL ||
	    (k = conf_keyword(x, t, "protocol", conf_protos,
	    nitems(conf_protos))) == -1 || !x->x_cur->p_ok)
		return;
	if (v->v_proto == PROTO_FWM && PROTO_TCP + k != PROTO_FWM)
		conf_error(x, t->t_col, "a firewall-mark virtual service has "
		    "protocol fwm, not '%s'", t->t_text);
	else if (v->v_proto != PROTO_FWM && PROTO_TCP + k == PROTO_FWM)
		conf_error(x, t->t_col, "protocol fwm is only for "
		    "firewall-mark virtual services (virtual=NUMBER)");
	else
		v->v_proto = PROTO_TCP + k;
}

static void
dir_scheduler(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;
	const char	*s;
	size_t		 i;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	for (s = t->t_text; (*s >= 'a' && *s <= 'z') ||
	    (s > t->t_text && *s >= '0' && *s <= '9'); s++)
		;
	if (*s != '\0' || s == t->t_text ||
	    strlen(t->t_text) >= MSG_SCHED_LEN) {
		conf_error(x, t->t_col, "invalid scheduler '%s' (expected a "
		    "name of lowercase letters and digits, at most %d long)",
		    conf_quote(x, t->t_text), MSG_SCHED_LEN - 1);
		return;
	}
	for (i = 0; i < nitems(conf_scheds); i++)
		if (strcmp(t->t_text, conf_scheds[i]) == 0)
			break;
	if (i == nitems(conf_scheds))
		conf_warning(x, t->t_col, "scheduler '%s' is not one that "
		    "Linux ships; the kernel will refuse it unless a module "
		    "ip_vs_%s is installed", t->t_text, t->t_text);
	strlcpy(x->x_cur->p_v->v_sched, t->t_text, MSG_SCHED_LEN);
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

static void
dir_persistent(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok		*t;
	unsigned long long	 v;

	if ((t = conf_one(x, tok, n)) == NULL ||
	    conf_uint(x, t->t_text, t->t_col, "persistent", 1, CONF_MAXPERSIST,
	    &v) == -1)
		return;
	x->x_cur->p_v->v_persistent = v;
}

/*
 * For IPv4 the mask in host byte order (ipvsd turns it around for the
 * kernel), for IPv6 the prefix length.  A mask with holes is refused.
 */
static void
dir_netmask(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok		*t;
	struct in_addr		 in;
	unsigned long long	 v;
	uint32_t		 m;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	if (x->x_cur->p_v6) {
		if (conf_uint(x, t->t_text, t->t_col, "an IPv6 netmask", 1,
		    128, &v) == 0)
			x->x_cur->p_v->v_netmask = v;
		return;
	}
	if (inet_pton(AF_INET, t->t_text, &in) != 1) {
		conf_error(x, t->t_col, "invalid netmask '%s' (expected a "
		    "dotted mask such as 255.255.255.0)",
		    conf_quote(x, t->t_text));
		return;
	}
	m = ntohl(in.s_addr);
	if (m == 0 || (~m & (~m + 1)) != 0) {
		conf_error(x, t->t_col, "netmask '%s' is not a run of ones "
		    "followed by zeros", t->t_text);
		return;
	}
	x->x_cur->p_v->v_netmask = m;
}

#define LATER	"is not supported yet"

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
	{ "quiescent",		SCOPE_BOTH,	0, dir_quiescent, NULL },
	{ "fallback",		SCOPE_BOTH,	0, conf_dir_fallback, NULL },
	{ "fallback6",		SCOPE_BOTH,	0, conf_dir_fallback, NULL },
	{ "service",		SCOPE_VIRTUAL,	0, dir_service, NULL },
	{ "checktype",		SCOPE_VIRTUAL,	0, dir_checktype, NULL },
	{ "request",		SCOPE_VIRTUAL,	0, dir_request, NULL },
	{ "receive",		SCOPE_VIRTUAL,	0, dir_receive, NULL },
	{ "virtualhost",	SCOPE_VIRTUAL,	0, dir_virtualhost, NULL },
	{ "httpmethod",		SCOPE_VIRTUAL,	0, dir_httpmethod, NULL },
	{ "checkport",		SCOPE_VIRTUAL,	0, dir_checkport, NULL },
	{ "protocol",		SCOPE_VIRTUAL,	0, dir_protocol, NULL },
	{ "scheduler",		SCOPE_VIRTUAL,	0, dir_scheduler, NULL },
	{ "persistent",		SCOPE_VIRTUAL,	0, dir_persistent, NULL },
	{ "netmask",		SCOPE_VIRTUAL,	0, dir_netmask, NULL },
	{ "checkcount",		SCOPE_BOTH,	0, dir_checkcount, NULL },
	{ "load",		SCOPE_VIRTUAL,	0, dir_load, NULL },
	{ "connecttimeout",	SCOPE_BOTH,	0, NULL,
	    "is deprecated and not accepted; use negotiatetimeout" },
	{ "timeout",		SCOPE_BOTH,	0, NULL,
	    "is deprecated and not accepted; use checktimeout and "
	    "negotiatetimeout" },
	{ "autoreload",		SCOPE_GLOBAL,	0, dir_autoreload, NULL },
	{ "callback",		SCOPE_GLOBAL,	0, NULL, LATER },
	{ "logfile",		SCOPE_GLOBAL,	0, dir_logfile, NULL },
	{ "execute",		SCOPE_GLOBAL,	0, NULL, LATER },
	{ "fork",		SCOPE_GLOBAL,	0, NULL, LATER },
	{ "supervised",		SCOPE_GLOBAL,	0, NULL, LATER },
	{ "readdquiescent",	SCOPE_GLOBAL,	0, NULL, LATER },
	{ "emailalertfrom",	SCOPE_GLOBAL,	0, NULL, LATER },
	{ "maintenancedir",	SCOPE_GLOBAL,	0, NULL, LATER },
	{ "fallbackcommand",	SCOPE_BOTH,	0, NULL, LATER },
	{ "emailalert",		SCOPE_BOTH,	0, NULL, LATER },
	{ "emailalertfreq",	SCOPE_BOTH,	0, NULL, LATER },
	{ "emailalertstatus",	SCOPE_BOTH,	0, NULL, LATER },
	{ "smtp",		SCOPE_BOTH,	0, NULL, LATER },
	{ "cleanstop",		SCOPE_GLOBAL,	0, dir_cleanstop, NULL },
	{ "schedflags",		SCOPE_VIRTUAL,	0, NULL, LATER },
	{ "ops",		SCOPE_VIRTUAL,	0, NULL, LATER },
	{ "login",		SCOPE_VIRTUAL,	0, NULL, LATER },
	{ "passwd",		SCOPE_VIRTUAL,	0, NULL, LATER },
	{ "database",		SCOPE_VIRTUAL,	0, NULL, LATER },
	{ "secret",		SCOPE_VIRTUAL,	0, NULL, LATER },
	{ "checkcommand",	SCOPE_VIRTUAL,	0, NULL, LATER },
	{ "monitorfile",	SCOPE_VIRTUAL,	0, NULL, LATER },
	{ "servicename",	SCOPE_VIRTUAL,	0, NULL, LATER },
	{ "comment",		SCOPE_VIRTUAL,	0, NULL, LATER },
};

_Static_assert(nitems(conf_dirs) <= CONF_MAXDIR, "raise CONF_MAXDIR");

/* The directive called name, and its index in the table. */
const struct conf_dir *
conf_dir_find(const char *name, size_t *idx)
{
	size_t	 i;

	for (i = 0; i < nitems(conf_dirs); i++) {
		if (strcmp(conf_dirs[i].d_name, name) == 0) {
			*idx = i;
			return &conf_dirs[i];
		}
	}
	return NULL;
}

/* The index of a directive the code names, for p_seen[]. */
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

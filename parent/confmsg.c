/*
 * The parsed config turned into wire messages: the table for ipvsd, the
 * checks for the checker.  Real server ids are the order of the reals in
 * the config, numbered across all virtual services, the same on both
 * channels, so a STATE from the checker names the DEST ipvsd knows.
 */
#include <sys/socket.h>

#include <fcntl.h>
#include <regex.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "checker.h"
#include "conf.h"
#include "log.h"
#include "lvsd.h"
#include "mailalert.h"

/* The port a real is probed on: checkport, the real's, the service's. */
static uint16_t
confmsg_check_port(const struct conf_virtual *v, const struct conf_real *r)
{
	if (v->v_checkport != 0)
		return v->v_checkport;
	if (r->r_port != 0)
		return r->r_port;
	if (conf_service_port(v->v_service) != 0)
		return conf_service_port(v->v_service);
	return v->v_port;
}

/*
 * Config that lvsd parses but cannot act on yet: with -t a warning, else
 * an error that keeps lvsd from starting.  Never ignored in silence.
 */
struct confmsg_report {
	const struct conf	*cr_conf;
	FILE			*cr_out;
	int			 cr_testonly;
	int			 cr_count;
	int			 cr_errors;	/* confmsg_bad's, even with -t */
	/* the last CHECK check_validate accepted, for the blocks after it */
	struct msg_check	 cr_valid;
	int			 cr_have_valid;
};

static void
confmsg_later(struct confmsg_report *cr, const struct conf_virtual *v,
    const char *dir, const char *what)
{
	unsigned int	 line = conf_line(cr->cr_conf, v, dir);

	if (line == 0 && v != NULL)
		line = v->v_line;
	cr->cr_count++;
	fprintf(cr->cr_out, "%s:%u: %s: %s is not implemented yet; %s\n",
	    cr->cr_conf->c_path, line, cr->cr_testonly ? "warning" : "error",
	    what, cr->cr_testonly ? "lvsd will not start with it" :
	    "lvsd cannot start with it (lvsd -t accepts it)");
}

/* Set in the block itself, not inherited: the global is told once. */
static int
confmsg_own(const struct conf *c, const struct conf_virtual *v,
    const char *dir)
{
	return conf_line(c, v, dir) != conf_line(c, NULL, dir);
}

static int
confmsg_negotiates(const struct conf_virtual *v)
{
	return v->v_checktype == CHECK_NEGOTIATE ||
	    v->v_checktype == CONF_CHECK_COMBINED;
}

/* The checker's service for v's, or 0 if the checker has none for it. */
static uint8_t
confmsg_checker_service(const struct conf_virtual *v)
{
	if (v->v_service == CONF_SVC_SUBMISSION)
		return SERVICE_SMTP;
	return check_service_runs(v->v_service) ? v->v_service : 0;
}

/*
 * Protocols that run over TCP only: their check of a UDP virtual
 * service can never work.  (simpletcp, dns and sip follow the virtual's
 * protocol; radius is UDP whatever it is.)
 */
static int
confmsg_tcp_only(const struct conf_virtual *v)
{
	switch (confmsg_checker_service(v)) {
	case SERVICE_HTTP:
	case SERVICE_HTTPS:
	case SERVICE_HTTP_PROXY:
	case SERVICE_SMTP:
	case SERVICE_POP:
	case SERVICE_IMAP:
	case SERVICE_NNTP:
	case SERVICE_FTP:
	case SERVICE_LDAP:
	case SERVICE_LDAPS:
	case SERVICE_MYSQL:
	case SERVICE_PGSQL:
	case SERVICE_POPS:
	case SERVICE_IMAPS:
		return 1;
	default:
		return 0;
	}
}

/* An error even with -t: what the file says cannot go to the checker. */
static void
confmsg_bad(struct confmsg_report *cr, const struct conf_virtual *v,
    const char *dir, const char *what)
{
	unsigned int	 line = conf_line(cr->cr_conf, v, dir);

	if (line == 0 && v != NULL)
		line = v->v_line;
	cr->cr_count++;
	cr->cr_errors++;
	fprintf(cr->cr_out, "%s:%u: error: %s\n", cr->cr_conf->c_path, line,
	    what);
}

/* Printable ASCII (space included) and shorter than size. */
static int
confmsg_text_ok(const char *s, size_t size)
{
	if (s == NULL)
		return 1;
	if (strlen(s) >= size)
		return 0;
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s > 0x7e)
			return 0;
	return 1;
}

/*
 * fallbackcommand and callback go to lvsd-exec as lines for /bin/sh,
 * which its validation (exec/cmd.c) takes as printable characters.
 */
static void
confmsg_check_hook(struct confmsg_report *cr, const struct conf_virtual *v,
    const char *dir, const char *line)
{
	char	 what[160];

	if (confmsg_text_ok(line, MSG_PATH_LEN - 8))
		return;
	snprintf(what, sizeof(what), "%s must be at most %d printable "
	    "characters", dir, MSG_PATH_LEN - 9);
	confmsg_bad(cr, v, dir, what);
}

/*
 * execute= runs lvsd itself with -f and the value, without a shell:
 * an absolute path of printable characters, not this file's (lvsd
 * would start itself again and again).
 */
static void
confmsg_check_execute(struct confmsg_report *cr)
{
	const struct conf	*c = cr->cr_conf;
	const char		*e;
	char			 what[MSG_PATH_LEN + 160];
	size_t			 i;

	for (i = 0; i < c->c_nexecute; i++) {
		e = c->c_execute[i];
		if (e[0] != '/' || !confmsg_text_ok(e, MSG_PATH_LEN))
			snprintf(what, sizeof(what), "execute=%.*s: not the "
			    "absolute path of a configuration file, of "
			    "printable characters (lvsd runs lvsd -f PATH "
			    "without a shell)", MSG_PATH_LEN, e);
		else if (strcmp(e, c->c_path) == 0)
			snprintf(what, sizeof(what), "execute=%s names this "
			    "configuration file itself", e);
		else
			continue;
		confmsg_bad(cr, NULL, "execute", what);
	}
}

/*
 * An alert as the parent will compose it, checked as the checker will
 * (alert_validate()): NULL, or why the checker would refuse it.
 */
static const char *
confmsg_alert_refused(const char *recipients, const char *from)
{
	struct mailalert_dest	 ad;
	struct msg_alert	 al;

	memset(&ad, 0, sizeof(ad));
	addr_parse("127.0.0.1", AF_INET, &ad.ad_server);
	ad.ad_port = 25;
	ad.ad_timeout_ms = MAILALERT_TIMEOUT_MS;
	ad.ad_rcpt = recipients;
	ad.ad_from = from;
	ad.ad_helo = "localhost";
	return mailalert_compose(&al, &ad, NULL, NULL, MAILALERT_RUNNING,
	    "test");
}

/* More recipients than an alert may have stop lvsd here. */
static void
confmsg_check_alert(struct confmsg_report *cr, const struct conf_virtual *v,
    const char *recipients)
{
	char	 what[96];

	if (recipients == NULL ||
	    confmsg_alert_refused(recipients, "root@localhost") == NULL)
		return;
	snprintf(what, sizeof(what), "emailalert must be at most %d "
	    "addresses", ALERT_RCPT_MAX);
	confmsg_bad(cr, v, "emailalert", what);
}

/* emailalertfrom, if some virtual sends alerts: it needs an address. */
static void
confmsg_check_alertfrom(struct confmsg_report *cr)
{
	const struct conf_virtual	*v;
	const char			*from = cr->cr_conf->c_emailalertfrom;

	if (from == NULL)
		return;
	TAILQ_FOREACH(v, &cr->cr_conf->c_virtuals, v_entry)
		if (v->v_emailalert != NULL)
			break;
	if (v == NULL || confmsg_alert_refused("root", from) == NULL)
		return;
	confmsg_bad(cr, NULL, "emailalertfrom", "emailalertfrom must hold an "
	    "e-mail address, alone or between < and > (the envelope sender)");
}

static void
confmsg_check_globals(struct confmsg_report *cr)
{
	const struct conf	*c = cr->cr_conf;

	confmsg_check_hook(cr, NULL, "callback", c->c_callback);
	if (c->c_callback != NULL &&
	    !confmsg_text_ok(c->c_path, MSG_PATH_LEN))
		confmsg_bad(cr, NULL, "callback", "with a callback, the path of "
		    "the configuration file must be printable characters");
	confmsg_check_execute(cr);
	confmsg_check_hook(cr, NULL, "fallbackcommand", c->c_fallbackcommand);
	confmsg_check_alert(cr, NULL, c->c_emailalert);
	confmsg_check_alertfrom(cr);
}

static int
confmsg_is_sql(const struct conf_virtual *v)
{
	return confmsg_checker_service(v) == SERVICE_MYSQL ||
	    confmsg_checker_service(v) == SERVICE_PGSQL;
}

/*
 * login, passwd, secret, simpletcp's request and the SQL checks' request
 * and database as the checker will take them.
 */
static void
confmsg_check_texts(struct confmsg_report *cr, const struct conf_virtual *v)
{
	char	 what[128];

	if (!confmsg_text_ok(v->v_login, MSG_CRED_LEN) ||
	    !confmsg_text_ok(v->v_passwd, MSG_CRED_LEN)) {
		snprintf(what, sizeof(what), "login and passwd must be "
		    "printable ASCII of at most %d bytes", MSG_CRED_LEN - 1);
		confmsg_bad(cr, v, v->v_passwd != NULL ? "passwd" : "login",
		    what);
	}
	if (!confmsg_text_ok(v->v_secret, MSG_CRED_LEN)) {
		snprintf(what, sizeof(what), "secret must be printable ASCII "
		    "of at most %d bytes", MSG_CRED_LEN - 1);
		confmsg_bad(cr, v, "secret", what);
	}
	if (confmsg_checker_service(v) == SERVICE_SIMPLETCP &&
	    !confmsg_text_ok(v->v_request, MSG_REQUEST_LEN))
		confmsg_bad(cr, v, "request", "a simpletcp request must be "
		    "printable ASCII");
	if (!confmsg_is_sql(v))
		return;
	if (!confmsg_text_ok(v->v_request, MSG_REQUEST_LEN)) {
		snprintf(what, sizeof(what), "an SQL request must be printable "
		    "ASCII of at most %d bytes", MSG_REQUEST_LEN - 1);
		confmsg_bad(cr, v, "request", what);
	}
	if (!confmsg_text_ok(v->v_database, MSG_DATABASE_LEN)) {
		snprintf(what, sizeof(what), "database must be printable ASCII "
		    "of at most %d bytes", MSG_DATABASE_LEN - 1);
		confmsg_bad(cr, v, "database", what);
	}
}

/* The services the checker runs with libcurl's HTTP (check_http.c). */
static int
confmsg_is_http(unsigned int service)
{
	return service == SERVICE_HTTP || service == SERVICE_HTTPS ||
	    service == SERVICE_HTTP_PROXY;
}

/*
 * A full URL as request: http_proxy's way of saying what to fetch
 * through the real (the checker takes an http:// one); for http and
 * https, a URL that may lead elsewhere than the real, not done yet.
 */
static int
confmsg_url_later(const struct conf_virtual *v, const char *request)
{
	return request != NULL && strstr(request, "://") != NULL &&
	    v->v_service != SERVICE_HTTP_PROXY;
}

static void
confmsg_check_kind(struct confmsg_report *cr, const struct conf_virtual *v)
{
	const struct conf_real	*r;
	char			 what[96];

	if (!check_type_runs(v->v_checktype)) {
		snprintf(what, sizeof(what), "checktype %s",
		    conf_checktype_name(v->v_checktype));
		confmsg_later(cr, v, "checktype", what);
	}
	if (confmsg_negotiates(v) && confmsg_checker_service(v) == 0) {
		snprintf(what, sizeof(what), "service %s",
		    conf_service_name(v->v_service));
		confmsg_later(cr, v, "service", what);
	}
	if (confmsg_negotiates(v) && confmsg_tcp_only(v) &&
	    v->v_proto == PROTO_UDP) {
		snprintf(what, sizeof(what), "service %s is a TCP protocol: "
		    "it cannot check a UDP virtual service",
		    conf_service_name(v->v_service));
		confmsg_bad(cr, v, "protocol", what);
	}
	if (confmsg_negotiates(v))
		confmsg_check_texts(cr, v);
	if (!confmsg_negotiates(v) || !confmsg_is_http(v->v_service))
		return;
	if (confmsg_url_later(v, v->v_request))
		confmsg_later(cr, v, "request", "a full URL as request");
	TAILQ_FOREACH(r, &v->v_reals, r_entry)
		if (confmsg_url_later(v, r->r_request))
			confmsg_later(cr, v, "real", "a full URL as request");
}

static int
confmsg_runs_command(const struct conf_virtual *v)
{
	return v->v_checktype == CHECK_EXTERNAL ||
	    v->v_checktype == CHECK_EXTERNAL_PERL;
}

/*
 * lvsd-exec runs a checkcommand without a shell and without a search
 * of PATH: an absolute path of printable characters, as lvsd-exec's own
 * validation (exec/cmd.c) will require.
 */
static void
confmsg_check_command(struct confmsg_report *cr, const struct conf_virtual *v)
{
	const char	*p = v->v_checkcommand;
	char		 what[160];

	if (!confmsg_runs_command(v))
		return;
	if (p != NULL && p[0] == '/' && strlen(p) < MSG_PATH_LEN) {
		for (; *p >= 0x20 && *p < 0x7f; p++)
			;
		if (*p == '\0')
			return;
	}
	snprintf(what, sizeof(what), "checkcommand must be an absolute path "
	    "of at most %d printable characters (it is run without a shell, "
	    "so without arguments)", MSG_PATH_LEN - 1);
	confmsg_bad(cr, v, "checkcommand", what);
}

static void
confmsg_check_virtual(struct confmsg_report *cr, const struct conf_virtual *v)
{
	confmsg_check_kind(cr, v);
	confmsg_check_command(cr, v);
	if (confmsg_own(cr->cr_conf, v, "fallbackcommand"))
		confmsg_check_hook(cr, v, "fallbackcommand",
		    v->v_fallbackcommand);
	if (confmsg_own(cr->cr_conf, v, "emailalert"))
		confmsg_check_alert(cr, v, v->v_emailalert);
}

static void	confmsg_check(struct msg_check *, uint32_t,
		    const struct conf_virtual *, const struct conf_real *,
		    uint8_t);
static int	confmsg_check_alike(const struct msg_check *,
		    const struct msg_check *);

/*
 * Whether ck is valid without compiling its receive again: it equals
 * the last CHECK found valid but for its id, address and port, and
 * those are good (the checker's own test, checker/validate.c).  Blocks
 * of a large config mostly check their reals alike.
 */
static int
confmsg_valid_before(const struct confmsg_report *cr,
    const struct msg_check *ck)
{
	char	 why[CHECK_REASON_LEN];

	return cr->cr_have_valid && confmsg_check_alike(ck, &cr->cr_valid) &&
	    check_validate_real(ck, &ck->ck_addr, ck->ck_port, why,
	    sizeof(why)) == 0;
}

/*
 * Every CHECK of v as the checker will validate it, with the checker's
 * own code (checker/validate.c): what the checker would refuse must stop
 * lvsd here, with the real's line, not restart the checker in a loop.
 */
static void
confmsg_check_checks(struct confmsg_report *cr, const struct conf_virtual *v)
{
	const struct conf_real	*r;
	struct msg_check	 ck;
	regex_t			 re;
	char			 why[CHECK_REASON_LEN + MSG_RECEIVE_LEN];
	int			 has_re, inherited = 0;

	TAILQ_FOREACH(r, &v->v_reals, r_entry) {
		/*
		 * The reals of a block differ only by address, port and
		 * their own request and receive: the block's texts are
		 * compiled once, with the first real that uses both.
		 */
		if (r->r_request == NULL && r->r_receive == NULL &&
		    inherited++ > 0)
			continue;
		confmsg_check(&ck, 0, v, r, 1);
		if (confmsg_valid_before(cr, &ck))
			continue;
		if (check_validate(&ck, &re, &has_re, why, sizeof(why)) == 0) {
			if (has_re)
				regfree(&re);
			cr->cr_valid = ck;
			cr->cr_have_valid = 1;
			continue;
		}
		cr->cr_count++;
		cr->cr_errors++;
		fprintf(cr->cr_out, "%s:%u: error: the check of this real "
		    "server cannot run: %s\n", cr->cr_conf->c_path,
		    r->r_line, why);
		return;		/* once per block: the reals share the cause */
	}
}

/* 0 if lvsd can run c; else -1, after a message per problem to out. */
int
confmsg_validate(const struct conf *c, FILE *out, int testonly)
{
	struct confmsg_report		 cr;
	const struct conf_virtual	*v;
	int				 before;

	memset(&cr, 0, sizeof(cr));
	cr.cr_conf = c;
	cr.cr_out = out;
	cr.cr_testonly = testonly;
	confmsg_check_globals(&cr);
	TAILQ_FOREACH(v, &c->c_virtuals, v_entry) {
		before = cr.cr_count;
		confmsg_check_virtual(&cr, v);
		if (cr.cr_count == before)
			confmsg_check_checks(&cr, v);
	}
	return cr.cr_errors > 0 || (cr.cr_count > 0 && !testonly) ? -1 : 0;
}

static void
confmsg_service(struct msg_service *sv, uint32_t id,
    const struct conf_virtual *v, int readd)
{
	memset(sv, 0, sizeof(*sv));
	sv->sv_id = id;
	sv->sv_proto = v->v_proto;
	sv->sv_quiescent = v->v_quiescent ? 1 : 0;
	sv->sv_port = v->v_port;
	sv->sv_addr = v->v_addr;
	sv->sv_fwmark = v->v_fwmark;
	sv->sv_persistent = v->v_persistent;
	sv->sv_netmask = v->v_netmask;
	strlcpy(sv->sv_sched, v->v_sched, sizeof(sv->sv_sched));
	sv->sv_flags = v->v_schedbits | (v->v_ops ? MSG_SVC_ONEPACKET : 0);
	sv->sv_readd = readd ? 1 : 0;
	sv->sv_cleanstop = v->v_cleanstop ? 1 : 0;
	if (v->v_fallback.fb_set) {
		sv->sv_has_fallback = 1;
		sv->sv_fb_fwd = v->v_fallback.fb_fwd;
		sv->sv_fb_addr = v->v_fallback.fb_addr;
		sv->sv_fb_port = v->v_fallback.fb_port != 0 ?
		    v->v_fallback.fb_port : v->v_port;
	}
}

/* The kind of check v's reals get: its type, service and N. */
static void
confmsg_check_type(struct msg_check *ck, const struct conf_virtual *v)
{
	ck->ck_type = v->v_checktype;
	ck->ck_service = confmsg_negotiates(v) ? confmsg_checker_service(v) :
	    SERVICE_NONE;
	/* checktype=0: no connect between two negotiates, all negotiate */
	if (ck->ck_type == CHECK_COMBINED && v->v_combined == 0)
		ck->ck_type = CHECK_NEGOTIATE;
	else if (ck->ck_type == CHECK_COMBINED)
		ck->ck_combined = v->v_combined;
}

/*
 * FIXED_UP or FIXED_DOWN if v's check needs no probe (the checker's
 * check_static_verdict() then says the same), else FIXED_NONE.
 */
static uint8_t
confmsg_fixed(const struct conf_virtual *v)
{
	struct msg_check	 ck;
	const char		*why;
	int			 up;

	memset(&ck, 0, sizeof(ck));
	confmsg_check_type(&ck, v);
	if (!check_static_verdict(&ck, &up, &why))
		return FIXED_NONE;
	return up ? FIXED_UP : FIXED_DOWN;
}

static void
confmsg_dest(struct msg_dest *ds, uint32_t id, uint32_t svc,
    const struct conf_real *r, uint8_t fixed)
{
	memset(ds, 0, sizeof(*ds));
	ds->ds_id = id;
	ds->ds_service = svc;
	ds->ds_addr = r->r_addr;
	ds->ds_port = r->r_port;
	ds->ds_fwd = r->r_fwd;
	ds->ds_weight = r->r_weight;
	ds->ds_uthresh = r->r_uthresh;
	ds->ds_lthresh = r->r_lthresh;
	ds->ds_disabled = maint_is_disabled(&r->r_addr, r->r_port);
	ds->ds_fixed = fixed;
}

static void
confmsg_begin(struct msg_chan *mc, const struct conf *c, uint32_t gen)
{
	struct msg_conf_begin	 cb;

	memset(&cb, 0, sizeof(cb));
	cb.cb_nservices = c->c_nvirtuals;
	cb.cb_ndests = c->c_nreals;
	msg_chan_send(mc, MSG_CONF_BEGIN, gen, &cb, sizeof(cb));
}

/* The sync daemons of c, if it names them; 0 if it leaves them alone. */
int
confmsg_sync(struct msg_sync *sy, const struct conf *c)
{
	memset(sy, 0, sizeof(*sy));
	if (c->c_syncstates == 0)
		return 0;
	sy->sy_states = c->c_syncstates;
	sy->sy_ttl = c->c_syncttl;
	sy->sy_port = c->c_syncport;
	sy->sy_syncid = c->c_syncid;
	sy->sy_maxlen = c->c_syncmaxlen;
	sy->sy_group = c->c_syncgroup;
	strlcpy(sy->sy_ifname, c->c_syncif, sizeof(sy->sy_ifname));
	return 1;
}

void
confmsg_send_ipvsd(struct msg_chan *mc, const struct conf *c, uint32_t gen)
{
	struct msg_sync			 sy;
	const struct conf_virtual	*v;
	const struct conf_real		*r;
	struct msg_service		 sv;
	struct msg_dest			 ds;
	uint32_t			 vid = 0, rid = 0;
	uint8_t				 fixed;

	confmsg_begin(mc, c, gen);
	TAILQ_FOREACH(v, &c->c_virtuals, v_entry) {
		confmsg_service(&sv, vid++, v, c->c_readdquiescent);
		msg_chan_send(mc, MSG_SERVICE, gen, &sv, sizeof(sv));
	}
	vid = 0;
	TAILQ_FOREACH(v, &c->c_virtuals, v_entry) {
		fixed = confmsg_fixed(v);
		TAILQ_FOREACH(r, &v->v_reals, r_entry) {
			confmsg_dest(&ds, rid++, vid, r, fixed);
			msg_chan_send(mc, MSG_DEST, gen, &ds, sizeof(ds));
		}
		vid++;
	}
	if (confmsg_sync(&sy, c))
		msg_chan_send(mc, MSG_SYNC, gen, &sy, sizeof(sy));
	msg_chan_send(mc, MSG_CONF_END, gen, NULL, 0);
}

/* The real's own value if it has one, else the virtual's, else "". */
static void
confmsg_str(char *dst, size_t len, const char *real, const char *virt)
{
	strlcpy(dst, real != NULL ? real : virt != NULL ? virt : "", len);
}

/* The texts a negotiate check carries, by service (confmsg_texts). */
#define TEXT_REQUEST	0x01	/* request and receive, a real's own first */
#define TEXT_VHOST	0x02
#define TEXT_LOGIN	0x04
#define TEXT_PASSWD	0x08
#define TEXT_SECRET	0x10
#define TEXT_DATABASE	0x20

static unsigned int
confmsg_text_kinds(unsigned int service)
{
	switch (service) {
	case SERVICE_HTTP:
	case SERVICE_HTTPS:
		return TEXT_REQUEST | TEXT_VHOST;
	case SERVICE_HTTP_PROXY:	/* Host: is its URL's, as in ldirectord */
	case SERVICE_SIMPLETCP:
	case SERVICE_DNS:
		return TEXT_REQUEST;
	case SERVICE_POP:
	case SERVICE_IMAP:
	case SERVICE_POPS:
	case SERVICE_IMAPS:
		return TEXT_LOGIN | TEXT_PASSWD;
	case SERVICE_FTP:
	case SERVICE_LDAP:
	case SERVICE_LDAPS:
		return TEXT_REQUEST | TEXT_LOGIN | TEXT_PASSWD;
	case SERVICE_MYSQL:
	case SERVICE_PGSQL:
		/* receive is unused, and stays empty */
		return TEXT_REQUEST | TEXT_LOGIN | TEXT_PASSWD | TEXT_DATABASE;
	case SERVICE_RADIUS:
		return TEXT_LOGIN | TEXT_PASSWD | TEXT_SECRET;
	case SERVICE_SIP:
		return TEXT_LOGIN;	/* the URI */
	default:
		return 0;		/* smtp and nntp ask nothing */
	}
}

/* What a negotiate check asks, for a real r of v. */
static void
confmsg_texts(struct msg_check *ck, const struct conf_virtual *v,
    const struct conf_real *r)
{
	unsigned int	 kinds;

	if (!check_negotiates(ck))
		return;
	kinds = confmsg_text_kinds(ck->ck_service);
	if (kinds & TEXT_REQUEST) {
		confmsg_str(ck->ck_request, sizeof(ck->ck_request),
		    r->r_request, v->v_request);
		if (!(kinds & TEXT_DATABASE))
			confmsg_str(ck->ck_receive, sizeof(ck->ck_receive),
			    r->r_receive, v->v_receive);
	}
	if ((kinds & TEXT_VHOST) && v->v_virtualhost != NULL)
		strlcpy(ck->ck_vhost, v->v_virtualhost, sizeof(ck->ck_vhost));
	if (kinds & TEXT_LOGIN)
		confmsg_str(ck->ck_login, sizeof(ck->ck_login), NULL,
		    v->v_login);
	if (kinds & TEXT_PASSWD)
		confmsg_str(ck->ck_passwd, sizeof(ck->ck_passwd), NULL,
		    v->v_passwd);
	if (kinds & TEXT_SECRET)
		confmsg_str(ck->ck_secret, sizeof(ck->ck_secret), NULL,
		    v->v_secret);
	if (kinds & TEXT_DATABASE)
		confmsg_str(ck->ck_database, sizeof(ck->ck_database), NULL,
		    v->v_database);
}

/*
 * Only what confmsg_validate() let through gets here: a service of
 * conf's own (dns for port 53, say) is one a check that does not
 * negotiate never uses, and the checker knows it as none.
 */
/* Does ck speak TLS, so that checktlsverify applies to it? */
static int
confmsg_is_tls(const struct msg_check *ck)
{
	if (!check_negotiates(ck))
		return 0;
	switch (ck->ck_service) {
	case SERVICE_HTTPS:
	case SERVICE_POPS:
	case SERVICE_IMAPS:
	case SERVICE_LDAPS:
		return 1;
	default:
		return 0;
	}
}

/*
 * lvsd's own settings: verification (with CA ca, a msg_ca id + 1) for
 * a TLS check, the name to verify being the virtualhost if there is
 * one; redirects for an http or https one.
 */
static void
confmsg_tls(struct msg_check *ck, const struct conf_virtual *v, uint8_t ca)
{
	if (confmsg_is_tls(ck) && v->v_tlsverify == 1) {
		ck->ck_tls_verify = 1;
		ck->ck_tls_ca = ca;
		if (v->v_virtualhost != NULL)
			strlcpy(ck->ck_vhost, v->v_virtualhost,
			    sizeof(ck->ck_vhost));
	}
	if (check_negotiates(ck) && (ck->ck_service == SERVICE_HTTP ||
	    ck->ck_service == SERVICE_HTTPS) && v->v_redirects > 0)
		ck->ck_redirects = (uint8_t)v->v_redirects;
}

static void
confmsg_check(struct msg_check *ck, uint32_t id, const struct conf_virtual *v,
    const struct conf_real *r, uint8_t ca)
{
	memset(ck, 0, sizeof(*ck));
	ck->ck_id = id;
	confmsg_check_type(ck, v);
	ck->ck_proto = v->v_proto == PROTO_UDP ? PROTO_UDP : PROTO_TCP;
	ck->ck_method = v->v_httpmethod;
	ck->ck_addr = r->r_addr;
	/* a ping is of the host: one per real address, whatever the port */
	ck->ck_port = ck->ck_type == CHECK_PING ? 0 : confmsg_check_port(v, r);
	ck->ck_interval_ms = v->v_checkinterval * 1000;
	ck->ck_connect_timeout_ms = v->v_checktimeout * 1000;
	ck->ck_negotiate_timeout_ms = v->v_negotiatetimeout * 1000;
	ck->ck_failurecount = v->v_failurecount;
	ck->ck_rise = v->v_rise;
	if (ck->ck_type == CHECK_PING)
		ck->ck_checkcount = v->v_checkcount;
	confmsg_texts(ck, v, r);
	confmsg_tls(ck, v, ca);
}

/* The CA bundles sent in one config, by msg_ca id. */
struct confmsg_cas {
	const char	*cs_path[MSG_CA_FILES];
	unsigned int	 cs_n;
};

/*
 * The id + 1 of v's CA bundle, sent to the checker now if it is new,
 * or 0 if v does not verify.  A file that cannot be opened any more (it
 * could at load) goes as an empty one: verification then fails, and
 * the reason says so.  conf_tls_count() keeps the files few enough.
 */
static uint8_t
confmsg_ca(struct msg_chan *mc, uint32_t gen, struct confmsg_cas *cs,
    const struct conf_virtual *v)
{
	const char	*path = conf_tls_ca_path(v);
	struct msg_ca	 ca;
	char		 why[MSG_PATH_LEN + 64];
	unsigned int	 i;
	int		 fd;

	if (v->v_tlsverify != 1)
		return 0;
	for (i = 0; i < cs->cs_n; i++)
		if (strcmp(cs->cs_path[i], path) == 0)
			return (uint8_t)(i + 1);
	if (cs->cs_n == MSG_CA_FILES)
		fatalx("%s: more than %d CA files", __func__, MSG_CA_FILES);
	if ((fd = conf_tls_ca_open(path, why, sizeof(why))) == -1) {
		log_warnx("%s; checks that verify with it fail", why);
		if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
			fatal("%s: /dev/null", __func__);
	}
	memset(&ca, 0, sizeof(ca));
	ca.ca_id = cs->cs_n;
	cs->cs_path[cs->cs_n++] = path;
	msg_chan_send_fd(mc, MSG_CA, gen, &ca, sizeof(ca), fd);
	return (uint8_t)cs->cs_n;
}

/*
 * Whether a and b differ in their id, address and port only: the bytes
 * between the id and the address, and those after the port.  confmsg_check()
 * zeroes the whole struct first, so the bytes after a string's end are
 * equal too.
 */
_Static_assert(offsetof(struct msg_check, ck_id) == 0 &&
    offsetof(struct msg_check, ck_type) == sizeof(uint32_t) &&
    offsetof(struct msg_check, ck_port) ==
    offsetof(struct msg_check, ck_addr) + sizeof(struct addr) &&
    offsetof(struct msg_check, ck_pad) ==
    offsetof(struct msg_check, ck_port) + sizeof(uint16_t),
    "confmsg_check_alike skips the id, then the address and port");

static int
confmsg_check_alike(const struct msg_check *a, const struct msg_check *b)
{
	const char	*pa = (const char *)a, *pb = (const char *)b;
	size_t		 head = offsetof(struct msg_check, ck_type);
	size_t		 mid = offsetof(struct msg_check, ck_addr);
	size_t		 tail = offsetof(struct msg_check, ck_pad);

	return memcmp(pa + head, pb + head, mid - head) == 0 &&
	    memcmp(pa + tail, pb + tail, sizeof(*a) - tail) == 0;
}

/* ck, as a CHECK_LIKE when prev (the CHECK sent before) allows it. */
static void
confmsg_send_check(struct msg_chan *mc, uint32_t gen,
    const struct msg_check *ck, const struct msg_check *prev)
{
	struct msg_check_like	 cl;

	if (prev == NULL || !confmsg_check_alike(ck, prev)) {
		msg_chan_send(mc, MSG_CHECK, gen, ck, sizeof(*ck));
		return;
	}
	memset(&cl, 0, sizeof(cl));
	cl.cl_id = ck->ck_id;
	cl.cl_addr = ck->ck_addr;
	cl.cl_port = ck->ck_port;
	msg_chan_send(mc, MSG_CHECK_LIKE, gen, &cl, sizeof(cl));
}

void
confmsg_send_checker(struct msg_chan *mc, const struct conf *c, uint32_t gen)
{
	const struct conf_virtual	*v;
	const struct conf_real		*r;
	struct msg_check		 ck[2];
	struct confmsg_cas		 cs;
	uint32_t			 rid = 0;
	uint8_t				 ca;

	memset(&cs, 0, sizeof(cs));
	confmsg_begin(mc, c, gen);
	TAILQ_FOREACH(v, &c->c_virtuals, v_entry) {
		ca = 0;
		TAILQ_FOREACH(r, &v->v_reals, r_entry) {
			/* ck[rid % 2] now, ck[(rid - 1) % 2] the one before */
			confmsg_check(&ck[rid % 2], rid, v, r, 1);
			/* a bundle only for a check that verifies */
			if (ck[rid % 2].ck_tls_verify && ca == 0)
				ca = confmsg_ca(mc, gen, &cs, v);
			if (ck[rid % 2].ck_tls_verify)
				ck[rid % 2].ck_tls_ca = ca;
			confmsg_send_check(mc, gen, &ck[rid % 2],
			    rid > 0 ? &ck[(rid - 1) % 2] : NULL);
			rid++;
		}
	}
	msg_chan_send(mc, MSG_CONF_END, gen, NULL, 0);
}

/* What lvsd-exec needs to run the command of real id of v. */
static void
confmsg_exec_cmd(struct msg_exec_cmd *ec, uint32_t id,
    const struct conf_virtual *v, const struct conf_real *r)
{
	memset(ec, 0, sizeof(*ec));
	ec->ec_id = id;
	ec->ec_kind = v->v_checktype == CHECK_EXTERNAL_PERL ?
	    EXEC_EXTERNAL_PERL : EXEC_EXTERNAL;
	if (v->v_proto == PROTO_FWM) {
		ec->ec_fwm = 1;
		ec->ec_fwmark = v->v_fwmark;
	} else {
		ec->ec_vaddr = v->v_addr;
		ec->ec_vport = v->v_port;
	}
	ec->ec_raddr = r->r_addr;
	ec->ec_rport = r->r_port;
	ec->ec_timeout_ms = v->v_checktimeout * 1000;
	strlcpy(ec->ec_path, v->v_checkcommand, sizeof(ec->ec_path));
}

/* v's fallbackcommand, hook vid of lvsd-exec's table. */
static void
confmsg_exec_fallback(struct msg_chan *mc, uint32_t gen, uint32_t vid,
    const struct conf_virtual *v)
{
	struct msg_exec_hook	 eh;

	memset(&eh, 0, sizeof(eh));
	eh.eh_id = vid;
	eh.eh_kind = HOOK_FALLBACK;
	eh.eh_proto = v->v_proto;
	if (v->v_proto == PROTO_FWM)
		eh.eh_fwmark = v->v_fwmark;
	else {
		eh.eh_vaddr = v->v_addr;
		eh.eh_vport = v->v_port;
	}
	eh.eh_timeout_ms = HOOK_TIMEOUT_MS;
	strlcpy(eh.eh_cmd, v->v_fallbackcommand, sizeof(eh.eh_cmd));
	msg_chan_send(mc, MSG_EXEC_HOOK, gen, &eh, sizeof(eh));
}

/* The callback, the last hook of the table, with the config's path. */
static void
confmsg_exec_callback(struct msg_chan *mc, const struct conf *c,
    uint32_t gen)
{
	struct msg_exec_hook	 eh;

	memset(&eh, 0, sizeof(eh));
	eh.eh_id = c->c_nvirtuals;
	eh.eh_kind = HOOK_CALLBACK;
	eh.eh_timeout_ms = HOOK_TIMEOUT_MS;
	strlcpy(eh.eh_cmd, c->c_callback, sizeof(eh.eh_cmd));
	strlcpy(eh.eh_arg, c->c_path, sizeof(eh.eh_arg));
	msg_chan_send(mc, MSG_EXEC_HOOK, gen, &eh, sizeof(eh));
}

/*
 * lvsd-exec's table: the same CONF_BEGIN as the others, then one
 * EXEC_CMD per real whose check runs a command, by the real's id, and
 * one EXEC_HOOK per fallbackcommand, by the virtual's id, and for the
 * callback.
 */
void
confmsg_send_exec(struct msg_chan *mc, const struct conf *c, uint32_t gen)
{
	const struct conf_virtual	*v;
	const struct conf_real		*r;
	struct msg_exec_cmd		 ec;
	uint32_t			 rid = 0, vid = 0;

	confmsg_begin(mc, c, gen);
	TAILQ_FOREACH(v, &c->c_virtuals, v_entry)
		TAILQ_FOREACH(r, &v->v_reals, r_entry) {
			if (confmsg_runs_command(v)) {
				confmsg_exec_cmd(&ec, rid, v, r);
				msg_chan_send(mc, MSG_EXEC_CMD, gen, &ec,
				    sizeof(ec));
			}
			rid++;
		}
	TAILQ_FOREACH(v, &c->c_virtuals, v_entry) {
		if (v->v_fallbackcommand != NULL)
			confmsg_exec_fallback(mc, gen, vid, v);
		vid++;
	}
	if (c->c_callback != NULL)
		confmsg_exec_callback(mc, c, gen);
	msg_chan_send(mc, MSG_CONF_END, gen, NULL, 0);
}

/*
 * The canonical form of a parsed config: every value written out, the
 * inherited ones in each virtual block, so that a reader sees what lvsd
 * will do without knowing a single default.  The output parses back to
 * the same struct conf, and printing that again gives the same text.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "conf_priv.h"

static const char *
conf_host_ntop(const struct addr *a, char *buf, size_t len)
{
	char	 host[ADDR_STRLEN];

	if (a->a_af == AF_INET6)
		snprintf(buf, len, "[%s]", addr_ntop(a, host, sizeof(host)));
	else
		addr_ntop(a, buf, len);
	return buf;
}

/* ADDRESS, or ADDRESS:PORT when there is a port. */
static const char *
conf_hp(const struct addr *a, uint16_t port, char *buf, size_t len)
{
	if (port == 0)
		return conf_host_ntop(a, buf, len);
	return addr_port_ntop(a, port, buf, len);
}

/* A double-quoted string in which '"' is written \". */
static void
conf_print_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('\\', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void
conf_print_fallback(FILE *fp, const char *indent, int v6,
    const struct conf_fallback *fb)
{
	char	 buf[ADDR_STRLEN];

	if (!fb->fb_set) {
		fprintf(fp, "%s# fallback%s: none\n", indent, v6 ? "6" : "");
		return;
	}
	fprintf(fp, "%sfallback%s=%s %s\n", indent, v6 ? "6" : "",
	    conf_hp(&fb->fb_addr, fb->fb_port, buf, sizeof(buf)),
	    conf_fwd_name(fb->fb_fwd));
}

/* NAME="text", or a comment saying what an unset value means. */
static void
conf_print_text(FILE *fp, const char *indent, const char *name,
    const char *s, const char *unset)
{
	if (s == NULL) {
		fprintf(fp, "%s# %s: %s\n", indent, name, unset);
		return;
	}
	fprintf(fp, "%s%s=", indent, name);
	conf_print_string(fp, s);
	fputc('\n', fp);
}

static const char *
conf_yn(int b)
{
	return b ? "yes" : "no";
}

static void
conf_print_status(FILE *fp, const char *indent, unsigned int bits)
{
	static const char *const names[] = { "starting", "running",
	    "stopping", "reloading" };
	unsigned int	 i;
	const char	*sep = "";

	fprintf(fp, "%semailalertstatus=", indent);
	if (bits == CONF_ALERT_ALL)
		fputs("all", fp);
	else if (bits == 0)
		fputs("none", fp);
	for (i = 0; i < 4 && bits != CONF_ALERT_ALL; i++) {
		if (bits & (1U << i)) {
			fprintf(fp, "%s%s", sep, names[i]);
			sep = ",";
		}
	}
	fputc('\n', fp);
}

/*
 * checkcount warns when given, so it is written only where it changes
 * something: away from 1 globally, away from the global in a block.
 */
/*
 * rise is lvsd's own: written only where it changes something, so that
 * a config without it prints as one ldirectord reads too.
 */
static void
conf_print_rise(FILE *fp, const char *indent, unsigned int n,
    unsigned int inherited)
{
	if (n != inherited)
		fprintf(fp, "%srise=%u\n", indent, n);
}

/*
 * The TLS and redirect settings are lvsd's own: written only where they
 * change something, like rise.  g is the global value, or NULL when
 * printing the globals (whose defaults are off, none and 0).
 */
static void
conf_print_tls(FILE *fp, const char *indent, int verify, const char *ca,
    int redirects, const struct conf *g)
{
	const char	*gca = g != NULL ? g->c_tlsca : NULL;

	if (verify != (g != NULL ? g->c_tlsverify : 0))
		fprintf(fp, "%schecktlsverify=%s\n", indent, conf_yn(verify));
	if (ca != NULL && (gca == NULL || strcmp(ca, gca) != 0))
		conf_print_text(fp, indent, "checktlsca", ca, "");
	if (redirects != (g != NULL ? g->c_redirects : 0))
		fprintf(fp, "%shttpredirects=%d\n", indent, redirects);
}

static void
conf_print_checkcount(FILE *fp, const char *indent, unsigned int n,
    unsigned int inherited)
{
	if (n == inherited)
		fprintf(fp, "%s# checkcount: %u\n", indent, n);
	else
		fprintf(fp, "%scheckcount=%u\n", indent, n);
}

static void
conf_print_alerts(FILE *fp, const char *indent, const char *cmd,
    const char *mail, int freq, unsigned int status, const char *smtp)
{
	conf_print_text(fp, indent, "fallbackcommand", cmd, "none");
	conf_print_text(fp, indent, "emailalert", mail, "none");
	fprintf(fp, "%semailalertfreq=%d\n", indent, freq);
	conf_print_status(fp, indent, status);
	conf_print_text(fp, indent, "smtp", smtp, "127.0.0.1:25");
}

static void
conf_print_sync(const struct conf *c, FILE *fp)
{
	static const char *const states[] = { "", "master", "backup", "both" };
	char	 buf[ADDR_STRLEN];

	if (c->c_syncstates == 0 || c->c_syncstates > 3) {
		fprintf(fp, "# syncdaemon: none (the kernel's left alone)\n");
		return;
	}
	fprintf(fp, "syncdaemon=%s\n", states[c->c_syncstates]);
	fprintf(fp, "syncinterface=%s\n", c->c_syncif);
	fprintf(fp, "syncid=%u\n", c->c_syncid);
	fprintf(fp, "syncport=%u\n", c->c_syncport);
	fprintf(fp, "syncttl=%u\n", c->c_syncttl);
	if (c->c_syncmaxlen != 0)
		fprintf(fp, "syncmaxlen=%u\n", c->c_syncmaxlen);
	else
		fprintf(fp, "# syncmaxlen: the kernel's, from the MTU\n");
	fprintf(fp, "syncgroup=%s\n", conf_host_ntop(&c->c_syncgroup, buf,
	    sizeof(buf)));
}

static void
conf_print_daemon(const struct conf *c, FILE *fp)
{
	size_t	 i;

	conf_print_text(fp, "", "emailalertfrom", c->c_emailalertfrom,
	    "the system's default");
	fprintf(fp, "autoreload=%s\n", conf_yn(c->c_autoreload));
	conf_print_text(fp, "", "callback", c->c_callback, "none");
	conf_print_text(fp, "", "logfile", c->c_logfile, "syslog, daemon");
	for (i = 0; i < c->c_nexecute; i++)
		conf_print_text(fp, "", "execute", c->c_execute[i], "");
	fprintf(fp, "fork=%s\n", conf_yn(c->c_fork));
	fprintf(fp, "supervised=%s\n", conf_yn(c->c_supervised));
	fprintf(fp, "readdquiescent=%s\n", conf_yn(c->c_readdquiescent));
	conf_print_text(fp, "", "maintenancedir", c->c_maintenancedir,
	    "none");
	conf_print_sync(c, fp);
}

static void
conf_print_globals(const struct conf *c, FILE *fp)
{
	if (c->c_checktimeout != 0)
		fprintf(fp, "checktimeout=%u\n", c->c_checktimeout);
	else
		fprintf(fp, "# checktimeout: not set\n");
	if (c->c_negotiatetimeout != 0)
		fprintf(fp, "negotiatetimeout=%u\n", c->c_negotiatetimeout);
	else
		fprintf(fp, "# negotiatetimeout: not set\n");
	fprintf(fp, "checkinterval=%u\n", c->c_checkinterval);
	fprintf(fp, "failurecount=%u\n", c->c_failurecount);
	conf_print_rise(fp, "", c->c_rise, 1);
	conf_print_checkcount(fp, "", c->c_checkcount, 1);
	conf_print_tls(fp, "", c->c_tlsverify, c->c_tlsca, c->c_redirects,
	    NULL);
	fprintf(fp, "quiescent=%s\n", conf_yn(c->c_quiescent));
	fprintf(fp, "cleanstop=%s\n", conf_yn(c->c_cleanstop));
	conf_print_fallback(fp, "", 0, &c->c_fallback);
	conf_print_fallback(fp, "", 1, &c->c_fallback6);
	conf_print_alerts(fp, "", c->c_fallbackcommand, c->c_emailalert,
	    c->c_emailalertfreq, c->c_emailalertstatus, c->c_smtp);
	conf_print_daemon(c, fp);
}

static void
conf_print_real(const struct conf_real *r, int v6, FILE *fp)
{
	char	 buf[ADDR_STRLEN];

	fprintf(fp, "\treal%s=%s %s %u", v6 ? "6" : "",
	    conf_hp(&r->r_addr, r->r_port, buf, sizeof(buf)),
	    conf_fwd_name(r->r_fwd), r->r_weight);
	if (r->r_request != NULL) {
		fputc(' ', fp);
		conf_print_string(fp, r->r_request);
		fputc(',', fp);
		conf_print_string(fp, r->r_receive ? r->r_receive : "");
	}
	if (r->r_lthresh != 0)
		fprintf(fp, " l:%u", r->r_lthresh);
	if (r->r_uthresh != 0)
		fprintf(fp, " u:%u", r->r_uthresh);
	fputc('\n', fp);
}

static void
conf_print_service(const struct conf_virtual *v, int v6, FILE *fp)
{
	struct addr	 mask;
	char		 buf[ADDR_STRLEN];

	if (v->v_proto == PROTO_FWM)
		fprintf(fp, "virtual%s=%u\n", v6 ? "6" : "", v->v_fwmark);
	else
		fprintf(fp, "virtual%s=%s\n", v6 ? "6" : "",
		    addr_port_ntop(&v->v_addr, v->v_port, buf, sizeof(buf)));
	fprintf(fp, "\tprotocol=%s\n", conf_proto_name(v->v_proto));
	fprintf(fp, "\tscheduler=%s\n", v->v_sched);
	if (v->v_schedflags != NULL)
		fprintf(fp, "\tschedflags=%s\n", v->v_schedflags);
	else
		fprintf(fp, "\t# schedflags: none\n");
	fprintf(fp, "\tops=%s\n", conf_yn(v->v_ops));
	if (v->v_persistent == 0)
		fprintf(fp, "\t# persistent: no\n");
	else {
		fprintf(fp, "\tpersistent=%u\n", v->v_persistent);
		if (v6)
			fprintf(fp, "\tnetmask=%u\n", v->v_netmask);
		else {
			memset(&mask, 0, sizeof(mask));
			mask.a_af = AF_INET;
			mask.a_u.v4.s_addr = htonl(v->v_netmask);
			fprintf(fp, "\tnetmask=%s\n",
			    addr_ntop(&mask, buf, sizeof(buf)));
		}
	}
}

static void
conf_print_check(const struct conf *c, const struct conf_virtual *v, FILE *fp)
{
	if (v->v_checktype == CONF_CHECK_COMBINED)
		fprintf(fp, "\tchecktype=%u\n", v->v_combined);
	else
		fprintf(fp, "\tchecktype=%s\n",
		    conf_checktype_name(v->v_checktype));
	fprintf(fp, "\tservice=%s\n", conf_service_name(v->v_service));
	fprintf(fp, "\thttpmethod=%s\n", conf_method_name(v->v_httpmethod));
	conf_print_text(fp, "\t", "request", v->v_request, "");
	fprintf(fp, "\treceive=");
	conf_print_string(fp, v->v_receive);
	fputc('\n', fp);
	if (v->v_virtualhost != NULL)
		fprintf(fp, "\tvirtualhost=%s\n", v->v_virtualhost);
	else
		fprintf(fp, "\t# virtualhost: the real server's address\n");
	if (v->v_checkport != 0)
		fprintf(fp, "\tcheckport=%u\n", v->v_checkport);
	else
		fprintf(fp, "\t# checkport: the real server's port\n");
	conf_print_text(fp, "\t", "login", v->v_login, "none");
	conf_print_text(fp, "\t", "passwd", v->v_passwd, "none");
	conf_print_text(fp, "\t", "database", v->v_database, "none");
	conf_print_text(fp, "\t", "secret", v->v_secret, "none");
	conf_print_text(fp, "\t", "checkcommand", v->v_checkcommand, "");
	fprintf(fp, "\tchecktimeout=%u\n", v->v_checktimeout);
	fprintf(fp, "\tnegotiatetimeout=%u\n", v->v_negotiatetimeout);
	fprintf(fp, "\tcheckinterval=%u\n", v->v_checkinterval);
	fprintf(fp, "\tfailurecount=%u\n", v->v_failurecount);
	conf_print_rise(fp, "\t", v->v_rise, c->c_rise);
	conf_print_checkcount(fp, "\t", v->v_checkcount, c->c_checkcount);
	conf_print_tls(fp, "\t", v->v_tlsverify, v->v_tlsca, v->v_redirects,
	    c);
}

static void
conf_print_notes(const struct conf_virtual *v, FILE *fp)
{
	fprintf(fp, "\tquiescent=%s\n", conf_yn(v->v_quiescent));
	fprintf(fp, "\tcleanstop=%s\n", conf_yn(v->v_cleanstop));
	conf_print_alerts(fp, "\t", v->v_fallbackcommand, v->v_emailalert,
	    v->v_emailalertfreq, v->v_emailalertstatus, v->v_smtp);
	conf_print_text(fp, "\t", "monitorfile", v->v_monitorfile, "none");
	conf_print_text(fp, "\t", "servicename", v->v_servicename, "none");
	conf_print_text(fp, "\t", "comment", v->v_comment, "none");
}

void
conf_print(const struct conf *c, FILE *fp)
{
	const struct conf_virtual	*v;
	const struct conf_real		*r;
	int				 v6;

	fprintf(fp, "# lvsd configuration, every default written out\n");
	conf_print_globals(c, fp);
	TAILQ_FOREACH(v, &c->c_virtuals, v_entry) {
		v6 = v->v_addr.a_af == AF_INET6;
		fputc('\n', fp);
		conf_print_service(v, v6, fp);
		conf_print_check(c, v, fp);
		conf_print_notes(v, fp);
		conf_print_fallback(fp, "\t", v6, &v->v_fallback);
		TAILQ_FOREACH(r, &v->v_reals, r_entry)
			conf_print_real(r, v6, fp);
	}
}

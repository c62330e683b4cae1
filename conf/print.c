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
		fprintf(fp, "%s# fallback: none\n", indent);
		return;
	}
	fprintf(fp, "%sfallback%s=%s %s\n", indent, v6 ? "6" : "",
	    conf_hp(&fb->fb_addr, fb->fb_port, buf, sizeof(buf)),
	    conf_fwd_name(fb->fb_fwd));
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
	fprintf(fp, "quiescent=%s\n", c->c_quiescent ? "yes" : "no");
	fprintf(fp, "cleanstop=%s\n", c->c_cleanstop ? "yes" : "no");
	if (c->c_autoreload)
		fprintf(fp, "autoreload=yes\n");
	if (c->c_logfile != NULL)
		fprintf(fp, "logfile=\"%s\"\n", c->c_logfile);
	conf_print_fallback(fp, "", 0, &c->c_fallback);
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
conf_print_check(const struct conf_virtual *v, FILE *fp)
{
	fprintf(fp, "\tchecktype=%s\n", conf_checktype_name(v->v_checktype));
	fprintf(fp, "\tservice=%s\n", conf_service_name(v->v_service));
	fprintf(fp, "\thttpmethod=%s\n", conf_method_name(v->v_httpmethod));
	fprintf(fp, "\trequest=");
	conf_print_string(fp, v->v_request);
	fprintf(fp, "\n\treceive=");
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
	fprintf(fp, "\tchecktimeout=%u\n", v->v_checktimeout);
	fprintf(fp, "\tnegotiatetimeout=%u\n", v->v_negotiatetimeout);
	fprintf(fp, "\tcheckinterval=%u\n", v->v_checkinterval);
	fprintf(fp, "\tfailurecount=%u\n", v->v_failurecount);
	fprintf(fp, "\tquiescent=%s\n", v->v_quiescent ? "yes" : "no");
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
		conf_print_check(v, fp);
		conf_print_fallback(fp, "\t", v6, &v->v_fallback);
		TAILQ_FOREACH(r, &v->v_reals, r_entry)
			conf_print_real(r, v6, fp);
	}
}

/*
 * What the parser's tests share: parsing text with its diagnostics
 * caught, the first and last of a config's lists, and a comparison of
 * two parsed configs field by field, for the round-trip tests.
 * Included by one test program each, so static is fine.
 */
#ifndef LVSD_CONF_TEST_H
#define LVSD_CONF_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "tap.h"

/* Each program uses some of these helpers, not all. */
#pragma GCC diagnostic ignored "-Wunused-function"

static char	*errs;
static size_t	 errslen;

/* Parse text as "t.cf"; the diagnostics are left in errs. */
static struct conf *
parse(const char *text)
{
	struct conf	*c;
	FILE		*fp;

	free(errs);
	errs = NULL;
	if ((fp = open_memstream(&errs, &errslen)) == NULL)
		abort();
	c = conf_parse_string("t.cf", text, fp);
	fclose(fp);
	return c;
}

/* The config must be refused with exactly these diagnostics. */
static void
refused(const char *text, const char *want, const char *desc)
{
	struct conf	*c = parse(text);

	ok(c == NULL, desc);
	is_str(errs, want, desc);
	conf_free(c);
}

/* The config must be taken with exactly these diagnostics ("" none). */
static struct conf *
taken(const char *text, const char *want, const char *desc)
{
	struct conf	*c = parse(text);

	ok(c != NULL, desc);
	is_str(errs, want, desc);
	return c;
}

static struct conf_virtual *
vfirst(struct conf *c)
{
	return c ? TAILQ_FIRST(&c->c_virtuals) : NULL;
}

static struct conf_real *
rfirst(struct conf *c)
{
	struct conf_virtual	*v = vfirst(c);

	return v ? TAILQ_FIRST(&v->v_reals) : NULL;
}

static struct conf_real *
rlast(struct conf *c)
{
	struct conf_real	*r = rfirst(c);

	while (r != NULL && TAILQ_NEXT(r, r_entry) != NULL)
		r = TAILQ_NEXT(r, r_entry);
	return r;
}

static const char *
ntop(const struct addr *a)
{
	static char	 buf[ADDR_STRLEN];

	return addr_ntop(a, buf, sizeof(buf));
}

static int
fallback_eq(const struct conf_fallback *a, const struct conf_fallback *b)
{
	return a->fb_set == b->fb_set && (!a->fb_set ||
	    (addr_eq(&a->fb_addr, &b->fb_addr) && a->fb_port == b->fb_port &&
	    a->fb_fwd == b->fb_fwd));
}

static int
str_eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
real_eq(const struct conf_real *a, const struct conf_real *b)
{
	return addr_eq(&a->r_addr, &b->r_addr) && a->r_port == b->r_port &&
	    a->r_fwd == b->r_fwd && a->r_weight == b->r_weight &&
	    a->r_uthresh == b->r_uthresh && a->r_lthresh == b->r_lthresh &&
	    str_eq(a->r_request, b->r_request) &&
	    str_eq(a->r_receive, b->r_receive);
}

static int
virtual_ipvs_eq(const struct conf_virtual *a, const struct conf_virtual *b)
{
	return a->v_addr.a_af == b->v_addr.a_af &&
	    (a->v_proto == PROTO_FWM || addr_eq(&a->v_addr, &b->v_addr)) &&
	    a->v_port == b->v_port && a->v_fwmark == b->v_fwmark &&
	    a->v_proto == b->v_proto && strcmp(a->v_sched, b->v_sched) == 0 &&
	    str_eq(a->v_schedflags, b->v_schedflags) &&
	    a->v_ops == b->v_ops && a->v_persistent == b->v_persistent &&
	    a->v_netmask == b->v_netmask &&
	    fallback_eq(&a->v_fallback, &b->v_fallback);
}

static int
virtual_check_eq(const struct conf_virtual *a, const struct conf_virtual *b)
{
	return a->v_checktype == b->v_checktype &&
	    a->v_combined == b->v_combined && a->v_service == b->v_service &&
	    a->v_httpmethod == b->v_httpmethod &&
	    a->v_checkport == b->v_checkport &&
	    str_eq(a->v_request, b->v_request) &&
	    str_eq(a->v_receive, b->v_receive) &&
	    str_eq(a->v_virtualhost, b->v_virtualhost) &&
	    str_eq(a->v_login, b->v_login) &&
	    str_eq(a->v_passwd, b->v_passwd) &&
	    str_eq(a->v_database, b->v_database) &&
	    str_eq(a->v_secret, b->v_secret) &&
	    str_eq(a->v_checkcommand, b->v_checkcommand) &&
	    a->v_checktimeout == b->v_checktimeout &&
	    a->v_negotiatetimeout == b->v_negotiatetimeout &&
	    a->v_checkinterval == b->v_checkinterval &&
	    a->v_failurecount == b->v_failurecount &&
	    a->v_checkcount == b->v_checkcount &&
	    a->v_tlsverify == b->v_tlsverify &&
	    str_eq(a->v_tlsca, b->v_tlsca) &&
	    a->v_redirects == b->v_redirects;
}

static int
virtual_notes_eq(const struct conf_virtual *a, const struct conf_virtual *b)
{
	return a->v_quiescent == b->v_quiescent &&
	    a->v_cleanstop == b->v_cleanstop &&
	    str_eq(a->v_fallbackcommand, b->v_fallbackcommand) &&
	    str_eq(a->v_emailalert, b->v_emailalert) &&
	    a->v_emailalertfreq == b->v_emailalertfreq &&
	    a->v_emailalertstatus == b->v_emailalertstatus &&
	    str_eq(a->v_smtp, b->v_smtp) &&
	    str_eq(a->v_monitorfile, b->v_monitorfile) &&
	    str_eq(a->v_servicename, b->v_servicename) &&
	    str_eq(a->v_comment, b->v_comment);
}

static int
virtual_eq(const struct conf_virtual *a, const struct conf_virtual *b)
{
	const struct conf_real	*ra, *rb;

	if (!virtual_ipvs_eq(a, b) || !virtual_check_eq(a, b) ||
	    !virtual_notes_eq(a, b) || a->v_nreals != b->v_nreals)
		return 0;
	rb = TAILQ_FIRST(&b->v_reals);
	TAILQ_FOREACH(ra, &a->v_reals, r_entry) {
		if (!real_eq(ra, rb))
			return 0;
		rb = TAILQ_NEXT(rb, r_entry);
	}
	return 1;
}

static int
globals_eq(const struct conf *a, const struct conf *b)
{
	size_t	 i;

	if (a->c_nexecute != b->c_nexecute)
		return 0;
	for (i = 0; i < a->c_nexecute; i++)
		if (!str_eq(a->c_execute[i], b->c_execute[i]))
			return 0;
	return a->c_checkcount == b->c_checkcount &&
	    a->c_tlsverify == b->c_tlsverify &&
	    str_eq(a->c_tlsca, b->c_tlsca) &&
	    a->c_redirects == b->c_redirects &&
	    a->c_cleanstop == b->c_cleanstop &&
	    fallback_eq(&a->c_fallback6, &b->c_fallback6) &&
	    str_eq(a->c_fallbackcommand, b->c_fallbackcommand) &&
	    str_eq(a->c_emailalert, b->c_emailalert) &&
	    a->c_emailalertfreq == b->c_emailalertfreq &&
	    a->c_emailalertstatus == b->c_emailalertstatus &&
	    str_eq(a->c_smtp, b->c_smtp) &&
	    str_eq(a->c_emailalertfrom, b->c_emailalertfrom) &&
	    a->c_autoreload == b->c_autoreload &&
	    str_eq(a->c_callback, b->c_callback) &&
	    str_eq(a->c_logfile, b->c_logfile) && a->c_fork == b->c_fork &&
	    a->c_supervised == b->c_supervised &&
	    a->c_readdquiescent == b->c_readdquiescent &&
	    str_eq(a->c_maintenancedir, b->c_maintenancedir) &&
	    a->c_syncstates == b->c_syncstates &&
	    strcmp(a->c_syncif, b->c_syncif) == 0 &&
	    a->c_syncid == b->c_syncid && a->c_syncport == b->c_syncport &&
	    a->c_syncttl == b->c_syncttl &&
	    a->c_syncmaxlen == b->c_syncmaxlen &&
	    memcmp(&a->c_syncgroup, &b->c_syncgroup,
	    sizeof(a->c_syncgroup)) == 0;
}

static int
conf_eq(const struct conf *a, const struct conf *b)
{
	const struct conf_virtual	*va, *vb;

	if (a->c_checktimeout != b->c_checktimeout ||
	    a->c_negotiatetimeout != b->c_negotiatetimeout ||
	    a->c_checkinterval != b->c_checkinterval ||
	    a->c_failurecount != b->c_failurecount ||
	    a->c_quiescent != b->c_quiescent ||
	    !fallback_eq(&a->c_fallback, &b->c_fallback) ||
	    !globals_eq(a, b) ||
	    a->c_nvirtuals != b->c_nvirtuals || a->c_nreals != b->c_nreals)
		return 0;
	vb = TAILQ_FIRST(&b->c_virtuals);
	TAILQ_FOREACH(va, &a->c_virtuals, v_entry) {
		if (!virtual_eq(va, vb))
			return 0;
		vb = TAILQ_NEXT(vb, v_entry);
	}
	return 1;
}

static char *
print(const struct conf *c)
{
	char	*buf = NULL;
	size_t	 len;
	FILE	*fp;

	if ((fp = open_memstream(&buf, &len)) == NULL)
		abort();
	conf_print(c, fp);
	fclose(fp);
	return buf;
}

/* print, parse the output, print again: the same config, the same text. */
static void
round_trip(const char *text, const char *desc)
{
	struct conf	*a, *b;
	char		*pa, *pb;

	if ((a = parse(text)) == NULL) {
		ok(0, desc);
		diag("%s", errs);
		return;
	}
	pa = print(a);
	b = parse(pa);
	ok(b != NULL, desc);
	if (b == NULL) {
		diag("%s", errs);
		diag("%s", pa);
	} else {
		ok(conf_eq(a, b), desc);
		pb = print(b);
		is_str(pb, pa, desc);
		free(pb);
	}
	free(pa);
	conf_free(a);
	conf_free(b);
}

#endif /* LVSD_CONF_TEST_H */

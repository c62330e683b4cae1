/*
 * A property of the canonical form (lvsd -tt): for configs generated at
 * random from every directive, printing the parsed config and parsing
 * that again gives the same config, and printing it again the same
 * text.  The seed is fixed, so a failure repeats; LVSD_SEED picks
 * another.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "conf_test.h"
#include "tap.h"

#define NCONFIGS	400

static uint64_t	 rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t
rng(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11) % n;
}

static const char *
pick(const char *const *a, size_t n)
{
	return a[rng(n)];
}
#define PICK(a)	pick((a), sizeof(a) / sizeof((a)[0]))

/* The text being generated. */
static char	*gen;
static size_t	 genlen;
static FILE	*genfp;

static void
emit(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vfprintf(genfp, fmt, ap);
	va_end(ap);
}

static const char *const yesno[] = { "yes", "no", "YES", "No" };
static const char *const strings[] = { "\"a b\"", "plain", "\"x#y\"",
	"\"q\\\"uote\"", "\"/p\"" };
static const char *const statuses[] = { "all", "none", "starting",
	"running,stopping", "starting, reloading" };

/* One global, or a per-virtual copy of one, in the block's indent. */
static void
gen_common(const char *in, int v6)
{
	switch (rng(17)) {
	case 0: emit("%schecktimeout=%u\n", in, 1 + rng(60)); break;
	case 1: emit("%snegotiatetimeout=%u\n", in, 1 + rng(60)); break;
	case 2: emit("%scheckinterval=%u\n", in, 1 + rng(60)); break;
	case 3: emit("%sfailurecount=%u\n", in, 1 + rng(9)); break;
	case 4: emit("%squiescent=%s\n", in, PICK(yesno)); break;
	case 5: emit("%scleanstop=%s\n", in, PICK(yesno)); break;
	case 6: emit("%sfallbackcommand=%s\n", in, PICK(strings)); break;
	case 7: emit("%semailalert=a@example.org%s\n", in,
	    rng(2) ? ", b@example.org" : ""); break;
	case 8: emit("%semailalertfreq=%u\n", in, rng(3600)); break;
	case 9: emit("%semailalertstatus=%s\n", in, PICK(statuses)); break;
	case 10: emit("%ssmtp=192.0.2.%u%s\n", in, 1 + rng(3),
	    rng(2) ? ":2525" : ""); break;
	case 11: emit("%scheckcount=%u\n", in, 1 + rng(3)); break;
	case 12: if (v6) emit("%sfallback6=[::%x]%s%s\n", in, 1 + rng(250),
	    rng(2) ? ":8080" : "", rng(2) ? " ipip" : "");
	    else emit("%sfallback=127.0.0.%u%s%s\n", in, 1 + rng(250),
	    rng(2) ? ":8080" : "", rng(2) ? " masq" : ""); break;
	case 13: emit("%schecktlsverify=%s\n", in, PICK(yesno)); break;
	case 14: emit("%schecktlsca=%s\n", in, rng(2) ? "/etc/hostname" :
	    "\"/etc/passwd\""); break;
	case 15: emit("%shttpredirects=%u\n", in, rng(6)); break;
	default: break;
	}
}

static void
gen_global(void)
{
	switch (rng(10)) {
	case 0: emit("autoreload=%s\n", PICK(yesno)); break;
	case 1: emit("callback=\"/etc/ha.d/cb%u\"\n", rng(9)); break;
	case 2: emit("logfile=%s\n", rng(2) ? "\"local3\"" : "/var/log/x"); break;
	case 3: emit("execute=other%u.cf\n", rng(9)); break;
	case 4: emit("fork=%s\n", PICK(yesno)); break;
	case 5: emit("supervised=%s\n", PICK(yesno)); break;
	case 6: emit("readdquiescent=%s\n", PICK(yesno)); break;
	case 7: emit("emailalertfrom=lvsd <l@example.org>\n"); break;
	case 8: emit("fallback6=[::%x]:%u\n", 1 + rng(255), 1 + rng(9)); break;
	default: gen_common("", 0); break;
	}
}

static const char *const services[] = { "none", "http", "https", "dns",
	"ftp", "smtp", "ldap", "mysql", "simpletcp", "sip", "radius" };
static const char *const checktypes[] = { "connect", "negotiate", "on",
	"off", "ping", "external", "external-perl", "2", "0" };

static void
gen_vdirective(int v6, int udp)
{
	switch (rng(22)) {
	case 0: emit("\tscheduler=%s\n", rng(2) ? "rr" : "wlc"); break;
	case 1: emit("\tpersistent=%u\n", 1 + rng(900)); break;
	/* flags for any scheduler: scheduler= may come later and be rr */
	case 2: emit("\tschedflags=flag-2%s\n", rng(2) ? ",flag-3" : "");
	    break;
	case 3: if (udp) emit("\tops=yes\n"); break;
	case 4: emit("\tchecktype=%s\n", PICK(checktypes)); break;
	case 5: emit("\tservice=%s\n", PICK(services)); break;
	case 6: emit("\tcheckport=%u\n", 1 + rng(65535)); break;
	case 7: emit("\trequest=\"health%u\"\n", rng(9)); break;
	case 8: emit("\treceive=\"^OK [0-9]+\"\n"); break;
	case 9: emit("\thttpmethod=%s\n", rng(2) ? "head" : "GET"); break;
	case 10: emit("\tvirtualhost=www%u.example.org\n", rng(9)); break;
	case 11: emit("\tlogin=%s\n", PICK(strings)); break;
	case 12: emit("\tpasswd=%s\n", PICK(strings)); break;
	case 13: emit("\tdatabase=db%u\n", rng(9)); break;
	case 14: emit("\tsecret=%s\n", PICK(strings)); break;
	case 15: emit("\tcheckcommand=/usr/lib/check%u\n", rng(9)); break;
	case 16: emit("\tmonitorfile=/var/log/m%u\n", rng(9)); break;
	case 17: emit("\tservicename=Service %u # c\n", rng(9)); break;
	case 18: emit("\tcomment=%s\n", PICK(strings)); break;
	case 19: if (!v6) emit("\tnetmask=255.255.%u.0\n", rng(2) ? 255 :
	    0); break;
	default: gen_common("\t", v6); break;
	}
}

static void
gen_real(int v6, unsigned int vn, unsigned int rn, int fwm)
{
	static const char *const fwd[] = { "gate", "masq", "ipip" };
	const char	*f = fwm ? PICK(fwd) : "masq";

	if (v6)
		emit("\treal6=[2001:db8::%x:%x]%s %s", vn, rn, fwm ? "" :
		    ":8080", f);
	else if (rn == 0 && rng(3) == 0)
		emit("\treal=10.%u.1.1->10.%u.1.%u%s %s", vn, vn, 2 + rng(5),
		    fwm ? "" : ":8080", f);
	else
		emit("\treal=10.%u.%u.%u%s %s", vn, rn + 2, 1 + rng(200),
		    fwm ? "" : ":8080", f);
	if (rng(2))
		emit(" %u", rng(100));
	if (rng(4) == 0)
		emit(" \"chk%u\",\"O K\"", rng(9));
	if (rng(4) == 0)
		emit(" l:%u u:%u", 1 + rng(5), 10 + rng(5));
	emit("\n");
}

static void
gen_virtual(unsigned int vn)
{
	int		 v6 = rng(4) == 0, fwm = rng(5) == 0;
	int		 udp = !fwm && rng(4) == 0;
	unsigned int	 i, n = 1 + rng(4);

	if (fwm)
		emit("virtual%s=%u\n", v6 ? "6" : "", 1 + vn);
	else if (v6)
		emit("virtual6=[2001:db8::%x]:%u\n", 100 + vn, 80 + rng(4));
	else
		emit("virtual=192.0.2.%u:%u\n", 1 + vn, rng(2) ? 80 : 53);
	if (udp)
		emit("\tprotocol=udp\n");
	if (fwm)
		emit("\tchecktype=on\n\tcheckport=%u\n", 1 + rng(9999));
	for (i = 0; i < n; i++)
		gen_real(v6, vn, i, fwm);
	for (i = rng(8); i > 0; i--)
		gen_vdirective(v6, udp);
	if (v6 && rng(3) == 0)
		emit("\tfallback6=[::1]%s\n", rng(2) ? ":80" : "");
}

static char *
gen_config(void)
{
	unsigned int	 i;

	if ((genfp = open_memstream(&gen, &genlen)) == NULL)
		abort();
	for (i = rng(10); i > 0; i--)
		gen_global();
	for (i = 0; i < 1 + rng(5); i++)
		gen_virtual(i);
	fclose(genfp);
	return gen;
}

/* Which part of two configs differs, to find a field print forgets. */
static void
explain(const struct conf *a, const struct conf *b)
{
	const struct conf_virtual	*va, *vb = TAILQ_FIRST(&b->c_virtuals);

	diag("globals equal: %d", globals_eq(a, b));
	TAILQ_FOREACH(va, &a->c_virtuals, v_entry) {
		if (vb == NULL)
			return;
		diag("virtual of line %u: ipvs %d check %d notes %d",
		    va->v_line, virtual_ipvs_eq(va, vb),
		    virtual_check_eq(va, vb), virtual_notes_eq(va, vb));
		vb = TAILQ_NEXT(vb, v_entry);
	}
}

/* parse, print, parse: the same config; print again: the same text. */
static int
one_round(const char *text)
{
	struct conf	*a, *b = NULL;
	char		*pa = NULL, *pb = NULL;
	int		 same = 0;

	if ((a = conf_parse_string_flags("g.cf", text, NULL,
	    CONF_NORESOLVE)) == NULL)
		goto out;
	pa = print(a);
	if ((b = conf_parse_string_flags("p.cf", pa, NULL,
	    CONF_NORESOLVE)) == NULL)
		goto out;
	pb = print(b);
	same = conf_eq(a, b) && strcmp(pa, pb) == 0;
	if (!same)
		explain(a, b);
out:
	if (a == NULL || b == NULL)
		conf_free(conf_parse_string_flags(a ? "p.cf" : "g.cf",
		    a ? pa : text, stdout, CONF_NORESOLVE));
	if (!same)
		diag("config:\n%s\nprinted:\n%s", text, pa ? pa : "(refused)");
	free(pa);
	free(pb);
	conf_free(a);
	conf_free(b);
	return same;
}

int
main(void)
{
	const char	*seed = getenv("LVSD_SEED");
	unsigned int	 i, good = 0;

	if (seed != NULL)
		rng_state = strtoull(seed, NULL, 0) | 1;
	for (i = 0; i < NCONFIGS; i++) {
		good += one_round(gen_config());
		free(gen);
		gen = NULL;
		if (good != i + 1)
			break;
	}
	is_int(good, NCONFIGS, "every generated config round-trips");
	return tap_done();
}

/*
 * parent/confmsg.c between the parser and the checker: every config
 * lvsd agrees to run becomes CHECK messages that the checker's own
 * validation accepts (a refused one would make the checker drop the
 * parent and be restarted forever), and every config it cannot run yet
 * is refused with the file, the line and what is missing.
 */
#include <sys/socket.h>

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker.h"
#include "conf.h"
#include "conf_test.h"
#include "ev.h"
#include "lvsd.h"
#include "tap.h"

/* parent/maint.c's, which needs the running daemon: nothing disabled. */
int
maint_is_disabled(const struct addr *a, uint16_t port)
{
	(void)a;
	(void)port;
	return 0;
}

/*
 * The next CHECK on fd, into *ck, which holds the one before: a
 * CHECK_LIKE is made whole from it, as the checker does.  1, and in
 * *like whether it came as a CHECK_LIKE; 0 when no record is left.
 */
static int
recv_check(int fd, struct msg_check *ck, int *like)
{
	struct msg_check_like	 cl;
	struct msg_hdr		 hdr;
	char			 buf[MSG_MAX];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0) {
		memcpy(&hdr, buf, sizeof(hdr));
		*like = hdr.mh_type == MSG_CHECK_LIKE;
		if (hdr.mh_type == MSG_CHECK) {
			memcpy(ck, buf + sizeof(hdr), sizeof(*ck));
			return 1;
		}
		if (hdr.mh_type != MSG_CHECK_LIKE)
			continue;
		memcpy(&cl, buf + sizeof(hdr), sizeof(cl));
		ck->ck_id = cl.cl_id;
		ck->ck_addr = cl.cl_addr;
		ck->ck_port = cl.cl_port;
		return 1;
	}
	return 0;
}

/* Send c to a socketpair as the parent would; validate every CHECK. */
static void
checks_valid(const char *text, unsigned int nchecks, const char *desc)
{
	struct msg_chan		 mc;
	struct msg_check	 ck;
	regex_t			 re;
	char			 why[256];
	struct conf		*c = parse(text);
	unsigned int		 n = 0, bad = 0;
	int			 sv[2], has_re, like;

	if (!ok(c != NULL, desc)) {
		diag("%s", errs);
		return;
	}
	is_int(confmsg_validate(c, stderr, 0), 0, "lvsd would run it");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1)
		abort();
	msg_chan_init(&mc, sv[0], "checker", 0, NULL, NULL, NULL);
	confmsg_send_checker(&mc, c, 1);
	memset(&ck, 0, sizeof(ck));
	while (recv_check(sv[1], &ck, &like)) {
		n++;
		if (check_validate(&ck, &re, &has_re, why, sizeof(why)) != 0) {
			diag("check %u refused: %s", ck.ck_id, why);
			bad++;
		} else if (has_re)
			regfree(&re);
	}
	is_int(n, nchecks, "one CHECK per real server");
	is_int(bad, 0, "the checker accepts every CHECK");
	close(sv[1]);
	msg_chan_close(&mc);
	conf_free(c);
}

/*
 * What the parent sends ipvsd for text, through a socketpair: the end to
 * read the records from, or -1 if text does not parse (or, with
 * validate, lvsd would not run it); errs says why.
 */
static int
ipvsd_records(const char *text, int validate)
{
	struct msg_chan		 mc;
	struct conf		*c = parse(text);
	int			 sv[2];

	if (c == NULL || (validate && confmsg_validate(c, stderr, 0) != 0)) {
		conf_free(c);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1)
		abort();
	msg_chan_init(&mc, sv[0], "ipvsd", 0, NULL, NULL, NULL);
	confmsg_send_ipvsd(&mc, c, 1);
	msg_chan_close(&mc);
	conf_free(c);
	return sv[1];
}

/* The SERVICEs the parent sends ipvsd for text; how many, or -1. */
static int
services_of(const char *text, struct msg_service *svs, int max)
{
	char			 buf[MSG_MAX];
	struct msg_hdr		 hdr;
	int			 fd, n = 0;

	if ((fd = ipvsd_records(text, 1)) == -1) {
		diag("%s", errs);
		return -1;
	}
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0) {
		memcpy(&hdr, buf, sizeof(hdr));
		if (hdr.mh_type == MSG_SERVICE && n < max)
			memcpy(&svs[n++], buf + sizeof(hdr), sizeof(*svs));
	}
	close(fd);
	return n;
}

/* ds_fixed of each DEST the parent sends ipvsd for text: N, U or D. */
static const char *
fixed_of(const char *text)
{
	static char		 out[16];
	struct msg_dest		 ds;
	char			 buf[MSG_MAX];
	struct msg_hdr		 hdr;
	size_t			 n = 0;
	int			 fd;

	if ((fd = ipvsd_records(text, 1)) == -1)
		return errs;
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0 &&
	    n + 1 < sizeof(out)) {
		memcpy(&hdr, buf, sizeof(hdr));
		if (hdr.mh_type != MSG_DEST)
			continue;
		memcpy(&ds, buf + sizeof(hdr), sizeof(ds));
		out[n++] = ds.ds_fixed < FIXED_MAX ? "NUD"[ds.ds_fixed] : '?';
	}
	out[n] = '\0';
	close(fd);
	return out;
}

/* ops, schedflags, readdquiescent and cleanstop, by service. */
static void
test_service_flags(void)
{
	struct msg_service	 svs[3];

	is_int(services_of("readdquiescent=yes\ncleanstop=no\n"
	    "virtual=127.0.0.1:53\n\tprotocol=udp\n\treal=127.0.0.2:53 masq\n"
	    "\tchecktype=on\n\tops=yes\n\tcleanstop=yes\n"
	    "virtual=127.0.0.1:80\n\treal=127.0.0.2:80 masq\n\tchecktype=on\n"
	    "\tscheduler=mh\n\tschedflags=mh-port,mh-fallback\n"
	    "virtual=127.0.0.1:81\n\treal=127.0.0.2:81 masq\n\tchecktype=on\n"
	    "\tschedflags=flag-3\n", svs, 3), 3, "three SERVICEs");
	is_int(svs[0].sv_flags, MSG_SVC_ONEPACKET, "ops=yes: ONEPACKET");
	is_int(svs[1].sv_flags, MSG_SVC_SCHED1 | MSG_SVC_SCHED2,
	    "mh-port,mh-fallback: SCHED2|SCHED1");
	is_int(svs[2].sv_flags, MSG_SVC_SCHED3, "flag-3: SCHED3");
	ok(svs[0].sv_readd && svs[1].sv_readd && svs[2].sv_readd,
	    "readdquiescent=yes on every service");
	ok(svs[0].sv_cleanstop && !svs[1].sv_cleanstop && !svs[2].sv_cleanstop,
	    "cleanstop: the block's own, else the global one");
	is_int(services_of("virtual=127.0.0.1:80\n\treal=127.0.0.2:80 masq\n"
	    "\tchecktype=on\n", svs, 1), 1, "defaults");
	ok(svs[0].sv_flags == 0 && !svs[0].sv_readd && svs[0].sv_cleanstop,
	    "no flags, no readdquiescent, cleanstop=yes");
}

/*
 * A check that needs no probe fixes its reals' state in the DESTs, as the
 * checker's check_static_verdict() would say it: ipvsd needs no verdict.
 */
static void
test_fixed(void)
{
	is_str(fixed_of("virtual=127.0.0.1:80\n\treal=127.0.0.2:80 masq\n"
	    "\treal=127.0.0.3:80 masq\n\tchecktype=on\n"
	    "virtual=127.0.0.1:81\n\treal=127.0.0.2:81 masq\n"
	    "\tchecktype=off\n"
	    "virtual=127.0.0.1:82\n\treal=127.0.0.2:82 masq\n"
	    "\tservice=none\n"
	    "virtual=127.0.0.1:83\n\treal=127.0.0.2:83 masq\n"
	    "\tchecktype=0\n\tservice=none\n"
	    "virtual=127.0.0.1:84\n\treal=127.0.0.2:84 masq\n"
	    "\tchecktype=3\n\tservice=none\n"
	    "virtual=127.0.0.1:85\n\treal=127.0.0.2:85 masq\n"
	    "\tchecktype=connect\n"
	    "virtual=127.0.0.1:86\n\treal=127.0.0.2:86 masq\n"
	    "\tservice=http\n"), "UUDUUNNN",
	    "on: up, both reals; off: down; negotiate none (checktype 0 "
	    "too): up; 3 connects between them, connect, http: checked");
}

/* lvsd must refuse c, with exactly these messages. */
static void
refuses(const char *text, const char *want, const char *desc)
{
	struct conf	*c = parse(text);
	char		*out = NULL;
	size_t		 len;
	FILE		*fp;

	if (!ok(c != NULL, desc))
		return;
	if ((fp = open_memstream(&out, &len)) == NULL)
		abort();
	is_int(confmsg_validate(c, fp, 0), -1, desc);
	fclose(fp);
	is_str(out, want, desc);
	free(out);
	conf_free(c);
}

#define V80	"virtual=127.0.0.100:80\n"

/* The first CHECK lvsd sends for text, into *ck; 0, or -1 if none. */
static int
first_check(const char *text, struct msg_check *ck)
{
	struct msg_chan		 mc;
	struct msg_hdr		 hdr;
	struct conf		*c = parse(text);
	char			 buf[MSG_MAX];
	ssize_t			 len;
	int			 sv[2], found = -1;

	if (c == NULL || socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1)
		return -1;
	msg_chan_init(&mc, sv[0], "checker", 0, NULL, NULL, NULL);
	confmsg_send_checker(&mc, c, 1);
	while (found == -1 &&
	    (len = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		memcpy(&hdr, buf, sizeof(hdr));
		if (hdr.mh_type != MSG_CHECK)
			continue;
		memcpy(ck, buf + sizeof(hdr), sizeof(*ck));
		found = 0;
	}
	close(sv[1]);
	msg_chan_close(&mc);
	conf_free(c);
	return found;
}

/* ping, N and connect over UDP, as the checker gets them. */
static void
test_engine_checks(void)
{
	struct msg_check	 ck;

	checks_valid(V80 "\treal=127.0.0.2:80 masq\n\tprotocol=udp\n"
	    "\tchecktype=connect\n", 1, "connect over udp: ping + datagram");
	checks_valid(V80 "\treal=127.0.0.2:80 masq\n\treal=127.0.0.3:8080 "
	    "masq\n\tchecktype=ping\n", 2, "ping");
	checks_valid("virtual6=[2001:db8::1]:80\n\treal6=[2001:db8::2]:80 "
	    "masq\n\tchecktype=ping\n", 1, "ping over IPv6");
	checks_valid(V80 "\treal=127.0.0.2:80 masq\n\tchecktype=3\n"
	    "\treceive=\"OK\"\n", 1, "checktype 3 (http)");
	checks_valid("virtual=127.0.0.102:53\n\treal=127.0.0.2:53 masq\n"
	    "\trequest=\"www.example.org\"\n\tchecktype=2\n"
	    "\tprotocol=udp\n", 1, "checktype 2, dns over udp");
	if (first_check(V80 "\treal=127.0.0.2:81 masq\n\tchecktype=ping\n"
	    "\tcheckcount=3\n", &ck) == 0)
		is_int(ck.ck_checkcount, 3, "a ping's checkcount");
	else
		ok(0, "no CHECK for checkcount");
	if (first_check(V80 "\treal=127.0.0.2:81 masq\n\tchecktype=ping\n",
	    &ck) == 0)
		ok(ck.ck_type == CHECK_PING && ck.ck_port == 0,
		    "a ping has no port: one per real address");
	else
		ok(0, "no CHECK for ping");
	if (first_check(V80 "\treal=127.0.0.2:80 masq\n\tchecktype=4\n",
	    &ck) == 0)
		ok(ck.ck_type == CHECK_COMBINED && ck.ck_combined == 4 &&
		    ck.ck_service == SERVICE_HTTP, "checktype 4: N = 4, http");
	else
		ok(0, "no CHECK for checktype 4");
	if (first_check("rise=3\n" V80 "\treal=127.0.0.2:80 masq\n", &ck) == 0)
		is_int(ck.ck_rise, 3, "rise=3 globally reaches the checker");
	else
		ok(0, "no CHECK for rise");
	if (first_check("rise=3\n" V80 "\treal=127.0.0.2:80 masq\n"
	    "\trise=2\n", &ck) == 0)
		is_int(ck.ck_rise, 2, "a block's own rise wins");
	else
		ok(0, "no CHECK for rise");
	if (first_check(V80 "\treal=127.0.0.2:80 masq\n", &ck) == 0)
		is_int(ck.ck_rise, 1, "rise is 1 by default, as ldirectord");
	else
		ok(0, "no CHECK for rise");
	if (first_check(V80 "\treal=127.0.0.2:80 masq\n\tchecktype=0\n",
	    &ck) == 0)
		ok(ck.ck_type == CHECK_NEGOTIATE && ck.ck_combined == 0,
		    "checktype 0: negotiate every time");
	else
		ok(0, "no CHECK for checktype 0");
}

/*
 * checktlsverify and httpredirects: one CA message per bundle, before
 * the CHECKs naming it; verification only for a TLS service, redirects
 * only for http and https.
 */
static void
test_tls_checks(void)
{
	struct msg_chan		 mc;
	struct msg_check	 ck[3];
	struct msg_ca		 ca;
	struct msg_hdr		 hdr;
	struct conf		*c;
	char			 buf[MSG_MAX];
	ssize_t			 len;
	unsigned int		 n = 0, ncas = 0, cas_first = 1;
	int			 sv[2];

	c = parse("checktlsverify=yes\nhttpredirects=2\n"
	    "virtual=127.0.0.100:443\n\treal=127.0.0.2:443 masq\n"
	    "\tservice=https\n\tvirtualhost=www.example.org\n"
	    "virtual=127.0.0.100:80\n\treal=127.0.0.3:80 masq\n"
	    "\tservice=http\n"
	    "virtual=127.0.0.100:995\n\treal=127.0.0.4:995 masq\n"
	    "\tservice=pops\n\tchecktlsca=/etc/hostname\n");
	if (!ok(c != NULL, "a config that verifies")) {
		diag("%s", errs);
		return;
	}
	is_int(confmsg_validate(c, stderr, 0), 0, "lvsd would run it");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1)
		abort();
	msg_chan_init(&mc, sv[0], "checker", 0, NULL, NULL, NULL);
	confmsg_send_checker(&mc, c, 1);
	while ((len = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		memcpy(&hdr, buf, sizeof(hdr));
		if (hdr.mh_type == MSG_CA) {
			memcpy(&ca, buf + sizeof(hdr), sizeof(ca));
			cas_first &= ca.ca_id == ncas++ && n < 3;
		} else if (hdr.mh_type == MSG_CHECK && n < 3)
			memcpy(&ck[n++], buf + sizeof(hdr), sizeof(ck[0]));
	}
	is_int(ncas, 2, "two CA bundles: the system's and checktlsca's");
	ok(cas_first, "numbered from 0, each before the CHECKs");
	if (is_int(n, 3, "three CHECKs")) {
		ok(ck[0].ck_tls_verify == 1 && ck[0].ck_tls_ca == 1 &&
		    ck[0].ck_redirects == 2, "https: verified, CA 0, redirects");
		ok(ck[1].ck_tls_verify == 0 && ck[1].ck_tls_ca == 0 &&
		    ck[1].ck_redirects == 2, "http: not verified, redirects");
		ok(ck[2].ck_tls_verify == 1 && ck[2].ck_tls_ca == 2 &&
		    ck[2].ck_redirects == 0, "pops: verified, CA 1, no "
		    "redirects");
	}
	close(sv[1]);
	msg_chan_close(&mc);
	conf_free(c);
}

/* The types confmsg_send_ipvsd sends for text, in order, as letters. */
static const char *
ipvsd_types(const char *text, struct msg_sync *sy)
{
	static char	 out[64];
	char		 buf[MSG_MAX];
	struct msg_hdr	 hdr;
	size_t		 n = 0;
	int		 fd;

	out[0] = '\0';
	if ((fd = ipvsd_records(text, 0)) == -1)
		return errs;
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0 &&
	    n + 1 < sizeof(out)) {
		memcpy(&hdr, buf, sizeof(hdr));
		out[n++] = "?BSD?E"[hdr.mh_type <= MSG_CONF_END ?
		    hdr.mh_type : 0];
		if (hdr.mh_type == MSG_SYNC) {
			out[n - 1] = 'Y';
			memcpy(sy, buf + sizeof(hdr), sizeof(*sy));
		}
	}
	out[n] = '\0';
	close(fd);
	return out;
}

/* The sync directives reach ipvsd as one SYNC, after the reals. */
static void
test_sync(void)
{
	struct msg_sync	 sy;
	char		 group[ADDR_STRLEN];

	memset(&sy, 0, sizeof(sy));
	is_str(ipvsd_types("syncdaemon=backup\nsyncinterface=lo\nsyncid=4\n"
	    "syncmaxlen=1500\n" V80 "\treal=127.0.0.2:80 masq\n", &sy),
	    "BSDYE", "a SYNC between the reals and CONF_END");
	is_int(sy.sy_states, SYNC_BACKUP, "its states");
	is_str(sy.sy_ifname, "lo", "its interface");
	is_int(sy.sy_syncid, 4, "its sync id");
	is_int(sy.sy_port, 8848, "its port");
	is_int(sy.sy_ttl, 1, "its ttl");
	is_int(sy.sy_maxlen, 1500, "its maxlen");
	is_str(addr_ntop(&sy.sy_group, group, sizeof(group)), "224.0.0.81",
	    "its group");
	is_str(ipvsd_types(V80 "\treal=127.0.0.2:80 masq\n", &sy), "BSDE",
	    "no SYNC without syncdaemon");
}

/*
 * The reals of a virtual service probed alike: a CHECK for the first, a
 * CHECK_LIKE (28 bytes, not 2 KiB) for each next one that differs in
 * its id, address and port only; a real with its own request gets a
 * whole CHECK, and so does the real after it.  A CHECK names no virtual
 * service: the first real of the next one, probed alike, is a LIKE too.
 */
static void
test_check_like(void)
{
	struct msg_chan		 mc;
	struct msg_check	 ck, first;
	struct conf		*c;
	char			 a[ADDR_STRLEN];
	const char		*want[] = { "127.0.0.2:80", "127.0.0.3:8080",
	    "127.0.0.4:80", "127.0.0.5:80", "127.0.0.2:443" };
	const char		*how = "CLCCL";
	char			 got[8];
	unsigned int		 n = 0, same = 1, where = 1;
	int			 sv[2], like;

	c = parse(V80 "\treal=127.0.0.2:80 masq\n\treal=127.0.0.3:8080 masq\n"
	    "\treal=127.0.0.4:80 masq \"/own\",\"OK\"\n"
	    "\treal=127.0.0.5:80 masq\n\tservice=http\n"
	    "virtual=127.0.0.100:443\n\treal=127.0.0.2:443 masq\n"
	    "\tservice=http\n");
	if (!ok(c != NULL, "two http services") ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1) {
		diag("%s", errs);
		return;
	}
	msg_chan_init(&mc, sv[0], "checker", 0, NULL, NULL, NULL);
	confmsg_send_checker(&mc, c, 1);
	memset(&ck, 0, sizeof(ck));
	memset(&first, 0, sizeof(first));
	while (n < 5 && recv_check(sv[1], &ck, &like)) {
		got[n] = like ? 'L' : 'C';
		if (n == 0)
			first = ck;
		else if (n == 1)
			same = memcmp(first.ck_request, ck.ck_request,
			    sizeof(ck.ck_request)) == 0 &&
			    first.ck_type == ck.ck_type &&
			    first.ck_interval_ms == ck.ck_interval_ms;
		where &= ck.ck_id == n && strcmp(addr_port_ntop(&ck.ck_addr,
		    ck.ck_port, a, sizeof(a)), want[n]) == 0;
		n++;
	}
	got[n] = '\0';
	is_str(got, how, "CHECK, LIKE, CHECK (own request), CHECK, LIKE "
	    "(next service)");
	ok(where, "each with its own id, address and port");
	ok(same, "the rest is the CHECK's before it");
	is_str(ck.ck_request, "/", "the last one has the request before "
	    "it, not /own");
	close(sv[1]);
	msg_chan_close(&mc);
	conf_free(c);
}

int
main(void)
{
	ev_init();
	test_sync();
	test_fixed();
	test_tls_checks();
	test_check_like();
	checks_valid(V80 "\treal=127.0.0.2:80 masq\n\treal=127.0.0.3:80 "
	    "masq \"/a\",\"b\"\n\trequest=\"/h\"\n\treceive=\"OK\"\n"
	    "\tvirtualhost=www.example.org\n", 2, "http");
	checks_valid("virtual=127.0.0.102:53\n\treal=127.0.0.2:53 masq 3\n"
	    "\tchecktype=on\n", 1, "port 53 is dns, but checktype on");
	checks_valid("virtual=127.0.0.102:3306\n\treal=127.0.0.2:3306 masq\n"
	    "\tchecktype=connect\n\trequest=\"SELECT * FROM t\"\n", 1,
	    "a connect check sends no SQL request");
	checks_valid("virtual=7\n\treal=127.0.0.2 gate\n\tservice=http\n", 1,
	    "fwmark: the service's port");
	checks_valid(V80 "\treal=127.0.0.2:80 masq \"http://x/\",\"y\"\n"
	    "\tchecktype=connect\n", 1, "a URL a connect check does not use");
	checks_valid("virtual6=[2001:db8::1]:80\n\treal6=[2001:db8::2]:80 "
	    "masq\n\tchecktype=off\n", 1, "IPv6, off");
	checks_valid("virtual=127.0.0.102:53\n\treal=127.0.0.2:53 masq\n"
	    "\trequest=\"www.example.org\"\n\treceive=\"^192\"\n"
	    "\tprotocol=udp\n", 1, "dns over udp");
	checks_valid("virtual=127.0.0.102:25\n\treal=127.0.0.2:25 masq\n"
	    "\treal=127.0.0.3:25 masq\n", 2, "port 25 is smtp");
	checks_valid("virtual=127.0.0.102:587\n\treal=127.0.0.2:587 masq\n"
	    "\tservice=submission\n", 1, "submission is smtp");
	checks_valid("virtual=127.0.0.102:110\n\treal=127.0.0.2:110 masq\n"
	    "\tlogin=\"probe\"\n\tpasswd=\"s3 cr\\\"et\"\n", 1,
	    "pop with a login");
	checks_valid("virtual=127.0.0.102:143\n\treal=127.0.0.2:143 masq\n"
	    "\tlogin=\"probe\"\n\tpasswd=\"x\"\n", 1, "imap with a login");
	checks_valid("virtual=127.0.0.102:119\n\treal=127.0.0.2:119 masq\n",
	    1, "port 119 is nntp");
	/* the checker refuses radius without a secret: so it got there */
	checks_valid("virtual=127.0.0.102:1812\n\treal=127.0.0.2:1812 masq\n"
	    "\tprotocol=udp\n\tlogin=\"probe\"\n\tpasswd=\"pw\"\n"
	    "\tsecret=\"s3 cret\"\n", 1, "radius carries its secret");
	checks_valid("virtual=127.0.0.102:5060\n\treal=127.0.0.2:5060 masq\n"
	    "\treal=127.0.0.3:5060 masq\n\tprotocol=udp\n"
	    "\tlogin=\"probe@example.org\"\n", 2, "sip over udp");
	checks_valid("virtual=127.0.0.102:5060\n\treal=127.0.0.2:5060 masq\n",
	    1, "sip over tcp, no login");
	checks_valid("virtual=127.0.0.102:7\n\treal=127.0.0.2:7 masq\n"
	    "\tservice=simpletcp\n\trequest=\"PING me\\n\"\n"
	    "\treceive=\"^PONG\"\n", 1, "simpletcp, a request with a blank");
	checks_valid("virtual=127.0.0.102:443\n\treal=127.0.0.2:443 masq\n"
	    "\treal=127.0.0.3:8443 masq \"/b\",\"c\"\n\trequest=\"/h\"\n"
	    "\treceive=\"OK\"\n\tvirtualhost=www.example.org\n", 2,
	    "port 443 is https, with a virtualhost");
	checks_valid("virtual=127.0.0.102:3128\n\treal=127.0.0.2:3128 masq\n"
	    "\trequest=\"http://www.example.org/p\"\n\treceive=\"OK\"\n", 1,
	    "port 3128 is http_proxy, a full URL as its request");
	checks_valid("virtual=127.0.0.102:3128\n\treal=127.0.0.2:3128 masq "
	    "\"http://www.example.org/r\",\"OK\"\n\treal=127.0.0.3:3128 "
	    "masq\n", 2, "http_proxy, a real's own URL");
	checks_valid("virtual=127.0.0.102:995\n\treal=127.0.0.2:995 masq\n"
	    "\tlogin=\"probe\"\n\tpasswd=\"x\"\n", 1, "port 995 is pops");
	checks_valid("virtual=127.0.0.102:993\n\treal=127.0.0.2:993 masq\n"
	    "\tlogin=\"probe\"\n\tpasswd=\"x\"\n", 1, "port 993 is imaps");
	checks_valid("virtual=127.0.0.102:636\n\treal=127.0.0.2:636 masq\n"
	    "\trequest=\"/ou=Health Check,dc=example,dc=org\"\n"
	    "\treceive=\"^ou=\"\n\tlogin=\"cn=probe, dc=example,dc=org\"\n"
	    "\tpasswd=\"x y\"\n", 1, "port 636 is ldaps, a DN with blanks");
	refuses("virtual=127.0.0.102:443\n\treal=127.0.0.2:443 masq "
	    "\"https://x/\",\"y\"\n",
	    "t.cf:2: error: a full URL as request is not implemented yet; "
	    "lvsd cannot start with it (lvsd -t accepts it)\n",
	    "https, a full URL");
	refuses("virtual=127.0.0.102:3128\n\treal=127.0.0.2:3128 masq\n"
	    "\trequest=\"https://www.example.org/\"\n",
	    "t.cf:2: error: the check of this real server cannot run: "
	    "request is not a path starting with / or a URL starting with "
	    "http://\n", "http_proxy of an https URL (ldirectord would not "
	    "proxy it)");
	refuses("virtual=127.0.0.102:993\n\treal=127.0.0.2:993 masq\n"
	    "\tprotocol=udp\n",
	    "t.cf:3: error: service imaps is a TCP protocol: it cannot check a "
	    "UDP virtual service\n", "imaps over udp");
	refuses("virtual=127.0.0.102:636\n\treal=127.0.0.2:636 masq\n"
	    "\tprotocol=udp\n",
	    "t.cf:3: error: service ldaps is a TCP protocol: it cannot check a "
	    "UDP virtual service\n", "ldaps over udp");
	checks_valid("virtual=127.0.0.102:7\n\treal=127.0.0.2:7 masq\n"
	    "\tservice=simpletcp\n\tprotocol=udp\n\treceive=\"x\"\n", 1,
	    "simpletcp over udp");
	refuses("emailalertfrom=LVS director\n" V80 "\treal=127.0.0.2:80 masq\n"
	    "\temailalert=ops@example.com\n",
	    "t.cf:1: error: emailalertfrom must hold an e-mail address, alone "
	    "or between < and > (the envelope sender)\n",
	    "emailalertfrom without an address, with alerts");
	refuses(V80 "\treal=127.0.0.2:80 masq\n\temailalert=a,b,c,d,e,f,g,h,i,j,"
	    "k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,aa,ab,ac,ad,ae,af,ag\n",
	    "t.cf:3: error: emailalert must be at most 32 addresses\n",
	    "33 recipients");
	checks_valid("emailalertfrom=LVS <lvsd@example.com>\n"
	    "emailalert=ops@example.com, root\nsmtp=127.0.0.1:2525\n" V80
	    "\treal=127.0.0.2:80 masq\n", 1, "emailalert is in force");
	refuses("virtual=127.0.0.102:25\n\treal=127.0.0.2:25 masq\n"
	    "\tprotocol=udp\n",
	    "t.cf:3: error: service smtp is a TCP protocol: it cannot check a "
	    "UDP virtual service\n", "smtp over udp");
	refuses("virtual=127.0.0.102:110\n\treal=127.0.0.2:110 masq\n"
	    "\tlogin=\"probe\"\n\tpasswd=\"\xc3\xa9t\xc3\xa9\"\n",
	    "t.cf:4: error: login and passwd must be printable ASCII of at "
	    "most 127 bytes\n", "a password that is not ASCII");
	refuses(V80 "\treal=127.0.0.2:80 masq\n\treceive=\"0++++++++++++"
	    "++++++++++++++++++++++++++++++++++++++++++++++++\"\n",
	    "t.cf:2: error: the check of this real server cannot run: "
	    "receive '0++++++++++++++++++++++++++++++++++++++++++++++++++++++"
	    "++++++' has two repetitions in a row\n",
	    "sixty stacked '+' (the parser left it uncompiled) are refused");
	refuses(V80 "\treal=127.0.0.2:80 masq\n\treceive=\"a++\"\n",
	    "t.cf:2: error: the check of this real server cannot run: "
	    "receive 'a++' has two repetitions in a row\n",
	    "what the checker would refuse is refused at load, by its code");
	refuses(V80 "\treal=127.0.0.2:80 masq \"/ok\",\"fine\"\n"
	    "\treal=127.0.0.3:80 masq\n\treceive=\"a)b\"\n",
	    "t.cf:3: error: the check of this real server cannot run: "
	    "receive 'a)b' has a ')' without its '('\n",
	    "the block's receive is checked when the first real has its own");
	/* a block checked as the one before it is not compiled again... */
	checks_valid(V80 "\treal=127.0.0.2:80 masq\n\treceive=\"OK\"\n"
	    "virtual=127.0.0.101:80\n\treal=127.0.0.3:80 masq\n"
	    "\treceive=\"OK\"\n", 2, "two blocks checked alike");
	/* ...but one that differs is, also after a valid one */
	refuses(V80 "\treal=127.0.0.2:80 masq\n\treceive=\"OK\"\n"
	    "virtual=127.0.0.101:80\n\treal=127.0.0.3:80 masq\n"
	    "\treceive=\"O++\"\n",
	    "t.cf:5: error: the check of this real server cannot run: "
	    "receive 'O++' has two repetitions in a row\n",
	    "a block after a valid one is validated when its check differs");
	refuses("virtual=127.0.0.102:1812\n\treal=127.0.0.2:1812 masq\n"
	    "\tprotocol=udp\n\tlogin=\"probe\"\n",
	    "t.cf:2: error: the check of this real server cannot run: radius "
	    "needs a login and a secret\n", "radius without a secret");
	refuses("virtual=127.0.0.102:1812\n\treal=127.0.0.2:1812 masq\n"
	    "\tprotocol=udp\n\tlogin=\"probe\"\n\tsecret=\"\xc3\xa9\"\n",
	    "t.cf:5: error: secret must be printable ASCII of at most 127 "
	    "bytes\n", "a secret that is not ASCII");
	refuses("virtual=127.0.0.102:5060\n\treal=127.0.0.2:5060 masq\n"
	    "\tlogin=\"a b@example.org\"\n",
	    "t.cf:2: error: the check of this real server cannot run: a sip "
	    "login is user@host, without a space, '<', '>' or '\"'\n",
	    "a sip login with a blank");
	refuses("virtual=127.0.0.102:1521\n\treal=127.0.0.2:1521 masq\n",
	    "t.cf:1: error: service oracle is not implemented yet; lvsd cannot "
	    "start with it (lvsd -t accepts it)\n", "oracle");
	refuses(V80 "\treal=127.0.0.2:80 masq \"http://x/\",\"y\"\n",
	    "t.cf:2: error: a full URL as request is not implemented yet; "
	    "lvsd cannot start with it (lvsd -t accepts it)\n", "full URL");
	refuses(V80 "\treal=127.0.0.2:80 masq\n\tprotocol=udp\n",
	    "t.cf:3: error: service http is a TCP protocol: it cannot check a "
	    "UDP virtual service\n",
	    "http over udp");
	refuses("execute=other.cf\n" V80 "\treal=127.0.0.2:80 masq\n",
	    "t.cf:1: error: execute=other.cf: not the absolute path of a "
	    "configuration file, of printable characters (lvsd runs lvsd -f "
	    "PATH without a shell)\n", "execute: a relative name");
	refuses("execute=/etc/other.cf\nexecute=rel.cf\n" V80
	    "\treal=127.0.0.2:80 masq\n",
	    "t.cf:2: error: execute=rel.cf: not the absolute path of a "
	    "configuration file, of printable characters (lvsd runs lvsd -f "
	    "PATH without a shell)\n", "execute: the bad one of two");
	checks_valid("execute=/etc/other.cf\nexecute=/etc/third.cf\n" V80
	    "\treal=127.0.0.2:80 masq\n", 1, "execute: absolute paths");
	test_engine_checks();
	test_service_flags();
	free(errs);
	return tap_done();
}

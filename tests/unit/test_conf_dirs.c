/*
 * Unit tests of the ldirectord.cf directives beyond a basic HTTP
 * balancer: every service and check type, the alert and daemon
 * directives, ldirectord's quirks that lvsd fixes and says so, the
 * hints for misspelt and keepalived words, and that lvsd refuses to
 * run what it parses but cannot do yet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "conf_test.h"
#include "tap.h"

#define V80	"virtual=127.0.0.100:80\n"
#define R2	"\treal=127.0.0.2:80 masq\n"
#define V80B	"virtual=127.0.0.101:80\n"

/* Each service by name, and the one a well-known virtual port implies. */
static void
test_services(void)
{
	static const struct {
		const char	*name;
		uint16_t	 port;
	} svc[] = {
		{ "ftp", 21 }, { "smtp", 25 }, { "dns", 53 }, { "http", 80 },
		{ "pop", 110 }, { "nntp", 119 }, { "imap", 143 },
		{ "ldap", 389 }, { "https", 443 }, { "submission", 587 },
		{ "ldaps", 636 }, { "imaps", 993 }, { "pops", 995 },
		{ "oracle", 1521 }, { "radius", 1812 },
		{ "http_proxy", 3128 }, { "mysql", 3306 }, { "sip", 5060 },
		{ "pgsql", 5432 }
	};
	struct conf	*c;
	char		 text[256], desc[64];
	size_t		 i;

	for (i = 0; i < sizeof(svc) / sizeof(svc[0]); i++) {
		snprintf(text, sizeof(text), "virtual=127.0.0.100:%u\n"
		    "\treal=127.0.0.2:%u masq\n\treceive=\"x\"\n"
		    "\tlogin=u\n", svc[i].port, svc[i].port);
		snprintf(desc, sizeof(desc), "port %u gives %s", svc[i].port,
		    svc[i].name);
		c = taken(text, "", desc);
		if (c != NULL) {
			is_str(conf_service_name(vfirst(c)->v_service),
			    svc[i].name, desc);
			is_int(conf_service_port(vfirst(c)->v_service),
			    svc[i].port, "and back to the port");
		}
		conf_free(c);
		snprintf(text, sizeof(text), V80 R2 "\tservice=%s\n"
		    "\treceive=\"x\"\n\tlogin=u\n", svc[i].name);
		c = taken(text, "", svc[i].name);
		if (c != NULL)
			is_str(conf_service_name(vfirst(c)->v_service),
			    svc[i].name, "service= by name");
		conf_free(c);
	}
	c = taken("virtual=127.0.0.100:7000\n\treal=127.0.0.2:7000 masq\n"
	    "\tservice=simpletcp\n\trequest=\"PING\\n\"\n\treceive=\"PONG\"\n",
	    "", "simpletcp");
	if (c != NULL)
		is_str(vfirst(c)->v_request, "/PING\\n", "\\n kept as written");
	conf_free(c);
	c = taken("virtual=127.0.0.100:3306\n\treal=127.0.0.2:3306 masq\n"
	    "\trequest=\"SELECT * FROM t\"\n", "", "an SQL query has blanks");
	if (c != NULL)
		is_str(vfirst(c)->v_request, "/SELECT * FROM t", "query");
	conf_free(c);
	c = taken("virtual=1\n\treal=127.0.0.2 gate\n\tservice=dns\n"
	    "\treceive=\"192\\.0\"\n", "", "fwmark dns: port 53 is checked");
	if (c != NULL)
		is_int(conf_service_port(vfirst(c)->v_service), 53, "53");
	conf_free(c);
}

static void
test_checktypes(void)
{
	static const char *const names[] = { "ping", "external",
	    "external-perl" };
	struct conf	*c;
	char		 text[256];
	size_t		 i;

	for (i = 0; i < 3; i++) {
		snprintf(text, sizeof(text), V80 R2 "\tchecktype=%s\n",
		    names[i]);
		c = taken(text, "", names[i]);
		if (c != NULL) {
			is_int(vfirst(c)->v_checktype, CONF_CHECK_PING + i,
			    names[i]);
			is_str(conf_checktype_name(vfirst(c)->v_checktype),
			    names[i], "its name");
		}
		conf_free(c);
	}
	c = taken(V80 R2 "\tchecktype=3\n", "", "combined");
	if (c != NULL) {
		is_int(vfirst(c)->v_checktype, CONF_CHECK_COMBINED, "N");
		is_int(vfirst(c)->v_combined, 3, "N is 3");
	}
	conf_free(c);
	conf_free(taken(V80 R2 "\tchecktype=0\n", "", "combined 0"));
	refused(V80 R2 "\tchecktype=abc5\n",
	    "t.cf:3:12: error: a combined checktype must be a whole number "
	    "from 0 to 1000, not 'abc5'\n", "abc5 is not 5");
	c = taken(V80 R2 "\tchecktype=external\n"
	    "\tcheckcommand=\"/usr/local/bin/check web\"\n",
	    "", "a quoted checkcommand is one path");
	if (c != NULL)
		is_str(vfirst(c)->v_checkcommand, "/usr/local/bin/check web",
		    "blank in the path");
	conf_free(c);
}

static void
test_checkcommand(void)
{
	struct conf	*c;

	c = taken(V80 R2 "\tchecktype=external\n", "", "default command");
	if (c != NULL)
		is_str(vfirst(c)->v_checkcommand, "/bin/true", "/bin/true");
	conf_free(c);
	c = taken(V80 R2 "\tchecktype=external\n"
	    "\tcheckcommand=/usr/local/bin/check-web\n", "", "checkcommand");
	if (c != NULL)
		is_str(vfirst(c)->v_checkcommand, "/usr/local/bin/check-web",
		    "bare path");
	conf_free(c);
	refused(V80 R2 "\tcheckcommand=/bin/check --port 80\n",
	    "t.cf:3:15: error: checkcommand '/bin/check --port 80' has "
	    "arguments, but it is run without a shell, with the arguments "
	    "VIP VPORT RIP RPORT; put the command in a script\n",
	    "arguments in checkcommand");
	refused(V80 R2 "\tcheckcommand=\"\"\n",
	    "t.cf:3:15: error: checkcommand must not be empty\n", "empty");
}

static void
test_credentials(void)
{
	struct conf		*c;
	struct conf_virtual	*v;

	c = taken("virtual=127.0.0.100:389\n\treal=127.0.0.2:389 masq\n"
	    "\tlogin=\"cn=monitor,dc=example,dc=org\"\n"
	    "\tpasswd=\"p#ss word\"\n\tdatabase=\"db\"\n\tsecret=s3cret\n"
	    "\trequest=\"dc=example,dc=org\"\n", "", "credentials");
	if (c != NULL) {
		v = vfirst(c);
		is_str(v->v_login, "cn=monitor,dc=example,dc=org", "login");
		is_str(v->v_passwd, "p#ss word", "passwd keeps # and blank");
		is_str(v->v_database, "db", "database");
		is_str(v->v_secret, "s3cret", "secret, unquoted");
	}
	conf_free(c);
	c = taken(V80 R2 "\tlogin=\"\"\n", "", "empty login");
	if (c != NULL)
		ok(vfirst(c)->v_login == NULL, "empty is unset");
	conf_free(c);
	refused(V80 R2 "\tpasswd=\"a\tb\"\n",
	    "t.cf:3:9: error: passwd 'a\\x09b' contains a control "
	    "character\n", "tab in passwd");
	refused(V80 R2 "\tlogin=a b\n",
	    "t.cf:3:10: error: unexpected 'b' after the value of 'login'\n",
	    "two words");
}

static void
test_notes(void)
{
	struct conf		*c;
	struct conf_virtual	*v;

	c = taken(V80 R2 "\tservicename=Web shop # front\n"
	    "\tcomment=\"the #1 site\"\n\tmonitorfile=/var/log/web.mon\n"
	    "\tload=\"x\"\n",
	    "t.cf:6:7: warning: load is ignored, as ldirectord ignores it\n",
	    "servicename, comment, monitorfile");
	if (c != NULL) {
		v = vfirst(c);
		is_str(v->v_servicename, "Web shop", "rest of line");
		is_str(v->v_comment, "the #1 site", "quoted keeps #");
		is_str(v->v_monitorfile, "/var/log/web.mon", "monitorfile");
	}
	conf_free(c);
	refused(V80 R2 "\tmonitorfile=web.mon\n",
	    "t.cf:3:14: error: monitorfile must be an absolute path, not "
	    "'web.mon'\n", "relative monitorfile");
}

static void
test_ipvs_options(void)
{
	struct conf	*c;

	c = taken(V80 R2 "\tscheduler=sh\n\tschedflags=sh-port,sh-fallback\n",
	    "", "schedflags");
	if (c != NULL) {
		is_str(vfirst(c)->v_schedflags, "sh-port,sh-fallback", "kept");
		is_int(vfirst(c)->v_schedbits, MSG_SVC_SCHED1 | MSG_SVC_SCHED2,
		    "as the kernel's first two bits");
	}
	conf_free(c);
	c = taken(V80 R2 "\tschedflags=mh-port,flag-3\n\tscheduler=mh\n",
	    "", "mh-port and flag-3, the scheduler after them");
	if (c != NULL)
		is_int(vfirst(c)->v_schedbits, MSG_SVC_SCHED2 | MSG_SVC_SCHED3,
		    "bits 2 and 3");
	conf_free(c);
	c = taken(V80 R2 "\tschedflags=flag-1\n", "", "flag-1 suits any");
	if (c != NULL)
		is_int(vfirst(c)->v_schedbits, MSG_SVC_SCHED1, "bit 1");
	conf_free(c);
	refused(V80 R2 "\tschedflags=flag-2,sh-port\n",
	    "t.cf:3:13: error: scheduler flag 'sh-port' is for the sh "
	    "scheduler, not wrr\n", "sh-port with wrr: an error, as in ipvsadm");
	refused(V80 R2 "\tscheduler=sh\n\tschedflags=mh-fallback\n",
	    "t.cf:4:13: error: scheduler flag 'mh-fallback' is for the mh "
	    "scheduler, not sh\n", "mh-fallback with sh");
	refused(V80 R2 "\tschedflags=sh-port;touch${IFS}/tmp/x\n",
	    "t.cf:3:13: error: unknown scheduler flag "
	    "'sh-port;touch${IFS}/tmp/x' (expected flag-1, flag-2, flag-3, "
	    "sh-fallback, sh-port, mh-fallback or mh-port)\n",
	    "no shell through schedflags");
	refused(V80 R2 "\tschedflags=sh-port,\n",
	    "t.cf:3:13: error: invalid schedflags 'sh-port,' (expected flags "
	    "such as sh-port,sh-fallback)\n", "empty flag");
	c = taken("virtual=127.0.0.100:53\n\treal=127.0.0.2:53 masq\n"
	    "\tops=yes\n\tchecktype=on\n", "", "ops on udp");
	if (c != NULL)
		is_int(vfirst(c)->v_ops, 1, "ops");
	conf_free(c);
	c = taken(V80 R2 "\tops=yes\n", "t.cf:3:6: warning: ops only applies "
	    "to UDP services; ignored here, as ldirectord ignores it\n",
	    "ops on tcp");
	if (c != NULL)
		is_int(vfirst(c)->v_ops, 0, "cleared");
	conf_free(c);
}

static void
test_alerts(void)
{
	struct conf		*c;
	struct conf_virtual	*v;
	char			 buf[ADDR_STRLEN];

	c = taken("emailalert=\"root@example.org\"\nemailalertfreq=600\n"
	    "emailalertstatus=starting, running\nsmtp=192.0.2.25:2525\n"
	    "emailalertfrom=lvsd <lvsd@example.org>\n"
	    "fallbackcommand=\"/usr/local/bin/sorry\"\ncleanstop=no\n"
	    V80 R2 "virtual=127.0.0.101:80\n" R2
	    "\temailalert=a@example.org,b@example.org\n"
	    "\temailalertstatus=none\n\temailalertfreq=0\n\tsmtp=[::1]\n"
	    "\tfallbackcommand=/bin/other start\n\tcleanstop=yes\n", "",
	    "alerts, global and per virtual");
	if (c == NULL)
		return;
	is_str(c->c_emailalertfrom, "lvsd <lvsd@example.org>", "from");
	v = vfirst(c);
	is_str(v->v_emailalert, "root@example.org", "inherited emailalert");
	is_int(v->v_emailalertfreq, 600, "inherited freq");
	is_int(v->v_emailalertstatus, CONF_ALERT_STARTING |
	    CONF_ALERT_RUNNING, "inherited status");
	is_str(v->v_smtp, "192.0.2.25:2525", "inherited smtp");
	is_int(v->v_smtp_port, 2525, "inherited smtp port");
	is_str(addr_ntop(&v->v_smtp_addr, buf, sizeof(buf)), "192.0.2.25",
	    "inherited smtp address");
	is_str(v->v_fallbackcommand, "/usr/local/bin/sorry",
	    "fallbackcommand: the quotes are not kept");
	is_int(v->v_cleanstop, 0, "inherited cleanstop");
	v = TAILQ_NEXT(v, v_entry);
	is_str(v->v_emailalert, "a@example.org, b@example.org", "list");
	is_int(v->v_emailalertstatus, 0, "none");
	is_int(v->v_emailalertfreq, 0, "freq 0");
	is_str(v->v_smtp, "[::1]", "smtp");
	is_int(v->v_smtp_port, 25, "smtp: port 25 by default");
	is_str(addr_ntop(&v->v_smtp_addr, buf, sizeof(buf)), "::1",
	    "smtp: an IPv6 address");
	is_str(v->v_fallbackcommand, "/bin/other start", "with arguments");
	is_int(v->v_cleanstop, 1, "per-virtual cleanstop");
	conf_free(c);
	refused("emailalertstatus=none,running\n" V80 R2,
	    "t.cf:1:18: error: emailalertstatus 'none,running': none stands "
	    "alone\n", "none and running");
	refused("emailalertstatus=sometimes\n" V80 R2,
	    "t.cf:1:18: error: invalid emailalertstatus 'sometimes' (expected "
	    "all, none, or a list of starting, running, stopping, "
	    "reloading)\n", "sometimes");
	refused("emailalert=a@b,,c@d\n" V80 R2,
	    "t.cf:1:12: error: invalid e-mail address in 'a@b,,c@d' "
	    "(expected addresses separated by commas)\n", "empty address");
	refused("emailalert=<a@b>\n" V80 R2,
	    "t.cf:1:12: error: invalid e-mail address in '<a@b>' (expected "
	    "addresses separated by commas)\n", "brackets");
	refused("smtp=127.0.0.1:0\n" V80 R2,
	    "t.cf:1:16: error: port must be a whole number from 1 to 65535, "
	    "not '0'\n", "smtp with port 0");
	/* the resolver's reason depends on the machine: not compared */
	c = parse("smtp=no-such-host.invalid\n" V80 R2);
	ok(c == NULL && errs != NULL && strncmp(errs, "t.cf:1:6: error: cannot "
	    "resolve host 'no-such-host.invalid': ", 61) == 0,
	    "smtp: a name that does not resolve is an error at its line");
	conf_free(c);
	refused("smtp=a b\n" V80 R2,
	    "t.cf:1:8: error: unexpected 'b' after the value of 'smtp'\n",
	    "smtp: two words");
	refused("emailalertfreq=-1\n" V80 R2,
	    "t.cf:1:16: error: emailalertfreq must be a whole number from 0 to "
	    "2678400, not '-1'\n", "negative freq");
	refused("fallbackcommand=\"\"\n" V80 R2,
	    "t.cf:1:17: error: fallbackcommand must not be empty\n",
	    "empty fallbackcommand");
}

static void
test_daemon(void)
{
	struct conf	*c;

	c = taken("autoreload=yes\ncallback=\"/etc/ha.d/cb\"\n"
	    "logfile=\"local0\"\nexecute=other.cf\nexecute=/etc/third.cf\n"
	    "fork=yes\nsupervised=yes\nreaddquiescent=yes\n"
	    "maintenancedir=/\n" V80 R2, "", "daemon directives");
	if (c == NULL)
		return;
	is_int(c->c_autoreload, 1, "autoreload");
	is_str(c->c_callback, "/etc/ha.d/cb", "callback");
	is_str(c->c_logfile, "local0", "logfile facility");
	is_int(c->c_nexecute, 2, "execute twice");
	is_str(c->c_execute[1], "/etc/third.cf", "second execute");
	is_int(c->c_fork, 1, "fork");
	is_int(c->c_supervised, 1, "supervised");
	is_int(c->c_readdquiescent, 1, "readdquiescent");
	is_str(c->c_maintenancedir, "/", "maintenancedir");
	conf_free(c);
	c = taken("logfile=/var/log/ldirectord.log\nsupervised\n" V80 R2,
	    "t.cf:2:1: warning: a bare 'supervised' means yes, as in "
	    "ldirectord; write supervised=yes\n", "bare supervised");
	if (c != NULL) {
		is_str(c->c_logfile, "/var/log/ldirectord.log", "log file");
		is_int(c->c_supervised, 1, "bare supervised is yes");
	}
	conf_free(c);
	refused("callback=cb.sh\n" V80 R2,
	    "t.cf:1:10: error: callback must be an absolute path, not "
	    "'cb.sh'\n", "relative callback");
	conf_free(taken("maintenancedir=/nonexistent/dir\n" V80 R2,
	    "t.cf:1:16: warning: maintenancedir '/nonexistent/dir' is not a "
	    "directory\n", "maintenancedir missing"));
	refused(V80 R2 "\tfork=yes\n",
	    "t.cf:3:2: error: 'fork' is only allowed at the top level, in "
	    "column 0\n", "fork in a block");
	refused("execute=\"\"\n" V80 R2,
	    "t.cf:1:9: error: execute must name a configuration\n",
	    "empty execute");
}

/* lvsd's own TLS and redirect settings: global, per virtual, checked. */
static void
test_tls(void)
{
	struct conf		*c;
	struct conf_virtual	*v;

	c = taken("checktlsverify=yes\nchecktlsca=/etc/hostname\n"
	    "httpredirects=2\n" V80 R2 V80B R2 "\tchecktlsverify=no\n"
	    "\thttpredirects=0\n\tchecktlsca=/etc/passwd\n", "",
	    "TLS and redirects, global and per virtual");
	if (c != NULL) {
		v = vfirst(c);
		is_int(v->v_tlsverify, 1, "checktlsverify inherited");
		is_str(v->v_tlsca, "/etc/hostname", "checktlsca inherited");
		is_int(v->v_redirects, 2, "httpredirects inherited");
		v = TAILQ_NEXT(v, v_entry);
		is_int(v->v_tlsverify, 0, "checktlsverify per virtual");
		is_str(v->v_tlsca, "/etc/passwd", "checktlsca per virtual");
		is_int(v->v_redirects, 0, "httpredirects per virtual");
	}
	conf_free(c);
	c = taken(V80 R2, "", "no TLS settings");
	if (c != NULL) {
		is_int(vfirst(c)->v_tlsverify, 0, "no verification by default");
		ok(vfirst(c)->v_tlsca == NULL, "the system bundle by default");
		is_int(vfirst(c)->v_redirects, 0, "no redirects by default");
	}
	conf_free(c);
	refused("httpredirects=6\n" V80 R2,
	    "t.cf:1:15: error: httpredirects must be a whole number from 0 to 5, "
	    "not '6'\n", "httpredirects above 5");
	refused("checktlsca=ca.pem\n" V80 R2,
	    "t.cf:1:12: error: checktlsca must be an absolute path, not "
	    "'ca.pem'\n", "relative checktlsca");
	refused("checktlsca=/nonexistent/ca.pem\n" V80 R2
	    "\tchecktlsverify=yes\n",
	    "t.cf:1:1: error: cannot open CA file /nonexistent/ca.pem: No "
	    "such file or directory\n", "missing CA file, verifying");
	conf_free(taken("checktlsca=/nonexistent/ca.pem\n" V80 R2, "",
	    "missing CA file, not verifying: no matter"));
	refused(V80 R2 "\tchecktlsverify=yes\n\tchecktlsca=/dev/null\n",
	    "t.cf:4:1: error: CA file /dev/null is not a regular file\n",
	    "a CA file that is not a file");
	refused(V80 R2 "\tchecktlsverify=yes\n\tchecktlsca=/proc/self/stat\n",
	    "t.cf:4:1: error: CA file /proc/self/stat is empty\n",
	    "an empty CA file");
	refused("checktlsverify=maybe\n" V80 R2,
	    "t.cf:1:16: error: checktlsverify must be yes or no, not "
	    "'maybe'\n", "checktlsverify not a switch");
	refused("checktlsverfy=yes\n" V80 R2,
	    "t.cf:1:1: error: unknown directive 'checktlsverfy'; did you "
	    "mean 'checktlsverify'?\n", "did you mean checktlsverify");
}

/* ldirectord's quirks: each fixed, each said. */
static void
test_quirks(void)
{
	struct conf	*c;

	c = taken("fallback=127.0.0.1:80\nvirtual=5\n\treal=127.0.0.2 gate\n"
	    "\tchecktype=on\n",
	    "t.cf:2:9: warning: the global fallback applies to this "
	    "firewall-mark service; ldirectord fails to add it\n",
	    "global fallback on a mark");
	if (c != NULL)
		is_int(vfirst(c)->v_fallback.fb_set, 1, "applied");
	conf_free(c);
	c = taken(V80 R2 "\treceive=\"HTTP/1\\.[01] \\d+\"\n",
	    "t.cf:3:10: warning: receive uses Perl's \\d, which a POSIX "
	    "regular expression reads as 'd'; write a bracket expression such "
	    "as [0-9]\n", "Perl's \\d");
	conf_free(c);
	c = taken(V80 "\treal=127.0.0.2:80 masq 2 \"/ok\",\"yes\" l:1 u:9\n",
	    "t.cf:2:27: warning: ldirectord ignores the receive string and "
	    "the thresholds after a request that starts with '/'; lvsd uses "
	    "them\n", "per-real /request");
	if (c != NULL) {
		is_str(rfirst(c)->r_receive, "yes", "receive kept");
		is_int(rfirst(c)->r_lthresh, 1, "l: kept");
		is_int(rfirst(c)->r_uthresh, 9, "u: kept");
	}
	conf_free(c);
	c = taken(V80 "\treal=127.0.0.2:80 masq \"x\",\"http://a/b\"\n", "",
	    "per-real request without /");
	if (c != NULL)
		is_str(rfirst(c)->r_request, "/x", "a / is put in front");
	conf_free(c);
	c = taken(V80 "\treal=127.0.0.2:80 masq \"http://127.0.0.9:81/h\","
	    "\"OK\"\n", "", "per-real full URL");
	if (c != NULL)
		is_str(rfirst(c)->r_request, "http://127.0.0.9:81/h", "URL");
	conf_free(c);
}

/* Checks that ldirectord runs otherwise than the file says. */
static void
test_check_quirks(void)
{
	conf_free(taken("virtual=127.0.0.100:110\n\treal=127.0.0.2:110 masq\n",
	    "t.cf:1:9: warning: a pop check without login counts every real "
	    "server as up in ldirectord, even one that does not answer; set "
	    "login= and passwd=\n", "pop without login"));
	conf_free(taken("virtual=127.0.0.100:995\n\treal=127.0.0.2:995 masq\n"
	    "\tlogin=u\n\tpasswd=p\n", "", "pops with a login"));
	conf_free(taken("virtual=127.0.0.100:53\n\treal=127.0.0.2:53 masq\n",
	    "t.cf:1:9: warning: a dns check without receive marks every real "
	    "server down in ldirectord; set receive= to the address the "
	    "answer must hold\n", "dns without receive"));
	conf_free(taken(V80 R2 "\tservice=simpletcp\n\trequest=\"PING\"\n",
	    "t.cf:1:9: warning: a simpletcp check without receive matches "
	    "whatever matched last in ldirectord; set receive=\n",
	    "simpletcp without receive"));
	conf_free(taken("virtual=127.0.0.100:21\n\treal=127.0.0.2:21 masq\n"
	    "\tchecktype=connect\n", "", "ftp with connect: no warning"));
}

static void
test_hints(void)
{
	refused("virtual_server 192.0.2.1 80 {\n",
	    "t.cf:1:1: error: unknown directive 'virtual_server': that is a "
	    "keyword of keepalived.conf, but lvsd reads ldirectord.cf (see "
	    "lvsd.cf(5))\n", "keepalived");
	refused("global_defs {\n",
	    "t.cf:1:1: error: unknown directive 'global_defs': that is a "
	    "keyword of keepalived.conf, but lvsd reads ldirectord.cf (see "
	    "lvsd.cf(5))\n", "keepalived global_defs");
	refused(V80 R2 "\tlb_algo=wrr\n",
	    "t.cf:3:2: error: unknown directive 'lb_algo': that is a keyword "
	    "of keepalived.conf, but lvsd reads ldirectord.cf (see "
	    "lvsd.cf(5))\n", "keepalived in a block");
	refused(V80 R2 "\tsheduler=wrr\n",
	    "t.cf:3:2: error: unknown directive 'sheduler'; did you mean "
	    "'scheduler'?\n", "sheduler");
	refused("emailalerts=a@b\n" V80 R2,
	    "t.cf:1:1: error: unknown directive 'emailalerts'; did you mean "
	    "'emailalert'?\n", "emailalerts");
	refused(V80 R2 "\tchecktimout=3\n",
	    "t.cf:3:2: error: unknown directive 'checktimout'; did you mean "
	    "'checktimeout'?\n", "checktimout");
	refused(V80 R2 "\tvirtualhst=a\n",
	    "t.cf:3:2: error: unknown directive 'virtualhst'; did you mean "
	    "'virtualhost'?\n", "virtualhst");
}

static struct conf *
example(const char *name)
{
	struct conf	*c;
	char		 path[128];
	FILE		*fp;

	snprintf(path, sizeof(path), "conf/examples/%s", name);
	free(errs);
	errs = NULL;
	if ((fp = open_memstream(&errs, &errslen)) == NULL)
		abort();
	c = conf_parse_file(path, fp);
	fclose(fp);
	ok(c != NULL, path);
	is_str(errs, "", "no diagnostic");
	return c;
}

/* Each example parses clean, means what its comments say, round-trips. */
static void
test_examples(void)
{
	struct conf		*c;
	struct conf_virtual	*v;
	char			*p;

	if ((c = example("http-virtualhost.cf")) != NULL) {
		v = vfirst(c);
		is_str(v->v_virtualhost, "www.example.org", "virtualhost");
		is_int(rlast(c)->r_weight, 2, "weight 2");
		is_int(v->v_failurecount, 2, "failurecount 2");
		v = TAILQ_NEXT(v, v_entry);
		is_str(v->v_virtualhost, "shop.example.org", "second site");
	}
	conf_free(c);
	if ((c = example("https.cf")) != NULL) {
		is_int(vfirst(c)->v_service, CONF_SVC_HTTPS, "https");
		is_int(vfirst(c)->v_netmask, 0xffffff00, "netmask /24");
	}
	conf_free(c);
	if ((c = example("dns-udp.cf")) != NULL) {
		is_int(vfirst(c)->v_proto, PROTO_UDP, "dns over udp");
		is_int(vfirst(c)->v_service, CONF_SVC_DNS, "dns");
		is_int(vfirst(c)->v_ops, 1, "ops");
		is_int(TAILQ_NEXT(vfirst(c), v_entry)->v_proto, PROTO_TCP,
		    "and over tcp");
	}
	conf_free(c);
	if ((c = example("fwmark.cf")) != NULL) {
		is_int(vfirst(c)->v_fwmark, 1, "mark 1");
		is_int(vfirst(c)->v_checkport, 80, "checkport 80");
		is_int(rfirst(c)->r_port, 0, "a mark's real has no port");
	}
	conf_free(c);
	if ((c = example("ipv6.cf")) != NULL) {
		is_int(vfirst(c)->v_addr.a_af, AF_INET6, "IPv6");
		is_str(ntop(&vfirst(c)->v_fallback.fb_addr), "2001:db8:ffff::1",
		    "global fallback6");
		is_int(vfirst(c)->v_netmask, 64, "prefix 64");
	}
	conf_free(c);
	if ((c = example("mail.cf")) != NULL) {
		is_str(vfirst(c)->v_emailalert,
		    "postmaster@example.org, noc@example.org", "recipients");
		is_str(TAILQ_LAST(&c->c_virtuals, conf_vhead)->v_passwd,
		    "s3cret#1", "# in a quoted password");
	}
	conf_free(c);
	if ((c = example("fallback-quiescent.cf")) != NULL) {
		v = vfirst(c);
		is_int(v->v_quiescent, 1, "quiescent");
		is_str(ntop(&v->v_fallback.fb_addr), "127.0.0.1", "fallback");
		is_int(v->v_failurecount, 3, "failurecount 3");
		v = TAILQ_NEXT(v, v_entry);
		is_int(v->v_quiescent, 0, "quiescent=no in a block");
		is_int(v->v_fallback.fb_port, 8080, "own fallback");
		p = print(c);
		conf_free(c);
		c = parse(p);
		ok(c != NULL, "the example's -tt form parses");
		free(p);
	}
	conf_free(c);
}

int
main(void)
{
	test_services();
	test_checktypes();
	test_checkcommand();
	test_credentials();
	test_notes();
	test_ipvs_options();
	test_alerts();
	test_daemon();
	test_tls();
	test_quirks();
	test_check_quirks();
	test_hints();
	test_examples();
	free(errs);
	return tap_done();
}

/*
 * Unit tests of the ldirectord.cf parser: every directive, the defaults,
 * ldirectord's timeout precedence, the exact text of each error, and
 * that conf_print() output parses back to the same config.
 */
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "tap.h"

#include "conf_test.h"

#define V80	"virtual=127.0.0.100:80\n"
#define R2	"\treal=127.0.0.2:80 masq\n"

static void
test_defaults(void)
{
	struct conf		*c;
	struct conf_virtual	*v;
	struct conf_real	*r;

	c = taken(V80 R2, "", "minimal config");
	if (c == NULL)
		return;
	is_str(c->c_path, "t.cf", "c_path");
	is_int(c->c_checktimeout, 0, "global checktimeout unset");
	is_int(c->c_negotiatetimeout, 0, "global negotiatetimeout unset");
	is_int(c->c_checkinterval, 10, "checkinterval defaults to 10");
	is_int(c->c_failurecount, 1, "failurecount defaults to 1");
	is_int(c->c_quiescent, 0, "quiescent defaults to no");
	is_int(c->c_cleanstop, 1, "cleanstop defaults to yes");
	is_int(c->c_fallback.fb_set, 0, "no global fallback");
	is_int(c->c_nvirtuals, 1, "one virtual");
	is_int(c->c_nreals, 1, "one real");
	v = vfirst(c);
	is_int(v->v_line, 1, "v_line");
	is_str(ntop(&v->v_addr), "127.0.0.100", "virtual address");
	is_int(v->v_port, 80, "virtual port");
	is_int(v->v_proto, PROTO_TCP, "protocol defaults to tcp");
	is_str(v->v_sched, "wrr", "scheduler defaults to wrr");
	is_int(v->v_persistent, 0, "no persistence");
	is_int(v->v_netmask, 0xffffffff, "netmask default /32");
	is_int(v->v_checktype, CHECK_NEGOTIATE, "checktype negotiate");
	is_int(v->v_service, SERVICE_HTTP, "port 80 gives service http");
	is_int(v->v_httpmethod, HTTP_GET, "httpmethod GET");
	is_int(v->v_checkport, 0, "checkport: the real's");
	is_str(v->v_request, "/", "request defaults to /");
	is_str(v->v_receive, "", "receive defaults to empty");
	ok(v->v_virtualhost == NULL, "no virtualhost");
	is_int(v->v_checktimeout, 5, "checktimeout resolves to 5");
	is_int(v->v_negotiatetimeout, 30, "negotiatetimeout resolves to 30");
	is_int(v->v_checkinterval, 10, "v checkinterval 10");
	is_int(v->v_failurecount, 1, "v failurecount 1");
	is_int(v->v_quiescent, 0, "v quiescent no");
	is_int(v->v_fallback.fb_set, 0, "v no fallback");
	is_int(v->v_nreals, 1, "v_nreals");
	r = rfirst(c);
	is_int(r->r_line, 2, "r_line");
	is_str(ntop(&r->r_addr), "127.0.0.2", "real address");
	is_int(r->r_port, 80, "real port");
	is_int(r->r_fwd, FWD_MASQ, "masq");
	is_int(r->r_weight, 1, "weight defaults to 1");
	is_int(r->r_uthresh, 0, "no u:");
	is_int(r->r_lthresh, 0, "no l:");
	ok(r->r_request == NULL && r->r_receive == NULL, "no per-real check");
	conf_free(c);
}

static void
test_globals(void)
{
	struct conf		*c;
	struct conf_virtual	*v;

	c = taken("checktimeout=3\nnegotiatetimeout=20\ncheckinterval=4\n"
	    "failurecount=2\nquiescent=yes\nfallback=127.0.0.1 masq\n"
	    "cleanstop=no\n" V80 R2, "", "every global");
	if (c == NULL)
		return;
	v = vfirst(c);
	is_int(c->c_checktimeout, 3, "checktimeout");
	is_int(c->c_negotiatetimeout, 20, "negotiatetimeout");
	is_int(c->c_checkinterval, 4, "checkinterval");
	is_int(c->c_failurecount, 2, "failurecount");
	is_int(c->c_quiescent, 1, "quiescent");
	is_int(c->c_cleanstop, 0, "cleanstop");
	is_int(c->c_fallback.fb_set, 1, "fallback set");
	is_int(c->c_fallback.fb_port, 0, "global fallback keeps no port");
	is_int(c->c_fallback.fb_fwd, FWD_MASQ, "global fallback masq");
	is_int(v->v_checktimeout, 3, "v inherits checktimeout");
	is_int(v->v_negotiatetimeout, 20, "v inherits negotiatetimeout");
	is_int(v->v_checkinterval, 4, "v inherits checkinterval");
	is_int(v->v_failurecount, 2, "v inherits failurecount");
	is_int(v->v_quiescent, 1, "v inherits quiescent");
	is_int(v->v_fallback.fb_set, 1, "v inherits fallback");
	is_str(ntop(&v->v_fallback.fb_addr), "127.0.0.1", "fallback addr");
	is_int(v->v_fallback.fb_port, 80, "fallback port: the virtual's");
	conf_free(c);

	c = taken(V80 R2 "\ncheckinterval=3\nquiescent=yes\n", "",
	    "globals after a block");
	if (c != NULL) {
		is_int(vfirst(c)->v_checkinterval, 3, "a later global applies");
		is_int(vfirst(c)->v_quiescent, 1, "a later quiescent applies");
	}
	conf_free(c);

	c = taken("quiescent=yes\ncheckinterval=9\nfailurecount=3\n" V80 R2
	    "\tquiescent=no\n\tcheckinterval=2\n\tfailurecount=5\n"
	    "\tfallback=127.0.0.9:8080\n", "", "per-virtual overrides");
	if (c != NULL) {
		v = vfirst(c);
		is_int(v->v_quiescent, 0, "v quiescent=no beats global");
		is_int(v->v_checkinterval, 2, "v checkinterval");
		is_int(v->v_failurecount, 5, "v failurecount");
		is_int(v->v_fallback.fb_port, 8080, "v fallback port");
		is_int(v->v_fallback.fb_fwd, FWD_GATE, "fallback gate default");
	}
	conf_free(c);
}

static void
timeouts(const char *global, const char *virtual, unsigned int ct,
    unsigned int nt, const char *desc)
{
	struct conf	*c;
	char		 text[512];

	snprintf(text, sizeof(text), "%s" V80 R2 "%s", global, virtual);
	c = taken(text, "", desc);
	if (c != NULL) {
		is_int(vfirst(c)->v_checktimeout, ct, desc);
		is_int(vfirst(c)->v_negotiatetimeout, nt, desc);
	}
	conf_free(c);
}

static void
test_timeouts(void)
{
	timeouts("", "", 5, 30, "no timeouts: 5 and 30");
	timeouts("checktimeout=3\n", "", 3, 3, "global ct gives both");
	timeouts("negotiatetimeout=7\n", "", 7, 7, "global nt gives both");
	timeouts("checktimeout=3\nnegotiatetimeout=20\n", "", 3, 20,
	    "both globals");
	timeouts("checktimeout=3\n", "\tnegotiatetimeout=10\n", 10, 10,
	    "v nt beats global ct");
	timeouts("negotiatetimeout=20\n", "\tchecktimeout=4\n", 4, 4,
	    "v ct beats global nt");
	timeouts("checktimeout=3\nnegotiatetimeout=20\n",
	    "\tchecktimeout=2\n\tnegotiatetimeout=9\n", 2, 9, "both per v");
	timeouts("checktimeout=3\nnegotiatetimeout=20\n",
	    "\tchecktimeout=8\n", 8, 8, "v ct beats both globals");
}

static void
test_service(void)
{
	struct conf	*c;

	c = taken("virtual=127.0.0.100:8080\n" R2,
	    "t.cf:1:9: warning: virtual service tcp 127.0.0.100:8080 is "
	    "never checked: its service is none, so every real server counts "
	    "as up; set service= or checktype=\n", "port 8080: service none");
	if (c != NULL)
		is_int(vfirst(c)->v_service, SERVICE_NONE, "service none");
	conf_free(c);
	c = taken("virtual=127.0.0.100:8080\n" R2 "\tservice=http\n", "",
	    "service=http");
	if (c != NULL)
		is_int(vfirst(c)->v_service, SERVICE_HTTP, "service http");
	conf_free(c);
	conf_free(taken("virtual=127.0.0.100:8080\n" R2 "\tservice=none\n",
	    "", "service=none given: no warning"));
	c = taken("virtual=127.0.0.100:443\n" R2, "", "port 443");
	if (c != NULL)
		is_int(vfirst(c)->v_service, CONF_SVC_HTTPS, "443 gives https");
	conf_free(c);
	c = taken("virtual=127.0.0.100:443\n" R2 "\tchecktype=connect\n", "",
	    "port 443 with checktype=connect");
	if (c != NULL)
		is_int(vfirst(c)->v_service, CONF_SVC_HTTPS, "service kept");
	conf_free(c);
	conf_free(taken("virtual=127.0.0.100:443\n" R2 "\tservice=http\n", "",
	    "port 443 with service=http"));
	refused(V80 R2 "\tservice=htp\n",
	    "t.cf:3:10: error: unknown service 'htp' (expected one listed in "
	    "lvsd.cf(5)); did you mean 'http'?\n", "service typo");
	refused(V80 R2 "\tservice=gopher\n",
	    "t.cf:3:10: error: unknown service 'gopher' (expected one listed "
	    "in lvsd.cf(5))\n", "unknown service");
}

static void
test_checktype(void)
{
	static const char *const names[] = { "connect", "negotiate", "on",
	    "off" };
	struct conf	*c;
	char		 text[256];
	size_t		 i;

	for (i = 0; i < 4; i++) {
		snprintf(text, sizeof(text), V80 R2 "\tchecktype=%s\n",
		    names[i]);
		c = taken(text, "", names[i]);
		if (c != NULL)
			is_int(vfirst(c)->v_checktype, CHECK_CONNECT + i,
			    names[i]);
		conf_free(c);
	}
	refused(V80 R2 "\tchecktype=negociate\n",
	    "t.cf:3:12: error: unknown checktype 'negociate' (expected "
	    "connect, negotiate, on, off, ping, external or external-perl); "
	    "did you mean 'negotiate'?\n", "typo");
}

static void
test_protocol(void)
{
	struct conf	*c;

	c = taken("virtual=127.0.0.100:53\n\treal=127.0.0.2:53 masq\n"
	    "\tchecktype=on\n", "", "port 53");
	if (c != NULL)
		is_int(vfirst(c)->v_proto, PROTO_UDP, "53 defaults to udp");
	conf_free(c);
	c = taken("virtual=127.0.0.100:53\n\treal=127.0.0.2:53 masq\n"
	    "\treceive=\"192\\.0\\.2\\.1\"\n", "", "port 53");
	if (c != NULL)
		is_int(vfirst(c)->v_service, CONF_SVC_DNS, "53 gives dns");
	conf_free(c);
	c = taken(V80 R2 "\tprotocol=udp\n\tchecktype=off\n", "",
	    "protocol=udp");
	if (c != NULL)
		is_int(vfirst(c)->v_proto, PROTO_UDP, "udp");
	conf_free(c);
	refused(V80 R2 "\tprotocol=sctp\n",
	    "t.cf:3:11: error: unknown protocol 'sctp' (expected tcp, udp or "
	    "fwm)\n", "sctp");
	refused(V80 R2 "\tprotocol=fwm\n",
	    "t.cf:3:11: error: protocol fwm is only for firewall-mark "
	    "virtual services (virtual=NUMBER)\n", "fwm on an address");
	refused("virtual=7\n\treal=127.0.0.2 gate\n\tprotocol=tcp\n",
	    "t.cf:3:11: error: a firewall-mark virtual service has protocol "
	    "fwm, not 'tcp'\n", "tcp on a mark");
	conf_free(taken(V80 R2 "\tprotocol=udp\n", "", "http over udp"));
	conf_free(taken(V80 R2 "\tprotocol=udp\n\tchecktype=connect\n", "",
	    "connect over udp"));
}

static void
test_http(void)
{
	struct conf		*c;
	struct conf_virtual	*v;
	char			 text[2048], big[1100];

	c = taken(V80 R2 "\trequest=\"health\"\n\treceive=\"O#K\"\n"
	    "\tvirtualhost=www.example.org\n\thttpmethod=head\n"
	    "\tcheckport=8080\n", "", "http directives");
	if (c != NULL) {
		v = vfirst(c);
		is_str(v->v_request, "/health", "a / is put before request");
		is_str(v->v_receive, "O#K", "# inside quotes is kept");
		is_str(v->v_virtualhost, "www.example.org", "virtualhost");
		is_int(v->v_httpmethod, HTTP_HEAD, "httpmethod HEAD");
		is_int(v->v_checkport, 8080, "checkport");
	}
	conf_free(c);
	c = taken(V80 R2 "\trequest=/a?b=1  # unquoted\n"
	    "\treceive=\"say \\\"hi\\\" a\\.b\"\n", "", "quotes and escapes");
	if (c != NULL) {
		is_str(vfirst(c)->v_request, "/a?b=1", "unquoted request");
		is_str(vfirst(c)->v_receive, "say \"hi\" a\\.b",
		    "\\\" is a quote, other backslashes stay");
	}
	conf_free(c);
	refused(V80 R2 "\trequest=\"/a b\"\n",
	    "t.cf:3:10: error: request '/a b' contains a blank, which an HTTP "
	    "request cannot carry (encode it, as %20)\n", "blank in request");
	refused(V80 R2 "\trequest=\"\"\n",
	    "t.cf:3:10: error: request must not be empty\n", "empty request");
	c = taken(V80 R2 "\trequest=\"http://x/\"\n", "", "full URL");
	if (c != NULL)
		is_str(vfirst(c)->v_request, "http://x/", "a URL has no / added");
	conf_free(c);
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	big[1023] = '\0';
	snprintf(text, sizeof(text), V80 R2 "\trequest=\"%s\"\n", big);
	conf_free(taken(text, "", "request of 1023 bytes"));
	big[1023] = 'a';
	big[1024] = '\0';
	snprintf(text, sizeof(text), V80 R2 "\trequest=\"%s\"\n", big);
	refused(text, "t.cf:3:10: error: request is 1024 bytes long; at most "
	    "1023 are allowed\n", "request of 1024 bytes");
	big[511] = '\0';
	snprintf(text, sizeof(text), V80 R2 "\treceive=\"%s\"\n", big);
	conf_free(taken(text, "", "receive of 511 bytes"));
	big[511] = 'a';
	big[512] = '\0';
	snprintf(text, sizeof(text), V80 R2 "\treceive=\"%s\"\n", big);
	refused(text, "t.cf:3:10: error: receive is 512 bytes long; at most "
	    "511 are allowed\n", "receive of 512 bytes");
	big[255] = '\0';
	snprintf(text, sizeof(text), V80 R2 "\tvirtualhost=%s\n", big + 1);
	conf_free(taken(text, "", "virtualhost of 254 bytes"));
	big[255] = 'a';
	big[257] = '\0';
	snprintf(text, sizeof(text), V80 R2 "\tvirtualhost=%s\n", big + 1);
	refused(text, "t.cf:3:14: error: virtualhost is 256 bytes long; at "
	    "most 255 are allowed\n", "virtualhost of 256 bytes");
	refused(V80 R2 "\treceive=\"a(\"\n",
	    "t.cf:3:10: error: receive 'a(' is not a valid extended regular "
	    "expression: Unmatched ( or \\(\n", "bad regex");
	/*
	 * Stacked repetitions (conf_fuzz found sixty): glibc's regcomp took
	 * gigabytes for them.  The parser does not compile such a shape;
	 * the check of each real refuses it (test_confmsg).
	 */
	memset(big, '+', 60);
	big[60] = '\0';
	snprintf(text, sizeof(text), V80 R2 "\treceive=\"0%s\"\n", big);
	conf_free(taken(text, "", "sixty stacked '+': not compiled"));
	refused(V80 R2 "\tvirtualhost=\"a\\\"b\"\n",
	    "t.cf:3:14: error: virtualhost 'a\"b' is not a host name "
	    "(unexpected '\"')\n", "quote in virtualhost");
	refused(V80 R2 "\thttpmethod=POST\n",
	    "t.cf:3:13: error: httpmethod must be GET or HEAD, not 'POST'\n",
	    "POST");
	refused(V80 R2 "\tcheckport=0\n",
	    "t.cf:3:12: error: checkport must be a whole number from 1 to "
	    "65535, not '0'\n", "checkport 0");
	refused(V80 R2 "\treceive=\"abc\n",
	    "t.cf:3:10: error: unterminated string '\"abc' (a '\"' is "
	    "missing)\n", "unterminated");
}

static void
test_scheduler(void)
{
	struct conf	*c;

	c = taken(V80 R2 "\tscheduler=lblcr # comment\n", "", "scheduler");
	if (c != NULL)
		is_str(vfirst(c)->v_sched, "lblcr", "lblcr");
	conf_free(c);
	conf_free(taken(V80 R2 "\tscheduler=foo\n",
	    "t.cf:3:12: warning: scheduler 'foo' is not one that Linux ships; "
	    "the kernel will refuse it unless a module ip_vs_foo is "
	    "installed\n", "unknown scheduler warns"));
	refused(V80 R2 "\tscheduler=Wrr\n",
	    "t.cf:3:12: error: invalid scheduler 'Wrr' (expected a name of "
	    "lowercase letters and digits, at most 15 long)\n", "Wrr");
	refused(V80 R2 "\tscheduler=abcdefghijklmnop\n",
	    "t.cf:3:12: error: invalid scheduler 'abcdefghijklmnop' (expected "
	    "a name of lowercase letters and digits, at most 15 long)\n",
	    "16 letters");
}

static void
test_persistence(void)
{
	struct conf	*c;

	c = taken(V80 R2 "\tpersistent=300\n\tnetmask=255.255.255.0\n", "",
	    "persistent and netmask");
	if (c != NULL) {
		is_int(vfirst(c)->v_persistent, 300, "persistent");
		is_int(vfirst(c)->v_netmask, 0xffffff00, "netmask, host order");
	}
	conf_free(c);
	c = taken(V80 R2 "\tnetmask=255.255.0.0\n",
	    "t.cf:3:10: warning: netmask is ignored without persistent\n",
	    "netmask alone");
	if (c != NULL)
		is_int(vfirst(c)->v_netmask, 0xffffffff, "netmask default");
	conf_free(c);
	refused(V80 R2 "\tpersistent=1\n\tnetmask=255.0.255.0\n",
	    "t.cf:4:10: error: netmask '255.0.255.0' is not a run of ones "
	    "followed by zeros\n", "holes in netmask");
	c = taken("virtual6=[::1]:80\n\treal6=[::2]:80 masq\n"
	    "\tpersistent=60\n\tnetmask=64\n", "", "v6 prefix");
	if (c != NULL)
		is_int(vfirst(c)->v_netmask, 64, "prefix 64");
	conf_free(c);
}

/*
 * A block keeps the directives it set in a short list (conf_seen): past
 * its first sizes (4, 8), a directive set again keeps one entry with the
 * later line, and the column of that value is what a warning found once
 * the block is resolved points at.
 */
static void
test_block_seen(void)
{
	struct conf	*c;

	c = taken(V80 R2 "\tscheduler=wrr\n\tchecktype=connect\n"
	    "\tcheckinterval=5\n\tchecktimeout=3\n\tnegotiatetimeout=3\n"
	    "\tfailurecount=2\n\tquiescent=no\n\tservice=http\n"
	    "\trequest=\"/x\"\n\treceive=\"y\"\n\tnetmask=255.255.0.0\n"
	    "\tnetmask=255.255.0.0\n",
	    "t.cf:14:10: warning: 'netmask' was already set at line 13; this "
	    "value replaces it\n"
	    "t.cf:14:10: warning: netmask is ignored without persistent\n",
	    "a block of twelve directives, one of them twice");
	if (c != NULL) {
		is_int(conf_line(c, vfirst(c), "request"), 11,
		    "request's line, after the list grew");
		is_int(conf_line(c, vfirst(c), "netmask"), 14,
		    "a directive set twice: its later line");
		is_int(conf_line(c, vfirst(c), "scheduler"), 3,
		    "the first entry kept through the growth");
		is_int(conf_line(c, vfirst(c), "persistent"), 0,
		    "a directive the block did not set: not seen");
		is_int(vfirst(c)->v_nseen, 12, "one entry per directive");
	}
	conf_free(c);
}

static void
test_virtual(void)
{
	struct conf		*c;
	struct conf_virtual	*v;
	struct addrinfo		*ai;

	c = taken("virtual=7\n\treal=127.0.0.2 gate\n\tchecktype=connect\n"
	    "\tcheckport=80\n", "", "firewall mark");
	if (c != NULL) {
		v = vfirst(c);
		is_int(v->v_proto, PROTO_FWM, "fwm");
		is_int(v->v_fwmark, 7, "mark 7");
		is_int(v->v_port, 0, "no port");
		is_int(v->v_addr.a_af, AF_INET, "IPv4 mark");
		is_int(rfirst(c)->r_port, 0, "real port 0");
	}
	conf_free(c);
	refused("virtual=7\n\treal=127.0.0.2 gate\n\tchecktype=connect\n",
	    "t.cf:2:1: error: real server 127.0.0.2 has no port to check; "
	    "give it one or set checkport=\n", "mark without checkport");
	conf_free(taken("virtual=7\n\treal=127.0.0.2 gate\n\tservice=http\n",
	    "", "mark: the service's port is checked"));
	refused("virtual=192.0.2.1\n",
	    "t.cf:1:9: error: missing port in '192.0.2.1' (write "
	    "192.0.2.1:PORT; a firewall mark is a plain number)\n",
	    "an address without port is not a mark");
	refused("virtual=[::1]:80\n",
	    "t.cf:1:9: error: '[::1]:80' is an IPv6 address; use virtual6= "
	    "for it\n", "v6 in virtual=");
	refused("virtual=::1:80\n",
	    "t.cf:1:9: error: write an IPv6 address in brackets, as in "
	    "[2001:db8::1]:80 (got '::1:80')\n", "v6 without brackets");
	refused("virtual6=192.0.2.1:80\n",
	    "t.cf:1:10: error: '192.0.2.1' is an IPv4 address; virtual6 takes "
	    "an IPv6 address in brackets\n", "v4 in virtual6=");
	refused("virtual6=[::1]\n",
	    "t.cf:1:10: error: missing port in '[::1]' (write [::1]:PORT)\n",
	    "v6 without port");
	refused("virtual=300.1.1.1:80\n",
	    "t.cf:1:9: error: invalid IPv4 address '300.1.1.1'\n", "300");
	refused("virtual=1.2.3.4:0\n",
	    "t.cf:1:17: error: port must be a whole number from 1 to 65535, "
	    "not '0'\n", "port 0");
	refused("virtual=1.2.3.4:80x\n",
	    "t.cf:1:17: error: unknown port name '80x' (not in "
	    "/etc/services)\n", "port 80x");
	refused("virtual=1.2.3.4:80 junk\n",
	    "t.cf:1:20: error: unexpected 'junk' after the value of "
	    "'virtual'\n", "trailing garbage");
	refused("virtual=0\n",
	    "t.cf:1:9: error: a firewall mark must be a whole number from 1 to "
	    "4294967295, not '0'\n", "mark 0");
	refused("virtual=\n", "t.cf:1:9: error: missing value for 'virtual'\n",
	    "empty virtual");
	refused(V80 R2 V80 R2,
	    "t.cf:3:9: error: duplicate virtual service tcp 127.0.0.100:80 "
	    "(also at line 1)\n", "duplicate virtual");
	conf_free(taken(V80 R2 "virtual=127.0.0.100:80\n\tprotocol=udp\n"
	    "\tchecktype=on\n" R2, "", "same address, other protocol"));
	if (getservbyname("http", NULL) != NULL)
		refused(V80 R2 "virtual=127.0.0.100:http\n" R2,
		    "t.cf:3:9: error: duplicate virtual service tcp "
		    "127.0.0.100:80 (also at line 1)\n", ":http is :80");
	if (getaddrinfo("localhost", NULL, NULL, &ai) == 0) {
		freeaddrinfo(ai);
		c = taken("virtual=localhost:80\n" R2, "", "a host name");
		if (c != NULL)
			is_str(ntop(&vfirst(c)->v_addr), "127.0.0.1",
			    "localhost resolved");
		conf_free(c);
	}
	conf_free(taken(V80, "t.cf:1:9: warning: virtual service tcp "
	    "127.0.0.100:80 has no real servers\n", "no real: a warning"));
	conf_free(taken("# nothing\n", "t.cf: warning: no virtual services "
	    "are defined\n", "empty file"));
}

static void
test_virtual6(void)
{
	struct conf		*c;
	struct conf_virtual	*v;

	c = taken("fallback=127.0.0.1\nvirtual6=[2001:db8::10]:80\n"
	    "\treal6=[2001:db8::2]:8080 masq\n\treal6=[2001:db8::3] masq\n"
	    "\tfallback6=[::1]\n", "", "IPv6");
	if (c == NULL)
		return;
	v = vfirst(c);
	is_int(v->v_addr.a_af, AF_INET6, "AF_INET6");
	is_str(ntop(&v->v_addr), "2001:db8::10", "v6 address");
	is_int(rfirst(c)->r_port, 8080, "v6 real port");
	is_int(rlast(c)->r_port, 80, "v6 default port");
	is_str(ntop(&v->v_fallback.fb_addr), "::1", "fallback6");
	is_int(v->v_netmask, 128, "v6 netmask default");
	conf_free(c);
	c = taken("fallback=127.0.0.1\nvirtual6=[::1]:80\n\treal6=[::2] masq\n",
	    "", "v4 global fallback");
	if (c != NULL)
		is_int(vfirst(c)->v_fallback.fb_set, 0, "not for a virtual6");
	conf_free(c);
	refused("virtual6=[::1]:80\n\treal=127.0.0.2 masq\n",
	    "t.cf:2:1: error: a virtual6 block takes real6=, not real=\n",
	    "real in virtual6");
	refused(V80 "\treal6=[::2] masq\n",
	    "t.cf:2:1: error: real6 belongs in a virtual6 block; use real=\n",
	    "real6 in virtual");
	c = taken("fallback6=[::1]:8080\nvirtual6=[::1]:80\n\treal6=[::2] masq\n",
	    "", "global fallback6");
	if (c != NULL) {
		is_str(ntop(&vfirst(c)->v_fallback.fb_addr), "::1",
		    "global fallback6 applies to virtual6");
		is_int(vfirst(c)->v_fallback.fb_port, 8080, "its port");
	}
	conf_free(c);
	refused("virtual6=[::1]:80\n\treal6=[::2]->[::3] masq\n",
	    "t.cf:2:8: error: IPv6 ranges are not supported yet\n", "v6 range");
}

static void
test_real(void)
{
	struct conf		*c;
	struct conf_real	*r;

	c = taken(V80 "\treal=127.0.0.2 gate 0\n"
	    "\treal=127.0.0.3:80 ipip 5 \"/x\",\"up\" u:100 l:10\n"
	    "\treal=127.0.0.4:80 masq \"check\" \"HTTP 200\"\n",
	    "t.cf:3:27: warning: ldirectord ignores the receive string and the "
	    "thresholds after a request that starts with '/'; lvsd uses them\n"
	    "t.cf:3:43: warning: ldirectord ignores u: before l:; lvsd uses "
	    "both\n", "real forms");
	if (c == NULL)
		return;
	r = rfirst(c);
	is_int(r->r_port, 80, "default port: the virtual's");
	is_int(r->r_fwd, FWD_GATE, "gate");
	is_int(r->r_weight, 0, "weight 0");
	r = TAILQ_NEXT(r, r_entry);
	is_int(r->r_fwd, FWD_IPIP, "ipip");
	is_int(r->r_weight, 5, "weight 5");
	is_str(r->r_request, "/x", "request starting with / keeps receive");
	is_str(r->r_receive, "up", "receive after a / request");
	is_int(r->r_uthresh, 100, "u: before l:");
	is_int(r->r_lthresh, 10, "l:");
	r = TAILQ_NEXT(r, r_entry);
	is_int(r->r_weight, 1, "digits in receive are not a weight");
	is_str(r->r_request, "/check", "per-real request gets a /");
	is_str(r->r_receive, "HTTP 200", "blank-separated pair");
	is_int(c->c_nreals, 3, "three reals");
	conf_free(c);

	c = taken(V80 "\treal=10.0.0.9->10.0.0.11:80 masq 2\n", "", "range");
	if (c != NULL) {
		is_int(c->c_nreals, 3, "range of 3");
		r = rlast(c);
		is_str(ntop(&r->r_addr), "10.0.0.11", "last of range");
		is_int(r->r_weight, 2, "range shares the weight");
	}
	conf_free(c);
	/* more reals than a slab holds (CONF_SLAB_REALS), in three blocks */
	c = taken(V80 "\treal=10.0.0.1->10.0.2.88:80 masq\n"
	    "virtual=127.0.0.101:80\n\treal=10.1.0.1->10.1.0.200:80 masq\n"
	    "virtual=127.0.0.102:80\n\treal=10.2.0.1:80 masq\n",
	    "", "reals over three slabs");
	if (c != NULL) {
		is_int(c->c_nreals, 600 + 200 + 1, "801 reals");
		is_str(ntop(&TAILQ_FIRST(&vfirst(c)->v_reals)->r_addr),
		    "10.0.0.1", "the first real of the first block");
		is_str(ntop(&rlast(c)->r_addr), "10.0.2.88",
		    "its 600th, in the third slab");
		r = TAILQ_FIRST(&TAILQ_LAST(&c->c_virtuals,
		    conf_vhead)->v_reals);
		is_str(ntop(&r->r_addr), "10.2.0.1",
		    "the last block's one real, after them");
		is_int(r->r_line, 6, "with its own line");
	}
	conf_free(c);
	c = taken(V80 "\treal=59.154.201.254->59.154.202.1:80 masq\n",
	    "t.cf:2:7: warning: ldirectord makes 0 real servers of this range, "
	    "comparing addresses as text; lvsd makes all 4\n",
	    "range across a power of ten");
	if (c != NULL)
		is_int(c->c_nreals, 4, "numeric, not string, comparison");
	conf_free(c);
	refused(V80 "\treal=10.0.0.9->10.0.0.1:80 masq\n",
	    "t.cf:2:7: error: range '10.0.0.9->10.0.0.1:80' runs backwards\n",
	    "backwards range");
	refused(V80 "\treal=10.0.0.0->10.1.0.0 masq\n",
	    "t.cf:2:7: error: range '10.0.0.0->10.1.0.0' has 65537 addresses; "
	    "at most 4096 are allowed\n", "huge range");
	refused(V80 "\treal=10.0.0.1:80->10.0.0.2 masq\n",
	    "t.cf:2:7: error: the port of a range goes after its last address, "
	    "as in 10.0.0.1->10.0.0.9:80\n", "port in a range");
	refused(V80 "\treal=127.0.0.2:80 nat\n",
	    "t.cf:2:20: error: unknown forwarding method 'nat' (expected gate, "
	    "masq or ipip)\n", "nat");
	refused(V80 "\treal=127.0.0.2:80 mask\n",
	    "t.cf:2:20: error: unknown forwarding method 'mask' (expected "
	    "gate, masq or ipip); did you mean 'masq'?\n", "mask");
	refused(V80 "\treal=127.0.0.2:80\n",
	    "t.cf:2:19: error: missing forwarding method after '127.0.0.2:80' "
	    "(expected gate, masq or ipip)\n", "no forwarding method");
	refused(V80 "\treal=127.0.0.2:80 masq 70000\n",
	    "t.cf:2:25: error: weight must be a whole number from 0 to 65535, "
	    "not '70000'\n", "weight too big");
	refused(V80 "\treal=127.0.0.2:80 masq 1 junk\n",
	    "t.cf:2:27: error: unexpected 'junk'; real takes ADDRESS[:PORT] "
	    "gate|masq|ipip [WEIGHT] [\"REQUEST\",\"RECEIVE\"] [l:N] [u:N]\n",
	    "trailing garbage");
	refused(V80 "\treal=127.0.0.2:80 masq 1 \"<l:1>\" \"<u:5>\"\n",
	    "t.cf:2:27: error: write thresholds without quotes or brackets, "
	    "as in l:10 u:100 (got '\"<l:1>\"')\n", "the manual's thresholds");
	refused(V80 "\treal=127.0.0.2:80 masq l:1 l:2\n",
	    "t.cf:2:29: error: l: given twice\n", "l: twice");
	refused(V80 "\treal=127.0.0.2:80 masq l:10 u:5\n",
	    "t.cf:2:7: error: the lower threshold l:10 is above the upper "
	    "threshold u:5\n", "l above u");
	refused(V80 "\treal=127.0.0.2:80 masq \"/a\"\n",
	    "t.cf:2:25: error: a request of one real server needs a receive "
	    "string after it, as in \"/check\",\"OK\"\n", "request alone");
	refused(V80 R2 R2,
	    "t.cf:3:1: error: duplicate real server 127.0.0.2:80 (also at "
	    "line 2)\n", "duplicate real");
	refused(V80 R2 "\treal=127.0.0.1->127.0.0.3:80 masq\n",
	    "t.cf:3:1: error: duplicate real server 127.0.0.2:80 (also at "
	    "line 2)\n", "duplicate inside a range");
	refused(V80 R2 "\treal=127.0.0.2:8080 gate\n",
	    "t.cf:3:1: error: duplicate real server 127.0.0.2:80 (also at "
	    "line 2)\n"
	    "t.cf:3:7: warning: with gate forwarding the real server gets the "
	    "traffic on the virtual port 80, not on 8080; only masq maps "
	    "ports\n", "gate reals are keyed on the virtual's port");
	conf_free(taken(V80 R2 "\treal=127.0.0.3:80 gate\n"
	    "\tfallback=127.0.0.3\n",
	    "t.cf:3:1: warning: real server 127.0.0.3:80 is also the fallback, "
	    "which will never be used\n", "a real as fallback"));
	conf_free(taken(V80 "\treal=127.0.0.2:8080 gate\n",
	    "t.cf:2:7: warning: with gate forwarding the real server gets the "
	    "traffic on the virtual port 80, not on 8080; only masq maps "
	    "ports\n", "port mapping needs masq"));
	/*
	 * No test resolves an unknown name: that would ask a DNS server,
	 * and tests send nothing beyond the loopback.
	 */
}

static void
test_lexical(void)
{
	struct conf	*c;

	c = taken("# comment\nquiescent=yes   \ncheckinterval = 4 # s\r\n"
	    "virtual=127.0.0.100:80 # web\r\n    # an indented comment\n"
	    "    real=127.0.0.2:80 masq\r\n\t \tquiescent=no # not here\n"
	    "\n\n# the end\n", "", "comments, blanks, CRLF, indentation");
	if (c != NULL) {
		is_int(c->c_quiescent, 1, "yes with trailing blanks");
		is_int(c->c_checkinterval, 4, "blanks around =");
		is_int(vfirst(c)->v_quiescent, 0, "no with a comment, CRLF");
	}
	conf_free(c);
	refused(V80 "\n" R2,
	    "t.cf:3:1: error: 'real' is indented, but the blank line 2 ended "
	    "the virtual block of line 1; a block has no blank lines\n",
	    "a blank line ends a block");
	refused(V80 "  real=127.0.0.2:80 masq\n",
	    "t.cf:2:1: error: 'real' is indented by 2 spaces; lines of a "
	    "virtual block are indented by at least 4 or a tab\n",
	    "two spaces");
	refused("    quiescent=yes\n" V80 R2,
	    "t.cf:1:1: error: 'quiescent' is indented, but no virtual block "
	    "is open; global directives start in column 0\n",
	    "indented global");
	refused(V80 R2 "real=127.0.0.3:80 masq\n",
	    "t.cf:3:1: error: 'real' belongs in a virtual block, indented by "
	    "4 spaces or a tab\n", "column 0 ends the block");
	refused(V80 R2 "\tvirtual=127.0.0.101:80\n" R2,
	    "t.cf:3:1: error: 'virtual' starts a new block and must start in "
	    "column 0\n", "indented virtual");
	refused("quiescent\n" V80 R2,
	    "t.cf:1:10: error: missing '=' after 'quiescent'\n", "no =");
	refused("quiescent yes\n" V80 R2,
	    "t.cf:1:11: error: expected '=' after 'quiescent', not 'yes'\n",
	    "no = before value");
	refused("=5\n" V80 R2,
	    "t.cf:1:1: error: expected a directive name, not '=5'\n",
	    "no name");
	c = taken("quiescent=yes\nquiescent=no\n" V80 R2,
	    "t.cf:2:11: warning: 'quiescent' was already set at line 1; this "
	    "value replaces it\n", "repeated directive");
	if (c != NULL)
		is_int(c->c_quiescent, 0, "the last one wins");
	conf_free(c);
}

static void
test_errors(void)
{
	struct conf	*c;

	refused("chektimeout=5\n" V80 R2,
	    "t.cf:1:1: error: unknown directive 'chektimeout'; did you mean "
	    "'checktimeout'?\n", "did you mean");
	refused("Virtual=1.2.3.4:80\n",
	    "t.cf:1:1: error: unknown directive 'Virtual'; did you mean "
	    "'virtual'?\n", "case");
	refused("frobnicate=1\n" V80 R2,
	    "t.cf:1:1: error: unknown directive 'frobnicate'\n", "unknown");
	refused("connecttimeout=3\n" V80 R2,
	    "t.cf:1:1: error: 'connecttimeout' is deprecated and not accepted; "
	    "use negotiatetimeout\n", "connecttimeout");
	refused(V80 R2 "\tconnecttimeout=3\n",
	    "t.cf:3:2: error: 'connecttimeout' is deprecated and not accepted; "
	    "use negotiatetimeout\n", "connecttimeout in a block");
	refused("timeout=3\n" V80 R2,
	    "t.cf:1:1: error: 'timeout' is deprecated and not accepted; use "
	    "checktimeout and negotiatetimeout\n", "timeout");
	refused("logfile=\"lokal0\"\n" V80 R2,
	    "t.cf:1:9: error: unknown syslog facility 'lokal0' (expected one "
	    "listed in lvsd.cf(5)); did you mean 'local0'?\n", "logfile");
	refused("checktimeout=abc5\n" V80 R2,
	    "t.cf:1:14: error: checktimeout must be a whole number from 1 to "
	    "86400, not 'abc5'\n", "abc5");
	refused("checkinterval=1.5\n" V80 R2,
	    "t.cf:1:15: error: checkinterval must be a whole number from 1 to "
	    "86400, not '1.5'\n", "1.5");
	refused("failurecount=0\n" V80 R2,
	    "t.cf:1:14: error: failurecount must be a whole number from 1 to "
	    "1000, not '0'\n", "0");
	refused("negotiatetimeout=+3\n" V80 R2,
	    "t.cf:1:18: error: negotiatetimeout must be a whole number from 1 "
	    "to 86400, not '+3'\n", "+3");
	refused("checktimeout=99999999999999999999\n" V80 R2,
	    "t.cf:1:14: error: checktimeout must be a whole number from 1 to "
	    "86400, not '99999999999999999999'\n", "huge");
	refused("checktimeout=999999999999\n" V80 R2,
	    "t.cf:1:14: error: checktimeout must be a whole number from 1 to "
	    "86400, not '999999999999'\n", "twelve digits, above the most");
	refused("checktimeout=86401\n" V80 R2,
	    "t.cf:1:14: error: checktimeout must be a whole number from 1 to "
	    "86400, not '86401'\n", "one above the most");
	c = taken("checktimeout=86400\ncheckinterval=000000000007\n" V80 R2,
	    "", "the most, and twelve digits with leading zeros");
	if (c != NULL) {
		is_int(c->c_checktimeout, 86400, "  86400 read as it is");
		is_int(c->c_checkinterval, 7, "  000000000007 is 7");
	}
	conf_free(c);
	refused("checktimeout=\n" V80 R2,
	    "t.cf:1:14: error: missing value for 'checktimeout'\n", "empty");
	refused("checktimeout=5 6\n" V80 R2,
	    "t.cf:1:16: error: unexpected '6' after the value of "
	    "'checktimeout'\n", "two values");
	refused("quiescent=maybe\n" V80 R2,
	    "t.cf:1:11: error: quiescent must be yes or no, not 'maybe'\n",
	    "maybe");
	refused("fallback=127.0.0.1:80 gate 1\n" V80 R2,
	    "t.cf:1:28: error: unexpected '1'; fallback takes ADDRESS[:PORT] "
	    "[gate|masq|ipip]\n", "fallback weight");
	refused("quiescent=\x01yes\n" V80 R2,
	    "t.cf:1:11: error: quiescent must be yes or no, not '\\x01yes'\n",
	    "control bytes are escaped");
	conf_free(taken("checkcount=3\n" V80 R2 "\tload=\"x\"\n",
	    "t.cf:1:12: warning: checkcount is deprecated, as in ldirectord; it "
	    "only counts the attempts of a ping check\n"
	    "t.cf:4:7: warning: load is ignored, as ldirectord ignores it\n",
	    "ignored directives"));
	refused(V80 "\treal=1:80 nat\n",
	    "t.cf:2:7: error: invalid IPv4 address '1'\n"
	    "t.cf:2:12: error: unknown forwarding method 'nat' (expected gate, "
	    "masq or ipip)\n", "both errors of one line");
}

/* Every error of a file, not only the first, in line order. */
static void
test_all_errors(void)
{
	struct conf	*c;
	char		*text;
	size_t		 i, lines = 0;

	refused("quiescent=maybe\nvirtual=192.0.2.1\n\treal=1.2.3.4:80 nat\n"
	    "\tchecktype=x\nchektimeout=1\n",
	    "t.cf:1:11: error: quiescent must be yes or no, not 'maybe'\n"
	    "t.cf:2:9: error: missing port in '192.0.2.1' (write "
	    "192.0.2.1:PORT; a firewall mark is a plain number)\n"
	    "t.cf:3:18: error: unknown forwarding method 'nat' (expected gate, "
	    "masq or ipip)\n"
	    "t.cf:4:12: error: unknown checktype 'x' (expected connect, "
	    "negotiate, on, off, ping, external or external-perl)\n"
	    "t.cf:5:1: error: unknown directive 'chektimeout'; did you mean "
	    "'checktimeout'?\n", "five errors, five messages");
	if ((text = malloc(200 * 8 + 1)) == NULL)
		abort();
	text[0] = '\0';
	for (i = 0; i < 200; i++)
		strcat(text, "junk=1\n");
	c = parse(text);
	ok(c == NULL, "200 errors");
	for (i = 0; errs[i] != '\0'; i++)
		lines += errs[i] == '\n';
	is_int(lines, 101, "100 shown, then a count");
	like(errs, "t.cf: 100 more diagnostics not shown\n", "the count");
	free(text);
}

static void
test_round_trip(void)
{
	struct conf	*c;
	char		*p;

	round_trip(V80 R2, "minimal");
	round_trip("checktimeout=3\nquiescent=yes\nfallback=127.0.0.1 masq\n"
	    "virtual=127.0.0.100:80\n\treal=127.0.0.2:80 gate 0\n"
	    "\treal=127.0.0.3:8080 masq 5 \"/x\",\"a\\\"b#c\" l:1 u:9\n"
	    "\trequest=\"health\"\n\treceive=\"^OK$\"\n"
	    "\tvirtualhost=www.example.org:8080\n\thttpmethod=HEAD\n"
	    "\tpersistent=600\n\tnetmask=255.255.0.0\n\tscheduler=sh\n"
	    "\tnegotiatetimeout=7\n\tcheckport=81\n\n"
	    "virtual=9\n\treal=10.0.0.1 gate\n\tchecktype=off\n"
	    "virtual=127.0.0.100:53\n\tprotocol=tcp\n\tchecktype=connect\n"
	    "\treal=127.0.0.5->127.0.0.7:5353 masq\n"
	    "\tfallback=127.0.0.1:53 ipip\n", "a bit of everything");
	round_trip("negotiatetimeout=12\nvirtual6=[2001:db8::1]:443\n"
	    "\treal6=[2001:db8::2]:8443 masq 3\n\tservice=http\n"
	    "\tfallback6=[::1]\n\tpersistent=10\n\tnetmask=48\n"
	    "virtual6=3\n\treal6=[::5] gate\n\tchecktype=on\n", "IPv6");
	round_trip("virtual=127.0.0.100:8080\n" R2, "derived service none");
	c = parse("virtual=127.0.0.100:80\n\treal=127.0.0.2:80 masq \"/a\","
	    "\"x\\\"y\"\n");
	if (c != NULL) {
		p = print(c);
		like(p, "\treal=127.0.0.2:80 masq 1 \"/a\",\"x\\\"y\"\n",
		    "a quote in a string is printed \\\"");
		free(p);
	}
	conf_free(c);
}

static void
test_files(void)
{
	struct conf		*c;
	struct conf_virtual	*v;
	struct conf_real	*r;
	FILE			*fp;
	char			 path[] = "/tmp/test_conf.XXXXXX";
	const char		*want[] = { "127.0.0.2", "127.0.0.3",
	    "127.0.0.4" };
	const char		 nul[] = V80 "\treal=127.0.0.2:80 ma\0sq\n";
	int			 fd, i = 0;

	c = conf_parse_file("conf/examples/http.cf", stderr);
	ok(c != NULL, "conf/examples/http.cf parses");
	if (c != NULL) {
		v = vfirst(c);
		is_int(c->c_nvirtuals, 1, "example: one virtual");
		is_str(ntop(&v->v_addr), "127.0.0.100", "example: vip");
		is_int(v->v_port, 80, "example: port 80");
		is_int(v->v_service, SERVICE_HTTP, "example: http");
		is_str(v->v_request, "/health", "example: request");
		is_str(v->v_receive, "OK", "example: receive");
		is_int(v->v_checkinterval, 1, "example: checkinterval");
		is_int(v->v_quiescent, 1, "example: quiescent");
		is_str(ntop(&v->v_fallback.fb_addr), "127.0.0.1",
		    "example: fallback");
		is_int(v->v_fallback.fb_port, 80, "example: fallback port");
		is_int(v->v_nreals, 3, "example: three reals");
		TAILQ_FOREACH(r, &v->v_reals, r_entry) {
			is_str(ntop(&r->r_addr), want[i], "example: real");
			is_int(r->r_fwd, FWD_MASQ, "example: masq");
			i++;
		}
	}
	conf_free(c);

	free(errs);
	if ((fp = open_memstream(&errs, &errslen)) == NULL)
		abort();
	c = conf_parse_file("/nonexistent/lvsd.cf", fp);
	fclose(fp);
	ok(c == NULL, "a missing file");
	is_str(errs, "/nonexistent/lvsd.cf: error: cannot open: No such file "
	    "or directory\n", "a missing file: message");

	if ((fd = mkstemp(path)) == -1)
		abort();
	fchmod(fd, 0600);
	if (write(fd, nul, sizeof(nul) - 1) != sizeof(nul) - 1)
		abort();
	close(fd);
	free(errs);
	if ((fp = open_memstream(&errs, &errslen)) == NULL)
		abort();
	c = conf_parse_file(path, fp);
	fclose(fp);
	ok(c == NULL, "a NUL byte");
	ok(errs != NULL && strstr(errs, ":2:22: error: NUL byte in the "
	    "line\n") != NULL, "a NUL byte: message");
	unlink(path);
}

int
main(void)
{
	test_defaults();
	test_globals();
	test_timeouts();
	test_service();
	test_checktype();
	test_protocol();
	test_http();
	test_scheduler();
	test_persistence();
	test_block_seen();
	test_virtual();
	test_virtual6();
	test_real();
	test_lexical();
	test_errors();
	test_all_errors();
	test_round_trip();
	test_files();
	free(errs);
	return tap_done();
}

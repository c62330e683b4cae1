/*
 * lvsd-exec's half of fallbackcommand and callback (exec/cmd.c): the
 * EXEC_HOOK it accepts from the parent, the EXEC_FIRE that may name one
 * (a forged index, action or padding is refused), and the shell's argv:
 * sh -c 'LINE "$@"' sh start|stop VIP:VPORT tcp|udp|fwm, or CONFIG.
 */
#include <string.h>

#include "tap.h"
#include "exec.h"

/* A table of 3 hooks: fallbacks at 0 and 1, the callback at 2. */
#define NHOOKS	3

static struct msg_exec_hook
fallback_v4(void)
{
	struct msg_exec_hook	 h;

	memset(&h, 0, sizeof(h));
	h.eh_id = 1;
	h.eh_kind = HOOK_FALLBACK;
	h.eh_proto = PROTO_TCP;
	h.eh_vport = 80;
	h.eh_timeout_ms = 60000;
	addr_parse("192.0.2.10", AF_UNSPEC, &h.eh_vaddr);
	strlcpy(h.eh_cmd, "/usr/local/bin/fb --verbose", sizeof(h.eh_cmd));
	return h;
}

static struct msg_exec_hook
callback(void)
{
	struct msg_exec_hook	 h;

	memset(&h, 0, sizeof(h));
	h.eh_id = NHOOKS - 1;
	h.eh_kind = HOOK_CALLBACK;
	h.eh_timeout_ms = 60000;
	strlcpy(h.eh_cmd, "/etc/ha.d/reloaded", sizeof(h.eh_cmd));
	strlcpy(h.eh_arg, "/etc/ha.d/ldirectord.cf", sizeof(h.eh_arg));
	return h;
}

static void
refused(struct msg_exec_hook h, const char *what, const char *d)
{
	char	 why[128] = "";

	ok(exec_hook_validate(&h, NHOOKS, why, sizeof(why)) == -1, d);
	like(why, what, d);
}

static void
test_hook_validate(void)
{
	struct msg_exec_hook	 h;
	char			 why[128];

	h = fallback_v4();
	ok(exec_hook_validate(&h, NHOOKS, why, sizeof(why)) == 0,
	    "a good fallbackcommand");
	h = callback();
	ok(exec_hook_validate(&h, NHOOKS, why, sizeof(why)) == 0,
	    "a good callback");
	h = fallback_v4();
	h.eh_id = NHOOKS;
	refused(h, "outside", "an index equal to the table size");
	h.eh_id = UINT32_MAX;
	refused(h, "outside", "index 4294967295");
	h = fallback_v4();
	h.eh_id = NHOOKS - 1;
	refused(h, "place", "a fallbackcommand at the callback's index");
	h = callback();
	h.eh_id = 0;
	refused(h, "place", "a callback at a virtual's index");
	h = fallback_v4();
	h.eh_kind = 0;
	refused(h, "kind", "kind 0");
	h.eh_kind = HOOK_KIND_MAX;
	refused(h, "kind", "kind past the last");
	h = fallback_v4();
	h.eh_proto = PROTO_MAX;
	refused(h, "virtual", "an unknown protocol");
	h = fallback_v4();
	h.eh_proto = PROTO_FWM;
	refused(h, "virtual", "a fwmark with a port");
	h = fallback_v4();
	h.eh_fwmark = 7;
	refused(h, "virtual", "a fwmark on a tcp service");
	h = fallback_v4();
	h.eh_vaddr.a_af = 99;
	refused(h, "virtual", "a bad address family");
	h = callback();
	h.eh_proto = PROTO_TCP;
	refused(h, "virtual", "a callback with a protocol");
	h = fallback_v4();
	h.eh_timeout_ms = 0;
	refused(h, "timeout", "timeout 0");
	h.eh_timeout_ms = EXEC_TIMEOUT_MAX_MS + 1;
	refused(h, "timeout", "a timeout over an hour");
	h = fallback_v4();
	memset(h.eh_cmd, 'a', sizeof(h.eh_cmd));
	refused(h, "printable", "a command without its NUL");
	h = fallback_v4();
	h.eh_cmd[0] = '\0';
	refused(h, "printable", "an empty command");
	h = fallback_v4();
	strlcpy(h.eh_cmd, "/bin/fb\n/bin/rm -rf /", sizeof(h.eh_cmd));
	refused(h, "printable", "a newline in the command");
	h = fallback_v4();
	h.eh_cmd[3] = (char)0xc3;
	refused(h, "printable", "a byte past ASCII");
	h = fallback_v4();
	strlcpy(h.eh_arg, "x", sizeof(h.eh_arg));
	refused(h, "argument", "a fallbackcommand with an argument");
	h = callback();
	h.eh_arg[0] = '\0';
	refused(h, "argument", "a callback without the config path");
	h = callback();
	memset(h.eh_arg, 'a', sizeof(h.eh_arg));
	refused(h, "argument", "a config path without its NUL");
}

static void
test_fire_validate(void)
{
	struct msg_exec_hook	 fb = fallback_v4(), cb = callback();
	struct msg_exec_fire	 ef;
	char			 why[128];

	memset(&ef, 0, sizeof(ef));
	ef.ef_id = 1;
	ef.ef_action = HOOK_START;
	ok(exec_fire_validate(&ef, &fb, why, sizeof(why)) == 0, "start");
	ef.ef_action = HOOK_STOP;
	ok(exec_fire_validate(&ef, &fb, why, sizeof(why)) == 0, "stop");
	ef.ef_action = HOOK_RUN;
	ok(exec_fire_validate(&ef, &fb, why, sizeof(why)) == -1,
	    "a fallbackcommand is not run as a callback");
	ef.ef_action = 0;
	ok(exec_fire_validate(&ef, &fb, why, sizeof(why)) == -1, "action 0");
	ef.ef_action = HOOK_ACTION_MAX;
	ok(exec_fire_validate(&ef, &fb, why, sizeof(why)) == -1,
	    "an action past the last");
	ef.ef_action = HOOK_START;
	ok(exec_fire_validate(&ef, &cb, why, sizeof(why)) == -1,
	    "a callback is not started");
	ef.ef_action = HOOK_RUN;
	ok(exec_fire_validate(&ef, &cb, why, sizeof(why)) == 0,
	    "the callback runs");
	ef.ef_id = 5;
	ok(exec_fire_validate(&ef, NULL, why, sizeof(why)) == -1,
	    "a forged index: no hook there");
	like(why, "not in the table", "and says so");
	ef.ef_id = 1;
	ef.ef_action = HOOK_START;
	ef.ef_pad[2] = 1;
	ok(exec_fire_validate(&ef, &fb, why, sizeof(why)) == -1, "padding");
}

static void
test_argv(void)
{
	struct msg_exec_hook	 h;
	struct exec_hook_argv	 xh;

	h = fallback_v4();
	ok(exec_hook_argv(&h, HOOK_START, &xh) == 0, "argv of a start");
	is_str(xh.xh_argv[0], "sh", "argv[0]");
	is_str(xh.xh_argv[1], "-c", "through the shell");
	is_str(xh.xh_argv[2], "/usr/local/bin/fb --verbose \"$@\"",
	    "the line, then the arguments as words");
	is_str(xh.xh_argv[3], "sh", "$0");
	is_str(xh.xh_argv[4], "start", "$1: start");
	is_str(xh.xh_argv[5], "192.0.2.10:80", "$2: vip:vport");
	is_str(xh.xh_argv[6], "tcp", "$3: the protocol");
	ok(xh.xh_argv[7] == NULL, "and no more");
	exec_hook_argv(&h, HOOK_STOP, &xh);
	is_str(xh.xh_argv[4], "stop", "stop");
	h.eh_proto = PROTO_UDP;
	addr_parse("2001:db8::1", AF_UNSPEC, &h.eh_vaddr);
	exec_hook_argv(&h, HOOK_STOP, &xh);
	is_str(xh.xh_argv[5], "[2001:db8::1]:80", "IPv6 in brackets");
	is_str(xh.xh_argv[6], "udp", "udp");
	h.eh_proto = PROTO_FWM;
	h.eh_vport = 0;
	h.eh_fwmark = 7;
	exec_hook_argv(&h, HOOK_START, &xh);
	is_str(xh.xh_argv[5], "7:0", "a fwmark and port 0");
	is_str(xh.xh_argv[6], "fwm", "fwm");
	h = callback();
	exec_hook_argv(&h, HOOK_RUN, &xh);
	is_str(xh.xh_argv[2], "/etc/ha.d/reloaded \"$@\"", "the callback");
	is_str(xh.xh_argv[4], "/etc/ha.d/ldirectord.cf", "with the config");
	ok(xh.xh_argv[5] == NULL, "alone");
	memset(h.eh_cmd, 'a', sizeof(h.eh_cmd) - 1);
	h.eh_cmd[sizeof(h.eh_cmd) - 1] = '\0';
	ok(exec_hook_argv(&h, HOOK_RUN, &xh) == 0,
	    "the longest line still fits");
}

int
main(void)
{
	test_hook_validate();
	test_fire_validate();
	test_argv();
	return tap_done();
}

/*
 * lvsd-exec's half of a command (exec/cmd.c): what it accepts from the
 * parent, and the argv it builds, which must be ldirectord's: the
 * command, then the virtual address (or the fwmark), the virtual port
 * (0 for a fwmark), the real address and the real's port, IPv6
 * addresses in brackets.
 */
#include <string.h>

#include "tap.h"
#include "exec.h"

static struct msg_exec_cmd
cmd_v4(void)
{
	struct msg_exec_cmd	 c;

	memset(&c, 0, sizeof(c));
	c.ec_id = 2;
	c.ec_kind = EXEC_EXTERNAL;
	c.ec_vport = 80;
	c.ec_timeout_ms = 5000;
	addr_parse("192.0.2.10", AF_UNSPEC, &c.ec_vaddr);
	addr_parse("127.0.0.25", AF_UNSPEC, &c.ec_raddr);
	c.ec_rport = 9002;
	strlcpy(c.ec_path, "/usr/local/bin/check-it", sizeof(c.ec_path));
	return c;
}

static int
refused(struct msg_exec_cmd c, uint32_t n, const char *what, const char *d)
{
	char	 why[128] = "";
	int	 r;

	r = exec_cmd_validate(&c, n, why, sizeof(why));
	ok(r == -1, d);
	return like(why, what, d);
}

static void
test_validate(void)
{
	struct msg_exec_cmd	 c;
	char			 why[128];

	c = cmd_v4();
	ok(exec_cmd_validate(&c, 3, why, sizeof(why)) == 0, "a good command");
	refused(cmd_v4(), 2, "outside", "an id equal to the table size");
	c = cmd_v4();
	c.ec_id = UINT32_MAX;
	refused(c, 3, "outside", "id 4294967295");
	refused(cmd_v4(), 0, "outside", "any id in an empty table");
	c = cmd_v4();
	c.ec_kind = 0;
	refused(c, 3, "kind", "kind 0");
	c.ec_kind = EXEC_KIND_MAX;
	refused(c, 3, "kind", "kind past the last");
	c = cmd_v4();
	c.ec_fwm = 2;
	refused(c, 3, "flag", "fwm 2");
	c = cmd_v4();
	c.ec_pad = 1;
	refused(c, 3, "padding", "a byte in the padding");
	c = cmd_v4();
	c.ec_raddr.a_af = 0;
	refused(c, 3, "address", "no real address");
	c = cmd_v4();
	c.ec_vaddr.a_pad[1] = 1;
	refused(c, 3, "address", "a dirty virtual address");
	c = cmd_v4();
	c.ec_fwm = 1;
	c.ec_fwmark = 7;
	memset(&c.ec_vaddr, 0, sizeof(c.ec_vaddr));
	ok(exec_cmd_validate(&c, 3, why, sizeof(why)) == 0,
	    "a fwmark needs no virtual address");
	c = cmd_v4();
	c.ec_timeout_ms = 0;
	refused(c, 3, "timeout", "timeout 0");
	c.ec_timeout_ms = EXEC_TIMEOUT_MAX_MS + 1;
	refused(c, 3, "timeout", "a timeout over an hour");
	c = cmd_v4();
	memset(c.ec_path, 'a', sizeof(c.ec_path));
	c.ec_path[0] = '/';
	refused(c, 3, "absolute", "a path without its NUL");
	c = cmd_v4();
	strlcpy(c.ec_path, "check-it", sizeof(c.ec_path));
	refused(c, 3, "absolute", "a relative path");
	strlcpy(c.ec_path, "/bin/check it", sizeof(c.ec_path));
	ok(exec_cmd_validate(&c, 3, why, sizeof(why)) == 0,
	    "a space is part of a name: no shell splits it");
	strlcpy(c.ec_path, "/bin/check\nit", sizeof(c.ec_path));
	refused(c, 3, "absolute", "a path with a newline");
	strlcpy(c.ec_path, "", sizeof(c.ec_path));
	refused(c, 3, "absolute", "an empty path");
}

static void
test_argv(void)
{
	struct msg_exec_cmd	 c;
	struct exec_argv	 xa;

	c = cmd_v4();
	exec_argv_build(&c, &xa);
	is_str(xa.xa_file, "/usr/local/bin/check-it", "external runs the "
	    "command itself");
	is_str(xa.xa_argv[0], "/usr/local/bin/check-it", "argv[0]");
	is_str(xa.xa_argv[1], "192.0.2.10", "the virtual address");
	is_str(xa.xa_argv[2], "80", "the virtual port");
	is_str(xa.xa_argv[3], "127.0.0.25", "the real address");
	is_str(xa.xa_argv[4], "9002", "the real's port");
	ok(xa.xa_argv[5] == NULL, "four arguments");

	c.ec_kind = EXEC_EXTERNAL_PERL;
	exec_argv_build(&c, &xa);
	is_str(xa.xa_file, LVSD_PERL, "external-perl runs perl");
	is_str(xa.xa_argv[0], "perl", "perl's argv[0]");
	is_str(xa.xa_argv[1], "/usr/local/bin/check-it", "then the script");
	is_str(xa.xa_argv[5], "9002", "then the four arguments");
	ok(xa.xa_argv[6] == NULL, "and nothing else");

	c = cmd_v4();
	addr_parse("2001:db8::10", AF_UNSPEC, &c.ec_vaddr);
	addr_parse("2001:db8::25", AF_UNSPEC, &c.ec_raddr);
	c.ec_vport = 443;
	c.ec_rport = 8443;
	exec_argv_build(&c, &xa);
	is_str(xa.xa_argv[1], "[2001:db8::10]", "an IPv6 virtual address "
	    "in brackets");
	is_str(xa.xa_argv[3], "[2001:db8::25]", "an IPv6 real address in "
	    "brackets");
	is_str(xa.xa_argv[2], "443", "its port");

	c = cmd_v4();
	c.ec_fwm = 1;
	c.ec_fwmark = 4242;
	c.ec_vport = 80;	/* ignored for a fwmark */
	c.ec_rport = 0;
	exec_argv_build(&c, &xa);
	is_str(xa.xa_argv[1], "4242", "a fwmark service passes its mark");
	is_str(xa.xa_argv[2], "0", "and port 0");
	is_str(xa.xa_argv[4], "0", "a fwmark real without a port: 0");
}

int
main(void)
{
	test_validate();
	test_argv();
	return tap_done();
}

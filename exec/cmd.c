/*
 * The commands the parent sends: their validation, and the argv each
 * becomes.  The parent is trusted, but what it sends here is executed,
 * so a field out of range stops at this boundary as in the checker.
 */
#include <stdio.h>
#include <string.h>

#include "exec.h"

/*
 * An absolute path of printable ASCII.  It is exec'd without a shell,
 * so a space is only part of a name, as in ldirectord.
 */
static int
exec_path_ok(const char *p, size_t size)
{
	if (!msg_str_ok(p, size) || p[0] != '/')
		return 0;
	for (; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			return 0;
	return 1;
}

/* 0 if cmd is a command the helper may run for a table of n ids. */
int
exec_cmd_validate(const struct msg_exec_cmd *cmd, uint32_t n, char *why,
    size_t len)
{
	if (cmd->ec_id >= n)
		snprintf(why, len, "id %u outside the table of %u",
		    cmd->ec_id, n);
	else if (cmd->ec_kind == 0 || cmd->ec_kind >= EXEC_KIND_MAX)
		snprintf(why, len, "unknown kind %u", cmd->ec_kind);
	else if (cmd->ec_fwm > 1 || cmd->ec_pad != 0)
		snprintf(why, len, "bad flag or padding");
	else if ((!cmd->ec_fwm && !msg_addr_ok(&cmd->ec_vaddr)) ||
	    !msg_addr_ok(&cmd->ec_raddr))
		snprintf(why, len, "bad address");
	else if (cmd->ec_timeout_ms == 0 ||
	    cmd->ec_timeout_ms > EXEC_TIMEOUT_MAX_MS)
		snprintf(why, len, "timeout %u ms out of range",
		    cmd->ec_timeout_ms);
	else if (!exec_path_ok(cmd->ec_path, sizeof(cmd->ec_path)))
		snprintf(why, len, "command is not an absolute path of "
		    "printable characters");
	else
		return 0;
	return -1;
}

/*
 * ldirectord's four arguments (its _check_real): the virtual address
 * or the fwmark, the virtual port (0 for a fwmark), the real address,
 * the real's port; IPv6 addresses in brackets, as ldirectord keeps them.
 */
static void
exec_argv_addr(const struct addr *a, char *buf, size_t len)
{
	char	 host[INET6_ADDRSTRLEN];

	addr_ntop(a, host, sizeof(host));
	if (a->a_af == AF_INET6)
		snprintf(buf, len, "[%s]", host);
	else
		strlcpy(buf, host, len);
}

void
exec_argv_build(const struct msg_exec_cmd *cmd, struct exec_argv *xa)
{
	int	 i = 0;

	memset(xa, 0, sizeof(*xa));
	if (cmd->ec_fwm)
		snprintf(xa->xa_vip, sizeof(xa->xa_vip), "%u",
		    cmd->ec_fwmark);
	else
		exec_argv_addr(&cmd->ec_vaddr, xa->xa_vip,
		    sizeof(xa->xa_vip));
	snprintf(xa->xa_vport, sizeof(xa->xa_vport), "%u",
	    cmd->ec_fwm ? 0U : cmd->ec_vport);
	exec_argv_addr(&cmd->ec_raddr, xa->xa_rip, sizeof(xa->xa_rip));
	snprintf(xa->xa_rport, sizeof(xa->xa_rport), "%u", cmd->ec_rport);
	if (cmd->ec_kind == EXEC_EXTERNAL_PERL) {
		xa->xa_file = LVSD_PERL;
		xa->xa_argv[i++] = (char *)(uintptr_t)"perl";
	} else
		xa->xa_file = cmd->ec_path;
	xa->xa_argv[i++] = (char *)(uintptr_t)cmd->ec_path;
	xa->xa_argv[i++] = xa->xa_vip;
	xa->xa_argv[i++] = xa->xa_vport;
	xa->xa_argv[i++] = xa->xa_rip;
	xa->xa_argv[i++] = xa->xa_rport;
	xa->xa_argv[i] = NULL;
}

/*
 * A shell command line of the config: printable ASCII or a tab, as the
 * parent's validation (parent/confmsg.c) requires at config load.
 */
static int
exec_shell_ok(const char *p, size_t size)
{
	if (!msg_str_ok(p, size) || p[0] == '\0')
		return 0;
	for (; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p > 0x7e)
			return 0;
	return 1;
}

/* The place of the virtual a fallbackcommand names, and its protocol. */
static int
exec_hook_place_ok(const struct msg_exec_hook *h)
{
	if (h->eh_proto == 0 || h->eh_proto >= PROTO_MAX)
		return 0;
	if (h->eh_proto == PROTO_FWM)
		return h->eh_vport == 0;
	return h->eh_fwmark == 0 && msg_addr_ok(&h->eh_vaddr);
}

/*
 * 0 if h is a hook the helper may keep in a table of n hooks: the
 * fallbackcommand of a virtual below n - 1, or the callback at n - 1.
 */
int
exec_hook_validate(const struct msg_exec_hook *h, uint32_t n, char *why,
    size_t len)
{
	int	 callback = h->eh_kind == HOOK_CALLBACK;

	if (h->eh_id >= n)
		snprintf(why, len, "hook %u outside the table of %u",
		    h->eh_id, n);
	else if (h->eh_kind == 0 || h->eh_kind >= HOOK_KIND_MAX)
		snprintf(why, len, "unknown hook kind %u", h->eh_kind);
	else if (callback != (h->eh_id == n - 1))
		snprintf(why, len, "hook %u of kind %u out of its place",
		    h->eh_id, h->eh_kind);
	else if (callback ? h->eh_proto != 0 || h->eh_vport != 0 ||
	    h->eh_fwmark != 0 : !exec_hook_place_ok(h))
		snprintf(why, len, "bad virtual service");
	else if (h->eh_timeout_ms == 0 ||
	    h->eh_timeout_ms > EXEC_TIMEOUT_MAX_MS)
		snprintf(why, len, "timeout %u ms out of range",
		    h->eh_timeout_ms);
	else if (!exec_shell_ok(h->eh_cmd, sizeof(h->eh_cmd)))
		snprintf(why, len, "command is not a line of printable "
		    "characters");
	else if (callback ? !exec_shell_ok(h->eh_arg, sizeof(h->eh_arg)) :
	    h->eh_arg[0] != '\0' || !msg_str_ok(h->eh_arg, sizeof(h->eh_arg)))
		snprintf(why, len, "bad argument");
	else
		return 0;
	return -1;
}

/* 0 if ef may run hook h (NULL: the table has none at that index). */
int
exec_fire_validate(const struct msg_exec_fire *ef,
    const struct msg_exec_hook *h, char *why, size_t len)
{
	if (ef->ef_pad[0] != 0 || ef->ef_pad[1] != 0 || ef->ef_pad[2] != 0)
		snprintf(why, len, "bad padding");
	else if (h == NULL)
		snprintf(why, len, "hook %u is not in the table", ef->ef_id);
	else if (h->eh_kind == HOOK_CALLBACK ? ef->ef_action != HOOK_RUN :
	    ef->ef_action != HOOK_START && ef->ef_action != HOOK_STOP)
		snprintf(why, len, "action %u does not fit hook %u",
		    ef->ef_action, ef->ef_id);
	else
		return 0;
	return -1;
}

/* "192.0.2.1:80 tcp", "[2001:db8::1]:80 udp", "7:0 fwm". */
void
exec_hook_place(const struct msg_exec_hook *h, char *where, size_t wlen,
    char *proto, size_t plen)
{
	char	 vip[ADDR_STRLEN];

	if (h->eh_proto == PROTO_FWM) {
		snprintf(where, wlen, "%u:0", h->eh_fwmark);
		strlcpy(proto, "fwm", plen);
		return;
	}
	exec_argv_addr(&h->eh_vaddr, vip, sizeof(vip));
	snprintf(where, wlen, "%s:%u", vip, h->eh_vport);
	strlcpy(proto, h->eh_proto == PROTO_UDP ? "udp" : "tcp", plen);
}

/*
 * argv of a hook: /bin/sh runs the configured line with the arguments
 * as its positional parameters, so that they are words the shell does
 * not parse again:  sh -c 'LINE "$@"' sh start 192.0.2.1:80 tcp
 */
int
exec_hook_argv(const struct msg_exec_hook *h, uint8_t action,
    struct exec_hook_argv *xh)
{
	int	 i = 0;

	memset(xh, 0, sizeof(*xh));
	if ((size_t)snprintf(xh->xh_script, sizeof(xh->xh_script), "%s \"$@\"",
	    h->eh_cmd) >= sizeof(xh->xh_script))
		return -1;
	xh->xh_argv[i++] = (char *)(uintptr_t)"sh";
	xh->xh_argv[i++] = (char *)(uintptr_t)"-c";
	xh->xh_argv[i++] = xh->xh_script;
	xh->xh_argv[i++] = (char *)(uintptr_t)"sh";
	if (h->eh_kind == HOOK_CALLBACK)
		xh->xh_argv[i++] = (char *)(uintptr_t)h->eh_arg;
	else {
		exec_hook_place(h, xh->xh_where, sizeof(xh->xh_where),
		    xh->xh_proto, sizeof(xh->xh_proto));
		xh->xh_argv[i++] = (char *)(uintptr_t)(action == HOOK_START ?
		    "start" : "stop");
		xh->xh_argv[i++] = xh->xh_where;
		xh->xh_argv[i++] = xh->xh_proto;
	}
	xh->xh_argv[i] = NULL;
	return 0;
}

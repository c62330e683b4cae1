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

/*
 * Every change ipvsd makes is logged in words a sysadmin can grep for:
 * "real 192.0.2.2:80 of TCP 192.0.2.100:80 down: weight 0 (quiescent)".
 * Forwarding methods use ldirectord's names, as the configuration does.
 */
#include <sys/socket.h>

#include <linux/ip_vs.h>
#include <netinet/in.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "ipvsd.h"

const char *
describe_service(const struct ipvs_service *vs, char *buf, size_t len)
{
	char		 ap[ADDR_STRLEN];
	const char	*proto;

	if (vs->vs_proto == 0) {
		snprintf(buf, len, "FWM %u%s", vs->vs_fwmark,
		    vs->vs_addr.a_af == AF_INET6 ? " IPv6" : "");
		return buf;
	}
	proto = vs->vs_proto == IPPROTO_TCP ? "TCP" :
	    vs->vs_proto == IPPROTO_UDP ? "UDP" : "proto";
	snprintf(buf, len, "%s %s", proto,
	    addr_port_ntop(&vs->vs_addr, vs->vs_port, ap, sizeof(ap)));
	return buf;
}

const char *
describe_fwd(unsigned int fwd)
{
	switch (fwd) {
	case IP_VS_CONN_F_MASQ:
		return "masq";
	case IP_VS_CONN_F_LOCALNODE:
		return "local";
	case IP_VS_CONN_F_TUNNEL:
		return "ipip";
	case IP_VS_CONN_F_DROUTE:
		return "gate";
	}
	return "unknown";
}

/* ", ops, scheduler flags 1 2": the flags other than persistence, "" if none */
static void
describe_flags(uint32_t flags, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s",
	    flags & IP_VS_SVC_F_ONEPACKET ? ", ops" : "",
	    flags & (IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 |
	    IP_VS_SVC_F_SCHED3) ? ", scheduler flags" : "",
	    flags & IP_VS_SVC_F_SCHED1 ? " 1" : "",
	    flags & IP_VS_SVC_F_SCHED2 ? " 2" : "",
	    flags & IP_VS_SVC_F_SCHED3 ? " 3" : "");
}

/* "scheduler wrr, persistent 300 s, netmask 255.255.255.0, ops" */
static void
describe_attrs(const struct ipvs_service *vs, char *buf, size_t len)
{
	char		 mask[INET_ADDRSTRLEN], flags[48];
	struct in_addr	 in;

	describe_flags(vs->vs_flags, flags, sizeof(flags));
	if (!(vs->vs_flags & IP_VS_SVC_F_PERSISTENT)) {
		snprintf(buf, len, "scheduler %s%s", vs->vs_sched, flags);
		return;
	}
	if (vs->vs_addr.a_af == AF_INET6)
		snprintf(mask, sizeof(mask), "/%u", vs->vs_netmask);
	else {
		in.s_addr = vs->vs_netmask;
		inet_ntop(AF_INET, &in, mask, sizeof(mask));
	}
	snprintf(buf, len, "scheduler %s, persistent %u s, netmask %s%s",
	    vs->vs_sched, vs->vs_timeout, mask, flags);
}

/* "weight 5, gate" and the thresholds if there are any */
static void
describe_dest(const struct ipvs_dest *rd, char *buf, size_t len)
{
	if (rd->rd_uthresh == 0 && rd->rd_lthresh == 0)
		snprintf(buf, len, "weight %u, %s", rd->rd_weight,
		    describe_fwd(rd->rd_fwd));
	else
		snprintf(buf, len, "weight %u, %s, thresholds %u/%u",
		    rd->rd_weight, describe_fwd(rd->rd_fwd), rd->rd_uthresh,
		    rd->rd_lthresh);
}

static const char *
describe_service_op(const struct plan_op *op, char *buf, size_t len)
{
	char	 svc[ADDR_STRLEN + 16], now[128], was[128];

	describe_service(&op->op_vs, svc, sizeof(svc));
	describe_attrs(&op->op_vs, now, sizeof(now));
	switch (op->op_cmd) {
	case PLAN_NEW_SERVICE:
		snprintf(buf, len, "service %s added: %s", svc, now);
		break;
	case PLAN_SET_SERVICE:
		describe_attrs(&op->op_oldvs, was, sizeof(was));
		snprintf(buf, len, "service %s changed: %s (was %s)", svc,
		    now, was);
		break;
	default:
		snprintf(buf, len, "service %s deleted (%s)", svc,
		    op->op_why == WHY_SHUTDOWN ? "clean stop" :
		    "removed from the configuration");
		break;
	}
	return buf;
}

/* What happens to the dest, after "real A of S ". */
static void
describe_dest_event(const struct plan_op *op, char *buf, size_t len)
{
	char		 now[96], was[96], paren[112];
	const char	*added = "";

	paren[0] = '\0';
	if (op->op_cmd == PLAN_DEL_DEST) {
		snprintf(buf, len, "%s",
		    op->op_why == WHY_DOWN ? "down: removed" :
		    op->op_why == WHY_DISABLED ? "disabled: removed" :
		    op->op_why == WHY_FALLBACK_OFF ?
		    "off (a real server is up): removed" :
		    "purged: not in the configuration");
		return;
	}
	describe_dest(&op->op_rd, now, sizeof(now));
	if (op->op_cmd == PLAN_NEW_DEST)
		added = "added, ";
	else {
		describe_dest(&op->op_oldrd, was, sizeof(was));
		snprintf(paren, sizeof(paren), " (was %s)", was);
	}
	switch (op->op_why) {
	case WHY_UP:
		snprintf(buf, len, "up: %s%s%s", added, now, paren);
		break;
	case WHY_DOWN:
	case WHY_DISABLED:
		snprintf(buf, len, "%s: %sweight 0 (quiescent)",
		    op->op_why == WHY_DOWN ? "down" : "disabled",
		    *added ? "added with " : "");
		break;
	case WHY_FALLBACK_ON:
		snprintf(buf, len, "on (no real server up): %s%s%s", added,
		    now, paren);
		break;
	default:
		if (*added)
			snprintf(buf, len, "not checked yet: added with "
			    "weight 0 (quiescent)");
		else
			snprintf(buf, len, "not checked yet, in service: "
			    "corrected to %s%s", now, paren);
		break;
	}
}

/*
 * The service's words, kept for the next call: a plan names one service
 * for all its reals in a row, and a large table makes a line per real.
 */
static const char *
describe_service_cached(const struct ipvs_service *vs)
{
	static struct ipvs_service	 last;
	static char			 text[ADDR_STRLEN + 16];

	/* the key is all describe_service() words */
	if (text[0] == '\0' || ipvs_service_cmp(&last, vs) != 0) {
		describe_service(vs, text, sizeof(text));
		last = *vs;
	}
	return text;
}

const char *
describe_op(const struct plan_op *op, char *buf, size_t len)
{
	char	 rd[ADDR_STRLEN], event[256];
	int	 fallback;

	if (op->op_cmd == PLAN_NEW_SERVICE || op->op_cmd == PLAN_SET_SERVICE ||
	    op->op_cmd == PLAN_DEL_SERVICE)
		return describe_service_op(op, buf, len);
	fallback = op->op_why == WHY_FALLBACK_ON ||
	    op->op_why == WHY_FALLBACK_OFF;
	describe_dest_event(op, event, sizeof(event));
	snprintf(buf, len, "%s %s of %s %s", fallback ? "fallback" : "real",
	    addr_port_ntop(&op->op_rd.rd_addr, op->op_rd.rd_port, rd,
	    sizeof(rd)),
	    describe_service_cached(&op->op_vs), event);
	return buf;
}

/*
 * checker-filter-probe: what a compromised checker could do with the raw
 * ICMP sockets the parent hands it, under the checker's own confinement
 * (checker_sandbox: chroot, ids, no capability, the production seccomp
 * filter).  For tests/integration/38-checker-ping.t.
 *
 *	checker-filter-probe UID:GID CHROOTDIR opts|raw|bind
 *
 * It opens the two sockets as lvsd does and confines itself.  Then, the
 * filter allowing no write, it answers by its exit status: with "opts"
 * a bit per setsockopt that came out as it must (1: TCP_NODELAY on a TCP
 * socket works; 2: IP_HDRINCL, 4: ICMP_FILTER, 8: SO_BROADCAST on the
 * ICMP socket, 16: IPV6_HDRINCL on the ICMPv6 one, or no ICMPv6 socket,
 * fail with EPERM), so 31 is all; with "raw" it opens a raw socket of
 * its own, with "bind" it binds the ICMP socket: the filter must kill
 * it (SIGSYS) for either.
 */
#include <sys/socket.h>

#include <errno.h>
#include <linux/icmp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>

#include "checker.h"
#include "icmpsock.h"
#include "log.h"
#include "sandbox.h"

/* 1 if r is a failure with EPERM. */
static int
probe_eperm(int r)
{
	return r == -1 && errno == EPERM;
}

static int
probe_opts(int tcp, int v4, int v6)
{
	struct icmp_filter	 f = { 0 };
	int			 one = 1, bits = 0;

	if (setsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0)
		bits |= 1;
	if (probe_eperm(setsockopt(v4, IPPROTO_IP, IP_HDRINCL, &one,
	    sizeof(one))))
		bits |= 2;
	if (probe_eperm(setsockopt(v4, SOL_RAW, ICMP_FILTER, &f, sizeof(f))))
		bits |= 4;
	if (probe_eperm(setsockopt(v4, SOL_SOCKET, SO_BROADCAST, &one,
	    sizeof(one))))
		bits |= 8;
	if (v6 == -1 || probe_eperm(setsockopt(v6, IPPROTO_IPV6,
	    36 /* IPV6_HDRINCL */, &one, sizeof(one))))
		bits |= 16;
	return bits;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in	 sin;
	uid_t			 uid;
	gid_t			 gid;
	int			 v4, v6, tcp;

	if (argc != 4) {
		fprintf(stderr, "usage: checker-filter-probe uid:gid dir "
		    "opts|raw|bind\n");
		return 100;
	}
	log_init(1, LOG_DAEMON);
	sandbox_parse_ids(argv[1], &uid, &gid);
	if ((v4 = icmpsock_open(AF_INET)) == -1)
		fatal("raw ICMP socket");
	v6 = icmpsock_open(AF_INET6);
	if ((tcp = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		fatal("socket");
	checker_sandbox(argv[2], uid, gid);
	if (strcmp(argv[3], "opts") == 0)
		return probe_opts(tcp, v4, v6);
	if (strcmp(argv[3], "raw") == 0)
		(void)socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	else {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		(void)bind(v4, (struct sockaddr *)&sin, sizeof(sin));
	}
	return 100;	/* the filter let it through */
}

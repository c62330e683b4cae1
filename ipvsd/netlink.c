/*
 * The IPVS generic-netlink client: the table dumps and the changes.
 *
 * libnl builds and parses the messages; the socket I/O is done here, so
 * that changes go in batches: up to IPVS_BATCH requests in one sendmsg,
 * each with NLM_F_ACK, then the acknowledgements are collected.  The
 * kernel runs a generic-netlink request inside the sender's sendmsg, so
 * every acknowledgement is queued (or lost to a full buffer) by the time
 * sendmsg returns: collecting them never waits on the kernel.
 */
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>
#include <netinet/in.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "ipvsd.h"
#include "log.h"

/*
 * Requests per sendmsg.  Their acknowledgements must fit the socket's
 * receive buffer at once (about 700 bytes of it each, against the usual
 * 208 KiB), or the kernel drops some.
 */
#define IPVS_BATCH	64
/* A dump part is at most 32 KiB (the kernel's netlink_dump()). */
#define IPVS_RCVBUF	(64 * 1024)
/* An answer is due at once; this only guards against a kernel bug. */
#define IPVS_WAIT_MS	5000
/* Room for one acknowledgement: a header, an errno, an extended ack. */
#define IPVS_ACK_SLOT	1024

typedef int	(*ipvs_parse_fn)(struct nlmsghdr *, void *);

static struct nl_sock	*ipvs_sk;
static int		 ipvs_fd = -1;
static int		 ipvs_family;
static uint32_t		 ipvs_seq;
static union {
	struct nlmsghdr	 hdr;
	unsigned char	 buf[IPVS_RCVBUF];
} ipvs_in;

static struct nla_policy ipvs_cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_SERVICE] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DEST] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DAEMON] = { .type = NLA_NESTED },
};

static struct nla_policy ipvs_svc_policy[IPVS_SVC_ATTR_MAX + 1] = {
	[IPVS_SVC_ATTR_AF] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_PROTOCOL] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4 },
	[IPVS_SVC_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_FWMARK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_SCHED_NAME] = { .type = NLA_STRING,
	    .maxlen = IP_VS_SCHEDNAME_MAXLEN },
	[IPVS_SVC_ATTR_FLAGS] = { .type = NLA_UNSPEC,
	    .minlen = sizeof(struct ip_vs_flags) },
	[IPVS_SVC_ATTR_TIMEOUT] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_NETMASK] = { .type = NLA_U32 },
};

static struct nla_policy ipvs_dest_policy[IPVS_DEST_ATTR_MAX + 1] = {
	[IPVS_DEST_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4 },
	[IPVS_DEST_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_FWD_METHOD] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_WEIGHT] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_U_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_L_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_ADDR_FAMILY] = { .type = NLA_U16 },
};

static struct nla_policy ipvs_daemon_policy[IPVS_DAEMON_ATTR_MAX + 1] = {
	[IPVS_DAEMON_ATTR_STATE] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_IFN] = { .type = NLA_STRING,
	    .maxlen = IP_VS_IFNAME_MAXLEN },
	[IPVS_DAEMON_ATTR_SYNC_ID] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_SYNC_MAXLEN] = { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP6] = { .type = NLA_UNSPEC,
	    .minlen = sizeof(struct in6_addr) },
	[IPVS_DAEMON_ATTR_MCAST_PORT] = { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_TTL] = { .type = NLA_U8 },
};

_Static_assert(SYNC_MASTER == IP_VS_STATE_MASTER, "sync master state");
_Static_assert(SYNC_BACKUP == IP_VS_STATE_BACKUP, "sync backup state");
_Static_assert(MSG_IFNAME_LEN == IP_VS_IFNAME_MAXLEN, "sync ifname");

/*
 * Runs as root, before the sandbox: the socket, and the family id (its
 * lookup may load ip_vs through the module alias).
 */
void
ipvs_open(void)
{
	int	 r, one = 1;

	if ((ipvs_sk = nl_socket_alloc()) == NULL)
		fatalx("%s: nl_socket_alloc failed", __func__);
	if ((r = genl_connect(ipvs_sk)) < 0)
		fatalx("%s: genl_connect: %s", __func__, nl_geterror(r));
	if ((r = genl_ctrl_resolve(ipvs_sk, IPVS_GENL_NAME)) < 0)
		fatalx("the kernel has no IPVS (generic netlink family %s: "
		    "%s); is the ip_vs module available?", IPVS_GENL_NAME,
		    nl_geterror(r));
	ipvs_family = r;
	ipvs_fd = nl_socket_get_fd(ipvs_sk);
	/* acknowledge errors without a copy of the request: smaller */
	(void)setsockopt(ipvs_fd, SOL_NETLINK, NETLINK_CAP_ACK, &one,
	    sizeof(one));
}

static struct nl_msg *
ipvs_msg(int cmd, int flags)
{
	struct nl_msg	*m;

	if ((m = nlmsg_alloc()) == NULL)
		fatalx("%s: nlmsg_alloc failed", __func__);
	if (genlmsg_put(m, NL_AUTO_PORT, ++ipvs_seq, ipvs_family, 0,
	    flags | NLM_F_REQUEST, cmd, IPVS_GENL_VERSION) == NULL)
		fatalx("%s: genlmsg_put failed", __func__);
	return m;
}

static void
ipvs_put_service(struct nl_msg *m, const struct ipvs_service *vs, int full)
{
	struct nlattr		*n;
	struct ip_vs_flags	 fl;
	int			 r;

	if ((n = nla_nest_start(m, IPVS_CMD_ATTR_SERVICE)) == NULL)
		fatalx("%s: no room", __func__);
	r = nla_put_u16(m, IPVS_SVC_ATTR_AF, vs->vs_addr.a_af);
	if (vs->vs_proto == 0)
		r |= nla_put_u32(m, IPVS_SVC_ATTR_FWMARK, vs->vs_fwmark);
	else {
		r |= nla_put_u16(m, IPVS_SVC_ATTR_PROTOCOL, vs->vs_proto);
		r |= nla_put(m, IPVS_SVC_ATTR_ADDR, sizeof(vs->vs_addr.a_u),
		    vs->vs_addr.a_u.raw);
		r |= nla_put_u16(m, IPVS_SVC_ATTR_PORT, htons(vs->vs_port));
	}
	if (full) {
		/* mask all ones: the flags become exactly these */
		fl.flags = vs->vs_flags;
		fl.mask = ~0U;
		r |= nla_put_string(m, IPVS_SVC_ATTR_SCHED_NAME, vs->vs_sched);
		r |= nla_put(m, IPVS_SVC_ATTR_FLAGS, sizeof(fl), &fl);
		r |= nla_put_u32(m, IPVS_SVC_ATTR_TIMEOUT, vs->vs_timeout);
		r |= nla_put_u32(m, IPVS_SVC_ATTR_NETMASK, vs->vs_netmask);
	}
	if (r != 0)
		fatalx("%s: no room", __func__);
	nla_nest_end(m, n);
}

static void
ipvs_put_dest(struct nl_msg *m, const struct ipvs_dest *rd, int full)
{
	struct nlattr	*n;
	int		 r;

	if ((n = nla_nest_start(m, IPVS_CMD_ATTR_DEST)) == NULL)
		fatalx("%s: no room", __func__);
	r = nla_put(m, IPVS_DEST_ATTR_ADDR, sizeof(rd->rd_addr.a_u),
	    rd->rd_addr.a_u.raw);
	r |= nla_put_u16(m, IPVS_DEST_ATTR_PORT, htons(rd->rd_port));
	r |= nla_put_u16(m, IPVS_DEST_ATTR_ADDR_FAMILY, rd->rd_addr.a_af);
	if (full) {
		r |= nla_put_u32(m, IPVS_DEST_ATTR_FWD_METHOD, rd->rd_fwd);
		r |= nla_put_u32(m, IPVS_DEST_ATTR_WEIGHT, rd->rd_weight);
		r |= nla_put_u32(m, IPVS_DEST_ATTR_U_THRESH, rd->rd_uthresh);
		r |= nla_put_u32(m, IPVS_DEST_ATTR_L_THRESH, rd->rd_lthresh);
	}
	if (r != 0)
		fatalx("%s: no room", __func__);
	nla_nest_end(m, n);
}

static struct nl_msg *
ipvs_op_msg(const struct plan_op *op)
{
	static const int	 cmds[] = {
		[PLAN_NEW_SERVICE] = IPVS_CMD_NEW_SERVICE,
		[PLAN_SET_SERVICE] = IPVS_CMD_SET_SERVICE,
		[PLAN_DEL_SERVICE] = IPVS_CMD_DEL_SERVICE,
		[PLAN_NEW_DEST] = IPVS_CMD_NEW_DEST,
		[PLAN_SET_DEST] = IPVS_CMD_SET_DEST,
		[PLAN_DEL_DEST] = IPVS_CMD_DEL_DEST,
	};
	struct nl_msg		*m;

	m = ipvs_msg(cmds[op->op_cmd], NLM_F_ACK);
	switch (op->op_cmd) {
	case PLAN_NEW_SERVICE:
	case PLAN_SET_SERVICE:
		ipvs_put_service(m, &op->op_vs, 1);
		break;
	case PLAN_DEL_SERVICE:
		ipvs_put_service(m, &op->op_vs, 0);
		break;
	default:
		ipvs_put_service(m, &op->op_vs, 0);
		ipvs_put_dest(m, &op->op_rd, op->op_cmd != PLAN_DEL_DEST);
		break;
	}
	return m;
}

/* Send n messages in one datagram. */
static int
ipvs_send(struct nl_msg **m, size_t n)
{
	struct sockaddr_nl	 kernel;
	struct iovec		 iov[IPVS_BATCH];
	struct msghdr		 mh;
	struct nlmsghdr		*h;
	size_t			 i;

	memset(&kernel, 0, sizeof(kernel));
	kernel.nl_family = AF_NETLINK;
	for (i = 0; i < n; i++) {
		h = nlmsg_hdr(m[i]);
		/* the kernel finds the next request at the aligned length */
		if (NLMSG_ALIGN(h->nlmsg_len) != h->nlmsg_len)
			fatalx("%s: unaligned request", __func__);
		iov[i].iov_base = h;
		iov[i].iov_len = h->nlmsg_len;
	}
	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &kernel;
	mh.msg_namelen = sizeof(kernel);
	mh.msg_iov = iov;
	mh.msg_iovlen = n;
	while (sendmsg(ipvs_fd, &mh, 0) == -1)
		if (errno != EINTR)
			return -1;
	return 0;
}

/*
 * One datagram from the kernel into ipvs_in: its length, or -1 with errno
 * (ETIMEDOUT: nothing came within wait_ms).
 */
static ssize_t
ipvs_recv(int wait_ms)
{
	struct sockaddr_nl	 from;
	struct iovec		 iov;
	struct msghdr		 mh;
	struct pollfd		 pfd;
	ssize_t			 n;
	int			 waited = 0;

	for (;;) {
		memset(&mh, 0, sizeof(mh));
		iov.iov_base = ipvs_in.buf;
		iov.iov_len = sizeof(ipvs_in.buf);
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		if ((n = recvmsg(ipvs_fd, &mh, MSG_DONTWAIT)) != -1)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN || waited)
			return -1;
		pfd.fd = ipvs_fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, wait_ms) == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		waited = 1;
	}
	if (mh.msg_flags & MSG_TRUNC) {
		errno = EMSGSIZE;
		return -1;
	}
	/* only the kernel (port 0) may answer */
	return from.nl_pid == 0 ? n : 0;
}

/* errno from an NLMSG_ERROR: 0 for an acknowledgement. */
static int
ipvs_nlerr(struct nlmsghdr *h)
{
	const struct nlmsgerr	*e = nlmsg_data(h);

	if (nlmsg_datalen(h) < (int)sizeof(e->error))
		return EIO;
	return e->error < 0 ? -e->error : e->error;
}

/*
 * Note the acknowledgements in one datagram of len bytes at buf: errs[i]
 * for request first+i.  The number noted.
 */
static size_t
ipvs_note_acks(void *buf, int len, uint32_t first, size_t n, int *errs)
{
	struct nlmsghdr	*h;
	size_t		 i, noted = 0;
	int		 rem = len;

	for (h = buf; nlmsg_ok(h, rem); h = nlmsg_next(h, &rem)) {
		i = h->nlmsg_seq - first;
		if (h->nlmsg_type != NLMSG_ERROR || i >= n || errs[i] != -1)
			continue;
		errs[i] = ipvs_nlerr(h);
		noted++;
	}
	return noted;
}

/*
 * Up to IPVS_BATCH acknowledgements at once, without waiting: the
 * number of datagrams read (0: none queued), or -1 with errno.  An
 * acknowledgement is a header and an errno (NETLINK_CAP_ACK): a
 * datagram cut to its slot still carries both, and only the kernel's
 * count.
 */
static int
ipvs_recv_acks(uint32_t first, size_t n, int *errs, size_t *left)
{
	static unsigned char	 slot[IPVS_BATCH][IPVS_ACK_SLOT]
	    __attribute__((aligned(NLMSG_ALIGNTO)));
	struct mmsghdr		 mm[IPVS_BATCH];
	struct iovec		 iov[IPVS_BATCH];
	struct sockaddr_nl	 from[IPVS_BATCH];
	int			 i, got;

	memset(mm, 0, sizeof(mm));
	memset(from, 0, sizeof(from));
	for (i = 0; i < IPVS_BATCH; i++) {
		iov[i].iov_base = slot[i];
		iov[i].iov_len = sizeof(slot[i]);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_name = &from[i];
		mm[i].msg_hdr.msg_namelen = sizeof(from[i]);
	}
	while ((got = recvmmsg(ipvs_fd, mm, IPVS_BATCH, MSG_DONTWAIT,
	    NULL)) == -1 && errno == EINTR)
		;
	if (got == -1)
		return errno == EAGAIN ? 0 : -1;
	for (i = 0; i < got; i++) {
		/* only the kernel (port 0) may answer */
		if (from[i].nl_pid != 0)
			continue;
		*left -= ipvs_note_acks(slot[i], (int)(mm[i].msg_len <
		    sizeof(slot[i]) ? mm[i].msg_len : sizeof(slot[i])),
		    first, n, errs);
	}
	return got;
}

/* Wait until an answer is queued: 0, or -1 with errno (ETIMEDOUT). */
static int
ipvs_wait(int wait_ms)
{
	struct pollfd	 pfd;
	int		 r;

	pfd.fd = ipvs_fd;
	pfd.events = POLLIN;
	while ((r = poll(&pfd, 1, wait_ms)) == -1 && errno == EINTR)
		;
	if (r == 0)
		errno = ETIMEDOUT;
	return r > 0 ? 0 : -1;
}

/*
 * Take the acknowledgements of requests first .. first+n-1 into errs
 * (0 or an errno); a lost one counts as ENOBUFS.  They are queued by
 * the time the requests' sendmsg returns, so one recvmmsg takes them
 * all: one system call per batch, not one per request.
 */
static void
ipvs_collect(uint32_t first, size_t n, int *errs)
{
	size_t	 i, left = n;
	int	 got, lost = 0, waited = 0;

	for (i = 0; i < n; i++)
		errs[i] = -1;
	while (left > 0) {
		if ((got = ipvs_recv_acks(first, n, errs, &left)) == -1) {
			if (errno == ENOBUFS) {
				lost = 1;
				continue;
			}
			log_warn("%s: recvmmsg", __func__);
			break;
		}
		if (got > 0) {
			waited = 0;
			continue;
		}
		/* none queued: lost to a full buffer, or late (a kernel bug) */
		if (lost || waited || ipvs_wait(IPVS_WAIT_MS) == -1)
			break;
		waited = 1;
	}
	for (i = 0; i < n; i++)
		if (errs[i] == -1)
			errs[i] = ENOBUFS;
}

/*
 * Send the operations in batches; errs[i] is 0 when the kernel accepted
 * ops[i], else its errno.
 */
void
ipvs_apply(const struct plan_op *ops, size_t nops, int *errs)
{
	struct nl_msg	*m[IPVS_BATCH];
	size_t		 i, j, n;
	uint32_t	 first;

	for (i = 0; i < nops; i += n) {
		n = nops - i < IPVS_BATCH ? nops - i : IPVS_BATCH;
		first = ipvs_seq + 1;
		for (j = 0; j < n; j++)
			m[j] = ipvs_op_msg(&ops[i + j]);
		if (ipvs_send(m, n) == -1) {
			log_warn("%s: sendmsg", __func__);
			for (j = 0; j < n; j++)
				errs[i + j] = errno;
		} else
			ipvs_collect(first, n, errs + i);
		for (j = 0; j < n; j++)
			nlmsg_free(m[j]);
	}
}

/*
 * Send a request and feed every answer to parse, until the end: DONE
 * for a dump, the acknowledgement for a request that asked for one.
 * -1 with errno on failure; EAGAIN if the table changed during a dump.
 */
static int
ipvs_dump(struct nl_msg *m, ipvs_parse_fn parse, void *arg)
{
	struct nlmsghdr	*h;
	uint32_t	 seq = nlmsg_hdr(m)->nlmsg_seq;
	ssize_t		 len;
	int		 rem, intr = 0, r;

	r = ipvs_send(&m, 1);
	nlmsg_free(m);
	if (r == -1)
		return -1;
	for (;;) {
		if ((len = ipvs_recv(IPVS_WAIT_MS)) == -1)
			return -1;
		rem = len;
		for (h = &ipvs_in.hdr; nlmsg_ok(h, rem);
		    h = nlmsg_next(h, &rem)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = 1;
			if (h->nlmsg_type == NLMSG_DONE) {
				errno = EAGAIN;
				return intr ? -1 : 0;
			}
			if (h->nlmsg_type == NLMSG_ERROR)
				return (errno = ipvs_nlerr(h)) == 0 ? 0 : -1;
			if (h->nlmsg_type == ipvs_family &&
			    parse(h, arg) == -1)
				log_debug("%s: skipped an entry the kernel "
				    "sent that ipvsd cannot read", __func__);
		}
	}
}

static void
ipvs_get_addr(struct addr *a, int af, struct nlattr *attr)
{
	memset(a, 0, sizeof(*a));
	a->a_af = af;
	nla_memcpy(a->a_u.raw, attr,
	    af == AF_INET ? sizeof(a->a_u.v4) : sizeof(a->a_u.v6));
}

static int
ipvs_parse_service_attrs(struct nlattr *nest, struct ipvs_service *vs)
{
	struct nlattr		*a[IPVS_SVC_ATTR_MAX + 1];
	struct ip_vs_flags	 fl;
	int			 af;

	memset(vs, 0, sizeof(*vs));
	if (nest == NULL || nla_parse_nested(a, IPVS_SVC_ATTR_MAX, nest,
	    ipvs_svc_policy) < 0 || a[IPVS_SVC_ATTR_AF] == NULL ||
	    a[IPVS_SVC_ATTR_SCHED_NAME] == NULL ||
	    a[IPVS_SVC_ATTR_FLAGS] == NULL ||
	    a[IPVS_SVC_ATTR_TIMEOUT] == NULL ||
	    a[IPVS_SVC_ATTR_NETMASK] == NULL)
		return -1;
	af = nla_get_u16(a[IPVS_SVC_ATTR_AF]);
	if (af != AF_INET && af != AF_INET6)
		return -1;
	vs->vs_addr.a_af = af;
	if (a[IPVS_SVC_ATTR_FWMARK] != NULL)
		vs->vs_fwmark = nla_get_u32(a[IPVS_SVC_ATTR_FWMARK]);
	else if (a[IPVS_SVC_ATTR_PROTOCOL] == NULL ||
	    a[IPVS_SVC_ATTR_ADDR] == NULL || a[IPVS_SVC_ATTR_PORT] == NULL)
		return -1;
	else {
		vs->vs_proto = nla_get_u16(a[IPVS_SVC_ATTR_PROTOCOL]);
		ipvs_get_addr(&vs->vs_addr, af, a[IPVS_SVC_ATTR_ADDR]);
		vs->vs_port = ntohs(nla_get_u16(a[IPVS_SVC_ATTR_PORT]));
	}
	nla_strlcpy(vs->vs_sched, a[IPVS_SVC_ATTR_SCHED_NAME],
	    sizeof(vs->vs_sched));
	nla_memcpy(&fl, a[IPVS_SVC_ATTR_FLAGS], sizeof(fl));
	vs->vs_flags = fl.flags & ~IP_VS_SVC_F_HASHED;
	vs->vs_timeout = nla_get_u32(a[IPVS_SVC_ATTR_TIMEOUT]);
	vs->vs_netmask = nla_get_u32(a[IPVS_SVC_ATTR_NETMASK]);
	return 0;
}

struct ipvs_dump_arg {
	ipvs_service_cb		 da_scb;
	ipvs_dest_cb		 da_dcb;
	void			*da_arg;
	int			 da_af;		/* the service's, for dests */
};

static int
ipvs_parse_service(struct nlmsghdr *h, void *arg)
{
	struct ipvs_dump_arg	*da = arg;
	struct nlattr		*a[IPVS_CMD_ATTR_MAX + 1];
	struct ipvs_service	 vs;

	if (genlmsg_parse(h, 0, a, IPVS_CMD_ATTR_MAX, ipvs_cmd_policy) < 0 ||
	    ipvs_parse_service_attrs(a[IPVS_CMD_ATTR_SERVICE], &vs) == -1)
		return -1;
	da->da_scb(&vs, da->da_arg);
	return 0;
}

/* Every service in the kernel, to cb. */
int
ipvs_dump_services(ipvs_service_cb cb, void *arg)
{
	struct ipvs_dump_arg	 da;

	memset(&da, 0, sizeof(da));
	da.da_scb = cb;
	da.da_arg = arg;
	return ipvs_dump(ipvs_msg(IPVS_CMD_GET_SERVICE, NLM_F_DUMP),
	    ipvs_parse_service, &da);
}

static void
ipvs_got_service(const struct ipvs_service *vs, void *arg)
{
	struct ipvs_service	*out = arg;

	*out = *vs;
}

/*
 * Service vs as the kernel has it, into *out: 1, or 0 if the kernel has
 * no such service, or -1 with errno.
 */
int
ipvs_get_service(const struct ipvs_service *vs, struct ipvs_service *out)
{
	struct ipvs_dump_arg	 da;
	struct nl_msg		*m;

	memset(&da, 0, sizeof(da));
	memset(out, 0, sizeof(*out));
	da.da_scb = ipvs_got_service;
	da.da_arg = out;
	m = ipvs_msg(IPVS_CMD_GET_SERVICE, NLM_F_ACK);
	ipvs_put_service(m, vs, 0);
	if (ipvs_dump(m, ipvs_parse_service, &da) == -1)
		return errno == ESRCH ? 0 : -1;
	/* an answer the parser refused leaves no family */
	if (out->vs_addr.a_af == 0) {
		errno = EIO;
		return -1;
	}
	return 1;
}

static int
ipvs_parse_dest(struct nlmsghdr *h, void *arg)
{
	struct ipvs_dump_arg	*da = arg;
	struct nlattr		*c[IPVS_CMD_ATTR_MAX + 1];
	struct nlattr		*a[IPVS_DEST_ATTR_MAX + 1];
	struct ipvs_dest	 rd;
	int			 af = da->da_af;

	if (genlmsg_parse(h, 0, c, IPVS_CMD_ATTR_MAX, ipvs_cmd_policy) < 0 ||
	    c[IPVS_CMD_ATTR_DEST] == NULL ||
	    nla_parse_nested(a, IPVS_DEST_ATTR_MAX, c[IPVS_CMD_ATTR_DEST],
	    ipvs_dest_policy) < 0 || a[IPVS_DEST_ATTR_ADDR] == NULL ||
	    a[IPVS_DEST_ATTR_PORT] == NULL ||
	    a[IPVS_DEST_ATTR_FWD_METHOD] == NULL ||
	    a[IPVS_DEST_ATTR_WEIGHT] == NULL ||
	    a[IPVS_DEST_ATTR_U_THRESH] == NULL ||
	    a[IPVS_DEST_ATTR_L_THRESH] == NULL)
		return -1;
	/* older kernels have no family per dest: the service's then */
	if (a[IPVS_DEST_ATTR_ADDR_FAMILY] != NULL)
		af = nla_get_u16(a[IPVS_DEST_ATTR_ADDR_FAMILY]);
	if (af != AF_INET && af != AF_INET6)
		return -1;
	memset(&rd, 0, sizeof(rd));
	ipvs_get_addr(&rd.rd_addr, af, a[IPVS_DEST_ATTR_ADDR]);
	rd.rd_port = ntohs(nla_get_u16(a[IPVS_DEST_ATTR_PORT]));
	rd.rd_fwd = nla_get_u32(a[IPVS_DEST_ATTR_FWD_METHOD]) &
	    IP_VS_CONN_F_FWD_MASK;
	rd.rd_weight = nla_get_u32(a[IPVS_DEST_ATTR_WEIGHT]);
	rd.rd_uthresh = nla_get_u32(a[IPVS_DEST_ATTR_U_THRESH]);
	rd.rd_lthresh = nla_get_u32(a[IPVS_DEST_ATTR_L_THRESH]);
	da->da_dcb(&rd, da->da_arg);
	return 0;
}

/* Every dest of service vs, to cb. */
int
ipvs_dump_dests(const struct ipvs_service *vs, ipvs_dest_cb cb, void *arg)
{
	struct ipvs_dump_arg	 da;
	struct nl_msg		*m;

	memset(&da, 0, sizeof(da));
	da.da_dcb = cb;
	da.da_arg = arg;
	da.da_af = vs->vs_addr.a_af;
	m = ipvs_msg(IPVS_CMD_GET_DEST, NLM_F_DUMP);
	ipvs_put_service(m, vs, 0);
	return ipvs_dump(m, ipvs_parse_dest, &da);
}

/*
 * The kernel's defaults, for the attributes that kernels before 4.3 do
 * not report: they had no other values.
 */
static void
ipvs_daemon_defaults(struct ipvs_daemon *d)
{
	d->dm_port = 8848;
	d->dm_ttl = 1;
	d->dm_group.a_af = AF_INET;
	d->dm_group.a_u.v4.s_addr = htonl(0xe0000051);	/* 224.0.0.81 */
}

static int
ipvs_parse_daemon(struct nlmsghdr *h, void *arg)
{
	struct sync_set		*ss = arg;
	struct nlattr		*c[IPVS_CMD_ATTR_MAX + 1];
	struct nlattr		*a[IPVS_DAEMON_ATTR_MAX + 1];
	struct ipvs_daemon	 d;
	int			 slot;

	if (genlmsg_parse(h, 0, c, IPVS_CMD_ATTR_MAX, ipvs_cmd_policy) < 0 ||
	    c[IPVS_CMD_ATTR_DAEMON] == NULL ||
	    nla_parse_nested(a, IPVS_DAEMON_ATTR_MAX, c[IPVS_CMD_ATTR_DAEMON],
	    ipvs_daemon_policy) < 0 || a[IPVS_DAEMON_ATTR_STATE] == NULL ||
	    a[IPVS_DAEMON_ATTR_MCAST_IFN] == NULL ||
	    a[IPVS_DAEMON_ATTR_SYNC_ID] == NULL)
		return -1;
	memset(&d, 0, sizeof(d));
	ipvs_daemon_defaults(&d);
	d.dm_state = nla_get_u32(a[IPVS_DAEMON_ATTR_STATE]);
	if ((slot = sync_slot(d.dm_state)) == -1)
		return -1;
	nla_strlcpy(d.dm_ifname, a[IPVS_DAEMON_ATTR_MCAST_IFN],
	    sizeof(d.dm_ifname));
	d.dm_syncid = nla_get_u32(a[IPVS_DAEMON_ATTR_SYNC_ID]);
	if (a[IPVS_DAEMON_ATTR_SYNC_MAXLEN] != NULL)
		d.dm_maxlen = nla_get_u16(a[IPVS_DAEMON_ATTR_SYNC_MAXLEN]);
	if (a[IPVS_DAEMON_ATTR_MCAST_PORT] != NULL)
		d.dm_port = nla_get_u16(a[IPVS_DAEMON_ATTR_MCAST_PORT]);
	if (a[IPVS_DAEMON_ATTR_MCAST_TTL] != NULL)
		d.dm_ttl = nla_get_u8(a[IPVS_DAEMON_ATTR_MCAST_TTL]);
	if (a[IPVS_DAEMON_ATTR_MCAST_GROUP6] != NULL)
		ipvs_get_addr(&d.dm_group, AF_INET6,
		    a[IPVS_DAEMON_ATTR_MCAST_GROUP6]);
	else if (a[IPVS_DAEMON_ATTR_MCAST_GROUP] != NULL)
		ipvs_get_addr(&d.dm_group, AF_INET,
		    a[IPVS_DAEMON_ATTR_MCAST_GROUP]);
	ss->ss_has[slot] = 1;
	ss->ss_d[slot] = d;
	return 0;
}

/* The sync daemons the kernel runs, into ss. */
int
ipvs_dump_daemons(struct sync_set *ss)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_named = 1;
	return ipvs_dump(ipvs_msg(IPVS_CMD_GET_DAEMON, NLM_F_DUMP),
	    ipvs_parse_daemon, ss);
}

static struct nl_msg *
ipvs_daemon_msg(const struct sync_op *op)
{
	const struct ipvs_daemon *d = &op->so_d;
	struct nl_msg		*m;
	struct nlattr		*n;
	int			 r;

	m = ipvs_msg(op->so_cmd == SYNC_NEW ? IPVS_CMD_NEW_DAEMON :
	    IPVS_CMD_DEL_DAEMON, NLM_F_ACK);
	if ((n = nla_nest_start(m, IPVS_CMD_ATTR_DAEMON)) == NULL)
		fatalx("%s: no room", __func__);
	r = nla_put_u32(m, IPVS_DAEMON_ATTR_STATE, d->dm_state);
	if (op->so_cmd == SYNC_NEW) {
		r |= nla_put_string(m, IPVS_DAEMON_ATTR_MCAST_IFN,
		    d->dm_ifname);
		r |= nla_put_u32(m, IPVS_DAEMON_ATTR_SYNC_ID, d->dm_syncid);
		if (d->dm_maxlen != 0)
			r |= nla_put_u16(m, IPVS_DAEMON_ATTR_SYNC_MAXLEN,
			    d->dm_maxlen);
		if (d->dm_group.a_af == AF_INET6)
			r |= nla_put(m, IPVS_DAEMON_ATTR_MCAST_GROUP6,
			    sizeof(d->dm_group.a_u.v6), &d->dm_group.a_u.v6);
		else
			r |= nla_put(m, IPVS_DAEMON_ATTR_MCAST_GROUP,
			    sizeof(d->dm_group.a_u.v4), &d->dm_group.a_u.v4);
		/* the kernel keeps the port in host order */
		r |= nla_put_u16(m, IPVS_DAEMON_ATTR_MCAST_PORT, d->dm_port);
		r |= nla_put_u8(m, IPVS_DAEMON_ATTR_MCAST_TTL, d->dm_ttl);
	}
	if (r != 0)
		fatalx("%s: no room", __func__);
	nla_nest_end(m, n);
	return m;
}

/* Start and stop sync daemons; errs[i] is 0 or the kernel's errno. */
void
ipvs_sync_apply(const struct sync_op *ops, size_t nops, int *errs)
{
	struct nl_msg	*m[SYNC_OPS_MAX];
	size_t		 i;
	uint32_t	 first = ipvs_seq + 1;

	if (nops == 0 || nops > SYNC_OPS_MAX)
		return;
	for (i = 0; i < nops; i++)
		m[i] = ipvs_daemon_msg(&ops[i]);
	if (ipvs_send(m, nops) == -1) {
		log_warn("%s: sendmsg", __func__);
		for (i = 0; i < nops; i++)
			errs[i] = errno;
	} else
		ipvs_collect(first, nops, errs);
	for (i = 0; i < nops; i++)
		nlmsg_free(m[i]);
}

/*
 * ipvsd-driver: plays the parent and the checker for lvsd-ipvsd in the
 * integration tests (tests/integration/2*-ipvsd*.t).
 *
 *	ipvsd-driver IPVSD [ARG ...]
 *
 * It starts IPVSD with its channel on descriptor 3, reads commands from
 * stdin, one a line, and prints what ipvsd says on stdout, one line each,
 * so that a test can wait for a line.
 *
 * Commands:
 *	service PROTO ADDR PORT [KEY=VALUE ...]
 *		stage a SERVICE (ids in staging order); PROTO tcp, udp or
 *		fwm (then PORT is the mark); KEYs: sched, quiescent (0/1),
 *		persistent, netmask, fallback (ADDR:PORT or [ADDR]:PORT),
 *		fbfwd (gate, masq, ipip), cleanstop (0/1, default 1),
 *		readd (0/1), flags (MSG_SVC_* bits)
 *	dest SERVICE ADDR PORT [KEY=VALUE ...]
 *		stage a DEST of service id SERVICE; KEYs: fwd, weight, u, l
 *	clear		forget every staged item
 *	conf GEN	CONF_BEGIN, the staged items, CONF_END
 *	peer		a new checker channel (PEER); the old one is closed
 *	state GEN ID up|down	a STATE on the checker channel
 *	badstate GEN LEN ID UP	a STATE record of LEN payload bytes
 *	peerrec TYPE GEN MHLEN NBYTES [ID [UP [PAD]]]
 *		any record on the checker channel: a header of TYPE, GEN and
 *		MHLEN, then NBYTES of payload (up to MSG_MAX + 1024), zero
 *		but for a STATE's fields laid at their offsets; "ok" for
 *		MHLEN or NBYTES is TYPE's own payload length; a negative
 *		NBYTES cuts the header short by that many bytes
 *	peerpack GEN up|down N [short|TYPE]
 *		N STATEs for ids 0..N-1 packed in one datagram, as the
 *		checker's channel packs them; then, if given, the last one
 *		cut a byte short, or a record of TYPE (its own length,
 *		zeroed) after them
 *	statefd GEN ID up|down	a STATE with a descriptor passed along
 *	flood GEN N NIDS	N STATEs round robin over ids 0..NIDS-1;
 *		round r (message i, r = i / NIDS) says up when r is even
 *	ping SEQ | shutdown CLEANSTOP | raw TYPE (zeroed payload)
 *	quit		close the channel to ipvsd, wait for it to exit
 * Output:
 *	pid PID | ready | pong SEQ | log TEXT | snapshot GEN | peer closed
 *	flooded N
 *	applied GEN NSERVICES NDESTS NOPS NERRORS
 *	exit CODE | killed SIGNAL-NAME		(then the driver exits 0)
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "msg.h"

/* Items one conf command can send: enough for a large test table. */
#define DRV_MAX_ITEMS	16384

static struct msg_service drv_services[DRV_MAX_ITEMS];
static struct msg_dest	 drv_dests[DRV_MAX_ITEMS];
static uint32_t		 drv_nservices, drv_ndests;
static int		 drv_parent = -1, drv_peer = -1;
static pid_t		 drv_pid;

static int	drv_read(int);
static void	drv_peer_bytes(const void *, size_t, const char *);
static void	drv_reap(void) __attribute__((noreturn));

static void
drv_nonblock(int fd)
{
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1)
		err(1, "fcntl");
}

/*
 * Wait for room on fd, reading what ipvsd says meanwhile: ipvsd may be
 * waiting for room on its own channel to log, as it would with the parent.
 */
static void
drv_wait_room(int fd)
{
	struct pollfd	 pfd[3];

	pfd[0].fd = fd;
	pfd[0].events = POLLOUT;
	pfd[1].fd = drv_parent;
	pfd[2].fd = drv_peer;
	pfd[1].events = pfd[2].events = POLLIN;
	if (poll(pfd, 3, -1) == -1 && errno != EINTR)
		err(1, "poll");
	if ((pfd[1].revents & (POLLIN | POLLHUP)) && !drv_read(drv_parent))
		drv_reap();
	if (pfd[2].revents & POLLIN)
		(void)drv_read(drv_peer);
}

static int
drv_send(int fd, enum msg_type type, uint32_t gen, const void *p,
    size_t len, int passfd)
{
	if (fd == -1) {
		printf("error cannot send %s: no channel\n",
		    msg_type_name(type));
		return -1;
	}
	while (msg_send_raw(fd, type, gen, p, len, passfd) == -1) {
		if (errno != EAGAIN && errno != EINTR) {
			printf("error cannot send %s: %s\n",
			    msg_type_name(type), strerror(errno));
			return -1;
		}
		drv_wait_room(fd);
	}
	return 0;
}

static void
drv_start(char **argv)
{
	char	*envp[] = { NULL };
	int	 sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	if ((drv_pid = fork()) == -1)
		err(1, "fork");
	if (drv_pid == 0) {
		if (sv[1] != MSG_PARENT_FD &&
		    dup2(sv[1], MSG_PARENT_FD) == -1)
			err(127, "dup2");
		if (fcntl(MSG_PARENT_FD, F_SETFD, 0) == -1)
			err(127, "fcntl");
		execve(argv[0], argv, envp);
		err(127, "execve %s", argv[0]);
	}
	close(sv[1]);
	drv_parent = sv[0];
	drv_nonblock(drv_parent);
	printf("pid %d\n", (int)drv_pid);
}

static void
drv_reap(void)
{
	int	 status;

	if (waitpid(drv_pid, &status, 0) == -1)
		err(1, "waitpid");
	if (WIFSIGNALED(status))
		printf("killed %s\n", sigabbrev_np(WTERMSIG(status)) != NULL ?
		    sigabbrev_np(WTERMSIG(status)) : "?");
	else
		printf("exit %d\n", WEXITSTATUS(status));
	exit(0);
}

static void
drv_print(const struct msg_hdr *h, const void *p)
{
	struct msg_applied	 ap;
	struct msg_log		 lg;
	struct msg_ping		 pg;

	switch (h->mh_type) {
	case MSG_READY:
		printf("ready\n");
		break;
	case MSG_APPLIED:
		memcpy(&ap, p, sizeof(ap));
		printf("applied %u %u %u %u %u\n", h->mh_gen, ap.ap_nservices,
		    ap.ap_ndests, ap.ap_nops, ap.ap_nerrors);
		break;
	case MSG_PONG:
		memcpy(&pg, p, sizeof(pg));
		printf("pong %llu\n", (unsigned long long)pg.pg_seq);
		break;
	case MSG_LOG:
		memcpy(&lg, p, sizeof(lg));
		lg.lg_text[sizeof(lg.lg_text) - 1] = '\0';
		printf("log %s\n", lg.lg_text);
		break;
	case MSG_SNAPSHOT_REQUEST:
		printf("snapshot %u\n", h->mh_gen);
		break;
	default:
		printf("error unexpected %s\n", msg_type_name(h->mh_type));
		break;
	}
}

/* One datagram from fd, if one is there, and its records; 0 at EOF. */
static int
drv_read(int fd)
{
	unsigned char		 in[MSG_MAX];
	union msg_record	 rec;
	ssize_t			 n;
	size_t			 off = 0;
	int			 r;

	/*
	 * ECONNRESET: ipvsd closed with our records unread.  The kernel
	 * reports that before the records it sent last, which are still
	 * queued: read on.
	 */
	while ((n = recv(fd, in, sizeof(in), 0)) == -1)
		if (errno == EAGAIN)
			return 1;
		else if (errno != ECONNRESET && errno != EINTR)
			err(1, "recv");
	if (n == 0)
		return 0;
	while ((r = msg_unpack(in, n, &off, &rec)) == 1)
		drv_print(&rec.hdr, rec.buf + sizeof(rec.hdr));
	if (r == -1)
		printf("error malformed record at byte %zu of %zd\n", off, n);
	return 1;
}

static int
drv_fwd(const char *s)
{
	if (strcmp(s, "gate") == 0)
		return FWD_GATE;
	if (strcmp(s, "masq") == 0)
		return FWD_MASQ;
	if (strcmp(s, "ipip") == 0)
		return FWD_IPIP;
	return strtoul(s, NULL, 0);
}

/* "ADDR:PORT" or "[ADDR]:PORT" */
static void
drv_addr_port(char *s, struct addr *a, uint16_t *port)
{
	char	*p;

	if ((p = strrchr(s, ':')) == NULL)
		errx(1, "bad address:port %s", s);
	*p++ = '\0';
	*port = strtoul(p, NULL, 0);
	if (*s == '[') {
		s++;
		s[strlen(s) - 1] = '\0';
	}
	if (addr_parse(s, AF_UNSPEC, a) == -1)
		errx(1, "bad address %s", s);
}

static void
drv_service_option(struct msg_service *sv, char *kv)
{
	char	*v;

	if ((v = strchr(kv, '=')) == NULL)
		errx(1, "bad option %s", kv);
	*v++ = '\0';
	if (strcmp(kv, "sched") == 0)
		strlcpy(sv->sv_sched, v, sizeof(sv->sv_sched));
	else if (strcmp(kv, "quiescent") == 0)
		sv->sv_quiescent = strtoul(v, NULL, 0);
	else if (strcmp(kv, "persistent") == 0)
		sv->sv_persistent = strtoul(v, NULL, 0);
	else if (strcmp(kv, "netmask") == 0)
		sv->sv_netmask = strtoul(v, NULL, 0);
	else if (strcmp(kv, "fallback") == 0) {
		sv->sv_has_fallback = 1;
		drv_addr_port(v, &sv->sv_fb_addr, &sv->sv_fb_port);
	} else if (strcmp(kv, "fbfwd") == 0)
		sv->sv_fb_fwd = drv_fwd(v);
	else
		errx(1, "bad option %s", kv);
}

static void
drv_service(char *args)
{
	struct msg_service	*sv;
	char			*proto, *addr, *port, *kv;

	if (drv_nservices == DRV_MAX_ITEMS)
		errx(1, "too many services");
	sv = &drv_services[drv_nservices];
	memset(sv, 0, sizeof(*sv));
	proto = strsep(&args, " ");
	addr = strsep(&args, " ");
	port = strsep(&args, " ");
	if (port == NULL || addr_parse(addr, AF_UNSPEC, &sv->sv_addr) == -1)
		errx(1, "bad service command");
	sv->sv_id = drv_nservices;
	strlcpy(sv->sv_sched, "wrr", sizeof(sv->sv_sched));
	sv->sv_fb_fwd = FWD_GATE;
	/* as the parent sends it with cleanstop=yes, ldirectord's default */
	sv->sv_cleanstop = 1;
	if (strcmp(proto, "fwm") == 0) {
		sv->sv_proto = PROTO_FWM;
		sv->sv_fwmark = strtoul(port, NULL, 0);
		memset(&sv->sv_addr.a_u, 0, sizeof(sv->sv_addr.a_u));
	} else {
		sv->sv_proto = strcmp(proto, "udp") == 0 ? PROTO_UDP :
		    PROTO_TCP;
		sv->sv_port = strtoul(port, NULL, 0);
	}
	while ((kv = strsep(&args, " ")) != NULL)
		if (*kv != '\0')
			drv_service_option(sv, kv);
	drv_nservices++;
}

static void
drv_dest(char *args)
{
	struct msg_dest	*ds;
	char		*svc, *addr, *port, *kv, *v;

	if (drv_ndests == DRV_MAX_ITEMS)
		errx(1, "too many dests");
	ds = &drv_dests[drv_ndests];
	memset(ds, 0, sizeof(*ds));
	svc = strsep(&args, " ");
	addr = strsep(&args, " ");
	port = strsep(&args, " ");
	if (port == NULL || addr_parse(addr, AF_UNSPEC, &ds->ds_addr) == -1)
		errx(1, "bad dest command");
	ds->ds_id = drv_ndests;
	ds->ds_service = strtoul(svc, NULL, 0);
	ds->ds_port = strtoul(port, NULL, 0);
	ds->ds_fwd = FWD_MASQ;
	ds->ds_weight = 1;
	while ((kv = strsep(&args, " ")) != NULL) {
		if (*kv == '\0')
			continue;
		if ((v = strchr(kv, '=')) == NULL)
			errx(1, "bad option %s", kv);
		*v++ = '\0';
		if (strcmp(kv, "fwd") == 0)
			ds->ds_fwd = drv_fwd(v);
		else if (strcmp(kv, "weight") == 0)
			ds->ds_weight = strtoul(v, NULL, 0);
		else if (strcmp(kv, "u") == 0)
			ds->ds_uthresh = strtoul(v, NULL, 0);
		else if (strcmp(kv, "l") == 0)
			ds->ds_lthresh = strtoul(v, NULL, 0);
		else if (strcmp(kv, "fixed") == 0)
			ds->ds_fixed = strcmp(v, "up") == 0 ? FIXED_UP :
			    strcmp(v, "down") == 0 ? FIXED_DOWN : FIXED_MAX;
		else
			errx(1, "bad option %s", kv);
	}
	drv_ndests++;
}

static void
drv_conf(char *args)
{
	struct msg_conf_begin	 cb;
	uint32_t		 gen, i;

	gen = strtoul(args, NULL, 0);
	memset(&cb, 0, sizeof(cb));
	cb.cb_nservices = drv_nservices;
	cb.cb_ndests = drv_ndests;
	drv_send(drv_parent, MSG_CONF_BEGIN, gen, &cb, sizeof(cb), -1);
	for (i = 0; i < drv_nservices; i++)
		drv_send(drv_parent, MSG_SERVICE, gen, &drv_services[i],
		    sizeof(drv_services[i]), -1);
	for (i = 0; i < drv_ndests; i++)
		drv_send(drv_parent, MSG_DEST, gen, &drv_dests[i],
		    sizeof(drv_dests[i]), -1);
	drv_send(drv_parent, MSG_CONF_END, gen, NULL, 0, -1);
}

static void
drv_new_peer(void)
{
	int	 sv[2];

	if (drv_peer != -1)
		close(drv_peer);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	drv_peer = sv[0];
	drv_nonblock(drv_peer);
	/* msg_send_raw passes the descriptor; the driver's copy goes */
	drv_send(drv_parent, MSG_PEER, 0, NULL, 0, sv[1]);
	close(sv[1]);
}

static void
drv_state(char *args)
{
	struct msg_state	 st;
	char			*gen, *id, *up;

	gen = strsep(&args, " ");
	id = strsep(&args, " ");
	up = strsep(&args, " ");
	if (up == NULL)
		errx(1, "state GEN ID up|down");
	memset(&st, 0, sizeof(st));
	st.st_id = strtoul(id, NULL, 0);
	st.st_up = strcmp(up, "up") == 0 ? STATE_UP : STATE_DOWN;
	drv_send(drv_peer, MSG_STATE, strtoul(gen, NULL, 0), &st,
	    sizeof(st), -1);
}

/* A STATE record with any payload length, past msg_send_raw's checks. */
static void
drv_badstate(char *args)
{
	unsigned char		 buf[64];
	struct msg_hdr		 h;
	struct msg_state	 st;
	size_t			 len;

	memset(buf, 0, sizeof(buf));
	memset(&h, 0, sizeof(h));
	memset(&st, 0, sizeof(st));
	h.mh_type = MSG_STATE;
	h.mh_gen = strtoul(strsep(&args, " "), NULL, 0);
	len = args != NULL ? strtoul(strsep(&args, " "), NULL, 0) : 0;
	if (args == NULL || len > sizeof(buf) - sizeof(h))
		errx(1, "badstate GEN LEN ID UP");
	st.st_id = strtoul(strsep(&args, " "), NULL, 0);
	st.st_up = args != NULL ? strtoul(args, NULL, 0) : 0;
	h.mh_len = len;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), &st, len < sizeof(st) ? len : sizeof(st));
	drv_peer_bytes(buf, sizeof(h) + len, "the bad STATE");
}

/* Send len bytes on the checker channel, waiting for room as needed. */
static void
drv_peer_bytes(const void *buf, size_t len, const char *what)
{
	if (drv_peer == -1) {
		printf("error cannot send %s: no channel\n", what);
		return;
	}
	while (send(drv_peer, buf, len, MSG_NOSIGNAL) == -1) {
		if (errno != EAGAIN && errno != EINTR) {
			printf("error cannot send %s: %s\n", what,
			    strerror(errno));
			return;
		}
		drv_wait_room(drv_peer);
	}
}

/* What a compromised checker could send: any header, any length. */
static void
drv_peerrec(char *args)
{
	static unsigned char	 buf[MSG_MAX + 1024];
	struct msg_hdr		 h;
	struct msg_state	 st;
	char			*f[7];
	size_t			 i, own;
	long			 n;

	for (i = 0; i < 7; i++)
		f[i] = strsep(&args, " ");
	if (f[3] == NULL)
		errx(1, "peerrec TYPE GEN MHLEN NBYTES [ID [UP [PAD]]]");
	memset(buf, 0, sizeof(buf));
	memset(&h, 0, sizeof(h));
	memset(&st, 0, sizeof(st));
	h.mh_type = strtoul(f[0], NULL, 0);
	h.mh_gen = strtoul(f[1], NULL, 0);
	if ((own = msg_payload_len(h.mh_type)) == SIZE_MAX)
		own = 0;
	h.mh_len = strcmp(f[2], "ok") == 0 ? own : strtoul(f[2], NULL, 0);
	n = strcmp(f[3], "ok") == 0 ? (long)own : strtol(f[3], NULL, 0);
	if (n < -(long)sizeof(h) || n > (long)(sizeof(buf) - sizeof(h)))
		errx(1, "peerrec: NBYTES out of range");
	st.st_id = f[4] != NULL ? strtoul(f[4], NULL, 0) : 0;
	st.st_up = f[5] != NULL ? strtoul(f[5], NULL, 0) : 0;
	st.st_pad[0] = f[6] != NULL ? strtoul(f[6], NULL, 0) : 0;
	memcpy(buf, &h, sizeof(h));
	if (n > 0)
		memcpy(buf + sizeof(h), &st, (size_t)n < sizeof(st) ?
		    (size_t)n : sizeof(st));
	drv_peer_bytes(buf, (size_t)((long)sizeof(h) + n), "the record");
}

/* One record at buf: a header of type, gen and its own length, payload. */
static size_t
drv_put_record(unsigned char *buf, uint16_t type, uint32_t gen,
    const void *payload)
{
	struct msg_hdr	 h;

	memset(&h, 0, sizeof(h));
	h.mh_type = type;
	h.mh_gen = gen;
	h.mh_len = msg_payload_len(type);
	memcpy(buf, &h, sizeof(h));
	if (payload != NULL)
		memcpy(buf + sizeof(h), payload, h.mh_len);
	else
		memset(buf + sizeof(h), 0, h.mh_len);
	return sizeof(h) + h.mh_len;
}

static void
drv_peerpack(char *args)
{
	static unsigned char	 buf[MSG_MAX];
	struct msg_state	 st;
	char			*gen, *up, *n, *last;
	size_t			 len = 0, rec = sizeof(struct msg_hdr) + sizeof(st);
	uint32_t		 i, g;

	gen = strsep(&args, " ");
	up = strsep(&args, " ");
	n = strsep(&args, " ");
	last = strsep(&args, " ");
	if (n == NULL || (strtoul(n, NULL, 0) + 1) * rec + MSG_MAX / 2 >
	    sizeof(buf))
		errx(1, "peerpack GEN up|down N [short|TYPE]");
	g = strtoul(gen, NULL, 0);
	memset(&st, 0, sizeof(st));
	st.st_up = strcmp(up, "up") == 0 ? STATE_UP : STATE_DOWN;
	for (i = 0; i < strtoul(n, NULL, 0); i++) {
		st.st_id = i;
		len += drv_put_record(buf + len, MSG_STATE, g, &st);
	}
	if (last != NULL && strcmp(last, "short") == 0)
		len--;
	else if (last != NULL) {
		if (msg_payload_len(strtoul(last, NULL, 0)) > MSG_MAX / 4)
			errx(1, "peerpack: type %s is not a small one", last);
		len += drv_put_record(buf + len, strtoul(last, NULL, 0), g,
		    NULL);
	}
	drv_peer_bytes(buf, len, "the packed STATEs");
}

static void
drv_statefd(char *args)
{
	struct msg_state	 st;
	char			*gen, *id, *up;
	int			 fd;

	gen = strsep(&args, " ");
	id = strsep(&args, " ");
	up = strsep(&args, " ");
	if (up == NULL)
		errx(1, "statefd GEN ID up|down");
	if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "/dev/null");
	memset(&st, 0, sizeof(st));
	st.st_id = strtoul(id, NULL, 0);
	st.st_up = strcmp(up, "up") == 0 ? STATE_UP : STATE_DOWN;
	drv_send(drv_peer, MSG_STATE, strtoul(gen, NULL, 0), &st,
	    sizeof(st), fd);
	close(fd);
}

static void
drv_flood(char *args)
{
	struct msg_state	 st;
	unsigned long		 i, n, nids;
	uint32_t		 gen;

	gen = strtoul(strsep(&args, " "), NULL, 0);
	if (args == NULL)
		errx(1, "flood GEN N NIDS");
	n = strtoul(strsep(&args, " "), NULL, 0);
	if (args == NULL || (nids = strtoul(args, NULL, 0)) == 0)
		errx(1, "flood GEN N NIDS");
	memset(&st, 0, sizeof(st));
	for (i = 0; i < n; i++) {
		st.st_id = i % nids;
		st.st_up = (i / nids) % 2 == 0 ? STATE_UP : STATE_DOWN;
		if (drv_send(drv_peer, MSG_STATE, gen, &st, sizeof(st),
		    -1) == -1)
			break;
	}
	printf("flooded %lu\n", i);
}

static void
drv_raw(unsigned int type, uint32_t gen, const void *p)
{
	unsigned char	 zero[MSG_MAX];
	size_t		 len = msg_payload_len(type);

	memset(zero, 0, sizeof(zero));
	if (len == SIZE_MAX)
		len = 0;
	drv_send(drv_parent, type, gen, p != NULL ? p : zero, len, -1);
}

static void
drv_quit(void)
{
	shutdown(drv_parent, SHUT_WR);
	if (fcntl(drv_parent, F_SETFL, 0) == -1)
		err(1, "fcntl");
	/* print what it still says, until it exits */
	while (drv_read(drv_parent))
		;
	drv_reap();
}

static void
drv_command(char *line)
{
	struct msg_ping		 pg;
	struct msg_shutdown	 sd;
	char			*cmd;

	cmd = strsep(&line, " ");
	if (strcmp(cmd, "service") == 0 && line != NULL)
		drv_service(line);
	else if (strcmp(cmd, "dest") == 0 && line != NULL)
		drv_dest(line);
	else if (strcmp(cmd, "clear") == 0)
		drv_nservices = drv_ndests = 0;
	else if (strcmp(cmd, "conf") == 0 && line != NULL)
		drv_conf(line);
	else if (strcmp(cmd, "peer") == 0)
		drv_new_peer();
	else if (strcmp(cmd, "state") == 0 && line != NULL)
		drv_state(line);
	else if (strcmp(cmd, "badstate") == 0 && line != NULL)
		drv_badstate(line);
	else if (strcmp(cmd, "peerrec") == 0 && line != NULL)
		drv_peerrec(line);
	else if (strcmp(cmd, "peerpack") == 0 && line != NULL)
		drv_peerpack(line);
	else if (strcmp(cmd, "statefd") == 0 && line != NULL)
		drv_statefd(line);
	else if (strcmp(cmd, "flood") == 0 && line != NULL)
		drv_flood(line);
	else if (strcmp(cmd, "ping") == 0 && line != NULL) {
		memset(&pg, 0, sizeof(pg));
		pg.pg_seq = strtoull(line, NULL, 0);
		drv_raw(MSG_PING, 0, &pg);
	} else if (strcmp(cmd, "shutdown") == 0 && line != NULL) {
		memset(&sd, 0, sizeof(sd));
		sd.sd_cleanstop = strtoul(line, NULL, 0);
		drv_raw(MSG_SHUTDOWN, 0, &sd);
	} else if (strcmp(cmd, "raw") == 0 && line != NULL)
		drv_raw(strtoul(line, NULL, 0), 0, NULL);
	else if (strcmp(cmd, "quit") == 0)
		drv_quit();
	else if (*cmd != '\0')
		printf("error unknown command '%s'\n", cmd);
}

/* Whole lines from stdin, as they come. */
static void
drv_stdin(void)
{
	static char	 line[4096];
	static size_t	 have;
	ssize_t		 n;
	char		*nl;

	if ((n = read(0, line + have, sizeof(line) - 1 - have)) <= 0)
		drv_quit();
	have += (size_t)n;
	line[have] = '\0';
	while ((nl = strchr(line, '\n')) != NULL) {
		*nl = '\0';
		drv_command(line);
		have -= (size_t)(nl + 1 - line);
		memmove(line, nl + 1, have + 1);
	}
	if (have == sizeof(line) - 1)
		errx(1, "command line too long");
}

static void
drv_loop(void)
{
	struct pollfd	 pfd[3];

	for (;;) {
		pfd[0].fd = drv_parent;
		pfd[1].fd = drv_peer;
		pfd[2].fd = 0;
		pfd[0].events = pfd[1].events = pfd[2].events = POLLIN;
		if (poll(pfd, 3, -1) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		if ((pfd[0].revents & (POLLIN | POLLHUP)) &&
		    !drv_read(drv_parent))
			drv_reap();
		if ((pfd[1].revents & (POLLIN | POLLHUP)) &&
		    !drv_read(drv_peer)) {
			close(drv_peer);
			drv_peer = -1;
			printf("peer closed\n");
		}
		if (pfd[2].revents & (POLLIN | POLLHUP))
			drv_stdin();
	}
}

int
main(int argc, char *argv[])
{
	if (argc < 2) {
		fprintf(stderr, "usage: ipvsd-driver ipvsd [arg ...]\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	drv_start(argv + 1);
	drv_loop();
	return 0;
}

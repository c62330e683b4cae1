/*
 * farm: the real servers of make bench, in one event-driven process.
 *
 *	farm COUNT PORT INTERVAL_MS
 *
 * Listens on PORT of COUNT loopback addresses (farm_addr() says which),
 * answers any HTTP request with 200 "OK" and closes, and counts every
 * connection: one with a request is an HTTP check, one closed without
 * one a TCP connect check.  It notes when each address was last
 * connected to, so that it can say how late the checks come against
 * INTERVAL_MS, whoever the director is.
 *
 * Commands on stdin, one reply line each on stdout:
 *	down I		close the listener of address I (connects are refused)
 *	up I		listen on address I again
 *	last I		"last AGE": ms since address I was last connected to
 *			(-1: never), so that a test can fail a real at a
 *			known phase against its director's checks
 *	stats		"stats CONNS REQUESTS SECONDS LATE_P50 LATE_P99 ADDRS"
 *			since the last stats: LATE in ms, beyond INTERVAL_MS
 *			between two connections to one address; ADDRS is how
 *			many addresses were connected to at all
 *	quit		exit
 * It prints "ready COUNT" once every address listens.
 *
 * Where it may not have a descriptor per address (a container's hard
 * RLIMIT_NOFILE), it listens on the wildcard address (FARM_WILDCARDS
 * sockets on the one port) and tells the reals apart by the address
 * each connection came to (getsockname); a
 * real "down" then resets each connection at once instead of refusing
 * it.  It prints "ready COUNT wildcard" then.
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* 127.10.0.1 and up: far from the 127.0.x.y the integration tests use */
#define FARM_MAX	(250L * 254 * 20)
/* lateness histogram: 1 ms buckets; later than this lands in the last */
#define FARM_LATE_MAX	10000
#define FARM_EVENTS	256
#define FARM_BACKLOG	65535	/* the kernel caps it at somaxconn */
/*
 * Wildcard listeners on one port (SO_REUSEPORT), the kernel spreading
 * the connections over them: each has its own accept queue, and one
 * queue of somaxconn (4096) overflowed under 10,000 checks a second
 * while the farm waited for a core, the checker's SYNs dropped and
 * retried a second later (issue 7: "0 reals checked").
 */
#define FARM_WILDCARDS	16

static const char farm_reply[] = "HTTP/1.0 200 OK\r\nContent-Type: text/plain"
    "\r\nContent-Length: 3\r\nConnection: close\r\n\r\nOK\n";

struct farm_real {
	int		 fr_fd;		/* listener, -1 while down */
	int		 fr_down;	/* wildcard mode: reset its connections */
	int64_t		 fr_last_ms;	/* last connection, 0 = none yet */
	int		 fr_seen;	/* connected to since the last stats */
};

/* what one descriptor is: a listener (its real) or a connection */
struct farm_fd {
	int		 ff_real;	/* index + 1; 0 = unused */
	int		 ff_listener;
	unsigned int	 ff_tail;	/* the last bytes read, for CRLFCRLF */
};

static struct farm_real	*farm_reals;
static struct farm_fd	*farm_fds;
static size_t		 farm_nfds;
static int		 farm_count, farm_port, farm_interval, farm_ep;
static uint64_t		 farm_conns, farm_requests;
static uint32_t		 farm_late[FARM_LATE_MAX + 1];
static int64_t		 farm_since;
static int		 farm_wildcard;		/* 1: the wildcard mode */

static int64_t
farm_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
farm_addr(int i, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(farm_port);
	sin->sin_addr.s_addr = htonl((127u << 24) |
	    (uint32_t)(10 + i / (254 * 250)) << 16 |
	    (uint32_t)(i / 254 % 250) << 8 | (uint32_t)(i % 254 + 1));
}

static void
farm_watch(int fd, int real, int listener)
{
	struct epoll_event	 ev;

	if ((size_t)fd >= farm_nfds)
		errx(1, "descriptor %d beyond the limit", fd);
	farm_fds[fd].ff_real = real + 1;
	farm_fds[fd].ff_listener = listener;
	farm_fds[fd].ff_tail = 0;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = fd;
	if (epoll_ctl(farm_ep, EPOLL_CTL_ADD, fd, &ev) == -1)
		err(1, "epoll_ctl");
}

static void
farm_forget(int fd)
{
	farm_fds[fd].ff_real = 0;
	close(fd);
}

/* Listen on real i's address, or on every address if i is -1. */
static int
farm_listen(int i)
{
	struct sockaddr_in	 sin;
	int			 fd, on = 1;

	farm_addr(i == -1 ? 0 : i, &sin);
	if (i == -1)
		sin.sin_addr.s_addr = htonl(INADDR_ANY);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		err(1, "socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		err(1, "SO_REUSEADDR");
	if (i == -1 &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) == -1)
		err(1, "SO_REUSEPORT");
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		err(1, "bind %s:%d", inet_ntoa(sin.sin_addr), farm_port);
	if (listen(fd, FARM_BACKLOG) == -1)
		err(1, "listen");
	farm_watch(fd, i == -1 ? 0 : i, 1);
	return fd;
}

/* how late this connection to real i is against the interval */
static void
farm_note(int i)
{
	struct farm_real	*fr = &farm_reals[i];
	int64_t			 now = farm_now_ms(), late;

	farm_conns++;
	if (fr->fr_last_ms != 0) {
		late = now - fr->fr_last_ms - farm_interval;
		if (late < 0)
			late = 0;
		if (late > FARM_LATE_MAX)
			late = FARM_LATE_MAX;
		farm_late[late]++;
	}
	fr->fr_last_ms = now;
	fr->fr_seen = 1;
}

/* wildcard mode: which real a connection came to, -1 if none */
static int
farm_real_of(int fd)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	uint32_t		 a;
	long			 i;

	memset(&sin, 0, sizeof(sin));
	if (getsockname(fd, (struct sockaddr *)&sin, &len) == -1 ||
	    sin.sin_family != AF_INET)
		return -1;
	a = ntohl(sin.sin_addr.s_addr);
	i = ((long)(a >> 16 & 0xff) - 10) * 254 * 250 +
	    (long)(a >> 8 & 0xff) * 254 + (long)(a & 0xff) - 1;
	return i >= 0 && i < farm_count && (a & 0xff) != 0xff &&
	    (a >> 8 & 0xff) < 250 ? (int)i : -1;
}

/* wildcard mode: a real that is down resets the connection */
static void
farm_reset(int fd)
{
	struct linger	 lg = { 1, 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) == -1)
		warn("SO_LINGER");
	close(fd);
}

static void
farm_accept(int lfd)
{
	int	 fd, real = farm_fds[lfd].ff_real - 1;

	while ((fd = accept4(lfd, NULL, NULL,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) != -1) {
		if (farm_wildcard)
			real = farm_real_of(fd);
		if (real == -1 || farm_reals[real].fr_down) {
			farm_reset(fd);
			continue;
		}
		farm_note(real);
		farm_watch(fd, real, 0);
	}
	if (errno != EAGAIN && errno != ECONNABORTED && errno != EINTR)
		warn("accept");
}

/* Read what the checker sent; answer once the request head is whole. */
static void
farm_read(int fd)
{
	struct farm_fd	*ff = &farm_fds[fd];
	char		 buf[4096];
	ssize_t		 n, k;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (k = 0; k < n; k++) {
			ff->ff_tail = ff->ff_tail << 8 | (unsigned char)buf[k];
			if (ff->ff_tail == 0x0d0a0d0a ||
			    (ff->ff_tail & 0xffff) == 0x0a0a) {
				farm_requests++;
				if (write(fd, farm_reply,
				    sizeof(farm_reply) - 1) == -1)
					warn("write");
				farm_forget(fd);
				return;
			}
		}
	if (n == -1 && errno == EAGAIN)
		return;
	farm_forget(fd);
}

static int
farm_percentile(uint64_t total, double p)
{
	uint64_t	 want = (uint64_t)(total * p), sum = 0;
	int		 ms;

	for (ms = 0; ms <= FARM_LATE_MAX; ms++) {
		sum += farm_late[ms];
		if (sum > want)
			return ms;
	}
	return FARM_LATE_MAX;
}

static void
farm_stats(void)
{
	uint64_t	 total = 0;
	int64_t		 now = farm_now_ms();
	int		 i, seen = 0;

	for (i = 0; i <= FARM_LATE_MAX; i++)
		total += farm_late[i];
	for (i = 0; i < farm_count; i++) {
		seen += farm_reals[i].fr_seen;
		farm_reals[i].fr_seen = 0;
	}
	printf("stats %llu %llu %.3f %d %d %d\n",
	    (unsigned long long)farm_conns,
	    (unsigned long long)farm_requests,
	    (double)(now - farm_since) / 1000,
	    total ? farm_percentile(total, 0.5) : -1,
	    total ? farm_percentile(total, 0.99) : -1, seen);
	farm_conns = farm_requests = 0;
	memset(farm_late, 0, sizeof(farm_late));
	farm_since = now;
}

/* s as a number in min..max, or -1 */
static long
farm_number(const char *s, long min, long max)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || (*end != '\0' && *end != '\n') ||
	    n < min || n > max)
		return -1;
	return n;
}

/* "WORD N": N if the line is that, else -1 */
static int
farm_arg(const char *line, const char *word)
{
	size_t	 len = strlen(word);

	if (strncmp(line, word, len) != 0 || line[len] != ' ')
		return -1;
	return (int)farm_number(line + len + 1, 0, farm_count - 1);
}

/* One command from stdin; returns 0 on quit or end of input. */
static int
farm_command(void)
{
	char	 line[128];
	int	 i;

	if (fgets(line, sizeof(line), stdin) == NULL ||
	    strncmp(line, "quit", 4) == 0)
		return 0;
	if ((i = farm_arg(line, "down")) != -1) {
		farm_reals[i].fr_down = farm_wildcard;
		if (farm_reals[i].fr_fd != -1)
			farm_forget(farm_reals[i].fr_fd);
		farm_reals[i].fr_fd = -1;
		printf("down %d\n", i);
	} else if ((i = farm_arg(line, "up")) != -1) {
		farm_reals[i].fr_down = 0;
		if (farm_reals[i].fr_fd == -1 && !farm_wildcard)
			farm_reals[i].fr_fd = farm_listen(i);
		printf("up %d\n", i);
	} else if ((i = farm_arg(line, "last")) != -1) {
		printf("last %lld\n", farm_reals[i].fr_last_ms == 0 ? -1LL :
		    (long long)(farm_now_ms() - farm_reals[i].fr_last_ms));
	} else if (strncmp(line, "stats", 5) == 0)
		farm_stats();
	else
		printf("error %s", line);
	fflush(stdout);
	return 1;
}

/*
 * Room for every listener and the connections in flight; 1 if there is
 * room only for the connections (the wildcard mode).
 */
static int
farm_limits(void)
{
	struct rlimit	 rl, want;
	int		 wildcard = 0;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		err(1, "getrlimit");
	want.rlim_cur = want.rlim_max = (rlim_t)farm_count * 2 + 4096;
	if (setrlimit(RLIMIT_NOFILE, &want) == 0)
		rl = want;
	else {
		wildcard = 1;
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			err(1, "setrlimit RLIMIT_NOFILE");
	}
	farm_nfds = rl.rlim_cur;
	if ((farm_fds = calloc(farm_nfds, sizeof(*farm_fds))) == NULL ||
	    (farm_reals = calloc(farm_count, sizeof(*farm_reals))) == NULL)
		err(1, "calloc");
	return wildcard;
}

static int
farm_loop(void)
{
	struct epoll_event	 evs[FARM_EVENTS];
	int			 i, n, fd;

	for (;;) {
		if ((n = epoll_wait(farm_ep, evs, FARM_EVENTS, -1)) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "epoll_wait");
		}
		for (i = 0; i < n; i++) {
			fd = evs[i].data.fd;
			if (fd == STDIN_FILENO) {
				if (!farm_command())
					return 0;
			} else if (farm_fds[fd].ff_real == 0)
				continue;	/* closed by an earlier event */
			else if (farm_fds[fd].ff_listener)
				farm_accept(fd);
			else
				farm_read(fd);
		}
	}
}

int
main(int argc, char *argv[])
{
	struct epoll_event	 ev;
	int			 i, wildcard;

	if (argc != 4)
		errx(2, "usage: farm COUNT PORT INTERVAL_MS");
	farm_count = farm_number(argv[1], 1, FARM_MAX);
	farm_port = farm_number(argv[2], 1, 65535);
	farm_interval = farm_number(argv[3], 0, 3600L * 1000);
	if (farm_count == -1 || farm_port == -1 || farm_interval == -1)
		errx(2, "COUNT 1..%ld, PORT 1..65535, INTERVAL_MS >= 0",
		    FARM_MAX);
	wildcard = farm_limits();
	if ((farm_ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		err(1, "epoll_create1");
	farm_wildcard = wildcard;
	for (i = 0; wildcard && i < FARM_WILDCARDS; i++)
		(void)farm_listen(-1);
	for (i = 0; i < farm_count; i++)
		farm_reals[i].fr_fd = wildcard ? -1 : farm_listen(i);
	/* stdin is line-buffered by stdio: one command per readiness */
	setvbuf(stdin, NULL, _IONBF, 0);
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = STDIN_FILENO;
	if (epoll_ctl(farm_ep, EPOLL_CTL_ADD, STDIN_FILENO, &ev) == -1)
		err(1, "epoll_ctl stdin");
	farm_since = farm_now_ms();
	printf("ready %d%s\n", farm_count, wildcard ? " wildcard" : "");
	fflush(stdout);
	return farm_loop();
}

/*
 * The control socket: how `lvsd reload`, `stop`, `show` ... talk to the
 * running daemon.  A unix stream socket in LVSD_RUNDIR, mode 0600, and
 * the peer's uid (SO_PEERCRED) must be 0: only root may steer lvsd.
 *
 * A request is one line of printable text, at most CTL_REQUEST_MAX bytes
 * with its newline.  The reply is the exit code the command should end
 * with, a newline, then text; then the daemon closes the connection.
 * A request that is too long, not printable or unknown gets an error
 * reply and its connection closed; nothing else is affected.
 */
#include <sys/epoll.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "lvsd.h"

/* A request is a command word and an argument or two. */
#define CTL_REQUEST_MAX		512
/* Clients at once: root's commands, not a service for the crowd. */
#define CTL_MAX_CLIENTS		16
/* How long a client may take to send its request. */
#define CTL_REQUEST_TIMEOUT_MS	10000
/* How long a client may take to close after the reply. */
#define CTL_DRAIN_TIMEOUT_MS	2000
/* How long `lvsd` (the client) waits for a reply. */
#define CTL_CLIENT_TIMEOUT_S	((RELOAD_APPLY_TIMEOUT_MS / 1000) + 30)

/* LSB exit codes the replies use */
#define CTL_EXIT_OK		0
#define CTL_EXIT_FAIL		1
#define CTL_EXIT_USAGE		2
#define CTL_EXIT_PERM		4

struct ctl_client {
	TAILQ_ENTRY(ctl_client)	 cc_entry;
	struct ev_io		 cc_io;
	struct ev_timer		 cc_timer;
	char			 cc_in[CTL_REQUEST_MAX];
	size_t			 cc_inlen;
	int			 cc_replying;	/* request read and answered */
	int			 cc_draining;	/* reply sent, waiting for EOF */
	char			*cc_out;
	size_t			 cc_outlen;
	size_t			 cc_outoff;
	uint32_t		 cc_wait_gen;	/* reload: 0 or generation */
};

static TAILQ_HEAD(, ctl_client)	 ctl_clients =
    TAILQ_HEAD_INITIALIZER(ctl_clients);
static unsigned int		 ctl_nclients;
static struct ev_io		 ctl_listen;

static void	ctl_client_event(struct ev_io *, uint32_t, void *);
static void	ctl_client_write(struct ctl_client *);

/* /run/lvsd/lvsd.<config file name>.sock, as the pid file is named */
void
control_path(char *buf, size_t len, const char *conffile)
{
	char	 copy[1024];

	strlcpy(copy, conffile, sizeof(copy));
	if ((size_t)snprintf(buf, len, "%s/lvsd.%s.sock", LVSD_RUNDIR,
	    basename(copy)) >= len)
		buf[0] = '\0';
}

static void
ctl_client_free(struct ctl_client *cc)
{
	ev_io_del(&cc->cc_io);
	ev_timer_del(&cc->cc_timer);
	close(cc->cc_io.io_fd);
	TAILQ_REMOVE(&ctl_clients, cc, cc_entry);
	ctl_nclients--;
	free(cc->cc_out);
	free(cc);
}

/* Queue the reply; the connection closes once it is written. */
static void
ctl_reply(struct ctl_client *cc, int code, const char *text)
{
	size_t	 len = strlen(text);
	int	 n;

	cc->cc_replying = 1;
	cc->cc_wait_gen = 0;
	ev_timer_del(&cc->cc_timer);
	if ((cc->cc_out = malloc(len + 16)) == NULL)
		fatal("%s", __func__);
	n = snprintf(cc->cc_out, len + 16, "%d\n%s", code, text);
	cc->cc_outlen = (size_t)n;
	cc->cc_outoff = 0;
	ev_io_mod(&cc->cc_io, EPOLLOUT);
}

enum ctl_cmd {
	CMD_RELOAD,
	CMD_DISABLE,
	CMD_ENABLE,
	CMD_SHOW,
	CMD_METRICS
};

/*
 * Run cmd with its text going into a buffer.  A reload, disable or
 * enable that sent a new generation to ipvsd is answered once ipvsd has
 * applied it; the rest at once.
 */
static void
ctl_run(struct ctl_client *cc, enum ctl_cmd cmd, const char *arg)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*out;
	int	 code = 0, pushed = 0;

	if ((out = open_memstream(&text, &len)) == NULL)
		fatal("%s: open_memstream", __func__);
	switch (cmd) {
	case CMD_RELOAD:
		pushed = (code = reload_run(out)) == 0;
		break;
	case CMD_DISABLE:
	case CMD_ENABLE:
		code = maint_set(arg, cmd == CMD_DISABLE, out, &pushed);
		break;
	case CMD_SHOW:
		status_show(out, arg != NULL);
		break;
	case CMD_METRICS:
		status_metrics(out);
		break;
	}
	if (fclose(out) == EOF)
		fatal("%s: fclose", __func__);
	if (!pushed)
		ctl_reply(cc, code, text);
	else {
		/* the answer comes with ipvsd's APPLIED */
		cc->cc_wait_gen = env->e_gen;
		ev_timer_del(&cc->cc_timer);
		ev_timer_add(&cc->cc_timer, RELOAD_APPLY_TIMEOUT_MS);
	}
	free(text);
}

/* ipvsd applied generation gen: answer the reloads it completes. */
void
control_applied(uint32_t gen, const struct msg_applied *ap)
{
	struct ctl_client	*cc, *next;
	char			 text[256];

	snprintf(text, sizeof(text), "configuration %u in force: %u "
	    "virtual services, %u real servers, %u changes to the IPVS "
	    "table, %u refused by the kernel\n", gen, ap->ap_nservices,
	    ap->ap_ndests, ap->ap_nops, ap->ap_nerrors);
	TAILQ_FOREACH_SAFE(cc, &ctl_clients, cc_entry, next)
		if (cc->cc_wait_gen != 0 && cc->cc_wait_gen <= gen) {
			ctl_reply(cc, ap->ap_nerrors ? CTL_EXIT_FAIL :
			    CTL_EXIT_OK, text);
			/*
			 * Now, not at the next turn of the loop: the
			 * checker's share of a large config goes out next.
			 */
			ctl_client_write(cc);
		}
}

/* status: the daemon is alive and its loop turns; what it runs. */
static void
ctl_cmd_status(struct ctl_client *cc)
{
	char	 text[512];
	size_t	 len;
	int	 i;

	len = (size_t)snprintf(text, sizeof(text), "lvsd for %s is running "
	    "with pid: %ld\nconfiguration %u %s;", env->e_conffile,
	    (long)getpid(), env->e_gen, env->e_applied_gen == env->e_gen ?
	    "in force" : "being applied");
	for (i = 0; i < CHILD_COUNT && len < sizeof(text); i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    " %s %s%s", env->e_children[i].ch_name,
		    proc_state_name(&env->e_children[i]),
		    i + 1 < CHILD_COUNT ? "," : "\n");
	ctl_reply(cc, CTL_EXIT_OK, text);
}

static void
ctl_cmd_stop(struct ctl_client *cc, const char *arg)
{
	if (arg != NULL && strcmp(arg, "keep") != 0) {
		ctl_reply(cc, CTL_EXIT_USAGE, "usage: stop [keep]\n");
		return;
	}
	/* keep: for a restart, whatever cleanstop says */
	if (arg != NULL)
		env->e_keep_table = 1;
	log_info("stop requested on the control socket%s",
	    arg != NULL ? ", IPVS table kept" : "");
	ctl_reply(cc, CTL_EXIT_OK, "");
	proc_shutdown();
}

/* A whole request: "command [argument]". */
static void
ctl_request(struct ctl_client *cc, char *line)
{
	char	*cmd, *arg, *extra;

	cmd = strtok(line, " ");
	arg = cmd != NULL ? strtok(NULL, " ") : NULL;
	extra = arg != NULL ? strtok(NULL, " ") : NULL;
	if (cmd == NULL || extra != NULL)
		ctl_reply(cc, CTL_EXIT_USAGE, "malformed request\n");
	else if (env->e_stopping)
		ctl_reply(cc, CTL_EXIT_FAIL, "lvsd is stopping\n");
	else if (strcmp(cmd, "reload") == 0 && arg == NULL)
		ctl_run(cc, CMD_RELOAD, NULL);
	else if (strcmp(cmd, "disable") == 0 && arg != NULL)
		ctl_run(cc, CMD_DISABLE, arg);
	else if (strcmp(cmd, "enable") == 0 && arg != NULL)
		ctl_run(cc, CMD_ENABLE, arg);
	else if (strcmp(cmd, "show") == 0 && (arg == NULL ||
	    strcmp(arg, "json") == 0))
		ctl_run(cc, CMD_SHOW, arg);
	else if (strcmp(cmd, "metrics") == 0 && arg == NULL)
		ctl_run(cc, CMD_METRICS, NULL);
	else if (strcmp(cmd, "stop") == 0)
		ctl_cmd_stop(cc, arg);
	else if (strcmp(cmd, "status") == 0 && arg == NULL)
		ctl_cmd_status(cc);
	else
		ctl_reply(cc, CTL_EXIT_USAGE, "unknown request\n");
}

static void
ctl_client_read(struct ctl_client *cc)
{
	char	 junk[512], *nl;
	ssize_t	 n;
	size_t	 i;

	/* one request per connection: what follows it is read and dropped */
	if (cc->cc_replying || cc->cc_wait_gen != 0)
		n = read(cc->cc_io.io_fd, junk, sizeof(junk));
	else
		n = read(cc->cc_io.io_fd, cc->cc_in + cc->cc_inlen,
		    sizeof(cc->cc_in) - cc->cc_inlen);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		ctl_client_free(cc);
		return;
	}
	if (cc->cc_replying || cc->cc_wait_gen != 0)
		return;
	cc->cc_inlen += (size_t)n;
	if ((nl = memchr(cc->cc_in, '\n', cc->cc_inlen)) == NULL) {
		if (cc->cc_inlen == sizeof(cc->cc_in))
			ctl_reply(cc, CTL_EXIT_USAGE, "request too long\n");
		return;
	}
	*nl = '\0';
	for (i = 0; cc->cc_in[i] != '\0'; i++)
		if (!isprint((unsigned char)cc->cc_in[i])) {
			ctl_reply(cc, CTL_EXIT_USAGE,
			    "request with a non-printable byte\n");
			return;
		}
	ctl_request(cc, cc->cc_in);
}

static void
ctl_client_write(struct ctl_client *cc)
{
	ssize_t	 n;

	n = write(cc->cc_io.io_fd, cc->cc_out + cc->cc_outoff,
	    cc->cc_outlen - cc->cc_outoff);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1) {
		ctl_client_free(cc);
		return;
	}
	cc->cc_outoff += (size_t)n;
	if (cc->cc_outoff < cc->cc_outlen)
		return;
	/*
	 * Said all: half-close, and read what the client may still send
	 * until it closes (closing on unread bytes would reset the
	 * connection before the client read the reply).
	 */
	shutdown(cc->cc_io.io_fd, SHUT_WR);
	cc->cc_draining = 1;
	ev_io_mod(&cc->cc_io, EPOLLIN);
	ev_timer_add(&cc->cc_timer, CTL_DRAIN_TIMEOUT_MS);
}

static void
ctl_client_event(struct ev_io *io, uint32_t events, void *arg)
{
	struct ctl_client	*cc = arg;

	if (cc->cc_replying && !cc->cc_draining && (events & EPOLLOUT))
		ctl_client_write(cc);
	else if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		ctl_client_read(cc);
}

static void
ctl_client_timeout(void *arg)
{
	struct ctl_client	*cc = arg;

	if (cc->cc_wait_gen != 0)
		ctl_reply(cc, CTL_EXIT_FAIL, "the new configuration was sent; "
		    "ipvsd has not confirmed it yet (see the log)\n");
	else
		ctl_client_free(cc);
}

/* Only root steers lvsd; the socket's mode says so too. */
static int
ctl_peer_is_root(int fd)
{
	struct ucred	 uc;
	socklen_t	 len = sizeof(uc);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == -1 ||
	    len != sizeof(uc))
		return 0;
	return uc.uid == 0;
}

static void
ctl_accept(struct ev_io *io, uint32_t events, void *arg)
{
	struct ctl_client	*cc;
	int			 fd;

	if ((fd = accept4(io->io_fd, NULL, NULL,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1) {
		if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("%s: accept", __func__);
		return;
	}
	if (ctl_nclients >= CTL_MAX_CLIENTS) {
		log_warnx("control socket: %u clients already; refusing one",
		    ctl_nclients);
		close(fd);
		return;
	}
	if ((cc = calloc(1, sizeof(*cc))) == NULL)
		fatal("%s", __func__);
	TAILQ_INSERT_TAIL(&ctl_clients, cc, cc_entry);
	ctl_nclients++;
	ev_io_set(&cc->cc_io, fd, ctl_client_event, cc);
	ev_io_add(&cc->cc_io, EPOLLIN);
	ev_timer_set(&cc->cc_timer, ctl_client_timeout, cc);
	if (!ctl_peer_is_root(fd)) {
		log_warnx("control socket: a client that is not root");
		ctl_reply(cc, CTL_EXIT_PERM, "permission denied\n");
		return;
	}
	ev_timer_add(&cc->cc_timer, CTL_REQUEST_TIMEOUT_MS);
}

/*
 * Called once the pid file is ours: a socket left at the path is stale
 * (no other lvsd holds this config), so it goes.
 */
void
control_open(void)
{
	struct sockaddr_un	 sun;
	mode_t			 old;
	int			 fd;

	if (env->e_ctlpath[0] == '\0')
		fatalx("the control socket's path is too long");
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, env->e_ctlpath, sizeof(sun.sun_path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		fatal("%s: socket", __func__);
	if (unlink(sun.sun_path) == -1 && errno != ENOENT)
		fatal("unlink %s", sun.sun_path);
	old = umask(0077);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		fatal("bind %s", sun.sun_path);
	umask(old);
	if (chmod(sun.sun_path, 0600) == -1)
		fatal("chmod %s", sun.sun_path);
	if (listen(fd, CTL_MAX_CLIENTS) == -1)
		fatal("listen %s", sun.sun_path);
	ev_io_set(&ctl_listen, fd, ctl_accept, NULL);
	ev_io_add(&ctl_listen, EPOLLIN);
}

void
control_close(void)
{
	while (!TAILQ_EMPTY(&ctl_clients))
		ctl_client_free(TAILQ_FIRST(&ctl_clients));
	if (ctl_listen.io_active) {
		ev_io_del(&ctl_listen);
		close(ctl_listen.io_fd);
		unlink(env->e_ctlpath);
	}
}

/*
 * The client's socket, connected to path within the deadline: a daemon
 * that does not accept (stopped) fills its backlog, and connect would
 * wait for it.  -1: no daemon there; -2: no answer in time.
 */
static int
ctl_client_connect(const char *path, uint64_t deadline)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		return CTL_NO_DAEMON;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		err(1, "socket");
	while (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		if (errno != EAGAIN || ev_now() >= deadline) {
			close(fd);
			return errno == EAGAIN ? CTL_NO_ANSWER : CTL_NO_DAEMON;
		}
		usleep(10000);
	}
	return fd;
}

/* Wait for fd to be ready for events until the deadline: 0, or -1. */
static int
ctl_client_wait(int fd, short events, uint64_t deadline)
{
	struct pollfd	 pfd = { .fd = fd, .events = events };
	uint64_t	 now;
	int		 n;

	do {
		if ((now = ev_now()) >= deadline)
			return -1;
		n = poll(&pfd, 1, (int)(deadline - now));
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		err(1, "poll");
	return n == 0 ? -1 : 0;
}

/* Send the request, read the whole reply into text: 0, or CTL_NO_ANSWER. */
static int
ctl_client_exchange(int fd, const char *request, FILE *text,
    uint64_t deadline)
{
	char	 buf[8192];
	size_t	 len, off = 0;
	ssize_t	 n;

	len = (size_t)snprintf(buf, sizeof(buf), "%s\n", request);
	while (off < len) {
		if (ctl_client_wait(fd, POLLOUT, deadline) == -1)
			return CTL_NO_ANSWER;
		if ((n = write(fd, buf + off, len - off)) == -1 &&
		    errno != EAGAIN && errno != EINTR)
			return CTL_NO_ANSWER;
		off += n > 0 ? (size_t)n : 0;
	}
	for (;;) {
		if (ctl_client_wait(fd, POLLIN, deadline) == -1)
			return CTL_NO_ANSWER;
		if ((n = read(fd, buf, sizeof(buf))) == 0)
			return 0;
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			return CTL_NO_ANSWER;
		if (n > 0)
			fwrite(buf, 1, (size_t)n, text);
	}
}

/*
 * The client side, for `lvsd reload`, `status` and the others: send
 * request, print the reply (stdout if it succeeded, stderr if not) and
 * return its exit code; CTL_NO_DAEMON if there is no daemon to talk to,
 * CTL_NO_ANSWER if its whole reply has not come within timeout_ms, or
 * the daemon closed the connection without one.
 */
int
control_request_within(const char *path, const char *request,
    unsigned int timeout_ms)
{
	uint64_t	 deadline = ev_now() + timeout_ms;
	FILE		*text;
	char		*all = NULL, *p;
	size_t		 alllen = 0;
	int		 fd, code;

	if ((fd = ctl_client_connect(path, deadline)) < 0)
		return fd;
	if ((text = open_memstream(&all, &alllen)) == NULL)
		err(1, "open_memstream");
	code = ctl_client_exchange(fd, request, text, deadline);
	close(fd);
	fclose(text);
	/* closed without a byte: the daemon died (or quit) as it was asked */
	if (code == 0 && alllen == 0)
		code = CTL_NO_ANSWER;
	if (code == 0) {
		code = (int)strtol(all, &p, 10);
		if (p == all || *p != '\n' || code < 0)
			errx(1, "%s: malformed reply", path);
		fputs(p + 1, code == 0 ? stdout : stderr);
	}
	free(all);
	return code;
}

/* The same, waiting as long as a reload may take; -1: no daemon. */
int
control_request(const char *path, const char *request)
{
	int	 code;

	code = control_request_within(path, request,
	    CTL_CLIENT_TIMEOUT_S * 1000);
	if (code == CTL_NO_ANSWER)
		errx(1, "%s: no reply", path);
	return code;
}

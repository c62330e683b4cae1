/*
 * lvsd: command line, start-up checks, the parent's event loop.
 */
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "lvsd.h"

/* How long `lvsd stop` waits for the daemon to exit. */
#define STOP_WAIT_MS	30000
/*
 * How long `lvsd start` waits for the daemon to have its table in place:
 * as long as a reload may take to apply, and a margin for the start of
 * the children.
 */
#define START_WAIT_MS	(RELOAD_APPLY_TIMEOUT_MS + 30000U)
/*
 * How long `lvsd status` waits for the daemon's answer on the control
 * socket: its event loop answers at once, so a daemon silent this long
 * is hung (stopped, or stuck in a loop).  Short enough for a cluster
 * manager's monitor (Pacemaker's default timeout is 20 s).
 */
#define STATUS_WAIT_MS	5000U
/* how long one that did not answer may take to be seen dead */
#define DIED_WAIT_MS	2000U

/* LSB init-script exit codes for status */
#define EXIT_STATUS_DEAD	1
#define EXIT_STATUS_STOPPED	3
#define EXIT_STATUS_UNKNOWN	4	/* alive, but does not answer */
/*
 * A config error at start exits 1 (ldirectord: 2); lvsd -t and the
 * tests of it keep 1.  `lvsd reload` exits 2 for one, as ldirectord.
 */
#define EXIT_CONFIG		1

static struct lvsd_env	 lvsd_env;
struct lvsd_env		*env = &lvsd_env;

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: lvsd [-dtv] [-f file] [-u user] [configfile]\n"
	    "\t    [start | stop | restart | try-restart | reload | "
	    "force-reload | status]\n"
	    "       lvsd [-f file] [configfile] show [--json] | metrics\n"
	    "       lvsd [-f file] [configfile] disable | enable "
	    "address[:port]\n");
	exit(1);
}

/* -t: every error of the file, exit 0 or 1; -tt: the canonical form too. */
static int
test_conf(const char *path, int level)
{
	struct conf	*c;

	if ((c = conf_parse_file(path, stderr)) == NULL)
		return 1;
	if (confmsg_validate(c, stderr, 1) == -1) {
		conf_free(c);
		return 1;
	}
	if (level > 1)
		conf_print(c, stdout);
	fprintf(stderr, "%s: configuration OK\n", path);
	conf_free(c);
	return 0;
}

static void
resolve_user(const char *user)
{
	struct passwd	*pw;

	if ((pw = getpwnam(user)) == NULL)
		errx(1, "user %s does not exist: create it (make install "
		    "does) or name another with -u", user);
	if (pw->pw_uid == 0)
		errx(1, "user %s is root: the children must not be", user);
	env->e_uid = pw->pw_uid;
	env->e_gid = pw->pw_gid;
}

/* The children's root: an empty directory only root can write to. */
static void
make_emptydir(void)
{
	struct stat	 st;

	if (mkdir(LVSD_RUNDIR, 0755) == -1 && errno != EEXIST)
		err(1, "mkdir %s", LVSD_RUNDIR);
	if (mkdir(LVSD_EMPTYDIR, 0755) == -1 && errno != EEXIST)
		err(1, "mkdir %s", LVSD_EMPTYDIR);
	if (lstat(LVSD_EMPTYDIR, &st) == -1)
		err(1, "%s", LVSD_EMPTYDIR);
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)))
		errx(1, "%s must be a directory owned by root and writable "
		    "by root only", LVSD_EMPTYDIR);
	if (st.st_nlink != 2)
		errx(1, "%s must be empty", LVSD_EMPTYDIR);
}

static int
signals_open(void)
{
	sigset_t	 set;
	int		 fd;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		fatal("sigprocmask");
	if ((fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		fatal("signalfd");
	signal(SIGPIPE, SIG_IGN);
	return fd;
}

static void
signals_event(struct ev_io *io, uint32_t events, void *arg)
{
	struct signalfd_siginfo	 si;

	while (read(io->io_fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_info("received signal %u, stopping", si.ssi_signo);
			proc_shutdown();
			break;
		case SIGHUP:
			if (env->e_stopping)
				break;
			log_info("SIGHUP: reloading %s", env->e_conffile);
			reload_run(NULL);
			break;
		case SIGCHLD:
			proc_reap();
			break;
		}
	}
}

/*
 * The starting process waits for the daemon to be ready: `lvsd start`
 * returns once the table is in place (as a cluster manager's start
 * must), or fails if the daemon gave up before.
 */
static void
wait_ready(int fd, pid_t pid)
{
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	char		 c;
	int		 n;

	while ((n = poll(&pfd, 1, START_WAIT_MS)) == -1 && errno == EINTR)
		;
	if (n == 0)
		errx(1, "lvsd for %s (pid %ld) is not ready after %u s; it "
		    "goes on starting (see the log)", env->e_conffile,
		    (long)pid, START_WAIT_MS / 1000);
	if (n == -1)
		err(1, "poll");
	if (read(fd, &c, 1) != 1)
		errx(1, "lvsd for %s did not start (see the log)",
		    env->e_conffile);
	exit(0);
}

/* daemon(3), with the starting process waiting until lvsd is ready. */
static void
daemonize(void)
{
	pid_t	 pid;
	int	 p[2], null;

	if (pipe2(p, O_CLOEXEC) == -1)
		err(1, "pipe2");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid != 0) {
		close(p[1]);
		wait_ready(p[0], pid);
	}
	close(p[0]);
	if (setsid() == -1)
		err(1, "setsid");
	if (chdir("/") == -1)
		err(1, "chdir /");
	if ((null = open("/dev/null", O_RDWR)) == -1)
		err(1, "/dev/null");
	if (dup2(null, STDIN_FILENO) == -1 || dup2(null, STDOUT_FILENO) ==
	    -1 || dup2(null, STDERR_FILENO) == -1)
		err(1, "dup2");
	if (null > STDERR_FILENO)
		close(null);
	notify_starter(p[1]);
}

/*
 * -d first, then supervised=yes, as ldirectord chooses: both stay in
 * the foreground; -d logs bare lines to stderr, supervised dated ones
 * to stdout.  Read at start only: a reload cannot undo a daemon().
 */
static int
lvsd_log_mode(int foreground, int supervised)
{
	if (foreground)
		return LOG_MODE_DEBUG;
	return supervised ? LOG_MODE_SUPERVISED : LOG_MODE_DAEMON;
}

static __attribute__((noreturn)) void
run_daemon(void)
{
	struct ev_io	 sigio;
	int		 mode;

	if (geteuid() != 0)
		errx(1, "must be run as root");
	make_emptydir();
	execute_init();
	if (lvsd_pidfile_running(env->e_pidfile) != 0) {
		printf("lvsd for %s is already running\n", env->e_conffile);
		exit(0);
	}
	notify_init();
	mode = lvsd_log_mode(env->e_foreground, env->e_conf->c_supervised);
	if (mode == LOG_MODE_DAEMON)
		daemonize();
	log_init(mode, LOG_DAEMON);
	if (lvsd_pidfile_create(env->e_pidfile) == -1)
		fatalx("lvsd for %s is already running", env->e_conffile);
	reload_log_target(env->e_conf);
	log_setverbose(env->e_verbose);
	ev_init();
	ev_io_set(&sigio, signals_open(), signals_event, NULL);
	ev_io_add(&sigio, EPOLLIN);
	control_open();
	notify_start();
	maintdir_load(env->e_conf);
	status_rebuild(env->e_conf);
	hooks_rebuild(env->e_conf);
	alerts_rebuild(env->e_conf);
	autoreload_init();
	maintdir_init();
	proc_init();
	env->e_gen = 1;
	log_info("starting with %s: %u virtual services, %u real servers",
	    env->e_conffile, env->e_conf->c_nvirtuals,
	    env->e_conf->c_nreals);
	proc_start_all();
	execute_all(env->e_conf, "start");
	/* a round's lines are written together, at its end (loghold.c) */
	log_hold(1);
	ev_loop();
	log_hold(0);
	control_close();
	lvsd_pidfile_remove(env->e_pidfile);
	log_info("stopped");
	exit(0);
}

/* No live lvsd holds the pid file: stopped (3), or dead (1). */
static int
cmd_status_stopped(void)
{
	printf("lvsd is stopped for %s\n", env->e_conffile);
	if (access(env->e_pidfile, F_OK) == 0) {
		/*
		 * In ldirectord's words: its OCF agent (resource-agents)
		 * takes exit 1 with them for "not running", else for an
		 * error that fails a start.
		 */
		fprintf(stderr, "ldirectord stale pid file %s for %s (lvsd "
		    "is not running)\n", env->e_pidfile, env->e_conffile);
		return EXIT_STATUS_DEAD;
	}
	return EXIT_STATUS_STOPPED;
}

/*
 * The daemon that did not answer is gone if its pid file lock goes
 * within DIED_WAIT_MS: a process the kernel kills closes its control
 * socket and its pid file one after the other, not at once.
 */
static int
lvsd_died_now(pid_t pid)
{
	unsigned int	 waited;

	for (waited = 0; waited < DIED_WAIT_MS; waited += 10) {
		if (lvsd_pidfile_running(env->e_pidfile) != pid)
			return 1;
		usleep(10000);
	}
	return 0;
}

/*
 * A live pid is not enough: root asks the daemon itself, which answers
 * (with the same first line) from its event loop; one that is stopped
 * or stuck does not, within STATUS_WAIT_MS.  One that died while it was
 * asked (kill -9 during a cluster manager's monitor) is dead, not hung:
 * the pid file is looked at again.  Others may only see the pid file.
 */
static int
cmd_status_running(pid_t pid)
{
	int	 code;

	if (geteuid() != 0) {
		printf("lvsd for %s is running with pid: %ld\n",
		    env->e_conffile, (long)pid);
		return 0;
	}
	if ((code = control_request_within(env->e_ctlpath, "status",
	    STATUS_WAIT_MS)) >= 0)
		return code;
	if (lvsd_died_now(pid))
		return cmd_status_stopped();
	fprintf(stderr, "lvsd for %s (pid %ld) does not answer on %s "
	    "within %u s\n", env->e_conffile, (long)pid,
	    env->e_ctlpath, STATUS_WAIT_MS / 1000);
	return EXIT_STATUS_UNKNOWN;
}

/*
 * LSB: 0 running, 1 dead but the pid file is there, 3 stopped, 4 alive
 * but not answering.
 */
static int
cmd_status(void)
{
	pid_t	 pid;

	if ((pid = lvsd_pidfile_running(env->e_pidfile)) != 0)
		return cmd_status_running(pid);
	return cmd_status_stopped();
}

/*
 * Stop the daemon and wait until it is gone.  keep: leave the IPVS table
 * as it is whatever cleanstop says (for a restart); that needs the
 * control socket, a plain stop falls back to SIGTERM.
 */
static int
cmd_stop(int keep)
{
	pid_t		 pid;
	unsigned int	 waited;

	if ((pid = lvsd_pidfile_running(env->e_pidfile)) == 0) {
		printf("lvsd for %s is not running\n", env->e_conffile);
		return 0;
	}
	/* its answer is immediate: a daemon silent that long is hung */
	if (control_request_within(env->e_ctlpath, keep ? "stop keep" : "stop",
	    STATUS_WAIT_MS) < 0) {
		if (keep)
			errx(1, "cannot reach lvsd (pid %ld) on %s; not "
			    "restarting it", (long)pid, env->e_ctlpath);
		/* ESRCH: it died as it was asked */
		if (kill(pid, SIGTERM) == -1 && errno != ESRCH)
			err(1, "kill %ld", (long)pid);
	}
	for (waited = 0; waited < STOP_WAIT_MS; waited += 50) {
		if (lvsd_pidfile_running(env->e_pidfile) == 0)
			return 0;
		usleep(50000);
	}
	errx(1, "lvsd (pid %ld) did not stop within %u s", (long)pid,
	    STOP_WAIT_MS / 1000);
}

/* reload, force-reload: the daemon parses the file and says how it went. */
static int
cmd_reload(void)
{
	pid_t	 pid;
	int	 code;

	if ((pid = lvsd_pidfile_running(env->e_pidfile)) == 0) {
		fprintf(stderr, "lvsd for %s is not running\n",
		    env->e_conffile);
		return 1;
	}
	if ((code = control_request(env->e_ctlpath, "reload")) != -1)
		return code;
	/* no control socket: the daemon reloads, and logs how it went */
	if (kill(pid, SIGHUP) == -1)
		err(1, "kill %ld", (long)pid);
	return 0;
}

static int
is_command(const char *s)
{
	static const char *const cmds[] = { "start", "stop", "restart",
	    "try-restart", "reload", "force-reload", "status", "show",
	    "metrics", "disable", "enable", NULL };
	int	 i;

	for (i = 0; cmds[i] != NULL; i++)
		if (strcmp(s, cmds[i]) == 0)
			return 1;
	return 0;
}

/*
 * ldirectord's form, [configfile] [command], both optional; disable and
 * enable take the real server after the command.
 */
static const char *
parse_operands(int argc, char **argv, const char **arg)
{
	const char	*cmd = "start";
	int		 i = 0;

	*arg = NULL;
	if (i < argc && !is_command(argv[i]))
		env->e_conffile = argv[i++];
	if (i < argc) {
		if (!is_command(argv[i]))
			usage();
		cmd = argv[i++];
	}
	if (i < argc && (strcmp(cmd, "disable") == 0 ||
	    strcmp(cmd, "enable") == 0))
		*arg = argv[i++];
	if (i != argc || ((strcmp(cmd, "disable") == 0 ||
	    strcmp(cmd, "enable") == 0) && *arg == NULL))
		usage();
	return cmd;
}

/* show, metrics, disable, enable: only the daemon knows. */
static int
cmd_control(const char *cmd, const char *arg, int json)
{
	char	 req[512];
	int	 code;

	if (lvsd_pidfile_running(env->e_pidfile) == 0) {
		fprintf(stderr, "lvsd for %s is not running\n",
		    env->e_conffile);
		return EXIT_STATUS_STOPPED;
	}
	snprintf(req, sizeof(req), "%s%s%s", cmd, arg != NULL ? " " : "",
	    arg != NULL ? arg : json ? " json" : "");
	if (strchr(req, '\n') != NULL)
		errx(2, "a newline in the request");
	if ((code = control_request(env->e_ctlpath, req)) == -1)
		errx(1, "cannot reach lvsd on %s", env->e_ctlpath);
	return code;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*user = LVSD_USER, *cmd, *arg;
	int		 ch, testonly = 0, json = 0;

	env->e_conffile = LVSD_CONF_DEFAULT;
	env->e_libexecdir = LVSD_LIBEXECDIR;
	while ((ch = getopt_long(argc, argv, "df:jtu:vx:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'd':
			env->e_foreground = 1;
			break;
		case 'f':
			env->e_conffile = optarg;
			break;
		case 't':
			testonly++;
			break;
		case 'u':
			user = optarg;
			break;
		case 'v':
			env->e_verbose = 1;
			break;
		case 'x':
			/* where the children are: for tests from the tree */
			env->e_libexecdir = optarg;
			break;
		default:
			usage();
		}
	}
	cmd = parse_operands(argc - optind, argv + optind, &arg);
	if (testonly)
		return test_conf(env->e_conffile, testonly);
	lvsd_pidfile_path(env->e_pidfile, sizeof(env->e_pidfile), env->e_conffile);
	control_path(env->e_ctlpath, sizeof(env->e_ctlpath), env->e_conffile);
	if (strcmp(cmd, "status") == 0)
		return cmd_status();
	if (strcmp(cmd, "stop") == 0)
		return cmd_stop(0);
	if (strcmp(cmd, "reload") == 0 || strcmp(cmd, "force-reload") == 0)
		return cmd_reload();
	if (strcmp(cmd, "show") == 0 || strcmp(cmd, "metrics") == 0 ||
	    strcmp(cmd, "disable") == 0 || strcmp(cmd, "enable") == 0)
		return cmd_control(cmd, arg, json);
	if (strcmp(cmd, "try-restart") == 0 &&
	    lvsd_pidfile_running(env->e_pidfile) == 0) {
		printf("lvsd for %s is not running\n", env->e_conffile);
		return 0;
	}
	/* a config error leaves a running daemon alone */
	if ((env->e_conf = reload_load(env->e_conffile, stderr)) == NULL)
		return EXIT_CONFIG;
	if (!reload_conf_owner_ok(env->e_conffile, stderr))
		return EXIT_CONFIG;
	resolve_user(user);
	env->e_user = user;
	if ((strcmp(cmd, "restart") == 0 || strcmp(cmd, "try-restart") == 0)
	    && cmd_stop(1) != 0)
		return 1;
	run_daemon();
}

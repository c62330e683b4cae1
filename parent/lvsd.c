/*
 * lvsd: command line, start-up checks, the parent's event loop.
 */
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <err.h>
#include <errno.h>
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

/* LSB init-script exit codes for status */
#define EXIT_STATUS_STOPPED	3

static struct lvsd_env	 lvsd_env;
struct lvsd_env		*env = &lvsd_env;

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: lvsd [-dtv] [-f file] [-u user] "
	    "[configfile] [start | stop | restart | status]\n");
	exit(1);
}

/* The config must be root's alone: it decides what the kernel does. */
static int
check_conf_owner(const char *path)
{
	struct stat	 st;

	if (stat(path, &st) == -1) {
		warn("%s", path);
		return -1;
	}
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		warnx("%s: refusing a config that is not owned by root or "
		    "is writable by group or others (mode %04o, uid %u)",
		    path, (unsigned int)(st.st_mode & 07777),
		    (unsigned int)st.st_uid);
		return -1;
	}
	return 0;
}

static struct conf *
load_conf(const char *path)
{
	struct conf	*c;

	if ((c = conf_parse_file(path, stderr)) == NULL)
		return NULL;
	if (confmsg_validate(c, stderr, 0) == -1) {
		conf_free(c);
		return NULL;
	}
	return c;
}

/* -t: every error of the file, exit 0 or 1; -tt: the canonical form too. */
static int
test_conf(const char *path, int level)
{
	struct conf	*c;

	if ((c = conf_parse_file(path, stderr)) == NULL)
		return 1;
	confmsg_validate(c, stderr, 1);
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
			log_warnx("SIGHUP: reload is not supported yet; "
			    "restart lvsd to apply a changed config");
			break;
		case SIGCHLD:
			proc_reap();
			break;
		}
	}
}

static __attribute__((noreturn)) void
run_daemon(void)
{
	struct ev_io	 sigio;

	if (geteuid() != 0)
		errx(1, "must be run as root");
	make_emptydir();
	if (lvsd_pidfile_running(env->e_pidfile) != 0) {
		printf("lvsd for %s is already running\n", env->e_conffile);
		exit(0);
	}
	if (!env->e_foreground && daemon(0, 0) == -1)
		err(1, "daemon");
	if (lvsd_pidfile_create(env->e_pidfile) == -1)
		errx(1, "lvsd for %s is already running", env->e_conffile);
	log_init(env->e_foreground, LOG_DAEMON);
	log_setverbose(env->e_verbose);
	ev_init();
	ev_io_set(&sigio, signals_open(), signals_event, NULL);
	ev_io_add(&sigio, EPOLLIN);
	proc_init();
	env->e_gen = 1;
	log_info("starting with %s: %u virtual services, %u real servers",
	    env->e_conffile, env->e_conf->c_nvirtuals,
	    env->e_conf->c_nreals);
	proc_start_all();
	ev_loop();
	lvsd_pidfile_remove(env->e_pidfile);
	log_info("stopped");
	exit(0);
}

static int
cmd_status(void)
{
	pid_t	 pid;

	if ((pid = lvsd_pidfile_running(env->e_pidfile)) != 0) {
		printf("lvsd for %s is running with pid: %ld\n",
		    env->e_conffile, (long)pid);
		return 0;
	}
	printf("lvsd is stopped for %s\n", env->e_conffile);
	return EXIT_STATUS_STOPPED;
}

static int
cmd_stop(void)
{
	pid_t		 pid;
	unsigned int	 waited;

	if ((pid = lvsd_pidfile_running(env->e_pidfile)) == 0) {
		printf("lvsd for %s is not running\n", env->e_conffile);
		return 0;
	}
	if (kill(pid, SIGTERM) == -1)
		err(1, "kill %ld", (long)pid);
	for (waited = 0; waited < STOP_WAIT_MS; waited += 50) {
		if (lvsd_pidfile_running(env->e_pidfile) == 0)
			return 0;
		usleep(50000);
	}
	errx(1, "lvsd (pid %ld) did not stop within %u s", (long)pid,
	    STOP_WAIT_MS / 1000);
}

/* ldirectord's form: [configfile] [command], both optional. */
static const char *
parse_operands(int argc, char **argv)
{
	static const char *const cmds[] = { "start", "stop", "restart",
	    "status", NULL };
	const char	*cmd = "start";
	int		 i;

	if (argc > 2)
		usage();
	for (i = 0; i < argc; i++) {
		int	 j, iscmd = 0;

		for (j = 0; cmds[j] != NULL; j++)
			if (strcmp(argv[i], cmds[j]) == 0)
				iscmd = 1;
		if (iscmd)
			cmd = argv[i];
		else if (i == 0 && argc == 2)
			env->e_conffile = argv[i];
		else if (argc == 1)
			env->e_conffile = argv[i];
		else
			usage();
	}
	return cmd;
}

int
main(int argc, char **argv)
{
	const char	*user = LVSD_USER, *cmd;
	int		 ch, testonly = 0;

	env->e_conffile = LVSD_CONF_DEFAULT;
	env->e_libexecdir = LVSD_LIBEXECDIR;
	while ((ch = getopt(argc, argv, "df:tu:vx:")) != -1) {
		switch (ch) {
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
	cmd = parse_operands(argc - optind, argv + optind);
	if (testonly)
		return test_conf(env->e_conffile, testonly);
	lvsd_pidfile_path(env->e_pidfile, sizeof(env->e_pidfile), env->e_conffile);
	if (strcmp(cmd, "status") == 0)
		return cmd_status();
	if (strcmp(cmd, "stop") == 0)
		return cmd_stop();
	if ((env->e_conf = load_conf(env->e_conffile)) == NULL)
		return 1;
	if (check_conf_owner(env->e_conffile) == -1)
		return 1;
	resolve_user(user);
	if (strcmp(cmd, "restart") == 0 && cmd_stop() != 0)
		return 1;
	run_daemon();
}

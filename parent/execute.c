/*
 * execute=: other lvsd instances, each with its own configuration,
 * started, stopped and reloaded along with this one, as ldirectord runs
 * "ldirectord NAME start|stop|reload" through a shell.  lvsd runs its
 * own executable, without a shell or a search of PATH, with -f and the
 * configuration's absolute path, this instance's -u and -x, and the
 * action; it does not wait for it: each instance logs for itself.
 */
#include <sys/types.h>

#include <limits.h>
#include <signal.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "lvsd.h"

/* This executable, read at start: the file may be replaced later. */
static char	 execute_self[PATH_MAX];

void
execute_init(void)
{
	ssize_t	 n;

	n = readlink("/proc/self/exe", execute_self, sizeof(execute_self) - 1);
	if (n <= 0)
		fatal("%s: /proc/self/exe", __func__);
	execute_self[n] = '\0';
}

/* In the child after fork: signals as a fresh process has them. */
static void __attribute__((noreturn))
execute_exec(const char *conffile, const char *action)
{
	char	*argv[10];
	char	*envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	sigset_t set;
	int	 argc = 0;

	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	signal(SIGPIPE, SIG_DFL);
	closefrom(STDERR_FILENO + 1);
	argv[argc++] = "lvsd";
	argv[argc++] = "-u";
	argv[argc++] = (char *)(uintptr_t)env->e_user;
	argv[argc++] = "-x";
	argv[argc++] = (char *)(uintptr_t)env->e_libexecdir;
	argv[argc++] = "-f";
	argv[argc++] = (char *)(uintptr_t)conffile;
	argv[argc++] = (char *)(uintptr_t)action;
	argv[argc] = NULL;
	execve(execute_self, argv, envp);
	_exit(127);
}

/* "start", "stop" or "reload" every execute= of c. */
void
execute_all(const struct conf *c, const char *action)
{
	size_t	 i;

	for (i = 0; i < c->c_nexecute; i++) {
		log_info("execute: %s %s", action, c->c_execute[i]);
		log_flush();	/* the child must not inherit held lines */
		switch (fork()) {
		case -1:
			log_warn("execute: fork");
			return;
		case 0:
			execute_exec(c->c_execute[i], action);
		default:
			break;	/* proc_reap() reaps it */
		}
	}
}

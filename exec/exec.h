/*
 * lvsd-exec: the small process that runs the commands of the config
 * (checkcommand of the external and external-perl checks) for the
 * checker, which may not execute anything.  It runs as the checker's
 * unprivileged user, with no capability, but neither chrooted nor under
 * seccomp: it must execve programs anywhere on the system, and a filter
 * would be inherited by them.  What keeps it small is what it accepts:
 * from the parent the table of commands, from the checker only "run the
 * command of real N" and nothing that becomes a string.
 */
#ifndef LVSD_EXEC_H
#define LVSD_EXEC_H

#include <sys/queue.h>
#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "ev.h"
#include "msg.h"

/* The interpreter of external-perl checks (ldirectord: its own). */
#ifndef LVSD_PERL
#define LVSD_PERL		"/usr/bin/perl"
#endif
/* Most commands running at once; more wait for a free slot. */
#define EXEC_MAX_RUNNING	32
/* From SIGTERM at the timeout to SIGKILL of what is left. */
#define EXEC_KILL_GRACE_MS	1000
/* Longest timeout the parent may ask for: an hour. */
#define EXEC_TIMEOUT_MAX_MS	(3600U * 1000)
/* The most reals a CONF_BEGIN may announce (as the checker's). */
#define EXEC_MAX_IDS		(1U << 20)

/* argv of one command: the program and ldirectord's four arguments. */
struct exec_argv {
	const char	*xa_file;	/* what execve runs */
	char		*xa_argv[7];
	char		 xa_vip[ADDR_STRLEN];
	char		 xa_vport[8];
	char		 xa_rip[ADDR_STRLEN];
	char		 xa_rport[8];
};

/* argv of a hook: sh -c 'LINE "$@"' sh ARGS... */
struct exec_hook_argv {
	char		*xh_argv[8];
	char		 xh_script[MSG_PATH_LEN + 8];
	char		 xh_where[ADDR_STRLEN + 8];
	char		 xh_proto[4];
};

/* The shell of fallbackcommand and callback, as ldirectord's system(). */
#define EXEC_SHELL		"/bin/sh"

/* One hook of the table (hook.c); at most one run of it at a time. */
struct exec_hook {
	struct msg_exec_hook	 xk_hook;
	uint32_t		 xk_gen;
	pid_t			 xk_pid;	/* 0: not running */
	uint8_t			 xk_action;	/* the run's */
	uint8_t			 xk_pending;	/* asked for meanwhile; 0 */
	int			 xk_timedout;
	int			 xk_orphan;	/* its table was replaced */
	uint64_t		 xk_started;
	struct ev_timer		 xk_timer;
};

/* One command of the table; a job while it runs or waits. */
struct exec_job {
	struct msg_exec_cmd	 xj_cmd;
	int			 xj_state;	/* XJ_* */
	uint64_t		 xj_seq;	/* the request's */
	uint32_t		 xj_gen;
	pid_t			 xj_pid;	/* and its process group */
	uint64_t		 xj_started;	/* ev_now() */
	int			 xj_timedout;
	int			 xj_orphan;	/* its table was replaced */
	struct ev_timer		 xj_timer;	/* timeout, then the kill */
	TAILQ_ENTRY(exec_job)	 xj_entry;	/* waiting or running */
};

#define XJ_IDLE		0
#define XJ_WAITING	1
#define XJ_RUNNING	2

/* cmd.c: what the parent may send, and argv from it */
int	 exec_cmd_validate(const struct msg_exec_cmd *, uint32_t, char *,
	    size_t);
void	 exec_argv_build(const struct msg_exec_cmd *, struct exec_argv *);
int	 exec_hook_validate(const struct msg_exec_hook *, uint32_t, char *,
	    size_t);
int	 exec_fire_validate(const struct msg_exec_fire *,
	    const struct msg_exec_hook *, char *, size_t);
void	 exec_hook_place(const struct msg_exec_hook *, char *, size_t, char *,
	    size_t);
int	 exec_hook_argv(const struct msg_exec_hook *, uint8_t,
	    struct exec_hook_argv *);

/* hook.c: the parent's commands */
int	 hook_table_begin(uint32_t);
void	 hook_table_set(const struct msg_exec_hook *);
void	 hook_table_end(uint32_t);
const struct msg_exec_hook *hook_lookup(uint32_t, uint32_t);
void	 hook_fire(uint32_t, uint8_t);
int	 hook_reaped(pid_t, int);
void	 hook_kill_all(void);

/* job.c */
typedef void	(*exec_done_fn)(const struct exec_job *, int, int32_t);
void	 job_init(exec_done_fn);
int	 job_table_begin(uint32_t);
void	 job_table_set(const struct msg_exec_cmd *);
void	 job_table_end(uint32_t);
int	 job_table_known(uint32_t);
uint32_t job_table_size(uint32_t);
struct exec_job *job_lookup(uint32_t, uint32_t);
void	 job_request(struct exec_job *, uint64_t, uint32_t);
void	 job_reap(void);
void	 job_kill_all(void);
pid_t	 job_spawn(const char *, char *const []);

#endif /* LVSD_EXEC_H */

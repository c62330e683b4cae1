/*
 * Running the commands: one job per real server whose check runs a
 * command, at most one run of it at a time, at most EXEC_MAX_RUNNING
 * runs at once (the others wait, in order).  Each run is its own
 * process group with an empty environment but PATH, /dev/null on its
 * standard descriptors and nothing else open; at its timeout the group
 * gets SIGTERM, EXEC_KILL_GRACE_MS later SIGKILL; when the command
 * exits, whatever it left in its group is killed.  The helper is a
 * child subreaper, so what a command leaves behind is reaped here too.
 */
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "log.h"

TAILQ_HEAD(exec_jobq, exec_job);

struct job_table {
	struct exec_job	**jt_jobs;	/* by id; NULL: no command */
	uint32_t	 jt_n;
	uint32_t	 jt_gen;
};

/*
 * The table in force, the one before it and the one being loaded.  The
 * one before serves a checker that has not had the new configuration
 * yet (it gets it only once ipvsd has applied it).
 */
static struct job_table	 job_cur, job_prev, job_next;
static struct exec_jobq	 job_waiting = TAILQ_HEAD_INITIALIZER(job_waiting);
static struct exec_jobq	 job_running = TAILQ_HEAD_INITIALIZER(job_running);
static unsigned int	 job_nrunning;
static exec_done_fn	 job_done_cb;

static void	job_timer(void *);
static void	job_start_waiting(void);

void
job_init(exec_done_fn done)
{
	job_done_cb = done;
}

/* A new table of n ids, filled by job_table_set, in force at its end. */
int
job_table_begin(uint32_t n)
{
	if (n > EXEC_MAX_IDS)
		return -1;
	job_next.jt_n = n;
	if ((job_next.jt_jobs = calloc(n ? n : 1,
	    sizeof(struct exec_job *))) == NULL)
		fatal("%s", __func__);
	return 0;
}

/* The caller has validated cmd against the table's size. */
void
job_table_set(const struct msg_exec_cmd *cmd)
{
	struct exec_job	*xj;

	if (job_next.jt_jobs[cmd->ec_id] != NULL)
		free(job_next.jt_jobs[cmd->ec_id]);
	if ((xj = calloc(1, sizeof(*xj))) == NULL)
		fatal("%s", __func__);
	xj->xj_cmd = *cmd;
	ev_timer_set(&xj->xj_timer, job_timer, xj);
	job_next.jt_jobs[cmd->ec_id] = xj;
}

/*
 * The old table goes: an idle job with it, a waiting one after an
 * answer that its generation is gone, a running one when it ends
 * (job_finish frees a job no table holds).
 */
static void
job_retire(struct exec_job *xj)
{
	if (xj->xj_state == XJ_RUNNING) {
		xj->xj_orphan = 1;	/* no table holds it now */
		return;
	}
	if (xj->xj_state == XJ_WAITING) {
		TAILQ_REMOVE(&job_waiting, xj, xj_entry);
		job_done_cb(xj, EXEC_STALE, 0);
	}
	free(xj);
}

void
job_table_end(uint32_t gen)
{
	uint32_t	 i;

	for (i = 0; i < job_prev.jt_n; i++)
		if (job_prev.jt_jobs[i] != NULL)
			job_retire(job_prev.jt_jobs[i]);
	free(job_prev.jt_jobs);
	job_prev = job_cur;
	job_cur = job_next;
	job_cur.jt_gen = gen;
	memset(&job_next, 0, sizeof(job_next));
	log_debug("configuration %u: %u ids", gen, job_cur.jt_n);
}

/* Is gen the generation of a table the helper still has? */
int
job_table_known(uint32_t gen)
{
	return gen != 0 && (gen == job_cur.jt_gen || gen == job_prev.jt_gen);
}

uint32_t
job_table_size(uint32_t gen)
{
	return gen == job_cur.jt_gen ? job_cur.jt_n : job_prev.jt_n;
}

/* The job of id in generation gen's table, or NULL. */
struct exec_job *
job_lookup(uint32_t gen, uint32_t id)
{
	const struct job_table	*t;

	if (!job_table_known(gen))
		return NULL;
	t = gen == job_cur.jt_gen ? &job_cur : &job_prev;
	return id < t->jt_n ? t->jt_jobs[id] : NULL;
}

/* In the child: a clean process, then the command. */
static void __attribute__((noreturn))
job_child(const char *file, char *const argv[])
{
	char		*envp[] = {
	    (char *)(uintptr_t)"PATH=/usr/local/sbin:/usr/local/bin:"
	    "/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	sigset_t	 set;
	int		 fd, sig;

	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	/* ignored signals stay ignored across execve: undo the helper's */
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	if (setpgid(0, 0) == -1 || prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		_exit(127);
	if ((fd = open("/dev/null", O_RDWR)) == -1 ||
	    dup2(fd, STDIN_FILENO) == -1 || dup2(fd, STDOUT_FILENO) == -1 ||
	    dup2(fd, STDERR_FILENO) == -1)
		_exit(127);
	closefrom(STDERR_FILENO + 1);
	if (chdir("/") == -1)
		_exit(127);
	execve(file, argv, envp);
	_exit(127);
}

/*
 * Fork a clean child running file with argv, in its own process group
 * (hook.c too); -1 with errno when fork fails.
 */
pid_t
job_spawn(const char *file, char *const argv[])
{
	pid_t	 pid;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0)
		job_child(file, argv);
	/* both sides set the group, so a kill never finds it unset */
	(void)setpgid(pid, pid);
	return pid;
}

static void
job_start(struct exec_job *xj)
{
	struct exec_argv	 xa;
	pid_t			 pid;

	exec_argv_build(&xj->xj_cmd, &xa);
	if ((pid = job_spawn(xa.xa_file, xa.xa_argv)) == -1) {
		log_warn("fork for real %u", xj->xj_cmd.ec_id);
		xj->xj_state = XJ_IDLE;
		job_done_cb(xj, EXEC_NOSTART, errno);
		return;
	}
	xj->xj_pid = pid;
	xj->xj_state = XJ_RUNNING;
	xj->xj_timedout = 0;
	xj->xj_started = ev_now();
	TAILQ_INSERT_TAIL(&job_running, xj, xj_entry);
	job_nrunning++;
	ev_timer_add(&xj->xj_timer, xj->xj_cmd.ec_timeout_ms);
	log_debug("real %u: started %s (pid %ld)", xj->xj_cmd.ec_id,
	    xj->xj_cmd.ec_path, (long)pid);
}

/* Run xj's command for the checker's request seq of generation gen. */
void
job_request(struct exec_job *xj, uint64_t seq, uint32_t gen)
{
	if (xj->xj_state != XJ_IDLE) {
		struct exec_job	 busy = *xj;

		busy.xj_seq = seq;
		busy.xj_gen = gen;
		job_done_cb(&busy, EXEC_BUSY, 0);
		return;
	}
	xj->xj_seq = seq;
	xj->xj_gen = gen;
	xj->xj_state = XJ_WAITING;
	TAILQ_INSERT_TAIL(&job_waiting, xj, xj_entry);
	job_start_waiting();
}

static void
job_start_waiting(void)
{
	struct exec_job	*xj;

	while (job_nrunning < EXEC_MAX_RUNNING &&
	    (xj = TAILQ_FIRST(&job_waiting)) != NULL) {
		TAILQ_REMOVE(&job_waiting, xj, xj_entry);
		job_start(xj);
	}
}

/* The timeout: SIGTERM to the group; the grace after it: SIGKILL. */
static void
job_timer(void *arg)
{
	struct exec_job	*xj = arg;

	if (xj->xj_state != XJ_RUNNING)
		return;
	if (!xj->xj_timedout) {
		log_info("real %u: %s timed out after %u ms; stopping it",
		    xj->xj_cmd.ec_id, xj->xj_cmd.ec_path,
		    xj->xj_cmd.ec_timeout_ms);
		xj->xj_timedout = 1;
		(void)kill(-xj->xj_pid, SIGTERM);
		ev_timer_add(&xj->xj_timer, EXEC_KILL_GRACE_MS);
	} else
		(void)kill(-xj->xj_pid, SIGKILL);
}

/* xj's command has been reaped: clear its group, answer, next. */
static void
job_finish(struct exec_job *xj, int status)
{
	int	 result;
	int32_t	 value;

	/*
	 * Before any other fork: while the group has a member its id is
	 * not reused, and once it has none the kill finds nothing.
	 */
	(void)kill(-xj->xj_pid, SIGKILL);
	ev_timer_del(&xj->xj_timer);
	TAILQ_REMOVE(&job_running, xj, xj_entry);
	job_nrunning--;
	xj->xj_state = XJ_IDLE;
	if (xj->xj_timedout) {
		result = EXEC_TIMEDOUT;
		value = 0;
	} else if (WIFSIGNALED(status)) {
		result = EXEC_SIGNALED;
		value = WTERMSIG(status);
	} else {
		result = EXEC_EXITED;
		value = WEXITSTATUS(status);
	}
	if (xj->xj_orphan)
		free(xj);	/* its table is gone: so is its generation */
	else
		job_done_cb(xj, result, value);
}

/* SIGCHLD: every dead process; the commands among them are answered. */
void
job_reap(void)
{
	struct exec_job	*xj;
	pid_t		 pid;
	int		 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		TAILQ_FOREACH(xj, &job_running, xj_entry)
			if (xj->xj_pid == pid)
				break;
		if (xj != NULL)
			job_finish(xj, status);
		else
			(void)hook_reaped(pid, status);
	}
	job_start_waiting();
}

/* On the way out: nothing of ours outlives the helper. */
void
job_kill_all(void)
{
	struct exec_job	*xj;

	TAILQ_FOREACH(xj, &job_running, xj_entry)
		(void)kill(-xj->xj_pid, SIGKILL);
	hook_kill_all();
}

/*
 * The parent's commands: fallbackcommand and callback.  The parent
 * sends them with each configuration and later names one by index and
 * action; each run goes through /bin/sh in a clean process group (the
 * same child as a check's, job.c), with a timeout, and how it ended is
 * logged, which the parent reads.  A hook runs once at a time: an
 * action asked for while it runs waits, the latest one only, and a
 * fallbackcommand skips it if it is the action that just ran.
 */
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "log.h"

struct hook_table {
	struct exec_hook	**ht_hooks;	/* by index; NULL: none */
	uint32_t		 ht_n;
	uint32_t		 ht_gen;
};

static struct hook_table	 hook_cur, hook_next;
/*
 * Runs whose table was replaced: still ours to time out and reap.  A
 * few reloads' worth; beyond that a straggler is killed at once.
 */
#define HOOK_MAX_ORPHANS	64
static struct exec_hook		*hook_orphans[HOOK_MAX_ORPHANS];

static void	hook_timer(void *);

int
hook_table_begin(uint32_t n)
{
	if (n > EXEC_MAX_IDS)
		return -1;
	hook_next.ht_n = n;
	if ((hook_next.ht_hooks = calloc(n ? n : 1,
	    sizeof(struct exec_hook *))) == NULL)
		fatal("%s", __func__);
	return 0;
}

/* The caller has validated h against the table's size. */
void
hook_table_set(const struct msg_exec_hook *h)
{
	struct exec_hook	*xk;

	free(hook_next.ht_hooks[h->eh_id]);
	if ((xk = calloc(1, sizeof(*xk))) == NULL)
		fatal("%s", __func__);
	xk->xk_hook = *h;
	ev_timer_set(&xk->xk_timer, hook_timer, xk);
	hook_next.ht_hooks[h->eh_id] = xk;
}

/* A run of a table that is gone goes on; it is kept to be reaped. */
static void
hook_orphan(struct exec_hook *xk)
{
	size_t	 i;

	xk->xk_orphan = 1;
	xk->xk_pending = 0;
	for (i = 0; i < HOOK_MAX_ORPHANS; i++)
		if (hook_orphans[i] == NULL) {
			hook_orphans[i] = xk;
			return;
		}
	/* too many stragglers: this one is ended now */
	(void)kill(-xk->xk_pid, SIGKILL);
	xk->xk_pid = 0;
	ev_timer_del(&xk->xk_timer);
	free(xk);
}

void
hook_table_end(uint32_t gen)
{
	uint32_t	 i;

	for (i = 0; i < hook_cur.ht_n; i++) {
		if (hook_cur.ht_hooks[i] == NULL)
			continue;
		if (hook_cur.ht_hooks[i]->xk_pid != 0)
			hook_orphan(hook_cur.ht_hooks[i]);
		else
			free(hook_cur.ht_hooks[i]);
	}
	free(hook_cur.ht_hooks);
	hook_cur = hook_next;
	hook_cur.ht_gen = gen;
	memset(&hook_next, 0, sizeof(hook_next));
}

/* The hook at index id of generation gen, or NULL. */
const struct msg_exec_hook *
hook_lookup(uint32_t gen, uint32_t id)
{
	if (gen == 0 || gen != hook_cur.ht_gen || id >= hook_cur.ht_n ||
	    hook_cur.ht_hooks[id] == NULL)
		return NULL;
	return &hook_cur.ht_hooks[id]->xk_hook;
}

/* "fallbackcommand start of 192.0.2.1:80 tcp", "callback". */
static void
hook_name(const struct exec_hook *xk, uint8_t action, char *buf, size_t len)
{
	char	 where[ADDR_STRLEN + 8], proto[4];

	if (xk->xk_hook.eh_kind == HOOK_CALLBACK) {
		strlcpy(buf, "callback", len);
		return;
	}
	exec_hook_place(&xk->xk_hook, where, sizeof(where), proto,
	    sizeof(proto));
	snprintf(buf, len, "fallbackcommand %s of %s %s",
	    action == HOOK_START ? "start" : "stop", where, proto);
}

static void
hook_start(struct exec_hook *xk, uint8_t action)
{
	struct exec_hook_argv	 xh;
	char			 name[128];
	pid_t			 pid;

	hook_name(xk, action, name, sizeof(name));
	if (exec_hook_argv(&xk->xk_hook, action, &xh) == -1) {
		log_warnx("%s: command too long", name);
		return;
	}
	if ((pid = job_spawn(EXEC_SHELL, xh.xh_argv)) == -1) {
		log_warn("%s: fork", name);
		return;
	}
	xk->xk_pid = pid;
	xk->xk_action = action;
	xk->xk_timedout = 0;
	xk->xk_started = ev_now();
	ev_timer_add(&xk->xk_timer, xk->xk_hook.eh_timeout_ms);
	log_debug("%s: started (pid %ld)", name, (long)pid);
}

/* The parent asks for a run of a hook it has validated against us. */
void
hook_fire(uint32_t id, uint8_t action)
{
	struct exec_hook	*xk = hook_cur.ht_hooks[id];

	if (xk->xk_pid != 0)
		xk->xk_pending = action;
	else
		hook_start(xk, action);
}

/* The timeout: SIGTERM to the group; the grace after it: SIGKILL. */
static void
hook_timer(void *arg)
{
	struct exec_hook	*xk = arg;
	char			 name[128];

	if (xk->xk_pid == 0)
		return;
	if (xk->xk_timedout) {
		(void)kill(-xk->xk_pid, SIGKILL);
		return;
	}
	hook_name(xk, xk->xk_action, name, sizeof(name));
	log_warnx("%s: timed out after %u ms; stopping it", name,
	    xk->xk_hook.eh_timeout_ms);
	xk->xk_timedout = 1;
	(void)kill(-xk->xk_pid, SIGTERM);
	ev_timer_add(&xk->xk_timer, EXEC_KILL_GRACE_MS);
}

static void
hook_log_end(const struct exec_hook *xk, int status)
{
	char		 name[128];
	unsigned long	 ms = (unsigned long)(ev_now() - xk->xk_started);

	hook_name(xk, xk->xk_action, name, sizeof(name));
	if (xk->xk_timedout)
		log_warnx("%s: killed at its timeout, after %lu ms", name, ms);
	else if (WIFSIGNALED(status))
		log_warnx("%s: killed by signal %d after %lu ms", name,
		    WTERMSIG(status), ms);
	else if (WEXITSTATUS(status) != 0)
		log_warnx("%s: exited with status %d after %lu ms%s", name,
		    WEXITSTATUS(status), ms, WEXITSTATUS(status) == 127 ?
		    " (not found?)" : "");
	else
		log_info("%s: exited with status 0 after %lu ms", name, ms);
}

/* xk's run has been reaped: clear its group, log, run what waits. */
static void
hook_finish(struct exec_hook *xk, int status)
{
	uint8_t	 next = xk->xk_pending;

	(void)kill(-xk->xk_pid, SIGKILL);
	ev_timer_del(&xk->xk_timer);
	hook_log_end(xk, status);
	xk->xk_pid = 0;
	xk->xk_pending = 0;
	if (next != 0 && (xk->xk_hook.eh_kind == HOOK_CALLBACK ||
	    next != xk->xk_action))
		hook_start(xk, next);
}

static struct exec_hook *
hook_by_pid(pid_t pid, size_t *orphan)
{
	uint32_t	 i;
	size_t		 j;

	for (i = 0; i < hook_cur.ht_n; i++)
		if (hook_cur.ht_hooks[i] != NULL &&
		    hook_cur.ht_hooks[i]->xk_pid == pid)
			return hook_cur.ht_hooks[i];
	for (j = 0; j < HOOK_MAX_ORPHANS; j++)
		if (hook_orphans[j] != NULL &&
		    hook_orphans[j]->xk_pid == pid) {
			*orphan = j;
			return hook_orphans[j];
		}
	return NULL;
}

/* A dead process (job.c reaps them all): 1 if it was a hook's. */
int
hook_reaped(pid_t pid, int status)
{
	struct exec_hook	*xk;
	size_t			 orphan = SIZE_MAX;

	if (pid <= 0 || (xk = hook_by_pid(pid, &orphan)) == NULL)
		return 0;
	hook_finish(xk, status);
	if (orphan != SIZE_MAX) {
		hook_orphans[orphan] = NULL;
		free(xk);
	}
	return 1;
}

/* On the way out: nothing of ours outlives the helper. */
void
hook_kill_all(void)
{
	uint32_t	 i;
	size_t		 j;

	for (i = 0; i < hook_cur.ht_n; i++)
		if (hook_cur.ht_hooks[i] != NULL &&
		    hook_cur.ht_hooks[i]->xk_pid != 0)
			(void)kill(-hook_cur.ht_hooks[i]->xk_pid, SIGKILL);
	for (j = 0; j < HOOK_MAX_ORPHANS; j++)
		if (hook_orphans[j] != NULL)
			(void)kill(-hook_orphans[j]->xk_pid, SIGKILL);
}

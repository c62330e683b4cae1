/*
 * checktype external and external-perl: the checker cannot execute
 * anything, so it asks lvsd-exec to run the real's command (EXEC_RUN:
 * the real's id, nothing else) and learns how it ended (EXEC_DONE).
 * Up iff the command exits with status 0.  The helper kills the command
 * at the check's timeout; the checker's own deadline, a little later,
 * covers a helper that does not answer, and a helper that dies fails
 * every check that waits for it.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "checker.h"
#include "log.h"

/*
 * Beyond the timeout: the helper's SIGTERM-to-SIGKILL second, and slack
 * for a loaded machine to reap the command and answer.
 */
#define CHECK_EXEC_GRACE_MS	5000
/* A reload raced the request: ask again this much later. */
#define CHECK_EXEC_RETRY_MS	50

/*
 * The checks waiting for an answer.  A linear list: each entry is a
 * running process, so there are never many.
 */
static TAILQ_HEAD(, check) exec_pending = TAILQ_HEAD_INITIALIZER(exec_pending);
static uint64_t		 exec_last_seq;

static void	check_exec_send(struct check *);

static void
check_exec_unqueue(struct check *ck)
{
	if (!ck->ck_exec_pending)
		return;
	TAILQ_REMOVE(&exec_pending, ck, ck_exec_entry);
	ck->ck_exec_pending = 0;
}

/* Abandon the probe in flight, if any; no verdict. */
void
check_exec_stop(struct check *ck)
{
	ev_timer_del(&ck->ck_deadline);
	ev_timer_del(&ck->ck_retry);
	check_exec_unqueue(ck);
}

static void
check_exec_finish(struct check *ck, int up, const char *why)
{
	check_exec_stop(ck);
	sched_done(ck, up, why);
}

static void
check_exec_timeout(void *arg)
{
	struct check	*ck = arg;
	char		 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "external: no answer from the exec "
	    "helper within %u ms", ck->ck_msg->ck_connect_timeout_ms +
	    CHECK_EXEC_GRACE_MS);
	check_exec_finish(ck, 0, why);
}

static void
check_exec_retry(void *arg)
{
	check_exec_send(arg);
}

static void
check_exec_send(struct check *ck)
{
	struct msg_exec_run	 er;

	memset(&er, 0, sizeof(er));
	er.er_id = ck->ck_id;
	er.er_seq = ++exec_last_seq;
	if (checker_exec_send(&er) == -1) {
		check_exec_finish(ck, 0, "external: no exec helper");
		return;
	}
	ck->ck_exec_seq = er.er_seq;
	ck->ck_exec_id = er.er_id;
	ck->ck_exec_pending = 1;
	TAILQ_INSERT_TAIL(&exec_pending, ck, ck_exec_entry);
}

void
check_exec_start(struct check *ck)
{
	ev_timer_set(&ck->ck_deadline, check_exec_timeout, ck);
	ev_timer_add(&ck->ck_deadline, (uint64_t)ck->ck_msg->ck_connect_timeout_ms
	    + CHECK_EXEC_GRACE_MS);
	ev_timer_set(&ck->ck_retry, check_exec_retry, ck);
	check_exec_send(ck);
}

/* The verdict and its reason from a valid answer. */
static int
check_exec_verdict(const struct msg_exec_done *ed, char *why, size_t len)
{
	switch (ed->ed_result) {
	case EXEC_EXITED:
		snprintf(why, len, "external: exit status %d%s",
		    ed->ed_status, ed->ed_status == 127 ?
		    " (not found or not executable?)" : "");
		return ed->ed_status == 0;
	case EXEC_SIGNALED:
		snprintf(why, len, "external: killed by signal %d (%s)",
		    ed->ed_status, sigabbrev_np(ed->ed_status) != NULL ?
		    sigabbrev_np(ed->ed_status) : "?");
		return 0;
	case EXEC_TIMEDOUT:
		snprintf(why, len, "external: timed out after %u ms, killed",
		    ed->ed_ms);
		return 0;
	case EXEC_NOSTART:
		snprintf(why, len, "external: could not start: %s",
		    strerror(ed->ed_status));
		return 0;
	default:	/* EXEC_BUSY */
		snprintf(why, len, "external: its previous run is still "
		    "going");
		return 0;
	}
}

/* Everything but whether the answer matches a request. */
static int
check_exec_done_ok(const struct msg_exec_done *ed)
{
	if (ed->ed_result == 0 || ed->ed_result >= EXEC_RESULT_MAX ||
	    ed->ed_pad[0] || ed->ed_pad[1] || ed->ed_pad[2])
		return 0;
	if (ed->ed_result == EXEC_EXITED)
		return ed->ed_status >= 0 && ed->ed_status <= 255;
	if (ed->ed_result == EXEC_SIGNALED)
		return ed->ed_status > 0 && ed->ed_status < NSIG;
	if (ed->ed_result == EXEC_NOSTART)
		return ed->ed_status > 0 && ed->ed_status < 4096;
	return 1;
}

/*
 * An answer from the helper.  One to a request the checker has given
 * up on is ignored; one to a request never made, or malformed, drops
 * the helper's channel: -1.
 */
int
check_exec_done(const struct msg_exec_done *ed, char *bad, size_t len)
{
	struct check	*ck;
	char		 why[CHECK_REASON_LEN];

	if (!check_exec_done_ok(ed) || ed->ed_seq == 0 ||
	    ed->ed_seq > exec_last_seq) {
		snprintf(bad, len, "malformed EXEC_DONE (result %u, status "
		    "%d, seq %llu)", ed->ed_result, ed->ed_status,
		    (unsigned long long)ed->ed_seq);
		return -1;
	}
	TAILQ_FOREACH(ck, &exec_pending, ck_exec_entry)
		if (ck->ck_exec_seq == ed->ed_seq)
			break;
	if (ck == NULL)
		return 0;
	if (ck->ck_exec_id != ed->ed_id) {
		snprintf(bad, len, "EXEC_DONE for id %u, asked for %u",
		    ed->ed_id, ck->ck_exec_id);
		return -1;
	}
	check_exec_unqueue(ck);
	if (ed->ed_result == EXEC_STALE) {
		ev_timer_add(&ck->ck_retry, CHECK_EXEC_RETRY_MS);
		return 0;
	}
	check_exec_finish(ck, check_exec_verdict(ed, why, sizeof(why)), why);
	return 0;
}

/* The helper's channel closed: nobody will answer these. */
void
check_exec_lost(void)
{
	struct check	*ck;

	while ((ck = TAILQ_FIRST(&exec_pending)) != NULL)
		check_exec_finish(ck, 0, "external: the exec helper went "
		    "away");
}

/*
 * The checker's half of an external check (checker/check_exec.c): what
 * it asks lvsd-exec, and what it takes back.  An answer is the verdict
 * of the request it names; one to a request never made, for another id,
 * with an unknown result, a status out of range or a byte in the
 * padding drops the helper; one to a request given up on is ignored; a
 * helper that goes away fails every check that waits.  The scheduler
 * and the channel are replaced by recorders here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "checker.h"

static struct msg_exec_run	 sent;
static int			 nsent, channel = 1;
static int			 ndone, last_up;
static char			 last_why[256];

int
checker_exec_send(const struct msg_exec_run *er)
{
	if (!channel)
		return -1;
	sent = *er;
	nsent++;
	return 0;
}

void
sched_done(struct check *ck, int up, const char *why)
{
	ck->ck_busy = 0;
	ndone++;
	last_up = up;
	strlcpy(last_why, why, sizeof(last_why));
}

static struct check *
mk(uint32_t id)
{
	static struct msg_check	 msg;
	struct check		*ck;

	if ((ck = calloc(1, sizeof(*ck))) == NULL)
		abort();
	msg.ck_type = CHECK_EXTERNAL;
	msg.ck_connect_timeout_ms = 1000;
	ck->ck_msg = &msg;
	ck->ck_id = id;
	ck->ck_busy = 1;
	return ck;
}

static struct msg_exec_done
answer(uint32_t id, uint64_t seq, uint8_t result, int32_t status)
{
	struct msg_exec_done	 ed;

	memset(&ed, 0, sizeof(ed));
	ed.ed_id = id;
	ed.ed_seq = seq;
	ed.ed_result = result;
	ed.ed_status = status;
	ed.ed_ms = 12;
	return ed;
}

/* Start ck, answer it with ed: -1 (dropped), or 0 and the verdict. */
static int
run(struct check *ck, struct msg_exec_done ed)
{
	char	 bad[128];
	int	 r;

	ck->ck_busy = 1;
	check_exec_start(ck);
	if (ed.ed_seq == 0)
		ed.ed_seq = sent.er_seq;
	r = check_exec_done(&ed, bad, sizeof(bad));
	if (r == -1)
		check_exec_stop(ck);
	return r;
}

static void
test_verdicts(struct check *ck)
{
	int	 before;

	ok(run(ck, answer(5, 0, EXEC_EXITED, 0)) == 0 && last_up == 1,
	    "exit status 0: up");
	is_int(sent.er_id, 5, "the request names the real's id");
	is_int(sent.er_pad, 0, "and nothing else");
	is_str(last_why, "external: exit status 0", "  the reason");
	ok(run(ck, answer(5, 0, EXEC_EXITED, 3)) == 0 && last_up == 0,
	    "exit status 3: down");
	is_str(last_why, "external: exit status 3", "  the reason");
	ok(run(ck, answer(5, 0, EXEC_SIGNALED, 9)) == 0 && last_up == 0,
	    "a signal: down");
	is_str(last_why, "external: killed by signal 9 (KILL)", "  the reason");
	ok(run(ck, answer(5, 0, EXEC_TIMEDOUT, 0)) == 0 && last_up == 0,
	    "a timeout: down");
	ok(run(ck, answer(5, 0, EXEC_NOSTART, 11)) == 0 && last_up == 0,
	    "no fork: down");
	ok(run(ck, answer(5, 0, EXEC_BUSY, 0)) == 0 && last_up == 0,
	    "still running from before: down");
	before = ndone;
	ok(run(ck, answer(5, 0, EXEC_STALE, 0)) == 0 && ndone == before,
	    "another generation: no verdict");
	ok(ck->ck_busy && ev_timer_pending(&ck->ck_retry),
	    "  the request is asked again a little later");
	check_exec_stop(ck);
	ck->ck_busy = 0;
}

static void
test_forged(struct check *ck)
{
	struct msg_exec_done	 ed;
	char			 bad[128];
	int			 before;

	ok(run(ck, answer(6, 0, EXEC_EXITED, 0)) == -1,
	    "an answer for another id drops the helper");
	ok(run(ck, answer(5, 0, 0, 0)) == -1, "result 0 drops it");
	ok(run(ck, answer(5, 0, EXEC_RESULT_MAX, 0)) == -1,
	    "a result past the last drops it");
	ok(run(ck, answer(5, 0, EXEC_EXITED, 256)) == -1,
	    "an exit status of 256 drops it");
	ok(run(ck, answer(5, 0, EXEC_EXITED, -1)) == -1,
	    "an exit status of -1 drops it");
	ok(run(ck, answer(5, 0, EXEC_SIGNALED, 0)) == -1,
	    "signal 0 drops it");
	ok(run(ck, answer(5, 0, EXEC_SIGNALED, 65)) == -1,
	    "signal 65 drops it");
	ed = answer(5, 0, EXEC_EXITED, 0);
	ed.ed_pad[2] = 1;
	ok(run(ck, ed) == -1, "a byte in the padding drops it");
	ok(run(ck, answer(5, UINT64_MAX, EXEC_EXITED, 0)) == -1,
	    "an answer to a request never made drops it");

	/* given up on: the check was stopped (a reload, the deadline) */
	ck->ck_busy = 1;
	check_exec_start(ck);
	ed = answer(5, sent.er_seq, EXEC_EXITED, 0);
	check_exec_stop(ck);
	before = ndone;
	ok(check_exec_done(&ed, bad, sizeof(bad)) == 0 && ndone == before,
	    "an answer to a request given up on is ignored");
	ck->ck_busy = 0;
}

static void
test_lost(void)
{
	struct check	*a = mk(1), *b = mk(2);
	int		 before = ndone;

	check_exec_start(a);
	check_exec_start(b);
	check_exec_lost();
	is_int(ndone - before, 2, "a helper that goes away fails both waiting "
	    "checks");
	like(last_why, "exec helper went away", "  the reason");
	channel = 0;
	a->ck_busy = 1;
	check_exec_start(a);
	ok(!last_up && strstr(last_why, "no exec helper") != NULL,
	    "without a helper a check fails at once");
	channel = 1;
	free(a);
	free(b);
}

int
main(void)
{
	struct check	*ck;

	ev_init();
	ck = mk(5);
	test_verdicts(ck);
	test_forged(ck);
	test_lost();
	free(ck);
	return tap_done();
}

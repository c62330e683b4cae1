/*
 * Check counts for `lvsd metrics`.  The checker tells the parent a
 * real's state only when it changes, so the parent cannot count checks;
 * instead each check counts its own probes here (how many, how many
 * failed and why, how long they took) and the counts go to the parent
 * as one STATS per checked real in answer to the parent's PING, then
 * start again from zero.  The parent adds them up; the message is
 * bounded (one per real per heartbeat) whatever the check interval.
 *
 * Why a probe failed is a fixed class, not the free text of its reason,
 * so that the metric's labels stay few; the class is read from the
 * reason each probe already gives, in one place rather than in every
 * protocol's file.
 */
#include <string.h>

#include "checker.h"

/* Words of a reason, in the order they are tried, and their class. */
static const struct {
	const char	*fw_word;
	uint8_t		 fw_class;
} fail_words[] = {
	{ "connection refused",	FAIL_REFUSED },		/* ECONNREFUSED */
	{ "connection reset",	FAIL_REFUSED },		/* ECONNRESET */
	{ "unreachable",	FAIL_UNREACHABLE },	/* ENETUNREACH... */
	{ "no route to host",	FAIL_UNREACHABLE },	/* EHOSTUNREACH */
	{ "timeout",		FAIL_TIMEOUT },
	{ "timed out",		FAIL_TIMEOUT },
	{ "within",		FAIL_TIMEOUT },	/* "no reply within N ms" */
	{ "no answer from",	FAIL_TIMEOUT },	/* the exec helper's */
	{ "closed",		FAIL_CLOSED },
	{ "hung up",		FAIL_CLOSED },
	{ "broken pipe",	FAIL_CLOSED },
	{ "malformed",		FAIL_PROTOCOL },
	{ "longer than",	FAIL_PROTOCOL },
	{ "larger than",	FAIL_PROTOCOL },
	{ "more than",		FAIL_PROTOCOL },
	{ "short",		FAIL_PROTOCOL },	/* "cut short", "too short" */
	{ "truncated",		FAIL_PROTOCOL },
	{ "not an ",		FAIL_PROTOCOL },	/* "not an FTP reply" */
	{ "not a ",		FAIL_PROTOCOL },
	{ "no whole reply",	FAIL_PROTOCOL },
	{ "match",		FAIL_MISMATCH },	/* receive= */
	{ "refused",		FAIL_MISMATCH },	/* "LOGIN refused" */
	{ "denied",		FAIL_MISMATCH },
	{ "status ",		FAIL_MISMATCH },	/* http, external */
	{ "rcode",		FAIL_MISMATCH },	/* dns */
};

/* The class of a failed probe's reason. */
int
stats_fail_class(const char *why)
{
	size_t	 i;

	for (i = 0; i < sizeof(fail_words) / sizeof(fail_words[0]); i++)
		if (strcasestr(why, fail_words[i].fw_word) != NULL)
			return fail_words[i].fw_class;
	return FAIL_OTHER;
}

/* The latency bucket of a probe that took us microseconds. */
int
stats_bucket(uint32_t us)
{
	static const uint32_t	 bounds[] = MSG_STATS_BOUNDS_US;
	int			 i;

	for (i = 0; i < MSG_STATS_BUCKETS - 1; i++)
		if (us <= bounds[i])
			break;
	return i;
}

/* One probe of ck ended. */
void
stats_count(struct msg_stats *sa, int up, const char *why, uint32_t us)
{
	/* a checker up for years: stop counting rather than wrap */
	if (sa->sa_checks == UINT32_MAX)
		return;
	sa->sa_checks++;
	sa->sa_latency_us += us;
	sa->sa_buckets[stats_bucket(us)]++;
	if (!up)
		sa->sa_fails[stats_fail_class(why)]++;
}

/*
 * The counts of every checked real since the last flush, to mc; a check
 * shared by several reals (ids) reports for each of them, so its counts
 * are cleared after its last id: a shared check's ids are in ck_ids, in
 * the order of the table.  Counts that are zero are not written: a
 * table of 100,000 reals with nothing to say is only read.
 */
void
stats_flush(struct msg_chan *mc, uint32_t gen, struct check **checks,
    uint32_t n)
{
	struct msg_stats	 sa;
	struct check		*ck;
	uint32_t		 i;

	for (i = 0; i < n; i++) {
		if ((ck = checks[i]) == NULL || ck->ck_stats.sa_checks == 0)
			continue;
		sa = ck->ck_stats;
		sa.sa_id = i;
		msg_chan_send(mc, MSG_STATS, gen, &sa, sizeof(sa));
		if (ck->ck_ids[ck->ck_nids - 1] == i)
			memset(&ck->ck_stats, 0, sizeof(ck->ck_stats));
	}
}

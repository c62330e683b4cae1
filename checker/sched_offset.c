/*
 * Where in its interval each check runs: pure arithmetic, apart from
 * the scheduler (sched.c) so that a unit test can hold it to its word.
 *
 * Check i of the n checks of a config has the phase i * interval / n:
 * once settled it starts at that offset in every interval counted from
 * when the config was applied, so the n checks of one interval are
 * evenly apart (the event loop then starts those that fall in one step
 * of its EV_GRID_MS grid in one wake-up, never before their time).  A new real is down until its
 * first check passes, though, so the first probes do not wait for their
 * phase: they are spread over min(interval, SCHED_FIRST_MS) instead,
 * check i starting at i * that / n.  The second probe then starts at
 * the check's phase in the first interval that leaves at least half an
 * interval after the first one started: no two probes of one check come
 * closer than half an interval, and none is more than one and a half
 * intervals after the one before.  From then on each round is due an
 * interval after the one before was (sched_next_ms).
 */
#include <stdint.h>

#include "checker.h"

/* When check idx of n first starts, in ms after the config is applied. */
uint64_t
sched_first_ms(uint64_t interval, uint32_t idx, uint32_t n)
{
	uint64_t	 window = interval;

	if (window > SCHED_FIRST_MS)
		window = SCHED_FIRST_MS;
	return n ? (uint64_t)idx * window / n : 0;
}

/* The offset of check idx of n in each of its intervals. */
uint64_t
sched_phase_ms(uint64_t interval, uint32_t idx, uint32_t n)
{
	return n ? (uint64_t)idx * interval / n : 0;
}

/*
 * When check idx of n starts its second probe, in ms after the config
 * is applied: its phase in the first interval at least interval / 2
 * after its first probe.
 */
uint64_t
sched_second_ms(uint64_t interval, uint32_t idx, uint32_t n)
{
	uint64_t	 earliest, next;

	earliest = sched_first_ms(interval, idx, n) + interval / 2;
	next = sched_phase_ms(interval, idx, n);
	if (next < earliest && interval > 0)
		next += (earliest - next + interval - 1) / interval * interval;
	return next;
}

/*
 * When the round after one due at due_ms that started at started_ms is
 * due: an interval after this one was due, so that the check keeps its
 * phase (the event loop runs a timer up to a step of its grid late, and
 * taking the start would add that up, a step an interval); but an
 * interval after it started if it started late (SCHED_ON_TIME_MS or half
 * an interval: it waited for a descriptor, or the checker is behind), so
 * that a late round is not followed by the next one at once.
 */
uint64_t
sched_next_ms(uint64_t interval, uint64_t due_ms, uint64_t started_ms)
{
	uint64_t	 late;

	if (started_ms < due_ms)
		return started_ms + interval;
	late = started_ms - due_ms;
	if (late < SCHED_ON_TIME_MS && late < interval / 2)
		return due_ms + interval;
	return started_ms + interval;
}

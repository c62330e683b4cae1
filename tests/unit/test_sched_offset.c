/*
 * Where in its interval each check runs (checker/sched_offset.c): the
 * first probes spread over min(interval, SCHED_FIRST_MS), then each check
 * on its phase i * interval / n, the second probe no sooner than half an
 * interval after the first and no later than one and a half; then each
 * round an interval after the one before was due, unless that one
 * started late.
 */
#include <stdint.h>
#include <stdio.h>

#include "tap.h"
#include "checker.h"

/* Every check of n, for one interval: the promises of sched_offset.c. */
static void
promises(uint64_t interval, uint32_t n)
{
	uint64_t	 first, phase, second, window;
	uint32_t	 i;
	int		 good = 1;
	char		 d[160];

	window = interval < SCHED_FIRST_MS ? interval : SCHED_FIRST_MS;
	for (i = 0; i < n; i++) {
		first = sched_first_ms(interval, i, n);
		phase = sched_phase_ms(interval, i, n);
		second = sched_second_ms(interval, i, n);
		if (first >= window && i > 0)
			good = 0;
		if (phase >= interval && i > 0)
			good = 0;
		if (second < first + interval / 2 ||
		    second > first + interval + interval / 2)
			good = 0;
		if (second % interval != phase % interval)
			good = 0;
	}
	snprintf(d, sizeof(d), "interval %llu ms, %u checks: within the "
	    "window, on their phase, the second probe in [I/2, 3I/2]",
	    (unsigned long long)interval, n);
	ok(good, d);
}

int
main(void)
{
	/* the case: 4 checks of 20 s, 5 s apart */
	is_int(sched_phase_ms(20000, 0, 4), 0, "check 0 of 4 at 0");
	is_int(sched_phase_ms(20000, 1, 4), 5000, "check 1 of 4 at 5 s");
	is_int(sched_phase_ms(20000, 3, 4), 15000, "check 3 of 4 at 15 s");
	is_int(sched_first_ms(20000, 3, 4), 3750,
	    "its first probe within 5 s: 3.75 s");
	is_int(sched_second_ms(20000, 3, 4), 15000,
	    "its second on its phase, 11.25 s later");
	is_int(sched_first_ms(20000, 1, 4), 1250, "check 1: first at 1.25 s");
	is_int(sched_second_ms(20000, 1, 4), 25000,
	    "second at 25 s: 5 s is under half an interval after 1.25 s");
	/* a short interval: the first probes spread over all of it */
	is_int(sched_first_ms(2000, 1, 2), 1000, "2 s, check 1 of 2: 1 s");
	is_int(sched_second_ms(2000, 1, 2), 3000, "then 3 s");
	is_int(sched_first_ms(6000, 0, 1), 0, "one check starts at once");
	is_int(sched_second_ms(6000, 0, 1), 6000, "and again an interval on");
	is_int(sched_first_ms(6000, 0, 0), 0, "n 0 is no division by 0");
	is_int(sched_second_ms(0, 0, 0), 0, "nor interval 0");
	/* the next round: on the phase, the loop's lateness not added */
	is_int(sched_next_ms(1000, 5000, 5000), 6000, "on time: due + I");
	is_int(sched_next_ms(1000, 5000, 5009), 6000,
	    "9 ms late (a grid step): still due + I, not 6009");
	is_int(sched_next_ms(1000, 5000, 5049), 6000, "49 ms late: due + I");
	is_int(sched_next_ms(1000, 5000, 5050), 6050,
	    "50 ms late (a wait, a checker behind): start + I");
	is_int(sched_next_ms(1000, 5000, 7500), 8500,
	    "2.5 s late: start + I, no round at once after it");
	is_int(sched_next_ms(60, 5000, 5030), 5090,
	    "late by half of a short interval: start + I");
	is_int(sched_next_ms(1000, 5000, 4990), 5990,
	    "a start before its time (none such): start + I");
	promises(1000, 1);
	promises(1000, 7);
	promises(6000, 3);
	promises(20000, 4);
	promises(60000, 1000);
	promises(3600000, 5);
	promises(86400000, 100000);
	return tap_done();
}

/*
 * The checker's up/down state machine (checker/fsm.c): failurecount
 * consecutive failures make a real down; one success makes a new real
 * up, rise successes in a row a down one.
 */
#include <stdint.h>

#include "tap.h"
#include "checker.h"

/* Feed verdicts (a string of 'u' and 'd'); return how many changed it. */
static int
feed_rise(struct check_fsm *f, const char *verdicts, uint32_t failurecount,
    uint32_t rise)
{
	int	 changes = 0;

	for (; *verdicts != '\0'; verdicts++)
		changes += check_fsm_verdict(f, *verdicts == 'u', failurecount,
		    rise);
	return changes;
}

static int
feed(struct check_fsm *f, const char *verdicts, uint32_t failurecount)
{
	return feed_rise(f, verdicts, failurecount, 1);
}

static void
test_first_verdict(void)
{
	struct check_fsm	 f = { CS_UNKNOWN, 0, 0 };

	is_int(check_fsm_verdict(&f, 1, 3, 1), 1, "unknown -> up is a change");
	is_int(f.fsm_state, CS_UP, "one success: up");
	f = (struct check_fsm){ CS_UNKNOWN, 0, 0 };
	is_int(check_fsm_verdict(&f, 0, 1, 1), 1,
	    "failurecount 1: unknown -> down at once");
	is_int(f.fsm_state, CS_DOWN, "down");
	f = (struct check_fsm){ CS_UNKNOWN, 0, 0 };
	is_int(feed(&f, "dd", 3), 0, "two failures of three: no change");
	is_int(f.fsm_state, CS_UNKNOWN, "still unknown");
	is_int(feed(&f, "d", 3), 1, "the third failure changes it");
	is_int(f.fsm_state, CS_DOWN, "unknown -> down after failurecount");
}

static void
test_fall_and_rise(void)
{
	struct check_fsm	 f = { CS_UNKNOWN, 0, 0 };

	feed(&f, "u", 3);
	is_int(feed(&f, "dd", 3), 0, "soft failures leave it up");
	is_int(f.fsm_state, CS_UP, "up after two of three failures");
	is_int(f.fsm_fails, 2, "two failures counted");
	is_int(feed(&f, "u", 3), 0, "a success while up is no change");
	is_int(f.fsm_fails, 0, "a success resets the count");
	is_int(feed(&f, "dd", 3), 0, "the count starts again from zero");
	is_int(feed(&f, "d", 3), 1, "three in a row: a change");
	is_int(f.fsm_state, CS_DOWN, "down");
	is_int(feed(&f, "dddd", 3), 0, "more failures while down: no change");
	is_int(feed(&f, "u", 3), 1, "one success brings it back");
	is_int(f.fsm_state, CS_UP, "up again: rise 1, as ldirectord");
}

static void
test_rise(void)
{
	struct check_fsm	 f = { CS_UNKNOWN, 0, 0 };

	is_int(feed_rise(&f, "u", 1, 3), 1,
	    "rise 3: a new real is up at its first success");
	is_int(feed_rise(&f, "d", 1, 3), 1, "failurecount 1: down");
	is_int(feed_rise(&f, "uu", 1, 3), 0, "two successes: still down");
	is_int(f.fsm_oks, 2, "two counted");
	is_int(feed_rise(&f, "d", 1, 3), 0, "a failure while down ...");
	is_int(f.fsm_oks, 0, "... starts the count again");
	is_int(feed_rise(&f, "uu", 1, 3), 0, "two again: down");
	is_int(feed_rise(&f, "u", 1, 3), 1, "the third in a row: up");
	is_int(f.fsm_state, CS_UP, "up");
	is_int(feed_rise(&f, "d", 2, 3), 0,
	    "failurecount 2: one failure leaves it up");
	is_int(feed_rise(&f, "u", 2, 3), 0,
	    "and a success then needs no rise: it never went down");
	f = (struct check_fsm){ CS_DOWN, 5, 0 };
	is_int(feed_rise(&f, "u", 1, 0), 1, "rise 0 counts as 1");
	f = (struct check_fsm){ CS_DOWN, 0, 0 };
	is_int(check_fsm_force(&f, 1), 1, "on forces up whatever rise");
}

static void
test_saturation(void)
{
	struct check_fsm	 f = { CS_DOWN, UINT32_MAX - 1, 0 };

	feed(&f, "ddd", 5);
	is_int(f.fsm_fails, UINT32_MAX, "the failure count saturates");
	is_int(f.fsm_state, CS_DOWN, "and stays down");
}

static void
test_force(void)
{
	struct check_fsm	 f = { CS_UNKNOWN, 0, 0 };

	is_int(check_fsm_force(&f, 0), 1, "off: down at once");
	is_int(f.fsm_state, CS_DOWN, "whatever failurecount says");
	is_int(check_fsm_force(&f, 0), 0, "forcing the same state: no change");
	is_int(check_fsm_force(&f, 1), 1, "on: up");
	is_str(check_state_name(CS_UP), "up", "state names: up");
	is_str(check_state_name(CS_DOWN), "down", "down");
	is_str(check_state_name(CS_UNKNOWN), "unknown", "unknown");
}

int
main(void)
{
	test_first_verdict();
	test_fall_and_rise();
	test_rise();
	test_saturation();
	test_force();
	return tap_done();
}

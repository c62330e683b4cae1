/*
 * The up/down decision for one real server, kept apart from the probes
 * and the wire so that it can be tested alone.  As in ldirectord there is
 * a fall threshold: failurecount consecutive failures make a real down.
 * lvsd adds a rise threshold: a real that is down comes back after rise
 * consecutive successes (ldirectord: one, lvsd's default too).  A new
 * real, whose state is unknown, is up at its first success: rise guards
 * against a flapping real, not against one never seen failing.
 */
#include <stdint.h>

#include "checker.h"

/* Apply one probe's verdict; 1 if the state changed. */
int
check_fsm_verdict(struct check_fsm *f, int up, uint32_t failurecount,
    uint32_t rise)
{
	uint8_t	 old = f->fsm_state;

	if (up) {
		f->fsm_fails = 0;
		if (f->fsm_oks < UINT32_MAX)
			f->fsm_oks++;
		if (f->fsm_state != CS_DOWN || f->fsm_oks >= rise)
			f->fsm_state = CS_UP;
	} else {
		f->fsm_oks = 0;
		/* saturate: a real down for years must not wrap to "fresh" */
		if (f->fsm_fails < UINT32_MAX)
			f->fsm_fails++;
		if (f->fsm_fails >= failurecount)
			f->fsm_state = CS_DOWN;
	}
	return f->fsm_state != old;
}

/* checktype on/off: the state is set, not earned; 1 if it changed. */
int
check_fsm_force(struct check_fsm *f, int up)
{
	uint8_t	 old = f->fsm_state;

	f->fsm_fails = 0;
	f->fsm_oks = 0;
	f->fsm_state = up ? CS_UP : CS_DOWN;
	return f->fsm_state != old;
}

const char *
check_state_name(int state)
{
	switch (state) {
	case CS_UP:
		return "up";
	case CS_DOWN:
		return "down";
	default:
		return "unknown";
	}
}

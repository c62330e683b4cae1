/*
 * The life of one struct check: made from a validated CHECK message,
 * freed when a reload no longer lists it.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "log.h"

/* A new check in state unknown, or NULL and why if msg is invalid. */
struct check *
check_new(const struct msg_check *msg, char *why, size_t len)
{
	struct check	*ck;

	if ((ck = calloc(1, sizeof(*ck))) == NULL)
		fatal("%s", __func__);
	ck->ck_msg = *msg;
	if (check_validate(&ck->ck_msg, &ck->ck_re, &ck->ck_has_re, why,
	    len) == -1) {
		free(ck);
		return NULL;
	}
	addr_port_ntop(&ck->ck_msg.ck_addr, ck->ck_msg.ck_port, ck->ck_name,
	    sizeof(ck->ck_name));
	ck->ck_fsm.fsm_state = CS_UNKNOWN;
	ck->ck_last_up = -1;
	ck->ck_fd = -1;
	ev_timer_set(&ck->ck_timer, NULL, NULL);
	ev_timer_set(&ck->ck_deadline, NULL, NULL);
	return ck;
}

/* The caller has stopped every timer and probe of ck (sched_stop). */
void
check_free(struct check *ck)
{
	if (ck == NULL)
		return;
	if (ck->ck_has_re)
		regfree(&ck->ck_re);
	free(ck);
}

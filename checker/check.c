/*
 * The life of one struct check: made from a validated CHECK message,
 * freed when a reload no longer lists it.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	if ((ck->ck_ids = malloc(sizeof(*ck->ck_ids))) == NULL)
		fatal("%s", __func__);
	ck->ck_ids[0] = msg->ck_id;
	ck->ck_nids = 1;
	if (check_validate(&ck->ck_msg, &ck->ck_re, &ck->ck_has_re, why,
	    len) == -1) {
		free(ck->ck_ids);
		free(ck);
		return NULL;
	}
	addr_port_ntop(&ck->ck_msg.ck_addr, ck->ck_msg.ck_port, ck->ck_name,
	    sizeof(ck->ck_name));
	ck->ck_fsm.fsm_state = CS_UNKNOWN;
	ck->ck_last_up = -1;
	ck->ck_fd = -1;
	ck->ck_data_fd = -1;
	ev_timer_set(&ck->ck_timer, NULL, NULL);
	ev_timer_set(&ck->ck_deadline, NULL, NULL);
	ev_timer_set(&ck->ck_retry, NULL, NULL);
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
	free(ck->ck_ids);
	free(ck);
}

/*
 * What a plain-socket probe holds (check_line.c, check_dns.c): its
 * deadline, its buffers and its sockets (ftp's data connection too).
 * Safe on a probe that holds none of them.
 */
void
check_release_probe(struct check *ck)
{
	ev_timer_del(&ck->ck_deadline);
	free(ck->ck_body);
	free(ck->ck_out);
	free(ck->ck_data);
	ck->ck_body = ck->ck_out = ck->ck_data = NULL;
	ck->ck_bodylen = ck->ck_bodycap = ck->ck_outlen = ck->ck_outoff = 0;
	ck->ck_datalen = 0;
	if (ck->ck_data_fd != -1) {
		ev_io_del(&ck->ck_data_io);
		close(ck->ck_data_fd);
		ck->ck_data_fd = -1;
	}
	if (ck->ck_fd == -1)
		return;
	ev_io_del(&ck->ck_io);
	close(ck->ck_fd);
	ck->ck_fd = -1;
}

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

/*
 * One compiled receive expression, shared by every check whose receive
 * is the same: glibc's compiled form takes some 6.5 KiB, more than the
 * rest of a check, and the reals of a virtual service share one receive.
 */
struct check_re {
	RB_ENTRY(check_re)	 cr_node;
	regex_t			 cr_re;
	unsigned int		 cr_refs;
	char			 cr_text[MSG_RECEIVE_LEN];
};

static int	check_re_cmp(const struct check_re *, const struct check_re *);
static RB_HEAD(check_res, check_re) check_res = RB_INITIALIZER(&check_res);
/* RB_*_STATIC want a __unused that libbsd leaves undefined on Linux */
#define CHECK_RE_ATTR	__attribute__((__unused__)) static
RB_PROTOTYPE_INTERNAL(check_res, check_re, cr_node, check_re_cmp,
    CHECK_RE_ATTR)
RB_GENERATE_INTERNAL(check_res, check_re, cr_node, check_re_cmp,
    CHECK_RE_ATTR)

static int
check_re_cmp(const struct check_re *a, const struct check_re *b)
{
	return strcmp(a->cr_text, b->cr_text);
}

/* The shared form of text, compiled as re (taken over, or freed). */
static const regex_t *
check_re_intern(const char *text, regex_t *re)
{
	struct check_re	 key, *cr;

	memset(&key, 0, sizeof(key));
	strlcpy(key.cr_text, text, sizeof(key.cr_text));
	if ((cr = RB_FIND(check_res, &check_res, &key)) != NULL) {
		regfree(re);
		cr->cr_refs++;
		return &cr->cr_re;
	}
	if ((cr = calloc(1, sizeof(*cr))) == NULL)
		fatal("%s", __func__);
	strlcpy(cr->cr_text, text, sizeof(cr->cr_text));
	cr->cr_re = *re;
	cr->cr_refs = 1;
	RB_INSERT(check_res, &check_res, cr);
	return &cr->cr_re;
}

/* ck no longer uses its receive expression. */
static void
check_re_release(const char *text)
{
	struct check_re	 key, *cr;

	memset(&key, 0, sizeof(key));
	strlcpy(key.cr_text, text, sizeof(key.cr_text));
	if ((cr = RB_FIND(check_res, &check_res, &key)) == NULL)
		fatalx("%s: receive not interned", __func__);
	if (--cr->cr_refs > 0)
		return;
	RB_REMOVE(check_res, &check_res, cr);
	regfree(&cr->cr_re);
	free(cr);
}

/* A new check in state unknown, or NULL and why if msg is invalid. */
struct check *
check_new(const struct msg_check *msg, char *why, size_t len)
{
	struct check	*ck;
	regex_t		 re;

	if ((ck = calloc(1, sizeof(*ck))) == NULL)
		fatal("%s", __func__);
	ck->ck_msg = *msg;
	if ((ck->ck_ids = malloc(sizeof(*ck->ck_ids))) == NULL)
		fatal("%s", __func__);
	ck->ck_ids[0] = msg->ck_id;
	ck->ck_nids = 1;
	if (check_validate(&ck->ck_msg, &re, &ck->ck_has_re, why,
	    len) == -1) {
		free(ck->ck_ids);
		free(ck);
		return NULL;
	}
	if (ck->ck_has_re)
		ck->ck_re = check_re_intern(ck->ck_msg.ck_receive, &re);
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
		check_re_release(ck->ck_msg.ck_receive);
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

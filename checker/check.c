/*
 * The life of one struct check: staged from a validated CHECK or
 * CHECK_LIKE (a struct check_spec, its parameters shared), made when a
 * reload starts probing it, freed when a reload no longer lists it.
 */
#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

/* The entry whose compiled form re is (check_re_intern's). */
static struct check_re *
check_re_entry(const regex_t *re)
{
	return (struct check_re *)(void *)((char *)(uintptr_t)re -
	    offsetof(struct check_re, cr_re));
}

/* One more user of re, an interned expression. */
static void
check_re_hold(const regex_t *re)
{
	check_re_entry(re)->cr_refs++;
}

/* One user less of re, an interned expression: no copy, no search. */
static void
check_re_release(const regex_t *re)
{
	struct check_re	*cr = check_re_entry(re);

	if (--cr->cr_refs > 0)
		return;
	RB_REMOVE(check_res, &check_res, cr);
	regfree(&cr->cr_re);
	free(cr);
}

/*
 * One probe's parameters, shared by every check that probes the same way
 * (but for the real's id, address and port): the texts of a CHECK take
 * some 2.3 KiB, and every real of a virtual service sends the same.
 */
struct check_params {
	RB_ENTRY(check_params)	 cp_node;
	unsigned int		 cp_refs;
	struct msg_check	 cp_msg;	/* no id, address nor port */
};

static int	check_params_cmp(const struct check_params *,
		    const struct check_params *);
static RB_HEAD(check_paramss, check_params) check_paramss =
    RB_INITIALIZER(&check_paramss);
RB_PROTOTYPE_INTERNAL(check_paramss, check_params, cp_node, check_params_cmp,
    CHECK_RE_ATTR)
RB_GENERATE_INTERNAL(check_paramss, check_params, cp_node, check_params_cmp,
    CHECK_RE_ATTR)

/* Byte for byte: validate.c has zeroed every pad and unused byte. */
static int
check_params_cmp(const struct check_params *a, const struct check_params *b)
{
	return memcmp((const char *)&a->cp_msg, (const char *)&b->cp_msg,
	    sizeof(a->cp_msg));
}

/*
 * The shared copy of new's parameters (id, address and port zero): an
 * equal one's, or new itself.  new is taken over, or freed.
 */
static const struct msg_check *
check_params_intern(struct check_params *new)
{
	struct check_params	*cp;

	if ((cp = RB_FIND(check_paramss, &check_paramss, new)) != NULL) {
		free(new);
		cp->cp_refs++;
		return &cp->cp_msg;
	}
	new->cp_refs = 1;
	RB_INSERT(check_paramss, &check_paramss, new);
	return &new->cp_msg;
}

/* The entry whose copy msg is (check_params_intern's). */
static struct check_params *
check_params_entry(const struct msg_check *msg)
{
	return (struct check_params *)(void *)((char *)(uintptr_t)msg -
	    offsetof(struct check_params, cp_msg));
}

/* One more user of msg, interned parameters. */
static void
check_params_hold(const struct msg_check *msg)
{
	check_params_entry(msg)->cp_refs++;
}

/* One check less uses the parameters msg: no copy, no search. */
static void
check_params_release(const struct msg_check *msg)
{
	struct check_params	*cp = check_params_entry(msg);

	if (--cp->cp_refs > 0)
		return;
	RB_REMOVE(check_paramss, &check_paramss, cp);
	free(cp);
}

/*
 * What a CHECK stages, or -1 and why if msg is invalid: its real's id,
 * address and port, and its parameters and receive expression interned.
 */
int
check_spec_make(const struct msg_check *msg, struct check_spec *cs,
    char *why, size_t len)
{
	struct check_params	*cp;
	struct msg_check	*m;
	regex_t			 re;
	int			 has_re;

	/* a CHECK is 2.4 KiB: validated where it may be kept, not on the stack */
	if ((cp = calloc(1, sizeof(*cp))) == NULL)
		fatal("%s", __func__);
	m = &cp->cp_msg;
	*m = *msg;
	if (check_validate(m, &re, &has_re, why, len) == -1) {
		free(cp);
		return -1;
	}
	memset(cs, 0, sizeof(*cs));
	cs->cs_id = m->ck_id;
	cs->cs_addr = m->ck_addr;
	cs->cs_port = m->ck_port;
	m->ck_id = 0;
	memset(&m->ck_addr, 0, sizeof(m->ck_addr));
	m->ck_port = 0;
	cs->cs_msg = check_params_intern(cp);
	if (has_re)
		cs->cs_re = check_re_intern(cs->cs_msg->ck_receive, &re);
	return 0;
}

/*
 * What a CHECK_LIKE stages: like, a staged CHECK, for another real.  The
 * parameters were validated with like; only what is the real's own is
 * left to look at.
 */
int
check_spec_like(const struct check_spec *like,
    const struct msg_check_like *cl, struct check_spec *cs, char *why,
    size_t len)
{
	if (cl->cl_pad != 0) {
		snprintf(why, len, "padding is not zero");
		return -1;
	}
	if (check_validate_real(like->cs_msg, &cl->cl_addr, cl->cl_port, why,
	    len) == -1)
		return -1;
	memset(cs, 0, sizeof(*cs));
	cs->cs_id = cl->cl_id;
	cs->cs_addr = cl->cl_addr;
	cs->cs_port = cl->cl_port;
	cs->cs_msg = like->cs_msg;
	check_params_hold(cs->cs_msg);
	if ((cs->cs_re = like->cs_re) != NULL)
		check_re_hold(cs->cs_re);
	return 0;
}

/* Drop what cs holds; safe on one that holds nothing. */
void
check_spec_release(struct check_spec *cs)
{
	if (cs->cs_re != NULL)
		check_re_release(cs->cs_re);
	if (cs->cs_msg != NULL)
		check_params_release(cs->cs_msg);
	cs->cs_re = NULL;
	cs->cs_msg = NULL;
}

/*
 * A new check in state unknown, probing as cs says; it takes over what
 * cs holds, which then holds nothing.
 */
struct check *
check_from_spec(struct check_spec *cs)
{
	struct check	*ck;

	if ((ck = calloc(1, sizeof(*ck))) == NULL ||
	    (ck->ck_ids = malloc(sizeof(*ck->ck_ids))) == NULL)
		fatal("%s", __func__);
	ck->ck_id = ck->ck_ids[0] = cs->cs_id;
	ck->ck_nids = 1;
	ck->ck_addr = cs->cs_addr;
	ck->ck_port = cs->cs_port;
	ck->ck_msg = cs->cs_msg;
	ck->ck_re = cs->cs_re;
	ck->ck_has_re = cs->cs_re != NULL;
	cs->cs_msg = NULL;
	cs->cs_re = NULL;
	addr_port_ntop(&ck->ck_addr, ck->ck_port, ck->ck_name,
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

/*
 * The references held on interned parameters and receive expressions:
 * each belongs to a live check or a staged spec (the tests count them).
 */
void
check_interned_refs(size_t *params, size_t *res)
{
	struct check_params		*cp;
	struct check_re			*cr;

	*params = *res = 0;
	RB_FOREACH(cp, check_paramss, &check_paramss)
		*params += cp->cp_refs;
	RB_FOREACH(cr, check_res, &check_res)
		*res += cr->cr_refs;
}

/* A new check in state unknown, or NULL and why if msg is invalid. */
struct check *
check_new(const struct msg_check *msg, char *why, size_t len)
{
	struct check_spec	 cs;

	if (check_spec_make(msg, &cs, why, len) == -1)
		return NULL;
	return check_from_spec(&cs);
}

/* The caller has stopped every timer and probe of ck (sched_stop). */
void
check_free(struct check *ck)
{
	if (ck == NULL)
		return;
	if (ck->ck_re != NULL)
		check_re_release(ck->ck_re);
	check_params_release(ck->ck_msg);
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
		ev_io_del_closing(&ck->ck_data_io);
		close(ck->ck_data_fd);
		ck->ck_data_fd = -1;
	}
	if (ck->ck_fd == -1)
		return;
	ev_io_del_closing(&ck->ck_io);
	close(ck->ck_fd);
	ck->ck_fd = -1;
}

/*
 * When the parent runs fallbackcommand and callback.  The parent knows
 * the state of every real (status.c) and every reload; lvsd-exec has the
 * commands in its table (confmsg.c) and runs one when the parent names
 * it by index in an EXEC_FIRE.
 *
 * fallbackcommand, per virtual service that has one: "start" once every
 * real of the virtual has a verdict and none is up (disabled ones count
 * as not up), "stop" when one comes up after a "start".  Only changes
 * are told, and the state survives a reload for a virtual the new file
 * keeps.  Unlike ldirectord, nothing runs before the first verdicts, so
 * a start does not run "start" then "stop" at once.
 *
 * callback: when the config file's content changed, at a reload or,
 * without autoreload, when autoreload's poll sees the change.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "log.h"
#include "lvsd.h"

#define HV_NONE		0	/* nothing told yet */
#define HV_STARTED	1	/* "start" sent */
#define HV_STOPPED	2	/* "stop" sent */

struct hook_virtual {
	const struct conf_virtual *hv_v;
	uint32_t		 hv_first;	/* the id of its first real */
	uint32_t		 hv_nreals;
	uint8_t			 hv_state;	/* HV_* */
};

static struct hook_virtual	*hv_tab;
static uint32_t			 hv_n;

/* A new config is in force (its old one not freed yet). */
void
hooks_rebuild(const struct conf *c)
{
	const struct conf_virtual	*v;
	const struct conf_real		*r;
	struct hook_virtual		*tab;
	struct keyidx			 old;
	uint32_t			 i = 0, rid = 0;
	long				 o;

	if ((tab = calloc(c->c_nvirtuals ? c->c_nvirtuals : 1,
	    sizeof(*tab))) == NULL)
		fatal("%s", __func__);
	keyidx_build(&old, hv_tab, hv_n, sizeof(*hv_tab),
	    offsetof(struct hook_virtual, hv_v), KEYIDX_NO_REAL);
	TAILQ_FOREACH(v, &c->c_virtuals, v_entry) {
		tab[i].hv_v = v;
		tab[i].hv_first = rid;
		TAILQ_FOREACH(r, &v->v_reals, r_entry)
			rid++;
		tab[i].hv_nreals = rid - tab[i].hv_first;
		/* the state survives for a virtual the new file keeps */
		o = keyidx_find_at(&old, i, v, NULL);
		tab[i].hv_state = o == -1 ? HV_NONE : hv_tab[o].hv_state;
		i++;
	}
	keyidx_free(&old);
	free(hv_tab);
	hv_tab = tab;
	hv_n = i;
}

/* Name hook id to lvsd-exec, if it has the table in force. */
static void
hooks_fire(uint32_t id, uint8_t action, const char *what)
{
	struct child		*ch = &env->e_children[CHILD_EXEC];
	struct msg_exec_fire	 ef;

	if (!msg_chan_open(&ch->ch_chan) || ch->ch_gen != env->e_gen) {
		log_warnx("%s not run: lvsd-exec is not running", what);
		return;
	}
	memset(&ef, 0, sizeof(ef));
	ef.ef_id = id;
	ef.ef_action = action;
	log_info("running %s", what);
	msg_chan_send(&ch->ch_chan, MSG_EXEC_FIRE, env->e_gen, &ef,
	    sizeof(ef));
}

/* Up, or waiting for a verdict, among the reals of hv. */
static void
hooks_count(const struct hook_virtual *hv, uint32_t *up, uint32_t *unknown)
{
	const struct rstatus	*st;
	uint32_t		 i;

	*up = *unknown = 0;
	for (i = 0; i < hv->hv_nreals; i++) {
		if ((st = status_get(hv->hv_first + i)) == NULL ||
		    st->st_disabled)
			continue;
		if (!st->st_known || st->st_up == STATE_UNKNOWN)
			(*unknown)++;
		else if (st->st_up == STATE_UP)
			(*up)++;
	}
}

static void
hooks_evaluate(uint32_t vid)
{
	struct hook_virtual	*hv = &hv_tab[vid];
	char			 what[ADDR_STRLEN + 64], name[ADDR_STRLEN];
	uint32_t		 up, unknown;
	uint8_t			 want;

	if (hv->hv_v->v_fallbackcommand == NULL)
		return;
	hooks_count(hv, &up, &unknown);
	if (up > 0)
		want = hv->hv_state == HV_STARTED ? HV_STOPPED : hv->hv_state;
	else
		want = unknown == 0 ? HV_STARTED : hv->hv_state;
	if (want == hv->hv_state)
		return;
	hv->hv_state = want;
	if (hv->hv_v->v_proto == PROTO_FWM)
		snprintf(name, sizeof(name), "fwmark %u", hv->hv_v->v_fwmark);
	else
		addr_port_ntop(&hv->hv_v->v_addr, hv->hv_v->v_port, name,
		    sizeof(name));
	snprintf(what, sizeof(what), "fallbackcommand %s of %s (%s)",
	    want == HV_STARTED ? "start" : "stop", name, want == HV_STARTED ?
	    "no real server is up" : "a real server is up");
	hooks_fire(vid, want == HV_STARTED ? HOOK_START : HOOK_STOP, what);
}

/* The state of real rid changed, or became known. */
void
hooks_real_changed(uint32_t rid)
{
	long	 i;

	if ((i = keyidx_range_find(hv_tab, hv_n, sizeof(*hv_tab),
	    offsetof(struct hook_virtual, hv_first),
	    offsetof(struct hook_virtual, hv_nreals), rid)) != -1)
		hooks_evaluate(i);
}

/* lvsd-exec has a new table, or real servers were disabled or enabled. */
void
hooks_evaluate_all(void)
{
	uint32_t	 i;

	for (i = 0; i < hv_n; i++)
		hooks_evaluate(i);
}

/* The config file's content changed: its callback, if it has one. */
void
hooks_callback(void)
{
	char	 what[64];

	if (env->e_conf->c_callback == NULL)
		return;
	snprintf(what, sizeof(what), "callback");
	hooks_fire(env->e_conf->c_nvirtuals, HOOK_RUN, what);
}

/*
 * When the parent sends an e-mail alert (emailalert=), and the repeat
 * of one while a real stays down (emailalertfreq=).  status.c tells of
 * every change of a real's state; this file says what it means in
 * ldirectord's words, composes the mail (mailalert.c) and hands it to
 * the checker, which sends it: the parent never talks to the network.
 *
 *  - A real goes down (a first verdict of down included): "Deleted real
 *    server", or "Quiescent real server" in a quiescent service; then
 *    "Inaccessible real server" every emailalertfreq seconds while it
 *    stays down.
 *  - A real that was down comes up: "Added real server", or "Restored"
 *    in a quiescent service; its repeats stop.  A first verdict of up
 *    is no news and sends nothing.
 *  - A virtual with a fallback: "Added fallback server" when every real
 *    has a verdict and none is up (a disabled real counts as down), as
 *    ipvsd puts the fallback in; "Deleted fallback server" when one comes
 *    back.
 * Each goes out only if the virtual service has an emailalert and its
 * emailalertstatus allows the daemon's state at that moment.  A reload
 * keeps what is known of a kept real and a kept virtual, and the due
 * time of a repeat whose emailalertfreq did not change; a real that is
 * gone has its repeat cancelled, as a stop cancels them all.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "lvsd.h"
#include "mailalert.h"

struct alert_real {
	struct ev_timer		 ar_repeat;	/* the next "Inaccessible" */
	const struct conf_virtual *ar_v;
	const struct conf_real	*ar_r;
	uint32_t		 ar_id;
};

struct alert_virtual {
	const struct conf_virtual *av_v;
	uint32_t		 av_first;	/* the id of its first real */
	uint32_t		 av_nreals;
	uint8_t			 av_fallback;	/* told "Added fallback" */
};

static struct alert_real	*ar_tab;
static uint32_t			 ar_n;
static struct alert_virtual	*av_tab;
static uint32_t			 av_n;

static void	alerts_repeat(void *);

/* The previous table's entries by key, while a reload rebuilds. */
static struct keyidx		 ar_old;
static struct keyidx		 av_old;

static const struct alert_real *
alerts_find_real(uint32_t pos, const struct conf_virtual *v,
    const struct conf_real *r)
{
	long	 i = keyidx_find_at(&ar_old, pos, v, r);

	return i == -1 ? NULL : &ar_tab[i];
}

static uint8_t
alerts_old_fallback(uint32_t pos, const struct conf_virtual *v)
{
	long	 i = keyidx_find_at(&av_old, pos, v, NULL);

	return i == -1 ? 0 : av_tab[i].av_fallback;
}

static int
alerts_is_down(uint32_t id)
{
	const struct rstatus	*st = status_get(id);

	return st != NULL && st->st_known && st->st_up == STATE_DOWN;
}

/*
 * The repeat of a real of the new table: none if it is up or has no
 * alerts; if it was down before the reload with the same
 * emailalertfreq, its old due time; else freq seconds from now.
 */
static void
alerts_keep_repeat(struct alert_real *ar, uint64_t now)
{
	const struct conf_virtual	*v = ar->ar_v;
	const struct alert_real		*old;
	uint64_t			 at;

	at = mailalert_repeat_at(v->v_emailalertfreq, v->v_emailalert != NULL,
	    now);
	if (at == 0 || !alerts_is_down(ar->ar_id))
		return;
	/* looked up only for the few reals that are down */
	old = alerts_find_real(ar->ar_id, v, ar->ar_r);
	if (old != NULL && ev_timer_pending(&old->ar_repeat) &&
	    old->ar_v->v_emailalertfreq == v->v_emailalertfreq)
		at = old->ar_repeat.tm_when;
	ev_timer_at(&ar->ar_repeat, at);
}

static void
alerts_rebuild_reals(const struct conf *c)
{
	const struct conf_virtual	*v;
	const struct conf_real		*r;
	struct alert_real		*tab;
	uint64_t			 now = ev_now();
	uint32_t			 i = 0;

	if ((tab = calloc(c->c_nreals ? c->c_nreals : 1, sizeof(*tab))) ==
	    NULL)
		fatal("%s", __func__);
	keyidx_build(&ar_old, ar_tab, ar_n, sizeof(*ar_tab),
	    offsetof(struct alert_real, ar_v), offsetof(struct alert_real, ar_r));
	TAILQ_FOREACH(v, &c->c_virtuals, v_entry)
		TAILQ_FOREACH(r, &v->v_reals, r_entry) {
			tab[i].ar_v = v;
			tab[i].ar_r = r;
			tab[i].ar_id = i;
			ev_timer_set(&tab[i].ar_repeat, alerts_repeat, &tab[i]);
			alerts_keep_repeat(&tab[i], now);
			i++;
		}
	keyidx_free(&ar_old);
	alerts_stop();
	free(ar_tab);
	ar_tab = tab;
	ar_n = i;
}

static void
alerts_rebuild_virtuals(const struct conf *c)
{
	const struct conf_virtual	*v;
	struct alert_virtual		*tab;
	uint32_t			 i = 0, rid = 0;

	if ((tab = calloc(c->c_nvirtuals ? c->c_nvirtuals : 1,
	    sizeof(*tab))) == NULL)
		fatal("%s", __func__);
	keyidx_build(&av_old, av_tab, av_n, sizeof(*av_tab),
	    offsetof(struct alert_virtual, av_v), KEYIDX_NO_REAL);
	TAILQ_FOREACH(v, &c->c_virtuals, v_entry) {
		tab[i].av_v = v;
		tab[i].av_first = rid;
		tab[i].av_nreals = v->v_nreals;
		tab[i].av_fallback = v->v_fallback.fb_set ?
		    alerts_old_fallback(i, v) : 0;
		rid += v->v_nreals;
		i++;
	}
	keyidx_free(&av_old);
	free(av_tab);
	av_tab = tab;
	av_n = i;
}

/*
 * A new config is in force, its old one not freed yet, status.c's
 * table already rebuilt.
 */
void
alerts_rebuild(const struct conf *c)
{
	alerts_rebuild_reals(c);
	alerts_rebuild_virtuals(c);
}

/* lvsd stops (or a reload replaces the table): no repeat is due. */
void
alerts_stop(void)
{
	uint32_t	 i;

	for (i = 0; i < ar_n; i++)
		ev_timer_del(&ar_tab[i].ar_repeat);
}

/* This host's name, for the EHLO and the body. */
static const char *
alerts_hostname(void)
{
	static char	 name[MSG_VHOST_LEN];

	if (name[0] == '\0' && (gethostname(name, sizeof(name)) == -1 ||
	    name[0] == '\0'))
		strlcpy(name, "localhost", sizeof(name));
	name[sizeof(name) - 1] = '\0';
	return name;
}

static void
alerts_deliver(const struct msg_alert *al)
{
	struct child	*ch = &env->e_children[CHILD_CHECKER];

	if (!msg_chan_open(&ch->ch_chan)) {
		log_warnx("emailalert not sent, lvsd-checker is not running: "
		    "%s", al->al_subject);
		return;
	}
	log_info("emailalert: %s", al->al_subject);
	msg_chan_send(&ch->ch_chan, MSG_ALERT, env->e_gen, al, sizeof(*al));
}

/* text about v, if v has alerts and its emailalertstatus allows it. */
static void
alerts_send(const struct conf_virtual *v, const char *text)
{
	struct mailalert_dest	 ad;
	struct msg_alert	 al;
	enum mailalert_status	 st;
	char			 from[MSG_VHOST_LEN + 8];	/* root@host */
	const char		*why;

	if (v->v_emailalert == NULL)
		return;
	st = mailalert_daemon_status(env->e_stopping, env->e_gen,
	    env->e_applied_gen);
	if (!mailalert_status_allows(v->v_emailalertstatus, st)) {
		log_debug("emailalert not sent while %s (emailalertstatus): "
		    "%s", mailalert_status_name(st), text);
		return;
	}
	memset(&ad, 0, sizeof(ad));
	ad.ad_server = v->v_smtp_addr;
	ad.ad_port = v->v_smtp_port;
	ad.ad_timeout_ms = MAILALERT_TIMEOUT_MS;
	ad.ad_rcpt = v->v_emailalert;
	ad.ad_helo = alerts_hostname();
	snprintf(from, sizeof(from), "root@%s", ad.ad_helo);
	ad.ad_from = env->e_conf->c_emailalertfrom != NULL ?
	    env->e_conf->c_emailalertfrom : from;
	if ((why = mailalert_compose(&al, &ad, v->v_servicename, v->v_comment,
	    st, text)) != NULL) {
		log_warnx("emailalert not sent (%s): %s", why, text);
		return;
	}
	alerts_deliver(&al);
}

static void
alerts_virtual_name(const struct conf_virtual *v, char *buf, size_t len)
{
	if (v->v_proto == PROTO_FWM)
		snprintf(buf, len, "%u", v->v_fwmark);
	else
		addr_port_ntop(&v->v_addr, v->v_port, buf, len);
}

/* Event ev of the real or, with r NULL, the fallback of v. */
static void
alerts_event(const struct conf_virtual *v, const struct conf_real *r,
    enum mailalert_event ev)
{
	char	 vn[ADDR_STRLEN], sn[ADDR_STRLEN];
	char	 text[2 * ADDR_STRLEN + 64];

	alerts_virtual_name(v, vn, sizeof(vn));
	if (r != NULL)
		addr_port_ntop(&r->r_addr, r->r_port, sn, sizeof(sn));
	else
		addr_port_ntop(&v->v_fallback.fb_addr, v->v_fallback.fb_port,
		    sn, sizeof(sn));
	mailalert_text(text, sizeof(text), ev, sn, vn,
	    r != NULL ? r->r_weight : 1);
	alerts_send(v, text);
}

/* The timer of a real that stays down. */
static void
alerts_repeat(void *arg)
{
	struct alert_real	*ar = arg;
	uint64_t		 at;

	if (!alerts_is_down(ar->ar_id))
		return;
	alerts_event(ar->ar_v, ar->ar_r, MAILALERT_INACCESSIBLE);
	if ((at = mailalert_repeat_at(ar->ar_v->v_emailalertfreq,
	    ar->ar_v->v_emailalert != NULL, ev_now())) != 0)
		ev_timer_at(&ar->ar_repeat, at);
}

/* When the next repeat of real id is due (ev_now()'s clock), or 0. */
uint64_t
alerts_repeat_due(uint32_t id)
{
	if (id >= ar_n || !ev_timer_pending(&ar_tab[id].ar_repeat))
		return 0;
	return ar_tab[id].ar_repeat.tm_when;
}

/* Has every real of av a verdict and none is up?  Disabled are down. */
static void
alerts_fallback_evaluate(struct alert_virtual *av)
{
	const struct rstatus	*st;
	uint32_t		 i, up = 0, unknown = 0;
	uint8_t			 want;

	if (!av->av_v->v_fallback.fb_set)
		return;
	for (i = 0; i < av->av_nreals; i++) {
		if ((st = status_get(av->av_first + i)) == NULL ||
		    st->st_disabled)
			continue;
		if (!st->st_known || st->st_up == STATE_UNKNOWN)
			unknown++;
		else if (st->st_up == STATE_UP)
			up++;
	}
	want = up > 0 ? 0 : unknown == 0 ? 1 : av->av_fallback;
	if (want == av->av_fallback)
		return;
	av->av_fallback = want;
	alerts_event(av->av_v, NULL, want ? MAILALERT_FALLBACK_ADDED :
	    MAILALERT_FALLBACK_DELETED);
}

static struct alert_virtual *
alerts_virtual_of(uint32_t id)
{
	long	 i;

	i = keyidx_range_find(av_tab, av_n, sizeof(*av_tab),
	    offsetof(struct alert_virtual, av_first),
	    offsetof(struct alert_virtual, av_nreals), id);
	return i == -1 ? NULL : &av_tab[i];
}

/*
 * Real id changed state, or has its first verdict: was_known says if
 * it had one before.  "Unknown" (failures, but fewer than failurecount,
 * before any verdict) is no verdict: nothing to say yet.
 */
void
alerts_real_changed(uint32_t id, int was_known)
{
	struct alert_real	*ar;
	struct alert_virtual	*av;
	uint64_t		 at;
	int			 up;

	if (id >= ar_n)
		return;
	ar = &ar_tab[id];
	if (status_get(id) == NULL || status_get(id)->st_up == STATE_UNKNOWN)
		return;
	up = !alerts_is_down(id);
	ev_timer_del(&ar->ar_repeat);
	if (!up || was_known)
		alerts_event(ar->ar_v, ar->ar_r, mailalert_real_event(up,
		    ar->ar_v->v_quiescent));
	if (!up && (at = mailalert_repeat_at(ar->ar_v->v_emailalertfreq,
	    ar->ar_v->v_emailalert != NULL, ev_now())) != 0)
		ev_timer_at(&ar->ar_repeat, at);
	if ((av = alerts_virtual_of(id)) != NULL)
		alerts_fallback_evaluate(av);
}

/* Real servers were disabled or enabled: the fallbacks may change. */
void
alerts_evaluate_all(void)
{
	uint32_t	 i;

	for (i = 0; i < av_n; i++)
		alerts_fallback_evaluate(&av_tab[i]);
}

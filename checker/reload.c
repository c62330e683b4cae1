/*
 * A new config, staged between CONF_BEGIN and CONF_END and applied at
 * CONF_END in one step.  The same real probed the same way in several
 * virtual services is probed once: its CHECKs are folded into one check
 * that reports for every id (ldirectord's de-duplication, without its
 * failure counted once per virtual service).  A reload must not
 * re-probe every real: a check whose CHECK is byte-identical to a
 * running one keeps its state, its failure count and its timer.  When
 * the parent renumbers the reals (one added in front of the others), a
 * check that differs from a running one only in its id is kept too,
 * under its new id; the caller then sends ipvsd a snapshot, so ipvsd
 * learns the known states under the new ids.
 *
 * What is staged is a struct check_spec per real, a few words: a reload
 * that keeps every check makes no struct check at all.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "log.h"

struct reload {
	uint32_t		 rl_gen;
	uint32_t		 rl_n;		/* reals in the config */
	struct check_spec	*rl_specs;	/* by id */
	const struct check_spec	*rl_last;	/* the last staged */
};

/*
 * "The same probe of the same real": the address, the port and the
 * parameters.  check.c interns the parameters, so equal ones are one
 * copy and compare by address.  validate.c has zeroed every unused byte
 * of an address (msg_addr_ok).
 */
struct reload_key {
	const struct addr	*rk_addr;
	const struct msg_check	*rk_msg;
	uint32_t		 rk_id;
	uint16_t		 rk_port;
};

/*
 * Addresses in word order: any total order groups equal keys, and this
 * one, inline, keeps libc's memcmp out of the sort's every comparison.
 */
static int
reload_addr_cmp(const struct addr *a, const struct addr *b)
{
	uint32_t	 x[sizeof(*a) / 4], y[sizeof(*b) / 4];
	size_t		 i;

	_Static_assert(sizeof(*a) % 4 == 0, "struct addr is whole words");
	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
	for (i = 0; i < sizeof(x) / sizeof(x[0]); i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

static int
reload_probe_cmp(const struct reload_key *a, const struct reload_key *b)
{
	int	 c;

	if ((c = reload_addr_cmp(a->rk_addr, b->rk_addr)) != 0)
		return c;
	if (a->rk_port != b->rk_port)
		return a->rk_port < b->rk_port ? -1 : 1;
	if (a->rk_msg != b->rk_msg)
		return (uintptr_t)a->rk_msg < (uintptr_t)b->rk_msg ? -1 : 1;
	return 0;
}

/* qsort's: by probe, then by id, so a group lists its ids in order. */
static int
reload_key_cmp(const void *pa, const void *pb)
{
	const struct reload_key	*a = pa, *b = pb;
	int			 c;

	if ((c = reload_probe_cmp(a, b)) != 0)
		return c;
	return a->rk_id < b->rk_id ? -1 : a->rk_id > b->rk_id;
}

struct reload *
reload_begin(uint32_t gen, uint32_t n)
{
	struct reload	*rl;

	if ((rl = calloc(1, sizeof(*rl))) == NULL ||
	    (rl->rl_specs = calloc(n ? n : 1, sizeof(*rl->rl_specs))) == NULL)
		fatal("%s", __func__);
	rl->rl_gen = gen;
	rl->rl_n = n;
	return rl;
}

uint32_t
reload_gen(const struct reload *rl)
{
	return rl->rl_gen;
}

/* The spec staged last, which a CHECK_LIKE repeats; NULL: none yet. */
const struct check_spec *
reload_last(const struct reload *rl)
{
	return rl->rl_last;
}

/*
 * Stage cs: the reload takes over what it holds.  -1 and why on a bad
 * id, and cs is still the caller's.
 */
int
reload_add(struct reload *rl, struct check_spec *cs, char *why, size_t len)
{
	uint32_t	 id = cs->cs_id;

	if (id >= rl->rl_n) {
		snprintf(why, len, "check id %u out of range (%u reals)", id,
		    rl->rl_n);
		return -1;
	}
	if (rl->rl_specs[id].cs_msg != NULL) {
		snprintf(why, len, "check id %u sent twice", id);
		return -1;
	}
	rl->rl_specs[id] = *cs;
	rl->rl_last = &rl->rl_specs[id];
	return 0;
}

static void
reload_free(struct reload *rl)
{
	uint32_t	 i;

	for (i = 0; i < rl->rl_n; i++)
		check_spec_release(&rl->rl_specs[i]);
	free(rl->rl_specs);
	free(rl);
}

void
reload_abort(struct reload *rl)
{
	if (rl != NULL)
		reload_free(rl);
}

/* Is ck, found at table[i], the one entry of its group that owns it? */
static int
reload_owner(const struct check *ck, uint32_t i)
{
	return ck != NULL && ck->ck_ids[0] == i;
}

static struct reload_key *
reload_keys_alloc(size_t n)
{
	struct reload_key	*keys;

	if ((keys = reallocarray(NULL, n ? n : 1, sizeof(*keys))) == NULL)
		fatal("%s", __func__);
	return keys;
}

/* Append the key of id's probe to keys, which hold *n. */
static void
reload_key_add(struct reload_key *keys, size_t *n, const struct addr *addr,
    uint16_t port, const struct msg_check *msg, uint32_t id)
{
	struct reload_key	*k = &keys[(*n)++];

	k->rk_addr = addr;
	k->rk_port = port;
	k->rk_msg = msg;
	k->rk_id = id;
}

/* The staged reals' keys, sorted; their count in *nkeys. */
static struct reload_key *
reload_staged_keys(const struct reload *rl, size_t *nkeys)
{
	struct reload_key	*keys = reload_keys_alloc(rl->rl_n);
	const struct check_spec	*cs;
	uint32_t		 i;

	*nkeys = 0;
	for (i = 0; i < rl->rl_n; i++) {
		cs = &rl->rl_specs[i];
		if (cs->cs_msg != NULL)
			reload_key_add(keys, nkeys, &cs->cs_addr, cs->cs_port,
			    cs->cs_msg, i);
	}
	qsort(keys, *nkeys, sizeof(*keys), reload_key_cmp);
	return keys;
}

/* The running checks' keys, one per check (its owner's id), sorted. */
static struct reload_key *
reload_running_keys(struct check **old, uint32_t nold, size_t *nkeys)
{
	struct reload_key	*keys = reload_keys_alloc(nold);
	uint32_t		 i;

	*nkeys = 0;
	for (i = 0; i < nold; i++)
		if (reload_owner(old[i], i))
			reload_key_add(keys, nkeys, &old[i]->ck_addr,
			    old[i]->ck_port, old[i]->ck_msg, i);
	qsort(keys, *nkeys, sizeof(*keys), reload_key_cmp);
	return keys;
}

/* The running check o stays: its slots in old no longer hold it. */
static struct check *
reload_keep(struct check **old, struct check *o)
{
	uint32_t	 i;

	for (i = 0; i < o->ck_nids; i++)
		old[o->ck_ids[i]] = NULL;
	return o;
}

/*
 * ck probes for the n ids of group (equal keys, ids ascending): it takes
 * them and fills their slots in new.  A kept check keeps its state and
 * its timer under its new ids.
 */
static void
reload_give_ids(struct check *ck, const struct reload_key *group, size_t n,
    struct check **new)
{
	size_t	 i;

	if ((ck->ck_ids = reallocarray(ck->ck_ids, n,
	    sizeof(*ck->ck_ids))) == NULL)
		fatal("%s", __func__);
	for (i = 0; i < n; i++) {
		ck->ck_ids[i] = group[i].rk_id;
		new[group[i].rk_id] = ck;
	}
	ck->ck_nids = (uint32_t)n;
	ck->ck_id = ck->ck_ids[0];
}

/*
 * Walk the staged groups and the running checks, both sorted: a group
 * equal to a running check keeps it, any other becomes a new check.
 * Running checks are folded already, so each matches one group at most.
 */
static void
reload_match(struct reload *rl, struct check **new, struct check **old,
    uint32_t nold)
{
	struct reload_key	*nk, *ok;
	struct check		*ck;
	size_t			 nn, no, i = 0, j = 0, g;
	int			 c = 1;

	nk = reload_staged_keys(rl, &nn);
	ok = reload_running_keys(old, nold, &no);
	while (i < nn) {
		for (g = i + 1; g < nn && reload_probe_cmp(&nk[g], &nk[i]) == 0;
		    g++)
			;
		while (j < no && (c = reload_probe_cmp(&ok[j], &nk[i])) < 0)
			j++;
		if (j < no && c == 0)
			ck = reload_keep(old, old[ok[j++].rk_id]);
		else
			ck = check_from_spec(&rl->rl_specs[nk[i].rk_id]);
		reload_give_ids(ck, &nk[i], g - i, new);
		i = g;
	}
	free(nk);
	free(ok);
}

/*
 * Stop and free what is left in old, each group once: the slots of its
 * other ids are emptied before it goes, so that none of them is read
 * once it is freed.
 */
static void
reload_drop(struct check **old, uint32_t nold)
{
	struct check	*ck;
	uint32_t	 i, k;

	for (i = 0; i < nold; i++) {
		if (!reload_owner(old[i], i))
			continue;
		ck = old[i];
		for (k = 0; k < ck->ck_nids; k++)
			if (ck->ck_ids[k] < nold)
				old[ck->ck_ids[k]] = NULL;
		sched_stop(ck);
		check_free(ck);
	}
	free(old);
}

/*
 * Make the staged config the running one (*table, *n), stop and free
 * what it no longer lists, start what is new.  rl is consumed.
 */
void
reload_apply(struct reload *rl, struct check ***table, uint32_t *n)
{
	struct check	**old = *table, **new;
	uint32_t	  i, nold = *n, nnew = rl->rl_n;

	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	if ((new = calloc(nnew ? nnew : 1, sizeof(*new))) == NULL)
		fatal("%s", __func__);
	reload_match(rl, new, old, nold);
	reload_drop(old, nold);
	reload_free(rl);
	/* the first probes spread from now, not from before that work */
	(void)ev_now_update();
	for (i = 0; i < nnew; i++)
		if (reload_owner(new[i], i) && !new[i]->ck_running)
			sched_start(new[i], i, nnew);
	*table = new;
	*n = nnew;
}

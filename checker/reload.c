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
 */
#include <sys/tree.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "log.h"

struct reload {
	uint32_t	 rl_gen;
	uint32_t	 rl_n;		/* reals in the config, cb_ndests */
	struct check	**rl_checks;	/* by id; NULL: not probed */
};

RB_HEAD(check_tree, check);
static int	check_cmp(const struct check *, const struct check *);
/* RB_*_STATIC want a __unused that libbsd leaves undefined on Linux */
#define CHECK_TREE_ATTR	__attribute__((__unused__)) static
RB_PROTOTYPE_INTERNAL(check_tree, check, ck_node, check_cmp, CHECK_TREE_ATTR)

/*
 * Everything but the id: "the same probe of the same real".  The real's
 * address and port, then what check.c shares: equal parameters are one
 * shared copy, but compare unequal ones byte for byte all the same.
 */
static int
check_cmp(const struct check *a, const struct check *b)
{
	int	 c;

	if ((c = memcmp((const char *)&a->ck_addr,
	    (const char *)&b->ck_addr, sizeof(a->ck_addr))) != 0)
		return c;
	if (a->ck_port != b->ck_port)
		return a->ck_port < b->ck_port ? -1 : 1;
	if (a->ck_msg == b->ck_msg)
		return 0;
	return memcmp((const char *)a->ck_msg, (const char *)b->ck_msg,
	    sizeof(*a->ck_msg));
}

RB_GENERATE_INTERNAL(check_tree, check, ck_node, check_cmp, CHECK_TREE_ATTR)

struct reload *
reload_begin(uint32_t gen, uint32_t n)
{
	struct reload	*rl;

	/* an array of pointers, by real id */
	if ((rl = calloc(1, sizeof(*rl))) == NULL ||
	    /* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	    (rl->rl_checks = calloc(n ? n : 1, sizeof(*rl->rl_checks))) ==
	    NULL)
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

/* Stage ck (the reload owns it from here); -1 and why on a bad id. */
int
reload_add(struct reload *rl, struct check *ck, char *why, size_t len)
{
	uint32_t	 id = ck->ck_id;

	if (id >= rl->rl_n) {
		snprintf(why, len, "check id %u out of range (%u reals)", id,
		    rl->rl_n);
		return -1;
	}
	if (rl->rl_checks[id] != NULL) {
		snprintf(why, len, "check id %u sent twice", id);
		return -1;
	}
	rl->rl_checks[id] = ck;
	return 0;
}

void
reload_abort(struct reload *rl)
{
	uint32_t	 i;

	if (rl == NULL)
		return;
	for (i = 0; i < rl->rl_n; i++)
		check_free(rl->rl_checks[i]);
	free(rl->rl_checks);
	free(rl);
}

/* Is ck, found at table[i], the one entry of its group that owns it? */
static int
reload_owner(const struct check *ck, uint32_t i)
{
	return ck != NULL && ck->ck_ids[0] == i;
}

/*
 * One probe for each real listed several times (the same real, probed
 * the same way, in several virtual services): every later staged check
 * equal to an earlier one but for its id is folded into that one, whose
 * ck_ids then lists both ids; both table slots point to it.
 */
static void
reload_fold(struct check **new, uint32_t nnew)
{
	struct check_tree	 tree = RB_INITIALIZER(&tree);
	struct check		*first;
	uint32_t		 i;

	for (i = 0; i < nnew; i++) {
		if (new[i] == NULL)
			continue;
		if ((first = RB_INSERT(check_tree, &tree, new[i])) == NULL)
			continue;
		first->ck_ids = reallocarray(first->ck_ids,
		    first->ck_nids + 1, sizeof(*first->ck_ids));
		if (first->ck_ids == NULL)
			fatal("%s", __func__);
		first->ck_ids[first->ck_nids++] = i;
		check_free(new[i]);
		new[i] = first;
	}
}

/*
 * The staged group n takes the running group o's place: o keeps its
 * state and timer and takes n's ids.
 */
static void
reload_keep(struct check **new, struct check **old, struct check *o,
    struct check *n)
{
	uint32_t	*ids;
	uint32_t	 i;

	for (i = 0; i < o->ck_nids; i++)
		old[o->ck_ids[i]] = NULL;
	ids = o->ck_ids;
	o->ck_ids = n->ck_ids;
	o->ck_nids = n->ck_nids;
	n->ck_ids = ids;
	o->ck_id = o->ck_ids[0];
	for (i = 0; i < o->ck_nids; i++)
		new[o->ck_ids[i]] = o;
	check_free(n);
}

/*
 * Move into new what can be kept of old; what stays in old goes.  Both
 * are folded (reload_fold), so a running group and a staged one match
 * at most one another.  Byte for byte but for the id: validate.c has
 * zeroed every pad and every byte after a string's NUL, and the struct
 * has no implicit padding.
 */
static void
reload_match(struct check **new, uint32_t nnew, struct check **old,
    uint32_t nold)
{
	struct check_tree	 tree = RB_INITIALIZER(&tree);
	struct check		*o;
	uint32_t		 i;

	for (i = 0; i < nold; i++)
		if (reload_owner(old[i], i))
			RB_INSERT(check_tree, &tree, old[i]);
	for (i = 0; i < nnew; i++) {
		if (!reload_owner(new[i], i) || new[i]->ck_running)
			continue;
		if ((o = RB_FIND(check_tree, &tree, new[i])) == NULL)
			continue;
		RB_REMOVE(check_tree, &tree, o);
		reload_keep(new, old, o, new[i]);
	}
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
	struct check	**old = *table, **new = rl->rl_checks;
	uint32_t	  i, nold = *n, nnew = rl->rl_n;

	reload_fold(new, nnew);
	reload_match(new, nnew, old, nold);
	reload_drop(old, nold);
	/* the first probes spread from now, not from before that work */
	(void)ev_now_update();
	for (i = 0; i < nnew; i++)
		if (reload_owner(new[i], i) && !new[i]->ck_running)
			sched_start(new[i], i, nnew);
	*table = new;
	*n = nnew;
	free(rl);
}

/*
 * A new config, staged between CONF_BEGIN and CONF_END and applied at
 * CONF_END in one step.  A reload must not re-probe every real: a check
 * whose CHECK is byte-identical to a running one keeps its state, its
 * failure count and its timer.  When the parent renumbers the reals (one
 * added in front of the others), a check that differs from a running one
 * only in its id is kept too, under its new id; the caller then sends
 * ipvsd a snapshot, so ipvsd learns the known states under the new ids.
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

/* Everything but the id: "the same probe of the same real". */
static int
check_cmp(const struct check *a, const struct check *b)
{
	const size_t	 off = offsetof(struct msg_check, ck_type);

	return memcmp((const char *)&a->ck_msg + off,
	    (const char *)&b->ck_msg + off, sizeof(a->ck_msg) - off);
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
	uint32_t	 id = ck->ck_msg.ck_id;

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

/* Replace the staged check at new[i] by the running old one. */
static void
reload_keep(struct check **new, uint32_t i, struct check **old,
    struct check *o)
{
	old[o->ck_msg.ck_id] = NULL;
	o->ck_msg.ck_id = i;
	check_free(new[i]);
	new[i] = o;
}

/* Move into new what can be kept of old; what stays in old goes. */
static void
reload_match(struct check **new, uint32_t nnew, struct check **old,
    uint32_t nold)
{
	struct check_tree	 tree = RB_INITIALIZER(&tree);
	struct check		*o;
	uint32_t		 i;

	/*
	 * Byte for byte: validate.c has zeroed every pad and every byte
	 * after a string's NUL, and the struct has no implicit padding.
	 */
	for (i = 0; i < nnew && i < nold; i++)
		if (new[i] != NULL && old[i] != NULL &&
		    /* NOLINTNEXTLINE(bugprone-suspicious-memory-comparison) */
		    memcmp(&new[i]->ck_msg, &old[i]->ck_msg,
		    sizeof(new[i]->ck_msg)) == 0)
			reload_keep(new, i, old, old[i]);
	/* two old checks alike: the second is not found, so it is redone */
	for (i = 0; i < nold; i++)
		if (old[i] != NULL)
			RB_INSERT(check_tree, &tree, old[i]);
	for (i = 0; i < nnew; i++) {
		if (new[i] == NULL || new[i]->ck_running)
			continue;
		if ((o = RB_FIND(check_tree, &tree, new[i])) == NULL)
			continue;
		RB_REMOVE(check_tree, &tree, o);
		reload_keep(new, i, old, o);
	}
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

	reload_match(new, nnew, old, nold);
	for (i = 0; i < nold; i++)
		if (old[i] != NULL) {
			sched_stop(old[i]);
			check_free(old[i]);
		}
	free(old);
	for (i = 0; i < nnew; i++)
		if (new[i] != NULL && !new[i]->ck_running)
			sched_start(new[i], i, nnew);
	*table = new;
	*n = nnew;
	free(rl);
}

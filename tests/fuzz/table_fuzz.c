/*
 * Fuzz target: ipvsd's handling of its messages past the first-level
 * checks (ipvsd/table.c), in the order ipvsd.c applies them, and the
 * planner (ipvsd/plan.c) on whatever table passes: a configuration
 * (CONF_BEGIN, SERVICEs, DESTs, CONF_END) interleaved with the checker's
 * STATEs, early and late.  The kernel's side stays empty; no netlink.
 *
 * Input: a struct msg_conf_begin, then items, each a kind byte and the
 * payload of that kind (cut short at the end of the input):
 *	0 SERVICE, 1 DEST, 2 CONF_END, 3 STATE (id, up), by the kind
 *	modulo 4, but 255: a SYNC (ipvsd/sync.c)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipvsd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Take len bytes into p, zero-padded; 0 when the input has run out. */
static int
fuzz_take(const uint8_t **data, size_t *size, void *p, size_t len)
{
	size_t	 n = *size < len ? *size : len;

	if (*size == 0)
		return 0;
	memset(p, 0, len);
	memcpy(p, *data, n);
	*data += n;
	*size -= n;
	return 1;
}

/* A STATE as ipvsd_dispatch_checker takes it: staged or live table. */
static void
fuzz_state(struct table *t, int live, const struct msg_state *st)
{
	if (st->st_up > STATE_UP || st->st_id >= t->t_ndests)
		return;		/* ipvsd drops the checker here */
	if (live)
		(void)table_set_state(t, st->st_id, st->st_up);
	else
		table_early_state(t, st->st_id, st->st_up);
}

/* Plan, and let the model take every change as a kernel would. */
static void
fuzz_plan(struct table *t)
{
	struct plan	 p;
	char		 text[512];
	size_t		 i;

	plan_init(&p);
	plan_table(&p, t);
	for (i = 0; i < p.p_nops; i++) {
		(void)describe_op(&p.p_ops[i], text, sizeof(text));
		plan_commit(t, &p.p_ops[i]);
	}
	plan_clear(&p);
	plan_shutdown(&p, t);
	plan_free(&p);
}

/*
 * A SYNC as ipvsd_conf_sync takes it; one that passes must plan to
 * start exactly its states on an empty kernel, and to do nothing on a
 * kernel that runs it.
 */
static const char *
fuzz_sync(struct table *t, const struct msg_sync *sy)
{
	struct sync_set	 empty, kern;
	struct sync_op	 ops[SYNC_OPS_MAX];
	char		 text[256];
	const char	*why;
	size_t		 i, n;

	if (t->t_sync.ss_named)
		return "a second SYNC";
	if ((why = sync_msg_check(sy)) != NULL)
		return why;
	sync_from_msg(&t->t_sync, sy);
	memset(&empty, 0, sizeof(empty));
	empty.ss_named = 1;
	n = sync_plan(&t->t_sync, NULL, &empty, ops);
	if (n != (size_t)((sy->sy_states & SYNC_MASTER) != 0) +
	    ((sy->sy_states & SYNC_BACKUP) != 0))
		abort();
	for (i = 0; i < n; i++) {
		if (ops[i].so_cmd != SYNC_NEW)
			abort();
		(void)sync_describe(&ops[i], text, sizeof(text));
	}
	kern = t->t_sync;
	if (sync_plan(&t->t_sync, &t->t_sync, &kern, ops) != 0)
		abort();
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	union {
		struct msg_service	 sv;
		struct msg_dest		 ds;
		struct msg_state	 st;
		struct msg_sync		 sy;
	} u;
	struct msg_conf_begin	 cb;
	struct table		*t;
	const char		*why;
	uint8_t			 kind;
	int			 live = 0;

	if (!fuzz_take(&data, &size, &cb, sizeof(cb)))
		return 0;
	if ((t = table_begin(1, &cb, &why)) == NULL)
		return 0;
	while (fuzz_take(&data, &size, &kind, 1)) {
		why = NULL;
		if (kind == 255) {
			if (live || !fuzz_take(&data, &size, &u.sy,
			    sizeof(u.sy)))
				goto out;
			if ((why = fuzz_sync(t, &u.sy)) != NULL)
				break;
			continue;
		}
		switch (kind % 4) {
		case 0:
			if (live || !fuzz_take(&data, &size, &u.sv,
			    sizeof(u.sv)))
				goto out;
			why = table_add_service(t, &u.sv);
			break;
		case 1:
			if (live || !fuzz_take(&data, &size, &u.ds,
			    sizeof(u.ds)))
				goto out;
			why = table_add_dest(t, &u.ds);
			break;
		case 2:
			if (live)
				goto out;
			if ((why = table_end(t)) == NULL) {
				live = 1;
				fuzz_plan(t);
			}
			break;
		default:
			if (!fuzz_take(&data, &size, &u.st, sizeof(u.st)))
				goto out;
			fuzz_state(t, live, &u.st);
			if (live)
				fuzz_plan(t);
			break;
		}
		if (why != NULL)
			break;		/* ipvsd drops the parent here */
	}
out:
	table_free(t);
	return 0;
}

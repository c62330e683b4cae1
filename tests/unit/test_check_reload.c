/*
 * Applying a new config (checker/reload.c): a check sent again unchanged
 * keeps its state and its timer, also when the parent renumbers it; a
 * changed one starts afresh; one no longer sent is stopped.  The same
 * real checked the same way under several ids (several virtual services)
 * is one check, and stays one over a reload.  The scheduler is replaced
 * by counters here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "checker.h"

static int	 started, stopped;

void
sched_start(struct check *ck, uint32_t idx, uint32_t n)
{
	ck->ck_running = 1;
	started++;
}

void
sched_stop(struct check *ck)
{
	ck->ck_running = 0;
	stopped++;
}

static void
msg_make(struct msg_check *msg, uint32_t id, uint16_t port, uint32_t interval)
{
	memset(msg, 0, sizeof(*msg));
	msg->ck_id = id;
	msg->ck_type = CHECK_CONNECT;
	msg->ck_proto = PROTO_TCP;
	addr_parse("127.0.0.2", AF_INET, &msg->ck_addr);
	msg->ck_port = port;
	msg->ck_interval_ms = interval;
	msg->ck_connect_timeout_ms = 100;
	msg->ck_negotiate_timeout_ms = 100;
	msg->ck_failurecount = 1;
}

static struct check *
mk(uint32_t id, uint16_t port, uint32_t interval)
{
	struct msg_check	 msg;
	struct check		*ck;
	char			 why[256];

	msg_make(&msg, id, port, interval);
	if ((ck = check_new(&msg, why, sizeof(why))) == NULL)
		diag("check_new: %s", why);
	return ck;
}

static struct check_spec
spec(uint32_t id, uint16_t port, uint32_t interval)
{
	struct msg_check	 msg;
	struct check_spec	 cs;
	char			 why[256];

	msg_make(&msg, id, port, interval);
	if (check_spec_make(&msg, &cs, why, sizeof(why)) == -1) {
		diag("check_spec_make: %s", why);
		memset(&cs, 0, sizeof(cs));
	}
	return cs;
}

/* Stage a spec of id, port, interval; reload_add's result. */
static int
stage(struct reload *rl, uint32_t id, uint16_t port, uint32_t interval,
    char *why, size_t len)
{
	struct check_spec	 cs = spec(id, port, interval);

	if (reload_add(rl, &cs, why, len) == 0)
		return 0;
	check_spec_release(&cs);
	return -1;
}

/* Apply a config of n reals whose checks are ports[i] (0: no check). */
static void
apply(struct check ***table, uint32_t *n, uint32_t gen, uint32_t nreals,
    const uint16_t *ports, const uint32_t *intervals)
{
	struct reload	*rl;
	char		 why[256];
	uint32_t	 i;

	started = stopped = 0;
	rl = reload_begin(gen, nreals);
	for (i = 0; i < nreals; i++)
		if (ports[i] != 0 && stage(rl, i, ports[i],
		    intervals ? intervals[i] : 1000, why, sizeof(why)) == -1)
			diag("reload_add: %s", why);
	reload_apply(rl, table, n);
}

/* One check for the same real in several virtual services. */
static void
test_shared(void)
{
	static const uint16_t	 q1[] = { 80, 80, 81, 80 };
	static const uint16_t	 q2[] = { 79, 80, 80, 81, 80 };
	static const uint16_t	 q3[] = { 80, 80 };
	static const uint32_t	 i3[] = { 1000, 500 };
	struct check		**t = NULL, *g;
	uint32_t		 n = 0;

	apply(&t, &n, 1, 4, q1, NULL);
	is_int(started, 2, "a real listed three times: two checks start");
	ok(t[0] == t[1] && t[1] == t[3] && t[2] != t[0],
	    "the three ids share one check");
	g = t[0];
	ok(g->ck_nids == 3 && g->ck_ids[0] == 0 && g->ck_ids[1] == 1 &&
	    g->ck_ids[2] == 3, "  which knows all three ids");
	g->ck_fsm.fsm_state = CS_UP;
	g->ck_fsm.fsm_fails = 1;

	apply(&t, &n, 2, 5, q2, NULL);
	is_int(started, 1, "renumbered, one added: only it starts");
	is_int(stopped, 0, "  nothing stops");
	ok(t[1] == g && t[2] == g && t[4] == g, "the shared check is kept");
	ok(g->ck_nids == 3 && g->ck_ids[0] == 1 && g->ck_ids[2] == 4 &&
	    g->ck_id == 1, "  under its new ids");
	ok(g->ck_fsm.fsm_state == CS_UP && g->ck_fsm.fsm_fails == 1,
	    "  with its state and one failure count");

	apply(&t, &n, 3, 2, q3, i3);
	is_int(stopped, 2, "the checks no longer listed (79, 81) stop, and "
	    "only they");
	ok(t[0] == g && g->ck_nids == 1, "the unchanged one keeps the check");
	ok(t[1] != g && t[1]->ck_fsm.fsm_state == CS_UNKNOWN,
	    "the changed one is a check of its own");

	apply(&t, &n, 4, 0, q3, NULL);
	is_int(stopped, 2, "an empty config stops both");
	free(t);
}

/*
 * A shared check that a reload drops is stopped and freed once, and
 * none of its ids' slots is read after (check-asan would report it).
 */
static void
test_shared_dropped(void)
{
	static const uint16_t	 q1[] = { 80, 81, 80, 80 };
	static const uint16_t	 q2[] = { 81 };
	struct check		**t = NULL;
	uint32_t		 n = 0;

	apply(&t, &n, 1, 4, q1, NULL);
	ok(t[0] == t[2] && t[2] == t[3], "three ids share a check");
	apply(&t, &n, 2, 1, q2, NULL);
	is_int(stopped, 1, "a reload without it stops it once");
	is_int(started, 0, "  and starts nothing: the other is kept");
	ok(n == 1 && t[0] != NULL && t[0]->ck_port == 81 &&
	    t[0]->ck_nids == 1 && t[0]->ck_ids[0] == 0,
	    "  which is the only one left, under its new id");
	apply(&t, &n, 3, 0, q2, NULL);
	free(t);
}

/* What differs per real is the check's own; the rest is shared. */
static void
test_params(void)
{
	struct check	*a = mk(0, 80, 1000), *b = mk(1, 81, 1000);
	struct check	*c = mk(2, 80, 500);

	ok(a->ck_msg == b->ck_msg,
	    "two reals probed the same way share their parameters");
	ok(a->ck_id == 0 && b->ck_id == 1 && a->ck_port == 80 &&
	    b->ck_port == 81, "  each with its own id and port");
	like(b->ck_name, "127.0.0.2:81", "  and name");
	ok(a->ck_msg->ck_id == 0 && a->ck_msg->ck_port == 0 &&
	    a->ck_msg->ck_addr.a_af == 0, "  which the shared copy lacks");
	ok(c->ck_msg != a->ck_msg && c->ck_msg->ck_interval_ms == 500,
	    "another interval: parameters of its own");
	check_free(a);
	is_int(b->ck_msg->ck_interval_ms, 1000,
	    "one freed: the other's parameters are intact");
	check_free(b);
	a = mk(3, 82, 1000);
	ok(a->ck_msg != c->ck_msg && a->ck_msg->ck_interval_ms == 1000 &&
	    a->ck_port == 82, "all freed, then made again");
	check_free(a);
	check_free(c);
}

/* A CHECK_LIKE: the staged CHECK's parameters, another real's own. */
static void
test_like(void)
{
	struct check_spec	 a = spec(0, 80, 1000), b, c;
	struct msg_check_like	 cl;
	struct check		*ck;
	char			 why[256];

	memset(&cl, 0, sizeof(cl));
	cl.cl_id = 7;
	addr_parse("127.0.0.9", AF_INET, &cl.cl_addr);
	cl.cl_port = 8080;
	is_int(check_spec_like(&a, &cl, &b, why, sizeof(why)), 0,
	    "a CHECK_LIKE stages");
	ok(b.cs_msg == a.cs_msg && b.cs_id == 7 && b.cs_port == 8080,
	    "  with the CHECK's parameters and its own id and port");
	ck = check_from_spec(&b);
	ok(b.cs_msg == NULL && ck->ck_msg == a.cs_msg,
	    "a check made of it takes its parameters over");
	like(ck->ck_name, "127.0.0.9:8080", "  and is named for its real");
	check_free(ck);
	is_int(a.cs_msg->ck_interval_ms, 1000,
	    "freed: the CHECK's parameters are still there");

	cl.cl_port = 0;
	is_int(check_spec_like(&a, &cl, &c, why, sizeof(why)), -1,
	    "a CHECK_LIKE to port 0 of a connect check is refused");
	like(why, "port 0", "  with the reason");
	cl.cl_port = 80;
	cl.cl_addr.a_pad[1] = 1;
	is_int(check_spec_like(&a, &cl, &c, why, sizeof(why)), -1,
	    "so is one with a bad address");
	like(why, "bad address", "  with the reason");
	cl.cl_addr.a_pad[1] = 0;
	cl.cl_pad = 1;
	is_int(check_spec_like(&a, &cl, &c, why, sizeof(why)), -1,
	    "and one with padding");
	like(why, "padding", "  with the reason");
	check_spec_release(&a);
	check_spec_release(&a);
	ok(a.cs_msg == NULL, "a spec released twice holds nothing");
}

/* The references held on interned parameters and expressions. */
static int
refs_are(size_t want_params, size_t want_res)
{
	size_t	 params, res;

	check_interned_refs(&params, &res);
	if (params == want_params && res == want_res)
		return 1;
	diag("references: %zu parameters, %zu expressions", params, res);
	return 0;
}

/* Stage an http CHECK with a receive for real 0, then CHECK_LIKEs. */
static struct reload *
stage_http_like(uint32_t gen, uint32_t n, const char *const *addrs)
{
	struct reload		*rl = reload_begin(gen, n);
	struct msg_check	 msg;
	struct msg_check_like	 cl;
	struct check_spec	 cs;
	char			 why[256];
	uint32_t		 i;

	msg_make(&msg, 0, 80, 1000);
	msg.ck_type = CHECK_NEGOTIATE;
	msg.ck_service = SERVICE_HTTP;
	msg.ck_method = HTTP_GET;
	strlcpy(msg.ck_request, "/", sizeof(msg.ck_request));
	strlcpy(msg.ck_receive, "^OK", sizeof(msg.ck_receive));
	addr_parse(addrs[0], AF_INET, &msg.ck_addr);
	if (check_spec_make(&msg, &cs, why, sizeof(why)) == -1 ||
	    reload_add(rl, &cs, why, sizeof(why)) == -1)
		diag("CHECK: %s", why);
	for (i = 1; i < n; i++) {
		memset(&cl, 0, sizeof(cl));
		cl.cl_id = i;
		addr_parse(addrs[i], AF_INET, &cl.cl_addr);
		cl.cl_port = 80;
		if (check_spec_like(reload_last(rl), &cl, &cs, why,
		    sizeof(why)) == -1 || reload_add(rl, &cs, why,
		    sizeof(why)) == -1)
			diag("CHECK_LIKE %u: %s", i, why);
	}
	return rl;
}

/*
 * Reals staged as CHECK_LIKEs share the CHECK's parameters and its
 * compiled receive; every reference a reload took is given back, once
 * applied, once aborted, and when the checks go.
 */
static void
test_like_reload(void)
{
	static const char *const	 a[] = { "127.0.0.2", "127.0.0.3",
					    "127.0.0.4", "127.0.0.2" };
	struct check			**t = NULL, *c0, *c1;
	uint32_t			 n = 0;

	ok(refs_are(0, 0), "nothing is interned before");
	started = stopped = 0;
	reload_apply(stage_http_like(1, 4, a), &t, &n);
	is_int(started, 3, "a CHECK and three CHECK_LIKEs, one of them the "
	    "CHECK's real again: three checks");
	ok(t[0] == t[3] && t[0]->ck_nids == 2, "  the same real is one check");
	ok(t[1]->ck_msg == t[0]->ck_msg && t[2]->ck_msg == t[0]->ck_msg &&
	    t[1]->ck_re == t[0]->ck_re && t[0]->ck_re != NULL,
	    "  all share the parameters and the compiled receive");
	ok(refs_are(3, 3), "  one reference each per check");
	c0 = t[0], c1 = t[1];
	c1->ck_fsm.fsm_state = CS_UP;

	started = stopped = 0;
	reload_apply(stage_http_like(2, 4, a), &t, &n);
	is_int(started + stopped, 0, "the same again: nothing redone");
	ok(t[0] == c0 && t[1] == c1 && t[1]->ck_fsm.fsm_state == CS_UP,
	    "  the checks and their state are kept");
	ok(refs_are(3, 3), "  and the staged references are given back");

	reload_abort(stage_http_like(3, 4, a));
	ok(refs_are(3, 3), "an aborted reload gives back what it staged");

	apply(&t, &n, 4, 0, NULL, NULL);
	is_int(stopped, 3, "an empty config stops the three");
	ok(refs_are(0, 0), "  and nothing interned is left");
	free(t);
}

int
main(void)
{
	static const uint16_t	 p1[] = { 80, 81, 82 };
	static const uint16_t	 p2[] = { 79, 80, 81, 82 };
	static const uint16_t	 p3[] = { 79, 80, 0, 82, 0 };
	static const uint32_t	 i4[] = { 1000, 1000, 500, 1000 };
	struct check		**t = NULL, *c80, *c81, *c82;
	struct reload		*rl;
	char			 why[256];
	uint32_t		 n = 0, i;

	apply(&t, &n, 1, 3, p1, NULL);
	is_int(n, 3, "first config: 3 reals");
	is_int(started, 3, "3 checks started");
	c80 = t[0], c81 = t[1], c82 = t[2];
	for (i = 0; i < n; i++)
		t[i]->ck_fsm.fsm_state = CS_UP;

	apply(&t, &n, 2, 3, p1, NULL);
	is_int(started + stopped, 0, "the same config again: nothing redone");
	ok(t[0] == c80 && t[1] == c81 && t[2] == c82, "the same checks");
	is_int(t[1]->ck_fsm.fsm_state, CS_UP, "with their state");

	apply(&t, &n, 3, 4, p2, NULL);
	is_int(started, 1, "a real added in front: only it starts");
	is_int(stopped, 0, "nothing stops");
	ok(t[1] == c80 && t[2] == c81 && t[3] == c82,
	    "the others are kept under their new ids");
	ok(t[1]->ck_id == 1 && t[3]->ck_id == 3,
	    "and report with them");
	is_int(t[3]->ck_fsm.fsm_state, CS_UP, "keeping their state");
	is_int(t[0]->ck_fsm.fsm_state, CS_UNKNOWN, "the new one is unknown");

	apply(&t, &n, 4, 4, p2, i4);
	is_int(started, 1, "a changed interval: that check starts afresh");
	is_int(stopped, 1, "and its old one stops");
	ok(t[2] != c81 && t[2]->ck_fsm.fsm_state == CS_UNKNOWN,
	    "the changed check is new, its state unknown");
	ok(t[1] == c80 && t[3] == c82, "the others are kept");

	apply(&t, &n, 5, 5, p3, NULL);
	is_int(stopped, 1, "a real no longer checked is stopped");
	ok(t[2] == NULL && t[4] == NULL, "ids without a check stay empty");
	ok(t[3] == c82, "the rest is kept");

	rl = reload_begin(6, 2);
	is_int(reload_gen(rl), 6, "a reload knows its generation");
	ok(reload_last(rl) == NULL, "  and has staged nothing");
	is_int(stage(rl, 0, 80, 1000, why, sizeof(why)), 0,
	    "id 0 of 2 is taken");
	ok(reload_last(rl) != NULL && reload_last(rl)->cs_id == 0 &&
	    reload_last(rl)->cs_port == 80, "  and is the last staged");
	is_int(stage(rl, 0, 81, 1000, why, sizeof(why)), -1,
	    "id 0 twice is not");
	like(why, "sent twice", "  with the reason");
	is_int(stage(rl, 2, 81, 1000, why, sizeof(why)), -1,
	    "id 2 of 2 is not");
	like(why, "out of range", "  with the reason");
	ok(reload_last(rl)->cs_id == 0 && reload_last(rl)->cs_port == 80,
	    "  neither is staged: id 0 is still port 80's");
	reload_abort(rl);

	apply(&t, &n, 7, 0, p1, NULL);
	is_int(n, 0, "an empty config");
	is_int(stopped, 3, "stops every check");
	free(t);
	test_shared();
	test_shared_dropped();
	test_params();
	test_like();
	test_like_reload();
	ok(refs_are(0, 0), "at the end, no reference is held");
	return tap_done();
}

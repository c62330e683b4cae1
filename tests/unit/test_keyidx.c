/*
 * parent/keyidx.c: what a reload keeps of the old tables is found by key,
 * the first of equal keys as a walk from the start found it, and a real's
 * virtual by its id range.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "conf.h"
#include "lvsd.h"

struct entry {
	const struct conf_virtual *e_v;
	const struct conf_real	*e_r;
	uint32_t		 e_first;
	uint32_t		 e_count;
};

static struct conf_virtual
virt(const char *addr, uint16_t port, uint8_t proto)
{
	struct conf_virtual	 v;

	memset(&v, 0, sizeof(v));
	addr_parse(addr, AF_UNSPEC, &v.v_addr);
	v.v_port = port;
	v.v_proto = proto;
	return v;
}

static struct conf_real
real(const char *addr, uint16_t port)
{
	struct conf_real	 r;

	memset(&r, 0, sizeof(r));
	addr_parse(addr, AF_UNSPEC, &r.r_addr);
	r.r_port = port;
	return r;
}

static void
test_find(void)
{
	struct conf_virtual	 v[3], w;
	struct conf_real	 r[3], s;
	struct entry		 e[5];
	struct keyidx		 ki;

	v[0] = virt("192.0.2.1", 80, PROTO_TCP);
	v[1] = virt("192.0.2.1", 80, PROTO_UDP);
	v[2] = virt("2001:db8::1", 80, PROTO_TCP);
	r[0] = real("10.0.0.1", 80);
	r[1] = real("10.0.0.2", 80);
	r[2] = real("10.0.0.1", 81);
	memset(e, 0, sizeof(e));
	e[0].e_v = &v[2]; e[0].e_r = &r[0];
	e[1].e_v = &v[0]; e[1].e_r = &r[1];
	e[2].e_v = &v[0]; e[2].e_r = &r[0];
	e[3].e_v = &v[0]; e[3].e_r = &r[1];	/* the same key again */
	e[4].e_v = &v[1]; e[4].e_r = &r[2];
	keyidx_build(&ki, e, 5, sizeof(*e), offsetof(struct entry, e_v),
	    offsetof(struct entry, e_r));
	/* equal keys in other structures: the key is what counts */
	w = virt("192.0.2.1", 80, PROTO_TCP);
	w.v_line = 99;
	s = real("10.0.0.2", 80);
	is_int(keyidx_find(&ki, &w, &s), 1, "a kept real: the first of two");
	s = real("10.0.0.1", 80);
	is_int(keyidx_find(&ki, &w, &s), 2, "another real of that virtual");
	is_int(keyidx_find(&ki, &v[2], &s), 0, "the same real of an IPv6 virtual");
	s = real("10.0.0.1", 81);
	is_int(keyidx_find(&ki, &w, &s), -1, "another port: not kept");
	is_int(keyidx_find(&ki, &v[1], &s), 4, "UDP is another virtual");
	w = virt("192.0.2.2", 80, PROTO_TCP);
	is_int(keyidx_find(&ki, &w, &s), -1, "another virtual: not kept");
	keyidx_free(&ki);

	keyidx_build(&ki, e, 5, sizeof(*e), offsetof(struct entry, e_v),
	    KEYIDX_NO_REAL);
	is_int(keyidx_find(&ki, &v[0], NULL), 1,
	    "virtuals only: the first entry of the virtual");
	is_int(keyidx_find(&ki, &v[0], &r[2]), 1, "  a real given is ignored");
	is_int(keyidx_find_at(&ki, 1, &v[0], &r[2]), 1,
	    "  also with a place given");
	keyidx_free(&ki);

	keyidx_build(&ki, NULL, 0, sizeof(*e), offsetof(struct entry, e_v),
	    offsetof(struct entry, e_r));
	is_int(keyidx_find(&ki, &v[0], &r[0]), -1, "an empty old table");
	is_int(keyidx_find_at(&ki, 0, &v[0], &r[0]), -1,
	    "  with a place given too");
	keyidx_free(&ki);
}

static void
test_range(void)
{
	struct entry	 e[5];
	static const uint32_t first[] = { 0, 3, 3, 7, 7 };
	static const uint32_t count[] = { 3, 0, 4, 0, 2 };
	static const long want[] = { 0, 0, 0, 2, 2, 2, 2, 4, 4, -1, -1 };
	uint32_t	 i;
	int		 bad = 0;

	memset(e, 0, sizeof(e));
	for (i = 0; i < 5; i++) {
		e[i].e_first = first[i];
		e[i].e_count = count[i];
	}
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (keyidx_range_find(e, 5, sizeof(*e),
		    offsetof(struct entry, e_first),
		    offsetof(struct entry, e_count), i) != want[i]) {
			diag("id %u: %ld, want %ld", i, keyidx_range_find(e, 5,
			    sizeof(*e), offsetof(struct entry, e_first),
			    offsetof(struct entry, e_count), i), want[i]);
			bad = 1;
		}
	ok(!bad, "every id is in its range, empty ranges hold none");
	is_int(keyidx_range_find(e, 0, sizeof(*e), 0, 0, 0), -1,
	    "no ranges: none");
}

static void
test_many(void)
{
	enum { NV = 2000, NR = 10 };
	struct conf_virtual	*v = calloc(NV, sizeof(*v));
	struct conf_real	*r = calloc((size_t)NV * NR, sizeof(*r));
	struct entry		*e = calloc((size_t)NV * NR, sizeof(*e));
	struct keyidx		 ki;
	char			 a[64];
	uint32_t		 i;
	int			 bad = 0;

	for (i = 0; i < NV; i++) {
		snprintf(a, sizeof(a), "10.%u.%u.1", i / 250, i % 250);
		v[i] = virt(a, 80, PROTO_TCP);
	}
	for (i = 0; i < NV * NR; i++) {
		snprintf(a, sizeof(a), "172.16.%u.%u", i / 250 % 250,
		    i % 250 + 1);
		r[i] = real(a, 8080);
		e[i].e_v = &v[i % NV];
		e[i].e_r = &r[i];
	}
	keyidx_build(&ki, e, NV * NR, sizeof(*e), offsetof(struct entry, e_v),
	    offsetof(struct entry, e_r));
	for (i = 0; i < NV * NR; i++)
		if (keyidx_find(&ki, &v[i % NV], &r[i]) != i)
			bad = 1;
	ok(!bad, "20,000 reals: each found where it is");
	keyidx_free(&ki);

	/* a reload that keeps the file's order: each at its place, no sort */
	keyidx_build(&ki, e, NV * NR, sizeof(*e), offsetof(struct entry, e_v),
	    offsetof(struct entry, e_r));
	for (i = 0, bad = 0; i < NV * NR; i++)
		if (keyidx_find_at(&ki, i, &v[i % NV], &r[i]) != i)
			bad = 1;
	ok(!bad, "each found at the place it is given");
	ok(ki.ki_ids == NULL, "  with no index made");
	is_int(keyidx_find_at(&ki, 7, &v[5 % NV], &r[5]), 5,
	    "a real that moved: found by the index");
	ok(ki.ki_ids != NULL, "  made for that lookup");
	is_int(keyidx_find_at(&ki, 5, &v[5 % NV], &r[5]), 5,
	    "  which does not change what the place finds");
	is_int(keyidx_find_at(&ki, NV * NR, &v[3], &r[3]), 3,
	    "a place past the end: the index");
	is_int(keyidx_find_at(&ki, 4, &v[4 % NV], &r[5]), -1,
	    "a real of another virtual: not kept, whatever the place");
	keyidx_free(&ki);
	free(e);
	free(r);
	free(v);
}

int
main(void)
{
	test_find();
	test_range();
	test_many();
	return tap_done();
}

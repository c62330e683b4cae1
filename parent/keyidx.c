/*
 * A sorted index over a table of entries that name a virtual service
 * (and a real server of it) by pointer into a config: a reload finds
 * what it keeps of the old config's entries in O(log n) each, not by a
 * walk of the old table per new entry (10,000 virtuals x 10 reals made
 * that 10^10 comparisons).
 *
 * Keys are what the kernel keys by: a virtual by protocol, port, fwmark
 * and address; a real by address and port.  Equal keys keep their table
 * order, and a lookup returns the first, as a walk from the start did.
 */
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "log.h"
#include "lvsd.h"

/* The order of keys; 0 exactly when the key fields are equal. */
int
keyidx_virtual_cmp(const struct conf_virtual *a, const struct conf_virtual *b)
{
	if (a->v_proto != b->v_proto)
		return a->v_proto < b->v_proto ? -1 : 1;
	if (a->v_port != b->v_port)
		return a->v_port < b->v_port ? -1 : 1;
	if (a->v_fwmark != b->v_fwmark)
		return a->v_fwmark < b->v_fwmark ? -1 : 1;
	return addr_cmp(&a->v_addr, &b->v_addr);
}

static int
keyidx_real_cmp(const struct conf_real *a, const struct conf_real *b)
{
	if (a->r_port != b->r_port)
		return a->r_port < b->r_port ? -1 : 1;
	return addr_cmp(&a->r_addr, &b->r_addr);
}

/* The field at off of entry i (offsetof() of a member: aligned). */
static const void *
keyidx_field(const struct keyidx *ki, uint32_t i, size_t off)
{
	return (const char *)ki->ki_base + (size_t)i * ki->ki_size + off;
}

static const struct conf_virtual *
keyidx_v(const struct keyidx *ki, uint32_t i)
{
	return *(const struct conf_virtual *const *)keyidx_field(ki, i,
	    ki->ki_voff);
}

static const struct conf_real *
keyidx_r(const struct keyidx *ki, uint32_t i)
{
	if (ki->ki_roff == KEYIDX_NO_REAL)
		return NULL;
	return *(const struct conf_real *const *)keyidx_field(ki, i,
	    ki->ki_roff);
}

/* Entry i's key against (v, r); r NULL: virtuals only. */
static int
keyidx_key_cmp(const struct keyidx *ki, uint32_t i,
    const struct conf_virtual *v, const struct conf_real *r)
{
	int	 c;

	if ((c = keyidx_virtual_cmp(keyidx_v(ki, i), v)) != 0 || r == NULL)
		return c;
	return keyidx_real_cmp(keyidx_r(ki, i), r);
}

static int
keyidx_sort_cmp(const void *a, const void *b, void *arg)
{
	const struct keyidx	*ki = arg;
	uint32_t		 ia = *(const uint32_t *)a;
	uint32_t		 ib = *(const uint32_t *)b;
	int			 c;

	if ((c = keyidx_key_cmp(ki, ia, keyidx_v(ki, ib), keyidx_r(ki, ib)))
	    != 0)
		return c;
	return ia < ib ? -1 : ia > ib;
}

/*
 * Index the n entries of size bytes at base; voff and roff are the
 * offsets of their virtual and real pointers (roff KEYIDX_NO_REAL: a
 * table of virtuals).  base must stay until keyidx_free().  The sort
 * waits for the first lookup that needs it: a reload that keeps the
 * order of its file finds every entry where it was (keyidx_find_at).
 */
void
keyidx_build(struct keyidx *ki, const void *base, uint32_t n, size_t size,
    size_t voff, size_t roff)
{
	ki->ki_base = base;
	ki->ki_ids = NULL;
	ki->ki_n = base == NULL ? 0 : n;
	ki->ki_size = size;
	ki->ki_voff = voff;
	ki->ki_roff = roff;
}

static void
keyidx_sort(struct keyidx *ki)
{
	uint32_t	 i;

	if ((ki->ki_ids = calloc(ki->ki_n ? ki->ki_n : 1,
	    sizeof(*ki->ki_ids))) == NULL)
		fatal("%s", __func__);
	for (i = 0; i < ki->ki_n; i++)
		ki->ki_ids[i] = i;
	qsort_r(ki->ki_ids, ki->ki_n, sizeof(*ki->ki_ids), keyidx_sort_cmp,
	    ki);
}

/* The first entry with the key of v (and r), or -1. */
long
keyidx_find(struct keyidx *ki, const struct conf_virtual *v,
    const struct conf_real *r)
{
	uint32_t	 lo = 0, hi = ki->ki_n, mid;

	if (ki->ki_ids == NULL)
		keyidx_sort(ki);
	if (ki->ki_roff == KEYIDX_NO_REAL)
		r = NULL;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (keyidx_key_cmp(ki, ki->ki_ids[mid], v, r) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == ki->ki_n || keyidx_key_cmp(ki, ki->ki_ids[lo], v, r) != 0)
		return -1;
	return ki->ki_ids[lo];
}

/*
 * keyidx_find, trying entry pos first: where the same key was in the
 * old table when the file kept its order.  For tables of a config in
 * force, where no two entries share a key (conf refuses a duplicate
 * virtual service or real server), that entry is the only one.
 */
long
keyidx_find_at(struct keyidx *ki, uint32_t pos, const struct conf_virtual *v,
    const struct conf_real *r)
{
	if (ki->ki_roff == KEYIDX_NO_REAL)
		r = NULL;
	if (pos < ki->ki_n && keyidx_key_cmp(ki, pos, v, r) == 0)
		return pos;
	return keyidx_find(ki, v, r);
}

void
keyidx_free(struct keyidx *ki)
{
	free(ki->ki_ids);
	memset(ki, 0, sizeof(*ki));
}

/*
 * The entry of a table of consecutive id ranges (first ids ascending,
 * each range nreals long) that holds id, or -1.  An empty range starts
 * where the next begins, so the last range starting at or before id is
 * the only one that can hold it.
 */
long
keyidx_range_find(const void *base, uint32_t n, size_t size, size_t firstoff,
    size_t countoff, uint32_t id)
{
	uint32_t	 lo = 0, hi = n, mid, first, count;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		memcpy(&first, (const char *)base + mid * size + firstoff,
		    sizeof(first));
		if (first <= id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -1;
	memcpy(&first, (const char *)base + (lo - 1) * size + firstoff,
	    sizeof(first));
	memcpy(&count, (const char *)base + (lo - 1) * size + countoff,
	    sizeof(count));
	return id - first < count ? (long)(lo - 1) : -1;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * xdpmeta chain order: the rules of order.h. Pure C without kernel
 * dependencies beyond memmove, so the same file builds into the module
 * and into the host tests (test/host/order_test.c, order_fuzz.c).
 */
#include "order.h"

#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#define B	XDPMETA_ORDER_BEFORE
#define A	XDPMETA_ORDER_AFTER
#define R	XDPMETA_ORDER_REPLACE
#define F	XDPMETA_ORDER_FIRST
#define L	XDPMETA_ORDER_LAST
#define C	XDPMETA_ORDER_CONT

/**
 * xdpmeta_order_init() - An empty chain at revision 1.
 * @o: the chain
 */
void xdpmeta_order_init(struct xdpmeta_order *o)
{
	memset(o, 0, sizeof(*o));
	o->revision = 1;
}

/**
 * xdpmeta_order_find() - Where a program is in the chain.
 * @o:  the chain
 * @id: program id
 *
 * Return: its index, or -ENOENT (also for id 0).
 */
int xdpmeta_order_find(const struct xdpmeta_order *o, unsigned int id)
{
	unsigned int i;

	for (i = 0; id && i < o->n; i++)
		if (o->e[i].id == id)
			return (int)i;
	return -ENOENT;
}

static int xdpmeta_order_pinned(const struct xdpmeta_order *o, unsigned int i,
				unsigned int pin)
{
	return i < o->n && o->e[i].pin == pin;
}

/*
 * Where BEFORE/AFTER @rel insert: the new entry's index, -ENOENT for a
 * relative not attached, -EBUSY for a place outside the pinned ends.
 * Relative 0 is the implicit front/back, just inside the pins.
 */
static int xdpmeta_order_insert_at(const struct xdpmeta_order *o, unsigned int flags,
				   unsigned int rel)
{
	int t;

	if (!rel) {
		if (flags & B)
			return xdpmeta_order_pinned(o, 0, XDPMETA_ORDER_PIN_FIRST);
		return (int)o->n - (o->n && xdpmeta_order_pinned(o, o->n - 1, XDPMETA_ORDER_PIN_LAST));
	}
	t = xdpmeta_order_find(o, rel);
	if (t < 0)
		return t;
	if (flags & A)
		t++;
	if ((t == 0 && xdpmeta_order_pinned(o, 0, XDPMETA_ORDER_PIN_FIRST)) ||
	    (t == (int)o->n && o->n && xdpmeta_order_pinned(o, o->n - 1, XDPMETA_ORDER_PIN_LAST)))
		return -EBUSY;
	return t;
}

/*
 * The index of the entry just BEFORE/AFTER @rel (relative 0: the first /
 * the last): -ENOENT for a relative not attached, -ERANGE if there is none.
 */
static int xdpmeta_order_neighbour(const struct xdpmeta_order *o, unsigned int flags,
				   unsigned int rel)
{
	int t;

	if (!o->n)
		return -ERANGE;
	if (!rel)
		return flags & B ? 0 : (int)o->n - 1;
	t = xdpmeta_order_find(o, rel);
	if (t < 0)
		return t;
	t += flags & B ? -1 : 1;
	return t < 0 || t >= (int)o->n ? -ERANGE : t;
}

/**
 * xdpmeta_order_attach() - Attach or replace a program.
 * @o: the chain
 * @r: the request: @id, @flags, @rel, @old, @cont, @expected_revision
 *
 * Return: the entry's index on success (the revision moved by one);
 * -EINVAL for a malformed request (order.h), FIRST or LAST with a
 * relative position or REPLACE;
 * -ESTALE if @expected_revision is not the chain's;
 * -EEXIST if @id is attached;
 * -ENOENT if @rel or @old is not attached;
 * -ERANGE if the chain is full (not for REPLACE), for BEFORE and AFTER
 * together, or if @old is not where BEFORE/AFTER say;
 * -EBUSY for a second FIRST or LAST, or an explicit place in front of the
 * FIRST entry or behind the LAST one.
 * On error the chain is unchanged.
 */
int xdpmeta_order_attach(struct xdpmeta_order *o, const struct xdpmeta_order_req *r)
{
	unsigned int f = r->flags, pin = 0, cont = XDPMETA_ORDER_CONT_DEFAULT;
	int idx, t;

	if (!r->id || (f & ~XDPMETA_ORDER_FLAGS) ||
	    ((f & C) && (r->cont & ~XDPMETA_ORDER_CONT_VALID)) ||
	    (r->rel && !(f & (B | A))) || (r->old && !(f & R)) || ((f & R) && !r->old) ||
	    (f & (F | L)) == (F | L) || ((f & (F | L)) && ((f & (B | A | R)) || r->rel)))
		return -EINVAL;
	if (r->expected_revision && r->expected_revision != o->revision)
		return -ESTALE;
	if (xdpmeta_order_find(o, r->id) >= 0)
		return -EEXIST;
	if ((f & (B | A)) == (B | A))
		return -ERANGE;
	if (f & R) {
		idx = xdpmeta_order_find(o, r->old);
		if (idx < 0)
			return idx;
		if (f & (B | A)) {
			/* where @old must be: next to @rel, or first / last */
			t = xdpmeta_order_neighbour(o, f & (B | A), r->rel);
			if (t == -ENOENT)
				return t;
			if (t != idx)
				return -ERANGE;
		}
		o->e[idx].id = r->id;
		if (f & C)
			o->e[idx].cont = r->cont;
		o->revision++;
		return idx;
	}
	if (o->n == XDPMETA_ORDER_MAX)
		return -ERANGE;
	if (f & F) {
		if (xdpmeta_order_pinned(o, 0, XDPMETA_ORDER_PIN_FIRST))
			return -EBUSY;
		idx = 0;
		pin = XDPMETA_ORDER_PIN_FIRST;
	} else if (f & L) {
		if (o->n && xdpmeta_order_pinned(o, o->n - 1, XDPMETA_ORDER_PIN_LAST))
			return -EBUSY;
		idx = (int)o->n;
		pin = XDPMETA_ORDER_PIN_LAST;
	} else {
		idx = xdpmeta_order_insert_at(o, f & B ? B : A, r->rel);
		if (idx < 0)
			return idx;
	}
	if (f & C)
		cont = r->cont;
	memmove(&o->e[idx + 1], &o->e[idx], (o->n - idx) * sizeof(o->e[0]));
	o->e[idx].id = r->id;
	o->e[idx].cont = cont;
	o->e[idx].pin = pin;
	o->n++;
	o->revision++;
	return idx;
}

/**
 * xdpmeta_order_detach() - Detach a program.
 * @o: the chain
 * @r: the request: @id (0: by position), @flags (BEFORE/AFTER only),
 *     @rel, @expected_revision
 *
 * Return: the index the entry had, on success (the revision moved by
 * one);
 * -EINVAL for REPLACE, FIRST, LAST, CONT, unknown flags, a relative
 * without BEFORE/AFTER, or @old set;
 * -ESTALE if @expected_revision is not the chain's;
 * -ENOENT if the chain is empty, or @id or @rel is not attached;
 * -ERANGE for BEFORE and AFTER together, no entry on that side of @rel,
 * or @id not where BEFORE/AFTER say.
 * On error the chain is unchanged.
 */
int xdpmeta_order_detach(struct xdpmeta_order *o, const struct xdpmeta_order_req *r)
{
	unsigned int f = r->flags;
	int idx = -1, t;

	if ((f & ~(B | A)) || (r->rel && !(f & (B | A))) || r->old)
		return -EINVAL;
	if (r->expected_revision && r->expected_revision != o->revision)
		return -ESTALE;
	if (!o->n)
		return -ENOENT;
	if ((f & (B | A)) == (B | A))
		return -ERANGE;
	if (r->id) {
		idx = xdpmeta_order_find(o, r->id);
		if (idx < 0)
			return idx;
	}
	if (f) {
		t = xdpmeta_order_neighbour(o, f, r->rel);
		if (t < 0)
			return t;
		if (idx >= 0 && t != idx)
			return -ERANGE;
		idx = t;
	}
	if (idx < 0)
		idx = (int)o->n - 1;
	memmove(&o->e[idx], &o->e[idx + 1], (o->n - idx - 1) * sizeof(o->e[0]));
	o->n--;
	memset(&o->e[o->n], 0, sizeof(o->e[0]));
	o->revision++;
	return idx;
}

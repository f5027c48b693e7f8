/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdpmeta chain order: which programs a device's XDP chain runs, in which
 * order, and what each entry's verdicts do. Pure C, no kernel headers:
 * the module's chain room (still to come, issue 16) keeps one of these per
 * chained device under RTNL and publishes a copy for the data path; host
 * tests and fuzzers build this same file.
 *
 * Semantics (kernel/bpf/mprog.c's, 6.6+, for programs by id)
 * -----------------------------------------------------------
 * A chain holds up to XDPMETA_ORDER_MAX distinct program ids. Every change
 * that succeeds bumps the revision (starting at 1, as bpf_mprog's query
 * reports for an empty entry); a change that fails changes nothing. A
 * change may pass the revision it expects: another one is -ESTALE.
 *
 * Attach of @id, -EEXIST if it is attached already:
 *  - no position: append;
 *  - BEFORE with relative 0: prepend; BEFORE @rel: just before @rel;
 *  - AFTER with relative 0: append; AFTER @rel: just after @rel;
 *  - BEFORE and AFTER together: -ERANGE (one relative is not both
 *    sides of a place; bpf_mprog refuses it the same way);
 *  - REPLACE @old: @id takes @old's place (and its pin and continue
 *    actions unless the request gives its own actions); BEFORE @rel /
 *    AFTER @rel then say where @old must be (just before / after @rel;
 *    relative 0: first / last), else -ERANGE (bpf_mprog has no
 *    "relative 0" form with REPLACE);
 *  - a relative or @old that is not attached: -ENOENT; a full chain:
 *    -ERANGE (a replace does not grow it).
 * xdpmeta's additions:
 *  - FIRST / LAST pin the entry to the front / back for as long as it is
 *    attached: one of each (-EBUSY for a second), not with a relative
 *    position or REPLACE (-EINVAL). Explicit positions in front of the
 *    FIRST entry or behind the LAST one are -EBUSY; the implicit ones
 *    (append, prepend) go just inside them instead, so that an
 *    application appending its program never displaces a LAST one.
 *  - Continue actions: a bit per XDP action (1 << XDP_PASS, ...). After
 *    an entry returns an action whose bit is set, the next entry runs;
 *    any other action ends the chain with it. Default: XDP_PASS
 *    continues. Only the five XDP actions (bits 0..4) may be set.
 * Detach: of @id (-ENOENT if not attached); or, without @id, of the entry
 * just BEFORE / AFTER @rel (relative 0: the first / the last entry; none
 * there: -ERANGE), and without anything, of the last entry; given both,
 * they must agree (-ERANGE); an empty chain is -ENOENT; REPLACE, FIRST,
 * LAST and CONT are -EINVAL. A pinned entry may be detached; its pin goes
 * with it.
 * Malformed requests (unknown flags, id 0, continue bits beyond the five
 * actions, a relative without BEFORE/AFTER, @old without REPLACE) are
 * -EINVAL before anything else is looked at.
 *
 * Locking: none here; the caller serializes changes (RTNL in the module)
 * and copies the order it publishes.
 */
#ifndef XDPMETA_ORDER_H
#define XDPMETA_ORDER_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#else
#include <stdint.h>
#include <errno.h>
#endif

#define XDPMETA_ORDER_MAX	64

/* request flags (the mprog ones have bpf_mprog's meaning) */
#define XDPMETA_ORDER_BEFORE	(1U << 0)
#define XDPMETA_ORDER_AFTER	(1U << 1)
#define XDPMETA_ORDER_REPLACE	(1U << 2)
#define XDPMETA_ORDER_FIRST	(1U << 3)
#define XDPMETA_ORDER_LAST	(1U << 4)
#define XDPMETA_ORDER_CONT	(1U << 5)	/* the request sets @cont */
#define XDPMETA_ORDER_FLAGS	0x3fU

/* entry pins */
#define XDPMETA_ORDER_PIN_FIRST	1
#define XDPMETA_ORDER_PIN_LAST	2

/* continue actions: bit n = XDP action n (XDP_ABORTED 0 ... XDP_REDIRECT 4) */
#define XDPMETA_ORDER_CONT_PASS		(1U << 2)
#define XDPMETA_ORDER_CONT_DEFAULT	XDPMETA_ORDER_CONT_PASS
#define XDPMETA_ORDER_CONT_VALID	0x1fU

struct xdpmeta_order_entry {
	unsigned int id;	/* program id, never 0 */
	unsigned int cont;	/* continue actions */
	unsigned int pin;	/* 0, XDPMETA_ORDER_PIN_FIRST or _LAST */
};

struct xdpmeta_order {
	unsigned int n;
	unsigned long long revision;
	struct xdpmeta_order_entry e[XDPMETA_ORDER_MAX];
};

struct xdpmeta_order_req {
	unsigned int id;	/* attach: the new program; detach: 0 or the program */
	unsigned int flags;	/* XDPMETA_ORDER_* */
	unsigned int rel;	/* relative program id for BEFORE/AFTER, 0: none */
	unsigned int old;	/* REPLACE: the program replaced */
	unsigned int cont;	/* with XDPMETA_ORDER_CONT */
	unsigned long long expected_revision;	/* 0: any */
};

void xdpmeta_order_init(struct xdpmeta_order *o);
int xdpmeta_order_attach(struct xdpmeta_order *o, const struct xdpmeta_order_req *r);
int xdpmeta_order_detach(struct xdpmeta_order *o, const struct xdpmeta_order_req *r);
int xdpmeta_order_find(const struct xdpmeta_order *o, unsigned int id);

/* Whether the chain goes on after an entry with @cont returned @action. */
static inline int xdpmeta_order_continues(unsigned int cont, unsigned int action)
{
	return action < 32 && ((cont >> action) & 1);
}

#endif /* XDPMETA_ORDER_H */

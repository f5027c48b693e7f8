// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the chain order (kmod/order.c): every rule and errno of
 * order.h on spelled-out chains, then random request sequences checked
 * against the invariants (distinct non-zero ids, at most 64, pins only at
 * their ends, the revision moving by one exactly on success, nothing
 * changed on error, an attach landing where its request said).
 * usage: order_test [seed]
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "order.h"

#define B	XDPMETA_ORDER_BEFORE
#define A	XDPMETA_ORDER_AFTER
#define R	XDPMETA_ORDER_REPLACE
#define F	XDPMETA_ORDER_FIRST
#define L	XDPMETA_ORDER_LAST
#define C	XDPMETA_ORDER_CONT

static char why[256];

static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return -1;
}

#define CHECK(cond, ...)				\
	do {						\
		if (!(cond))				\
			return fail(__VA_ARGS__);	\
	} while (0)

#define CHECK_EQ(got, want, what)					\
	do {								\
		long long g_ = (long long)(got), w_ = (long long)(want); \
		if (g_ != w_)						\
			return fail("%s: got %lld, want %lld (line %d)", \
				    what, g_, w_, __LINE__);		\
	} while (0)

static int att(struct xdpmeta_order *o, unsigned int id, unsigned int flags, unsigned int rel)
{
	struct xdpmeta_order_req r = { .id = id, .flags = flags, .rel = rel };

	return xdpmeta_order_attach(o, &r);
}

static int det(struct xdpmeta_order *o, unsigned int id, unsigned int flags, unsigned int rel)
{
	struct xdpmeta_order_req r = { .id = id, .flags = flags, .rel = rel };

	return xdpmeta_order_detach(o, &r);
}

/* the ids in order, as "1 2 3" */
static const char *ids(const struct xdpmeta_order *o)
{
	static char s[1024];
	size_t n = 0;

	s[0] = 0;
	for (unsigned int i = 0; i < o->n; i++)
		n += snprintf(s + n, sizeof(s) - n, "%s%u", i ? " " : "", o->e[i].id);
	return s;
}

#define CHECK_IDS(o, want)						\
	CHECK(!strcmp(ids(o), want), "line %d: chain '%s', want '%s'",	\
	      __LINE__, ids(o), want)

static int test_mprog_positions(void)
{
	struct xdpmeta_order o;

	xdpmeta_order_init(&o);
	CHECK_EQ(o.revision, 1, "empty chain's revision");
	CHECK_EQ(att(&o, 1, 0, 0), 0, "append to empty");
	CHECK_EQ(att(&o, 2, 0, 0), 1, "append");
	CHECK_EQ(att(&o, 3, B, 0), 0, "BEFORE without relative: prepend");
	CHECK_EQ(att(&o, 4, A, 0), 3, "AFTER without relative: append");
	CHECK_IDS(&o, "3 1 2 4");
	CHECK_EQ(att(&o, 5, B, 2), 2, "BEFORE 2");
	CHECK_EQ(att(&o, 6, A, 3), 1, "AFTER 3");
	CHECK_IDS(&o, "3 6 1 5 2 4");
	CHECK_EQ(o.revision, 7, "one revision per change");
	return 0;
}

static int test_mprog_errors(void)
{
	struct xdpmeta_order o;
	struct xdpmeta_order_req r = { .id = 9, .expected_revision = 2 };
	unsigned long long rev;

	xdpmeta_order_init(&o);
	att(&o, 1, 0, 0);
	att(&o, 2, 0, 0);
	rev = o.revision;
	CHECK_EQ(xdpmeta_order_attach(&o, &r), -ESTALE, "expected revision 2 of 3");
	r.expected_revision = rev;
	CHECK_EQ(xdpmeta_order_attach(&o, &r), 2, "expected revision right");
	CHECK_EQ(att(&o, 1, 0, 0), -EEXIST, "attached twice");
	CHECK_EQ(att(&o, 7, B, 99), -ENOENT, "relative not attached");
	CHECK_EQ(att(&o, 7, B | A, 1), -ERANGE, "BEFORE and AFTER together");
	CHECK_EQ(att(&o, 7, 0, 1), -EINVAL, "relative without a direction");
	CHECK_EQ(att(&o, 0, 0, 0), -EINVAL, "id 0");
	CHECK_EQ(att(&o, 7, 1U << 6, 0), -EINVAL, "unknown flag");
	CHECK_IDS(&o, "1 2 9");
	CHECK_EQ(o.revision, rev + 1, "errors change nothing");
	return 0;
}

static int test_full_chain(void)
{
	struct xdpmeta_order o;
	struct xdpmeta_order_req r = { .id = 1000, .flags = R, .old = 64 };

	xdpmeta_order_init(&o);
	for (unsigned int i = 1; i <= XDPMETA_ORDER_MAX; i++)
		CHECK_EQ(att(&o, i, 0, 0), i - 1, "filling to 64");
	CHECK_EQ(att(&o, 65, 0, 0), -ERANGE, "65th entry");
	CHECK_EQ(att(&o, 65, B, 1), -ERANGE, "65th entry, before 1");
	CHECK_EQ(xdpmeta_order_attach(&o, &r), 63, "a replace does not grow the chain");
	CHECK_EQ(o.e[63].id, 1000, "replaced in place");
	CHECK_EQ(o.n, XDPMETA_ORDER_MAX, "still 64");
	return 0;
}

static int test_replace(void)
{
	struct xdpmeta_order o;
	struct xdpmeta_order_req r = { .id = 7, .flags = R, .old = 2 };

	xdpmeta_order_init(&o);
	att(&o, 1, 0, 0);
	att(&o, 2, 0, 0);
	att(&o, 3, 0, 0);
	o.e[1].cont = 0x3;
	CHECK_EQ(xdpmeta_order_attach(&o, &r), 1, "replace 2");
	CHECK_IDS(&o, "1 7 3");
	CHECK_EQ(o.e[1].cont, 0x3, "continue actions kept");
	r = (struct xdpmeta_order_req){ .id = 8, .flags = R, .old = 2 };
	CHECK_EQ(xdpmeta_order_attach(&o, &r), -ENOENT, "old not attached");
	r = (struct xdpmeta_order_req){ .id = 8, .flags = R, .old = 7, .rel = 3 } ;
	r.flags |= B;
	CHECK_EQ(xdpmeta_order_attach(&o, &r), 1, "replace 7, which is before 3");
	r = (struct xdpmeta_order_req){ .id = 9, .flags = R | A, .old = 8, .rel = 3 };
	CHECK_EQ(xdpmeta_order_attach(&o, &r), -ERANGE, "8 is not after 3");
	r = (struct xdpmeta_order_req){ .id = 9, .flags = R | A, .old = 3 };
	CHECK_EQ(xdpmeta_order_attach(&o, &r), 2, "AFTER without relative: the last");
	r = (struct xdpmeta_order_req){ .id = 10, .flags = R | B, .old = 9 };
	CHECK_EQ(xdpmeta_order_attach(&o, &r), -ERANGE, "BEFORE without relative: 9 is not first");
	r = (struct xdpmeta_order_req){ .id = 10, .flags = R | C, .old = 9, .cont = 0x10 };
	CHECK_EQ(xdpmeta_order_attach(&o, &r), 2, "replace with actions");
	CHECK_EQ(o.e[2].cont, 0x10, "actions given");
	r = (struct xdpmeta_order_req){ .id = 11, .flags = R };
	CHECK_EQ(xdpmeta_order_attach(&o, &r), -EINVAL, "REPLACE without old");
	r = (struct xdpmeta_order_req){ .id = 11, .old = 1 };
	CHECK_EQ(xdpmeta_order_attach(&o, &r), -EINVAL, "old without REPLACE");
	r = (struct xdpmeta_order_req){ .id = 1, .flags = R, .old = 10 };
	CHECK_EQ(xdpmeta_order_attach(&o, &r), -EEXIST, "replace by an attached program");
	CHECK_IDS(&o, "1 8 10");
	return 0;
}

static int test_first_last(void)
{
	struct xdpmeta_order o;
	struct xdpmeta_order_req r;

	xdpmeta_order_init(&o);
	CHECK_EQ(att(&o, 1, L, 0), 0, "LAST into empty");
	CHECK_EQ(att(&o, 2, 0, 0), 0, "append goes before LAST");
	CHECK_EQ(att(&o, 3, F, 0), 0, "FIRST");
	CHECK_EQ(att(&o, 4, B, 0), 1, "prepend goes after FIRST");
	CHECK_EQ(att(&o, 5, A, 0), 3, "AFTER without relative: before LAST");
	CHECK_IDS(&o, "3 4 2 5 1");
	CHECK_EQ(att(&o, 6, F, 0), -EBUSY, "second FIRST");
	CHECK_EQ(att(&o, 6, L, 0), -EBUSY, "second LAST");
	CHECK_EQ(att(&o, 6, B, 3), -EBUSY, "explicitly before FIRST");
	CHECK_EQ(att(&o, 6, A, 1), -EBUSY, "explicitly after LAST");
	CHECK_EQ(att(&o, 6, A, 3), 1, "after FIRST is fine");
	CHECK_EQ(att(&o, 7, B, 1), 5, "before LAST is fine");
	CHECK_EQ(att(&o, 8, F | L, 0), -EINVAL, "FIRST and LAST");
	CHECK_EQ(att(&o, 8, F | B, 0), -EINVAL, "FIRST with a position");
	CHECK_EQ(att(&o, 8, L | A, 2), -EINVAL, "LAST with a relative");
	r = (struct xdpmeta_order_req){ .id = 8, .flags = F | R, .old = 2 };
	CHECK_EQ(xdpmeta_order_attach(&o, &r), -EINVAL, "FIRST with REPLACE");
	r = (struct xdpmeta_order_req){ .id = 8, .flags = R, .old = 3 };
	CHECK_EQ(xdpmeta_order_attach(&o, &r), 0, "replace the FIRST entry");
	CHECK_EQ(o.e[0].pin, XDPMETA_ORDER_PIN_FIRST, "the replacement holds the pin");
	CHECK_EQ(det(&o, 8, 0, 0), 0, "detach the FIRST entry");
	CHECK_EQ(att(&o, 9, B, 6), 0, "no FIRST any more: before 6 is the front");
	CHECK_EQ(att(&o, 10, F, 0), 0, "a new FIRST");
	CHECK_IDS(&o, "10 9 6 4 2 5 7 1");
	return 0;
}

static int test_continue_actions(void)
{
	struct xdpmeta_order o;
	struct xdpmeta_order_req r = { .id = 1 };

	xdpmeta_order_init(&o);
	CHECK_EQ(xdpmeta_order_attach(&o, &r), 0, "default actions");
	CHECK_EQ(o.e[0].cont, XDPMETA_ORDER_CONT_PASS, "default: XDP_PASS continues");
	CHECK(xdpmeta_order_continues(o.e[0].cont, 2), "XDP_PASS (2) continues");
	CHECK(!xdpmeta_order_continues(o.e[0].cont, 1), "XDP_DROP (1) ends the chain");
	CHECK(!xdpmeta_order_continues(o.e[0].cont, 4), "XDP_REDIRECT (4) ends the chain");
	CHECK(!xdpmeta_order_continues(~0U, 99), "an unknown action never continues");
	r = (struct xdpmeta_order_req){ .id = 2, .flags = C, .cont = 0x2 | 0x4 };
	CHECK_EQ(xdpmeta_order_attach(&o, &r), 1, "DROP and PASS continue");
	CHECK(xdpmeta_order_continues(o.e[1].cont, 1), "XDP_DROP continues here");
	r = (struct xdpmeta_order_req){ .id = 3, .flags = C, .cont = 0x20 };
	CHECK_EQ(xdpmeta_order_attach(&o, &r), -EINVAL, "a sixth action bit");
	r = (struct xdpmeta_order_req){ .id = 3, .flags = C, .cont = 0 };
	CHECK_EQ(xdpmeta_order_attach(&o, &r), 2, "nothing continues: the chain ends here");
	CHECK_EQ(o.e[2].cont, 0, "no action continues");
	return 0;
}

static int test_detach(void)
{
	struct xdpmeta_order o;
	struct xdpmeta_order_req r = { .id = 1, .expected_revision = 1 };

	xdpmeta_order_init(&o);
	CHECK_EQ(det(&o, 0, 0, 0), -ENOENT, "empty chain");
	for (unsigned int i = 1; i <= 6; i++)
		att(&o, i, 0, 0);
	CHECK_EQ(xdpmeta_order_detach(&o, &r), -ESTALE, "stale revision");
	CHECK_EQ(det(&o, 9, 0, 0), -ENOENT, "not attached");
	CHECK_EQ(det(&o, 3, 0, 0), 2, "by id");
	CHECK_EQ(det(&o, 0, B, 0), 0, "BEFORE without relative: the first");
	CHECK_EQ(det(&o, 0, A, 0), 3, "AFTER without relative: the last");
	CHECK_IDS(&o, "2 4 5");
	CHECK_EQ(det(&o, 0, B, 5), 1, "the one before 5");
	CHECK_EQ(det(&o, 0, B, 2), -ERANGE, "nothing before the first");
	CHECK_EQ(det(&o, 0, A, 5), -ERANGE, "nothing after the last");
	CHECK_EQ(det(&o, 2, A, 5), -ERANGE, "2 is not after 5");
	CHECK_EQ(det(&o, 5, A, 2), 1, "5 is after 2");
	CHECK_EQ(det(&o, 0, B | A, 2), -ERANGE, "both directions");
	CHECK_EQ(det(&o, 0, 0, 2), -EINVAL, "relative without a direction");
	CHECK_EQ(det(&o, 2, R, 0), -EINVAL, "REPLACE");
	CHECK_EQ(det(&o, 2, F, 0), -EINVAL, "FIRST");
	CHECK_EQ(det(&o, 0, 0, 0), 0, "nothing: the last");
	CHECK_EQ(o.n, 0, "empty again");
	return 0;
}

/* ---- random sequences against the invariants ---- */

static unsigned long long rng;

static unsigned int rnd(unsigned int n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(rng >> 33) % n;
}

static int invariants(const struct xdpmeta_order *o)
{
	unsigned int firsts = 0, lasts = 0;

	CHECK(o->n <= XDPMETA_ORDER_MAX, "n %u", o->n);
	for (unsigned int i = 0; i < o->n; i++) {
		CHECK(o->e[i].id, "id 0 at %u", i);
		CHECK(!(o->e[i].cont & ~XDPMETA_ORDER_CONT_VALID), "cont %#x", o->e[i].cont);
		for (unsigned int j = 0; j < i; j++)
			CHECK(o->e[j].id != o->e[i].id, "id %u twice", o->e[i].id);
		if (o->e[i].pin == XDPMETA_ORDER_PIN_FIRST) {
			firsts++;
			CHECK(i == 0, "FIRST at %u", i);
		} else if (o->e[i].pin == XDPMETA_ORDER_PIN_LAST) {
			lasts++;
			CHECK(i == o->n - 1, "LAST at %u of %u", i, o->n);
		} else {
			CHECK(!o->e[i].pin, "pin %u", o->e[i].pin);
		}
	}
	CHECK(firsts <= 1 && lasts <= 1, "%u FIRST, %u LAST", firsts, lasts);
	return 0;
}

static unsigned int some_id(const struct xdpmeta_order *o)
{
	if (o->n && rnd(4))
		return o->e[rnd(o->n)].id;
	return rnd(5) ? 1 + rnd(90) : 0;
}

static int test_random_sequences(void)
{
	static const unsigned int fl[] = { 0, B, A, B, A, R, R | B, R | A, F, L, C, B | A, 1U << 6 };
	struct xdpmeta_order o, before;
	unsigned int seq, step;

	for (seq = 0; seq < 2000; seq++) {
		xdpmeta_order_init(&o);
		for (step = 0; step < 300; step++) {
			struct xdpmeta_order_req r = { 0 };
			int detach = rnd(3) == 0, ret;

			r.flags = fl[rnd(sizeof(fl) / sizeof(fl[0]))] | (rnd(4) ? 0 : C);
			r.id = detach && rnd(2) ? 0 : some_id(&o);
			r.rel = r.flags & (B | A) && rnd(3) ? some_id(&o) : 0;
			r.old = r.flags & R ? some_id(&o) : 0;
			r.cont = rnd(8) ? rnd(32) : rnd(64);
			r.expected_revision = rnd(8) ? 0 : o.revision - rnd(2);
			if (detach)
				r.flags &= rnd(3) ? (B | A) : ~0U;
			before = o;
			ret = detach ? xdpmeta_order_detach(&o, &r) : xdpmeta_order_attach(&o, &r);
			if (ret < 0) {
				CHECK(!memcmp(&before, &o, sizeof(o)), "seq %u step %u: error %d changed the chain",
				      seq, step, ret);
				continue;
			}
			CHECK_EQ(o.revision, before.revision + 1, "revision after a change");
			if (invariants(&o)) {
				char broken[sizeof(why)];

				memcpy(broken, why, sizeof(why));
				return fail("seq %u step %u (%s %u flags %#x rel %u old %u): %s", seq,
					    step, detach ? "detach" : "attach", r.id, r.flags, r.rel,
					    r.old, broken);
			}
			if (detach) {
				CHECK_EQ(o.n, before.n - 1, "detach shrinks by one");
				CHECK(xdpmeta_order_find(&before, before.e[ret].id) == ret &&
				      xdpmeta_order_find(&o, before.e[ret].id) < 0, "detached the entry at %d", ret);
			} else {
				CHECK(o.e[ret].id == r.id, "attached at %d", ret);
				CHECK_EQ(o.n, before.n + !(r.flags & R), "attach grows by one, replace not");
				if (r.flags & (B | A) && r.rel && !(r.flags & R)) {
					int at = xdpmeta_order_find(&o, r.rel);

					CHECK(at == ret + (r.flags & B ? 1 : -1), "seq %u step %u: %u not %s %u",
					      seq, step, r.id, r.flags & B ? "before" : "after", r.rel);
				}
			}
		}
	}
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "mprog_positions", test_mprog_positions },
	{ "mprog_errors", test_mprog_errors },
	{ "full_chain_64", test_full_chain },
	{ "replace", test_replace },
	{ "first_last_pins", test_first_last },
	{ "continue_actions", test_continue_actions },
	{ "detach", test_detach },
	{ "random_sequences_keep_invariants", test_random_sequences },
};

int main(int argc, char **argv)
{
	unsigned int i, passed = 0, failed = 0;

	rng = argc > 1 ? strtoull(argv[1], NULL, 0) : 0x6f72646572ULL;
	printf("# order_test seed %#llx\n", rng);
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		why[0] = 0;
		if (tests[i].fn()) {
			printf("not ok - %s: %s\n", tests[i].name, why);
			failed++;
		} else {
			printf("ok - %s\n", tests[i].name);
			passed++;
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

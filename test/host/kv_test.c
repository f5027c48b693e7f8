// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the xdpmeta key/value store (kmod/kv.c): focused tests of
 * every function and errno, and a property test of random operation
 * sequences against the reference model in kv_model.h.
 *
 * Usage: kv_test [seed]     (seed in decimal or 0x hex; default fixed)
 * Output: "ok - <name>" or "FAIL - <name>: <why>" per test, then
 * "N passed, N failed".  Exit status 1 on any failure.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "kv_model.h"

#define SEQS		5000
#define SEQ_OPS		200
#define MAX_ROOM	256
#define GUARD		64	/* canary bytes before and after the room */
#define FILL		0xa5	/* pattern of untouched output buffers */

static uint64_t base_seed = 0x6b765f7465737431ULL;
static char why[1024];

/* ---- deterministic PRNG (splitmix64) ---- */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform-enough integer in [0, n) */
static unsigned int below(struct rng *r, unsigned int n)
{
	return (unsigned int)(rnd(r) % n);
}

static void rnd_bytes(struct rng *r, void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n--)
		*p++ = (unsigned char)rnd(r);
}

static void shuffle(struct rng *r, unsigned int *v, unsigned int n)
{
	unsigned int i, j, t;

	for (i = n - 1; i > 0 && n; i--) {
		j = below(r, i + 1);
		t = v[i], v[i] = v[j], v[j] = t;
	}
}

static void rng_init(struct rng *r, uint64_t salt)
{
	r->s = base_seed ^ (salt * 0xd1b54a32d192ed03ULL);
	rnd(r);
}

/* ---- reporting ---- */

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

static const unsigned int valid_sizes[] = { 0, 2, 4, 8, 16 };
#define NSIZES	(sizeof(valid_sizes) / sizeof(valid_sizes[0]))

/* ---- helpers comparing the implementation with the model ---- */

/*
 * Store bytes, xdpmeta_kv_len(), xdpmeta_kv_code() and the value of every
 * key read through xdpmeta_kv_get() against the model.
 */
static int check_store(const void *store, const struct kvm *m,
		       const char *ctx)
{
	unsigned char img[KVM_MAX_LEN], out[16], want[16];
	unsigned int len = kvm_serialize(m, img), k, size;
	int ret, mret;

	if (xdpmeta_kv_len(store) != len)
		return fail("%s: len %u, model %u", ctx, xdpmeta_kv_len(store),
			    len);
	if (memcmp(store, img, len)) {
		unsigned int i;

		for (i = 0; i < len; i++)
			if (((const unsigned char *)store)[i] != img[i])
				break;
		return fail("%s: store differs from model at byte %u of %u",
			    ctx, i, len);
	}
	for (k = 0; k < KVM_KEYS; k++) {
		if (xdpmeta_kv_code(store, k) != m->code[k])
			return fail("%s: code of key %u is %d, model %u", ctx,
				    k, xdpmeta_kv_code(store, k), m->code[k]);
		size = m->code[k] == 1 ? 0 : m->code[k] == 2 ? 4 : 8;
		memset(out, FILL, sizeof(out));
		memset(want, FILL, sizeof(want));
		ret = xdpmeta_kv_get(store, k, out, size);
		mret = kvm_get(m, k, want, size);
		if (ret != mret)
			return fail("%s: get key %u size %u: %d, model %d",
				    ctx, k, size, ret, mret);
		if (memcmp(out, want, sizeof(out)))
			return fail("%s: get key %u size %u: wrong value", ctx,
				    k, size);
	}
	return 0;
}

/*
 * A store with its room in a heap buffer.  Guarded: canary bytes before and
 * after the room, checked after every operation.  Exact: nothing after the
 * room, so that ASan reports any access beyond it, reads included.  The
 * store may be misaligned by a few bytes.
 */
struct arena {
	unsigned char *buf;
	size_t size;
	unsigned char *store;
	unsigned int room;
};

#define ARENA_MAX	(GUARD + 8 + KVM_MAX_LEN + GUARD)

static void arena_init(struct arena *a, struct rng *r, unsigned int room,
		       unsigned int misalign, int guarded)
{
	size_t pre = guarded ? GUARD + misalign : misalign;

	free(a->buf);	/* the previous one, if any */
	a->size = pre + room + (guarded ? GUARD : 0);
	a->buf = malloc(a->size);
	if (!a->buf) {
		perror("malloc");
		exit(2);
	}
	rnd_bytes(r, a->buf, a->size);
	a->store = a->buf + pre;
	a->room = room;
	xdpmeta_kv_init(a->store);
}

static void arena_free(struct arena *a)
{
	free(a->buf);
	a->buf = NULL;
}

/*
 * After an operation: bytes outside [store, store + reach) must equal the
 * snapshot taken before it.
 */
static int check_untouched(const struct arena *a, const unsigned char *snap,
			   unsigned int reach, const char *ctx)
{
	size_t pre = (size_t)(a->store - a->buf), i;

	for (i = 0; i < pre; i++)
		if (a->buf[i] != snap[i])
			return fail("%s: byte %d before the store written", ctx,
				    (int)i - (int)pre);
	for (i = pre + reach; i < a->size; i++) {
		if (a->buf[i] != snap[i])
			return fail("%s: byte %zu written, beyond length %u%s",
				    ctx, i - pre, reach,
				    i - pre >= a->room ? " and room" : "");
	}
	return 0;
}

/* ---- focused tests ---- */

static int test_size_valid(void)
{
	unsigned int key, size, c, n;

	for (key = 0; key < 70; key++) {
		for (size = 0; size < 40; size++) {
			int want = kvm_layout(key, size, &c, &n);

			CHECK_EQ(xdpmeta_kv_size_valid(key, size), want,
				 "size_valid");
		}
	}
	CHECK(!xdpmeta_kv_size_valid(UINT32_MAX, 4), "key UINT32_MAX valid");
	CHECK(!xdpmeta_kv_size_valid(UINT32_MAX, 16), "key UINT32_MAX valid");
	CHECK(!xdpmeta_kv_size_valid(0, UINT32_MAX), "size UINT32_MAX valid");
	CHECK(xdpmeta_kv_size_valid(62, 16), "16 at 62 invalid");
	CHECK(!xdpmeta_kv_size_valid(63, 16), "16 at 63 valid");
	CHECK(xdpmeta_kv_size_valid(63, 8), "8 at 63 invalid");
	return 0;
}

static int test_slot_len(void)
{
	unsigned int size;

	CHECK_EQ(xdpmeta_kv_slot_len(0), 0, "slot_len(0)");
	CHECK_EQ(xdpmeta_kv_slot_len(2), 4, "slot_len(2)");
	CHECK_EQ(xdpmeta_kv_slot_len(4), 4, "slot_len(4)");
	CHECK_EQ(xdpmeta_kv_slot_len(8), 8, "slot_len(8)");
	CHECK_EQ(xdpmeta_kv_slot_len(16), 16, "slot_len(16)");
	for (size = 0; size < 100; size++)
		CHECK_EQ(xdpmeta_kv_slot_len(size), kvm_slot_len(size),
			 "slot_len vs model");
	CHECK_EQ(xdpmeta_kv_slot_len(UINT32_MAX), 0, "slot_len(UINT32_MAX)");
	return 0;
}

static int test_init_len_valid(void)
{
	unsigned char buf[KVM_MAX_LEN];
	struct kvm m;
	unsigned int room, k;
	uint64_t ones = ~0ULL, lo, hi;

	memset(buf, 0xff, sizeof(buf));
	xdpmeta_kv_init(buf);
	CHECK_EQ(xdpmeta_kv_len(buf), XDPMETA_KV_HDR_LEN, "empty len");
	CHECK(buf[16] == 0xff, "init wrote past the header");
	for (room = 0; room < 16; room++)
		CHECK(!xdpmeta_kv_valid(buf, room), "valid with room %u", room);
	CHECK(xdpmeta_kv_valid(buf, 16), "empty store invalid in 16");
	CHECK(xdpmeta_kv_valid(buf, UINT32_MAX), "empty store invalid");

	/* a room below the header: nothing may be read (ASan checks) */
	for (room = 0; room < 16; room++) {
		unsigned char *p = malloc(room ? room : 1);

		CHECK(p, "malloc");
		CHECK(!xdpmeta_kv_valid(p, room), "valid with room %u", room);
		free(p);
	}

	/* the largest store */
	memcpy(buf, &ones, 8);
	memcpy(buf + 8, &ones, 8);
	CHECK_EQ(xdpmeta_kv_len(buf), XDPMETA_KV_MAX_LEN, "max len");
	CHECK_EQ(XDPMETA_KV_MAX_LEN, 528, "XDPMETA_KV_MAX_LEN");
	CHECK(xdpmeta_kv_valid(buf, 528), "max store invalid in 528");
	CHECK(!xdpmeta_kv_valid(buf, 527), "max store valid in 527");

	/* every code of every key, one at a time, against the model */
	for (k = 0; k < 64; k++) {
		unsigned int c;

		for (c = 0; c < 4; c++) {
			lo = (uint64_t)(c & 1) << k;
			hi = (uint64_t)(c >> 1) << k;
			memcpy(buf, &lo, 8);
			memcpy(buf + 8, &hi, 8);
			CHECK(kvm_load(&m, buf, sizeof(buf)), "model load");
			CHECK_EQ(xdpmeta_kv_len(buf), kvm_len(&m), "len");
			CHECK_EQ(xdpmeta_kv_code(buf, k), c, "code");
		}
	}
	return 0;
}

static int test_roundtrip_sizes(void)
{
	static const unsigned int keys[] = { 0, 1, 7, 31, 32, 33, 62, 63 };
	unsigned char buf[64 + GUARD], snap[sizeof(buf)], val[16], out[16];
	struct rng r;
	unsigned int i, j, size, key;

	rng_init(&r, 1);
	for (i = 0; i < NSIZES; i++) {
		size = valid_sizes[i];
		for (j = 0; j < sizeof(keys) / sizeof(keys[0]); j++) {
			key = keys[j];
			if (size == 16 && key == 63)
				continue;
			rnd_bytes(&r, buf, sizeof(buf));
			xdpmeta_kv_init(buf);
			rnd_bytes(&r, val, sizeof(val));
			memcpy(snap, buf, sizeof(buf));
			CHECK_EQ(xdpmeta_kv_set(buf, 64, key, val, size, 0), 0,
				 "set");
			CHECK_EQ(xdpmeta_kv_len(buf),
				 16 + xdpmeta_kv_slot_len(size), "len");
			CHECK(!memcmp(buf + 16 + xdpmeta_kv_slot_len(size),
				      snap + 16 + xdpmeta_kv_slot_len(size),
				      sizeof(buf) - 16 -
				      xdpmeta_kv_slot_len(size)),
			      "size %u: wrote past the new length", size);
			CHECK(!memcmp(buf + 16, val, size),
			      "size %u key %u: raw slot differs", size, key);
			if (size == 2)
				CHECK(!buf[18] && !buf[19],
				      "2-byte value: pad not zero");
			CHECK_EQ(xdpmeta_kv_code(buf, key),
				 size == 0 ? 1 : size <= 4 ? 2 : 3, "code");
			if (size == 16)
				CHECK_EQ(xdpmeta_kv_code(buf, key + 1), 3,
					 "code of key + 1");
			memset(out, FILL, sizeof(out));
			CHECK_EQ(xdpmeta_kv_get(buf, key, out, size), size,
				 "get");
			CHECK(!memcmp(out, val, size),
			      "size %u key %u: value differs", size, key);
			for (unsigned int b = size; b < 16; b++)
				CHECK(out[b] == FILL,
				      "get wrote past size %u", size);
			CHECK_EQ(xdpmeta_kv_del(buf, key, size), 0, "del");
			CHECK_EQ(xdpmeta_kv_len(buf), 16, "len after del");
			CHECK_EQ(xdpmeta_kv_code(buf, key), 0,
				 "code after del");
			CHECK_EQ(xdpmeta_kv_get(buf, key, out, size), -ENOENT,
				 "get after del");
		}
	}
	return 0;
}

/* sizes 2 and 4 share a layout: a 4-byte value reads as 2 and back */
static int test_size2_size4(void)
{
	unsigned char buf[64];
	unsigned char v4[4] = { 1, 2, 3, 4 }, v2[2] = { 9, 8 }, out[4];

	xdpmeta_kv_init(buf);
	CHECK_EQ(xdpmeta_kv_set(buf, 64, 5, v4, 4, 0), 0, "set 4");
	CHECK_EQ(xdpmeta_kv_get(buf, 5, out, 2), 2, "get 2 of 4");
	CHECK(out[0] == 1 && out[1] == 2, "get 2 of 4: value");
	CHECK_EQ(xdpmeta_kv_set(buf, 64, 5, v2, 2, XDPMETA_KV_EXIST), 0,
		 "overwrite with 2");
	CHECK_EQ(xdpmeta_kv_get(buf, 5, out, 4), 4, "get 4 of 2");
	CHECK(out[0] == 9 && out[1] == 8 && !out[2] && !out[3],
	      "2-byte overwrite must zero the pad");
	CHECK_EQ(xdpmeta_kv_del(buf, 5, 2), 0, "del as 2");
	CHECK_EQ(xdpmeta_kv_len(buf), 16, "len");
	return 0;
}

static int test_all_64_keys(void)
{
	unsigned char buf[KVM_MAX_LEN + GUARD], val[16];
	unsigned int order[64], i, round;
	struct kvm m;
	struct rng r;
	int err;

	rng_init(&r, 2);
	for (round = 0; round < 50; round++) {
		memset(buf + KVM_MAX_LEN, 0x5a, GUARD);
		xdpmeta_kv_init(buf);
		kvm_init(&m);
		for (i = 0; i < 64; i++)
			order[i] = i;
		shuffle(&r, order, 64);
		for (i = 0; i < 64; i++) {
			/* first round all 8-byte: the largest store */
			unsigned int size = 8;

			if (round)
				size = valid_sizes[below(&r, 4)];

			rnd_bytes(&r, val, sizeof(val));
			err = xdpmeta_kv_set(buf, KVM_MAX_LEN, order[i], val,
					     size, XDPMETA_KV_NOEXIST);
			CHECK_EQ(err, kvm_set(&m, KVM_MAX_LEN, order[i], val,
					      size, XDPMETA_KV_NOEXIST),
				 "set");
			CHECK_EQ(err, 0, "set");
		}
		if (check_store(buf, &m, "64 keys"))
			return -1;
		if (!round)
			CHECK_EQ(xdpmeta_kv_len(buf), KVM_MAX_LEN, "full len");
		for (i = 0; i < GUARD; i++)
			CHECK(buf[KVM_MAX_LEN + i] == 0x5a,
			      "wrote past the largest store");
		CHECK(xdpmeta_kv_valid(buf, xdpmeta_kv_len(buf)), "valid");
		CHECK(!xdpmeta_kv_valid(buf, xdpmeta_kv_len(buf) - 1),
		      "valid in len - 1");
	}
	return 0;
}

static int test_sixteen_edges(void)
{
	unsigned char buf[128], snap[sizeof(buf)], val[16], out[16];
	unsigned int i;
	struct rng r;

	rng_init(&r, 3);
	rnd_bytes(&r, val, sizeof(val));
	memset(buf, 0, sizeof(buf));
	xdpmeta_kv_init(buf);

	/* 16 at 62 uses 62 and 63 */
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 62, val, 16, 0), 0, "set 16@62");
	CHECK_EQ(xdpmeta_kv_code(buf, 62), 3, "code 62");
	CHECK_EQ(xdpmeta_kv_code(buf, 63), 3, "code 63");
	CHECK_EQ(xdpmeta_kv_len(buf), 32, "len");
	CHECK_EQ(xdpmeta_kv_get(buf, 62, out, 16), 16, "get 16@62");
	CHECK(!memcmp(out, val, 16), "value 16@62");
	CHECK_EQ(xdpmeta_kv_get(buf, 62, out, 8), 8, "get 8@62");
	CHECK(!memcmp(out, val, 8), "first half");
	CHECK_EQ(xdpmeta_kv_get(buf, 63, out, 8), 8, "get 8@63");
	CHECK(!memcmp(out, val + 8, 8), "second half");

	/* 16 at 63 is invalid everywhere, store untouched */
	memcpy(snap, buf, sizeof(buf));
	memset(out, FILL, sizeof(out));
	CHECK_EQ(xdpmeta_kv_get(buf, 63, out, 16), -EINVAL, "get 16@63");
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 63, val, 16, 0), -EINVAL,
		 "set 16@63");
	CHECK_EQ(xdpmeta_kv_del(buf, 63, 16), -EINVAL, "del 16@63");
	CHECK(!memcmp(snap, buf, sizeof(buf)), "store changed");
	for (i = 0; i < 16; i++)
		CHECK(out[i] == FILL, "val written on error");

	/* 16 at 61 overlaps 62: present with the wrong layout */
	CHECK_EQ(xdpmeta_kv_get(buf, 61, out, 16), -EBADMSG, "get 16@61");
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 61, val, 16, 0), -EBADMSG,
		 "set 16@61");
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 61, val, 16, XDPMETA_KV_NOEXIST),
		 -EEXIST, "set 16@61 noexist");
	CHECK_EQ(xdpmeta_kv_del(buf, 61, 16), -EBADMSG, "del 16@61");
	CHECK(!memcmp(snap, buf, sizeof(buf)), "store changed");

	CHECK_EQ(xdpmeta_kv_del(buf, 62, 16), 0, "del 16@62");
	CHECK_EQ(xdpmeta_kv_len(buf), 16, "len after del");

	/* 16 at 0, then a value between two 16-byte values */
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 0, val, 16, 0), 0, "set 16@0");
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 5, val, 16, 0), 0, "set 16@5");
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 3, "abcd", 4, 0), 0, "set 4@3");
	CHECK_EQ(xdpmeta_kv_get(buf, 5, out, 16), 16, "get 16@5");
	CHECK(!memcmp(out, val, 16), "value 16@5");
	CHECK_EQ(xdpmeta_kv_get(buf, 0, out, 16), 16, "get 16@0");
	CHECK(!memcmp(out, val, 16), "value 16@0");
	CHECK_EQ(xdpmeta_kv_len(buf), 16 + 16 + 4 + 16, "len");

	/* halves present separately: 8@1 alone, then 8@6 deleted */
	CHECK_EQ(xdpmeta_kv_del(buf, 1, 8), 0, "del 8@1");
	CHECK_EQ(xdpmeta_kv_get(buf, 0, out, 16), -EBADMSG, "half 16@0");
	CHECK_EQ(xdpmeta_kv_del(buf, 0, 8), 0, "del 8@0");
	CHECK_EQ(xdpmeta_kv_get(buf, 0, out, 16), -ENOENT, "gone 16@0");
	CHECK_EQ(xdpmeta_kv_del(buf, 6, 8), 0, "del 8@6");
	CHECK_EQ(xdpmeta_kv_get(buf, 5, out, 16), -EBADMSG, "half 16@5");
	CHECK_EQ(xdpmeta_kv_get(buf, 4, out, 16), -EBADMSG, "16@4 (5 only)");
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 6, val, 4, 0), 0, "set 4@6");
	CHECK_EQ(xdpmeta_kv_get(buf, 5, out, 16), -EBADMSG, "8 + 4 as 16");
	return 0;
}

static int test_get_errors(void)
{
	static const unsigned int bad_sizes[] = {
		1, 3, 5, 6, 7, 9, 12, 15, 17, 24, 32, 64, 0x80000000U,
		UINT32_MAX,
	};
	unsigned char buf[128], snap[sizeof(buf)], out[16], val[16] = { 1 };
	unsigned int i, k;

	xdpmeta_kv_init(buf);
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 10, val, 8, 0), 0, "setup 8");
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 11, val, 4, 0), 0, "setup 4");
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 12, val, 0, 0), 0, "setup flag");
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 20, val, 16, 0), 0, "setup 16");
	memcpy(snap, buf, sizeof(buf));

#define GET_ERR(key, size, err)						\
	do {								\
		memset(out, FILL, sizeof(out));				\
		CHECK_EQ(xdpmeta_kv_get(buf, key, out, size), err,	\
			 "get(" #key ", " #size ")");			\
		for (unsigned int b_ = 0; b_ < sizeof(out); b_++)	\
			CHECK(out[b_] == FILL, "get(%u, %u): val written " \
			      "on error", (unsigned int)(key),		\
			      (unsigned int)(size));			\
	} while (0)

	/* -EINVAL */
	GET_ERR(64, 4, -EINVAL);
	GET_ERR(64, 0, -EINVAL);
	GET_ERR(UINT32_MAX, 8, -EINVAL);
	GET_ERR(0x80000000U, 4, -EINVAL);
	GET_ERR(63, 16, -EINVAL);
	GET_ERR(UINT32_MAX, 16, -EINVAL);
	for (i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
		GET_ERR(10, bad_sizes[i], -EINVAL);
		GET_ERR(0, bad_sizes[i], -EINVAL);
	}
	/* -ENOENT */
	GET_ERR(0, 4, -ENOENT);
	GET_ERR(63, 8, -ENOENT);
	GET_ERR(13, 0, -ENOENT);
	GET_ERR(13, 16, -ENOENT);
	GET_ERR(8, 16, -ENOENT);
	/* -EBADMSG: stored 8 */
	GET_ERR(10, 4, -EBADMSG);
	GET_ERR(10, 2, -EBADMSG);
	GET_ERR(10, 0, -EBADMSG);
	GET_ERR(10, 16, -EBADMSG);	/* 10 is 8 bytes, 11 is 4 bytes */
	GET_ERR(9, 16, -EBADMSG);	/* 9 absent, 10 present */
	/* stored 4 */
	GET_ERR(11, 8, -EBADMSG);
	GET_ERR(11, 0, -EBADMSG);
	GET_ERR(11, 16, -EBADMSG);
	/* a flag */
	GET_ERR(12, 2, -EBADMSG);
	GET_ERR(12, 4, -EBADMSG);
	GET_ERR(12, 8, -EBADMSG);
	GET_ERR(12, 16, -EBADMSG);
	/* stored 16 at 20 */
	GET_ERR(19, 16, -EBADMSG);
	GET_ERR(21, 16, -EBADMSG);
	GET_ERR(20, 4, -EBADMSG);
#undef GET_ERR
	CHECK(!memcmp(snap, buf, sizeof(buf)), "get changed the store");
	/* and the successes, for contrast */
	CHECK_EQ(xdpmeta_kv_get(buf, 12, out, 0), 0, "flag");
	CHECK_EQ(xdpmeta_kv_get(buf, 11, out, 2), 2, "2 of 4");
	for (k = 20; k < 22; k++)
		CHECK_EQ(xdpmeta_kv_get(buf, k, out, 8), 8, "half of 16");
	return 0;
}

static int test_set_errors(void)
{
	static const unsigned int bad_flags[] = {
		3, 4, 5, 7, 8, 0x10, 0x100, 0x80000000U, UINT32_MAX,
	};
	unsigned char buf[128], snap[sizeof(buf)], val[16];
	unsigned int i, len;
	struct rng r;

	rng_init(&r, 4);
	rnd_bytes(&r, buf, sizeof(buf));
	rnd_bytes(&r, val, sizeof(val));
	xdpmeta_kv_init(buf);
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 10, val, 8, 0), 0, "setup 8");
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 11, val, 4, 0), 0, "setup 4");
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 12, val, 0, 0), 0, "setup flag");
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 20, val, 16, 0), 0, "setup 16");
	len = xdpmeta_kv_len(buf);
	CHECK_EQ(len, 16 + 8 + 4 + 16, "len");
	memcpy(snap, buf, sizeof(buf));

#define SET_ERR(room, key, size, flags, err)				\
	do {								\
		CHECK_EQ(xdpmeta_kv_set(buf, room, key, val, size, flags), \
			 err, "set(" #room ", " #key ", " #size ", "	\
			 #flags ")");					\
		CHECK(!memcmp(snap, buf, sizeof(buf)),			\
		      "set(%u, %u, %u, %#x) failed but changed the store", \
		      (unsigned int)(room), (unsigned int)(key),	\
		      (unsigned int)(size), (unsigned int)(flags));	\
	} while (0)

	/* -EINVAL: key, size, flags */
	SET_ERR(128, 64, 4, 0, -EINVAL);
	SET_ERR(128, UINT32_MAX, 4, 0, -EINVAL);
	SET_ERR(128, 63, 16, 0, -EINVAL);
	SET_ERR(128, 1, 1, 0, -EINVAL);
	SET_ERR(128, 1, 3, 0, -EINVAL);
	SET_ERR(128, 1, 32, 0, -EINVAL);
	SET_ERR(128, 1, UINT32_MAX, 0, -EINVAL);
	for (i = 0; i < sizeof(bad_flags) / sizeof(bad_flags[0]); i++) {
		SET_ERR(128, 1, 4, bad_flags[i], -EINVAL);	/* absent */
		SET_ERR(128, 10, 8, bad_flags[i], -EINVAL);	/* present */
	}
	SET_ERR(128, 1, 4, XDPMETA_KV_NOEXIST | XDPMETA_KV_EXIST, -EINVAL);
	/* -EEXIST, whatever the layout */
	SET_ERR(128, 10, 8, XDPMETA_KV_NOEXIST, -EEXIST);
	SET_ERR(128, 10, 4, XDPMETA_KV_NOEXIST, -EEXIST);
	SET_ERR(128, 12, 0, XDPMETA_KV_NOEXIST, -EEXIST);
	SET_ERR(128, 20, 16, XDPMETA_KV_NOEXIST, -EEXIST);
	SET_ERR(128, 9, 16, XDPMETA_KV_NOEXIST, -EEXIST);
	SET_ERR(128, 21, 16, XDPMETA_KV_NOEXIST, -EEXIST);
	/* -ENOENT */
	SET_ERR(128, 0, 4, XDPMETA_KV_EXIST, -ENOENT);
	SET_ERR(128, 63, 0, XDPMETA_KV_EXIST, -ENOENT);
	SET_ERR(128, 30, 16, XDPMETA_KV_EXIST, -ENOENT);
	SET_ERR(16, 30, 16, XDPMETA_KV_EXIST, -ENOENT);	/* before ENOSPC */
	/* -EBADMSG */
	SET_ERR(128, 10, 4, 0, -EBADMSG);
	SET_ERR(128, 10, 2, XDPMETA_KV_EXIST, -EBADMSG);
	SET_ERR(128, 11, 8, 0, -EBADMSG);
	SET_ERR(128, 11, 0, 0, -EBADMSG);
	SET_ERR(128, 12, 4, 0, -EBADMSG);
	SET_ERR(128, 10, 16, 0, -EBADMSG);
	SET_ERR(128, 9, 16, 0, -EBADMSG);
	SET_ERR(128, 19, 16, 0, -EBADMSG);
	SET_ERR(128, 21, 16, XDPMETA_KV_EXIST, -EBADMSG);
	SET_ERR(16, 21, 16, 0, -EBADMSG);		/* before ENOSPC */
	/* -ENOSPC: room exactly one byte short, for each size */
	SET_ERR(len + 4 - 1, 0, 4, 0, -ENOSPC);
	SET_ERR(len + 4 - 1, 0, 2, 0, -ENOSPC);
	SET_ERR(len + 8 - 1, 0, 8, 0, -ENOSPC);
	SET_ERR(len + 16 - 1, 0, 16, 0, -ENOSPC);
	SET_ERR(len + 16 - 1, 62, 16, XDPMETA_KV_NOEXIST, -ENOSPC);
	SET_ERR(len - 1, 0, 0, 0, -ENOSPC);	/* store already too long */
	SET_ERR(0, 0, 4, 0, -ENOSPC);
#undef SET_ERR

	/* overwrites need no room */
	CHECK_EQ(xdpmeta_kv_set(buf, len, 10, val, 8, 0), 0, "overwrite 8");
	CHECK_EQ(xdpmeta_kv_set(buf, len, 20, val, 16, XDPMETA_KV_EXIST), 0,
		 "overwrite 16");
	CHECK(!memcmp(snap, buf, sizeof(buf)), "same-value overwrite");
	/* exact room succeeds */
	CHECK_EQ(xdpmeta_kv_set(buf, len + 8, 63, val, 8, 0), 0,
		 "exact room");
	CHECK_EQ(xdpmeta_kv_len(buf), len + 8, "len");
	CHECK(!memcmp(buf + len + 8, snap + len + 8, sizeof(buf) - len - 8),
	      "wrote past the new length");
	CHECK_EQ(xdpmeta_kv_set(buf, len + 8, 1, val, 0, XDPMETA_KV_NOEXIST),
		 0, "flag in full store");
	return 0;
}

static int test_del_errors(void)
{
	unsigned char buf[128], snap[sizeof(buf)], val[16] = { 7 };

	xdpmeta_kv_init(buf);
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 10, val, 8, 0), 0, "setup 8");
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 11, val, 4, 0), 0, "setup 4");
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 12, val, 0, 0), 0, "setup flag");
	CHECK_EQ(xdpmeta_kv_set(buf, 128, 20, val, 16, 0), 0, "setup 16");
	memcpy(snap, buf, sizeof(buf));

#define DEL_ERR(key, size, err)						\
	do {								\
		CHECK_EQ(xdpmeta_kv_del(buf, key, size), err,		\
			 "del(" #key ", " #size ")");			\
		CHECK(!memcmp(snap, buf, sizeof(buf)),			\
		      "del(%u, %u) failed but changed the store",	\
		      (unsigned int)(key), (unsigned int)(size));	\
	} while (0)

	DEL_ERR(64, 4, -EINVAL);
	DEL_ERR(UINT32_MAX, 0, -EINVAL);
	DEL_ERR(63, 16, -EINVAL);
	DEL_ERR(10, 1, -EINVAL);
	DEL_ERR(10, 6, -EINVAL);
	DEL_ERR(10, UINT32_MAX, -EINVAL);
	DEL_ERR(0, 4, -ENOENT);
	DEL_ERR(13, 0, -ENOENT);
	DEL_ERR(30, 16, -ENOENT);
	DEL_ERR(10, 4, -EBADMSG);
	DEL_ERR(11, 8, -EBADMSG);
	DEL_ERR(12, 2, -EBADMSG);
	DEL_ERR(11, 0, -EBADMSG);
	DEL_ERR(10, 16, -EBADMSG);
	DEL_ERR(21, 16, -EBADMSG);
#undef DEL_ERR

	/* the halves of a 16-byte value are 8-byte keys */
	CHECK_EQ(xdpmeta_kv_del(buf, 20, 8), 0, "del 8@20");
	CHECK_EQ(xdpmeta_kv_code(buf, 21), 3, "code 21");
	CHECK_EQ(xdpmeta_kv_del(buf, 11, 2), 0, "del 4 as 2");
	CHECK_EQ(xdpmeta_kv_del(buf, 12, 0), 0, "del flag");
	CHECK_EQ(xdpmeta_kv_del(buf, 12, 0), -ENOENT, "del flag twice");
	CHECK_EQ(xdpmeta_kv_len(buf), 16 + 8 + 8, "len");
	return 0;
}

static int test_code(void)
{
	unsigned char buf[64];

	xdpmeta_kv_init(buf);
	CHECK_EQ(xdpmeta_kv_code(buf, 64), -EINVAL, "code(64)");
	CHECK_EQ(xdpmeta_kv_code(buf, UINT32_MAX), -EINVAL, "code(max)");
	CHECK_EQ(xdpmeta_kv_code(buf, 0), 0, "code(0)");
	CHECK_EQ(xdpmeta_kv_set(buf, 64, 63, "x", 0, 0), 0, "flag@63");
	CHECK_EQ(xdpmeta_kv_code(buf, 63), 1, "code(63)");
	CHECK_EQ(xdpmeta_kv_set(buf, 64, 0, "abcd", 2, 0), 0, "2@0");
	CHECK_EQ(xdpmeta_kv_code(buf, 0), 2, "code(0)");
	CHECK_EQ(xdpmeta_kv_set(buf, 64, 31, "abcdefgh", 8, 0), 0, "8@31");
	CHECK_EQ(xdpmeta_kv_code(buf, 31), 3, "code(31)");
	return 0;
}

/* one insert (NOEXIST) or delete, checked against the model */
static int insert_or_delete(struct arena *a, struct kvm *m, struct rng *r,
			    unsigned int key, unsigned int size, int del,
			    const char *ctx)
{
	unsigned char val[16], snap[ARENA_MAX];
	unsigned int old = xdpmeta_kv_len(a->store), nl;
	int err, want;

	memcpy(snap, a->buf, a->size);
	if (del) {
		err = xdpmeta_kv_del(a->store, key, size);
		want = kvm_del(m, key, size);
	} else {
		rnd_bytes(r, val, sizeof(val));
		err = xdpmeta_kv_set(a->store, a->room, key, val, size,
				     XDPMETA_KV_NOEXIST);
		want = kvm_set(m, a->room, key, val, size, XDPMETA_KV_NOEXIST);
	}
	if (err != want || err)
		return fail("%s: %d, model %d", ctx, err, want);
	if (check_store(a->store, m, ctx))
		return -1;
	nl = xdpmeta_kv_len(a->store);
	return check_untouched(a, snap, old > nl ? old : nl, ctx);
}

/* insert keys, delete them in random order, reinsert in another */
static int test_delete_reinsert(void)
{
	static struct arena a;	/* static: still reachable on early return */
	unsigned int order[64], sizes[64], i, n, round, k;
	struct kvm m;
	struct rng r;
	char ctx[64];
	int pass;

	rng_init(&r, 5);
	for (round = 0; round < 300; round++) {
		arena_init(&a, &r, KVM_MAX_LEN, below(&r, 8), round & 1);
		kvm_init(&m);
		for (k = 0; k < 64; k++) {
			sizes[k] = valid_sizes[below(&r, 4)];
			order[k] = k;
		}
		shuffle(&r, order, 64);
		n = 1 + below(&r, 64);
		/* pass 0 and 2 insert, pass 1 deletes, each in its order */
		for (pass = 0; pass < 3; pass++) {
			for (i = 0; i < n; i++) {
				k = order[i];
				snprintf(ctx, sizeof(ctx),
					 "round %u pass %d key %u", round,
					 pass, k);
				if (insert_or_delete(&a, &m, &r, k, sizes[k],
						     pass == 1, ctx))
					return -1;
			}
			shuffle(&r, order, n);
		}
	}
	arena_free(&a);
	return 0;
}

/* ---- the property test ---- */

static unsigned int pick_size(struct rng *r)
{
	static const unsigned int any[] = {
		0, 2, 4, 8, 16, 0, 2, 4, 8, 16, 1, 3, 5, 6, 12, 17, 32,
	};

	return any[below(r, sizeof(any) / sizeof(any[0]))];
}

static unsigned int pick_flags(struct rng *r)
{
	unsigned int x = below(r, 100);

	if (x < 70)
		return 0;
	if (x < 83)
		return XDPMETA_KV_NOEXIST;
	if (x < 96)
		return XDPMETA_KV_EXIST;
	switch (below(r, 4)) {
	case 0:
		return 3;
	case 1:
		return 4;
	case 2:
		return 1U << below(r, 32);
	default:
		return (unsigned int)rnd(r);
	}
}

/* outcomes seen by the property test, per operation: [op][-errno or 0] */
enum { OP_GET, OP_SET, OP_DEL, OP_INSERT, NOPS };
static unsigned long seen[NOPS][128];

static int run_sequence(unsigned int seq, unsigned long *ops_done)
{
	static struct arena a;	/* static: still reachable on early return */
	struct kvm m;
	struct rng r;
	unsigned char snap[ARENA_MAX], val[16], out[32], want[32];
	unsigned int reg[64], active[24], nactive, k, i;
	unsigned int room, key, size, flags, op, old, nl, reach;
	char ctx[160];
	int ret, mret, kind;

	rng_init(&r, 1000 + seq);
	/* the buffer's room, 16..256, and the store's alignment */
	room = 16 + below(&r, MAX_ROOM - 16 + 1);
	arena_init(&a, &r, room, below(&r, 4) ? 0 : below(&r, 8), seq & 1);
	kvm_init(&m);
	/* a registry: most keys have one size for the whole sequence */
	for (k = 0; k < 64; k++) {
		reg[k] = valid_sizes[below(&r, NSIZES)];
		if (reg[k] == 16 && k == 63)
			reg[k] = 8;
	}
	/* a few keys get most of the traffic, so they collide */
	nactive = 1 + below(&r, 24);
	for (i = 0; i < nactive; i++)
		active[i] = below(&r, 64);

	for (i = 0; i < SEQ_OPS; i++) {
		unsigned int x = below(&r, 100);

		if (x < 3)
			key = below(&r, 3) ? 64 + below(&r, 8) :
			      (unsigned int)rnd(&r);
		else if (x < 15)
			key = below(&r, 64);
		else
			key = active[below(&r, nactive)];
		size = below(&r, 100) < 90 && key < 64 ? reg[key] :
		       pick_size(&r);
		flags = pick_flags(&r);
		op = below(&r, 100);
		old = xdpmeta_kv_len(a.store);
		/* callers keep room >= len (xdpmeta_kv_valid()) */
		room = below(&r, 100) < 85 ? a.room :
		       old + below(&r, a.room - old + 1);
		memcpy(snap, a.buf, a.size);

		if (op < 35) {
			memset(out, FILL, sizeof(out));
			memset(want, FILL, sizeof(want));
			ret = xdpmeta_kv_get(a.store, key, out, size);
			mret = kvm_get(&m, key, want, size);
			snprintf(ctx, sizeof(ctx),
				 "seq %u op %u: get(key %u, size %u)", seq, i,
				 key, size);
			if (ret == mret && memcmp(out, want, sizeof(out)))
				return fail("%s: value or buffer differs", ctx);
		} else if (op < 80) {
			rnd_bytes(&r, val, sizeof(val));
			ret = xdpmeta_kv_set(a.store, room, key, val, size,
					     flags);
			mret = kvm_set(&m, room, key, val, size, flags);
			snprintf(ctx, sizeof(ctx),
				 "seq %u op %u: set(room %u, key %u, size %u, flags %#x) len %u",
				 seq, i, room, key, size, flags, old);
		} else {
			ret = xdpmeta_kv_del(a.store, key, size);
			mret = kvm_del(&m, key, size);
			snprintf(ctx, sizeof(ctx),
				 "seq %u op %u: del(key %u, size %u)", seq, i,
				 key, size);
		}
		if (ret != mret)
			return fail("%s: returned %d, model %d", ctx, ret,
				    mret);
		kind = op < 35 ? OP_GET : op < 80 ? OP_SET : OP_DEL;
		if (ret <= 0 && ret > -128)
			seen[kind][-ret]++;
		if (kind == OP_SET && !ret && xdpmeta_kv_len(a.store) > old)
			seen[OP_INSERT][0]++;
		if (ret < 0 && memcmp(snap, a.buf, a.size))
			return fail("%s: failed with %d but wrote memory", ctx,
				    ret);
		nl = xdpmeta_kv_len(a.store);
		if (nl > room)
			return fail("%s: len %u > room %u", ctx, nl, room);
		reach = old > nl ? old : nl;
		if (check_untouched(&a, snap, reach, ctx))
			return -1;
		if (!xdpmeta_kv_valid(a.store, a.room))
			return fail("%s: store no longer valid", ctx);
		if (check_store(a.store, &m, ctx))
			return -1;
		(*ops_done)++;
	}
	arena_free(&a);
	return 0;
}

static int test_random_sequences(void)
{
	unsigned long ops = 0;
	unsigned int seq;

	static const struct {
		int op, err;
		const char *name;
	} need[] = {
		{ OP_GET, 0, "get ok" }, { OP_GET, EINVAL, "get EINVAL" },
		{ OP_GET, ENOENT, "get ENOENT" },
		{ OP_GET, EBADMSG, "get EBADMSG" },
		{ OP_SET, 0, "set ok" }, { OP_INSERT, 0, "set insert" },
		{ OP_SET, EINVAL, "set EINVAL" },
		{ OP_SET, EEXIST, "set EEXIST" },
		{ OP_SET, ENOENT, "set ENOENT" },
		{ OP_SET, EBADMSG, "set EBADMSG" },
		{ OP_SET, ENOSPC, "set ENOSPC" },
		{ OP_DEL, 0, "del ok" }, { OP_DEL, EINVAL, "del EINVAL" },
		{ OP_DEL, ENOENT, "del ENOENT" },
		{ OP_DEL, EBADMSG, "del EBADMSG" },
	};
	unsigned int i;

	for (seq = 0; seq < SEQS; seq++)
		if (run_sequence(seq, &ops))
			return -1;
	CHECK_EQ(ops, (unsigned long)SEQS * SEQ_OPS, "ops done");
	/* the sequences must have reached every outcome, and often */
	printf("# outcomes:");
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		printf(" %s=%lu%s", need[i].name, seen[need[i].op][need[i].err],
		       i + 1 < sizeof(need) / sizeof(need[0]) ? "," : "\n");
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		CHECK(seen[need[i].op][need[i].err] >= 100,
		      "outcome %s reached only %lu times", need[i].name,
		      seen[need[i].op][need[i].err]);
	return 0;
}

/*
 * xdpmeta_kv_update(): UNCHANGED exactly when an overwrite finds the same
 * bytes (store.c then keeps the packet's sum and seal), writing nothing;
 * 0 for an insert and for every other overwrite. A 2-byte value whose
 * pad is not zero (any header and bytes are a store) is a change: the
 * pad is written as zero.
 */
static int test_update_unchanged(void)
{
	static const unsigned int sz[] = { 0, 2, 4, 8, 16 };
	unsigned char buf[128], snap[sizeof(buf)], val[16], other[16];
	unsigned int i, off;

	memset(val, 0x5a, sizeof(val));
	memcpy(other, val, sizeof(other));
	other[1] ^= 1;
	for (i = 0; i < 5; i++) {
		xdpmeta_kv_init(buf);
		CHECK_EQ(xdpmeta_kv_update(buf, 128, 6, val, sz[i], 0), 0, "insert");
		memcpy(snap, buf, sizeof(buf));
		CHECK_EQ(xdpmeta_kv_update(buf, 128, 6, val, sz[i], 0), XDPMETA_KV_UNCHANGED,
			 "same bytes");
		CHECK(!memcmp(snap, buf, sizeof(buf)), "size %u: unchanged but written", sz[i]);
		CHECK_EQ(xdpmeta_kv_set(buf, 128, 6, val, sz[i], 0), 0, "set says 0");
		CHECK_EQ(xdpmeta_kv_update(buf, 128, 6, val, sz[i], XDPMETA_KV_EXIST),
			 XDPMETA_KV_UNCHANGED, "same bytes, EXIST");
		CHECK_EQ(xdpmeta_kv_update(buf, 128, 6, val, sz[i], XDPMETA_KV_NOEXIST), -EEXIST,
			 "NOEXIST first");
		if (!sz[i])
			continue;
		CHECK_EQ(xdpmeta_kv_update(buf, 128, 6, other, sz[i], 0), 0, "other bytes");
		CHECK(memcmp(snap, buf, sizeof(buf)), "size %u: other bytes not written", sz[i]);
	}
	/* a 2-byte value with a non-zero pad */
	xdpmeta_kv_init(buf);
	CHECK_EQ(xdpmeta_kv_update(buf, 128, 6, val, 2, 0), 0, "insert 2");
	off = XDPMETA_KV_HDR_LEN;
	buf[off + 3] = 7;
	CHECK_EQ(xdpmeta_kv_update(buf, 128, 6, val, 2, 0), 0, "pad not zero: a change");
	CHECK_EQ(buf[off + 3], 0, "pad written as zero");
	return 0;
}

/* ---- main ---- */

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "size_valid", test_size_valid },
	{ "slot_len", test_slot_len },
	{ "init_len_valid", test_init_len_valid },
	{ "roundtrip_every_size", test_roundtrip_sizes },
	{ "size2_size4_share_layout", test_size2_size4 },
	{ "all_64_keys", test_all_64_keys },
	{ "sixteen_byte_edges", test_sixteen_edges },
	{ "get_errors", test_get_errors },
	{ "set_errors", test_set_errors },
	{ "update_unchanged", test_update_unchanged },
	{ "del_errors", test_del_errors },
	{ "code", test_code },
	{ "delete_reinsert_random_order", test_delete_reinsert },
	{ "random_sequences_vs_model", test_random_sequences },
};

int main(int argc, char **argv)
{
	unsigned int i, passed = 0, failed = 0;

	if (argc > 1) {
		char *end;

		base_seed = strtoull(argv[1], &end, 0);
		if (*end) {
			fprintf(stderr, "usage: %s [seed]\n", argv[0]);
			return 2;
		}
	}
	printf("# kv_test seed %#" PRIx64 " (%u sequences x %u ops)\n",
	       base_seed, SEQS, SEQ_OPS);
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		why[0] = '\0';
		if (tests[i].fn()) {
			printf("FAIL - %s: %s\n", tests[i].name, why);
			failed++;
		} else {
			printf("ok - %s\n", tests[i].name);
			passed++;
		}
		fflush(stdout);
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

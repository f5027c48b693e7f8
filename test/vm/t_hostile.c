// SPDX-License-Identifier: GPL-2.0
/*
 * The hostile-program corpus (issue 11 §2): programs the verifier accepts
 * that misuse every kfunc (test/bpf/hostile_{xdp,tc,sys}.bpf.c), each
 * loaded alone and run; and misuses it must refuse at load
 * (hostile_refused.bpf.c), with the verifier's message. Accepted programs
 * must get the documented errnos (r[] in call order, bpf/xdpmeta.h and
 * the kfuncs' kernel-doc) and leave the frame as it was: data_out of
 * BPF_PROG_TEST_RUN is compared with data_in (checksum and bytes). A
 * crash, WARN or slub/KFENCE/page_poison report fails the test (runner.sh
 * reads the kernel log after each one). doc/hostile.md: one row per
 * program.
 */
#include <pthread.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include "xm_test.h"
#include "xm_harness.h"
#include "hostile.h"
#include "hostile_xdp.skel.h"
#include "hostile_tc.skel.h"
#include "hostile_sys.skel.h"
#include "hostile_refused.skel.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define PULL_ALL	(1U << 0)
#define PULL_HEADROOM	(1U << 1)
#define ANY_ID		(-9999)		/* expected: a key id >= 4 */
#define N(a)		(sizeof(a) / sizeof((a)[0]))

FIXTURE(hostile) {
	struct xdpmeta_ctl *ctl;
	struct h_keys keys;
	unsigned char in[9000], out[9000];
	__u32 out_len;
	char log[1 << 17];
};

FIXTURE_SETUP(hostile)
{
	ASSERT_EQ(0, xm_load());
	self->ctl = xm_ctl_open();
	ASSERT_NE(NULL, self->ctl);
	self->keys.k0 = xm_key_add(self->ctl, "h_k0", 0);
	self->keys.k2 = xm_key_add(self->ctl, "h_k2", 2);
	self->keys.k4 = xm_key_add(self->ctl, "h_k4", 4);
	self->keys.k8 = xm_key_add(self->ctl, "h_k8", 8);
	self->keys.k16 = xm_key_add(self->ctl, "h_k16", 16);
	self->keys.gone = xm_key_add(self->ctl, "h_gone", 4);
	ASSERT_GE((int)self->keys.k0, XDPMETA_KEY_FIRST_FREE);
	ASSERT_GE((int)self->keys.k2, XDPMETA_KEY_FIRST_FREE);
	ASSERT_GE((int)self->keys.k4, XDPMETA_KEY_FIRST_FREE);
	ASSERT_GE((int)self->keys.k8, XDPMETA_KEY_FIRST_FREE);
	ASSERT_GE((int)self->keys.k16, XDPMETA_KEY_FIRST_FREE);
	ASSERT_GE((int)self->keys.gone, XDPMETA_KEY_FIRST_FREE);
	ASSERT_EQ(0, xm_key_del(self->ctl, "h_gone"));
	for (int i = 0; i < (int)sizeof(self->in); i++)
		self->in[i] = (unsigned char)(i * 13 + i / 253 + 1);
}

FIXTURE_TEARDOWN(hostile)
{
	if (self->ctl)
		xdpmeta_ctl__destroy(self->ctl);
	xm_unload();
}

static __u64 fnv1a(const void *p, size_t n)
{
	const unsigned char *c = p;
	__u64 h = 0xcbf29ce484222325ULL;

	while (n--)
		h = (h ^ *c++) * 0x100000001b3ULL;
	return h;
}

/* the last lines of a verifier log, for messages */
static const char *log_tail(const char *log, int lines)
{
	const char *p = log + strlen(log);

	while (p > log && lines >= 0)
		if (*--p == '\n')
			lines--;
	return p;
}

/* r[0..n) against exp[]; ANY_ID: a key id */
static void check_r(struct __test_metadata *_metadata, const char *prog,
		    const __s64 *r, __u32 nr, const __s64 *exp, __u32 n)
{
	EXPECT_EQ(n, nr) TH_LOG("%s: %u calls made, expected %u", prog, nr, n);
	for (__u32 i = 0; i < n && i < nr && i < H_NR; i++) {
		if (exp[i] == ANY_ID) {
			EXPECT_LE(XDPMETA_KEY_FIRST_FREE, r[i]) TH_LOG("%s: r[%u] = %lld, expected a key id",
								  prog, i, (long long)r[i]);
		} else {
			EXPECT_EQ(exp[i], r[i]) TH_LOG("%s: r[%u] = %lld, expected %lld", prog, i,
						       (long long)r[i], (long long)exp[i]);
		}
	}
}

/* open @skel_type, enable program @name only, put the keys into .bss, load */
#define LOAD_ONE(skel_type, self, name)						\
	({									\
		struct skel_type *_s = skel_type##__open();			\
		struct bpf_program *_p;						\
		int _e = -1;							\
										\
		if (_s) {							\
			_p = bpf_object__find_program_by_name(_s->obj, name);	\
			if (_p) {						\
				bpf_program__set_autoload(_p, true);		\
				(self)->log[0] = '\0';				\
				bpf_program__set_log_buf(_p, (self)->log, sizeof((self)->log)); \
				_s->bss->keys = (self)->keys;			\
				_e = skel_type##__load(_s);			\
			}							\
			if (_e) {						\
				TH_LOG("%s did not load:\n%s", name, log_tail((self)->log, 12)); \
				skel_type##__destroy(_s);			\
				_s = NULL;					\
			}							\
		}								\
		_s;								\
	})

/*
 * A program that takes a dynptr slice (its name says "slice") on a kernel
 * without them (6.1: bpf_dynptr_from_xdp/_skb() came in 6.3): the attack
 * cannot be written there. Asserts that the program was refused at its
 * dynptr call, and returns true: the test ends there.
 */
static bool slice_refused_here(struct __test_metadata *_metadata, FIXTURE_DATA(hostile) *self,
			       const char *prog, const void *s)
{
	if (!strstr(prog, "slice") || xm_kernel_has_dynptr_slices())
		return false;
	EXPECT_EQ(NULL, s) TH_LOG("%s loaded on a kernel without dynptr slices", prog);
	EXPECT_NE(NULL, strstr(self->log, "bpf_dynptr_"))
		TH_LOG("%s: refused, but not at its dynptr call:\n%s", prog, log_tail(self->log, 6));
	TH_LOG("%s: refused, as it must be on a kernel without dynptr slices (before 6.3)", prog);
	return true;
}

/*
 * The most metadata bpf_xdp_adjust_meta() allows: 6.1's
 * xdp_metalen_invalid() caps it at 32 bytes, 6.12's at 252.
 */
static int meta_max(void)
{
	return xm_kernel_version() >= 612 ? 252 : 32;
}

static int prog_fd(struct bpf_object *obj, const char *name)
{
	return bpf_program__fd(bpf_object__find_program_by_name(obj, name));
}

/* one test run of @fd on @total bytes of self->in, @linear of them linear (0: default) */
static int xdp_run(FIXTURE_DATA(hostile) *self, int fd, int total, int linear, int repeat)
{
	struct xdp_md ctx = { .data = 0, .data_end = linear };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = self->in, .data_size_in = total,
		    .data_out = self->out, .data_size_out = sizeof(self->out),
		    .repeat = repeat);

	if (linear) {
		o.ctx_in = &ctx;
		o.ctx_size_in = sizeof(ctx);
	}
	memset(self->out, 0xee, sizeof(self->out));
	if (bpf_prog_test_run_opts(fd, &o))
		return -errno;
	self->out_len = o.data_size_out;
	return o.retval;
}

/* the frame came out as it went in (first @same bytes; then zeros up to @len) */
#define FRAME_IS(len, same)							\
	do {									\
		EXPECT_EQ((__u32)(len), self->out_len);				\
		EXPECT_EQ(fnv1a(self->in, (same)), fnv1a(self->out, (same)))	\
			TH_LOG("payload checksum changed");			\
		for (int _i = (same); _i < (len); _i++)				\
			if (self->out[_i]) {					\
				EXPECT_EQ(0, self->out[_i]) TH_LOG("byte %d of the grown tail", _i); \
				break;						\
			}							\
	} while (0)

/* load an hostile_xdp program, run it once on @total bytes, check r[] and the frame */
static void xdp_case(struct __test_metadata *_metadata, FIXTURE_DATA(hostile) *self,
		     const char *prog, int total, int linear, const __s64 *exp, __u32 n)
{
	struct hostile_xdp *s = LOAD_ONE(hostile_xdp, self, prog);

	if (slice_refused_here(_metadata, self, prog, s)) {
		hostile_xdp__destroy(s);
		return;
	}
	ASSERT_NE(NULL, s) TH_LOG("%s: refused, expected to load", prog);
	EXPECT_EQ(2 /* XDP_PASS */, xdp_run(self, prog_fd(s->obj, prog), total, linear, 1));
	check_r(_metadata, prog, s->bss->r, s->bss->nr, exp, n);
	FRAME_IS(total, total);
	hostile_xdp__destroy(s);
}

#define XDP_CASE(test, prog, total, linear, ...)				\
	TEST_F(hostile, test)							\
	{									\
		static const __s64 e[] = { __VA_ARGS__ };			\
		xdp_case(_metadata, self, prog, total, linear, e, N(e));	\
	}

/* ---- XDP: NULL and maybe-NULL pointers -------------------------------- */

XDP_CASE(xdp_null_set, "x_null_set", 128, 0, -EINVAL, 0, -ENOENT)
XDP_CASE(xdp_null_get, "x_null_get", 128, 0, 0, -EINVAL, 8, 1)
XDP_CASE(xdp_null_lit_set, "x_null_lit_set", 128, 0, -EINVAL, 0)
XDP_CASE(xdp_null_lit_get, "x_null_lit_get", 128, 0, 0, -EINVAL, 0)
XDP_CASE(xdp_ringbuf_null, "x_ringbuf_null", 128, 0, 0, -EINVAL, -EINVAL, 8, 1)
XDP_CASE(xdp_slice_null, "x_slice_null", 128, 0, 0, 0, -EINVAL, -EINVAL, 8, 1)

/* ---- XDP: valid pointers of every kind -------------------------------- */

XDP_CASE(xdp_ringbuf_ok, "x_ringbuf_ok", 128, 0, 0, 8, 1)
XDP_CASE(xdp_mapval, "x_mapval", 128, 0, 0, 0, 8, 1, 16, 1)
XDP_CASE(xdp_pkt, "x_pkt", 128, 0, 0, 8, 0, 16)
XDP_CASE(xdp_slice_pkt, "x_slice_pkt", 128, 0, 0, 0, 8)
/* the old data_meta + 8 is the seal after the set: get overwrites it, set re-inserts one */
XDP_CASE(xdp_meta, "x_meta", 128, 0, 0, 0, 24, 8, 1, 8, 1, 8, 0, 32)
XDP_CASE(xdp_alias_store, "x_alias_store", 128, 0,
	 0, 0, 0, -ESTALE, -ESTALE, -ESTALE, -ESTALE, -ESTALE, 1, 0, 0, 16, 1)

/* ---- XDP: out-of-range arguments, single and multi-buffer ------------- */

#define OOB_EXP									\
	-EINVAL, -EINVAL, -ENOKEY, -ENOKEY, -EMSGSIZE, -EMSGSIZE, -EMSGSIZE,	\
	-EINVAL, -EINVAL, -EINVAL, -EINVAL, -ENOENT, 0, -EEXIST,		\
	-EINVAL, -EINVAL, -ENOKEY, -EMSGSIZE, -EMSGSIZE, 8, -ENOENT,		\
	-EINVAL, -EINVAL, -ENOKEY, -ENOENT,					\
	-EINVAL, -ENOKEY, 0,							\
	-EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL,				\
	-EINVAL, -EINVAL, -EINVAL, -EOPNOTSUPP,					\
	-EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL, 8, 1

XDP_CASE(xdp_oob, "x_oob", 128, 0, OOB_EXP)
XDP_CASE(xdp_oob_frags, "xf_oob", 8000, 0, OOB_EXP)
XDP_CASE(xdp_oob_frags_short_linear, "xf_oob", 5000, 200, OOB_EXP)

/* ---- XDP scripts: adjust_head/meta/tail around every call ------------- */

struct sop {
	__u32 op, key, size;
	__s64 arg;
	__u64 flags;
	__s32 want;
	__s32 want_total;	/* H_LEN: total length; 0: not checked */
	bool has_alt;		/* alt is accepted too */
	__s32 alt;
	bool nomisread;		/* want, -ESTALE or -EBADMSG: anything but a wrong answer */
};

static bool sop_ok(const struct sop *s, int ret)
{
	return ret == s->want || (s->has_alt && ret == s->alt) ||
	       (s->nomisread && (ret == -ESTALE || ret == -EBADMSG));
}

/* run script @ops with program @prog on @total (@linear) bytes */
static void script(struct __test_metadata *_metadata, FIXTURE_DATA(hostile) *self,
		   const char *prog, int total, int linear, const struct sop *ops, __u32 n,
		   int out_len, int out_same)
{
	struct hostile_xdp *s = LOAD_ONE(hostile_xdp, self, prog);
	int fd;

	ASSERT_NE(NULL, s);
	fd = bpf_map__fd(s->maps.ops);
	for (__u32 i = 0; i < n; i++) {
		struct h_op o = { .op = ops[i].op, .key = ops[i].key, .size = ops[i].size,
				  .arg = ops[i].arg, .flags = ops[i].flags, .ret = -7777 };

		ASSERT_EQ(0, bpf_map_update_elem(fd, &i, &o, 0));
	}
	s->bss->nops = n;
	EXPECT_EQ(2, xdp_run(self, prog_fd(s->obj, prog), total, linear, 1));
	for (__u32 i = 0; i < n; i++) {
		struct h_op o;

		ASSERT_EQ(0, bpf_map_lookup_elem(fd, &i, &o));
		/*
		 * Scripts that grow data_meta into the store need more than
		 * 32 bytes of metadata: where the kernel caps it there, the
		 * refusal is asserted and the ops after it, which depend on
		 * it, are not checked.
		 */
		if (ops[i].op == H_ADJ_META && ops[i].arg < 0 && ops[i].want == 0 &&
		    meta_max() == 32 && o.ret == -EACCES) {
			TH_LOG("%s: op %u: adjust_meta refused (-EACCES): this kernel allows 32 bytes of metadata; ops %u..%u need more and are not checked",
			       prog, i, i + 1, n - 1);
			hostile_xdp__destroy(s);
			return;
		}
		EXPECT_TRUE(sop_ok(&ops[i], o.ret))
			TH_LOG("%s: op %u (code %u) returned %d, expected %d%s", prog, i, ops[i].op,
			       o.ret, ops[i].want, ops[i].nomisread ? " (or -ESTALE, -EBADMSG)" :
			       ops[i].has_alt ? " (or the alternative)" : "");
		if (ops[i].op == H_LEN && ops[i].want_total)
			EXPECT_EQ((__u32)ops[i].want_total, o.out32) TH_LOG("op %u: total", i);
		/* keys of ours hold the pattern; the hint keys what the script set */
		if (ops[i].op == H_GET && o.ret > 0 && ops[i].key >= XDPMETA_KEY_FIRST_FREE)
			for (int b = 0; b < o.ret; b++)
				if (o.out[b] != (__u8)(0xa0 + o.ret * 16 + b)) {
					EXPECT_EQ((__u8)(0xa0 + o.ret * 16 + b), o.out[b])
						TH_LOG("op %u: value byte %d", i, b);
					break;
				}
	}
	FRAME_IS(out_len, out_same);
	hostile_xdp__destroy(s);
}

#define K(x)	(self->keys.x)

TEST_F(hostile, script_adjust_head)
{
	const struct sop o[] = {
		{ H_ADJ_HEAD, .arg = -100, .want = 0 },
		{ H_SET, K(k8), 8, .want = 0 },
		{ H_GET, K(k8), 16, .want = 8 },
		{ H_ADJ_HEAD, .arg = 100, .want = 0 },	/* data behind the last change: found */
		{ H_GET, K(k8), 16, .want = 8 },
		{ H_IS_SET, K(k8), .want = 1 },
		{ H_SET, K(k4), 4, .want = 0 },		/* re-seals at the new place */
		{ H_GET, K(k4), 16, .want = 4 },
		{ H_ADJ_HEAD, .arg = -200, .want = 0 },	/* data_meta inside the store */
		{ H_GET, K(k8), 16, .want = -ESTALE },
		{ H_SET, K(k8), 8, .want = -ESTALE },
		{ H_DEL, K(k8), .want = -ESTALE },
		{ H_IS_SET, K(k8), .want = -ESTALE },
		{ H_HINT_TS, .arg = 5, .want = -ESTALE },
		{ H_HINT_HASH, .arg = 5, .flags = 0, .want = -ESTALE },
		{ H_HINT_VLAN, .arg = 5, .flags = 0x0081, .want = -ESTALE },
		{ H_IMPORT, .flags = 1, .want = -EOPNOTSUPP },
		{ H_PULL, .arg = 0, .flags = PULL_ALL, .want = 328 },	/* single buffer: untouched */
		{ H_ADJ_HEAD, .arg = 200, .want = 0 },
		{ H_LEN, .want = 128, .want_total = 128 },
	};

	script(_metadata, self, "x_ops", 128, 0, o, N(o), 128, 128);
}

/*
 * The head moved into the store and back. bpf_xdp_adjust_head() moves
 * the metadata (the seal) with data, i.e. writes 8 bytes into the store;
 * back at its place the store must read as damaged (-ESTALE, or -EBADMSG),
 * never as a different truth (a key that was set read as absent).
 */
TEST_F(hostile, script_head_into_store_and_back)
{
	const struct sop o[] = {
		{ H_SET, K(k8), 8, .want = 0 },
		{ H_SET, K(k4), 4, .want = 0 },
		{ H_ADJ_HEAD, .arg = -200, .want = 0 },
		{ H_GET, K(k8), 16, .want = -ESTALE },
		{ H_ADJ_HEAD, .arg = 200, .want = 0 },
		{ H_GET, K(k8), 16, .want = 8, .nomisread = true },
		{ H_GET, K(k4), 16, .want = 4, .nomisread = true },
		{ H_IS_SET, K(k8), .want = 1, .nomisread = true },
		{ H_IS_SET, K(k4), .want = 1, .nomisread = true },
		{ H_DEL, K(k8), .want = 0, .nomisread = true },
		{ H_LEN, .want = 128, .want_total = 128 },
	};

	script(_metadata, self, "x_ops", 128, 0, o, N(o), 128, 128);
}

TEST_F(hostile, script_frags_head_into_store_and_back)
{
	const struct sop o[] = {
		{ H_SET, K(k2), 2, .want = 0 },
		{ H_HINT_HASH, .arg = 0x1234, .flags = 0, .want = 0 },
		{ H_PULL, .arg = 3600, .flags = PULL_HEADROOM, .want = 3600 },
		{ H_ADJ_HEAD, .arg = -120, .want = 0 },
		{ H_GET, K(k2), 16, .want = -ESTALE },
		{ H_ADJ_HEAD, .arg = 120, .want = 0 },
		{ H_GET, K(k2), 16, .want = 2, .nomisread = true },
		{ H_GET, 0, 16, .want = 4, .nomisread = true },
		{ H_IS_SET, K(k2), .want = 1, .nomisread = true },
		{ H_LEN, .want = 3600, .want_total = 8000 },
	};

	script(_metadata, self, "xf_ops", 8000, 0, o, N(o), 8000, 8000);
}

TEST_F(hostile, script_adjust_meta)
{
	const struct sop o[] = {
		{ H_ADJ_META, .arg = -24, .want = 0 },
		{ H_SET, K(k8), 8, .want = 0 },		/* metadata 24 + seal = 32 */
		{ H_ADJ_META, .arg = -4, .want = 0 },	/* 36: 6.12 allows up to 252 */
		{ H_ADJ_META, .arg = 36, .want = 0 },	/* seal removed by the program */
		{ H_GET, K(k8), 16, .want = 8 },
		{ H_SET, K(k4), 4, .want = 0 },		/* seal inserted again */
		{ H_ADJ_META, .arg = -24, .want = 0 },
		{ H_GET, K(k8), 16, .want = 8 },
		{ H_ADJ_META, .arg = 8, .want = 0 },
		{ H_IS_SET, K(k4), .want = 1 },
		{ H_ADJ_META, .arg = -180, .want = 0 },	/* data_meta inside the store */
		{ H_GET, K(k8), 16, .want = -ESTALE },
		{ H_SET, K(k2), 2, .want = -ESTALE },
		{ H_DEL, K(k4), .want = -ESTALE },
		{ H_IS_SET, K(k4), .want = -ESTALE },
		{ H_ADJ_META, .arg = 180, .want = 0 },	/* given back untouched */
		{ H_GET, K(k8), 16, .want = 8 },
		{ H_IS_SET, K(k4), .want = 1 },
		{ H_SET, K(k8), 8, .want = 0 },
		{ H_LEN, .want = 128, .want_total = 128 },
	};

	script(_metadata, self, "x_ops", 128, 0, o, N(o), 128, 128);
}

TEST_F(hostile, script_meta_full_before_first_set)
{
	const struct sop o[] = {
		{ H_ADJ_META, .arg = -32, .want = 0 },
		{ H_SET, K(k8), 8, .want = -ENOSPC },
		{ H_HINT_HASH, .arg = 1, .want = -ENOSPC },
		{ H_HINT_VLAN, .arg = 1, .flags = 0x0081 /* htons(0x8100) */, .want = -ENOSPC },
		{ H_IS_SET, K(k8), .want = 0 },
		{ H_GET, K(k8), 16, .want = -ENOENT },
		{ H_DEL, K(k8), .want = -ENOENT },
		{ H_ADJ_META, .arg = 32, .want = 0 },
		{ H_SET, K(k8), 8, .want = 0 },
		{ H_GET, K(k8), 16, .want = 8 },
	};

	script(_metadata, self, "x_ops", 128, 0, o, N(o), 128, 128);
}

TEST_F(hostile, script_adjust_tail)
{
	const struct sop o[] = {
		{ H_SET, K(k8), 8, .want = 0 },
		{ H_ADJ_TAIL, .arg = -20, .want = 0 },
		{ H_GET, K(k8), 16, .want = 8 },
		{ H_LEN, .want = 108, .want_total = 108 },
		{ H_ADJ_TAIL, .arg = 20, .want = 0 },
		{ H_GET, K(k8), 16, .want = 8 },
		{ H_ADJ_TAIL, .arg = 4000, .want = -EINVAL },
		{ H_ADJ_TAIL, .arg = -200, .want = -EINVAL },
		{ H_PULL, .arg = 128, .want = 128 },
		{ H_PULL, .arg = 129, .want = -EINVAL },
		{ H_DEL, K(k8), .want = 0 },
	};

	script(_metadata, self, "x_ops", 128, 0, o, N(o), 128, 108);
}

/* every call on a multi-buffer frame (8000 bytes: full linear page + 2 frags) */
TEST_F(hostile, script_frags_every_call)
{
	const struct sop o[] = {
		{ H_LEN, .want = 3520, .want_total = 8000 },
		{ H_SET, K(k16), 16, .want = 0 },
		{ H_SET, K(k2), 2, .want = 0 },
		{ H_HINT_HASH, .arg = 0x1234, .flags = 0, .want = 0 },
		{ H_HINT_VLAN, .arg = 5, .flags = 0x0081, .want = 0 },
		{ H_HINT_TS, .arg = 99, .want = 0 },
		{ H_IMPORT, .flags = 7, .want = -EOPNOTSUPP },
		{ H_GET, K(k16), 16, .want = 16 },
		{ H_GET, K(k2), 16, .want = 2 },
		{ H_IS_SET, 0, .want = 1 },
		{ H_PULL, .arg = 3600, .want = -ENOSPC },	/* no tailroom */
		{ H_LEN, .want = 3520, .want_total = 8000 },
		{ H_PULL, .arg = 3600, .flags = PULL_HEADROOM, .want = 3600 },
		{ H_GET, K(k16), 16, .want = 16 },
		{ H_ADJ_TAIL, .arg = -4000, .want = 0 },
		{ H_LEN, .want = 3600, .want_total = 4000 },
		{ H_PULL, .flags = PULL_ALL | PULL_HEADROOM, .want = -ENOSPC },
		{ H_ADJ_TAIL, .arg = -400, .want = 0 },
		{ H_LEN, .want = 3600, .want_total = 3600 },
		{ H_PULL, .flags = PULL_ALL, .want = 3600 },
		{ H_IS_SET, K(k16), .want = 1 },
		{ H_DEL, K(k16), .want = 0 },
		{ H_ADJ_META, .arg = -120, .want = 0 },	/* data_meta inside the store */
		{ H_GET, K(k2), 16, .want = -ESTALE },
		{ H_HINT_TS, .arg = 7, .want = -ESTALE },
		{ H_PULL, .flags = PULL_ALL | PULL_HEADROOM, .want = 3600 },
		{ H_ADJ_META, .arg = 120, .want = 0 },
		{ H_GET, K(k2), 16, .want = 2 },
		{ H_GET, 3, 16, .want = 8 },		/* rx_timestamp */
		{ H_DEL, K(k2), .want = 0 },
		{ H_GET, K(k2), 16, .want = -ENOENT },
	};

	script(_metadata, self, "xf_ops", 8000, 0, o, N(o), 3600, 3600);
}

/* a short linear part: tail shrink into the linear part, pull, grow, meta */
TEST_F(hostile, script_frags_short_linear)
{
	const struct sop o[] = {
		{ H_SET, K(k8), 8, .want = 0 },
		{ H_ADJ_TAIL, .arg = -4700, .want = 0 },
		{ H_LEN, .want = 200, .want_total = 300 },
		{ H_GET, K(k8), 16, .want = 8 },
		{ H_PULL, .arg = 300, .want = 300 },
		{ H_LEN, .want = 300, .want_total = 300 },
		{ H_GET, K(k8), 16, .want = 8 },
		{ H_ADJ_TAIL, .arg = 50, .want = 0 },
		{ H_LEN, .want = 350, .want_total = 350 },
		{ H_ADJ_META, .arg = -8, .want = 0 },
		{ H_PULL, .flags = PULL_ALL | PULL_HEADROOM, .want = 350 },
		{ H_GET, K(k8), 16, .want = 8 },
		{ H_SET, K(k4), 4, .want = 0 },
		{ H_IS_SET, K(k4), .want = 1 },
	};

	script(_metadata, self, "xf_ops", 5000, 200, o, N(o), 350, 300);
}

/*
 * Pull with the headroom while data_meta is inside the store (-ESTALE):
 * the 10 bytes it needs from the headroom would move data_meta and data
 * further into the store's bytes. "Never into the metadata store".
 */
TEST_F(hostile, script_frags_pull_into_stale_store)
{
	const struct sop o[] = {
		{ H_SET, K(k16), 16, .want = 0 },		/* store +40..+72 */
		{ H_ADJ_META, .arg = -184, .want = 0 },	/* data_meta +64 */
		{ H_GET, K(k16), 16, .want = -ESTALE },
		{ H_PULL, .arg = 3530, .flags = PULL_HEADROOM, .want = -ENOSPC,
		  .has_alt = true, .alt = -ESTALE },
		{ H_ADJ_META, .arg = 184, .want = 0 },
		{ H_GET, K(k16), 16, .want = 16, .nomisread = true },
		{ H_PULL, .arg = 3530, .flags = PULL_HEADROOM, .want = 3530 },
		{ H_GET, K(k16), 16, .want = 16, .nomisread = true },
		{ H_LEN, .want = 3530, .want_total = 5000 },
	};

	script(_metadata, self, "xf_ops", 5000, 200, o, N(o), 5000, 5000);
}

/* ---- pull while a dynptr slice into a frag is held -------------------- */

/* page_poison reports a write into a freed page when the page is reused */
static int poison_check(struct __test_metadata *_metadata, FIXTURE_DATA(hostile) *self)
{
	struct hostile_xdp *s = LOAD_ONE(hostile_xdp, self, "xf_ops");
	char cmdline[1024] = "";

	/* reuse freed order-0 pages: test runs allocate their frags with GFP_KERNEL */
	if (s) {
		for (int i = 0; i < 64; i++)
			xdp_run(self, prog_fd(s->obj, "xf_ops"), 9000, 0, 1);
		hostile_xdp__destroy(s);
	}
	EXPECT_NE(0, xm_sh("dmesg | grep -E 'pagealloc: memory corruption|BUG: Bad page' >&2"))
		TH_LOG("a write through a slice landed in a freed page");
	xm_read("/proc/cmdline", cmdline, sizeof(cmdline));
	return strstr(cmdline, "page_poison=1") != NULL;
}

static void pull_slice(struct __test_metadata *_metadata, FIXTURE_DATA(hostile) *self,
		       const char *prog, int total, int linear, __u32 off, __u32 len,
		       __u64 flags, int again, const __s64 *exp, __u32 n)
{
	struct hostile_xdp *s = LOAD_ONE(hostile_xdp, self, prog);

	if (slice_refused_here(_metadata, self, prog, s)) {
		hostile_xdp__destroy(s);
		return;
	}
	ASSERT_NE(NULL, s);
	s->bss->cfg_off = off;
	s->bss->cfg_len = len;
	s->bss->cfg_flags = flags;
	s->bss->cfg_repeat_write = again;
	EXPECT_EQ(2, xdp_run(self, prog_fd(s->obj, prog), total, linear, 1));
	check_r(_metadata, prog, s->bss->r, s->bss->nr, exp, n);
	/* the write went to the released frag, never into the frame */
	FRAME_IS(total, total);
	hostile_xdp__destroy(s);
	if (!poison_check(_metadata, self) && _metadata->exit_code != KSFT_FAIL)
		SKIP(return, "no page_poison=1 on the kernel command line: a write into a freed page is not seen");
}

/* the review's repro: slice in the last frag, whole pull with the headroom, write */
TEST_F(hostile, pull_slice_last_frag_write)
{
	static const __s64 e[] = { 0, 1, 3620, 3620, 3620 };

	pull_slice(_metadata, self, "xf_pull_slice", 3620, 200, 3612, 0,
		   PULL_ALL | PULL_HEADROOM, 0, e, N(e));
}

TEST_F(hostile, pull_slice_first_frag_write_repeated)
{
	static const __s64 e[] = { 0, 1, 3620, 3620, 3620 };

	pull_slice(_metadata, self, "xf_pull_slice", 3620, 200, 200, 0,
		   PULL_ALL | PULL_HEADROOM, 1, e, N(e));
}

/* a partial pull: the frag stays, the slice now points at bytes no longer in the frame */
TEST_F(hostile, pull_slice_partial_write)
{
	static const __s64 e[] = { 0, 1, 1000, 1000, 5000 };

	pull_slice(_metadata, self, "xf_pull_slice", 5000, 200, 200, 1000, 0, 1, e, N(e));
}

/* the stale slice as bpf_xdpmeta_get()'s buffer (and set's value) */
TEST_F(hostile, pull_slice_then_get_into_it)
{
	static const __s64 e[] = { 0, 0, 1, 3620, 8, 0, 3620 };

	pull_slice(_metadata, self, "xf_pull_slice_get", 3620, 200, 3612, 0,
		   PULL_ALL | PULL_HEADROOM, 0, e, N(e));
}

/* ---- keys re-registered with another size under traffic --------------- */

struct churn_arg {
	FIXTURE_DATA(hostile) *self;
	volatile struct h_churn *c;
	int cycles, wrong_id, errors;
};

static void *churn_thread(void *p)
{
	static const char *const names[] = { "h_churn0", "h_churn2", "h_churn4", "h_churn8" };
	static const int sizes[] = { 0, 2, 4, 8 };
	struct churn_arg *a = p;

	for (int i = 0; i < 2000 && a->c->iters < 2000; i++)
		usleep(5000);
	for (a->cycles = 0; a->cycles < 24; a->cycles++) {
		int cur = a->cycles % 4, next = (a->cycles + 1) % 4, id;

		if (xm_key_del(a->self->ctl, names[cur]))
			a->errors++;
		id = xm_key_add(a->self->ctl, names[next], sizes[next]);
		if (id != (int)a->c->key)
			a->wrong_id++;
		usleep(20000);
	}
	a->c->stop = 1;
	return NULL;
}

TEST_F(hostile, churn_reregister_other_size_under_traffic)
{
	char pkt[128] = { 0 }, name[32];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = 20000);
	struct hostile_xdp *s = LOAD_ONE(hostile_xdp, self, "x_churn");
	struct churn_arg a = { .self = self };
	pthread_t th;
	int id;

	ASSERT_NE(NULL, s);
	id = xm_key_add(self->ctl, "h_churn0", 0);
	ASSERT_GE(id, XDPMETA_KEY_FIRST_FREE);
	/* fill the table: the churning id is the only one freed and reused */
	for (int j = 0; ; j++) {
		snprintf(name, sizeof(name), "h_fill%d", j);
		if (xm_key_add(self->ctl, name, 0) < 0)
			break;
	}
	s->bss->churn.key = id;
	a.c = &s->bss->churn;
	ASSERT_EQ(0, pthread_create(&th, NULL, churn_thread, &a));
	/* one xdp_buff per run: each run starts without a store */
	while (!a.c->stop)
		if (bpf_prog_test_run_opts(prog_fd(s->obj, "x_churn"), &o)) {
			EXPECT_EQ(0, errno);
			break;
		}
	pthread_join(th, NULL);
	TH_LOG("cycles %d iters %llu ok %llu enokey %llu emsgsize %llu ebadmsg %llu enoent %llu "
	       "other %llu (last %lld, op %u) misread %llu sizes 0x%x", a.cycles,
	       a.c->iters, a.c->ok, a.c->enokey, a.c->emsgsize, a.c->ebadmsg, a.c->enoent,
	       a.c->other, a.c->last_other, a.c->last_other_op, a.c->misread, a.c->sizes_seen);
	EXPECT_EQ(0, a.errors);
	EXPECT_EQ(0, a.wrong_id) TH_LOG("the freed id was not the one handed out again");
	EXPECT_EQ(24, a.cycles);
	EXPECT_LT(0, a.c->ok);
	EXPECT_EQ(0, a.c->other);
	EXPECT_EQ(0, a.c->misread);
	hostile_xdp__destroy(s);
}

/* ---- TC: skbs that carry a store (XDP_PASS on a veth), tc ingress there ---- */

static int udp_in(const char *ns, bool rx)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(H_PORT) };
	struct timeval tv = { .tv_sec = 2 };
	int saved = -1, fd, one = 1;

	if (ns && xm_in_netns(ns, &saved))
		return -1;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (ns)
		xm_back_netns(saved);
	if (fd < 0)
		return -1;
	if (!rx)
		return setsockopt(fd, SOL_SOCKET, SO_NO_CHECK, &one, sizeof(one)) ? -1 : fd;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	return fd;
}

/*
 * hx1: hxa 10.81.0.1 ---- hxb 10.81.0.2 [h_tc_setter, tc ingress @prog]
 * One datagram through it, with a packet tap open on hxb (its clone shares
 * the data with the skb tc sees): the datagram and the tap's copy must
 * carry the bytes sent.
 */
static void tc_case(struct __test_metadata *_metadata, FIXTURE_DATA(hostile) *self,
		    const char *prog, const __s64 *exp, __u32 n, bool bytes)
{
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(H_PORT) };
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct timeval tv = { .tv_sec = 2 };
	unsigned char payload[64], buf[256], tapbuf[256];
	struct hostile_tc *s = NULL;
	int hxb, tx = -1, rx = -1, tap = -1, got, tapgot = 0;

	for (int i = 0; i < 64; i++)
		payload[i] = (unsigned char)(0x30 + i);
	ASSERT_EQ(0, xm_sh("set -e; ip netns add hx1; ip link add hxa type veth peer name hxb;"
			   "ip link set hxa netns hx1; ip -n hx1 addr add 10.81.0.1/24 dev hxa;"
			   "ip addr add 10.81.0.2/24 dev hxb; ip -n hx1 link set hxa up; ip link set hxb up;"
			   "ip -n hx1 neigh add 10.81.0.2 lladdr $(cat /sys/class/net/hxb/address) dev hxa"));
	hxb = if_nametoindex("hxb");
	ASSERT_GT(hxb, 0);
	s = LOAD_ONE(hostile_tc, self, prog);
	if (slice_refused_here(_metadata, self, prog, s)) {
		hostile_tc__destroy(s);
		return;
	}
	ASSERT_NE(NULL, s) TH_LOG("%s: refused, expected to load", prog);
	ASSERT_EQ(0, bpf_xdp_attach(hxb, prog_fd(s->obj, "h_tc_setter"), XDP_FLAGS_DRV_MODE, NULL));
	{
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = hxb, .attach_point = BPF_TC_INGRESS);
		LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd(s->obj, prog));

		ASSERT_EQ(0, bpf_tc_hook_create(&hook));
		ASSERT_EQ(0, bpf_tc_attach(&hook, &opts));
	}
	tap = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	ASSERT_GE(tap, 0);
	ll.sll_ifindex = hxb;
	ASSERT_EQ(0, bind(tap, (struct sockaddr *)&ll, sizeof(ll)));
	ASSERT_EQ(0, setsockopt(tap, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	tx = udp_in("hx1", false);
	rx = udp_in(NULL, true);
	ASSERT_GE(tx, 0);
	ASSERT_GE(rx, 0);
	inet_pton(AF_INET, "10.81.0.2", &dst.sin_addr);
	ASSERT_EQ(64, sendto(tx, payload, 64, 0, (struct sockaddr *)&dst, sizeof(dst)));
	got = recv(rx, buf, sizeof(buf), 0);
	for (int i = 0; i < 20; i++) {
		int k = recv(tap, tapbuf, sizeof(tapbuf), 0);

		if (k < 0)
			break;
		if (k >= 42 + 64 && tapbuf[23] == 17 && tapbuf[36] == (H_PORT >> 8) &&
		    tapbuf[37] == (H_PORT & 0xff)) {
			tapgot = k;
			break;
		}
	}
	EXPECT_EQ(1, s->bss->tcs.seen) TH_LOG("tc saw %llu test packets", s->bss->tcs.seen);
	check_r(_metadata, prog, s->bss->r, s->bss->nr, exp, n);
	EXPECT_EQ(64, got) TH_LOG("the datagram did not arrive");
	if (got == 64)
		EXPECT_EQ(fnv1a(payload, 64), fnv1a(buf, 64)) TH_LOG("datagram payload changed");
	EXPECT_LE(42 + 64, tapgot) TH_LOG("the tap got no copy");
	if (tapgot >= 42 + 64)
		EXPECT_EQ(fnv1a(payload, 64), fnv1a(tapbuf + 42, 64)) TH_LOG("the tap's copy changed");
	if (bytes)
		EXPECT_EQ(0, memcmp((void *)s->bss->tcs.before, (void *)s->bss->tcs.after, 8))
			TH_LOG("the bytes val pointed at changed");
	close(tap);
	close(tx);
	close(rx);
	bpf_xdp_detach(hxb, 0, NULL);
	hostile_tc__destroy(s);
	xm_sh("ip netns del hx1; ip link del hxb 2>/dev/null; true");
}

#define TC_CASE(test, prog, bytes, ...)						\
	TEST_F(hostile, test)							\
	{									\
		static const __s64 e[] = { __VA_ARGS__ };			\
		tc_case(_metadata, self, prog, e, N(e), bytes);			\
	}

TC_CASE(tc_get_stack, "t_get_stack", false, 8, 1, 1)
TC_CASE(tc_get_null, "t_get_null", false, -EINVAL, 8, 1)
TC_CASE(tc_get_lit_null, "t_get_lit_null", false, -EINVAL, 0)
TC_CASE(tc_get_ringbuf_null, "t_get_ringbuf_null", false, -EINVAL)
TC_CASE(tc_get_slice_null, "t_get_slice_null", false, 0, -EINVAL)
TC_CASE(tc_get_mapval, "t_get_mapval", false, 8, 1)
TC_CASE(tc_get_ringbuf_ok, "t_get_ringbuf_ok", false, 8, 1)
TC_CASE(tc_get_into_packet, "t_get_pkt", true, -EINVAL)
TC_CASE(tc_get_into_packet_slice, "t_get_slice_pkt", true, 0, -EINVAL)
TC_CASE(tc_get_into_seal, "t_get_meta", true, -EINVAL, 1)
TC_CASE(tc_oob, "t_oob", false,
	-EINVAL, -EINVAL, -ENOKEY, -ENOKEY, -EMSGSIZE, -EMSGSIZE, -ENOENT,
	-EINVAL, -EINVAL, -ENOKEY, 0, 1, 8)

/* ---- SYSCALL: the registry ---------------------------------------------- */

static void sys_case(struct __test_metadata *_metadata, FIXTURE_DATA(hostile) *self,
		     const char *prog, const __s64 *exp, __u32 n)
{
	struct hostile_sys *s = LOAD_ONE(hostile_sys, self, prog);
	LIBBPF_OPTS(bpf_test_run_opts, o);
	__u64 rev0 = xm_key_rev(self->ctl);

	ASSERT_NE(NULL, s) TH_LOG("%s: refused, expected to load", prog);
	EXPECT_EQ(0, bpf_prog_test_run_opts(prog_fd(s->obj, prog), &o));
	check_r(_metadata, prog, s->bss->r, s->bss->nr, exp, n);
	TH_LOG("registry revision %llu -> %llu", rev0, xm_key_rev(self->ctl));
	/* nothing was registered by the refused calls */
	EXPECT_EQ(-ENOENT, xm_key_req(self->ctl, true, "h_ok", 4, XDPMETA_KEY_NO_CREATE, 0, NULL));
	hostile_sys__destroy(s);
}

#define SYS_CASE(test, prog, ...)						\
	TEST_F(hostile, test)							\
	{									\
		static const __s64 e[] = { __VA_ARGS__ };			\
		sys_case(_metadata, self, prog, e, N(e));			\
	}

SYS_CASE(sys_null, "s_null", -EINVAL, -EINVAL)
SYS_CASE(sys_lit_null, "s_lit_null", -EINVAL, -EINVAL)
SYS_CASE(sys_ringbuf_null, "s_ringbuf_null", -EINVAL, -EINVAL)
SYS_CASE(sys_mapval_ringbuf, "s_mapval", ANY_ID, 0, ANY_ID, 0)
SYS_CASE(sys_bad_args, "s_bad",
	 -EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL,
	 -EINVAL, -EINVAL, -EINVAL, -EMSGSIZE, 0, -EPERM, -ENOENT, -ENOENT, 1,
	 -ESTALE, -ESTALE, ANY_ID, -EMSGSIZE, 0, -ENOENT, -EINVAL, -EINVAL, -EINVAL)

/* ---- refused at load ------------------------------------------------------ */

TEST_F(hostile, verifier_refuses)
{
	/* old: 6.1's words where they differ (the dynptr slices it lacks: the call) */
	static const struct {
		const char *prog, *msg, *old;
	} cases[] = {
		{ "rx_set_rodata", "write into map forbidden" },
		{ "rx_get_rodata", "write into map forbidden" },
		{ "rx_set_rdonly_slice", "R3 cannot write into rdonly_mem", "bpf_dynptr_" },
		{ "rx_set_null_sz8", "R3 type=scalar expected=fp" },
		{ "rx_get_pkt_short_check", "invalid access to packet" },
		{ "rx_get_mapval_short", "invalid access to map value" },
		{ "rx_ringbuf_after_discard", "R3 type=scalar expected=fp" },
		{ "rx_slice_after_adjust_tail", "invalid mem access 'scalar'", "bpf_dynptr_" },
		{ "rx_skb_get_from_xdp", "calling kernel function bpf_xdpmeta_skb_get is not allowed" },
		{ "rt_set_from_tc", "calling kernel function bpf_xdpmeta_set is not allowed" },
		{ "rt_register_from_tc", "calling kernel function bpf_xdpmeta_key_register is not allowed" },
		{ "rt_get_rodata", "write into map forbidden" },
		{ "rt_get_ctx_not_skb", "arg#0 expected pointer to ctx, but got map_value",
		  "arg#0 expected pointer to ctx, but got PTR" },
		{ "rs_register_rodata", "write into map forbidden" },
		{ "rs_unregister_rodata", "write into map forbidden" },
		{ "rs_register_short_buf", "invalid indirect access to stack" },
	};

	for (size_t i = 0; i < N(cases); i++) {
		const char *msg = cases[i].old && xm_kernel_version() < 612 ? cases[i].old : cases[i].msg;
		struct hostile_refused *s = hostile_refused__open();
		struct bpf_program *p;

		ASSERT_NE(NULL, s);
		p = bpf_object__find_program_by_name(s->obj, cases[i].prog);
		ASSERT_NE(NULL, p) TH_LOG("%s", cases[i].prog);
		bpf_program__set_autoload(p, true);
		self->log[0] = '\0';
		bpf_program__set_log_buf(p, self->log, sizeof(self->log));
		s->bss->keys = self->keys;
		EXPECT_NE(0, hostile_refused__load(s)) TH_LOG("%s loaded", cases[i].prog);
		EXPECT_NE(NULL, strstr(self->log, msg))
			TH_LOG("%s: no '%s' in the verifier log:\n%s", cases[i].prog, msg,
			       log_tail(self->log, 4));
		hostile_refused__destroy(s);
	}
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * Multi-program chains (kmod/chain.c): the order rules through the
 * module's SYSCALL kfunc, what runs in a test run of the dispatcher, the
 * refusals, program ownership, recursion, redirect from the middle of a
 * chain, plain and frags-aware entries mixed on MTU 9000 (veth and
 * virtio_net), and device removal / unload with a chain installed.
 * Each behaviour is checked against its control: the same run on a
 * device without a chain, or with the entry that causes it taken out.
 */
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/bpf.h>

#include "kselftest_harness.h"
#include "xm_test.h"
#include "chain.skel.h"
#include "xdpmeta_dispatch.skel.h"

#define DEV_B	"xcb"

FIXTURE(chain) {
	struct chain *skel;
	struct xdpmeta_ctl *ctl;
	struct xdpmeta_dispatch *disp;
	int ifb;
	__u32 disp_id;
};

static __u32 prog_id(int fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

#define FD(name) bpf_program__fd(self->skel->progs.name)
#define ID(name) prog_id(FD(name))
#define BSS (self->skel->bss)

static int ctl_run(FIXTURE_DATA(chain) *self, struct xdpmeta_chain_req *r)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = r, .ctx_size_in = sizeof(*r));

	if (!r->size)
		r->size = sizeof(*r);
	if (bpf_prog_test_run_opts(bpf_program__fd(self->ctl->progs.xdpmeta_chain), &o))
		return -10000 - errno;
	return r->ret;
}

static int attach(FIXTURE_DATA(chain) *self, int ifindex, int fd, __u32 flags,
		  __u32 rel, __u64 rev, struct xdpmeta_chain_req *out)
{
	struct xdpmeta_chain_req r = {
		.op = XDPMETA_CHAIN_OP_ATTACH, .ifindex = ifindex, .prog_fd = fd,
		.flags = flags, .expected_revision = rev,
		/* @rel: the relative, or with REPLACE the program replaced */
		.rel_id = flags & XDPMETA_CHAIN_REPLACE ? 0 : rel,
		.old_id = flags & XDPMETA_CHAIN_REPLACE ? rel : 0,
	};
	int ret = ctl_run(self, &r);

	if (ret < 0)
		fprintf(stderr, "# attach: %d (%s)\n", ret, r.msg);
	if (out)
		*out = r;
	return ret;
}

static int detach_on(FIXTURE_DATA(chain) *self, int ifindex, __u32 id, __u32 flags,
		     __u32 rel)
{
	struct xdpmeta_chain_req r = {
		.op = XDPMETA_CHAIN_OP_DETACH, .ifindex = ifindex, .id = id,
		.flags = flags, .rel_id = rel,
	};

	return ctl_run(self, &r);
}

#define detach(self, id, flags, rel) detach_on(self, (self)->ifb, id, flags, rel)

static int query(FIXTURE_DATA(chain) *self, int ifindex, struct xdpmeta_chain_req *r)
{
	memset(r, 0, sizeof(*r));
	r->op = XDPMETA_CHAIN_OP_QUERY;
	r->ifindex = ifindex;
	return ctl_run(self, r);
}

/* One test run of the dispatcher as if received on @ifindex: its verdict. */
static int run_disp(FIXTURE_DATA(chain) *self, int ifindex)
{
	char pkt[64] = { [12] = 0x08, [13] = 0x00 };
	struct xdp_md ctx = { .data_end = sizeof(pkt), .ingress_ifindex = ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = 1);

	BSS->seq = 0;
	memset(BSS->order, 0xff, sizeof(BSS->order));
	if (bpf_prog_test_run_opts(bpf_program__fd(self->disp->progs.xdpmeta_dispatch), &o))
		return -10000 - errno;
	return o.retval;
}

FIXTURE_SETUP(chain)
{
	ASSERT_EQ(0, xm_load());
	ASSERT_EQ(0, xm_sh("ip link add xca type veth peer name " DEV_B
			   " && ip link set xca up && ip link set " DEV_B " up"));
	self->ifb = if_nametoindex(DEV_B);
	self->skel = chain__open_and_load();
	ASSERT_NE(NULL, self->skel);
	self->ctl = xm_ctl_open();
	ASSERT_NE(NULL, self->ctl);
	self->disp = xdpmeta_dispatch__open_and_load();
	ASSERT_NE(NULL, self->disp);
	for (int i = 0; i < 8; i++)
		BSS->act[i] = XDP_PASS;
	ASSERT_EQ(0, bpf_xdp_attach(self->ifb, bpf_program__fd(self->disp->progs.xdpmeta_dispatch),
				    XDP_FLAGS_DRV_MODE, NULL));
	self->disp_id = prog_id(bpf_program__fd(self->disp->progs.xdpmeta_dispatch));
}

FIXTURE_TEARDOWN(chain)
{
	xm_sh("ip link del xca 2>/dev/null; ip netns del xc1 2>/dev/null; "
	      "ip link del xcc 2>/dev/null; rm -f /sys/fs/bpf/xc_*; true");
	if (self->disp)
		xdpmeta_dispatch__destroy(self->disp);
	if (self->ctl)
		xdpmeta_ctl__destroy(self->ctl);
	if (self->skel)
		chain__destroy(self->skel);
	/* every entry released, then the module goes (leak check at exit) */
	for (int i = 0; i < 50 && xm_object("chain_entries"); i++)
		usleep(100000);
	EXPECT_EQ(0, xm_object("chain_entries"));
	EXPECT_EQ(0, xm_object("chains"));
	EXPECT_EQ(0, xm_unload());
}

/* before/after/append land where bpf_mprog puts them, and run in that order */
TEST_F(chain, order_before_after_and_run)
{
	struct xdpmeta_chain_req q;

	EXPECT_EQ(0, attach(self, self->ifb, FD(p0), 0, 0, 0, NULL));
	EXPECT_EQ(1, attach(self, self->ifb, FD(p1), 0, 0, 0, NULL));
	EXPECT_EQ(0, attach(self, self->ifb, FD(p2), XDPMETA_CHAIN_BEFORE, ID(p0), 0, NULL));
	EXPECT_EQ(1, attach(self, self->ifb, FD(p3), XDPMETA_CHAIN_AFTER, ID(p2), 0, NULL));
	ASSERT_EQ(4, query(self, self->ifb, &q));
	EXPECT_EQ(self->disp_id, q.dispatcher_id);
	EXPECT_EQ(ID(p2), q.e[0].id);
	EXPECT_EQ(ID(p3), q.e[1].id);
	EXPECT_EQ(ID(p0), q.e[2].id);
	EXPECT_EQ(ID(p1), q.e[3].id);
	EXPECT_EQ(XDP_PASS, run_disp(self, self->ifb));
	EXPECT_EQ(4, BSS->seq);
	EXPECT_EQ(2, BSS->order[0]);
	EXPECT_EQ(3, BSS->order[1]);
	EXPECT_EQ(0, BSS->order[2]);
	EXPECT_EQ(1, BSS->order[3]);
	/* control: the same dispatcher on a device without a chain runs nothing */
	EXPECT_EQ(XDP_PASS, run_disp(self, if_nametoindex("lo")));
	EXPECT_EQ(0, BSS->seq);
	/* ... nor on a hooked device that runs no dispatcher */
	EXPECT_EQ(XDP_PASS, run_disp(self, if_nametoindex("xca")));
	EXPECT_EQ(0, BSS->seq);
}

TEST_F(chain, revision_stale_changes_nothing)
{
	struct xdpmeta_chain_req r, q;
	__u64 rev;

	ASSERT_EQ(0, query(self, self->ifb, &q));
	rev = q.revision;
	EXPECT_EQ(1, rev);
	EXPECT_EQ(0, attach(self, self->ifb, FD(p0), 0, 0, rev, &r));
	EXPECT_EQ(rev + 1, r.revision);
	EXPECT_EQ(-ESTALE, attach(self, self->ifb, FD(p1), 0, 0, rev, &r));
	EXPECT_NE(NULL, strstr(r.msg, "changed")) TH_LOG("msg: %s", r.msg);
	ASSERT_EQ(1, query(self, self->ifb, &q));
	EXPECT_EQ(rev + 1, q.revision);
	{
		struct xdpmeta_chain_req d = {
			.op = XDPMETA_CHAIN_OP_DETACH, .ifindex = self->ifb,
			.id = ID(p0), .expected_revision = rev,
		};
		EXPECT_EQ(-ESTALE, ctl_run(self, &d));
		d.expected_revision = rev + 1;
		EXPECT_EQ(0, ctl_run(self, &d));
		EXPECT_EQ(rev + 2, d.revision);
	}
}

TEST_F(chain, first_last_pins)
{
	struct xdpmeta_chain_req q;

	EXPECT_EQ(0, attach(self, self->ifb, FD(p0), XDPMETA_CHAIN_FIRST, 0, 0, NULL));
	EXPECT_EQ(1, attach(self, self->ifb, FD(p1), XDPMETA_CHAIN_LAST, 0, 0, NULL));
	/* append and prepend go inside the pins */
	EXPECT_EQ(1, attach(self, self->ifb, FD(p2), 0, 0, 0, NULL));
	EXPECT_EQ(1, attach(self, self->ifb, FD(p3), XDPMETA_CHAIN_BEFORE, 0, 0, NULL));
	/* explicit places outside them, and a second pin, are refused */
	EXPECT_EQ(-EBUSY, attach(self, self->ifb, FD(f4), XDPMETA_CHAIN_BEFORE, ID(p0), 0, NULL));
	EXPECT_EQ(-EBUSY, attach(self, self->ifb, FD(f4), XDPMETA_CHAIN_FIRST, 0, 0, NULL));
	EXPECT_EQ(-EBUSY, attach(self, self->ifb, FD(f4), XDPMETA_CHAIN_AFTER, ID(p1), 0, NULL));
	ASSERT_EQ(4, query(self, self->ifb, &q));
	EXPECT_EQ(XDPMETA_CHAIN_PIN_FIRST, q.e[0].pin);
	EXPECT_EQ(XDPMETA_CHAIN_PIN_LAST, q.e[3].pin);
	EXPECT_EQ(XDP_PASS, run_disp(self, self->ifb));
	EXPECT_EQ(4, BSS->seq);
	EXPECT_EQ(0, BSS->order[0]);
	EXPECT_EQ(3, BSS->order[1]);
	EXPECT_EQ(2, BSS->order[2]);
	EXPECT_EQ(1, BSS->order[3]);
}

TEST_F(chain, continue_actions)
{
	struct xdpmeta_chain_req r = {
		.op = XDPMETA_CHAIN_OP_ATTACH, .ifindex = self->ifb,
		.flags = XDPMETA_CHAIN_CONT, .cont = 1U << XDP_DROP,
	};

	BSS->act[0] = XDP_DROP;
	EXPECT_EQ(0, attach(self, self->ifb, FD(p0), 0, 0, 0, NULL));
	EXPECT_EQ(1, attach(self, self->ifb, FD(p1), 0, 0, 0, NULL));
	/* default: only XDP_PASS continues, so p0's drop ends the chain */
	EXPECT_EQ(XDP_DROP, run_disp(self, self->ifb));
	EXPECT_EQ(1, BSS->seq);
	/* p0 again, with drop as its continue action: p1 decides */
	EXPECT_EQ(0, detach(self, ID(p0), 0, 0));
	r.prog_fd = FD(p0);
	r.flags |= XDPMETA_CHAIN_BEFORE;
	EXPECT_EQ(0, ctl_run(self, &r)) TH_LOG("%s", r.msg);
	BSS->act[1] = XDP_TX;
	EXPECT_EQ(XDP_TX, run_disp(self, self->ifb));
	EXPECT_EQ(2, BSS->seq);
	/* everyone continued: the chain's verdict is XDP_PASS */
	BSS->act[1] = XDP_PASS;
	EXPECT_EQ(XDP_PASS, run_disp(self, self->ifb));
	EXPECT_EQ(2, BSS->seq);
	/* continue bits beyond the five actions are refused */
	r.prog_fd = FD(p2);
	r.flags = XDPMETA_CHAIN_CONT;
	r.cont = 1U << 5;
	EXPECT_EQ(-EINVAL, ctl_run(self, &r));
	/* and a redirect cannot continue: the entry chose where the frame goes */
	r.cont = (1U << XDP_PASS) | (1U << XDP_REDIRECT);
	EXPECT_EQ(-EINVAL, ctl_run(self, &r));
	EXPECT_NE(NULL, strstr(r.msg, "REDIRECT")) TH_LOG("%s", r.msg);
}

TEST_F(chain, replace_keeps_place)
{
	struct xdpmeta_chain_req q;

	EXPECT_EQ(0, attach(self, self->ifb, FD(p0), 0, 0, 0, NULL));
	EXPECT_EQ(1, attach(self, self->ifb, FD(p1), 0, 0, 0, NULL));
	EXPECT_EQ(2, attach(self, self->ifb, FD(p2), 0, 0, 0, NULL));
	EXPECT_EQ(1, attach(self, self->ifb, FD(p3), XDPMETA_CHAIN_REPLACE, ID(p1), 0, NULL));
	ASSERT_EQ(3, query(self, self->ifb, &q));
	EXPECT_EQ(ID(p3), q.e[1].id);
	EXPECT_EQ(XDP_PASS, run_disp(self, self->ifb));
	EXPECT_EQ(3, BSS->seq);
	EXPECT_EQ(3, BSS->order[1]);
	EXPECT_EQ(0, BSS->runs[1]);
	/* replacing what is not there */
	EXPECT_EQ(-ENOENT, attach(self, self->ifb, FD(f4), XDPMETA_CHAIN_REPLACE, ID(p1), 0, NULL));
}

TEST_F(chain, detach_by_id_position_and_empty)
{
	struct xdpmeta_chain_req q;

	EXPECT_EQ(0, attach(self, self->ifb, FD(p0), 0, 0, 0, NULL));
	EXPECT_EQ(1, attach(self, self->ifb, FD(p1), 0, 0, 0, NULL));
	EXPECT_EQ(2, attach(self, self->ifb, FD(p2), 0, 0, 0, NULL));
	EXPECT_EQ(0, detach(self, ID(p1), 0, 0));
	EXPECT_EQ(-ENOENT, detach(self, ID(p1), 0, 0));
	EXPECT_EQ(0, detach(self, 0, XDPMETA_CHAIN_AFTER, 0));	/* the last: p2 */
	ASSERT_EQ(1, query(self, self->ifb, &q));
	EXPECT_EQ(ID(p0), q.e[0].id);
	EXPECT_EQ(0, detach(self, 0, 0, 0));
	EXPECT_EQ(-ENOENT, detach(self, 0, 0, 0));
	EXPECT_EQ(XDP_PASS, run_disp(self, self->ifb));
	EXPECT_EQ(0, BSS->seq);
	/* the dispatcher stays, with an empty chain */
	EXPECT_EQ(0, query(self, self->ifb, &q));
	EXPECT_EQ(self->disp_id, q.dispatcher_id);
}

TEST_F(chain, plain_attach_refused_while_chained)
{
	struct xdpmeta_chain_req q;
	char out[512];

	ASSERT_EQ(0, attach(self, self->ifb, FD(p0), 0, 0, 0, NULL));
	ASSERT_EQ(0, bpf_obj_pin(FD(p1), "/sys/fs/bpf/xc_p1"));
	xm_sh_line(out, sizeof(out), "/usr/local/sbin/ip -force link set dev " DEV_B
		   " xdpdrv pinned /sys/fs/bpf/xc_p1 2>&1; echo rc=$?");
	EXPECT_NE(NULL, strstr(out, "xdpmeta prog attach")) TH_LOG("ip said: %s", out);
	EXPECT_EQ(NULL, strstr(out, "rc=0"));
	EXPECT_EQ(-EBUSY, bpf_xdp_attach(self->ifb, FD(p1), XDP_FLAGS_DRV_MODE, NULL));
	ASSERT_EQ(1, query(self, self->ifb, &q));
	EXPECT_EQ(self->disp_id, q.dispatcher_id);
	EXPECT_EQ(XDP_PASS, run_disp(self, self->ifb));
	EXPECT_EQ(1, BSS->seq);
	/* control: once the chain is empty, a plain program replaces the dispatcher */
	EXPECT_EQ(0, detach(self, ID(p0), 0, 0));
	EXPECT_EQ(0, bpf_xdp_attach(self->ifb, FD(p1), XDP_FLAGS_DRV_MODE, NULL));
	EXPECT_EQ(0, query(self, self->ifb, &q));
	EXPECT_EQ(0, q.dispatcher_id);
	EXPECT_EQ(-ENOENT, attach(self, self->ifb, FD(p2), 0, 0, 0, NULL));
	bpf_xdp_detach(self->ifb, XDP_FLAGS_DRV_MODE, NULL);
}

/* The chain's reference keeps a program alive after its loader is gone. */
TEST_F(chain, entry_outlives_its_fds)
{
	struct chain *other = chain__open_and_load();
	int fd, i;
	__u32 id;

	ASSERT_NE(NULL, other);
	id = prog_id(bpf_program__fd(other->progs.p0));
	ASSERT_EQ(0, attach(self, self->ifb, bpf_program__fd(other->progs.p0), 0, 0, 0, NULL));
	chain__destroy(other);
	usleep(200000);
	fd = bpf_prog_get_fd_by_id(id);
	EXPECT_LE(0, fd) TH_LOG("chained program %u gone: %s", id, strerror(errno));
	if (fd >= 0)
		close(fd);
	/* control: detached, nothing holds it and it goes */
	EXPECT_EQ(0, detach(self, id, 0, 0));
	for (i = 0; i < 50; i++) {
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			break;
		close(fd);
		usleep(100000);
	}
	EXPECT_GT(0, fd) TH_LOG("program %u still alive after detach", id);
}

TEST_F(chain, refused_entries_say_why)
{
	struct xdpmeta_chain_req r;
	int disp_fd = bpf_program__fd(self->disp->progs.xdpmeta_dispatch);

	EXPECT_EQ(-ELOOP, attach(self, self->ifb, disp_fd, 0, 0, 0, &r));
	EXPECT_NE(NULL, strstr(r.msg, "dispatcher"));
	EXPECT_EQ(-EINVAL, attach(self, self->ifb, FD(devprog), 0, 0, 0, &r));
	EXPECT_NE(NULL, strstr(r.msg, "devmap"));
	EXPECT_EQ(-EBADF, attach(self, self->ifb, 9999, 0, 0, 0, &r));
	EXPECT_EQ(-EOPNOTSUPP, attach(self, if_nametoindex("lo"), FD(p0), 0, 0, 0, &r));
	EXPECT_NE(NULL, strstr(r.msg, "not hooked"));
	EXPECT_EQ(-ENOENT, attach(self, if_nametoindex("xca"), FD(p0), 0, 0, 0, &r));
	EXPECT_NE(NULL, strstr(r.msg, "dispatcher"));
	EXPECT_EQ(-ENODEV, attach(self, 99999, FD(p0), 0, 0, 0, &r));
	EXPECT_EQ(-ERANGE, attach(self, self->ifb, FD(p0),
				  XDPMETA_CHAIN_BEFORE | XDPMETA_CHAIN_AFTER, 0, 0, &r));
	EXPECT_EQ(-EINVAL, attach(self, self->ifb, FD(p0), 1U << 7, 0, 0, &r));
	memset(&r, 0, sizeof(r));
	r.op = XDPMETA_CHAIN_OP_ATTACH;
	r.ifindex = self->ifb;
	r.prog_fd = FD(p0);
	r.flags = XDPMETA_CHAIN_MB;
	r.mb = 9;
	EXPECT_EQ(-EINVAL, ctl_run(self, &r));
	EXPECT_NE(NULL, strstr(r.msg, "policy"));
	memset(&r, 0, sizeof(r));
	r.op = 77;
	EXPECT_EQ(-EINVAL, ctl_run(self, &r));
	memset(&r, 0, sizeof(r));
	r.size = 8;
	r.op = XDPMETA_CHAIN_OP_QUERY;
	EXPECT_EQ(-EINVAL, ctl_run(self, &r));
	/* nothing got in */
	EXPECT_EQ(0, query(self, self->ifb, &r));
	/* the same program is accepted once, then -EEXIST */
	EXPECT_EQ(0, attach(self, self->ifb, FD(p0), 0, 0, 0, NULL));
	EXPECT_EQ(-EEXIST, attach(self, self->ifb, FD(p0), 0, 0, 0, &r));
}

/*
 * 64 programs, each run once per packet; the 65th is refused. Program i
 * adds 1 to slot i of an array map (raw instructions: 64 distinct ids).
 */
TEST_F(chain, sixty_four_programs)
{
	struct xdpmeta_chain_req q;
	__u64 cnt[65] = {};
	int fds[65], i, mfd, ran = 0;
	__u32 k = 0;

	mfd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "xc_cnt", 4, sizeof(cnt), 1, NULL);
	ASSERT_LE(0, mfd);
	for (i = 0; i < 65; i++) {
		struct bpf_insn insns[] = {
			/* r1 = &value[i] */
			{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = BPF_REG_1,
			  .src_reg = BPF_PSEUDO_MAP_VALUE, .imm = mfd },
			{ .imm = i * 8 },
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_2, .imm = 1 },
			{ .code = BPF_STX | BPF_DW | BPF_ATOMIC, .dst_reg = BPF_REG_1,
			  .src_reg = BPF_REG_2, .imm = BPF_ADD },
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS },
			{ .code = BPF_JMP | BPF_EXIT },
		};

		fds[i] = bpf_prog_load(BPF_PROG_TYPE_XDP, NULL, "GPL", insns, 6, NULL);
		ASSERT_LE(0, fds[i]) TH_LOG("load %d: %s", i, strerror(errno));
	}
	for (i = 0; i < 64; i++)
		ASSERT_EQ(i, attach(self, self->ifb, fds[i], 0, 0, 0, NULL));
	EXPECT_EQ(-ERANGE, attach(self, self->ifb, fds[64], 0, 0, 0, NULL));
	ASSERT_EQ(64, query(self, self->ifb, &q));
	EXPECT_EQ(XDP_PASS, run_disp(self, self->ifb));
	ASSERT_EQ(0, bpf_map_lookup_elem(mfd, &k, cnt));
	for (i = 0; i < 64; i++)
		ran += cnt[i] == 1;
	EXPECT_EQ(64, ran);
	EXPECT_EQ(0, cnt[64]);	/* control: the refused one never ran */
	for (i = 0; i < 65; i++)
		close(fds[i]);
	close(mfd);
}

/* An entry that tail-calls the dispatcher gets XDP_ABORTED, counted. */
TEST_F(chain, recursion_is_aborted)
{
	int disp_fd = bpf_program__fd(self->disp->progs.xdpmeta_dispatch);
	struct xdpmeta_chain_req q;
	__u32 k = 0;

	ASSERT_EQ(0, attach(self, self->ifb, FD(tail), 0, 0, 0, NULL));
	ASSERT_EQ(0, bpf_map_update_elem(bpf_map__fd(self->skel->maps.jmp), &k, &disp_fd, 0));
	EXPECT_EQ(XDP_ABORTED, run_disp(self, self->ifb));
	query(self, self->ifb, &q);
	EXPECT_EQ(1, q.recursions);
	/* control: without the tail call the entry's XDP_PASS stands */
	ASSERT_EQ(0, bpf_map_delete_elem(bpf_map__fd(self->skel->maps.jmp), &k));
	EXPECT_EQ(XDP_PASS, run_disp(self, self->ifb));
	query(self, self->ifb, &q);
	EXPECT_EQ(1, q.recursions);
}

/* Real traffic: the middle entry's redirect wins, later entries never run. */
TEST_F(chain, redirect_from_the_middle)
{
	__u32 k = 0, cidx;
	char mac[32];

	ASSERT_EQ(0, xm_sh("set -e; ip netns add xc1; ip link set xca netns xc1;"
			   "ip -n xc1 addr add 10.81.0.1/24 dev xca; ip -n xc1 link set xca up;"
			   "ip link add xcc type veth peer name xcd; ip link set xcc up; ip link set xcd up"));
	xm_sh_line(mac, sizeof(mac), "cat /sys/class/net/" DEV_B "/address");
	ASSERT_EQ(0, xm_sh("ip -n xc1 neigh replace 10.81.0.2 lladdr %s dev xca", mac));
	cidx = if_nametoindex("xcc");
	ASSERT_EQ(0, bpf_map_update_elem(bpf_map__fd(self->skel->maps.tx), &k, &cidx, 0));
	ASSERT_EQ(0, bpf_xdp_attach(if_nametoindex("xcd"), FD(sink), XDP_FLAGS_DRV_MODE, NULL));
	ASSERT_EQ(0, attach(self, self->ifb, FD(p0), 0, 0, 0, NULL));
	ASSERT_EQ(1, attach(self, self->ifb, FD(redir), 0, 0, 0, NULL));
	ASSERT_EQ(2, attach(self, self->ifb, FD(p1), 0, 0, 0, NULL));
	xm_sh("ip netns exec xc1 ping -c 5 -i 0.1 -W 1 10.81.0.2 > /dev/null 2>&1");
	usleep(200000);
	TH_LOG("p0 %llu redir %llu p1 %llu sink %llu", BSS->runs[0], BSS->runs[6],
	       BSS->runs[1], BSS->sink_runs);
	EXPECT_LE(5, BSS->runs[0]);
	EXPECT_EQ(BSS->runs[0], BSS->runs[6]);
	EXPECT_EQ(0, BSS->runs[1]);
	EXPECT_LE(5, BSS->sink_runs);	/* the pings (IPv4 only: ND may come too) */
	/* control: without the redirecting entry, p1 runs and nothing arrives */
	ASSERT_EQ(0, detach(self, ID(redir), 0, 0));
	BSS->sink_runs = 0;
	xm_sh("ip netns exec xc1 ping -c 3 -i 0.1 -W 1 10.81.0.2 > /dev/null 2>&1");
	usleep(200000);
	EXPECT_LE(3, BSS->runs[1]);
	EXPECT_EQ(0, BSS->sink_runs);
	bpf_xdp_detach(if_nametoindex("xcd"), XDP_FLAGS_DRV_MODE, NULL);
}

/*
 * Multi-buffer frames redirected into a veth whose peer's chain has a
 * plain entry: the redirect shim copies them into a fresh page for it, as
 * for a plain program attached alone (their own buffer is full: an
 * in-place pull would fail and drop them).
 */
TEST_F(chain, redirect_into_a_chain_with_a_plain_entry)
{
	int disp_fd = bpf_program__fd(self->disp->progs.xdpmeta_dispatch), xcd;
	struct xdpmeta_chain_req q;
	__u32 k = 0, cidx;

	ASSERT_EQ(0, xm_sh("set -e; ip netns add xc1; ip link set xca netns xc1;"
			   "ip -n xc1 link set xca mtu 9000; ip link set " DEV_B " mtu 9000;"
			   "ip -n xc1 addr add 10.84.0.1/24 dev xca; ip -n xc1 link set xca up;"
			   "ip link add xcc mtu 9000 type veth peer name xcd mtu 9000;"
			   "ip link set xcc up; ip link set xcd up"));
	ASSERT_EQ(0, xm_sh("ip -n xc1 neigh replace 10.84.0.2 lladdr $(cat /sys/class/net/"
			   DEV_B "/address) dev xca"));
	cidx = if_nametoindex("xcc");
	xcd = if_nametoindex("xcd");
	ASSERT_EQ(0, bpf_map_update_elem(bpf_map__fd(self->skel->maps.tx), &k, &cidx, 0));
	ASSERT_EQ(0, attach(self, self->ifb, FD(redir), 0, 0, 0, NULL));
	ASSERT_EQ(0, bpf_xdp_attach(xcd, disp_fd, XDP_FLAGS_DRV_MODE, NULL));
	ASSERT_EQ(0, attach(self, xcd, FD(p2), 0, 0, 0, NULL));
	if (xm_kernel_version() < 603) {
		/* 6.1 redirects no multi-buffer frame into a device: assert that */
		xm_sh("ip netns exec xc1 ping -c 3 -i 0.1 -W 1 -s 1000 10.84.0.2 > /dev/null 2>&1");
		usleep(200000);
		EXPECT_LE(3, BSS->runs[2]) TH_LOG("control: linear frames reach the entry");
		xm_sh("ip netns exec xc1 ping -c 3 -i 0.1 -W 1 -s 3480 10.84.0.2 > /dev/null 2>&1");
		usleep(200000);
		EXPECT_EQ(0, BSS->big[2]) TH_LOG("a multi-buffer frame was redirected");
		bpf_xdp_detach(xcd, XDP_FLAGS_DRV_MODE, NULL);
		return;
	}
	xm_sh("ip netns exec xc1 ping -c 5 -i 0.1 -W 1 -s 3480 10.84.0.2 > /dev/null 2>&1");
	usleep(200000);
	ASSERT_EQ(1, query(self, xcd, &q));
	TH_LOG("redir %llu; p2 runs %llu partial %llu big %llu; pulled %llu dropped %llu",
	       BSS->runs[6], BSS->runs[2], BSS->partial[2], BSS->big[2],
	       q.e[0].mb_pulled, q.e[0].mb_dropped);
	EXPECT_LE(5, BSS->runs[6]);
	EXPECT_LE(5, BSS->big[2]);		/* the whole frames reached it */
	EXPECT_EQ(0, BSS->partial[2]);
	EXPECT_EQ(0, q.e[0].mb_dropped);
	bpf_xdp_detach(xcd, XDP_FLAGS_DRV_MODE, NULL);
}

/* the mixed chain's frames: f4 (frags) sees them whole, p0 (plain) never partial */
static void mixed_chain(struct __test_metadata *_metadata, FIXTURE_DATA(chain) *self,
			int ifindex, const char *ping_ns, const char *dst)
{
	struct xdpmeta_chain_req q, r = {
		.op = XDPMETA_CHAIN_OP_ATTACH, .ifindex = ifindex,
		.flags = XDPMETA_CHAIN_MB, .mb = XDPMETA_CHAIN_MB_PASS,
	};

	ASSERT_EQ(0, attach(self, ifindex, FD(f4), 0, 0, 0, NULL));
	ASSERT_EQ(1, attach(self, ifindex, FD(p0), 0, 0, 0, NULL));
	ASSERT_EQ(2, attach(self, ifindex, FD(f5), 0, 0, 0, NULL));
	/* 3522-byte frames: multi-buffer, and they fit their buffer once pulled */
	EXPECT_EQ(0, xm_sh("ip netns exec %s ping -c 5 -i 0.1 -W 3 -s 3480 %s > /dev/null",
			   ping_ns, dst));
	ASSERT_EQ(3, query(self, ifindex, &q));
	TH_LOG("f4 runs %llu partial %llu; p0 runs %llu partial %llu big %llu; pulled %llu dropped %llu",
	       BSS->runs[4], BSS->partial[4], BSS->runs[0], BSS->partial[0], BSS->big[0],
	       q.e[1].mb_pulled, q.e[1].mb_dropped);
	EXPECT_LE(5, BSS->partial[4]);		/* frags-aware: not downgraded */
	EXPECT_EQ(0, BSS->partial[0]);		/* plain: never a partial frame */
	EXPECT_LE(5, BSS->big[0]);		/* ... but the whole of the big ones */
	EXPECT_LE(5, q.e[1].mb_pulled);
	EXPECT_EQ(0, q.e[1].mb_dropped);
	EXPECT_EQ(0, BSS->partial[5]);		/* after the pull: linear */
	/* 8042-byte frames cannot be linear in their buffer: dropped, counted */
	EXPECT_NE(0, xm_sh("ip netns exec %s ping -c 3 -i 0.1 -W 1 -s 8000 %s > /dev/null",
			   ping_ns, dst));
	query(self, ifindex, &q);
	EXPECT_LE(3, q.e[1].mb_dropped);
	/* policy pass instead: the chain passes them on without p0 */
	ASSERT_EQ(0, detach_on(self, ifindex, ID(p0), 0, 0));
	r.prog_fd = FD(p0);
	r.flags |= XDPMETA_CHAIN_AFTER;
	r.rel_id = ID(f4);
	ASSERT_EQ(1, ctl_run(self, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, xm_sh("ip netns exec %s ping -c 3 -i 0.1 -W 3 -s 8000 %s > /dev/null",
			   ping_ns, dst));
	query(self, ifindex, &q);
	EXPECT_LE(3, q.e[1].mb_passed);
	EXPECT_EQ(0, BSS->partial[0]);
}

TEST_F(chain, mixed_frags_and_plain_veth_mtu9000)
{
	ASSERT_EQ(0, xm_sh("set -e; ip netns add xc1; ip link set xca netns xc1;"
			   "ip -n xc1 link set xca mtu 9000; ip link set " DEV_B " mtu 9000;"
			   "ip -n xc1 addr add 10.82.0.1/24 dev xca; ip addr add 10.82.0.2/24 dev " DEV_B ";"
			   "ip -n xc1 link set xca up"));
	mixed_chain(_metadata, self, self->ifb, "xc1", "10.82.0.2");
	/* control: the plain program alone is refused at this MTU (stock veth) */
	bpf_xdp_detach(self->ifb, XDP_FLAGS_DRV_MODE, NULL);
	EXPECT_GT(0, bpf_xdp_attach(self->ifb, FD(p0), XDP_FLAGS_DRV_MODE, NULL));
}

TEST_F(chain, mixed_frags_and_plain_virtio_mtu9000)
{
	int eth0 = if_nametoindex("eth0");
	int disp_fd = bpf_program__fd(self->disp->progs.xdpmeta_dispatch);

	ASSERT_LT(0, eth0);
	ASSERT_EQ(0, xm_sh("set -e; ip netns add xc1; ip link set eth1 netns xc1;"
			   "ip link set eth0 mtu 9000; ip -n xc1 link set eth1 mtu 9000;"
			   "ip addr add 10.83.0.1/24 dev eth0; ip -n xc1 addr add 10.83.0.2/24 dev eth1;"
			   "ip link set eth0 up; ip -n xc1 link set eth1 up"));
	if (xm_kernel_version() < 603) {
		/* 6.1's virtio_net has no multi-buffer XDP: the dispatcher is refused */
		EXPECT_EQ(-EINVAL, bpf_xdp_attach(eth0, disp_fd, XDP_FLAGS_DRV_MODE, NULL));
	} else {
		ASSERT_EQ(0, bpf_xdp_attach(eth0, disp_fd, XDP_FLAGS_DRV_MODE, NULL));
		mixed_chain(_metadata, self, eth0, "xc1", "10.83.0.1");
		bpf_xdp_detach(eth0, XDP_FLAGS_DRV_MODE, NULL);
		/* control: the plain program alone is refused at this MTU */
		EXPECT_GT(0, bpf_xdp_attach(eth0, FD(p0), XDP_FLAGS_DRV_MODE, NULL));
	}
	xm_sh("ip -n xc1 link set eth1 netns 1; ip addr flush dev eth0; ip link set eth0 mtu 1500; true");
}

/* Deleting the device releases the chain; the module stays pinned meanwhile. */
TEST_F(chain, device_removal_and_unload)
{
	EXPECT_EQ(0, attach(self, self->ifb, FD(p0), 0, 0, 0, NULL));
	EXPECT_EQ(1, attach(self, self->ifb, FD(p1), 0, 0, 0, NULL));
	EXPECT_EQ(2, xm_object("chain_entries"));
	EXPECT_EQ(1, xm_object("chains"));
	/* the attached dispatcher holds the module: rmmod is refused, chain intact */
	EXPECT_NE(0, xm_sh("rmmod xdpmeta 2>/dev/null"));
	EXPECT_EQ(XDP_PASS, run_disp(self, self->ifb));
	EXPECT_EQ(2, BSS->seq);
	ASSERT_EQ(0, xm_sh("ip link del xca"));
	for (int i = 0; i < 50 && xm_object("chain_entries"); i++)
		usleep(100000);
	EXPECT_EQ(0, xm_object("chain_entries"));
	EXPECT_EQ(0, xm_object("chains"));
	/* the device moved to another netns keeps its chain */
	ASSERT_EQ(0, xm_sh("ip link add xca type veth peer name " DEV_B
			   " && ip link set " DEV_B " up && ip netns add xc1"));
	self->ifb = if_nametoindex(DEV_B);
	ASSERT_EQ(0, bpf_xdp_attach(self->ifb, bpf_program__fd(self->disp->progs.xdpmeta_dispatch),
				    XDP_FLAGS_DRV_MODE, NULL));
	EXPECT_EQ(0, attach(self, self->ifb, FD(p0), 0, 0, 0, NULL));
	ASSERT_EQ(0, xm_sh("ip link set " DEV_B " netns xc1"));
	EXPECT_EQ(1, xm_object("chain_entries"));
	EXPECT_EQ(0, xm_sh("ip netns exec xc1 /xdpmeta/bin/xdpmeta prog list " DEV_B
			   " | grep -q p0"));
	ASSERT_EQ(0, xm_sh("ip netns del xc1"));	/* the veth pair goes with it */
}

/* the id of a chain's first entry, from the CLI's JSON ("id" keys: entries only) */
#define FIRST_ID "%s --json prog list " DEV_B " | tr -d ' \\n' | grep -o '\"id\":[0-9]*' | " \
		 "head -1 | cut -d: -f2"

/* The CLI end to end: installs the dispatcher, orders, lists, refuses, removes it. */
TEST_F(chain, cli_attach_list_detach)
{
	const char *x = "/xdpmeta/bin/xdpmeta", *o = "/xdpmeta/bpf/chain.bpf.o";
	char out[1024];
	int id0, id1;

	ASSERT_EQ(0, bpf_xdp_detach(self->ifb, XDP_FLAGS_DRV_MODE, NULL));
	xm_sh_line(out, sizeof(out), "%s prog attach " DEV_B " %s --sec p0 2>&1", x, o);
	EXPECT_NE(NULL, strstr(out, "attached p0 (id ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "at position 0")) TH_LOG("%s", out);
	id0 = xm_sh_num(FIRST_ID, x);
	EXPECT_LT(0, id0);
	/* the device runs the dispatcher, as ip link and bpftool show it */
	EXPECT_EQ(0, xm_sh("ip link show " DEV_B " | grep -q 'prog/xdp id'"));
	{
		struct xdpmeta_chain_req q;

		query(self, self->ifb, &q);
		EXPECT_EQ(0, xm_sh("bpftool net show dev " DEV_B " | grep -q 'driver id %u'",
				   q.dispatcher_id));
		EXPECT_EQ(0, xm_sh("bpftool prog show id %u | grep -q xdpmeta_dispat",
				   q.dispatcher_id));
	}
	EXPECT_EQ(0, xm_sh("%s prog attach " DEV_B " %s --sec f4 --first --continue pass,drop "
			   "--mb skip > /dev/null", x, o));
	xm_sh_line(out, sizeof(out), "echo $(%s prog list " DEV_B ")", x);
	EXPECT_NE(NULL, strstr(out, "2 programs")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "first")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "skip")) TH_LOG("%s", out);
	/* a stale revision: the CLI's error line, non-zero exit, nothing changed */
	xm_sh_line(out, sizeof(out), "o=$(%s prog attach " DEV_B " %s --sec p1 --expected-revision 1 "
		   "2>&1); r=$?; echo $o rc=$r", x, o);
	EXPECT_EQ((char *)out, strstr(out, "Couldn't attach ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "Stale file handle")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "rc=1")) TH_LOG("%s", out);
	EXPECT_EQ(0, xm_sh("%s prog list " DEV_B " | grep -q '2 programs'", x));
	/* a plain ip link attach is refused with the words that say what to do */
	xm_sh_line(out, sizeof(out), "o=$(/usr/local/sbin/ip -force link set dev " DEV_B
		   " xdpdrv obj %s sec xdp 2>&1); r=$?; echo $o rc=$r", o);
	EXPECT_EQ(NULL, strstr(out, "rc=0")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "xdpmeta prog attach")) TH_LOG("%s", out);
	/* detach: the first entry, then the last one removes the dispatcher */
	id1 = xm_sh_num(FIRST_ID, x);
	EXPECT_NE(id0, id1);
	EXPECT_EQ(0, xm_sh("%s prog detach " DEV_B " %d > /dev/null", x, id1));
	xm_sh_line(out, sizeof(out), "o=$(%s prog detach " DEV_B " %d 2>&1); r=$?; echo $o rc=$r",
		   x, id1);
	EXPECT_NE(NULL, strstr(out, "rc=1")) TH_LOG("%s", out);
	EXPECT_EQ((char *)out, strstr(out, "Couldn't detach ")) TH_LOG("%s", out);
	xm_sh_line(out, sizeof(out), "%s prog detach " DEV_B " %d 2>&1", x, id0);
	EXPECT_NE(NULL, strstr(out, "dispatcher removed")) TH_LOG("%s", out);
	EXPECT_NE(0, xm_sh("ip link show " DEV_B " | grep -q 'prog/xdp'"));
}

/* libxdp (xdp-loader, its own dispatcher) cannot take over a chained device */
TEST_F(chain, libxdp_attach_refused_while_chained)
{
	const char *l = "/usr/local/sbin/xdp-loader", *o = "/xdpmeta/bpf/chain.bpf.o";
	const char *d = "/usr/lib/x86_64-linux-gnu/bpf/xdp-dispatcher.o";
	struct xdpmeta_chain_req q;
	char out[1024];

	if (access(l, X_OK))
		SKIP(return, "no xdp-loader in the VM (xdp-tools not installed on the host)");
	/* control: on a device without a chain libxdp attaches its dispatcher */
	ASSERT_EQ(0, xm_sh("%s load -m native -n p0 xca %s > /tmp/xl.out 2>&1 || "
			   "{ cat /tmp/xl.out; false; }", l, o));
	EXPECT_EQ(0, xm_sh("ip link show xca | grep -q 'prog/xdp id'"));
	EXPECT_EQ(0, xm_sh("%s unload --all xca > /dev/null 2>&1", l));
	/*
	 * libxdp's own dispatcher, attached by another loader (ip), as a
	 * loader that does not ask libxdp would: the control on xca takes it
	 */
	ASSERT_EQ(0, xm_sh("ip link set dev xca xdpdrv obj %s sec xdp > /dev/null 2>&1", d));
	EXPECT_EQ(0, xm_sh("ip link set dev xca xdpdrv off"));
	/*
	 * With a chain that has an entry: xdp-loader refuses (libxdp sees a
	 * program that is not its dispatcher), the module refuses libxdp's
	 * dispatcher attached as a plain program, and the chain is untouched.
	 */
	ASSERT_EQ(0, attach(self, self->ifb, FD(p1), 0, 0, 0, NULL));
	EXPECT_NE(0, xm_sh("%s load -m native -n p0 " DEV_B " %s > /tmp/xl.out 2>&1", l, o));
	xm_sh("cat /tmp/xl.out");
	xm_sh_line(out, sizeof(out), "o=$(/usr/local/sbin/ip -force link set dev " DEV_B
		   " xdpdrv obj %s sec xdp 2>&1); r=$?; echo $o rc=$r", d);
	EXPECT_NE(NULL, strstr(out, "xdpmeta prog attach")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "rc=0")) TH_LOG("%s", out);
	ASSERT_EQ(1, query(self, self->ifb, &q));
	EXPECT_EQ(self->disp_id, q.dispatcher_id);
	EXPECT_EQ(XDP_PASS, run_disp(self, self->ifb));
	EXPECT_EQ(1, BSS->seq);
}

/* xdpmeta check predicts both: a plain attach refused, a chain attach's verdict */
TEST_F(chain, check_predicts_chain_attach)
{
	const char *x = "/xdpmeta/bin/xdpmeta", *o = "/xdpmeta/bpf/chain.bpf.o";
	char out[1024];

	/* control: with an empty chain a plain attach would replace the dispatcher */
	EXPECT_EQ(0, xm_sh("%s check %s " DEV_B " --prog p1 > /dev/null", x, o));
	ASSERT_EQ(0, attach(self, self->ifb, FD(p0), 0, 0, 0, NULL));
	xm_sh_line(out, sizeof(out), "o=$(%s check %s " DEV_B " --prog p1 2>&1); r=$?; echo $o rc=$r",
		   x, o);
	EXPECT_NE(NULL, strstr(out, "chain installed")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "rc=3")) TH_LOG("%s", out);
	/* the same attach, as a chain entry, is fine */
	EXPECT_EQ(0, xm_sh("%s check %s " DEV_B " --prog p1 --chain > /dev/null", x, o));
	/* and the refusals the chain would give are predicted */
	EXPECT_EQ(3, xm_sh("%s check %s " DEV_B " --prog devprog --chain > /dev/null", x, o));
	EXPECT_EQ(3, xm_sh("%s check /xdpmeta/bpf/xdpmeta_dispatch.bpf.o " DEV_B
			   " --chain > /dev/null", x));
}

TEST_HARNESS_MAIN

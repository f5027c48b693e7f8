// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_xdpmeta_pull(): multi-buffer frames with a short linear part, built
 * with BPF_PROG_TEST_RUN (xdp_md.data_end in ctx_in = linear length), and
 * received frames on veth (page_pool frags on an rxq registered as
 * MEM_TYPE_PAGE_SHARED: the case the stock adjust_tail release gets wrong)
 * and on virtio_net (mergeable buffers).
 */
#include <net/if.h>
#include <linux/if_link.h>
#include "xm_test.h"
#include "xm_harness.h"
#include "pull.h"
#include "pull.skel.h"

#define PULL_ALL	(1U << 0)
#define PULL_HEADROOM	(1U << 1)

FIXTURE(pull) {
	struct pull *skel;
	char in[9000], out[9000];
	__u32 out_len;
};

FIXTURE_SETUP(pull)
{
	ASSERT_EQ(0, xm_load());
	self->skel = pull__open_and_load();
	ASSERT_NE(NULL, self->skel);
	for (int i = 0; i < (int)sizeof(self->in); i++)
		self->in[i] = (char)(i * 7 + i / 251);
}

FIXTURE_TEARDOWN(pull)
{
	if (self->skel)
		pull__destroy(self->skel);
	xm_unload();
}

/* one run on a frame of @total bytes, @linear of them in the linear part */
static int run(FIXTURE_DATA(pull) *self, int total, int linear, __u32 len, __u32 flags)
{
	struct xdp_md ctx = { .data = 0, .data_end = linear };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = self->in, .data_size_in = total,
		    .data_out = self->out, .data_size_out = sizeof(self->out),
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = 1);

	self->skel->bss->cfg.len = len;
	self->skel->bss->cfg.flags = flags;
	memset(&self->skel->bss->res, 0, sizeof(self->skel->bss->res));
	if (bpf_prog_test_run_opts(bpf_program__fd(self->skel->progs.pull_run), &o))
		return -errno;
	self->out_len = o.data_size_out;
	return o.retval;
}

#define RES (self->skel->bss->res)
#define SAME_BYTES(total) \
	do { \
		EXPECT_EQ((__u32)(total), self->out_len); \
		EXPECT_EQ(0, memcmp(self->in, self->out, (total))) TH_LOG("frame bytes changed"); \
	} while (0)

TEST_F(pull, partial_pull_keeps_bytes)
{
	ASSERT_EQ(2, run(self, 5000, 200, 1000, 0));
	EXPECT_EQ(200, RES.linear_before);
	EXPECT_EQ(5000, RES.total_before);
	EXPECT_EQ(1000, RES.ret);
	EXPECT_EQ(1000, RES.linear_after);
	EXPECT_EQ(5000, RES.total_after);
	SAME_BYTES(5000);
}

TEST_F(pull, pull_all_makes_single_buffer)
{
	/* 200 linear + one 2800-byte frag: the frag is used up and released */
	ASSERT_EQ(2, run(self, 3000, 200, 0, PULL_ALL));
	EXPECT_EQ(3000, RES.ret);
	EXPECT_EQ(3000, RES.linear_after);
	EXPECT_EQ(3000, RES.total_after);
	SAME_BYTES(3000);
	/* two frags, both released */
	ASSERT_EQ(2, run(self, 3400, 100, 3400, 0));
	EXPECT_EQ(3400, RES.linear_after);
	SAME_BYTES(3400);
}

TEST_F(pull, too_big_is_enospc_and_untouched)
{
	/* 4800 bytes to pull, 3320 of tailroom, 216 of headroom */
	ASSERT_EQ(2, run(self, 5000, 200, 0, PULL_ALL | PULL_HEADROOM));
	EXPECT_EQ(-ENOSPC, RES.ret);
	EXPECT_EQ(200, RES.linear_after);
	EXPECT_EQ(5000, RES.total_after);
	SAME_BYTES(5000);
	/* beyond the tailroom without PULL_HEADROOM */
	ASSERT_EQ(2, run(self, 5000, 200, 3600, 0));
	EXPECT_EQ(-ENOSPC, RES.ret);
	EXPECT_EQ(200, RES.linear_after);
	SAME_BYTES(5000);
}

TEST_F(pull, headroom_keeps_store_and_meta)
{
	struct xdpmeta_ctl *ctl = xm_ctl_open();
	int key;

	ASSERT_NE(NULL, ctl);
	key = xm_key_add(ctl, "pull_v", 16);
	ASSERT_GE(key, 0);
	self->skel->bss->cfg.key = key;
	self->skel->bss->cfg.set_store = 1;
	self->skel->bss->cfg.set_meta = 1;
	/* 3400 to pull, 3320 of tailroom: 80 bytes come from the headroom */
	ASSERT_EQ(2, run(self, 5000, 200, 3600, PULL_HEADROOM));
	EXPECT_EQ(0, RES.set_ret);
	EXPECT_EQ(3600, RES.ret);
	EXPECT_EQ(3600, RES.linear_after);
	EXPECT_EQ(16, RES.get_ret);
	EXPECT_EQ(1, RES.store_ok) TH_LOG("metadata store damaged by the pull");
	EXPECT_EQ(1, RES.meta_ok) TH_LOG("data_meta damaged by the pull");
	SAME_BYTES(5000);
	/* the headroom minus the store is not enough for 1000 more */
	ASSERT_EQ(2, run(self, 5000, 200, 4400, PULL_HEADROOM));
	EXPECT_EQ(-ENOSPC, RES.ret);
	EXPECT_EQ(1, RES.store_ok);
	SAME_BYTES(5000);
	/*
	 * The edge: the store takes bytes 40..72 of the headroom, data_meta
	 * starts at 240 (8 bytes of metadata + the seal), so a shift of 168
	 * is the most: 3320 of tailroom + 168 fits, one byte more does not.
	 */
	ASSERT_EQ(2, run(self, 5000, 200, 200 + 3320 + 168, PULL_HEADROOM));
	EXPECT_EQ(200 + 3320 + 168, RES.ret);
	EXPECT_EQ(16, RES.get_ret);
	EXPECT_EQ(1, RES.store_ok);
	EXPECT_EQ(1, RES.meta_ok);
	SAME_BYTES(5000);
	ASSERT_EQ(2, run(self, 5000, 200, 200 + 3320 + 169, PULL_HEADROOM));
	EXPECT_EQ(-ENOSPC, RES.ret);
	EXPECT_EQ(1, RES.store_ok);
	SAME_BYTES(5000);
	/* control: without a store the same pull has room (the store's 32 + seal's 8) */
	self->skel->bss->cfg.set_store = 0;
	ASSERT_EQ(2, run(self, 5000, 200, 200 + 3320 + 169, PULL_HEADROOM));
	EXPECT_EQ(200 + 3320 + 169, RES.ret);
	EXPECT_EQ(1, RES.meta_ok);
	SAME_BYTES(5000);
	xdpmeta_ctl__destroy(ctl);
}

TEST_F(pull, single_buffer_untouched_and_bad_args)
{
	ASSERT_EQ(2, run(self, 1000, 1000, 500, 0));
	EXPECT_EQ(1000, RES.ret);
	SAME_BYTES(1000);
	ASSERT_EQ(2, run(self, 1000, 1000, 0, PULL_ALL));
	EXPECT_EQ(1000, RES.ret);
	ASSERT_EQ(2, run(self, 1000, 1000, 1001, 0));
	EXPECT_EQ(-EINVAL, RES.ret);
	ASSERT_EQ(2, run(self, 5000, 200, 5001, 0));
	EXPECT_EQ(-EINVAL, RES.ret);
	EXPECT_EQ(200, RES.linear_after);
	ASSERT_EQ(2, run(self, 5000, 200, 100, 4));
	EXPECT_EQ(-EINVAL, RES.ret);
	SAME_BYTES(5000);
}

/* Received on veth's skb path (page_pool frags), pulled whole, passed up. */
TEST_F(pull, veth_rx_pull_then_pass)
{
	ASSERT_EQ(0, xm_sh("set -e; ip netns add xr1; ip link add xra type veth peer name xrb;"
			   "ip link set xra netns xr1; ip -n xr1 link set xra mtu 9000;"
			   "ip link set xrb mtu 9000; ip -n xr1 addr add 10.78.0.1/24 dev xra;"
			   "ip addr add 10.78.0.2/24 dev xrb; ip -n xr1 link set xra up; ip link set xrb up"));
	ASSERT_EQ(0, bpf_xdp_attach(if_nametoindex("xrb"),
				    bpf_program__fd(self->skel->progs.pull_rx),
				    XDP_FLAGS_DRV_MODE, NULL));
	/* every echo request must come back: the skb built after the pull is whole */
	EXPECT_EQ(0, xm_sh("ip netns exec xr1 ping -c 10 -i 0.05 -W 2 -s 3480 10.78.0.2 > /dev/null"));
	TH_LOG("frames %llu multi %llu whole %llu enospc %llu other %lld",
	       self->skel->bss->rxs.frames, self->skel->bss->rxs.multi,
	       self->skel->bss->rxs.whole, self->skel->bss->rxs.enospc,
	       self->skel->bss->rxs.last_other);
	EXPECT_EQ(10, self->skel->bss->rxs.frames);
	EXPECT_EQ(10, self->skel->bss->rxs.multi);
	EXPECT_EQ(10, self->skel->bss->rxs.whole);
	bpf_xdp_detach(if_nametoindex("xrb"), 0, NULL);
	xm_sh("ip netns del xr1; true");
}

/*
 * Frames redirected into a veth (their buffer is the sender's page_pool
 * page) pulled by the receiving program, then the devices deleted: the
 * released frags go back to the sender's pool exactly once.
 */
TEST_F(pull, veth_redirected_frames_pull_then_teardown)
{
	__u32 k = 0, out;

	ASSERT_EQ(0, xm_sh("set -e; ip netns add xr1; ip link add xra type veth peer name xrb;"
			   "ip link set xra netns xr1; ip -n xr1 link set xra mtu 9000;"
			   "ip link set xrb mtu 9000; ip -n xr1 addr add 10.77.0.1/24 dev xra;"
			   "ip -n xr1 link set xra up; ip link set xrb up;"
			   "ip link add xrc mtu 9000 type veth peer name xrd mtu 9000;"
			   "ip link set xrc up; ip link set xrd up;"
			   "ip -n xr1 neigh replace 10.77.0.2 lladdr $(cat /sys/class/net/xrb/address) dev xra"));
	out = if_nametoindex("xrc");
	ASSERT_EQ(0, bpf_map_update_elem(bpf_map__fd(self->skel->maps.fwd), &k, &out, 0));
	ASSERT_EQ(0, bpf_xdp_attach(if_nametoindex("xrb"), bpf_program__fd(self->skel->progs.pull_fwd),
				    XDP_FLAGS_DRV_MODE, NULL));
	ASSERT_EQ(0, bpf_xdp_attach(if_nametoindex("xrd"), bpf_program__fd(self->skel->progs.pull_rx),
				    XDP_FLAGS_DRV_MODE, NULL));
	if (xm_kernel_version() < 603) {
		/* 6.1 redirects no multi-buffer frame into a device: assert that */
		xm_sh("ip netns exec xr1 ping -c 3 -i 0.05 -W 1 -s 1000 10.77.0.2 > /dev/null 2>&1");
		usleep(200000);
		EXPECT_LE(3, self->skel->bss->rxs.frames) TH_LOG("control: linear frames arrive");
		EXPECT_EQ(0, self->skel->bss->rxs.multi);
		xm_sh("ip netns exec xr1 ping -c 3 -i 0.05 -W 1 -s 3480 10.77.0.2 > /dev/null 2>&1");
		usleep(200000);
		EXPECT_EQ(0, self->skel->bss->rxs.multi) TH_LOG("a multi-buffer frame was redirected");
		xm_sh("ip netns del xr1; ip link del xrc; true");
		return;
	}
	xm_sh("ip netns exec xr1 ping -c 10 -i 0.05 -W 1 -s 3480 10.77.0.2 > /dev/null 2>&1");
	usleep(200000);
	TH_LOG("frames %llu multi %llu whole %llu enospc %llu other %lld",
	       self->skel->bss->rxs.frames, self->skel->bss->rxs.multi,
	       self->skel->bss->rxs.whole, self->skel->bss->rxs.enospc,
	       self->skel->bss->rxs.last_other);
	EXPECT_LE(10, self->skel->bss->rxs.frames);
	EXPECT_EQ(self->skel->bss->rxs.multi, self->skel->bss->rxs.whole);
	/* the teardown is the test: each pool must get every page back once */
	bpf_xdp_detach(if_nametoindex("xrd"), 0, NULL);
	bpf_xdp_detach(if_nametoindex("xrb"), 0, NULL);
	EXPECT_EQ(0, xm_sh("ip netns del xr1; ip link del xrc; sleep 1"));
}

/* virtio_net mergeable buffers (3508 linear + 14): pulled whole, passed up. */
TEST_F(pull, virtio_rx_pull_then_pass)
{
	__u64 n;

	ASSERT_EQ(0, xm_sh("set -e; ip netns add xr1; ip link set eth1 netns xr1;"
			   "ip link set eth0 mtu 9000; ip -n xr1 link set eth1 mtu 9000;"
			   "ip addr add 10.79.0.1/24 dev eth0; ip -n xr1 addr add 10.79.0.2/24 dev eth1;"
			   "ip link set eth0 up; ip -n xr1 link set eth1 up"));
	if (xm_kernel_version() < 603) {
		/* 6.1's virtio_net has no multi-buffer XDP: no program above its MTU limit */
		xm_sh("dmesg -c > /dev/null");
		EXPECT_EQ(-EINVAL, bpf_xdp_attach(if_nametoindex("eth0"),
						  bpf_program__fd(self->skel->progs.pull_rx),
						  XDP_FLAGS_DRV_MODE, NULL));
		EXPECT_EQ(0, xm_sh("dmesg | grep -q 'XDP requires MTU less than'"))
			TH_LOG("no word from virtio_net about its MTU limit");
		xm_sh("ip addr flush dev eth0; ip link set eth0 mtu 1500; ip netns del xr1; true");
		return;
	}
	ASSERT_EQ(0, bpf_xdp_attach(if_nametoindex("eth0"),
				    bpf_program__fd(self->skel->progs.pull_rx),
				    XDP_FLAGS_DRV_MODE, NULL));
	EXPECT_EQ(0, xm_sh("ip netns exec xr1 ping -c 10 -i 0.05 -W 3 -s 3480 10.79.0.1 > /dev/null"));
	n = self->skel->bss->rxs.frames;
	TH_LOG("frames %llu multi %llu whole %llu enospc %llu other %lld", n,
	       self->skel->bss->rxs.multi, self->skel->bss->rxs.whole,
	       self->skel->bss->rxs.enospc, self->skel->bss->rxs.last_other);
	EXPECT_EQ(10, n);
	EXPECT_EQ(n, self->skel->bss->rxs.multi);
	EXPECT_EQ(n, self->skel->bss->rxs.whole);
	EXPECT_EQ(0, self->skel->bss->rxs.last_other);
	bpf_xdp_detach(if_nametoindex("eth0"), 0, NULL);
	xm_sh("ip addr flush dev eth0; ip link set eth0 mtu 1500; ip netns del xr1; true");
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * Multi-buffer compatibility: a frags-aware program on veth xrb (MTU 9000)
 * redirects 3522-byte frames (3520 linear + 2 in a frag) through a devmap
 * into veth xrc, whose peer xrd (MTU 3506) runs a plain program. Stock
 * kernels hand that program a partial packet; xdpmeta's compat shim
 * linearizes (keeping the metadata store), drops, or passes per policy;
 * strict mode refuses plain programs at attach.
 */
#include <net/if.h>
#include <linux/if_link.h>
#include "xm_test.h"
#include "xm_harness.h"
#include "mb_redirect.h"
#include "mb_redirect.skel.h"
#include "store_redirect.h"
#include "store_redirect.skel.h"

#define NPKT 10
#define PARAMS "/sys/module/xdpmeta/parameters/"
#define DEVICES "/sys/kernel/debug/xdpmeta/devices"

FIXTURE(mb) {
	struct mb_redirect *skel;
	int xrb, xrc, xrd;
};

static int attach_in(const char *ns, int ifindex, int fd)
{
	int saved, err;

	if (xm_in_netns(ns, &saved))
		return -1;
	err = bpf_xdp_attach(ifindex, fd, XDP_FLAGS_DRV_MODE, NULL);
	xm_back_netns(saved);
	return err;
}

FIXTURE_SETUP(mb)
{
	int saved;
	__u32 zero = 0;

	ASSERT_EQ(0, xm_load());
	ASSERT_EQ(0, xm_redirect_topology(9000, 3506));
	self->xrb = if_nametoindex("xrb");
	self->xrc = if_nametoindex("xrc");
	ASSERT_EQ(0, xm_in_netns("xr2", &saved));
	self->xrd = if_nametoindex("xrd");
	xm_back_netns(saved);
	ASSERT_GT(self->xrd, 0);
	self->skel = mb_redirect__open_and_load();
	ASSERT_NE(NULL, self->skel);
	ASSERT_EQ(0, bpf_map_update_elem(bpf_map__fd(self->skel->maps.mb_tx), &zero,
					 &self->xrc, 0));
}

FIXTURE_TEARDOWN(mb)
{
	int saved;

	bpf_xdp_detach(self->xrb, 0, NULL);
	if (!xm_in_netns("xr2", &saved)) {
		bpf_xdp_detach(self->xrd, 0, NULL);
		xm_back_netns(saved);
	}
	if (self->skel)
		mb_redirect__destroy(self->skel);
	xm_redirect_topology_del();
	xm_sh("echo compat > " PARAMS "mb_mode; echo linearize > " PARAMS "mb_policy");
	xm_unload();
}

static int attach_both(FIXTURE_DATA(mb) *self)
{
	if (bpf_xdp_attach(self->xrb, bpf_program__fd(self->skel->progs.mb_redir),
			   XDP_FLAGS_DRV_MODE, NULL))
		return -1;
	return attach_in("xr2", self->xrd, bpf_program__fd(self->skel->progs.mb_plain_rx));
}

/* 3522-byte frames: 14 + 20 + 8 + 3480 */
static void send_big(int n, int payload)
{
	xm_sh("ip netns exec xr1 ping -c %d -i 0.05 -W 1 -s %d 10.77.0.2 > /dev/null 2>&1",
	      n, payload);
	usleep(200000);
}

/* a column of debugfs devices for xrc (init netns) */
static long long xrc_field(const char *field)
{
	return xm_dev_counter("xrc", field);
}

static int set_policy(const char *policy)
{
	return xm_sh("echo \"$(stat -L -c %%i /proc/self/ns/net) %d %s\" > "
		     "/sys/kernel/debug/xdpmeta/mb_policy", if_nametoindex("xrc"), policy);
}

#define RX (self->skel->bss->rx)
#define LOG_RX() TH_LOG("frames %llu partial %llu max_linear %llu max_total %llu", \
			RX.frames, RX.partial, RX.max_linear, RX.max_total)

/*
 * 6.1's xdp_do_redirect() refuses multi-buffer frames for every target but
 * a cpumap (-EOPNOTSUPP): none reaches xrc, so there is nothing for the
 * shim to do (the features report: no ndo_xmit_sg). Where that
 * is the kernel's behaviour, assert it: linear frames take the same path,
 * multi-buffer ones do not, nothing was linearized. True: the test ends.
 */
static bool mb_redirect_refused_here(struct __test_metadata *_metadata, FIXTURE_DATA(mb) *self)
{
	if (xm_kernel_version() >= 603)
		return false;
	EXPECT_EQ(0, attach_both(self));
	send_big(NPKT, 1000);
	EXPECT_EQ(NPKT, RX.frames) TH_LOG("the control: linear frames are redirected");
	send_big(NPKT, 3480);
	LOG_RX();
	EXPECT_EQ(NPKT, RX.frames) TH_LOG("a multi-buffer frame was redirected into a veth");
	EXPECT_EQ(0, RX.partial);
	EXPECT_EQ(0, xrc_field("mb_linearized"));
	TH_LOG("this kernel redirects no multi-buffer frame into a device: nothing to linearize");
	return true;
}

TEST_F(mb, pass_policy_shows_stock_partial_packets)
{
	if (mb_redirect_refused_here(_metadata, self))
		return;
	ASSERT_EQ(0, set_policy("pass"));
	ASSERT_EQ(0, attach_both(self));
	EXPECT_EQ(1, xrc_field("peer_plain"));
	send_big(NPKT, 3480);
	LOG_RX();
	EXPECT_EQ(NPKT, RX.frames);
	EXPECT_EQ(NPKT, RX.partial) TH_LOG("the stock kernel delivers partial packets");
	EXPECT_EQ(3522, RX.max_total);
	EXPECT_EQ(NPKT, xrc_field("mb_passed"));
}

TEST_F(mb, linearize_delivers_whole_packets)
{
	if (mb_redirect_refused_here(_metadata, self))
		return;
	ASSERT_EQ(0, attach_both(self));
	EXPECT_EQ(1, xrc_field("peer_plain"));
	send_big(NPKT, 3480);
	LOG_RX();
	EXPECT_EQ(NPKT, RX.frames);
	EXPECT_EQ(0, RX.partial);
	EXPECT_EQ(3522, RX.max_linear);
	EXPECT_EQ(NPKT, xrc_field("mb_linearized"));
	EXPECT_EQ(0, xrc_field("mb_dropped"));
	/* single-buffer frames go through untouched */
	send_big(NPKT, 1000);
	EXPECT_EQ(2 * NPKT, RX.frames);
	EXPECT_EQ(NPKT, xrc_field("mb_linearized"));
}

/*
 * The driver refuses the linearized copies (peer down: -ENXIO): the shim
 * puts the originals back for the caller to free and releases the copies
 * (a double free or a bad page would show under slub_debug).
 */
TEST_F(mb, linearized_copies_not_taken_are_released)
{
	if (mb_redirect_refused_here(_metadata, self))
		return;
	ASSERT_EQ(0, attach_both(self));
	ASSERT_EQ(0, xm_sh("ip -n xr2 link set xrd down"));
	send_big(NPKT, 3480);
	EXPECT_EQ(0, RX.frames);
	EXPECT_EQ(NPKT, xrc_field("mb_linearized"));
	EXPECT_GE(xrc_field("xmit_errors"), NPKT);
	ASSERT_EQ(0, xm_sh("ip -n xr2 link set xrd up"));
	usleep(300000);
	send_big(NPKT, 3480);
	LOG_RX();
	EXPECT_EQ(NPKT, RX.frames);
	EXPECT_EQ(0, RX.partial);
}

TEST_F(mb, drop_policy_counts)
{
	if (mb_redirect_refused_here(_metadata, self))
		return;
	ASSERT_EQ(0, set_policy("drop"));
	ASSERT_EQ(0, attach_both(self));
	send_big(NPKT, 3480);
	LOG_RX();
	EXPECT_EQ(0, RX.frames);
	EXPECT_EQ(NPKT, xrc_field("mb_dropped"));
	EXPECT_GE(xrc_field("xmit_errors"), NPKT);
}

/* One write() of line to <debugfs>/mb_policy: 0 or the errno. */
static int write_policy_line(const char *line)
{
	int fd = open("/sys/kernel/debug/xdpmeta/mb_policy", O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line))
		err = errno;
	close(fd);
	return err;
}

static void xrc_policy(char *out, size_t len)
{
	xm_dev_text("xrc", "mb_policy", out, len);
}

/*
 * A line the module half-understands changes nothing. Before parse.c the
 * module's sscanf("%u %d %15s") took "NS IF pass junk" as pass and a netns
 * inode above 2^32 modulo 2^32: both writes set pass and this failed.
 */
TEST_F(mb, policy_write_it_does_not_wholly_understand_changes_nothing)
{
	unsigned long long ns = xm_sh_num("stat -L -c %%i /proc/self/ns/net");
	char line[128], pol[32];

	ASSERT_GT(ns, 0);
	ASSERT_EQ(0, set_policy("drop"));
	xrc_policy(pol, sizeof(pol));
	ASSERT_STREQ("drop", pol);

	snprintf(line, sizeof(line), "%llu %d pass junk\n", ns, self->xrc);
	EXPECT_EQ(EINVAL, write_policy_line(line)) TH_LOG("'%s' was taken", line);
	snprintf(line, sizeof(line), "%llu %d pass\n", ns + (1ULL << 32), self->xrc);
	EXPECT_EQ(ERANGE, write_policy_line(line)) TH_LOG("'%s' was taken", line);
	snprintf(line, sizeof(line), "%llu -%d pass\n", ns, self->xrc);
	EXPECT_EQ(EINVAL, write_policy_line(line));
	snprintf(line, sizeof(line), "%llu %d pas\n", ns, self->xrc);
	EXPECT_EQ(EINVAL, write_policy_line(line));
	xrc_policy(pol, sizeof(pol));
	EXPECT_STREQ("drop", pol) TH_LOG("a refused write changed the policy");

	/* control: the same line, well formed, is taken */
	snprintf(line, sizeof(line), "%llu %d pass\n", ns, self->xrc);
	EXPECT_EQ(0, write_policy_line(line));
	xrc_policy(pol, sizeof(pol));
	EXPECT_STREQ("pass", pol);
}

TEST_F(mb, mode_off_is_stock)
{
	if (mb_redirect_refused_here(_metadata, self))
		return;
	ASSERT_EQ(0, xm_sh("echo off > " PARAMS "mb_mode"));
	ASSERT_EQ(0, attach_both(self));
	send_big(NPKT, 3480);
	LOG_RX();
	EXPECT_EQ(NPKT, RX.partial);
	EXPECT_EQ(0, xrc_field("mb_linearized"));
}

/*
 * A frags-aware receiver gets the multi-buffer frames as they are: no
 * copy (mb_linearized stays 0) and it sees the frags (partial == frames:
 * its linear part is shorter than the frame). peer_plain follows the
 * receiver's program.
 */
TEST_F(mb, frags_receiver_needs_no_shim)
{
	if (mb_redirect_refused_here(_metadata, self))
		return;
	ASSERT_EQ(0, bpf_xdp_attach(self->xrb, bpf_program__fd(self->skel->progs.mb_redir),
				    XDP_FLAGS_DRV_MODE, NULL));
	ASSERT_EQ(0, attach_in("xr2", self->xrd, bpf_program__fd(self->skel->progs.mb_frags_rx)));
	EXPECT_EQ(0, xrc_field("peer_plain"));
	send_big(NPKT, 3480);
	EXPECT_EQ(NPKT, self->skel->bss->rxf.frames);
	EXPECT_EQ(NPKT, self->skel->bss->rxf.partial);
	EXPECT_EQ(3522, self->skel->bss->rxf.max_total);
	EXPECT_EQ(0, xrc_field("mb_linearized"));
	EXPECT_EQ(0, xrc_field("mb_dropped"));
	ASSERT_EQ(0, attach_in("xr2", self->xrd, bpf_program__fd(self->skel->progs.mb_plain_rx)));
	EXPECT_EQ(1, xrc_field("peer_plain"));
	ASSERT_EQ(0, attach_in("xr2", self->xrd, -1));
	EXPECT_EQ(0, xrc_field("peer_plain"));
}

TEST_F(mb, linearize_keeps_metadata_store)
{
	struct xdpmeta_ctl *ctl = xm_ctl_open();
	struct store_redirect *st;
	int key, saved;
	__u32 zero = 0;

	if (mb_redirect_refused_here(_metadata, self))
		return;

	ASSERT_NE(NULL, ctl);
	key = xm_key_add(ctl, "seq", 8);
	ASSERT_GE(key, 0);
	st = store_redirect__open();
	ASSERT_NE(NULL, st);
	st->rodata->key = key;
	/* a devmap serves either frags-aware programs or plain ones, not both */
	bpf_program__set_autoload(st->progs.xdp_tag_redirect, false);
	ASSERT_EQ(0, store_redirect__load(st));
	ASSERT_EQ(0, bpf_map_update_elem(bpf_map__fd(st->maps.tx_port), &zero, &self->xrc, 0));
	ASSERT_EQ(0, bpf_xdp_attach(self->xrb, bpf_program__fd(st->progs.xdp_tag_redirect_frags),
				    XDP_FLAGS_DRV_MODE, NULL));
	ASSERT_EQ(0, attach_in("xr2", self->xrd, bpf_program__fd(st->progs.xdp_check)));
	send_big(NPKT, 3480);
	TH_LOG("tagged %llu rx %llu match %llu wrong %llu (last %lld)", st->bss->stats.tagged,
	       st->bss->stats.rx, st->bss->stats.match, st->bss->stats.wrong,
	       st->bss->stats.last_wrong);
	EXPECT_EQ(NPKT, st->bss->stats.tagged);
	EXPECT_EQ(NPKT, st->bss->stats.match);
	EXPECT_EQ(0, st->bss->stats.wrong);
	/* the plain receiver saw whole frames (without the shim: partial) */
	EXPECT_EQ(NPKT, st->bss->stats.big);
	EXPECT_EQ(NPKT, st->bss->stats.whole);
	EXPECT_EQ(NPKT, xrc_field("mb_linearized"));
	bpf_xdp_detach(self->xrb, 0, NULL);
	if (!xm_in_netns("xr2", &saved)) {
		bpf_xdp_detach(self->xrd, 0, NULL);
		xm_back_netns(saved);
	}
	store_redirect__destroy(st);
	xdpmeta_ctl__destroy(ctl);
}

TEST_F(mb, strict_refuses_plain_programs)
{
	/* a plain program attached: switching to strict fails and says who */
	ASSERT_EQ(0, attach_both(self));
	xm_sh("dmesg -c > /dev/null");
	EXPECT_NE(0, xm_sh("echo strict > " PARAMS "mb_mode 2> /dev/null"));
	EXPECT_EQ(0, xm_sh("grep -qx compat " PARAMS "mb_mode"));
	EXPECT_EQ(0, xm_sh("dmesg | grep -q 'strict blocked by prog [0-9]* mb_plain_rx on xrd'"));
	EXPECT_EQ(0, xm_sh("grep -qx 'strict_blockers 1' /sys/kernel/debug/xdpmeta/mb"));
	ASSERT_EQ(0, attach_in("xr2", self->xrd, -1));
	ASSERT_EQ(0, xm_sh("echo strict > " PARAMS "mb_mode"));
	/* plain programs are refused with a message naming the fix */
	EXPECT_NE(0, xm_sh("ip -n xr2 link set dev xrd xdp obj /xdpmeta/bpf/xdp_count.bpf.o sec xdp 2> /tmp/mb.err"));
	EXPECT_EQ(0, xm_refusal_says("xdpmeta: multi-buffer mode is strict: load the program with SEC(\"xdp.frags\")", "/tmp/mb.err", ""));
	EXPECT_NE(0, attach_in("xr2", self->xrd, bpf_program__fd(self->skel->progs.mb_plain_rx)));
	/* bpftool (libbpf) shows the kernel's extack message too */
	bpf_xdp_detach(self->xrb, 0, NULL);
	EXPECT_NE(0, xm_sh("{ bpftool prog load /xdpmeta/bpf/xdp_count.bpf.o /sys/fs/bpf/mbx type xdp && "
			   "bpftool net attach xdpdrv pinned /sys/fs/bpf/mbx dev xrb; } > /tmp/mb.err 2>&1"));
	xm_sh("rm -f /sys/fs/bpf/mbx");
	EXPECT_EQ(0, xm_refusal_says("xdpmeta: multi-buffer mode is strict", "/tmp/mb.err", "Kernel error message: "));
	xm_sh("cat /tmp/mb.err");
	EXPECT_EQ(0, xm_sh("grep -qx 'mode strict' /sys/kernel/debug/xdpmeta/mb"));
	/* frags-aware ones are not */
	EXPECT_EQ(0, xm_sh("ip -n xr2 link set dev xrd xdp obj /xdpmeta/bpf/xdp_count.bpf.o sec xdp.frags"));
	EXPECT_EQ(0, xm_sh("ip -n xr2 link set dev xrd xdp off"));
	EXPECT_EQ(0, xm_sh("echo compat > " PARAMS "mb_mode"));
}

TEST_F(mb, unload_while_mb_redirect_traffic_flows)
{
	if (mb_redirect_refused_here(_metadata, self))
		return;
	ASSERT_EQ(0, attach_both(self));
	xm_sh("ip netns exec xr1 ping -c 400 -i 0.01 -W 1 -s 3480 10.77.0.2 > /dev/null 2>&1 &");
	for (int i = 0; i < 5; i++) {
		usleep(300000);
		ASSERT_EQ(0, xm_unload());
		usleep(200000);
		ASSERT_EQ(0, xm_load());
	}
	xm_sh("sleep 2");
	LOG_RX();
	EXPECT_GT(RX.frames, 0);
}

/* strict mode on virtio_net: the same ndo_bpf wrapper refuses */
TEST(strict_on_virtio_net)
{
	ASSERT_EQ(0, xm_load());
	ASSERT_EQ(0, xm_sh("echo strict > " PARAMS "mb_mode"));
	EXPECT_NE(0, xm_sh("ip link set dev eth0 xdp obj /xdpmeta/bpf/xdp_count.bpf.o sec xdp 2> /tmp/mb.err"));
	EXPECT_EQ(0, xm_refusal_says("xdpmeta: multi-buffer mode is strict", "/tmp/mb.err", ""));
	EXPECT_EQ(0, xm_sh("awk 'NR==1{for(i=1;i<=NF;i++)c[$i]=i;next} $c[\"name\"]==\"eth0\"{print $c[\"refused\"]}' "
			   DEVICES " | grep -qx 1"));
	EXPECT_EQ(0, xm_sh("ip link set dev eth0 xdp obj /xdpmeta/bpf/xdp_count.bpf.o sec xdp.frags"));
	EXPECT_EQ(0, xm_sh("ip link set dev eth0 xdp off"));
	EXPECT_EQ(0, xm_sh("echo compat > " PARAMS "mb_mode"));
	xm_unload();
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * RX hints: imported or set at XDP, carried through XDP_REDIRECT into a
 * veth in another netns, applied to the skb there (skb->hash, VLAN tag,
 * hardware timestamp) and read from tc; the errno contract of the hint
 * and TC kfuncs; virtio_net's hash.
 *
 *   netns xr1                   init netns                      netns xr2
 *   xra (10.77.0.1) ---- xrb [xdp_hints] => xrc ---- xrd (10.77.0.2) [xdp_rx, tc_read]
 *   xra.7 (10.78.0.1, VLAN 7)                        xrd.7 (10.78.0.2)
 *                                                    UDP socket *:4789 [sock_hash]
 *
 * A packet sent on xra.7 leaves xra with its VLAN tag in the skb (veth
 * offloads tagging), XDP at xrb sees it untagged, and XDP_REDIRECT loses
 * the tag: it reaches xrd.7 (whose address it is sent to) only if
 * xdpmeta carried the tag as a hint and applied it.
 */
#include <net/if.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/if_link.h>
#include <linux/net_tstamp.h>
#include <linux/errqueue.h>
#include <linux/udp.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include "xm_test.h"
#include "xm_harness.h"
#include "hints.h"
#include "hints.skel.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define XDP_RSS_TYPE_L4_IPV4_UDP	0x29	/* L3_IPV4 | L4 | L4_UDP */
#define SET_HASH	0x5eed1234u
#define SET_TS		1234567890123ULL

FIXTURE(hints) {
	struct xdpmeta_ctl *ctl;
	struct hints *skel;
	int key;
	int xrb, xrc, xrd, xrd7;	/* ifindexes (xrd, xrd7 in xr2) */
	int tx, rx;			/* UDP sockets in xr1, xr2 */
};

/* one received test packet */
struct rx_info {
	int got;
	int ifindex;		/* IP_PKTINFO */
	__u64 hwts;		/* SCM_TIMESTAMPING raw hardware, ns */
};

static int udp_socket_in(const char *ns, bool rx)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(HINTS_PORT) };
	struct timeval tv = { .tv_sec = 1 };
	int saved, fd, one = 1, ts = SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE;

	if (xm_in_netns(ns, &saved))
		return -1;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	xm_back_netns(saved);
	if (fd < 0)
		return -1;
	if (!rx)	/* no CHECKSUM_PARTIAL: redirected frames lose it */
		return setsockopt(fd, SOL_SOCKET, SO_NO_CHECK, &one, sizeof(one)) ? -1 : fd;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &ts, sizeof(ts)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	return fd;
}

/*
 * A kernel without RX hint ops (6.1): a program that calls
 * bpf_xdpmeta_import_hints() is refused at attach with -EOPNOTSUPP, and
 * the device keeps the program it had. Returns true there: the test,
 * about what import does, ends with that assertion.
 */
static bool import_refused_here(struct __test_metadata *_metadata, int ifindex,
				const char *prog_name)
{
	struct hints *imp;
	struct bpf_program *p;
	__u32 before = 0, after = 0;
	int err;

	if (xm_kernel_has_hint_ops())
		return false;
	imp = hints__open_and_load();	/* import_ok stays true: the calls are there */
	EXPECT_NE(NULL, imp);
	if (!imp)
		return true;
	p = bpf_object__find_program_by_name(imp->obj, prog_name);
	EXPECT_NE(NULL, p);
	bpf_xdp_query_id(ifindex, XDP_FLAGS_DRV_MODE, &before);
	err = p ? bpf_xdp_attach(ifindex, bpf_program__fd(p), XDP_FLAGS_DRV_MODE, NULL) : 0;
	EXPECT_EQ(-EOPNOTSUPP, err) TH_LOG("%s calls import: refused on a kernel without hint ops", prog_name);
	bpf_xdp_query_id(ifindex, XDP_FLAGS_DRV_MODE, &after);
	EXPECT_EQ(before, after) TH_LOG("the refused attach replaced the device's program");
	if (!err && !before)
		bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	hints__destroy(imp);
	TH_LOG("no RX hint ops on this kernel: %s refused at attach, as it must be", prog_name);
	return true;
}

FIXTURE_SETUP(hints)
{
	int saved, fd;

	ASSERT_EQ(0, xm_load());
	self->ctl = xm_ctl_open();
	ASSERT_NE(NULL, self->ctl);
	self->key = xm_key_add(self->ctl, "hint_user", 4);
	ASSERT_GE(self->key, 0);
	ASSERT_EQ(0, xm_redirect_topology(1500, 1500));
	ASSERT_EQ(0, xm_sh("set -e; ip -n xr1 link add link xra name xra.7 type vlan id 7;"
			   "ip -n xr2 link add link xrd name xrd.7 type vlan id 7;"
			   "ip -n xr1 addr add 10.78.0.1/24 dev xra.7; ip -n xr2 addr add 10.78.0.2/24 dev xrd.7;"
			   "ip -n xr1 link set xra.7 up; ip -n xr2 link set xrd.7 up;"
			   "ip -n xr1 neigh add 10.78.0.2 lladdr $(ip -n xr2 -br link show xrd | awk '{print $3}') dev xra.7"));
	self->xrb = if_nametoindex("xrb");
	self->xrc = if_nametoindex("xrc");
	ASSERT_EQ(0, xm_in_netns("xr2", &saved));
	self->xrd = if_nametoindex("xrd");
	self->xrd7 = if_nametoindex("xrd.7");
	xm_back_netns(saved);
	ASSERT_GT(self->xrd7, 0);

	self->skel = hints__open();
	ASSERT_NE(NULL, self->skel);
	self->skel->rodata->key = self->key;
	self->skel->rodata->import_ok = xm_kernel_has_hint_ops();
	ASSERT_EQ(0, hints__load(self->skel));
	ASSERT_EQ(0, bpf_map_update_elem(bpf_map__fd(self->skel->maps.tx_port), &(__u32){0},
					 &self->xrc, 0));
	ASSERT_EQ(0, bpf_xdp_attach(self->xrb, bpf_program__fd(self->skel->progs.xdp_hints),
				    XDP_FLAGS_DRV_MODE, NULL));
	ASSERT_EQ(0, xm_in_netns("xr2", &saved));
	{
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = self->xrd, .attach_point = BPF_TC_INGRESS);
		LIBBPF_OPTS(bpf_tc_opts, opts,
			.prog_fd = bpf_program__fd(self->skel->progs.tc_read));
		int e1 = bpf_xdp_attach(self->xrd, bpf_program__fd(self->skel->progs.xdp_rx),
					XDP_FLAGS_DRV_MODE, NULL);
		int e2 = bpf_tc_hook_create(&hook);
		int e3 = bpf_tc_attach(&hook, &opts);

		xm_back_netns(saved);
		ASSERT_EQ(0, e1);
		ASSERT_EQ(0, e2);
		ASSERT_EQ(0, e3);
	}
	self->tx = udp_socket_in("xr1", false);
	self->rx = udp_socket_in("xr2", true);
	ASSERT_GE(self->tx, 0);
	ASSERT_GE(self->rx, 0);
	fd = bpf_program__fd(self->skel->progs.sock_hash);
	ASSERT_EQ(0, setsockopt(self->rx, SOL_SOCKET, SO_ATTACH_BPF, &fd, sizeof(fd)));
}

FIXTURE_TEARDOWN(hints)
{
	if (self->tx >= 0)
		close(self->tx);
	if (self->rx >= 0)
		close(self->rx);
	bpf_xdp_detach(self->xrb, 0, NULL);
	if (self->skel)
		hints__destroy(self->skel);
	if (self->ctl)
		xdpmeta_ctl__destroy(self->ctl);
	xm_redirect_topology_del();
	xm_unload();
}

/* send one datagram to @dst and wait for it at the receiving socket */
static struct rx_info send_one(FIXTURE_DATA(hints) *self, const char *dst)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(HINTS_PORT) };
	char buf[64] = "xdpmeta hints", cbuf[512];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct rx_info r = {};
	struct cmsghdr *c;

	inet_pton(AF_INET, dst, &a.sin_addr);
	if (sendto(self->tx, buf, 32, 0, (struct sockaddr *)&a, sizeof(a)) != 32)
		return r;
	if (recvmsg(self->rx, &m, 0) < 0)
		return r;
	r.got = 1;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
			r.ifindex = ((struct in_pktinfo *)CMSG_DATA(c))->ipi_ifindex;
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING) {
			struct scm_timestamping *t = (void *)CMSG_DATA(c);

			r.hwts = t->ts[2].tv_sec * 1000000000ULL + t->ts[2].tv_nsec;
		}
	}
	return r;
}

static void set_mode(FIXTURE_DATA(hints) *self, enum hints_mode mode)
{
	self->skel->bss->mode = mode;
	self->skel->bss->set_hash = SET_HASH;
	self->skel->bss->set_type = XDP_RSS_TYPE_L4_IPV4_UDP;
	self->skel->bss->set_tci = 7;
	self->skel->bss->set_ts = SET_TS;
}

/* Imported at xrb (hash and VLAN from veth's skb), restored at xrd. */
TEST_F(hints, import_survives_redirect_and_reaches_skb)
{
	struct hints_stats *st = &self->skel->bss->stats;
	struct rx_info r;
	__u32 h_none;

	if (import_refused_here(_metadata, self->xrb, "xdp_hints"))
		return;

	set_mode(self, HM_NONE);
	r = send_one(self, "10.78.0.2");
	ASSERT_EQ(1, r.got);
	EXPECT_EQ(self->xrd, r.ifindex) TH_LOG("without hints the VLAN tag is lost: xrd, not xrd.7");
	EXPECT_EQ(1, st->xdp_seen);
	h_none = st->sock_hash;	/* the control: skb->hash at xrd without hints */

	set_mode(self, HM_IMPORT);
	r = send_one(self, "10.78.0.2");
	ASSERT_EQ(1, r.got) TH_LOG("imported VLAN tag not applied at xrd");
	EXPECT_EQ(XDPMETA_HINT_HASH | XDPMETA_HINT_VLAN, st->import_ret)
		TH_LOG("veth has no timestamp for a sent skb: only hash and VLAN");
	EXPECT_EQ(7, st->vlan_tci);
	EXPECT_EQ(0x8100, st->vlan_proto);
	EXPECT_NE(0, st->hash);
	EXPECT_EQ(self->xrd7, r.ifindex);
	EXPECT_EQ(st->hash, st->sock_hash) TH_LOG("skb->hash at the socket");
	EXPECT_NE(h_none, st->sock_hash) TH_LOG("the same hash arrives without the hint: proves nothing");
	EXPECT_EQ(0, r.hwts);
	/* tc ingress at xrd runs first and reads the same store */
	EXPECT_EQ(4, st->tc_hash_ret);
	EXPECT_EQ(st->hash, st->tc_hash);
	EXPECT_EQ(1, st->tc_vlan_ret);
	EXPECT_EQ(0, st->tc_isset_ret);
	EXPECT_EQ(-ENOENT, st->tc_key_ret);
	EXPECT_EQ(0, st->err);
	EXPECT_LE(1, xm_dev_counter("xrd", "skb_hints"));
}

/* Set explicitly: exactly those values on the skb. */
TEST_F(hints, explicit_set_applies_exactly)
{
	struct hints_stats *st = &self->skel->bss->stats;
	struct rx_info r;

	set_mode(self, HM_SET);
	r = send_one(self, "10.77.0.2");
	ASSERT_EQ(1, r.got);
	EXPECT_EQ(0, st->err);
	EXPECT_EQ(SET_HASH, st->hash);
	EXPECT_EQ(XDP_RSS_TYPE_L4_IPV4_UDP, st->type);
	EXPECT_EQ(SET_TS, st->ts);
	EXPECT_EQ(self->xrd7, r.ifindex) TH_LOG("VLAN 7 set at XDP: delivered through xrd.7");
	EXPECT_EQ(SET_HASH, st->sock_hash);
	EXPECT_EQ(SET_TS, r.hwts) TH_LOG("SCM_TIMESTAMPING raw hardware time");
	EXPECT_EQ(4, st->tc_hash_ret);
	EXPECT_EQ(SET_HASH, st->tc_hash);
}

/*
 * Explicit set, then XDP_PASS on the same device (xrb): the skb xrb builds
 * gets the values. The VLAN tag takes it to xrb.7, where a packet socket
 * (its filter reads skb->hash) and SO_TIMESTAMPING see the rest.
 */
TEST_F(hints, explicit_set_then_pass_on_same_device)
{
	struct hints_stats *st = &self->skel->bss->stats;
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int ts = SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE;
	struct timeval tv = { .tv_sec = 1 };
	char buf[256], cbuf[256];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { .msg_name = &ll, .msg_namelen = sizeof(ll), .msg_iov = &iov,
			    .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	__u64 hwts = 0;
	int tap, fd, xrb7, n;

	ASSERT_EQ(0, xm_sh("ip link add link xrb name xrb.7 type vlan id 7 && ip link set xrb.7 up"));
	xrb7 = if_nametoindex("xrb.7");
	ASSERT_GT(xrb7, 0);
	tap = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	ASSERT_GE(tap, 0);
	ll.sll_ifindex = xrb7;
	fd = bpf_program__fd(self->skel->progs.sock_hash);
	ASSERT_EQ(0, bind(tap, (struct sockaddr *)&ll, sizeof(ll)));
	ASSERT_EQ(0, setsockopt(tap, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	ASSERT_EQ(0, setsockopt(tap, SOL_SOCKET, SO_TIMESTAMPING, &ts, sizeof(ts)));
	ASSERT_EQ(0, setsockopt(tap, SOL_SOCKET, SO_ATTACH_BPF, &fd, sizeof(fd)));
	set_mode(self, HM_SET_PASS);
	EXPECT_EQ(0, send_one(self, "10.77.0.2").got) TH_LOG("passed at xrb: not redirected");
	n = recvmsg(tap, &m, 0);
	ASSERT_LT(0, n) TH_LOG("nothing reached xrb.7: the VLAN tag was not applied");
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING) {
			struct scm_timestamping *t = (void *)CMSG_DATA(c);

			hwts = t->ts[2].tv_sec * 1000000000ULL + t->ts[2].tv_nsec;
		}
	EXPECT_EQ(xrb7, ll.sll_ifindex);
	EXPECT_EQ(SET_HASH, st->sock_hash);
	EXPECT_EQ(SET_TS, hwts);
	EXPECT_EQ(0, st->err);
	EXPECT_LE(1, xm_dev_counter("xrb", "skb_hints"));
	close(tap);
	xm_sh("ip link del xrb.7");
}

/*
 * A packet tap on xrd (tcpdump's AF_PACKET socket) clones every skb: the
 * hints still apply (xdpmeta unclones first), and the tap gets its copy.
 */
TEST_F(hints, tap_clone_still_applied)
{
	struct hints_stats *st = &self->skel->bss->stats;
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct timeval tv = { .tv_sec = 1 };
	char buf[256];
	struct rx_info r;
	int saved, tap;

	ASSERT_EQ(0, xm_in_netns("xr2", &saved));
	tap = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	xm_back_netns(saved);
	ASSERT_GE(tap, 0);
	ll.sll_ifindex = self->xrd;
	ASSERT_EQ(0, bind(tap, (struct sockaddr *)&ll, sizeof(ll)));
	ASSERT_EQ(0, setsockopt(tap, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	set_mode(self, HM_SET);
	r = send_one(self, "10.77.0.2");
	ASSERT_EQ(1, r.got);
	EXPECT_EQ(SET_HASH, st->sock_hash);
	EXPECT_EQ(SET_TS, r.hwts);
	EXPECT_EQ(self->xrd7, r.ifindex);
	EXPECT_LT(0, recv(tap, buf, sizeof(buf), 0)) TH_LOG("the tap got nothing");
	close(tap);
}

/*
 * Packets without hints are untouched, before and after packets with
 * hints whose store bytes stay in the recycled buffers; a program that
 * grows data_meta without writing it finds the old seal cleared.
 */
TEST_F(hints, no_hints_untouched_stale_never_applied)
{
	static const enum hints_mode seq[] = {
		HM_NONE, HM_SET, HM_NONE, HM_SET, HM_USERKEY, HM_SET, HM_GROW_META,
		HM_SET, HM_GROW_META, HM_SET, HM_GROW_META, HM_SET, HM_GROW_META,
		HM_SET, HM_GROW_META, HM_SET, HM_GROW_META, HM_SET, HM_NONE,
	};
	struct hints_stats *st = &self->skel->bss->stats;
	struct rx_info r;
	__u32 h0 = 0;
	unsigned int i;

	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		set_mode(self, seq[i]);
		st->sock_hash = 0;
		r = send_one(self, "10.77.0.2");
		ASSERT_EQ(1, r.got) TH_LOG("packet %u lost", i);
		if (seq[i] == HM_SET) {
			EXPECT_EQ(SET_HASH, st->sock_hash);
			EXPECT_EQ(SET_TS, r.hwts);
			EXPECT_EQ(self->xrd7, r.ifindex);
			continue;
		}
		if (!i)
			h0 = st->sock_hash;
		EXPECT_EQ(h0, st->sock_hash) TH_LOG("packet %u (mode %d): hash changed", i, seq[i]);
		EXPECT_NE(SET_HASH, st->sock_hash);
		EXPECT_EQ(0, r.hwts) TH_LOG("packet %u (mode %d): stale timestamp", i, seq[i]);
		EXPECT_EQ(self->xrd, r.ifindex) TH_LOG("packet %u (mode %d): stale VLAN", i, seq[i]);
	}
	EXPECT_EQ(0, st->err);
	EXPECT_EQ(0, xm_dev_counter("xrd", "skb_bad_seal"));
	/*
	 * The precondition of "stale": at least one HM_GROW_META packet's
	 * buffer held an earlier packet's seal (consumed by the hook: magic 0)
	 */
	if (!st->grow_consumed && xm_kernel_version() < 606)
		SKIP(return, "no recycled seal seen: this kernel's veth (before 6.6) has no page_pool, so its buffers are not recycled and the stale case cannot arise here");
	EXPECT_LT(0, st->grow_consumed) TH_LOG("no recycled seal seen (last bytes %016llx)",
					       (unsigned long long)st->grow_bytes);
}

/* data moved after the last set (decap): the store is found at the head. */
TEST_F(hints, moved_data_still_finds_store)
{
	struct hints_stats *st = &self->skel->bss->stats;
	struct rx_info r;

	set_mode(self, HM_SET_DECAP);
	r = send_one(self, "10.77.0.2");
	ASSERT_EQ(1, r.got);
	EXPECT_EQ(0, st->err);
	EXPECT_EQ(SET_HASH, st->sock_hash);
	EXPECT_EQ(SET_TS, r.hwts);
	EXPECT_EQ(1, st->tc_isset_ret);
}

/* The program clobbered its store: sealed but not found, nothing applied. */
TEST_F(hints, clobbered_store_is_estale_and_not_applied)
{
	struct hints_stats *st = &self->skel->bss->stats;
	struct rx_info r;

	set_mode(self, HM_SET_CLOBBER);
	r = send_one(self, "10.77.0.2");
	EXPECT_EQ(0, st->err);
	EXPECT_EQ(1, st->tc_seen);
	EXPECT_EQ(-ESTALE, st->tc_isset_ret);
	EXPECT_EQ(-ESTALE, st->tc_key_ret);
	EXPECT_EQ(1, xm_dev_counter("xrd", "skb_bad_seal"));
	EXPECT_EQ(1, r.got);
	EXPECT_EQ(0, r.hwts);
}

/*
 * GRO: batches of one UDP flow's frames, redirected into xrd (GRO on) for
 * a UDP_GRO socket, merge the same with hints as without; metadata bytes
 * that differ per frame (the control) stop all merging. A live-frames
 * generator sends them (a local socket's packets reach xrd one NAPI poll
 * at a time: nothing to merge). Returns the segments that arrived,
 * *merged the datagrams that carried more than one.
 */
#define GRO_N		128
#define GRO_LEN		200

static __u16 csum_fold(__u32 s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s;
}

static __u32 csum_add(__u32 s, const void *p, int len)
{
	const __u8 *b = p;

	for (int i = 0; i < len; i += 2)
		s += (b[i] << 8) | (i + 1 < len ? b[i + 1] : 0);
	return s;
}

/* a UDP/IPv4 frame 10.77.0.1:5555 -> 10.77.0.2:HINTS_PORT for @dst_mac */
static int gro_frame(__u8 *f, const __u8 *dst_mac)
{
	__u8 *ip = f + 14, *udp = ip + 20;
	int ulen = 8 + GRO_LEN;
	__u32 s;

	memset(f, 0, 14 + 20 + ulen);
	memcpy(f, dst_mac, 6);
	f[6] = 0x02; f[11] = 0x01;
	f[12] = 0x08;
	ip[0] = 0x45; ip[2] = (20 + ulen) >> 8; ip[3] = (20 + ulen) & 0xff;
	ip[6] = 0x40;				/* DF, id 0 */
	ip[8] = 64; ip[9] = 17;
	ip[12] = 10; ip[13] = 77; ip[15] = 1;
	ip[16] = 10; ip[17] = 77; ip[19] = 2;
	s = csum_fold(csum_add(0, ip, 20));
	ip[10] = s >> 8; ip[11] = s & 0xff;
	udp[0] = 5555 >> 8; udp[1] = 5555 & 0xff;
	udp[2] = HINTS_PORT >> 8; udp[3] = HINTS_PORT & 0xff;
	udp[4] = ulen >> 8; udp[5] = ulen & 0xff;
	memset(udp + 8, 'x', GRO_LEN);
	s = csum_add(0, ip + 12, 8) + 17 + ulen;
	s = csum_fold(csum_add(s, udp, ulen));
	udp[6] = s >> 8; udp[7] = s & 0xff;
	return 14 + 20 + ulen;
}

static int gro_burst(FIXTURE_DATA(hints) *self, const __u8 *frame, int len, int *merged)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = len,
		    .repeat = GRO_N, .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
	static char buf[65536];
	int n, segs = 0;

	*merged = 0;
	if (bpf_prog_test_run_opts(bpf_program__fd(self->skel->progs.gen_gro), &o))
		return -1;
	usleep(300000);
	while ((n = recv(self->rx, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		segs += n / GRO_LEN;
		*merged += n > GRO_LEN;
	}
	return segs;
}

TEST_F(hints, gro_still_merges_sealed_packets)
{
	struct hints_stats *st = &self->skel->bss->stats;
	char mac[32] = "";
	__u8 frame[512], dm[6];
	int one = 1, merged, segs, len;

	ASSERT_EQ(0, xm_sh("ip netns exec xr2 ethtool -K xrd gro on > /dev/null"));
	ASSERT_EQ(0, setsockopt(self->rx, IPPROTO_UDP, UDP_GRO, &one, sizeof(one)));
	/* unmerged, 128 page-sized skbs: more than the default buffer */
	ASSERT_EQ(0, setsockopt(self->rx, SOL_SOCKET, SO_RCVBUFFORCE, &(int){ 8 << 20 }, sizeof(int)));
	{
		FILE *p = popen("/usr/local/sbin/ip -n xr2 -br link show xrd | awk '{print $3}'", "r");

		ASSERT_NE(NULL, p);
		if (!fgets(mac, sizeof(mac), p))
			mac[0] = '\0';
		pclose(p);
	}
	ASSERT_EQ(6, sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
			    &dm[0], &dm[1], &dm[2], &dm[3], &dm[4], &dm[5]));
	len = gro_frame(frame, dm);

	set_mode(self, HM_NONE);
	segs = gro_burst(self, frame, len, &merged);
	TH_LOG("no store: %d segments, %d merged datagrams", segs, merged);
	EXPECT_EQ(GRO_N, segs);
	ASSERT_LT(0, merged) TH_LOG("no GRO at all here: the test cannot tell anything");

	set_mode(self, HM_SET);
	self->skel->bss->set_tci = 0;
	segs = gro_burst(self, frame, len, &merged);
	TH_LOG("hints: %d segments, %d merged datagrams", segs, merged);
	EXPECT_EQ(GRO_N, segs);
	EXPECT_LT(0, merged) TH_LOG("the seal must not stop GRO for one flow");
	EXPECT_EQ(SET_HASH, st->sock_hash);

	set_mode(self, HM_VARY_META);
	segs = gro_burst(self, frame, len, &merged);
	TH_LOG("per-frame metadata: %d segments, %d merged datagrams", segs, merged);
	EXPECT_EQ(GRO_N, segs);
	EXPECT_EQ(0, merged) TH_LOG("control: differing metadata must stop merging");
}

/* Import's errors in the driver's own path. */
TEST_F(hints, import_errnos_in_driver_path)
{
	struct hints_stats *st = &self->skel->bss->stats;

	if (import_refused_here(_metadata, self->xrb, "xdp_hints"))
		return;

	set_mode(self, HM_IMPORT_NOROOM);
	send_one(self, "10.77.0.2");
	EXPECT_EQ(-ENOSPC, st->import_ret);
	set_mode(self, HM_IMPORT_CLOBBERED);
	send_one(self, "10.77.0.2");
	EXPECT_EQ(-ESTALE, st->import_ret);
	/* frames redirected into a veth have no skb: no hints there */
	set_mode(self, HM_NONE);
	self->skel->bss->rx_import = 1;
	self->skel->bss->stats.rx_import_ret = 1;
	EXPECT_EQ(1, send_one(self, "10.77.0.2").got);
	EXPECT_EQ(-ENODATA, st->rx_import_ret);
}

/* BPF_PROG_TEST_RUN of xdp_hint_ops with a script; returns the run's error */
static int run_ops(FIXTURE_DATA(hints) *self, const struct hint_op_rec *ops, int n)
{
	char pkt[64] = {};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt));

	memcpy(self->skel->bss->ops, ops, n * sizeof(*ops));
	self->skel->bss->nops = n;
	return bpf_prog_test_run_opts(bpf_program__fd(self->skel->progs.xdp_hint_ops), &opts);
}

TEST_F(hints, kfunc_errnos_test_run)
{
	struct hint_op_rec *o = self->skel->bss->ops;
	const struct hint_op_rec a[] = {
		{ HO_IMPORT, 0 },			/* -EINVAL: empty mask */
		{ HO_IMPORT, 8 },			/* -EINVAL: unknown bit */
		{ HO_IMPORT, XDPMETA_HINT_HASH },	/* -EOPNOTSUPP: not a driver's path */
		{ HO_SET_HASH, 1, 0x200 },		/* -EINVAL: unknown type bit */
		{ HO_SET_VLAN, 0x0800, 5 },		/* -EINVAL: not a VLAN proto */
		{ HO_SET_TS, 0, 0 },			/* -EINVAL: 0 */
		{ HO_SET_HASH, 0x1234, XDP_RSS_TYPE_L4_IPV4_UDP },
		{ HO_GET, XDPMETA_KEY_RX_HASH },
	};
	/* test-run data at +256, store at +40: 8 bytes of room left */
	const struct hint_op_rec b[] = {
		{ HO_ADJ_HEAD, -208 },
		{ HO_SET_HASH, 1, 0 },			/* -ENOSPC */
		{ HO_SET_VLAN, 0x8100, 1 },		/* -ENOSPC */
		{ HO_SET_TS, 0, 1 },			/* -ENOSPC */
	};
	const struct hint_op_rec c[] = {
		{ HO_SET_TS, 0, 99 },
		{ HO_ADJ_HEAD, -200 },			/* data_meta into the store */
		{ HO_SET_HASH, 1, 0 },			/* -ESTALE */
		{ HO_SET_VLAN, 0x88a8, 1 },		/* -ESTALE */
		{ HO_SET_TS, 0, 5 },			/* -ESTALE */
	};

	ASSERT_EQ(0, run_ops(self, a, 8));
	EXPECT_EQ(-EINVAL, o[0].ret);
	EXPECT_EQ(-EINVAL, o[1].ret);
	EXPECT_EQ(-EOPNOTSUPP, o[2].ret);
	EXPECT_EQ(-EINVAL, o[3].ret);
	EXPECT_EQ(-EINVAL, o[4].ret);
	EXPECT_EQ(-EINVAL, o[5].ret);
	EXPECT_EQ(0, o[6].ret);
	EXPECT_EQ(4, o[7].ret);
	EXPECT_EQ(0x1234, (__u32)o[7].out[0]);

	ASSERT_EQ(0, run_ops(self, b, 4));
	EXPECT_EQ(0, o[0].ret);
	EXPECT_EQ(-ENOSPC, o[1].ret);
	EXPECT_EQ(-ENOSPC, o[2].ret);
	EXPECT_EQ(-ENOSPC, o[3].ret);

	ASSERT_EQ(0, run_ops(self, c, 5));
	EXPECT_EQ(0, o[0].ret);
	EXPECT_EQ(0, o[1].ret);
	EXPECT_EQ(-ESTALE, o[2].ret);
	EXPECT_EQ(-ESTALE, o[3].ret);
	EXPECT_EQ(-ESTALE, o[4].ret);
}

/* The TC kfuncs on an skb without a store, by BPF_PROG_TEST_RUN. */
TEST_F(hints, tc_kfunc_errnos)
{
	struct hint_op_rec *o = self->skel->bss->ops;
	const struct hint_op_rec a[] = {
		{ HO_GET, 64, 16 },			/* -EINVAL */
		{ HO_GET, 63, 16 },			/* -ENOKEY */
		{ HO_GET, 0, 2 },			/* -EMSGSIZE: rx_hash is 4 bytes */
		{ HO_GET, 0, 16 },			/* -ENOENT: no store */
		{ HO_IMPORT, 0 },			/* is_set: 0 */
		{ HO_IMPORT, 64 },			/* is_set: -EINVAL */
		{ HO_IMPORT, 63 },			/* is_set: -ENOKEY */
	};
	char pkt[64] = {};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt));

	memcpy(self->skel->bss->ops, a, sizeof(a));
	self->skel->bss->nops = 7;
	ASSERT_EQ(0, bpf_prog_test_run_opts(bpf_program__fd(self->skel->progs.tc_errnos), &opts));
	EXPECT_EQ(-EINVAL, o[0].ret);
	EXPECT_EQ(-ENOKEY, o[1].ret);
	EXPECT_EQ(-EMSGSIZE, o[2].ret);
	EXPECT_EQ(-ENOENT, o[3].ret);
	EXPECT_EQ(0, o[4].ret);
	EXPECT_EQ(-EINVAL, o[5].ret);
	EXPECT_EQ(-ENOKEY, o[6].ret);
}

/*
 * virtio_net. eth2 has RSS (QEMU rss=on,hash=on), so the driver registers
 * its rx_hash op, but QEMU negotiates hash reports only with a backend
 * that has a vnet header (tap, vhost), not with the hub used here: the op
 * would return the packet's first bytes as the hash. xdpmeta knows that:
 * no usable hint, so a program calling import is refused at attach, and
 * import itself says -EOPNOTSUPP. With hash reports (another backend) the
 * hash is imported and rxhash off gives -ENODATA. eth0 has no hint ops
 * at all. eth3 (same hub as eth2) and eth1 (eth0's) send.
 */
FIXTURE(vhints) {
	struct hints *skel;
	int eth0, eth2;
};

FIXTURE_SETUP(vhints)
{
	ASSERT_EQ(0, xm_load());
	ASSERT_EQ(0, xm_sh("set -e; ip netns add xv; ip link set eth3 netns xv;"
			   "ip -n xv addr add 10.79.0.1/24 dev eth3; ip -n xv link set eth3 up;"
			   "ip addr add 10.79.0.2/24 dev eth2; ip link set eth2 up;"
			   "ip -n xv neigh add 10.79.0.2 lladdr 52:54:00:12:34:03 dev eth3"));
	self->eth0 = if_nametoindex("eth0");
	self->eth2 = if_nametoindex("eth2");
	self->skel = hints__open_and_load();
	ASSERT_NE(NULL, self->skel);
}

FIXTURE_TEARDOWN(vhints)
{
	bpf_xdp_detach(self->eth0, XDP_FLAGS_SKB_MODE, NULL);
	bpf_xdp_detach(self->eth2, XDP_FLAGS_SKB_MODE, NULL);
	bpf_xdp_detach(self->eth2, 0, NULL);
	if (self->skel)
		hints__destroy(self->skel);
	xm_sh("ip netns del xv; ip addr flush dev eth2; ethtool -K eth2 rxhash on; sleep 0.3");
	xm_unload();
}

/* one UDP datagram from netns @ns to @dst:HINTS_PORT */
static void udp_send_from(const char *ns, const char *dst)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(HINTS_PORT) };
	int saved, fd;

	inet_pton(AF_INET, dst, &a.sin_addr);
	if (xm_in_netns(ns, &saved))
		return;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	xm_back_netns(saved);
	if (fd < 0)
		return;
	sendto(fd, "xdpmeta", 7, 0, (struct sockaddr *)&a, sizeof(a));
	close(fd);
	usleep(300000);
}

/* VIRTIO_NET_F_HASH_REPORT (bit 57) negotiated on @dev? */
static int hash_report(const char *dev)
{
	char path[128], f[128] = "";

	snprintf(path, sizeof(path), "/sys/class/net/%s/device/features", dev);
	if (xm_read(path, f, sizeof(f)) < 58)
		return -1;
	return f[57] == '1';
}

TEST_F(vhints, virtio_hash_or_clean_refusal)
{
	struct hints_stats *st = &self->skel->bss->stats;
	int prog = bpf_program__fd(self->skel->progs.xdp_import_local);
	int hr = hash_report("eth2");

	ASSERT_GE(hr, 0);
	TH_LOG("eth2: hash reports %snegotiated", hr ? "" : "not ");
	if (hr) {
		ASSERT_EQ(0, bpf_xdp_attach(self->eth2, prog, XDP_FLAGS_DRV_MODE, NULL));
		udp_send_from("xv", "10.79.0.2");
		ASSERT_LE(1, st->xdp_seen) TH_LOG("no UDP packet reached eth2");
		EXPECT_EQ(XDPMETA_HINT_HASH, st->import_ret);
		EXPECT_NE(0, st->hash);
		ASSERT_EQ(0, xm_sh("ethtool -K eth2 rxhash off"));
		st->import_ret = 0;
		udp_send_from("xv", "10.79.0.2");
		EXPECT_EQ(-ENODATA, st->import_ret);
	} else {
		EXPECT_EQ(-EOPNOTSUPP, bpf_xdp_attach(self->eth2, prog, XDP_FLAGS_DRV_MODE, NULL))
			TH_LOG("no usable hint on eth2: a program importing hints must be refused");
		ASSERT_EQ(0, bpf_xdp_attach(self->eth2, prog, XDP_FLAGS_SKB_MODE, NULL));
		udp_send_from("xv", "10.79.0.2");
		ASSERT_LE(1, st->xdp_seen) TH_LOG("no UDP packet reached eth2");
		EXPECT_EQ(-EOPNOTSUPP, st->import_ret);
		bpf_xdp_detach(self->eth2, XDP_FLAGS_SKB_MODE, NULL);
	}

	/* eth0: no RSS, no hint ops at all */
	EXPECT_EQ(-EOPNOTSUPP, bpf_xdp_attach(self->eth0, prog, XDP_FLAGS_DRV_MODE, NULL));
	ASSERT_EQ(0, bpf_xdp_attach(self->eth0, prog, XDP_FLAGS_SKB_MODE, NULL));
	st->import_ret = 0;
	st->xdp_seen = 0;
	ASSERT_EQ(0, xm_sh("set -e; ip netns add xw; ip link set eth1 netns xw;"
			   "ip -n xw addr add 10.80.0.1/24 dev eth1; ip -n xw link set eth1 up;"
			   "ip addr add 10.80.0.2/24 dev eth0; ip link set eth0 up;"
			   "ip -n xw neigh add 10.80.0.2 lladdr 52:54:00:12:34:01 dev eth1"));
	udp_send_from("xw", "10.80.0.2");
	xm_sh("ip netns del xw; ip addr flush dev eth0; sleep 0.3");
	ASSERT_LE(1, st->xdp_seen);
	EXPECT_EQ(-EOPNOTSUPP, st->import_ret);
}

/*
 * virtio_net with negotiated hash reports: eth6 (RSS, hash=on) and eth7 on
 * tap backends (test/vm/tapnet.sh), the only QEMU set-up that offers
 * them. The hash is imported and applied; rxhash off gives -ENODATA; and
 * the driver reads the hash from the header right below data, so once data
 * moved (adjust_head) or metadata covers it, import says -EBUSY instead of
 * importing packet bytes (review finding 7: before the fix the moved case
 * imported a "hash").
 */
TEST(virtio_hash_reports_imported)
{
	struct hints *skel;
	struct hints_stats *st;
	int eth6 = if_nametoindex("eth6"), hr;

	if (!eth6)
		SKIP(return, "no eth6: the host has no /dev/net/tun or unshare, so the VM has no tap NICs (test/vm/run.sh)");
	hr = hash_report("eth6");
	ASSERT_EQ(1, hr) TH_LOG("eth6 is on a tap backend with hash=on: hash reports expected");
	ASSERT_EQ(0, xm_load());
	ASSERT_EQ(0, xm_sh("set -e; ip netns add xv6; ip link set eth7 netns xv6;"
			   "ip -n xv6 addr add 10.83.0.1/24 dev eth7; ip -n xv6 link set eth7 up;"
			   "ip addr add 10.83.0.2/24 dev eth6; ip link set eth6 up;"
			   "ip -n xv6 neigh add 10.83.0.2 lladdr 52:54:00:12:34:07 dev eth7;"
			   "ethtool -K eth6 rxhash on; sleep 0.5"));
	if (import_refused_here(_metadata, eth6, "xdp_import_local")) {
		xm_sh("ip netns del xv6; ip addr flush dev eth6;"
		      "for i in $(seq 50); do [ -e /sys/class/net/eth7 ] && break; sleep 0.1; done");
		xm_unload();
		return;
	}
	skel = hints__open_and_load();
	ASSERT_NE(NULL, skel);
	st = &skel->bss->stats;
	ASSERT_EQ(0, bpf_xdp_attach(eth6, bpf_program__fd(skel->progs.xdp_import_local),
				    XDP_FLAGS_DRV_MODE, NULL));
	udp_send_from("xv6", "10.83.0.2");
	ASSERT_LE(1, st->xdp_seen) TH_LOG("no UDP packet reached eth6");
	EXPECT_EQ(XDPMETA_HINT_HASH, st->import_ret);
	EXPECT_NE(0, st->hash);
	EXPECT_NE(0, st->type);		/* an IPv4 (UDP) hash type */

	/* data moved: the bytes below it are no longer the header */
	skel->bss->import_pre = 1;
	st->import_ret = 0;
	udp_send_from("xv6", "10.83.0.2");
	EXPECT_EQ(-EBUSY, st->import_ret);
	/* metadata over the header */
	skel->bss->import_pre = 2;
	st->import_ret = 0;
	udp_send_from("xv6", "10.83.0.2");
	EXPECT_EQ(-EBUSY, st->import_ret);
	EXPECT_EQ(0, st->err);

	skel->bss->import_pre = 0;
	ASSERT_EQ(0, xm_sh("ethtool -K eth6 rxhash off"));
	st->import_ret = 0;
	udp_send_from("xv6", "10.83.0.2");
	EXPECT_EQ(-ENODATA, st->import_ret);

	bpf_xdp_detach(eth6, 0, NULL);
	hints__destroy(skel);
	xm_sh("ethtool -K eth6 rxhash on; ip netns del xv6; ip addr flush dev eth6;"
	      "for i in $(seq 50); do [ -e /sys/class/net/eth7 ] && break; sleep 0.1; done");
	xm_unload();
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * hints: RX hints imported or set at XDP, carried through XDP_REDIRECT and
 * applied to the skb (test/vm/t_hints.c); the TC kfuncs; the errno
 * contract of the hint kfuncs under BPF_PROG_TEST_RUN.
 *
 *   netns xr1          init netns                        netns xr2
 *   xra ---- xrb [xdp_hints] => xrc ---- xrd [xdp_rx, tc_read] -> socket [sock_hash]
 */
#include "xdpmeta.h"
#include <bpf/bpf_endian.h>
#include "hints.h"

#define ETH_P_IP	0x0800
#define ETH_P_8021Q	0x8100
#define ETH_HLEN	14

#define TC_ACT_OK 0

const volatile __u32 key = XDPMETA_KEY_UNSET;	/* a 4-byte user key */

__u32 mode;			/* enum hints_mode */
__u32 set_hash, set_type;
__u16 set_tci;
__u64 set_ts;
__u32 rx_import;		/* xdp_rx imports (redirected frames) */
__u32 import_pre;		/* xdp_import_local: 1 push data by 4 first,
				 * 2 grow data_meta by 4 first (then drop) */
struct hints_stats stats;
struct hint_op_rec ops[HINT_OPS_MAX];
__u32 nops;

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

/* a UDP/IPv4 packet to HINTS_PORT? */
static __always_inline bool test_packet(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);

	return (void *)(udp + 1) <= end && eth->h_proto == bpf_htons(ETH_P_IP) &&
	       ip->ihl == 5 && ip->protocol == IPPROTO_UDP &&
	       udp->dest == bpf_htons(HINTS_PORT);
}

static __always_inline void note_err(long err)
{
	if (err < 0 && !stats.err)
		stats.err = err;
}

/* read back what the store holds for the hint keys */
static __always_inline void read_back(struct xdp_md *ctx)
{
	struct xdpmeta_vlan v = {};

	bpf_xdpmeta_get(ctx, XDPMETA_KEY_RX_HASH, &stats.hash, 4);
	bpf_xdpmeta_get(ctx, XDPMETA_KEY_RX_HASH_TYPE, &stats.type, 4);
	if (bpf_xdpmeta_get(ctx, XDPMETA_KEY_RX_VLAN, &v, sizeof(v)) == 4) {
		stats.vlan_tci = v.tci;
		stats.vlan_proto = bpf_ntohs(v.proto);
	}
	bpf_xdpmeta_get(ctx, XDPMETA_KEY_RX_TIMESTAMP, &stats.ts, 8);
}

static __always_inline void set_all(struct xdp_md *ctx)
{
	note_err(bpf_xdpmeta_hint_set_hash(ctx, set_hash, set_type));
	if (set_tci)
		note_err(bpf_xdpmeta_hint_set_vlan(ctx, bpf_htons(ETH_P_8021Q), set_tci));
	if (set_ts)
		note_err(bpf_xdpmeta_hint_set_timestamp(ctx, set_ts));
}

/*
 * Push data down (and data_meta with it: adjust_head moves the metadata)
 * as far as the kernel allows; returns how many 8-byte steps it took.
 */
static __always_inline int push_down(struct xdp_md *ctx)
{
	int i;

	for (i = 0; i < 40; i++)
		if (bpf_xdp_adjust_head(ctx, -8))
			break;
	return i;
}

/*
 * import_ok: false on kernels without RX hint ops (6.1), where xdpmeta
 * refuses to attach a program that calls bpf_xdpmeta_import_hints(); the
 * verifier drops the calls behind it, so xdp_hints and xdp_rx attach there
 * for everything else.
 */
const volatile bool import_ok = true;

SEC("xdp")
int xdp_hints(struct xdp_md *ctx)
{
	__u32 one = 1;

	if (!test_packet(ctx))
		return XDP_PASS;
	__sync_fetch_and_add(&stats.xdp_seen, 1);
	switch (mode) {
	case HM_NONE:
		break;
	case HM_IMPORT:
		if (import_ok)
			stats.import_ret = bpf_xdpmeta_import_hints(ctx, XDPMETA_HINT_ALL);
		read_back(ctx);
		break;
	case HM_SET:
	case HM_SET_PASS:
		set_all(ctx);
		read_back(ctx);
		if (mode == HM_SET_PASS)
			return XDP_PASS;
		break;
	case HM_USERKEY:
		note_err(bpf_xdpmeta_set(ctx, key, &one, 4, 0));
		break;
	case HM_GROW_META: {
		/* what the 8 bytes held: a consumed seal (magic 0, an offset)? */
		__u16 *m;

		note_err(bpf_xdp_adjust_meta(ctx, -8));
		m = (void *)(long)ctx->data_meta;
		if ((void *)(m + 4) <= (void *)(long)ctx->data) {
			stats.grow_bytes = *(__u64 *)m;
			if (m[0] == 0 && (m[1] & 0x7fff) >= 40 && (m[1] & 0x7fff) <= 512)
				__sync_fetch_and_add(&stats.grow_consumed, 1);
		}
		break;
	}
	case HM_SET_DECAP:
		/*
		 * An 8-byte outer header in front (pushed before the set, like
		 * an encapsulation the packet came with), the hints set, then the
		 * header stripped: data (and the seal with it) ends 8 bytes past
		 * where it was sealed, so seal.off is 8 off and only the look-up
		 * at the head finds the store.
		 */
		note_err(bpf_xdp_adjust_head(ctx, -8));
		set_all(ctx);
		note_err(bpf_xdpmeta_set(ctx, key, &one, 4, 0));
		note_err(bpf_xdp_adjust_head(ctx, 8));
		break;
	case HM_SET_CLOBBER: {
		/* the seal is moved over the store's header and back */
		int i, n;

		note_err(bpf_xdpmeta_set(ctx, key, &one, 4, 0));
		n = push_down(ctx);
		for (i = 0; i < 40 && i < n; i++)
			note_err(bpf_xdp_adjust_head(ctx, 8));
		break;
	}
	case HM_IMPORT_NOROOM:
		push_down(ctx);
		if (import_ok)
			stats.import_ret = bpf_xdpmeta_import_hints(ctx, XDPMETA_HINT_HASH);
		return XDP_DROP;
	case HM_IMPORT_CLOBBERED:
		note_err(bpf_xdpmeta_set(ctx, key, &one, 4, 0));
		push_down(ctx);
		if (import_ok)
			stats.import_ret = bpf_xdpmeta_import_hints(ctx, XDPMETA_HINT_HASH);
		return XDP_DROP;
	}
	return bpf_redirect_map(&tx_port, 0, 0);
}

/*
 * GRO test: a live-frames generator (BPF_PROG_TEST_RUN) redirecting
 * batches of one flow's frames into xrc, so that xrd's NAPI sees them
 * together: with nothing, with hints set, or with metadata that differs
 * per frame (the control).
 */
SEC("xdp")
int gen_gro(struct xdp_md *ctx)
{
	__u32 n = __sync_fetch_and_add(&stats.xdp_seen, 1);
	__u32 *m;

	if (mode == HM_SET) {
		set_all(ctx);
	} else if (mode == HM_VARY_META && !bpf_xdp_adjust_meta(ctx, -4)) {
		m = (void *)(long)ctx->data_meta;
		if ((void *)(m + 1) <= (void *)(long)ctx->data)
			*m = n;
	}
	return bpf_redirect_map(&tx_port, 0, 0);
}

/* at xrd: veth takes redirected frames only with a program here */
SEC("xdp")
int xdp_rx(struct xdp_md *ctx)
{
	if (!test_packet(ctx))
		return XDP_PASS;
	__sync_fetch_and_add(&stats.rx_seen, 1);
	if (import_ok && rx_import)
		stats.rx_import_ret = bpf_xdpmeta_import_hints(ctx, XDPMETA_HINT_ALL);
	return XDP_PASS;
}

/* virtio_net: import on a NIC, record, pass */
SEC("xdp")
int xdp_import_local(struct xdp_md *ctx)
{
	if (!test_packet(ctx))
		return XDP_PASS;
	__sync_fetch_and_add(&stats.xdp_seen, 1);
	if (import_pre == 1)
		note_err(bpf_xdp_adjust_head(ctx, -4));
	else if (import_pre == 2)
		note_err(bpf_xdp_adjust_meta(ctx, -4));
	stats.import_ret = bpf_xdpmeta_import_hints(ctx, XDPMETA_HINT_ALL);
	if (import_pre)
		return XDP_DROP;
	read_back(ctx);
	return XDP_PASS;
}

/* tc ingress at xrd: the store as TC sees it (before the hints apply) */
SEC("tc")
int tc_read(struct __sk_buff *skb)
{
	__u16 port;
	__u32 v = 0;

	if (skb->protocol != bpf_htons(ETH_P_IP) ||
	    bpf_skb_load_bytes(skb, ETH_HLEN + 20 + 2, &port, 2) ||
	    port != bpf_htons(HINTS_PORT))
		return TC_ACT_OK;
	__sync_fetch_and_add(&stats.tc_seen, 1);
	stats.tc_hash_ret = bpf_xdpmeta_skb_get(skb, XDPMETA_KEY_RX_HASH, &v, 4);
	stats.tc_hash = v;
	v = 0;
	stats.tc_key_ret = bpf_xdpmeta_skb_get(skb, key, &v, 4);
	stats.tc_key = v;
	stats.tc_isset_ret = bpf_xdpmeta_skb_is_set(skb, key);
	stats.tc_vlan_ret = bpf_xdpmeta_skb_is_set(skb, XDPMETA_KEY_RX_VLAN);
	return TC_ACT_OK;
}

/* tc errno contract: ops[i].a is the key, .b the buffer size */
SEC("tc")
int tc_errnos(struct __sk_buff *skb)
{
	__u64 buf[2] = {};
	__u32 i;

	for (i = 0; i < HINT_OPS_MAX && i < nops; i++) {
		if (ops[i].op == HO_GET && ops[i].b == 16)
			ops[i].ret = bpf_xdpmeta_skb_get(skb, ops[i].a, buf, 16);
		else if (ops[i].op == HO_GET && ops[i].b == 2)
			ops[i].ret = bpf_xdpmeta_skb_get(skb, ops[i].a, buf, 2);
		else
			ops[i].ret = bpf_xdpmeta_skb_is_set(skb, ops[i].a);
	}
	return TC_ACT_OK;
}

/*
 * The receiving socket (UDP, or a packet socket): skb->hash as the stack
 * delivers it, for test packets only (a packet socket also sees the
 * device's own IPv6 chatter).
 */
SEC("socket")
int sock_hash(struct __sk_buff *skb)
{
	__u8 ip[24];

	if (skb->protocol != bpf_htons(ETH_P_IP) ||
	    bpf_skb_load_bytes_relative(skb, 0, ip, sizeof(ip), BPF_HDR_START_NET) ||
	    ip[9] != IPPROTO_UDP || ip[22] != HINTS_PORT >> 8 || ip[23] != (HINTS_PORT & 0xff))
		return skb->len;
	__sync_fetch_and_add(&stats.sock_seen, 1);
	stats.sock_hash = skb->hash;
	return skb->len;
}

/* BPF_PROG_TEST_RUN: a script of hint kfunc calls */
SEC("xdp")
int xdp_hint_ops(struct xdp_md *ctx)
{
	__u32 i;

	for (i = 0; i < HINT_OPS_MAX && i < nops; i++) {
		struct hint_op_rec *o = &ops[i];

		switch (o->op) {
		case HO_IMPORT:
			o->ret = bpf_xdpmeta_import_hints(ctx, o->a);
			break;
		case HO_SET_HASH:
			o->ret = bpf_xdpmeta_hint_set_hash(ctx, o->a, o->b);
			break;
		case HO_SET_VLAN:
			o->ret = bpf_xdpmeta_hint_set_vlan(ctx, bpf_htons((__u16)o->a), o->b);
			break;
		case HO_SET_TS:
			o->ret = bpf_xdpmeta_hint_set_timestamp(ctx, o->b);
			break;
		case HO_ADJ_HEAD:
			o->ret = bpf_xdp_adjust_head(ctx, o->a);
			break;
		case HO_ADJ_META:
			o->ret = bpf_xdp_adjust_meta(ctx, o->a);
			break;
		case HO_GET:
			o->ret = bpf_xdpmeta_get(ctx, o->a, o->out, 16);
			break;
		}
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

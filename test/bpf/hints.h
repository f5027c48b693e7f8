/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between test/bpf/hints.bpf.c and test/vm/t_hints.c. */
#ifndef HINTS_TEST_H
#define HINTS_TEST_H

#define HINTS_PORT	4789		/* UDP destination port of test packets */

/* What xdp_hints does to each test packet at the first veth (xrb). */
enum hints_mode {
	HM_NONE,	/* nothing, redirect */
	HM_IMPORT,	/* import all hints, redirect */
	HM_SET,		/* explicit set of hash, VLAN, timestamp; redirect */
	HM_USERKEY,	/* only a user key (a store without hints); redirect */
	HM_GROW_META,	/* grow data_meta by 8 without writing it; redirect */
	HM_SET_DECAP,	/* set, then bpf_xdp_adjust_head(+8): data moved */
	HM_SET_CLOBBER,	/* set, then grow data down into the store */
	HM_SET_PASS,	/* set, then XDP_PASS (no redirect) */
	HM_IMPORT_NOROOM, /* push data down until no room, then import; drop */
	HM_IMPORT_CLOBBERED, /* set, clobber the store, then import; drop */
	HM_VARY_META,	/* 4 bytes of data_meta that differ per packet; redirect */
};

/* Operations of xdp_hint_ops (BPF_PROG_TEST_RUN errno tests). */
enum hint_op {
	HO_IMPORT,	/* import_hints(a) */
	HO_SET_HASH,	/* hint_set_hash(a, b) */
	HO_SET_VLAN,	/* hint_set_vlan(htons(a), b) */
	HO_SET_TS,	/* hint_set_timestamp(a) */
	HO_ADJ_HEAD,	/* bpf_xdp_adjust_head(a) */
	HO_ADJ_META,	/* bpf_xdp_adjust_meta(a) */
	HO_GET,		/* bpf_xdpmeta_get(key a) -> out */
};

struct hint_op_rec {
	__u32 op;
	__s32 a;
	__u64 b;
	__s64 ret;
	__u64 out[2];
};

#define HINT_OPS_MAX 8

struct hints_stats {
	__u64 grow_consumed;	/* HM_GROW_META exposed a consumed seal */
	__u64 grow_bytes;	/* ... the 8 bytes it exposed, last time */
	__u64 xdp_seen;		/* test packets at xrb */
	__s64 import_ret;	/* last import's return */
	__u32 hash, type;	/* what the store holds after import/set */
	__u16 vlan_tci, vlan_proto;
	__u64 ts;
	__s64 err;		/* first unexpected kfunc error */
	__u64 rx_seen;		/* test packets at xrd (XDP) */
	__s64 rx_import_ret;	/* import at xrd (redirected frames) */
	__u64 tc_seen;		/* test packets at xrd's tc ingress */
	__s64 tc_hash_ret, tc_key_ret, tc_isset_ret, tc_vlan_ret;
	__u32 tc_hash, tc_key;
	__u64 sock_seen;	/* test packets at the receiving socket */
	__u32 sock_hash;
	__u32 pad;
};

#endif

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PULL_H
#define PULL_H
struct pull_cfg {
	__u32 len;
	__u32 flags;
	__u32 key;
	__u32 set_store;
	__u32 set_meta;
};

struct pull_res {
	__s32 ret;
	__s32 set_ret;
	__s32 get_ret;
	__u32 store_ok;
	__u32 meta_ok;
	__u32 linear_before;
	__u32 total_before;
	__u32 linear_after;
	__u32 total_after;
	__u8 val[16];
};

struct pull_rx_stats {
	__u64 frames;		/* >= 1000 bytes */
	__u64 multi;		/* ... that arrived multi-buffer */
	__u64 whole;		/* pulled whole, frags gone */
	__u64 enospc;
	__s64 last_other;
};
#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between test/bpf/stress.bpf.c and test/vm/t_stress_keys.c. */
#ifndef STRESS_H
#define STRESS_H

#define STRESS_KEYS_PER_PKT	4

/* the test-run packet: which ids to set and get, with what */
struct stress_pkt {
	__u32 key[STRESS_KEYS_PER_PKT];
	__u32 size[STRESS_KEYS_PER_PKT];	/* 4 or 8 */
	__u64 val;
	__u8 pad[64];
};

/* per-CPU outcome counters of stress_kv */
enum {
	STRESS_OK,		/* set 0, get returned the same bytes */
	STRESS_REFUSED,		/* set -ENOKEY/-EMSGSIZE/-EBADMSG: id not (so) registered */
	STRESS_RACED,		/* set 0, then get -ENOKEY/-EMSGSIZE/-EBADMSG: re-registered between */
	STRESS_MISMATCH,	/* get returned other bytes than set wrote */
	STRESS_OTHER,		/* any other return value */
	STRESS_NR,
};

#endif

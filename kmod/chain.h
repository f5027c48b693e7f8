/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chain.h - multi-program XDP on a hooked device: the chain room.
 *
 * Design
 * ======
 * A device runs one XDP program. A chained device runs xdpmeta's
 * dispatcher (bpf/xdpmeta_dispatch.bpf.c), attached like any program
 * (netlink or bpf_link, so `ip link` and `bpftool net` show it), whose one
 * call, bpf_xdpmeta_chain_run(), runs the device's chain: up to
 * XDPMETA_ORDER_MAX programs, each with bpf_prog_run_xdp() on the same
 * xdp_buff, in the order order.c keeps (bpf_mprog's rules, first/last
 * pins, continue actions). The first action that is not one of the
 * entry's continue actions is the dispatcher's verdict; when every entry
 * continued, the verdict is XDP_PASS (the device's default, as if no more
 * programs were attached). An inner bpf_redirect_map() works as from an
 * attached program: its per-CPU redirect state is the driver's to consume
 * once the dispatcher returns XDP_REDIRECT (which is why XDP_REDIRECT
 * cannot be a continue action). Entries run with __bpf_prog_run(), not
 * bpf_prog_run_xdp(): a bond slave's XDP_TX translation belongs to the
 * final verdict, which the driver's call of the dispatcher applies.
 * Only driver-mode dispatchers have chains: generic XDP installs
 * without ndo_bpf.
 *
 * A program is a dispatcher if it calls bpf_xdpmeta_chain_run() (found in
 * its verified instructions, features.c); the module never loads or
 * attaches programs itself. A device's chain exists from the moment a
 * dispatcher is attached (hook.c's ndo_bpf wrapper calls
 * __xdpmeta_chain_setup() and __xdpmeta_chain_setup_done()) until another
 * program or none replaces it, or the device is unhooked: then its
 * entries are released. While the chain has entries, attaching a program
 * that is not a dispatcher is refused with an extack message naming the
 * CLI, so a plain `ip link set dev X xdp ...` or a libxdp dispatcher
 * cannot silently drop the chain.
 *
 * Entries are changed through bpf_xdpmeta_chain_ctl(), a SYSCALL kfunc
 * (bpf/xdpmeta_ctl.bpf.c's xdpmeta_chain, run with BPF_PROG_RUN): it
 * takes the program from the calling process's fd table
 * (bpf_prog_get_type_dev()), and the entry holds that reference for as
 * long as it is attached, so a program lives while it is chained whatever
 * happens to its fds and pins. Refused as entries: device-bound programs
 * (their hint kfuncs were resolved for one device), devmap/cpumap
 * programs (they read an egress device that ingress has not), and
 * dispatchers (recursion); each entry's requirements (XDPMETA_REQUIRE)
 * are checked against the device as at a plain attach.
 *
 * Multi-buffer: the dispatcher is frags-aware, so a jumbo-MTU device
 * accepts it and frags-aware entries see whole multi-buffer frames. An
 * entry whose program is not frags-aware never sees a frame with frags:
 * by its policy (XDPMETA_CHAIN_MB_*) the frame is first made linear in its
 * own buffer (mb.c's pull, all bytes; a frame that does not fit is
 * dropped), or the chain ends with XDP_DROP or XDP_PASS, or the entry is
 * skipped; each case is counted per entry.
 *
 * Recursion: an entry (or a program it tail-calls) calling
 * bpf_xdpmeta_chain_run() again gets XDP_ABORTED, counted; a per-CPU
 * depth, with BH disabled around the walk (as NAPI and 6.12's test runs
 * already are), so no other walk can start on the CPU meanwhile; on
 * PREEMPT_RT the section stays preemptible, serialized by the softirq lock.
 *
 * Redirect shim: a veth whose peer's chain has a plain entry that pulls
 * gets peer_plain (hook.c's shim linearizes multi-buffer frames sent into
 * it): a redirected frame's own buffer is full, so an in-place pull would
 * fail. Recomputed on every publish and program change.
 *
 * Locking
 * =======
 *  - RTNL protects struct xdpmeta_chain (order, entries) and every
 *    change of xdpmeta_dev::chain and ::chain_run. The ctl kfunc takes
 *    RTNL (SYSCALL programs may sleep); ndo_bpf and the notifier hold it.
 *  - The data path reads xdpmeta_dev::chain_run, an immutable array of
 *    slots (program, continue actions, multi-buffer policy), with
 *    rcu_dereference() inside the RCU read-side section the driver's (or
 *    the test run's) program call is in. Every change builds a new array
 *    and publishes it with rcu_assign_pointer(); the old one is freed with
 *    kfree_rcu().
 *  - A retired entry (detached, replaced, or its chain torn down) drops
 *    its program reference and frees its counters from a workqueue after
 *    a grace period (queue_rcu_work()): by then no walk can hold the old
 *    array that named it. bpf_prog_put() runs in process context there.
 *  - Module exit: hook.c's exit tears every chain down while unhooking
 *    (a loaded dispatcher holds a module reference, so in practice no
 *    chain is left by then), its rcu_barrier() lets every queued
 *    rcu_work reach the workqueue, and xdpmeta_chain_exit() destroys the
 *    workqueue, which runs what is left.
 */
#ifndef XDPMETA_CHAIN_H
#define XDPMETA_CHAIN_H

#include <linux/workqueue.h>
#include "order.h"

/* Per-CPU counters of one entry (struct xdpmeta_chain_info's). */
struct xdpmeta_chain_entry_pcpu {
	u64 mb_pulled;
	u64 mb_dropped;
	u64 mb_passed;
	u64 mb_skipped;
};

/* One attached program. RTNL; the data path sees only its slot. */
struct xdpmeta_chain_entry {
	struct bpf_prog *prog;			/* reference held while attached */
	u8 mb;					/* XDPMETA_CHAIN_MB_* */
	struct xdpmeta_chain_entry_pcpu __percpu *st;
	struct rcu_work rw;			/* retirement */
};

/* What the data path reads of an entry: copied, so a walk is one array. */
struct xdpmeta_chain_slot {
	struct bpf_prog *prog;
	u32 cont;				/* continue actions */
	u8 frags;				/* the program is frags-aware */
	u8 mb;
	struct xdpmeta_chain_entry_pcpu __percpu *st;
};

/* The published chain: immutable once published. */
struct xdpmeta_chain_run {
	struct rcu_head rcu;
	u32 n;
	struct xdpmeta_chain_slot s[];
};

/* A device's chain, control side. RTNL. */
struct xdpmeta_chain {
	struct xdpmeta_order order;		/* ids, pins, continue actions */
	/* ent[i] is the entry of order.e[i] */
	struct xdpmeta_chain_entry *ent[XDPMETA_ORDER_MAX];
	bool installed;				/* a dispatcher is attached */
};

#endif /* XDPMETA_CHAIN_H */

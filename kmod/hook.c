// SPDX-License-Identifier: GPL-2.0
/*
 * hook.c - the device hook: finds veth and virtio_net devices in every
 * netns, points their netdev_ops at a module-owned copy whose ndo_bpf and
 * ndo_xdp_xmit wrap the driver's, and puts the driver's table back on
 * NETDEV_UNREGISTER and on module unload. Only this file writes
 * dev->netdev_ops. Locking: see the block at the top of xdpmeta_int.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <net/rtnetlink.h>
#include <net/net_namespace.h>

#include "xdpmeta_int.h"

/* All hooked devices, in every netns. Protected by RTNL. */
static LIST_HEAD(xdpmeta_devs);

/*
 * Records of unhooked devices, kept for a while: see __xdpmeta_unhook_dev().
 * Protected by RTNL.
 */
static LIST_HEAD(xdpmeta_retired);
#define XDPMETA_RETIRE_DELAY (60 * HZ)

/* Set (under RTNL) before module exit unregisters the notifier. */
static bool xdpmeta_hook_exiting;
static unsigned int xdpmeta_hook_restored_at_exit;	/* RTNL */

static const char *const xdpmeta_driver_names[__XDPMETA_DRV_MAX] = {
	[XDPMETA_DRV_VETH]	 = "veth",
	[XDPMETA_DRV_VIRTIO_NET] = "virtio_net",
};

const char *xdpmeta_driver_name(enum xdpmeta_driver drv)
{
	return drv < __XDPMETA_DRV_MAX ? xdpmeta_driver_names[drv] : "?";
}

/*
 * Identify the driver without trusting the interface name: a veth is a
 * device whose rtnl_link_ops kind is "veth" (veth devices exist only
 * through rtnetlink); a virtio_net device's parent is the virtio device
 * bound to the "virtio_net" driver (bound before its probe registers the
 * netdev). Anything else, including devices named like these, is ignored.
 */
int xdpmeta_driver_of(const struct net_device *dev)
{
	const struct device *parent = dev->dev.parent;

	if (dev->rtnl_link_ops && dev->rtnl_link_ops->kind &&
	    !strcmp(dev->rtnl_link_ops->kind, "veth"))
		return XDPMETA_DRV_VETH;
	if (parent && parent->driver && parent->driver->name &&
	    !strcmp(parent->driver->name, "virtio_net"))
		return XDPMETA_DRV_VIRTIO_NET;
	return -ENODEV;
}

int xdpmeta_ndo_bpf(struct net_device *dev, struct netdev_bpf *bpf);
static int xdpmeta_ndo_xdp_xmit(struct net_device *dev, int n,
				struct xdp_frame **frames, u32 flags);

/* The record behind a hooked device. Caller holds RTNL. */
static struct xdpmeta_dev *__xdpmeta_dev_of(struct net_device *dev)
{
	ASSERT_RTNL();
	if (dev->netdev_ops->ndo_bpf != xdpmeta_ndo_bpf)
		return NULL;
	return container_of(dev->netdev_ops, struct xdpmeta_dev, ops);
}

/*
 * The native XDP program of @dev as the core records it: attached through
 * a bpf_link (whose first member is the struct bpf_link), or directly.
 * Caller holds RTNL. (A program a bond pushes down to its slaves is not
 * recorded there; it is seen when it goes through our ndo_bpf.)
 */
struct bpf_prog *__xdpmeta_mode_prog(struct net_device *dev, enum bpf_xdp_mode mode)
{
	const void *link;

	ASSERT_RTNL();
	link = dev->xdp_state[mode].link;
	if (link)
		return ((const struct bpf_link *)link)->prog;
	return dev->xdp_state[mode].prog;
}

struct bpf_prog *__xdpmeta_drv_prog(struct net_device *dev)
{
	return __xdpmeta_mode_prog(dev, XDP_MODE_DRV);
}

static void __xdpmeta_dev_set_prog(struct xdpmeta_dev *xd, struct bpf_prog *prog)
{
	xd->prog_id = prog ? prog->aux->id : 0;
	xd->prog_frags = prog && prog->aux->xdp_has_frags;
	strscpy(xd->prog_name, prog ? prog->aux->name : "", sizeof(xd->prog_name));
}

/* The veth peer of @dev (RTNL keeps it from changing), or NULL. */
static struct net_device *__xdpmeta_veth_peer(struct net_device *dev)
{
	struct net_device *peer;

	ASSERT_RTNL();
	if (!dev->netdev_ops->ndo_get_peer_dev)
		return NULL;
	rcu_read_lock();	/* veth_peer_dev() uses rcu_dereference */
	peer = dev->netdev_ops->ndo_get_peer_dev(dev);
	rcu_read_unlock();
	return peer;
}

/*
 * Frames sent into veth @xd->dev arrive at its peer's program: tell the
 * ndo_xdp_xmit wrapper whether that program is not frags-aware. Called
 * under RTNL whenever a program changes on either end and when a device
 * is hooked; the data path never looks at the peer's program itself.
 */
static void __xdpmeta_veth_sync(struct xdpmeta_dev *xd, struct net_device *peer,
				bool peer_prog, bool peer_frags)
{
	struct xdpmeta_dev *pxd = peer ? __xdpmeta_dev_of(peer) : NULL;
	bool plain = peer_prog && !peer_frags;

	/*
	 * A frags-aware dispatcher whose chain has a plain entry that pulls
	 * wants linear frames too: a redirected frame's own buffer is full,
	 * so the in-place pull would fail and drop it (chain.c); the shim's
	 * copy into a fresh page is what a plain program attached alone gets.
	 */
	if (peer_prog && !plain && pxd)
		plain = __xdpmeta_chain_wants_linear(pxd);
	WRITE_ONCE(xd->peer_plain, plain);
}

/*
 * @xd's program (as its record has it: the ndo_bpf wrapper keeps it, a
 * bond's push included) or its chain changed: tell its veth peer's shim.
 * RTNL.
 */
void __xdpmeta_hook_peer_sync(struct xdpmeta_dev *xd)
{
	struct net_device *peer;
	struct xdpmeta_dev *pd;

	if (xd->drv != XDPMETA_DRV_VETH)
		return;
	peer = __xdpmeta_veth_peer(xd->dev);
	pd = peer ? __xdpmeta_dev_of(peer) : NULL;
	if (pd)
		__xdpmeta_veth_sync(pd, xd->dev, xd->prog_id, xd->prog_frags);
}

/*
 * ndo_bpf wrapper. RTNL is held by every caller (dev_xdp_install and the
 * other netdev_bpf commands), and unhooking also runs under RTNL, so
 * dev->netdev_ops is our table for the whole call.
 *
 * The driver's ndo_bpf runs first and its verdict stands: a stock
 * refusal keeps its own errno and extack message.
 */
int xdpmeta_ndo_bpf(struct net_device *dev, struct netdev_bpf *bpf)
{
	struct xdpmeta_dev *xd = __xdpmeta_dev_of(dev);
	int err;

	/*
	 * mb mode strict, requirements the program declared or implies by its
	 * kfunc calls: features.c, with req.c's verdict and words
	 */
	if (bpf->command == XDP_SETUP_PROG) {
		/* chain.c: a dispatcher gets a chain; others wait for it to empty */
		err = __xdpmeta_chain_setup(xd, bpf->prog, bpf->extack);
		if (!err && bpf->prog)
			err = __xdpmeta_features_check(dev, bpf->prog, bpf->extack);
		if (err) {
			__xdpmeta_chain_setup_done(xd, bpf->prog, err);
			xd->n_refused++;
			return err;
		}
	}

	err = xd->orig->ndo_bpf(dev, bpf);
	if (bpf->command != XDP_SETUP_PROG)
		return err;

	__xdpmeta_chain_setup_done(xd, bpf->prog, err);
	if (err) {
		xd->n_refused++;
		return err;
	}
	if (bpf->prog)
		xd->n_attach++;
	else if (xd->prog_id)
		xd->n_detach++;
	__xdpmeta_dev_set_prog(xd, bpf->prog);
	__xdpmeta_hook_peer_sync(xd);
	return 0;
}

/*
 * ndo_xdp_xmit wrapper: the redirect target side (devmap, cpumap does not
 * come here). Runs in NAPI/softirq context under rcu_read_lock(). The
 * caller loaded dev->netdev_ops before we were entered; if the device was
 * unhooked since, our record may already be queued for freeing, so read
 * the ops again and hand over to the driver if they are not ours.
 *
 * Return contract (unchanged): the number of frames the driver took; the
 * caller frees the others.
 */
static int xdpmeta_ndo_xdp_xmit(struct net_device *dev, int n,
				struct xdp_frame **frames, u32 flags)
{
	const struct net_device_ops *ops = READ_ONCE(dev->netdev_ops);
	struct xdpmeta_dev *xd;
	int sent;

	if (unlikely(ops->ndo_xdp_xmit != xdpmeta_ndo_xdp_xmit))
		return ops->ndo_xdp_xmit(dev, n, frames, flags);
	xd = container_of(ops, struct xdpmeta_dev, ops);

	/* mb.c's compat shim: the peer's program is not frags-aware */
	if (READ_ONCE(xd->peer_plain) &&
	    READ_ONCE(xdpmeta_mb_mode) == XDPMETA_MB_COMPAT &&
	    xdpmeta_mb_wanted(frames, n))
		sent = xdpmeta_mb_xmit(xd, dev, n, frames, flags);
	else
		sent = xd->orig->ndo_xdp_xmit(dev, n, frames, flags);
	this_cpu_inc(xd->pcpu->xmit_calls);
	if (sent > 0)
		this_cpu_add(xd->pcpu->xmit_frames, sent);
	if (sent >= 0 && sent < n)
		this_cpu_add(xd->pcpu->xmit_errors, n - sent);
	else if (sent < 0)
		this_cpu_add(xd->pcpu->xmit_errors, n);
	return sent;
}

static void xdpmeta_dev_free_rcu(struct rcu_head *rcu)
{
	struct xdpmeta_dev *xd = container_of(rcu, struct xdpmeta_dev, rcu);

	free_percpu(xd->pcpu);
	kfree(xd);
	xdpmeta_obj_dec(XDPMETA_OBJ_RECORDS);
}

/* Hook @dev if it is a veth or virtio_net device. Caller holds RTNL. */
static void __xdpmeta_hook_dev(struct net_device *dev)
{
	struct xdpmeta_dev *xd;
	int drv;

	ASSERT_RTNL();
	drv = xdpmeta_driver_of(dev);
	if (drv < 0)
		return;
	xd = __xdpmeta_dev_of(dev);
	if (xd) {	/* already ours: moved to another netns */
		xdpmeta_skb_hook(xd);
		return;
	}
	if (!dev->netdev_ops->ndo_bpf) {
		/* e.g. net_failover's master over a virtio device: no XDP */
		netdev_dbg(dev, "xdpmeta: %s device without ndo_bpf, not hooked\n",
			   xdpmeta_driver_name(drv));
		return;
	}

	xd = kzalloc(sizeof(*xd), GFP_KERNEL);
	if (!xd)
		goto err;
	xd->pcpu = alloc_percpu(struct xdpmeta_dev_pcpu);
	if (!xd->pcpu)
		goto err;

	xd->orig = dev->netdev_ops;
	xd->ops = *xd->orig;
	xd->ops.ndo_bpf = xdpmeta_ndo_bpf;
	if (xd->orig->ndo_xdp_xmit)
		xd->ops.ndo_xdp_xmit = xdpmeta_ndo_xdp_xmit;
	xd->dev = dev;
	xd->drv = drv;
	xd->mb_policy = xdpmeta_mb_default_policy;
	xdpmeta_hints_dev_init(xd);
	/* programs attached before we were loaded */
	__xdpmeta_dev_set_prog(xd, __xdpmeta_drv_prog(dev));
	if (drv == XDPMETA_DRV_VETH) {
		struct net_device *peer = __xdpmeta_veth_peer(dev);
		struct bpf_prog *pp = peer ? __xdpmeta_drv_prog(peer) : NULL;

		if (peer)
			__xdpmeta_veth_sync(xd, peer, pp, pp && pp->aux->xdp_has_frags);
		__xdpmeta_hook_peer_sync(xd);	/* the peer's view of us */
	}
	list_add_tail(&xd->node, &xdpmeta_devs);
	xdpmeta_obj_inc(XDPMETA_OBJ_RECORDS);
	xdpmeta_obj_inc(XDPMETA_OBJ_HOOKED);
	/* Publish only once the copy is complete. */
	smp_store_release(&dev->netdev_ops, &xd->ops);
	xdpmeta_skb_hook(xd);	/* failure is logged, the hook stays */
	netdev_dbg(dev, "xdpmeta: hooked (%s)\n", xdpmeta_driver_name(drv));
	return;
err:
	if (xd)
		free_percpu(xd->pcpu);
	kfree(xd);
	netdev_err(dev, "xdpmeta: out of memory, %s device left unhooked\n",
		   xdpmeta_driver_name(drv));
}

/* Free retired records older than the delay (all of them if @all). RTNL. */
static void __xdpmeta_retired_reap(bool all)
{
	struct xdpmeta_dev *xd, *tmp;

	list_for_each_entry_safe(xd, tmp, &xdpmeta_retired, node) {
		if (!all && time_before(jiffies, xd->retired + XDPMETA_RETIRE_DELAY))
			break;	/* the list is in retirement order */
		list_del(&xd->node);
		xdpmeta_obj_dec(XDPMETA_OBJ_RETIRED);
		call_rcu(&xd->rcu, xdpmeta_dev_free_rcu);
	}
}

/*
 * Put the driver's ops back. Caller holds RTNL.
 *
 * Most ndo callers hold RTNL or run under RCU/BH, but a few do neither
 * (sysfs iflink_show() loads dev->netdev_ops twice in dev_get_iflink()).
 * So our copy is first made identical to the driver's table (only the two
 * wrapped slots differ), then the pointer is swapped back, and the copy is
 * freed only after XDPMETA_RETIRE_DELAY and an RCU grace period: a reader
 * that loaded the old pointer finds the driver's own functions in it.
 */
static void __xdpmeta_unhook_dev(struct net_device *dev)
{
	struct xdpmeta_dev *xd = __xdpmeta_dev_of(dev);

	if (!xd)
		return;
	__xdpmeta_chain_dev_gone(xd);	/* entries released after a grace period */
	WRITE_ONCE(xd->ops.ndo_bpf, xd->orig->ndo_bpf);
	WRITE_ONCE(xd->ops.ndo_xdp_xmit, xd->orig->ndo_xdp_xmit);
	WRITE_ONCE(dev->netdev_ops, xd->orig);
	list_move_tail(&xd->node, &xdpmeta_retired);
	xdpmeta_obj_dec(XDPMETA_OBJ_HOOKED);
	xdpmeta_obj_inc(XDPMETA_OBJ_RETIRED);
	xd->retired = jiffies;
	__xdpmeta_retired_reap(false);
	netdev_dbg(dev, "xdpmeta: restored\n");
}

/*
 * NETDEV_REGISTER is replayed for every device of every netns when the
 * notifier is registered, and NETDEV_UNREGISTER when it is unregistered.
 * A move to another netns sends UNREGISTER + REGISTER with reg_state still
 * NETREG_REGISTERED: the device keeps its hook (and its counters) then.
 */
static int xdpmeta_netdev_event(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	switch (event) {
	case NETDEV_REGISTER:
		__xdpmeta_hook_dev(dev);
		break;
	case NETDEV_UNREGISTER:
		/* the netfilter hook points at the device: gone on moves too */
		if (__xdpmeta_dev_of(dev))
			xdpmeta_skb_unhook(__xdpmeta_dev_of(dev));
		if (READ_ONCE(dev->reg_state) != NETREG_REGISTERED ||
		    xdpmeta_hook_exiting) {
			if (xdpmeta_hook_exiting && __xdpmeta_dev_of(dev))
				xdpmeta_hook_restored_at_exit++;
			__xdpmeta_unhook_dev(dev);
		}
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block xdpmeta_netdev_nb = {
	.notifier_call = xdpmeta_netdev_event,
};

static void xdpmeta_dev_pcpu_sum(const struct xdpmeta_dev *xd,
				 struct xdpmeta_dev_pcpu *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct xdpmeta_dev_pcpu *p = per_cpu_ptr(xd->pcpu, cpu);

		sum->xmit_calls += READ_ONCE(p->xmit_calls);
		sum->xmit_frames += READ_ONCE(p->xmit_frames);
		sum->xmit_errors += READ_ONCE(p->xmit_errors);
		sum->mb_linearized += READ_ONCE(p->mb_linearized);
		sum->mb_dropped += READ_ONCE(p->mb_dropped);
		sum->mb_passed += READ_ONCE(p->mb_passed);
		sum->skb_stores += READ_ONCE(p->skb_stores);
		sum->skb_hints += READ_ONCE(p->skb_hints);
		sum->skb_bad_seal += READ_ONCE(p->skb_bad_seal);
	}
}

/* debugfs "devices": a header line, then one line per hooked device. */
int xdpmeta_hook_devices_show(struct seq_file *m, void *v)
{
	struct xdpmeta_dev_pcpu sum;
	struct xdpmeta_dev *xd;

	seq_puts(m, "netns ifindex name driver mtu prog_id prog_frags prog_name attach detach refused xmit_calls xmit_frames xmit_errors mb_policy peer_plain mb_linearized mb_dropped mb_passed skb_stores skb_hints skb_bad_seal\n");
	rtnl_lock();
	list_for_each_entry(xd, &xdpmeta_devs, node) {
		struct net_device *dev = xd->dev;

		xdpmeta_dev_pcpu_sum(xd, &sum);
		seq_printf(m, "%u %d %s %s %u %u %d %s %llu %llu %llu %llu %llu %llu %s %d %llu %llu %llu %llu %llu %llu\n",
			   dev_net(dev)->ns.inum, dev->ifindex, dev->name,
			   xdpmeta_driver_name(xd->drv), READ_ONCE(dev->mtu),
			   xd->prog_id, xd->prog_frags,
			   xd->prog_name[0] ? xd->prog_name : "-",
			   xd->n_attach, xd->n_detach, xd->n_refused,
			   sum.xmit_calls, sum.xmit_frames, sum.xmit_errors,
			   xd->drv == XDPMETA_DRV_VETH ?
			   xdpmeta_mb_policy_name(xd->mb_policy) : "-",
			   xd->peer_plain, sum.mb_linearized, sum.mb_dropped,
			   sum.mb_passed, sum.skb_stores, sum.skb_hints,
			   sum.skb_bad_seal);
	}
	rtnl_unlock();
	return 0;
}

/* debugfs "features": features.c's view of every hooked device. */
int xdpmeta_hook_features_show(struct seq_file *m, void *v)
{
	struct xdpmeta_dev *xd;

	__xdpmeta_features_header(m);
	rtnl_lock();
	list_for_each_entry(xd, &xdpmeta_devs, node)
		__xdpmeta_features_show_dev(m, xd, xd->drv == XDPMETA_DRV_VETH ?
					    __xdpmeta_veth_peer(xd->dev) : NULL);
	rtnl_unlock();
	return 0;
}

/* debugfs `chains`: every chained device's order (chain.c). */
int xdpmeta_hook_chains_show(struct seq_file *m, void *v)
{
	struct xdpmeta_dev *xd;

	rtnl_lock();
	list_for_each_entry(xd, &xdpmeta_devs, node)
		__xdpmeta_chain_show_dev(m, xd);
	rtnl_unlock();
	return 0;
}

/*
 * Hooked devices running a program that is not frags-aware: they block
 * mb_mode=strict. Caller holds RTNL. Logs each one if @log.
 */
int __xdpmeta_hook_strict_blockers(bool log)
{
	struct xdpmeta_dev *xd;
	int n = 0;

	ASSERT_RTNL();
	list_for_each_entry(xd, &xdpmeta_devs, node) {
		if (!xd->prog_id || xd->prog_frags)
			continue;
		n++;
		if (log)
			pr_warn("mb_mode strict blocked by prog %u %s on %s (netns %u): not frags-aware\n",
				xd->prog_id, xd->prog_name, xd->dev->name,
				dev_net(xd->dev)->ns.inum);
	}
	return n;
}

/*
 * Set the redirect policy of the hooked veth @ifindex in the netns whose
 * inode number is @netns. Return: 0; -ENODEV if no such hooked device;
 * -EOPNOTSUPP if it is not a veth (the shim wraps veth's ndo_xdp_xmit).
 */
int xdpmeta_hook_set_mb_policy(unsigned int netns, int ifindex, int policy)
{
	struct xdpmeta_dev *xd;
	int err = -ENODEV;

	rtnl_lock();
	list_for_each_entry(xd, &xdpmeta_devs, node) {
		if (xd->dev->ifindex != ifindex || dev_net(xd->dev)->ns.inum != netns)
			continue;
		if (xd->drv != XDPMETA_DRV_VETH) {
			err = -EOPNOTSUPP;
			break;
		}
		WRITE_ONCE(xd->mb_policy, policy);
		err = 0;
		break;
	}
	rtnl_unlock();
	return err;
}

int xdpmeta_hook_init(void)
{
	/* Replays NETDEV_REGISTER for every existing device, all netns. */
	return register_netdevice_notifier(&xdpmeta_netdev_nb);
}

/* Returns the number of devices restored. */
unsigned int xdpmeta_hook_exit(void)
{
	unsigned int left = 0;
	struct xdpmeta_dev *xd;

	rtnl_lock();
	xdpmeta_hook_exiting = true;
	rtnl_unlock();
	/* Replays NETDEV_UNREGISTER for every device: restores them all. */
	unregister_netdevice_notifier(&xdpmeta_netdev_nb);

	/*
	 * Retired copies are normally kept XDPMETA_RETIRE_DELAY for readers
	 * that hold no RCU read lock (dev_get_iflink() loads netdev_ops
	 * twice from preemptible sysfs context). Now they go at once, so
	 * wait for every task to pass a voluntary context switch first: a
	 * task preempted between those loads is waited for.
	 */
	synchronize_rcu_tasks();
	rtnl_lock();
	list_for_each_entry(xd, &xdpmeta_devs, node)
		left++;
	__xdpmeta_retired_reap(true);	/* module text and data go now */
	rtnl_unlock();
	WARN_ONCE(left, "xdpmeta: %u devices still hooked at exit\n", left);

	synchronize_net();	/* no caller is still inside a wrapper */
	rcu_barrier();		/* every xdpmeta_dev_free_rcu() has run */
	return xdpmeta_hook_restored_at_exit;
}

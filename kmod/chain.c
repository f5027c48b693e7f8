// SPDX-License-Identifier: GPL-2.0
/*
 * chain.c - multi-program XDP chains on hooked devices: the dispatcher's
 * kfunc, the SYSCALL kfunc that changes and queries a chain, and the
 * policy hook.c's ndo_bpf wrapper applies while a chain is installed.
 * Design and locking: chain.h. Order rules: order.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/percpu.h>
#include <linux/capability.h>
#include <linux/nsproxy.h>
#include <net/xdp.h>
#include <net/net_namespace.h>

#include "xdpmeta_int.h"
#include "chain.h"

static_assert(XDPMETA_CHAIN_MAX == XDPMETA_ORDER_MAX);
static_assert(XDPMETA_CHAIN_BEFORE == XDPMETA_ORDER_BEFORE &&
	      XDPMETA_CHAIN_AFTER == XDPMETA_ORDER_AFTER &&
	      XDPMETA_CHAIN_REPLACE == XDPMETA_ORDER_REPLACE &&
	      XDPMETA_CHAIN_FIRST == XDPMETA_ORDER_FIRST &&
	      XDPMETA_CHAIN_LAST == XDPMETA_ORDER_LAST &&
	      XDPMETA_CHAIN_CONT == XDPMETA_ORDER_CONT &&
	      XDPMETA_ORDER_FLAGS == (XDPMETA_CHAIN_FLAGS & ~XDPMETA_CHAIN_MB));
static_assert(XDPMETA_CHAIN_CONT_DEFAULT == XDPMETA_ORDER_CONT_DEFAULT &&
	      XDPMETA_CHAIN_CONT_VALID == XDPMETA_ORDER_CONT_VALID);
static_assert(XDPMETA_CHAIN_PIN_FIRST == XDPMETA_ORDER_PIN_FIRST &&
	      XDPMETA_CHAIN_PIN_LAST == XDPMETA_ORDER_PIN_LAST);
/* the continue bits are XDP actions */
static_assert(XDP_ABORTED == 0 && XDP_DROP == 1 && XDP_PASS == 2 &&
	      XDP_TX == 3 && XDP_REDIRECT == 4);

/* Retired entries are released here (process context, after a grace period). */
static struct workqueue_struct *xdpmeta_chain_wq;

/* Nesting depth of bpf_xdpmeta_chain_run() on this CPU (0 or 1), BH off. */
static DEFINE_PER_CPU(u8, xdpmeta_chain_depth);

/* ---- data path ---------------------------------------------------------- */

/*
 * The frame has frags and slot @s's program is not frags-aware: apply the
 * entry's policy. Return: -1 to run the program (the frame is linear
 * now), -2 to skip it, else the chain's verdict.
 */
static int xdpmeta_chain_mb(const struct xdpmeta_chain_slot *s, struct xdp_md *ctx)
{
	switch (s->mb) {
	case XDPMETA_CHAIN_MB_PULL:
		if (bpf_xdpmeta_pull(ctx, 0, XDPMETA_PULL_ALL | XDPMETA_PULL_HEADROOM) >= 0) {
			this_cpu_inc(s->st->mb_pulled);
			return -1;
		}
		fallthrough;	/* it does not fit in its buffer: dropped */
	case XDPMETA_CHAIN_MB_DROP:
		this_cpu_inc(s->st->mb_dropped);
		return XDP_DROP;
	case XDPMETA_CHAIN_MB_PASS:
		this_cpu_inc(s->st->mb_passed);
		return XDP_PASS;
	default:	/* XDPMETA_CHAIN_MB_SKIP; attach checks the range */
		this_cpu_inc(s->st->mb_skipped);
		return -2;
	}
}

/* The walk itself. Caller: RCU read side, BH disabled. */
static u32 xdpmeta_chain_walk(const struct xdpmeta_chain_run *run,
			      struct xdp_buff *xdp)
{
	const struct xdpmeta_chain_slot *s = run->s, *end = run->s + run->n;
	u32 act;
	int v;

	for (; s < end; s++) {
		if (unlikely(xdp_buff_has_frags(xdp)) && !s->frags) {
			v = xdpmeta_chain_mb(s, (struct xdp_md *)xdp);
			if (v == -2)
				continue;
			if (v >= 0)
				return v;
		}
		/*
		 * Not bpf_prog_run_xdp(): its bond-slave XDP_TX translation is
		 * for the final verdict, which the driver's own call of the
		 * dispatcher applies; here the entry's own action must be seen.
		 */
		act = __bpf_prog_run(s->prog, xdp, BPF_DISPATCHER_FUNC(xdp));
		if (!xdpmeta_order_continues(s->cont, act))
			return act;
	}
	return XDP_PASS;
}

__bpf_kfunc_start_defs();

/**
 * bpf_xdpmeta_chain_run - run the receiving device's program chain
 * @ctx: the XDP context
 *
 * The one call of xdpmeta's dispatcher (bpf/xdpmeta_dispatch.bpf.c): runs
 * each program of the chain of the device @ctx was received on, in order,
 * on this same packet, and returns the first action that is not one of
 * the entry's continue actions (chain.h). Runs only where the receive
 * queue is the device's own registered one (the driver's RX path, a test
 * run with ingress_ifindex); native devmap and cpumap programs see a queue
 * the kernel made up on the stack. Entries may move or shrink the packet:
 * the caller must re-derive its packet pointers from @ctx afterwards (the
 * verifier does not invalidate them across a module kfunc).
 *
 * Return: the chain's verdict, an XDP action; XDP_PASS when every entry
 * continued, when the chain is empty, or when the device is not hooked by
 * xdpmeta or has no chain (as if no program were attached);
 * XDP_ABORTED when called from a native devmap or cpumap program, on a
 * receive queue being unregistered, or from inside a chain (an entry
 * calling it again: counted in chain_recursions).
 */
__bpf_kfunc int bpf_xdpmeta_chain_run(struct xdp_md *ctx)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	const struct net_device_ops *ops;
	const struct xdpmeta_chain_run *run;
	struct net_device *dev;
	struct xdpmeta_dev *xd;
	u32 act;

	/*
	 * A driver unregistering the rxq (veth's XDP detach) clears dev after
	 * reg_state: load dev once and refuse both states.
	 */
	dev = READ_ONCE(xdp->rxq->dev);
	if (unlikely(READ_ONCE(xdp->rxq->reg_state) != XDPMETA_RXQ_REGISTERED || !dev))
		return XDP_ABORTED;
	/*
	 * One load of the ops: the ownership test and the record must come
	 * from the same table, or an unhook between two loads (a test run
	 * holding the device while it is deleted) would make a record out of
	 * the driver's own ops. A record unhooked since stays valid for a
	 * grace period and more (hook.c), and its chain_run is NULL by then.
	 */
	ops = READ_ONCE(dev->netdev_ops);
	if (ops->ndo_bpf != xdpmeta_ndo_bpf)
		return XDP_PASS;
	xd = container_of(ops, struct xdpmeta_dev, ops);
	/*
	 * Pairs with the rcu_assign_pointer() of __xdpmeta_chain_publish();
	 * the caller is an XDP program, run inside rcu_read_lock() (drivers,
	 * generic XDP, test runs), and with BH off in NAPI.
	 */
	run = rcu_dereference_check(xd->chain_run, rcu_read_lock_bh_held());
	if (!run)
		return XDP_PASS;

	/*
	 * BH off (already so in NAPI and in 6.12's test runs): no other walk
	 * can start on this CPU until this one ends, so one depth per CPU is
	 * exact; on PREEMPT_RT the section stays preemptible and is
	 * serialized per CPU by the softirq lock instead.
	 */
	local_bh_disable();
	if (unlikely(__this_cpu_read(xdpmeta_chain_depth))) {
		this_cpu_inc(xd->pcpu->chain_recursions);
		local_bh_enable();
		return XDP_ABORTED;
	}
	__this_cpu_write(xdpmeta_chain_depth, 1);
	this_cpu_inc(xd->pcpu->chain_runs);
	act = xdpmeta_chain_walk(run, xdp);
	__this_cpu_write(xdpmeta_chain_depth, 0);
	local_bh_enable();
	return act;
}

__bpf_kfunc_end_defs();

/* ---- entries and publication (RTNL) ------------------------------------- */

static void xdpmeta_chain_entry_free(struct xdpmeta_chain_entry *e)
{
	if (e->prog)
		bpf_prog_put(e->prog);
	free_percpu(e->st);
	kfree(e);
	xdpmeta_obj_dec(XDPMETA_OBJ_CHAIN_ENTRIES);
}

static void xdpmeta_chain_entry_work(struct work_struct *w)
{
	xdpmeta_chain_entry_free(container_of(to_rcu_work(w),
					      struct xdpmeta_chain_entry, rw));
}

/* Release @e once no walk can see it: after the array naming it is gone. */
static void xdpmeta_chain_entry_retire(struct xdpmeta_chain_entry *e)
{
	INIT_RCU_WORK(&e->rw, xdpmeta_chain_entry_work);
	queue_rcu_work(xdpmeta_chain_wq, &e->rw);
}

static struct xdpmeta_chain_entry *xdpmeta_chain_entry_new(void)
{
	struct xdpmeta_chain_entry *e = kzalloc(sizeof(*e), GFP_KERNEL);

	if (!e)
		return NULL;
	e->st = alloc_percpu(struct xdpmeta_chain_entry_pcpu);
	if (!e->st) {
		kfree(e);
		return NULL;
	}
	xdpmeta_obj_inc(XDPMETA_OBJ_CHAIN_ENTRIES);
	return e;
}

/* An array for @n slots (NULL for none: an empty chain is no array). */
static int xdpmeta_chain_run_new(unsigned int n, struct xdpmeta_chain_run **run)
{
	*run = NULL;
	if (!n)
		return 0;
	*run = kmalloc(struct_size(*run, s, n), GFP_KERNEL);
	return *run ? 0 : -ENOMEM;
}

/* The entry of program @id among @c->ent[0..@n) (@c->order before a change). */
static struct xdpmeta_chain_entry *
__xdpmeta_chain_entry_of(struct xdpmeta_chain *c, const u32 *ids, unsigned int n,
			 u32 id)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return c->ent[i];
	return NULL;
}

/*
 * @c->order changed: line @c->ent up with it again (the entries of ids no
 * longer in it are the caller's to retire; @add is the new one, if any),
 * fill @run (allocated for the new length) and publish it on @xd.
 */
static void __xdpmeta_chain_publish(struct xdpmeta_dev *xd, struct xdpmeta_chain *c,
				    const u32 *old_ids, unsigned int old_n,
				    struct xdpmeta_chain_entry *add,
				    struct xdpmeta_chain_run *run)
{
	struct xdpmeta_chain_entry *ent[XDPMETA_ORDER_MAX];
	struct xdpmeta_chain_run *old;
	unsigned int i;
	bool linear;

	ASSERT_RTNL();
	for (i = 0; i < c->order.n; i++) {
		struct xdpmeta_chain_entry *e =
			__xdpmeta_chain_entry_of(c, old_ids, old_n, c->order.e[i].id);

		ent[i] = e ?: add;
	}
	memcpy(c->ent, ent, c->order.n * sizeof(ent[0]));
	if (run) {
		run->n = c->order.n;
		for (i = 0; i < run->n; i++) {
			run->s[i] = (struct xdpmeta_chain_slot){
				.prog = ent[i]->prog,
				.cont = c->order.e[i].cont,
				.frags = ent[i]->prog->aux->xdp_has_frags,
				.mb = ent[i]->mb,
				.st = ent[i]->st,
			};
		}
	}
	/*
	 * A veth peer redirecting into us linearizes for plain pulling
	 * entries (hook.c): switched on before the array that needs it is
	 * seen, off only after the array that needed it is gone from view.
	 */
	linear = __xdpmeta_chain_wants_linear(xd);
	if (linear)
		__xdpmeta_hook_peer_sync(xd);
	old = rtnl_dereference(xd->chain_run);
	rcu_assign_pointer(xd->chain_run, run);
	if (old)
		kfree_rcu(old, rcu);
	if (!linear)
		__xdpmeta_hook_peer_sync(xd);
}

/* Tear @xd's chain down: no walk starts on it, its entries are retired. */
static void __xdpmeta_chain_free(struct xdpmeta_dev *xd)
{
	struct xdpmeta_chain *c = xd->chain;
	struct xdpmeta_chain_run *old;
	unsigned int i;

	ASSERT_RTNL();
	if (!c)
		return;
	old = rtnl_dereference(xd->chain_run);
	RCU_INIT_POINTER(xd->chain_run, NULL);
	if (old)
		kfree_rcu(old, rcu);
	if (c->order.n)
		netdev_info(xd->dev, "xdpmeta: chain of %u programs released with its dispatcher\n",
			    c->order.n);
	for (i = 0; i < c->order.n; i++)
		xdpmeta_chain_entry_retire(c->ent[i]);
	kfree(c);
	xd->chain = NULL;
	xdpmeta_obj_dec(XDPMETA_OBJ_CHAINS);
}

/* ---- the device's program changes (hook.c's ndo_bpf, RTNL) -------------- */

static bool xdpmeta_chain_is_dispatcher(const struct bpf_prog *prog)
{
	return prog && xdpmeta_features_prog_calls(prog, bpf_xdpmeta_chain_run);
}

/*
 * Before the driver sees XDP_SETUP_PROG of @prog (NULL: detach) on @xd:
 * a dispatcher gets a chain (kept if it replaces a dispatcher); any other
 * program is refused while the chain has entries. Return: 0; -EBUSY
 * (extack says how to add to the chain instead); -ENOMEM.
 */
int __xdpmeta_chain_setup(struct xdpmeta_dev *xd, struct bpf_prog *prog,
			  struct netlink_ext_ack *extack)
{
	struct xdpmeta_chain *c = xd->chain;

	ASSERT_RTNL();
	if (xdpmeta_chain_is_dispatcher(prog)) {
		if (c)
			return 0;
		c = kzalloc(sizeof(*c), GFP_KERNEL);
		if (!c)
			return -ENOMEM;
		xdpmeta_order_init(&c->order);
		xd->chain = c;
		xdpmeta_obj_inc(XDPMETA_OBJ_CHAINS);
		return 0;
	}
	if (prog && c && c->order.n) {
		/* a literal: 6.1's extack keeps the pointer */
		NL_SET_ERR_MSG_MOD(extack,
				   "chain installed: add with 'xdpmeta prog attach DEV PROG'");
		net_info_ratelimited("xdpmeta: %s: refused program %s: the device runs an xdpmeta chain of %u programs; add it with 'xdpmeta prog attach %s PROG', or detach the chain's programs first ('xdpmeta prog list %s')\n",
				     xd->dev->name, prog->aux->name, c->order.n,
				     xd->dev->name, xd->dev->name);
		return -EBUSY;
	}
	return 0;
}

/*
 * After the driver's verdict @err on @prog: a chain that never got its
 * dispatcher goes; one whose dispatcher was replaced by another program
 * (or none) is released; one whose dispatcher now runs is installed.
 */
void __xdpmeta_chain_setup_done(struct xdpmeta_dev *xd, struct bpf_prog *prog,
				int err)
{
	struct xdpmeta_chain *c = xd->chain;

	ASSERT_RTNL();
	if (!c)
		return;
	if (err) {
		if (!c->installed)
			__xdpmeta_chain_free(xd);
		return;
	}
	if (xdpmeta_chain_is_dispatcher(prog))
		c->installed = true;
	else
		__xdpmeta_chain_free(xd);
}

bool __xdpmeta_chain_wants_linear(const struct xdpmeta_dev *xd)
{
	const struct xdpmeta_chain *c = xd->chain;
	unsigned int i;

	ASSERT_RTNL();
	if (!c || !c->installed)
		return false;
	for (i = 0; i < c->order.n; i++)
		if (!c->ent[i]->prog->aux->xdp_has_frags &&
		    c->ent[i]->mb == XDPMETA_CHAIN_MB_PULL)
			return true;
	return false;
}

void __xdpmeta_chain_dev_gone(struct xdpmeta_dev *xd)
{
	__xdpmeta_chain_free(xd);
}

/* ---- control: bpf_xdpmeta_chain_ctl() ----------------------------------- */

#define xdpmeta_chain_why(req, ...) \
	snprintf((req)->msg, sizeof((req)->msg), __VA_ARGS__)

/*
 * The hooked device @req names in the caller's netns, and its chain.
 * Return: 0; -ENODEV, -EOPNOTSUPP (not hooked), -ENOENT (no dispatcher:
 * only with @need_chain), -EPERM (a change without CAP_NET_ADMIN over the
 * device's netns), with req->msg saying which. RTNL.
 */
static int __xdpmeta_chain_dev(struct xdpmeta_chain_req *req, bool need_chain,
			       bool change, struct xdpmeta_dev **xdp)
{
	struct net_device *dev;
	struct xdpmeta_dev *xd;

	ASSERT_RTNL();
	dev = __dev_get_by_index(current->nsproxy->net_ns, req->ifindex);
	if (!dev) {
		xdpmeta_chain_why(req, "no device with ifindex %u in this netns", req->ifindex);
		return -ENODEV;
	}
	if (!xdpmeta_hook_owns(dev)) {
		xdpmeta_chain_why(req, "%s is not hooked by xdpmeta (veth and virtio_net are)",
				  dev->name);
		return -EOPNOTSUPP;
	}
	if (change && !ns_capable(dev_net(dev)->user_ns, CAP_NET_ADMIN)) {
		xdpmeta_chain_why(req, "changing %s's chain needs CAP_NET_ADMIN", dev->name);
		return -EPERM;
	}
	xd = xdpmeta_hook_dev_of(dev);
	if (need_chain && !(xd->chain && xd->chain->installed) &&
	    xdpmeta_chain_is_dispatcher(__xdpmeta_mode_prog(dev, XDP_MODE_SKB))) {
		/* generic XDP installs without ndo_bpf: no chain is made there */
		xdpmeta_chain_why(req, "%s runs the dispatcher in generic (skb) mode: chains need driver mode (xdpdrv)",
				  dev->name);
		return -EOPNOTSUPP;
	}
	if (need_chain && !(xd->chain && xd->chain->installed)) {
		xdpmeta_chain_why(req, "%s runs no xdpmeta dispatcher ('xdpmeta prog attach' installs it)",
				  dev->name);
		return -ENOENT;
	}
	*xdp = xd;
	return 0;
}

/* Why order.c said @err to a request of @req's kind. */
static void xdpmeta_chain_order_why(struct xdpmeta_chain_req *req,
				    const struct xdpmeta_chain *c, int err)
{
	const char *why;

	switch (err) {
	case -ESTALE:
		xdpmeta_chain_why(req, "the chain changed (revision %llu, expected %llu): read it again (xdpmeta prog list)",
				  c->order.revision, req->expected_revision);
		return;
	case -EEXIST:
		why = "the program is in the chain already (detach it first, or --replace its id)";
		break;
	case -ENOENT:
		why = c->order.n ? "no such program in the chain (xdpmeta prog list shows its ids)" :
		      "the chain is empty";
		break;
	case -EBUSY:
		why = "a first/last entry holds that place, or the pin is taken (xdpmeta prog list shows the pins)";
		break;
	case -ERANGE:
		why = c->order.n >= XDPMETA_ORDER_MAX ? "the chain is full (64 programs): detach one first" :
		      "the positions given do not fit together, or nothing is there";
		break;
	default:
		why = "malformed request (flags, ids, continue actions)";
		break;
	}
	xdpmeta_chain_why(req, "%s", why);
}

/*
 * Whether @prog may be an entry. Return: 0; -EINVAL for a device-bound,
 * devmap or cpumap program; -ELOOP for a dispatcher.
 */
static int xdpmeta_chain_prog_usable(struct xdpmeta_chain_req *req, struct bpf_prog *prog)
{
	if (bpf_prog_is_dev_bound(prog->aux)) {
		xdpmeta_chain_why(req, "%s is device-bound: load it without BPF_F_XDP_DEV_BOUND_ONLY (bpf_xdpmeta_import_hints gives the hints)",
				  prog->aux->name);
		return -EINVAL;
	}
	if (prog->expected_attach_type == BPF_XDP_DEVMAP ||
	    prog->expected_attach_type == BPF_XDP_CPUMAP) {
		xdpmeta_chain_why(req, "%s is a devmap/cpumap program: chains run at ingress (load it as SEC(\"xdp\"))",
				  prog->aux->name);
		return -EINVAL;
	}
	if (xdpmeta_chain_is_dispatcher(prog)) {
		xdpmeta_chain_why(req, "%s is a dispatcher (calls bpf_xdpmeta_chain_run)",
				  prog->aux->name);
		return -ELOOP;
	}
	return 0;
}

static void xdpmeta_chain_order_req(const struct xdpmeta_chain_req *req, u32 id,
				    struct xdpmeta_order_req *o)
{
	*o = (struct xdpmeta_order_req){
		.id = id,
		.flags = req->flags & XDPMETA_ORDER_FLAGS,
		.rel = req->rel_id,
		.old = req->old_id,
		.cont = req->cont,
		.expected_revision = req->expected_revision,
	};
}

static void __xdpmeta_chain_ids(const struct xdpmeta_chain *c, u32 *ids)
{
	unsigned int i;

	for (i = 0; i < c->order.n; i++)
		ids[i] = c->order.e[i].id;
}

/* Attach req->prog_fd. Return: its index, or -errno (req->msg says why). */
static int xdpmeta_chain_attach(struct xdpmeta_chain_req *req)
{
	struct xdpmeta_chain_run *run = NULL;
	struct xdpmeta_chain_entry *e, *old = NULL;
	u32 ids[XDPMETA_ORDER_MAX];
	struct xdpmeta_order_req o;
	struct xdpmeta_chain *c;
	struct xdpmeta_dev *xd;
	struct bpf_prog *prog;
	unsigned int old_n;
	int err, idx;

	if ((req->flags & XDPMETA_CHAIN_CONT) && (req->cont & (1U << XDP_REDIRECT))) {
		xdpmeta_chain_why(req, "XDP_REDIRECT cannot continue: the entry chose the target");
		return -EINVAL;
	}
	if ((req->flags & XDPMETA_CHAIN_MB) && req->mb >= __XDPMETA_CHAIN_MB_MAX) {
		xdpmeta_chain_why(req, "unknown multi-buffer policy %u", req->mb);
		return -EINVAL;
	}
	prog = bpf_prog_get_type_dev(req->prog_fd, BPF_PROG_TYPE_XDP, false);
	if (IS_ERR(prog)) {
		xdpmeta_chain_why(req, PTR_ERR(prog) == -EBADF ? "fd %d is not open" :
				  "fd %d is not an XDP program", req->prog_fd);
		return PTR_ERR(prog);
	}
	err = xdpmeta_chain_prog_usable(req, prog);
	if (err)
		goto err_put;
	e = xdpmeta_chain_entry_new();
	if (!e) {
		err = -ENOMEM;
		goto err_put;
	}

	rtnl_lock();
	err = __xdpmeta_chain_dev(req, true, true, &xd);
	if (err)
		goto err_unlock;
	c = xd->chain;
	err = __xdpmeta_features_check_entry(xd->dev, prog, req->msg, sizeof(req->msg));
	if (err)
		goto err_unlock;
	/* allocate first: once the order changed, nothing may fail */
	err = xdpmeta_chain_run_new(min(c->order.n + 1, XDPMETA_ORDER_MAX), &run);
	if (err)
		goto err_unlock;
	old_n = c->order.n;
	__xdpmeta_chain_ids(c, ids);
	xdpmeta_chain_order_req(req, prog->aux->id, &o);
	idx = xdpmeta_order_attach(&c->order, &o);
	if (idx < 0) {
		err = idx;
		xdpmeta_chain_order_why(req, c, err);
		goto err_unlock;
	}
	if (req->flags & XDPMETA_CHAIN_REPLACE)
		old = __xdpmeta_chain_entry_of(c, ids, old_n, req->old_id);
	e->prog = prog;
	e->mb = req->flags & XDPMETA_CHAIN_MB ? req->mb :
		old ? old->mb : XDPMETA_CHAIN_MB_PULL;
	__xdpmeta_chain_publish(xd, c, ids, old_n, e, run);
	if (old)
		xdpmeta_chain_entry_retire(old);
	req->count = c->order.n;
	req->revision = c->order.revision;
	rtnl_unlock();
	return idx;

err_unlock:
	rtnl_unlock();
	kfree(run);
	xdpmeta_chain_entry_free(e);	/* puts no program: e->prog unset */
err_put:
	bpf_prog_put(prog);
	return err;
}

/* Detach as req says. Return: 0, or -errno (req->msg says why). */
static int xdpmeta_chain_detach(struct xdpmeta_chain_req *req)
{
	struct xdpmeta_chain_run *run = NULL;
	struct xdpmeta_chain_entry *gone;
	u32 ids[XDPMETA_ORDER_MAX];
	struct xdpmeta_order_req o;
	struct xdpmeta_chain *c;
	struct xdpmeta_dev *xd;
	unsigned int old_n;
	int err, idx;

	if (req->flags & XDPMETA_CHAIN_MB) {
		xdpmeta_chain_why(req, "a detach takes no multi-buffer policy");
		return -EINVAL;
	}
	rtnl_lock();
	err = __xdpmeta_chain_dev(req, true, true, &xd);
	if (err)
		goto out;
	c = xd->chain;
	err = xdpmeta_chain_run_new(c->order.n ? c->order.n - 1 : 0, &run);
	if (err)
		goto out;
	old_n = c->order.n;
	__xdpmeta_chain_ids(c, ids);
	xdpmeta_chain_order_req(req, req->id, &o);
	idx = xdpmeta_order_detach(&c->order, &o);
	if (idx < 0) {
		err = idx;
		xdpmeta_chain_order_why(req, c, err);
		kfree(run);
		goto out;
	}
	/*
	 * order.c removed entry idx; ent[] has it until the publish, and it
	 * is retired only after: a walk may start on the old array until then
	 */
	gone = c->ent[idx];
	__xdpmeta_chain_publish(xd, c, ids, old_n, NULL, run);
	xdpmeta_chain_entry_retire(gone);
	req->count = c->order.n;
	req->revision = c->order.revision;
out:
	rtnl_unlock();
	return err;
}

/* The chain's order and counters. Return: the number of entries, or -errno. */
static int xdpmeta_chain_query(struct xdpmeta_chain_req *req)
{
	struct xdpmeta_chain *c;
	struct xdpmeta_dev *xd;
	unsigned int i;
	int err, cpu;

	rtnl_lock();
	err = __xdpmeta_chain_dev(req, false, false, &xd);
	if (err)
		goto out;
	for_each_possible_cpu(cpu) {
		const struct xdpmeta_dev_pcpu *p = per_cpu_ptr(xd->pcpu, cpu);

		req->runs += p->chain_runs;
		req->recursions += p->chain_recursions;
	}
	c = xd->chain;
	if (!c || !c->installed)
		goto out;	/* 0 entries, dispatcher_id 0 */
	req->dispatcher_id = xd->prog_id;
	req->count = c->order.n;
	req->revision = c->order.revision;
	for (i = 0; i < c->order.n; i++) {
		struct xdpmeta_chain_info *in = &req->e[i];
		const struct xdpmeta_chain_entry *e = c->ent[i];

		in->id = c->order.e[i].id;
		in->cont = c->order.e[i].cont;
		in->pin = c->order.e[i].pin;
		in->mb = e->mb;
		in->frags = e->prog->aux->xdp_has_frags;
		for_each_possible_cpu(cpu) {
			const struct xdpmeta_chain_entry_pcpu *p = per_cpu_ptr(e->st, cpu);

			in->mb_pulled += p->mb_pulled;
			in->mb_dropped += p->mb_dropped;
			in->mb_passed += p->mb_passed;
			in->mb_skipped += p->mb_skipped;
		}
	}
	err = c->order.n;
out:
	rtnl_unlock();
	return err;
}

__bpf_kfunc_start_defs();

/**
 * bpf_xdpmeta_chain_ctl - change or query a device's program chain
 * @req: a struct xdpmeta_chain_req (the SYSCALL program's context)
 * @req__sz: its size
 *
 * SYSCALL programs only (bpf/xdpmeta_ctl.bpf.c's xdpmeta_chain, run with
 * BPF_PROG_RUN); takes RTNL. req->op says what: XDPMETA_CHAIN_OP_ATTACH
 * of the XDP program req->prog_fd (an fd of the calling process) at the
 * place req->flags, req->rel_id and req->old_id say (kmod/order.h);
 * XDPMETA_CHAIN_OP_DETACH of req->id or by position; XDPMETA_CHAIN_OP_QUERY.
 * Outputs: req->count, req->revision after the call; the query also fills
 * req->dispatcher_id, req->e[] and the counters. On failure req->msg says
 * why in words.
 *
 * Return: attach: the entry's index; detach: 0; query: the number of
 * entries (0 and dispatcher_id 0: no chain);
 * -EINVAL if @req is NULL or its size is not sizeof(struct
 *  xdpmeta_chain_req), an unknown op, a malformed request (unknown flags,
 *  id 0 where one is needed, continue bits beyond the five XDP actions,
 *  an unknown multi-buffer policy), a positional flag where it does not
 *  apply (order.h), prog_fd not an XDP program, a device-bound, devmap
 *  or cpumap program;
 * -EBADF if prog_fd is not an open fd;
 * -ENODEV if no device has req->ifindex in the caller's netns;
 * -EOPNOTSUPP if the device is not hooked by xdpmeta, or the program's
 *  requirements (XDPMETA_REQUIRE) are not met by it;
 * -ENOENT if the device runs no dispatcher, or the program, the
 *  relative or the replaced one is not in the chain, or the chain is
 *  empty (detach);
 * -EPERM for a change without CAP_NET_ADMIN over the device's netns;
 * -EEXIST if the program is in the chain already;
 * -EBUSY if a first/last pin holds the place asked for, or the pin is
 *  taken;
 * -ERANGE if the chain is full, or the positions do not fit together;
 * -ESTALE if req->expected_revision is set and the chain is at another;
 * -ELOOP if the program is a dispatcher itself;
 * -ENOMEM (also for the kernel's copy of @req: it works on one, so a
 *  buffer changed meanwhile cannot change a checked field).
 */
static int xdpmeta_chain_ctl(struct xdpmeta_chain_req *r)
{
	memset(r->msg, 0, sizeof(r->msg));
	r->count = 0;
	r->revision = 0;
	r->dispatcher_id = 0;
	r->runs = 0;
	r->recursions = 0;
	memset(r->e, 0, sizeof(r->e));
	if (r->flags & ~XDPMETA_CHAIN_FLAGS) {
		xdpmeta_chain_why(r, "unknown flags 0x%x", r->flags & ~XDPMETA_CHAIN_FLAGS);
		return -EINVAL;
	}
	switch (r->op) {
	case XDPMETA_CHAIN_OP_ATTACH:
		return xdpmeta_chain_attach(r);
	case XDPMETA_CHAIN_OP_DETACH:
		return xdpmeta_chain_detach(r);
	case XDPMETA_CHAIN_OP_QUERY:
		return xdpmeta_chain_query(r);
	}
	xdpmeta_chain_why(r, "unknown op %u", r->op);
	return -EINVAL;
}

__bpf_kfunc int bpf_xdpmeta_chain_ctl(void *req, u32 req__sz)
{
	const size_t out = offsetof(struct xdpmeta_chain_req, count);
	struct xdpmeta_chain_req *r = req, *k;
	int ret;

	if (!r || req__sz != sizeof(*r) || READ_ONCE(r->size) != sizeof(*r))
		return -EINVAL;
	/*
	 * Work on a private copy: @req may be a map value that user space
	 * changes meanwhile (the verifier takes any writable memory here), and
	 * a field checked once must be the field used. Outputs go back after.
	 */
	k = kmemdup(r, sizeof(*r), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	ret = xdpmeta_chain_ctl(k);
	memcpy((void *)r + out, (void *)k + out, sizeof(*r) - out);
	kfree(k);
	return ret;
}

__bpf_kfunc_end_defs();

/* ---- debugfs view and module life ---------------------------------------- */

static const char *const xdpmeta_chain_mb_names[__XDPMETA_CHAIN_MB_MAX] = {
	[XDPMETA_CHAIN_MB_PULL] = "pull",
	[XDPMETA_CHAIN_MB_DROP] = "drop",
	[XDPMETA_CHAIN_MB_PASS] = "pass",
	[XDPMETA_CHAIN_MB_SKIP] = "skip",
};

/* One device's chain, for debugfs `chains` (hook.c walks the devices). RTNL. */
void __xdpmeta_chain_show_dev(struct seq_file *m, struct xdpmeta_dev *xd)
{
	const struct xdpmeta_chain *c = xd->chain;
	unsigned int i;

	ASSERT_RTNL();
	if (!c || !c->installed)
		return;
	seq_printf(m, "%s ifindex %d dispatcher %u revision %llu entries %u\n",
		   xd->dev->name, xd->dev->ifindex, xd->prog_id, c->order.revision,
		   c->order.n);
	for (i = 0; i < c->order.n; i++) {
		const struct xdpmeta_chain_entry *e = c->ent[i];

		seq_printf(m, "  %u id %u name %s cont 0x%x pin %s frags %d mb %s\n",
			   i, c->order.e[i].id, e->prog->aux->name, c->order.e[i].cont,
			   c->order.e[i].pin == XDPMETA_ORDER_PIN_FIRST ? "first" :
			   c->order.e[i].pin == XDPMETA_ORDER_PIN_LAST ? "last" : "-",
			   e->prog->aux->xdp_has_frags,
			   e->mb < __XDPMETA_CHAIN_MB_MAX ? xdpmeta_chain_mb_names[e->mb] : "?");
	}
}

int xdpmeta_chain_init(void)
{
	xdpmeta_chain_wq = alloc_workqueue("xdpmeta_chain", 0, 0);
	return xdpmeta_chain_wq ? 0 : -ENOMEM;
}

/* After hook.c's exit (chains released, rcu_barrier() done). */
void xdpmeta_chain_exit(void)
{
	destroy_workqueue(xdpmeta_chain_wq);	/* runs what is queued */
}

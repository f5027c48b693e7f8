// SPDX-License-Identifier: GPL-2.0
/*
 * xdpmeta_ringsim - test-only module: the receive loop of a NIC driver
 * that keeps one xdp_buff across packets, over a ring of pages, running a
 * BPF program given by user space. The test VM has no such NIC (QEMU 7.2:
 * virtio_net and vmxnet3 init the buff per packet); test/vm/t_safety.c
 * uses this to show what xdpmeta's store does on one.
 *
 * Modelled on 6.12's i40e_clean_rx_irq() / ice_clean_rx_irq() (one
 * xdp_buff per ring, xdp_prepare_buff() per packet, flags never reset for
 * single-buffer frames) and ixgbe_clean_rx_irq() / igb_clean_rx_irq()
 * (xdp_init_buff() once per NAPI poll). Each packet is 64 bytes at
 * XDP_PACKET_HEADROOM in page (index % ring), its first 4 bytes the
 * packet index (little endian), the rest zero. The headroom keeps what
 * earlier packets left there, as a recycled ring buffer does. Verdicts
 * are counted and otherwise ignored (nothing is transmitted or freed:
 * the pages belong to this module).
 *
 * Interface: debugfs xdpmeta_ringsim/run, write
 *	"<prog fd> <packets> <ring> <poll>"
 * with poll the packets per NAPI poll (0: the flags are never reset).
 * The write returns its length, or -EBADF/-EINVAL. Serialized by a mutex.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/filter.h>
#include <linux/bpf.h>
#include <linux/netdevice.h>
#include <linux/uaccess.h>
#include <net/xdp.h>
#include <net/net_namespace.h>
/* 6.12 moved it from <asm/unaligned.h> (the module's compat.h does the same) */
#if __has_include(<linux/unaligned.h>)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* the redirect context NAPI sets up: struct bpf_net_context since 6.11 */
#include <linux/version.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define RINGSIM_NET_CTX_DECL	struct bpf_net_context nctx, *n
#define RINGSIM_NET_CTX_SET()	(n = bpf_net_ctx_set(&nctx))
#define RINGSIM_NET_CTX_CLEAR()	bpf_net_ctx_clear(n)
#else
#define RINGSIM_NET_CTX_DECL	int n __maybe_unused
#define RINGSIM_NET_CTX_SET()	(n = 0)
#define RINGSIM_NET_CTX_CLEAR()	do { } while (0)
#endif

#define RINGSIM_MAX_RING	64
#define RINGSIM_MAX_PACKETS	100000
#define RINGSIM_LEN		64

static struct page *ringsim_pages[RINGSIM_MAX_RING];
static struct dentry *ringsim_dir;
static DEFINE_MUTEX(ringsim_lock);	/* one run at a time */

static void ringsim_run(struct bpf_prog *prog, u32 packets, u32 ring, u32 poll)
{
	struct xdp_rxq_info rxq = { .dev = init_net.loopback_dev };
	struct xdp_buff xdp;	/* the ring's one buff, as in i40e */
	u32 i;

	xdp_init_buff(&xdp, PAGE_SIZE, &rxq);
	for (i = 0; i < packets; i++) {
		RINGSIM_NET_CTX_DECL;
		unsigned char *hard = page_address(ringsim_pages[i % ring]);

		if (poll && !(i % poll))
			xdp_init_buff(&xdp, PAGE_SIZE, &rxq);	/* a new poll */
		xdp_prepare_buff(&xdp, hard, XDP_PACKET_HEADROOM, RINGSIM_LEN, true);
		memset(xdp.data, 0, RINGSIM_LEN);
		put_unaligned_le32(i, xdp.data);

		/* as in NAPI: BH off, RCU read side, the redirect context */
		local_bh_disable();
		rcu_read_lock();
		RINGSIM_NET_CTX_SET();
		bpf_prog_run_xdp(prog, &xdp);
		RINGSIM_NET_CTX_CLEAR();
		rcu_read_unlock();
		local_bh_enable();
		cond_resched();
	}
}

static ssize_t ringsim_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	u32 fd, packets, ring, poll;
	struct bpf_prog *prog;
	char buf[64];

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	if (sscanf(buf, "%u %u %u %u", &fd, &packets, &ring, &poll) != 4 ||
	    !ring || ring > RINGSIM_MAX_RING || packets > RINGSIM_MAX_PACKETS)
		return -EINVAL;
	prog = bpf_prog_get_type_dev(fd, BPF_PROG_TYPE_XDP, false);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	mutex_lock(&ringsim_lock);
	ringsim_run(prog, packets, ring, poll);
	mutex_unlock(&ringsim_lock);
	bpf_prog_put(prog);
	return len;
}

static const struct file_operations ringsim_fops = {
	.owner = THIS_MODULE,
	.write = ringsim_write,
};

static void ringsim_free(void)
{
	int i;

	for (i = 0; i < RINGSIM_MAX_RING; i++)
		if (ringsim_pages[i])
			__free_page(ringsim_pages[i]);
}

static int __init ringsim_init(void)
{
	int i;

	for (i = 0; i < RINGSIM_MAX_RING; i++) {
		ringsim_pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!ringsim_pages[i]) {
			ringsim_free();
			return -ENOMEM;
		}
	}
	ringsim_dir = debugfs_create_dir("xdpmeta_ringsim", NULL);
	debugfs_create_file("run", 0200, ringsim_dir, NULL, &ringsim_fops);
	return 0;
}

static void __exit ringsim_exit(void)
{
	debugfs_remove_recursive(ringsim_dir);
	ringsim_free();
}

module_init(ringsim_init);
module_exit(ringsim_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xdpmeta tests: a driver receive loop that keeps its xdp_buff");

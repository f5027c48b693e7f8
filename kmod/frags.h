/* SPDX-License-Identifier: GPL-2.0 */
/*
 * frags.h - taking bytes off the front of a multi-buffer frame's frags the
 * way drivers expect frags to go.
 *
 * The contract (6.12, every multi-buffer driver): a program may only
 * release *trailing* frags. That is all the kernel's own helper does
 * (bpf_xdp_adjust_tail() shrinking, net/core/filter.c), and drivers that
 * recycle their ring buffers count on it: on XDP_DROP, i40e and ice take
 * back the first sinfo->nr_frags + 1 buffers of the frame in ring order,
 * mlx5 and ixgbe likewise per descriptor, assuming the program released
 * the rest. A pull that emptied frag 0 and dropped it from the front
 * would make the driver take back frag 0's buffer (already released: a
 * double put) and leak the last one.
 *
 * So bpf_xdpmeta_pull() (mb.c) first copies the bytes it pulls into the
 * linear part, then calls xdpmeta_frags_consume(): the frags' remaining
 * bytes move forward into the frags' own spans (frag i never grows past
 * the bytes it already covered), and only the trailing frags left empty
 * are released, exactly as if the frame had been shrunk at its tail.
 * When no frag is emptied, frag 0 just starts later (no bytes move).
 * Cost: one memmove of the remaining frag bytes when a frag is emptied
 * and others stay; none when the pull takes everything.
 *
 * Pure C (no kernel headers): the module and the host tests
 * (test/host/frags_test.c, frags_fuzz.c) build this file as it is.
 */
#ifndef XDPMETA_FRAGS_H
#define XDPMETA_FRAGS_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#include <string.h>
typedef uint32_t u32;
#endif

/* One frag as bytes: where its data starts and how long it is. */
struct xdpmeta_frag_span {
	unsigned char *addr;
	u32 size;
};

/*
 * How many frags stay after dropping the first @n bytes of @nr frags:
 * all of them if @n is less than the first frag's size, else the fewest
 * leading frags whose sizes hold what remains (0 if nothing remains).
 * @n must not exceed the frags' total size.
 */
unsigned int xdpmeta_frags_kept(const struct xdpmeta_frag_span *f,
				unsigned int nr, u32 n);

/*
 * Drop the first @n bytes of @nr frags (their total at least @n):
 * afterwards @f[0 .. kept) hold the remaining bytes in order and
 * @f[kept .. nr) are to be released by the caller. A kept frag's span
 * stays within the bytes it covered before (addr only moves forward,
 * addr + size never does). Returns kept (xdpmeta_frags_kept()).
 */
unsigned int xdpmeta_frags_consume(struct xdpmeta_frag_span *f,
				   unsigned int nr, u32 n);

#endif /* XDPMETA_FRAGS_H */

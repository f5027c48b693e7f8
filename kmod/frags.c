// SPDX-License-Identifier: GPL-2.0
/*
 * frags.c - dropping bytes from the front of a frag list while releasing
 * only trailing frags. See frags.h for why.
 */
#include "frags.h"

#ifdef __KERNEL__
#include <linux/string.h>
#endif

unsigned int xdpmeta_frags_kept(const struct xdpmeta_frag_span *f,
				unsigned int nr, u32 n)
{
	u32 left = 0, sum = 0;
	unsigned int i;

	if (!nr || n < f[0].size)
		return nr;
	for (i = 0; i < nr; i++)
		left += f[i].size;
	left -= n;		/* what remains: the caller bounds n */
	for (i = 0; i < nr && sum < left; i++)
		sum += f[i].size;
	return i;
}

unsigned int xdpmeta_frags_consume(struct xdpmeta_frag_span *f,
				   unsigned int nr, u32 n)
{
	unsigned int kept = xdpmeta_frags_kept(f, nr, n), w = 0, r = 0;
	u32 woff = 0, roff = n, left = 0, i;

	if (!nr || !n)
		return nr;
	if (n < f[0].size) {		/* nothing emptied: frag 0 starts later */
		f[0].addr += n;
		f[0].size -= n;
		return nr;
	}
	for (i = 0; i < nr; i++)
		left += f[i].size;
	left -= n;
	while (r < nr && roff >= f[r].size)	/* the first byte that stays */
		roff -= f[r++].size;
	/*
	 * Stream position p is written where p + n was read from, frags
	 * keeping their sizes: the writer is never ahead of the reader (in
	 * an earlier frag, or earlier in the same one: memmove), so nothing
	 * is overwritten before it is read.
	 */
	while (left) {
		u32 m = f[w].size - woff;

		if (m > f[r].size - roff)
			m = f[r].size - roff;
		if (m > left)
			m = left;
		memmove(f[w].addr + woff, f[r].addr + roff, m);
		left -= m;
		woff += m;
		roff += m;
		if (woff == f[w].size) {
			w++;
			woff = 0;
		}
		if (roff == f[r].size) {
			r++;
			roff = 0;
		}
	}
	if (woff)			/* the last kept frag, partly filled */
		f[w].size = woff;
	return kept;
}

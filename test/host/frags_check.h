/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The properties of xdpmeta_frags_consume() (kmod/frags.h), checked by
 * frags_test.c on chosen and random frag lists and by frags_fuzz.c on
 * libFuzzer's: the frags are separate heap blocks with guard bytes, the
 * stream is a position-dependent pattern.
 */
#ifndef FRAGS_CHECK_H
#define FRAGS_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "frags.h"

#define FC_MAX_FRAGS	17	/* MAX_SKB_FRAGS on Debian's 6.12 */
#define FC_GUARD	16

static unsigned char fc_byte(unsigned int pos)
{
	return (unsigned char)(pos * 7 + pos / 251 + 1);
}

/*
 * Build @nr frags of @sizes, drop @n bytes, check everything. Returns 0,
 * or -1 with the reason in @why.
 */
static int fc_run(const u32 *sizes, unsigned int nr, u32 n, char *why, size_t whylen)
{
	struct xdpmeta_frag_span f[FC_MAX_FRAGS], old[FC_MAX_FRAGS];
	unsigned char *blk[FC_MAX_FRAGS];
	unsigned int i, kept, want, pos = 0, got = 0;
	u32 total = 0, left, sum = 0;
	int err = -1;

	for (i = 0; i < nr; i++) {
		blk[i] = malloc(sizes[i] + 2 * FC_GUARD);
		memset(blk[i], 0xee, sizes[i] + 2 * FC_GUARD);
		f[i].addr = blk[i] + FC_GUARD;
		f[i].size = sizes[i];
		for (u32 j = 0; j < sizes[i]; j++)
			f[i].addr[j] = fc_byte(pos++);
		total += sizes[i];
	}
	memcpy(old, f, sizeof(f[0]) * nr);
	left = total - n;
	/* the reference: all frags if frag 0 is not emptied, else the fewest
	 * leading frags that hold what remains */
	if (!nr || n < sizes[0]) {
		want = nr;
	} else {
		for (want = 0; want < nr && sum < left; want++)
			sum += sizes[want];
	}
	if (xdpmeta_frags_kept(f, nr, n) != want) {
		snprintf(why, whylen, "kept() %u, want %u", xdpmeta_frags_kept(f, nr, n), want);
		goto out;
	}
	kept = xdpmeta_frags_consume(f, nr, n);
	if (kept != want) {
		snprintf(why, whylen, "consume() kept %u, want %u", kept, want);
		goto out;
	}
	for (i = 0; i < kept; i++) {
		/* frag i keeps its place: what drivers count on */
		if (f[i].addr < old[i].addr ||
		    f[i].addr + f[i].size > old[i].addr + old[i].size) {
			snprintf(why, whylen, "kept frag %u left its own bytes", i);
			goto out;
		}
		if (!f[i].size) {
			snprintf(why, whylen, "kept frag %u is empty", i);
			goto out;
		}
		for (u32 j = 0; j < f[i].size; j++, got++) {
			if (f[i].addr[j] != fc_byte(n + got)) {
				snprintf(why, whylen, "byte %u of what remains is wrong (frag %u)", got, i);
				goto out;
			}
		}
	}
	if (got != left) {
		snprintf(why, whylen, "%u bytes remain, want %u", got, left);
		goto out;
	}
	for (i = 0; i < nr; i++) {
		for (u32 j = 0; j < FC_GUARD; j++) {
			if (blk[i][j] != 0xee || blk[i][FC_GUARD + sizes[i] + j] != 0xee) {
				snprintf(why, whylen, "write outside frag %u", i);
				goto out;
			}
		}
	}
	err = 0;
out:
	for (i = 0; i < nr; i++)
		free(blk[i]);
	return err;
}

#endif /* FRAGS_CHECK_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of kmod/frags.c: what bpf_xdpmeta_pull() does to the frags
 * after copying bytes out of them. Chosen cases (each names the driver
 * situation it stands for), then random frag lists.
 *
 * Output: "ok - <name>" or "FAIL - <name>: <why>", then "N passed, N failed".
 */
#include <stdint.h>
#include "frags_check.h"

static int passed, failed;

static void check(const char *name, const u32 *sizes, unsigned int nr, u32 n)
{
	char why[256];

	if (fc_run(sizes, nr, n, why, sizeof(why))) {
		printf("FAIL - %s: %s\n", name, why);
		failed++;
	} else {
		printf("ok - %s\n", name);
		passed++;
	}
}

/* splitmix64 */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int main(void)
{
	static const u32 hs[] = { 100, 4000 }, eq[] = { 1000, 1000, 1000 },
		one[] = { 14 }, big[] = { 4096, 4096, 100 };
	struct xdpmeta_frag_span f[3];
	unsigned char a[8], b[8], c[8];
	char why[256];
	uint64_t s = 0x66726167735f7431ULL;
	int i, bad = 0;

	/* header split: a short first frag emptied, the long one stays */
	check("short_first_frag_emptied_keeps_both", hs, 2, 100);
	/* equal ring buffers: frag 0 emptied and half of frag 1 */
	check("half_pulled_releases_only_the_last", eq, 3, 1500);
	check("exact_frag_boundary", eq, 3, 2000);
	check("everything_releases_all", eq, 3, 3000);
	check("partial_first_frag_moves_nothing", big, 3, 10);
	check("last_small_frag_pulled", one, 1, 14);
	check("nothing_pulled", eq, 3, 0);

	/* the layout itself, spelled out: [8, 8, 8] minus 12 bytes */
	memset(a, 'a', 8), memset(b, 'b', 8), memset(c, 'c', 8);
	f[0] = (struct xdpmeta_frag_span){ a, 8 };
	f[1] = (struct xdpmeta_frag_span){ b, 8 };
	f[2] = (struct xdpmeta_frag_span){ c, 8 };
	if (xdpmeta_frags_consume(f, 3, 12) != 2 || f[0].addr != a || f[0].size != 8 ||
	    memcmp(a, "bbbbcccc", 8) || f[1].addr != b || f[1].size != 4 || memcmp(b, "cccc", 4)) {
		printf("FAIL - spelled_out_layout: frag 0 '%.8s' (%u), frag 1 '%.4s' (%u)\n",
		       (char *)f[0].addr, f[0].size, (char *)f[1].addr, f[1].size);
		failed++;
	} else {
		printf("ok - spelled_out_layout\n");
		passed++;
	}

	for (i = 0; i < 20000; i++) {
		u32 sizes[FC_MAX_FRAGS], total = 0, n;
		unsigned int nr = 1 + rnd(&s) % FC_MAX_FRAGS, j;

		for (j = 0; j < nr; j++) {
			sizes[j] = 1 + rnd(&s) % (rnd(&s) & 1 ? 64 : 4096);
			total += sizes[j];
		}
		n = rnd(&s) % (total + 1);
		if (fc_run(sizes, nr, n, why, sizeof(why))) {
			if (!bad++)
				printf("FAIL - random_frag_lists: case %d (%u frags, %u of %u): %s\n",
				       i, nr, n, total, why);
		}
	}
	if (bad) {
		failed++;
	} else {
		printf("ok - random_frag_lists: 20000 cases\n");
		passed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

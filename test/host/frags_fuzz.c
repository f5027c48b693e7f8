// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kmod/frags.c: the input is the frag list and the
 * pull length (byte 0: frag count, then 2 bytes per frag size, then 4
 * bytes of length, taken modulo the total + 1; missing bytes read as
 * 0); every frags_check.h property must hold.
 */
#include <stdint.h>
#include <stddef.h>
#include "frags_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u32 sizes[FC_MAX_FRAGS], total = 0, n = 0;
	unsigned int nr, i;
	char why[256];

	uint8_t in[1 + 2 * FC_MAX_FRAGS + 4] = { 0 };

	memcpy(in, data, size < sizeof(in) ? size : sizeof(in));
	nr = 1 + in[0] % FC_MAX_FRAGS;
	for (i = 0; i < nr; i++) {
		sizes[i] = 1 + ((in[1 + 2 * i] | in[2 + 2 * i] << 8) % 4096);
		total += sizes[i];
	}
	memcpy(&n, in + 1 + 2 * nr, 4);
	n %= total + 1;
	if (fc_run(sizes, nr, n, why, sizeof(why))) {
		fprintf(stderr, "frags: %u frags, pull %u of %u: %s\n", nr, n, total, why);
		abort();
	}
	return 0;
}

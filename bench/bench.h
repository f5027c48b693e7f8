/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the `make bench` programs in bench/. */
#ifndef XDPMETA_BENCH_H
#define XDPMETA_BENCH_H

#include <time.h>

/* monotonic seconds */
static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* qsort() order of doubles, for medians */
static inline int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * Driver for bench/kv-callgrind.sh: runs one kind of operation many times on
 * a store of 8 keys so that callgrind, collecting only inside the measured
 * xdpmeta_kv_* function (--toggle-collect), yields instructions per call.
 *
 * Usage: kv_callgrind <op> [iterations]
 *   op: get | set-insert | set-overwrite | del
 * Prints "store <bytes> <keys>" and "calls <fn> <n>": the number of calls
 * made to the measured function, to divide callgrind's total by.  That
 * includes the 8 calls that build the store (counted by callgrind too, so
 * the average is over all of them; 8 in 100000). Sets go through
 * xdpmeta_kv_update(), the entry the module's data path calls (store.c);
 * every overwrite here writes other bytes (the changed path).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kv.h"

#define ROOM	256

/* the 8 keys of the base store and their sizes */
static const struct {
	unsigned int key, size;
} base[] = {
	{ 1, 4 }, { 5, 8 }, { 9, 4 }, { 14, 8 },
	{ 20, 2 }, { 33, 4 }, { 41, 8 }, { 57, 4 },
};
#define NBASE	(sizeof(base) / sizeof(base[0]))

/* keys absent from the base store, with sizes, for set-insert */
static const struct {
	unsigned int key, size;
} extra[] = {
	{ 3, 4 }, { 12, 8 }, { 25, 4 }, { 48, 8 },
};
#define NEXTRA	(sizeof(extra) / sizeof(extra[0]))

static unsigned char tmpl[ROOM] __attribute__((aligned(8)));
static unsigned char work[ROOM] __attribute__((aligned(8)));
static unsigned long long sink;
static unsigned long calls;

static void die(const char *what, int err)
{
	fprintf(stderr, "kv_callgrind: %s failed: %d\n", what, err);
	exit(1);
}

static int set(void *store, unsigned int key, const void *val,
	       unsigned int size, unsigned int flags)
{
	return xdpmeta_kv_update(store, ROOM, key, val, size, flags);
}

int main(int argc, char **argv)
{
	unsigned char val[16] = { 1, 2, 3, 4, 5, 6, 7, 8,
				  9, 10, 11, 12, 13, 14, 15, 16 };
	unsigned char out[16];
	const char *op = argc > 1 ? argv[1] : "";
	long n = argc > 2 ? atol(argv[2]) : 100000;
	const char *fn;
	unsigned int i;
	long it;
	int err;

	xdpmeta_kv_init(tmpl);
	for (i = 0; i < NBASE; i++) {
		err = set(tmpl, base[i].key, val, base[i].size, 0);
		if (err)
			die("setup set", err);
	}
	/* setup calls to xdpmeta_kv_update count for the set benchmarks */
	calls = NBASE;
	memcpy(work, tmpl, ROOM);

	if (!strcmp(op, "get")) {
		fn = "xdpmeta_kv_get";
		calls = 0;
		for (it = 0; it < n; it++) {
			i = it % NBASE;
			err = xdpmeta_kv_get(work, base[i].key, out,
					     base[i].size);
			if (err != (int)base[i].size)
				die("get", err);
			sink += out[0];
			calls++;
		}
	} else if (!strcmp(op, "set-insert")) {
		fn = "xdpmeta_kv_update";
		for (it = 0; it < n; it++) {
			i = it % NEXTRA;
			err = set(work, extra[i].key, val, extra[i].size, 0);
			if (err)
				die("set-insert", err);
			calls++;
			/* reset outside the measured function */
			memcpy(work, tmpl, ROOM);
		}
	} else if (!strcmp(op, "set-overwrite")) {
		fn = "xdpmeta_kv_update";
		for (it = 0; it < n; it++) {
			i = it % NBASE;
			val[0] = (unsigned char)(it + 128);	/* never the bytes there */
			err = set(work, base[i].key, val, base[i].size, 0);
			if (err)
				die("set-overwrite", err);
			calls++;
		}
	} else if (!strcmp(op, "del")) {
		fn = "xdpmeta_kv_del";
		calls = 0;
		for (it = 0; it < n; it++) {
			i = it % NBASE;
			err = xdpmeta_kv_del(work, base[i].key, base[i].size);
			if (err)
				die("del", err);
			calls++;
			/* reset outside the measured function */
			memcpy(work, tmpl, ROOM);
		}
	} else {
		fprintf(stderr,
			"usage: %s get|set-insert|set-overwrite|del [n]\n",
			argv[0]);
		return 2;
	}
	printf("store %u %u\n", xdpmeta_kv_len(tmpl), (unsigned int)NBASE);
	printf("calls %s %lu\n", fn, calls);
	return sink == 42 ? 1 : 0;
}

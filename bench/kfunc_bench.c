// SPDX-License-Identifier: GPL-2.0
/*
 * `make bench`, kfunc part: the cost of each store kfunc and case
 * (bench/kfunc_bench.bpf.c) under BPF_PROG_TEST_RUN, as the case's
 * duration minus its base's (the same program without the call).
 *
 * In the VM booted with -icount shift=0,sleep=off (make bench's first
 * boot; the guest's command line then has xi=1) a guest nanosecond is one
 * guest instruction, so these are instruction counts and do not move
 * between runs or machines; without icount they are TCG nanoseconds, of
 * which only ratios mean anything (doc/benchmarks.md).
 *
 * Repeat cases: REPEAT repeats per syscall, 5 syscalls, median (min and
 * max shown: equal under icount unless an interrupt landed in a run).
 * Single cases: one repeat per syscall on a fresh packet, SINGLES
 * syscalls, the minimum (a run an interrupt landed in is longer, never
 * shorter) and the median.
 * usage: kfunc_bench [REPEAT [SINGLES]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "xm_test.h"
#include "bench.h"
#include "kfunc_bench.skel.h"

#define REPS 5

static int icount;

struct res {
	double med, min, max;
};

static int run_once(struct bpf_program *p, struct kfunc_bench *b, int repeat, double *d)
{
	static char pkt[64] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x00 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = repeat);
	int want = bpf_program__type(p) == BPF_PROG_TYPE_XDP ? XDP_PASS : 0;

	b->bss->primed = 0;
	if (bpf_prog_test_run_opts(bpf_program__fd(p), &o) || (int)o.retval != want) {
		fprintf(stderr, "Couldn't run '%s': %s (retval %u)\n", bpf_program__name(p),
			strerror(errno), o.retval);
		return -1;
	}
	*d = o.duration;
	return 0;
}

static int measure(struct bpf_program *p, struct kfunc_bench *b, int repeat, int runs,
		   struct res *r)
{
	double *v = calloc(runs, sizeof(*v));

	if (!v)
		return -1;
	for (int i = 0; i < runs; i++)
		if (run_once(p, b, repeat, &v[i])) {
			free(v);
			return -1;
		}
	qsort(v, runs, sizeof(v[0]), bench_cmp);
	r->med = v[runs / 2];
	r->min = v[0];
	r->max = v[runs - 1];
	free(v);
	return 0;
}

struct kcase {
	const char *name, *base, *what;
	struct bpf_program *p;
	bool single;
	int goal;		/* instructions above base, 0: none */
	struct res r;
};

int main(int argc, char **argv)
{
	int repeat = argc > 1 ? atoi(argv[1]) : 20000, singles = argc > 2 ? atoi(argv[2]) : 200;
	const char *unit;
	struct xdpmeta_ctl *ctl;
	struct kfunc_bench *b;
	struct kcase c[32];
	char cmd[512] = "";
	int n = 0, k0, k1, k16;
	FILE *f = fopen("/proc/cmdline", "r");

	if (f) {
		if (!fgets(cmd, sizeof(cmd), f))
			cmd[0] = 0;
		fclose(f);
	}
	icount = strstr(cmd, " xi=1") != NULL;
	unit = icount ? "instr" : "ns";
	ctl = xm_ctl_open();
	k0 = ctl ? xm_key_add(ctl, "kb_k0", 8) : -1;
	k1 = ctl ? xm_key_add(ctl, "kb_k1", 8) : -1;
	k16 = ctl ? xm_key_add(ctl, "kb_k16", 16) : -1;
	b = kfunc_bench__open();
	if (k0 < 0 || k1 < 0 || k16 < 0 || !b) {
		fprintf(stderr, "Couldn't load 'kfunc_bench': xdpmeta is not loaded (insmod xdpmeta.ko)\n");
		return 1;
	}
	b->rodata->k0 = k0;
	b->rodata->k1 = k1;
	b->rodata->k16 = k16;
	if (kfunc_bench__load(b)) {
		fprintf(stderr, "Couldn't load 'kfunc_bench': %s\n", strerror(errno));
		return 1;
	}
#define R(nm, bs, g, w) c[n++] = (struct kcase){ #nm, bs, w, b->progs.r_##nm, false, g, { 0, 0, 0 } }
#define S(nm, bs, w) c[n++] = (struct kcase){ #nm, bs, w, b->progs.s_##nm, true, 0, { 0, 0, 0 } }
	R(empty, NULL, 0, "an empty program");
	R(base, "empty", 0, "prologue: the repeat-0 branch");
	R(nop, "base", 0, "bpf_xdpmeta_nop(): the call itself");
	R(get_hit, "base", 40, "get of a present 8-byte key");
	R(get_hit16, "base", 0, "get of a present 16-byte key");
	R(get_miss, "base", 0, "get of an absent key, store present");
	R(is_set, "base", 0, "is_set of a present key");
	R(base_seq, "base", 0, "prologue + a new value each run");
	R(set_over, "base_seq", 60, "set, overwrite with a new value");
	R(set_same, "base", 0, "set, overwrite with the same value");
	R(set_over16, "base_seq", 0, "set, overwrite of a 16-byte key");
	R(ins_del, "base", 0, "set inserting a key + del of it");
	R(pair, "base_seq", 114, "set (overwrite) + get of one key");
	R(get_einval, "base", 0, "breakdown: get stopped at key >= 64");
	R(get_emsgsize, "base", 0, "breakdown: get stopped at the size check");
	R(set_eexist, "base_seq", 0, "breakdown: set stopped after the lookup");
	S(empty, NULL, "an empty program, one run per syscall");
	S(get_nostore, "s_empty", "get, packet without a store");
	S(create, "s_empty", "first set: store and seal created");
	S(insert, "s_create", "set inserting into that store");
	S(delete, "s_insert", "del of the inserted key");
	c[n++] = (struct kcase){ "t_empty", NULL, "TC: an empty program", b->progs.t_empty, true, 0, { 0, 0, 0 } };
	c[n++] = (struct kcase){ "t_get_nostore", "t_empty", "TC: skb_get, skb without a store",
				 b->progs.t_get_nostore, true, 0, { 0, 0, 0 } };
	for (int i = 0; i < n; i++)
		if (measure(c[i].p, b, c[i].single ? 1 : repeat, c[i].single ? singles : REPS,
			    &c[i].r))
			return 1;
	printf("kfunc benchmark: %s per run (%s), repeat cases %d repeats x %d (median),"
	       " single cases %d runs (minimum)\n", unit,
	       icount ? "icount: 1 guest ns = 1 instruction" : "TCG wall time: ratios only",
	       repeat, REPS, singles);
	printf("%-14s %8s %15s %-10s %8s %6s  %s\n", "case", unit, "min-max", "base", "above",
	       "goal", "what");
	for (int i = 0; i < n; i++) {
		double v = c[i].single ? c[i].r.min : c[i].r.med, base = 0, above = 0;
		const char *bn = c[i].base ? c[i].base : "";
		char goal[16] = "";

		for (int j = 0; j < n; j++) {
			/* single cases name their bases with the s_ prefix */
			const char *jn = c[j].name;
			char sn[32];

			snprintf(sn, sizeof(sn), "%s%s", c[j].single && strncmp(jn, "t_", 2) ? "s_" : "",
				 jn);
			if (c[i].base && !strcmp(sn, c[i].base) && c[j].single == c[i].single)
				base = c[j].single ? c[j].r.min : c[j].r.med;
		}
		if (c[i].base)
			above = v - base;
		if (c[i].goal && icount)
			snprintf(goal, sizeof(goal), "%s%d", above <= c[i].goal ? "<=" : "> ",
				 c[i].goal);
		printf("%s%-*s %8.0f %7.0f-%-7.0f %-10s %8.0f %6s  %s\n",
		       c[i].single && strncmp(c[i].name, "t_", 2) ? "s_" : "",
		       c[i].single && strncmp(c[i].name, "t_", 2) ? 12 : 14, c[i].name, v,
		       c[i].r.min, c[i].r.max, bn[0] ? bn : "-", above, goal, c[i].what);
		fprintf(stderr, "csv:kfunc,%s%s,%.0f,%s,%.0f,%.0f,%s,%.0f\n",
			c[i].single && strncmp(c[i].name, "t_", 2) ? "s_" : "", c[i].name, v, unit,
			c[i].r.min, c[i].r.max, bn, above);
	}
	kfunc_bench__destroy(b);
	xm_key_del(ctl, "kb_k0");
	xm_key_del(ctl, "kb_k1");
	xm_key_del(ctl, "kb_k16");
	xdpmeta_ctl__destroy(ctl);
	return 0;
}

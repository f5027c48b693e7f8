// SPDX-License-Identifier: GPL-2.0
/*
 * `make bench`, store part: ns/run of the store_bench programs under
 * BPF_PROG_TEST_RUN, 5 repetitions each, in one VM run; prints medians,
 * min-max and ratios. Absolute TCG times mean nothing, ratios do.
 * usage: store_bench [REPEAT]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define XDPMETA_KEY_NAME_LEN 32
struct xdpmeta_key_req {
	char name[XDPMETA_KEY_NAME_LEN];
	__u32 size, flags;
	__u64 expected_rev;
	__s32 ret;
	__u32 pad;
	__u64 rev;
};
#include "bench.h"
#include "xdpmeta_ctl.skel.h"
#include "store_bench.skel.h"

#define REPS 5

/* median ns/run over REPS runs of REPEAT repeats; min and max too */
static int measure(struct bpf_program *p, int repeat, double r[3])
{
	char pkt[64] = { 0 };
	double v[REPS];

	for (int i = 0; i < REPS; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt),
			    .repeat = repeat);
		if (bpf_prog_test_run_opts(bpf_program__fd(p), &o) || o.retval != 2) {
			fprintf(stderr, "Couldn't run '%s': %s (retval %u)\n",
				bpf_program__name(p), strerror(errno), o.retval);
			return -1;
		}
		v[i] = o.duration;
	}
	qsort(v, REPS, sizeof(v[0]), bench_cmp);
	r[0] = v[REPS / 2]; r[1] = v[0]; r[2] = v[REPS - 1];
	return 0;
}

/*
 * Pull cost per KB: a 3200-byte frame with 200 linear bytes, pulled whole
 * (3000 bytes move) vs not pulled. Each run needs a fresh frame (the pull
 * makes it linear), so it is `runs` syscalls of repeat 1; their durations
 * are the program's run time only.
 */
static void pull_bench(struct store_bench *b, int runs)
{
	static char pkt[3200];
	struct bpf_program *p[2] = { b->progs.frags_empty, b->progs.frags_pull };
	double med[2];

	for (int k = 0; k < 2; k++) {
		double v[REPS];

		for (int r = 0; r < REPS; r++) {
			double sum = 0;

			for (int i = 0; i < runs; i++) {
				struct xdp_md ctx = { .data = 0, .data_end = 200 };
				LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt,
					    .data_size_in = sizeof(pkt), .ctx_in = &ctx,
					    .ctx_size_in = sizeof(ctx), .repeat = 1);

				if (bpf_prog_test_run_opts(bpf_program__fd(p[k]), &o) || o.retval != 2) {
					fprintf(stderr, "Couldn't run '%s': %s\n",
						bpf_program__name(p[k]), strerror(errno));
					return;
				}
				sum += o.duration;
			}
			v[r] = sum / runs;
		}
		qsort(v, REPS, sizeof(v[0]), bench_cmp);
		med[k] = v[REPS / 2];
	}
	printf("pull: frags_empty %.0f ns, frags_pull (3000 bytes) %.0f ns: %.1f ns per KB pulled (ratio %.2f)\n",
	       med[0], med[1], (med[1] - med[0]) / (3000.0 / 1024), med[1] / med[0]);
	fprintf(stderr, "csv:pull,frags_pull_3000B,%.0f,ns/run,,,frags_empty,%.3f\n", med[1], med[1] / med[0]);
	fprintf(stderr, "csv:pull,per_KB,%.1f,ns/KB,,,,\n", (med[1] - med[0]) / (3000.0 / 1024));
}

int main(int argc, char **argv)
{
	int repeat = argc > 1 ? atoi(argv[1]) : 100000;
	struct xdpmeta_ctl *ctl = xdpmeta_ctl__open_and_load();
	struct store_bench *b = store_bench__open();
	struct { const char *name, *base; struct bpf_program *p; double r[3]; } c[7];
	int n = 0;

	if (!ctl || !b) {
		fprintf(stderr, "Couldn't load 'store_bench': xdpmeta is not loaded (insmod xdpmeta.ko)\n");
		return 1;
	}
	for (int i = 0; i < 16; i++) {
		struct xdpmeta_key_req req = { .size = 8, .flags = 1 };
		LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &req, .ctx_size_in = sizeof(req));

		snprintf(req.name, sizeof(req.name), "bench%d", i);
		if (bpf_prog_test_run_opts(bpf_program__fd(ctl->progs.xdpmeta_key_add), &o) || req.ret < 0) {
			fprintf(stderr, "Couldn't add key '%s': %d\n", req.name, req.ret);
			return 1;
		}
		b->rodata->keys[i] = req.ret;
	}
	if (store_bench__load(b)) {
		fprintf(stderr, "Couldn't load 'store_bench': %s\n", strerror(errno));
		return 1;
	}
#define CASE(nm, bs) c[n].name = #nm; c[n].base = bs; c[n].p = b->progs.nm; n++
	CASE(empty, NULL);
	CASE(meta1, "empty");
	CASE(meta4, "empty");
	CASE(kv1, "meta1");
	CASE(kv4, "meta4");
	CASE(kv16, "empty");
	for (int i = 0; i < n; i++)
		if (measure(c[i].p, repeat, c[i].r))
			return 1;
	{
		char cmd[512] = "";
		FILE *f = fopen("/proc/cmdline", "r");

		if (f) {
			if (!fgets(cmd, sizeof(cmd), f))
				cmd[0] = 0;
			fclose(f);
		}
		printf("store benchmark: BPF_PROG_TEST_RUN, repeat %d, median of %d (%s)\n",
		       repeat, REPS, strstr(cmd, " xi=1") ?
		       "icount: every ns below is one guest instruction" : "TCG: ratios only");
	}
	printf("%-8s %10s %16s %-8s %8s\n", "case", "ns/run", "min-max", "vs", "ratio");
	for (int i = 0; i < n; i++) {
		double base = 0;

		for (int j = 0; j < n; j++)
			if (c[i].base && !strcmp(c[j].name, c[i].base))
				base = c[j].r[0];
		printf("%-8s %10.0f %7.0f-%-8.0f %-8s", c[i].name, c[i].r[0], c[i].r[1],
		       c[i].r[2], c[i].base ? c[i].base : "-");
		if (base > 0)
			printf(" %8.2f", c[i].r[0] / base);
		printf("\n");
		fprintf(stderr, "csv:store,%s,%.0f,ns/run,%.0f,%.0f,%s,%.3f\n", c[i].name, c[i].r[0],
			c[i].r[1], c[i].r[2], c[i].base ? c[i].base : "", base > 0 ? c[i].r[0] / base : 0);
	}
	printf("kfunc cost per set+get pair: kv4 %.1f ns, kv16 %.1f ns (minus empty, per pair)\n",
	       (c[4].r[0] - c[0].r[0]) / 4, (c[5].r[0] - c[0].r[0]) / 16);
	pull_bench(b, repeat > 2000 ? 2000 : repeat);
	store_bench__destroy(b);
	xdpmeta_ctl__destroy(ctl);
	return 0;
}

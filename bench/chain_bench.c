// SPDX-License-Identifier: GPL-2.0
/*
 * chain_bench: what a chain costs per program. A test run of xdpmeta's
 * dispatcher as if received on a chained veth, with chains of 1, 2, 4, 8
 * and 64 programs that each return XDP_PASS, against one such program
 * test-run directly on the same device (what attaching it alone costs).
 * Per program: (chain(n) - direct) / n, everything the chain adds
 * (dispatcher, kfunc, walk, each inner call) spread over its programs.
 * Under icount (make bench's first boot) the figures are instructions.
 * Median of 5 runs of REPEAT test-run repeats each.
 */
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/bpf.h>

#include "xm_test.h"
#include "bench.h"
#include "xdpmeta_dispatch.skel.h"

static int chain_ctl(struct xdpmeta_ctl *ctl, struct xdpmeta_chain_req *r)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = r, .ctx_size_in = sizeof(*r));

	r->size = sizeof(*r);
	if (bpf_prog_test_run_opts(bpf_program__fd(ctl->progs.xdpmeta_chain), &o))
		return -errno;
	return r->ret;
}

/* median per-run duration of @fd's test run on @ifindex */
static double run(int fd, int ifindex, int repeat)
{
	char pkt[64] = { [12] = 0x08, [13] = 0x00 };
	struct xdp_md ctx = { .data_end = sizeof(pkt), .ingress_ifindex = ifindex };
	double t[5];
	int i;

	for (i = 0; i < 5; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt),
			    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = repeat);

		if (bpf_prog_test_run_opts(fd, &o) || o.retval != XDP_PASS) {
			fprintf(stderr, "Couldn't run the chain benchmark: %s (retval %u)\n",
				strerror(errno), o.retval);
			exit(1);
		}
		t[i] = o.duration;
	}
	qsort(t, 5, sizeof(t[0]), bench_cmp);
	return t[2];
}

int main(int argc, char **argv)
{
	static const int sizes[] = { 1, 2, 4, 8, 64 };
	struct bpf_insn pass[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int repeat = argc > 1 ? atoi(argv[1]) : 20000, fds[64], n = 0, i, k, ifb, dfd;
	char cmd[512] = "";
	FILE *f = fopen("/proc/cmdline", "r");
	struct xdpmeta_dispatch *disp;
	struct xdpmeta_ctl *ctl;
	double direct, empty, t;
	const char *unit;

	if (f) {
		if (!fgets(cmd, sizeof(cmd), f))
			cmd[0] = 0;
		fclose(f);
	}
	unit = strstr(cmd, " xi=1") ? "instr" : "ns";
	ctl = xm_ctl_open();
	disp = xdpmeta_dispatch__open_and_load();
	if (!ctl || !disp) {
		fprintf(stderr, "Couldn't load 'chain_bench': xdpmeta is not loaded (insmod xdpmeta.ko)\n");
		return 1;
	}
	if (xm_sh("ip link add xbc type veth peer name xbd && ip link set xbc up && ip link set xbd up")) {
		fprintf(stderr, "Couldn't create 'xbc': ip link failed\n");
		return 1;
	}
	ifb = if_nametoindex("xbd");
	dfd = bpf_program__fd(disp->progs.xdpmeta_dispatch);
	for (i = 0; i < 64; i++) {
		fds[i] = bpf_prog_load(BPF_PROG_TYPE_XDP, NULL, "GPL", pass, 2, NULL);
		if (fds[i] < 0) {
			fprintf(stderr, "Couldn't load program %d: %s\n", i, strerror(errno));
			return 1;
		}
	}
	if (bpf_xdp_attach(ifb, dfd, XDP_FLAGS_DRV_MODE, NULL)) {
		fprintf(stderr, "Couldn't attach the dispatcher to 'xbd': %s\n", strerror(errno));
		return 1;
	}
	run(fds[0], ifb, repeat);	/* warm-up: the first run pays cold caches */
	direct = run(fds[0], ifb, repeat);
	empty = run(dfd, ifb, repeat);
	printf("chain benchmark: %s per test run (median of 5 x %d), programs return XDP_PASS\n",
	       unit, repeat);
	printf("%-10s %10s %14s\n", "case", unit, "per program");
	printf("%-10s %10.0f %14s\n", "direct", direct, "-");
	printf("%-10s %10.0f %14s\n", "chain0", empty, "-");
	fprintf(stderr, "csv:chain,direct,%.0f,%s,%.0f,%.0f,,\n", direct, unit, direct, direct);
	fprintf(stderr, "csv:chain,chain0,%.0f,%s,%.0f,%.0f,direct,%.4f\n", empty, unit,
		empty, empty, empty / direct);
	for (k = 0; k < (int)(sizeof(sizes) / sizeof(sizes[0])); k++) {
		for (; n < sizes[k]; n++) {
			struct xdpmeta_chain_req r = {
				.op = XDPMETA_CHAIN_OP_ATTACH, .ifindex = ifb, .prog_fd = fds[n],
			};

			if (chain_ctl(ctl, &r) < 0) {
				fprintf(stderr, "Couldn't attach program %d to the chain: %s: %s\n",
					n, strerror(-r.ret), r.msg);
				return 1;
			}
		}
		t = run(dfd, ifb, repeat);
		printf("chain%-5d %10.0f %14.1f\n", n, t, (t - direct) / n);
		fprintf(stderr, "csv:chain,chain%d,%.0f,%s,%.0f,%.0f,direct,%.4f\n", n, t, unit,
			t, t, t / direct);
		fprintf(stderr, "csv:chain,chain%d_per_prog,%.1f,%s,,,direct,\n", n,
			(t - direct) / n, unit);
	}
	bpf_xdp_detach(ifb, XDP_FLAGS_DRV_MODE, NULL);
	xm_sh("ip link del xbc");
	return 0;
}

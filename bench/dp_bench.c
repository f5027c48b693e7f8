// SPDX-License-Identifier: GPL-2.0
/*
 * `make bench`, data path part: real frames through the device hook.
 * A live-frames generator (BPF_PROG_TEST_RUN, BPF_F_TEST_XDP_LIVE_FRAMES,
 * the xdp-trafficgen technique) redirects 64-byte frames through a devmap
 * into veth xrc; the program on its peer xrd counts them. Cases, in
 * alternating rounds of one VM run:
 *   (a) xdpmeta not loaded,
 *   (b) loaded: xrc's ndo_xdp_xmit goes through the hook's wrapper,
 *   (c) loaded, the store set before the redirect and read after it (the
 *       generator also moves data_meta by 4 bytes, see dp_store.bpf.c);
 * and the skb path, the peer passing every frame (each becomes an skb and
 * meets the netfilter ingress hook of every hooked device):
 *   (d) xdpmeta not loaded,
 *   (e) loaded, no store: the hooks idle.
 * Prints packets/s (median, min-max), guest ns per packet (under icount:
 * instructions per packet, both vCPUs and the receiver included) and the
 * ratios (b)/(a), (c)/(b), (e)/(d).
 * usage: dp_bench [FRAMES_PER_ROUND]
 */
#include <net/if.h>
#include <linux/if_link.h>
#include <time.h>
#include "xm_test.h"
#include "bench.h"
#include "dp_plain.skel.h"
#include "dp_store.skel.h"

#define ROUNDS 5

static int attach_rx(int ifindex, int fd)
{
	int saved, err;

	if (xm_in_netns("xr2", &saved))
		return -1;
	err = bpf_xdp_attach(ifindex, fd, XDP_FLAGS_DRV_MODE, NULL);
	xm_back_netns(saved);
	return err;
}

/*
 * The generator's own BPF_PROG_TEST_RUN duration per frame of the last
 * round, per case: the live-frames loop times the program, the redirect
 * and each flush, and the flush's local_bh_enable() runs the veth peer's
 * NAPI poll on this CPU inside the timed loop. Under icount that is the
 * per-frame instruction count of the whole path without the sleep and
 * settling the receiver's rate includes.
 */
static double run_ns[5][ROUNDS];
static int cur_case, cur_round;

/* one round: pps as delivered to the receiver; -1 on error */
static double round_pps(int gen_fd, volatile __u64 *rx, int frames)
{
	static char pkt[64] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x00 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = frames, .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
	__u64 before = *rx;
	double t0 = bench_now();

	if (bpf_prog_test_run_opts(gen_fd, &o))
		return -1;
	run_ns[cur_case][cur_round] = o.duration;
	usleep(20000);
	return (*rx - before) / (bench_now() - t0);
}

int main(int argc, char **argv)
{
	int frames = argc > 1 ? atoi(argv[1]) : 200000, xrc, xrd, saved, key;
	double r[5][ROUNDS];
	struct dp_plain *p;
	struct dp_store *st = NULL;
	struct xdpmeta_ctl *ctl;
	__u32 zero = 0;
	static const char *const names[5] = {
		"(a) not loaded", "(b) loaded, hook only", "(c) store set+get",
		"(d) skb path, not loaded", "(e) skb path, loaded",
	};

	xm_unload();
	if (xm_redirect_topology(1500, 1500)) {
		fprintf(stderr, "Couldn't set up 'dp_bench': topology failed\n");
		return 1;
	}
	xrc = if_nametoindex("xrc");
	if (xm_in_netns("xr2", &saved))
		return 1;
	xrd = if_nametoindex("xrd");
	xm_back_netns(saved);
	p = dp_plain__open_and_load();
	if (!p || bpf_map_update_elem(bpf_map__fd(p->maps.dp_tx), &zero, &xrc, 0) ||
	    attach_rx(xrd, bpf_program__fd(p->progs.rx_count))) {
		fprintf(stderr, "Couldn't load 'dp_plain'\n");
		return 1;
	}
	for (int i = 0; i < ROUNDS; i++) {
		/* (a), (d) */
		cur_round = i;
		cur_case = 0;
		r[0][i] = round_pps(bpf_program__fd(p->progs.gen_redirect), &p->bss->rx_frames, frames);
		attach_rx(xrd, bpf_program__fd(p->progs.rx_count_pass));
		cur_case = 3;
		r[3][i] = round_pps(bpf_program__fd(p->progs.gen_redirect), &p->bss->rx_frames, frames);
		attach_rx(xrd, bpf_program__fd(p->progs.rx_count));
		/* (b), (e) */
		if (xm_load())
			return 1;
		cur_case = 1;
		r[1][i] = round_pps(bpf_program__fd(p->progs.gen_redirect), &p->bss->rx_frames, frames);
		attach_rx(xrd, bpf_program__fd(p->progs.rx_count_pass));
		cur_case = 4;
		r[4][i] = round_pps(bpf_program__fd(p->progs.gen_redirect), &p->bss->rx_frames, frames);
		attach_rx(xrd, bpf_program__fd(p->progs.rx_count));
		/* (c): kfunc programs hold the module; built once, kept */
		if (!st) {
			ctl = xm_ctl_open();
			key = ctl ? xm_key_add(ctl, "dp_bench", 8) : -1;
			st = dp_store__open();
			if (key < 0 || !st)
				return 1;
			st->rodata->key = key;
			if (dp_store__load(st) ||
			    bpf_map_update_elem(bpf_map__fd(st->maps.dp_tx), &zero, &xrc, 0)) {
				fprintf(stderr, "Couldn't load 'dp_store'\n");
				return 1;
			}
		}
		attach_rx(xrd, bpf_program__fd(st->progs.rx_count_store));
		cur_case = 2;
		r[2][i] = round_pps(bpf_program__fd(st->progs.gen_redirect_store),
				    &st->bss->rx_frames, frames);
		attach_rx(xrd, bpf_program__fd(p->progs.rx_count));
		if (i < ROUNDS - 1) {
			/* (a) again next round: the kfunc programs must go */
			dp_store__destroy(st);
			xdpmeta_ctl__destroy(ctl);
			st = NULL;
			if (xm_unload())
				return 1;
		}
	}
	printf("data path: %d live frames of 64 bytes per round, redirected into a veth, %d rounds\n",
	       frames, ROUNDS);
	for (int c = 0; c < 5; c++) {
		qsort(r[c], ROUNDS, sizeof(double), bench_cmp);
		qsort(run_ns[c], ROUNDS, sizeof(double), bench_cmp);
	}
	printf("%-26s %10s %19s %12s %16s\n", "case", "rx pps", "min-max", "rx ns/pkt",
	       "run ns/frame");
	for (int c = 0; c < 5; c++)
		printf("%-26s %10.0f pps %9.0f-%-9.0f %8.0f %8.0f (%.0f-%.0f)\n", names[c],
		       r[c][ROUNDS / 2], r[c][0], r[c][ROUNDS - 1], 1e9 / r[c][ROUNDS / 2],
		       run_ns[c][ROUNDS / 2], run_ns[c][0], run_ns[c][ROUNDS - 1]);
	printf("run ns/frame ratios (b)/(a) %.4f, (e)/(d) %.4f (goal <= 1.01)\n",
	       run_ns[1][ROUNDS / 2] / run_ns[0][ROUNDS / 2],
	       run_ns[4][ROUNDS / 2] / run_ns[3][ROUNDS / 2]);
	for (int c = 0; c < 5; c++)
		fprintf(stderr, "csv:dp-run,%c,%.0f,ns/frame,%.0f,%.0f,%s,%.4f\n", 'a' + c,
			run_ns[c][ROUNDS / 2], run_ns[c][0], run_ns[c][ROUNDS - 1],
			c == 1 ? "a" : c == 4 ? "d" : "",
			c == 1 ? run_ns[1][ROUNDS / 2] / run_ns[0][ROUNDS / 2] :
			c == 4 ? run_ns[4][ROUNDS / 2] / run_ns[3][ROUNDS / 2] : 0);
	/* the fastest rounds too: under icount a disturbance (a tick, the
	 * other vCPU) only ever adds instructions to a round */
	printf("ratio (b)/(a) %.4f (goal >= 0.99), (c)/(b) %.3f, (e)/(d) %.4f (goal >= 0.99);"
	       " fastest rounds: (b)/(a) %.4f, (e)/(d) %.4f;"
	       " store reads that matched: %llu of %llu\n",
	       r[1][ROUNDS / 2] / r[0][ROUNDS / 2], r[2][ROUNDS / 2] / r[1][ROUNDS / 2],
	       r[4][ROUNDS / 2] / r[3][ROUNDS / 2],
	       r[1][ROUNDS - 1] / r[0][ROUNDS - 1], r[4][ROUNDS - 1] / r[3][ROUNDS - 1],
	       (unsigned long long)st->bss->rx_match, (unsigned long long)st->bss->rx_frames);
	for (int c = 0; c < 5; c++) {
		static const char base[5] = { 0, 'a', 'b', 0, 'd' };
		double ratio = base[c] ? r[c][ROUNDS / 2] / r[base[c] - 'a'][ROUNDS / 2] : 0;

		fprintf(stderr, "csv:dp,%c,%.0f,pps,%.0f,%.0f,%s%s,%.4f\n", 'a' + c, r[c][ROUNDS / 2],
			r[c][0], r[c][ROUNDS - 1], base[c] ? (char[]){ base[c], 0 } : "", "", ratio);
	}
	dp_store__destroy(st);
	xdpmeta_ctl__destroy(ctl);
	dp_plain__destroy(p);
	xm_redirect_topology_del();
	xm_unload();
	return 0;
}

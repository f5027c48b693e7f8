// SPDX-License-Identifier: GPL-2.0
/*
 * `make bench`, multi-buffer part: frames per second a plain program
 * receives when a frags-aware program redirects 3522-byte multi-buffer
 * frames into its veth, with the compat shim's policy "pass" (stock: the
 * receiver sees partial packets) vs "linearize" (a page copy per frame).
 * Same topology as test/vm/t_mb.c; an AF_PACKET sender in netns xr1 sends
 * as fast as it can for SECS seconds per round; 5 rounds alternate.
 * usage: mb_bench [SECS]
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <time.h>
#include "xm_test.h"
#include "bench.h"
#include "mb_redirect.h"
#include "mb_redirect.skel.h"

#define ROUNDS 5

/* child: blast 3522-byte IPv4 frames out of xra (netns xr1) for secs */
static void sender(double secs)
{
	static unsigned char frame[3522];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int saved, fd;
	double end;

	if (xm_in_netns("xr1", &saved))
		_exit(1);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	sll.sll_ifindex = if_nametoindex("xra");
	sll.sll_halen = ETH_ALEN;
	if (fd < 0 || !sll.sll_ifindex)
		_exit(1);
	memset(frame, 0xff, 6);			/* dst */
	memcpy(frame + 6, "\x02\0\0\0\0\x01", 6);	/* src */
	frame[12] = 0x08;			/* IPv4 */
	frame[13] = 0x00;
	frame[14] = 0x45;
	end = bench_now() + secs;
	while (bench_now() < end)
		for (int i = 0; i < 64; i++)
			sendto(fd, frame, sizeof(frame), 0, (struct sockaddr *)&sll, sizeof(sll));
	_exit(0);
}

static double round_pps(struct mb_redirect *skel, const char *policy, double secs)
{
	__u64 before;
	double t0;
	pid_t pid;

	xm_sh("echo \"$(stat -L -c %%i /proc/self/ns/net) %d %s\" > /sys/kernel/debug/xdpmeta/mb_policy",
	      if_nametoindex("xrc"), policy);
	before = skel->bss->rx.frames;
	t0 = bench_now();
	pid = fork();
	if (!pid)
		sender(secs);
	waitpid(pid, NULL, 0);
	usleep(100000);
	return (skel->bss->rx.frames - before) / (bench_now() - t0);
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 3, pass[ROUNDS], lin[ROUNDS];
	struct mb_redirect *skel;
	__u32 zero = 0;
	int xrc, xrd, saved;

	/* 6.1's xdp_do_redirect() refuses multi-buffer frames into devices */
	if (xm_kernel_version() < 603) {
		printf("mb redirect shim: n/a on this kernel: it redirects no multi-buffer frame into a device, so there is nothing to linearize\n");
		return 0;
	}
	if (xm_load() || xm_redirect_topology(9000, 3506)) {
		fprintf(stderr, "Couldn't set up 'mb_bench': insmod or topology failed\n");
		return 1;
	}
	skel = mb_redirect__open_and_load();
	xrc = if_nametoindex("xrc");
	if (!skel || xm_in_netns("xr2", &saved)) {
		fprintf(stderr, "Couldn't load 'mb_redirect'\n");
		return 1;
	}
	xrd = if_nametoindex("xrd");
	if (bpf_xdp_attach(xrd, bpf_program__fd(skel->progs.mb_plain_rx), XDP_FLAGS_DRV_MODE, NULL)) {
		fprintf(stderr, "Couldn't attach 'mb_plain_rx' to 'xrd'\n");
		return 1;
	}
	xm_back_netns(saved);
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.mb_tx), &zero, &xrc, 0) ||
	    bpf_xdp_attach(if_nametoindex("xrb"), bpf_program__fd(skel->progs.mb_redir),
			   XDP_FLAGS_DRV_MODE, NULL)) {
		fprintf(stderr, "Couldn't attach 'mb_redir' to 'xrb'\n");
		return 1;
	}
	for (int r = 0; r < ROUNDS; r++) {
		pass[r] = round_pps(skel, "pass", secs);
		lin[r] = round_pps(skel, "linearize", secs);
	}
	qsort(pass, ROUNDS, sizeof(double), bench_cmp);
	qsort(lin, ROUNDS, sizeof(double), bench_cmp);
	{
		const int m = ROUNDS / 2, hi = ROUNDS - 1;

		printf("mb redirect shim: 3522-byte frames into a veth with a plain receiver, %.1f s x %d rounds (median, min-max)\n",
		       secs, ROUNDS);
		printf("%-10s %10.0f pps %8.0f-%-8.0f\n", "pass", pass[m], pass[0], pass[hi]);
		printf("%-10s %10.0f pps %8.0f-%-8.0f ratio %.2f (linearize / pass)\n", "linearize",
		       lin[m], lin[0], lin[hi], lin[m] / pass[m]);
		fprintf(stderr, "csv:mb,pass,%.0f,pps,%.0f,%.0f,,\n", pass[m], pass[0], pass[hi]);
		fprintf(stderr, "csv:mb,linearize,%.0f,pps,%.0f,%.0f,pass,%.3f\n", lin[m], lin[0],
			lin[hi], lin[m] / pass[m]);
	}
	bpf_xdp_detach(if_nametoindex("xrb"), 0, NULL);
	mb_redirect__destroy(skel);
	xm_redirect_topology_del();
	xm_unload();
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * `make bench`, RX hints part (bench/hints_bench.bpf.c):
 *  import: UDP datagrams sent from netns xr1 through veth xra reach xrb,
 *    whose program drops them, (i) plain, (ii) after importing the
 *    driver's hints (veth: hash and VLAN from the skb; the timestamp is
 *    none). Rate at xrb, sender included: the ratio is the share of the
 *    whole path that import costs.
 *  apply: live frames redirected into veth xrc and passed by xrd's
 *    program become skbs: (p) no store, (q) a store with one user key (the
 *    ingress hook finds and checks it), (r) hash, VLAN and timestamp set
 *    (and applied to each skb).
 * Rounds alternate the cases; medians, min-max and ratios to the first.
 * usage: hints_bench [PACKETS_PER_ROUND]
 */
#include <net/if.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <time.h>
#include "xm_test.h"
#include "bench.h"
#include "hints_bench.skel.h"

#define ROUNDS 5

/* wait until *@cnt stops moving; the rate of what arrived since @t0 */
static double settle(volatile __u64 *cnt, __u64 before, double t0)
{
	__u64 last;
	double t;

	do {
		last = *cnt;
		t = bench_now();
		usleep(20000);
	} while (*cnt != last);
	return (last - before) / (t - t0);
}

static double send_round(int fd, volatile __u64 *seen, int n)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9) };
	static char buf[18];
	struct mmsghdr m[64];
	struct iovec iov = { buf, sizeof(buf) };
	__u64 before = *seen;
	double t0 = bench_now();
	int i, sent = 0;

	inet_pton(AF_INET, "10.77.0.2", &a.sin_addr);
	for (i = 0; i < 64; i++)
		m[i] = (struct mmsghdr){ .msg_hdr = { .msg_name = &a, .msg_namelen = sizeof(a),
						      .msg_iov = &iov, .msg_iovlen = 1 } };
	while (sent < n) {
		int r = sendmmsg(fd, m, n - sent < 64 ? n - sent : 64, 0);

		if (r <= 0)
			return -1;
		sent += r;
	}
	return settle(seen, before, t0);
}

static double gen_round(int gen_fd, volatile __u64 *rx, int n)
{
	static char pkt[64] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x00 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = n, .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
	__u64 before = *rx;
	double t0 = bench_now();

	if (bpf_prog_test_run_opts(gen_fd, &o))
		return -1;
	return settle(rx, before, t0);
}

static void report(const char *group, const char *const *names, double r[][ROUNDS], int ncase)
{
	for (int c = 0; c < ncase; c++)
		qsort(r[c], ROUNDS, sizeof(double), bench_cmp);
	for (int c = 0; c < ncase; c++) {
		double ratio = r[c][ROUNDS / 2] / r[0][ROUNDS / 2];

		printf("%-30s %10.0f pps %9.0f-%-9.0f ratio %.3f\n", names[c], r[c][ROUNDS / 2],
		       r[c][0], r[c][ROUNDS - 1], ratio);
		fprintf(stderr, "csv:%s,%c,%.0f,pps,%.0f,%.0f,%s,%.3f\n", group, 'a' + c,
			r[c][ROUNDS / 2], r[c][0], r[c][ROUNDS - 1], c ? "a" : "", c ? ratio : 0);
	}
}

int main(int argc, char **argv)
{
	static const char *const inames[] = { "import (i) plain", "import (ii) import_hints" };
	static const char *const anames[] = { "apply (p) no store", "apply (q) store, no hints",
					      "apply (r) 3 hints applied" };
	int n = argc > 1 ? atoi(argv[1]) : 100000, xrb, xrc, xrd, saved, fd, key, one = 1;
	double ri[2][ROUNDS], ra[3][ROUNDS];
	struct xdpmeta_ctl *ctl;
	struct hints_bench *s;
	__u32 zero = 0;
	bool can_import;

	if (xm_load() || xm_redirect_topology(1500, 1500)) {
		fprintf(stderr, "Couldn't set up 'hints_bench': module or topology failed\n");
		return 1;
	}
	xrb = if_nametoindex("xrb");
	xrc = if_nametoindex("xrc");
	if (xm_in_netns("xr2", &saved))
		return 1;
	xrd = if_nametoindex("xrd");
	xm_back_netns(saved);
	if (xm_in_netns("xr1", &saved))
		return 1;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	xm_back_netns(saved);
	ctl = xm_ctl_open();
	key = ctl ? xm_key_add(ctl, "hints_bench", 4) : -1;
	s = hints_bench__open();
	if (fd < 0 || key < 0 || !s || setsockopt(fd, SOL_SOCKET, SO_NO_CHECK, &one, sizeof(one))) {
		fprintf(stderr, "Couldn't set up 'hints_bench': socket, key or skeleton\n");
		return 1;
	}
	s->rodata->key = key;
	if (hints_bench__load(s) || bpf_map_update_elem(bpf_map__fd(s->maps.hb_tx), &zero, &xrc, 0)) {
		fprintf(stderr, "Couldn't load 'hints_bench'\n");
		return 1;
	}
	if (xm_in_netns("xr2", &saved))
		return 1;
	if (bpf_xdp_attach(xrd, bpf_program__fd(s->progs.rx_pass), XDP_FLAGS_DRV_MODE, NULL))
		return 1;
	xm_back_netns(saved);

	/* kernels without RX hint ops (6.1) refuse a program that imports */
	can_import = !bpf_xdp_attach(xrb, bpf_program__fd(s->progs.imp_import), XDP_FLAGS_DRV_MODE, NULL);
	for (int i = 0; i < ROUNDS; i++) {
		bpf_xdp_attach(xrb, bpf_program__fd(s->progs.imp_plain), XDP_FLAGS_DRV_MODE, NULL);
		ri[0][i] = send_round(fd, &s->bss->seen, n);
		if (can_import) {
			bpf_xdp_attach(xrb, bpf_program__fd(s->progs.imp_import), XDP_FLAGS_DRV_MODE, NULL);
			ri[1][i] = send_round(fd, &s->bss->seen, n);
		}
		ra[0][i] = gen_round(bpf_program__fd(s->progs.gen_plain), &s->bss->rx_frames, n);
		ra[1][i] = gen_round(bpf_program__fd(s->progs.gen_key), &s->bss->rx_frames, n);
		ra[2][i] = gen_round(bpf_program__fd(s->progs.gen_hints), &s->bss->rx_frames, n);
	}
	printf("hints: %d packets per case and round, %d rounds\n", n, ROUNDS);
	report("hints-import", inames, ri, can_import ? 2 : 1);
	if (can_import)
		printf("imported (hash and VLAN): %llu packets\n", (unsigned long long)s->bss->imported);
	else
		printf("%s: refused at attach on this kernel (no RX hint ops)\n", inames[1]);
	report("hints-apply", anames, ra, 3);
	printf("skbs with a store at xrd: %lld, with hints applied: %lld\n",
	       xm_dev_counter("xrd", "skb_stores"), xm_dev_counter("xrd", "skb_hints"));
	bpf_xdp_detach(xrb, 0, NULL);
	hints_bench__destroy(s);
	xdpmeta_ctl__destroy(ctl);
	xm_redirect_topology_del();
	xm_unload();
	return 0;
}

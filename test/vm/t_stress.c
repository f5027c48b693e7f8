// SPDX-License-Identifier: GPL-2.0
/*
 * Stress scenarios (issue 13, part 2). make check runs the short form;
 * make stress (XDPMETA_STRESS=full in the guest) runs the long one:
 *
 *  load_unload_cycles_with_traffic  insmod/rmmod 50 (full: 1000) times
 *    while redirect traffic (multi-buffer frames through the veth shim)
 *    and skb traffic (pings through a veth pair and across two virtio_net
 *    NICs, each with an XDP program) flow: every cycle hooks the same
 *    devices, holds no module reference, restores all it hooked; no
 *    ping is lost, every redirected frame arrives.
 *  veth_netns_churn_while_loaded  50 (1000) cycles of: two netns, a veth
 *    pair across them, an XDP program attached, the hooked end moved to a
 *    third netns, all deleted; the leak accounting returns to where it was.
 *  switches_race_the_data_path  mb mode and policy switches, MTU changes
 *    and attach/detach of the receiver, 100 (1000) rounds, while
 *    multi-buffer frames are redirected through the shim; afterwards the
 *    shim still linearizes every frame.
 *  sixteen_threads_churn_keys_while_packets_use_them  below.
 *
 * Each prints what it did (cycles, packets, errors) as a "#" line.
 */
#include <net/if.h>
#include <linux/if_link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include "xm_test.h"
#include "xm_harness.h"
#include "stress.h"
#include "stress.skel.h"
#include "mb_redirect.h"
#include "mb_redirect.skel.h"

#define DBGFS		"/sys/kernel/debug/xdpmeta/"
#define PARAMS		"/sys/module/xdpmeta/parameters/"
#define KEYS		DBGFS "keys"
#define COUNT_OBJ	"/xdpmeta/bpf/xdp_count.bpf.o"
/* what the guest runner counts as a kernel problem (runner.sh KBAD) */
#define KBAD		"WARNING:|BUG[: ]|Oops|KFENCE|general protection|Redzone|" \
			"Poison overwritten|refcount_t:|stalled pool shutdown|pagealloc: "

/* the scenarios run longer than the harness's default 30 s; the guest
 * runner's per-test timeout (VM_TEST_TIMEOUT) still bounds them */
#define STRESS_TIMEOUT	7200

FIXTURE(stress) {
	int unused;
};
FIXTURE_SETUP(stress) {}
/* a failed assertion skips a test's own clean-up: put back what any
 * scenario changes (the runner's t_cleanup deletes the netns) */
static void skb_paths_teardown(void);
FIXTURE_TEARDOWN(stress)
{
	skb_paths_teardown();
	xm_redirect_topology_del();
	xm_sh("{ echo compat > " PARAMS "mb_mode; } 2> /dev/null; true");
}

static bool full(void)
{
	const char *s = getenv("XDPMETA_STRESS");

	return s && !strcmp(s, "full");
}

/* lines of debugfs devices below the header: the devices hooked now */
static int hooked_count(void)
{
	static char buf[16384];
	int n = 0;

	if (xm_read(DBGFS "devices", buf, sizeof(buf)) < 0)
		return -1;
	for (char *p = buf; *p; p++)
		n += *p == '\n';
	return n - 1;
}

/* "N packets transmitted, M received" of a ping's summary in FILE */
static int ping_summary(const char *file, long *sent, long *got)
{
	*sent = xm_sh_num("sed -n 's/^\\([0-9]*\\) packets transmitted.*/\\1/p' %s", file);
	*got = xm_sh_num("sed -n 's/.* transmitted, \\([0-9]*\\) packets received.*/\\1/p' %s", file);
	return *sent < 0 || *got < 0 ? -1 : 0;
}

static int attach_in(const char *ns, const char *dev, int fd)
{
	int saved, err, ifindex;

	if (ns && xm_in_netns(ns, &saved))
		return -1;
	ifindex = if_nametoindex(dev);
	err = ifindex ? bpf_xdp_attach(ifindex, fd, XDP_FLAGS_DRV_MODE, NULL) : -ENODEV;
	if (ns)
		xm_back_netns(saved);
	return err;
}

static void detach_in(const char *ns, const char *dev)
{
	int saved, ifindex;

	if (ns && xm_in_netns(ns, &saved))
		return;
	ifindex = if_nametoindex(dev);
	if (ifindex)
		bpf_xdp_detach(ifindex, 0, NULL);
	if (ns)
		xm_back_netns(saved);
}

/* the redirect topology with the multi-buffer programs of t_mb */
static struct mb_redirect *mb_setup(void)
{
	struct mb_redirect *skel;
	__u32 zero = 0, xrc;

	if (xm_redirect_topology(9000, 3506))
		return NULL;
	skel = mb_redirect__open_and_load();
	if (!skel)
		return NULL;
	xrc = if_nametoindex("xrc");
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.mb_tx), &zero, &xrc, 0) ||
	    attach_in(NULL, "xrb", bpf_program__fd(skel->progs.mb_redir)) ||
	    attach_in("xr2", "xrd", bpf_program__fd(skel->progs.mb_plain_rx))) {
		mb_redirect__destroy(skel);
		return NULL;
	}
	return skel;
}

static void mb_teardown(struct mb_redirect *skel)
{
	detach_in(NULL, "xrb");
	detach_in("xr2", "xrd");
	if (skel)
		mb_redirect__destroy(skel);
	xm_redirect_topology_del();
}

/* skb traffic: veth xsa (xs1) -- xsb (xs2), and virtio_net eth0 (init) --
 * eth1 (netns xsv) across QEMU's hub; xdp_count (XDP_PASS) on xsb and eth1 */
static int skb_paths_setup(void)
{
	return xm_sh("set -e; ip netns add xs1; ip netns add xs2; ip netns add xsv;"
		     "ip link add xsa type veth peer name xsb;"
		     "ip link set xsa netns xs1; ip link set xsb netns xs2;"
		     "ip -n xs1 addr add 10.66.0.1/24 dev xsa; ip -n xs2 addr add 10.66.0.2/24 dev xsb;"
		     "ip -n xs1 link set xsa up; ip -n xs2 link set xsb up;"
		     "ip -n xs2 link set dev xsb xdp obj " COUNT_OBJ " sec xdp;"
		     "ip link set eth1 netns xsv; ip addr add 10.67.0.1/24 dev eth0; ip link set eth0 up;"
		     "ip -n xsv addr add 10.67.0.2/24 dev eth1; ip -n xsv link set eth1 up;"
		     "ip -n xsv link set dev eth1 xdp obj " COUNT_OBJ " sec xdp;"
		     "ip netns exec xs1 ping -c 3 -W 5 10.66.0.2 > /dev/null;"
		     "ping -c 3 -W 5 10.67.0.2 > /dev/null");
}

static void skb_paths_teardown(void)
{
	xm_sh("{ ip -n xsv link set dev eth1 xdp off; ip -n xsv link set eth1 netns 1;"
	      "ip addr del 10.67.0.1/24 dev eth0; ip netns del xs1; ip netns del xs2;"
	      "ip netns del xsv; } 2> /dev/null; true");
}

TEST_F_TIMEOUT(stress, load_unload_cycles_with_traffic, STRESS_TIMEOUT)
{
	int cycles = full() ? 1000 : 50, hooked0 = -1, bad_hooked = 0, bad_refs = 0,
	    bad_restored = 0, problems = 0;
	long s1, g1, s2, g2, s3 = 0, g3 = 0;
	struct mb_redirect *skel;
	time_t t0 = time(NULL);

	ASSERT_EQ(0, xm_load());
	skel = mb_setup();
	ASSERT_NE(NULL, skel);
	ASSERT_EQ(0, skb_paths_setup());
	ASSERT_EQ(0, xm_unload());
	/* the traffic: two skb paths and multi-buffer frames redirected */
	xm_sh("(exec /usr/local/sbin/ip netns exec xs1 ping -i 0.02 10.66.0.2 > /tmp/st1.out 2>&1) & echo $! > /tmp/st1.pid;"
	      "(exec ping -i 0.02 10.67.0.2 > /tmp/st2.out 2>&1) & echo $! > /tmp/st2.pid;"
	      "(exec /usr/local/sbin/ip netns exec xr1 ping -i 0.02 -s 3480 10.77.0.2 > /tmp/st3.out 2>&1) & echo $! > /tmp/st3.pid");
	usleep(500000);
	for (int i = 0; i < cycles; i++) {
		int h, restored;

		if (xm_sh("insmod /xdpmeta/xdpmeta.ko")) {
			problems++;
			break;
		}
		h = hooked_count();
		if (hooked0 < 0)
			hooked0 = h;
		bad_hooked += h != hooked0;
		bad_refs += xm_sh_num("cat /sys/module/xdpmeta/refcnt") != 0;
		if (xm_unload()) {
			problems++;
			break;
		}
		restored = xm_sh_num("dmesg | sed -n 's/.*xdpmeta: unloaded, restored \\([0-9]*\\) devices.*/\\1/p' | tail -n 1");
		bad_restored += restored != hooked0;
		if (i % 50 == 49 && !xm_sh("dmesg | grep -qE '" KBAD "'"))
			problems++;
		if (problems)
			break;
	}
	/* a quiet second unloaded, then stop: at most the echo in flight
	 * when each ping is stopped is unanswered */
	sleep(1);
	xm_sh("kill -INT $(cat /tmp/st1.pid) $(cat /tmp/st2.pid) $(cat /tmp/st3.pid); sleep 1");
	if (ping_summary("/tmp/st1.out", &s1, &g1) || ping_summary("/tmp/st2.out", &s2, &g2))
		xm_sh("head -n 3 /tmp/st1.out /tmp/st2.out; tail -n 3 /tmp/st1.out /tmp/st2.out");
	TH_LOG("cycles stopped: problems %d", problems);
	ASSERT_EQ(0, ping_summary("/tmp/st1.out", &s1, &g1));
	ASSERT_EQ(0, ping_summary("/tmp/st2.out", &s2, &g2));
	s3 = xm_sh_num("sed -n 's/^\\([0-9]*\\) packets transmitted.*/\\1/p' /tmp/st3.out");
	g3 = (long)skel->bss->rx.frames;
	printf("# %d insmod/rmmod cycles in %ld s, %d devices hooked each time: veth pings %ld/%ld "
	       "answered, virtio_net pings %ld/%ld, multi-buffer frames redirected %ld sent, %ld "
	       "received (%llu partial: the cycles' unloaded halves are stock); %d cycles hooked "
	       "another count, %d held a module reference, %d restored another count\n",
	       cycles, (long)(time(NULL) - t0), hooked0, g1, s1, g2, s2, s3, g3,
	       (unsigned long long)skel->bss->rx.partial, bad_hooked, bad_refs, bad_restored);
	EXPECT_EQ(0, problems);
	EXPECT_GE(hooked0, 10);	/* 8 virtio_net NICs (6 without a tap), xrb, xrc, xsa, xsb */
	EXPECT_EQ(0, bad_hooked);
	EXPECT_EQ(0, bad_refs);
	EXPECT_EQ(0, bad_restored);
	EXPECT_GE(s1, cycles);
	EXPECT_LE(s1 - g1, 2);
	EXPECT_GE(s2, cycles);
	EXPECT_LE(s2 - g2, 2);
	EXPECT_GE(s3, cycles);
	if (xm_kernel_version() < 603) {	/* 6.1: no multi-buffer redirect into devices (t_mb.c) */
		EXPECT_EQ(0, g3);
	} else {
		EXPECT_LE(s3 - g3, 2);
	}
	skb_paths_teardown();
	mb_teardown(skel);
	EXPECT_NE(0, xm_sh("dmesg | grep -q 'left at exit'"));
}

TEST_F_TIMEOUT(stress, veth_netns_churn_while_loaded, STRESS_TIMEOUT)
{
	int cycles = full() ? 1000 : 50, failed = 0;
	long long rec0, hk0, nf0, hooked0, rec1 = -1, hk1 = -1, nf1 = -1;
	time_t t0 = time(NULL);

	ASSERT_EQ(0, xm_load());
	hooked0 = hooked_count();
	rec0 = xm_object("records");
	hk0 = xm_object("hooked");
	nf0 = xm_object("nf_hooks");
	for (int i = 0; i < cycles; i++) {
		/* the move to xc3 carries a hooked device with its program;
		 * deleting xc1 destroys the pair from the other side */
		if (xm_sh("set -e; ip netns add xc1; ip netns add xc2; ip netns add xc3;"
			  "ip -n xc1 link add xca type veth peer name xcb netns xc2;"
			  "ip -n xc2 link set xcb up; ip -n xc1 link set xca up;"
			  "ip -n xc2 link set dev xcb xdp obj " COUNT_OBJ " sec xdp;"
			  "ip -n xc2 link set xcb netns xc3;"
			  "ip netns del xc2; ip netns del xc1; ip netns del xc3")) {
			failed++;
			xm_sh("{ ip netns del xc1; ip netns del xc2; ip netns del xc3; } 2> /dev/null");
			if (failed > 3)
				break;
		}
	}
	/* netns cleanup is asynchronous: wait for the accounting to settle */
	for (int w = 0; w < 600; w++) {
		rec1 = xm_object("records");
		hk1 = xm_object("hooked");
		nf1 = xm_object("nf_hooks");
		if (hk1 == hk0 && nf1 == nf0 && hooked_count() == hooked0)
			break;
		usleep(100000);
	}
	printf("# %d netns/veth cycles (3 netns, a pair, an attach, a move each) in %ld s, "
	       "%d failed; hooked %lld -> %lld, ingress hooks %lld -> %lld, records %lld -> %lld "
	       "(retired records are kept 60 s)\n", cycles, (long)(time(NULL) - t0), failed,
	       hk0, hk1, nf0, nf1, rec0, rec1);
	EXPECT_EQ(0, failed);
	EXPECT_EQ(hk0, hk1);
	EXPECT_EQ(nf0, nf1);
	EXPECT_EQ(hooked0, hooked_count());
	EXPECT_GE(rec1, rec0);
	EXPECT_EQ(0, xm_unload());
	EXPECT_NE(0, xm_sh("dmesg | grep -q 'left at exit'"));
}

TEST_F_TIMEOUT(stress, switches_race_the_data_path, STRESS_TIMEOUT)
{
	static const char *policies[] = { "linearize", "drop", "pass" };
	int rounds_n = full() ? 1000 : 100, busy = 0, refused_mtu = 0, mtu_ok = 0, attach_fail = 0;
	struct mb_redirect *skel;
	time_t t0 = time(NULL);
	long sent;
	__u64 f0, p0;

	ASSERT_EQ(0, xm_load());
	skel = mb_setup();
	ASSERT_NE(NULL, skel);
	xm_sh("(exec /usr/local/sbin/ip netns exec xr1 ping -i 0.01 -s 3480 10.77.0.2 > /tmp/sr.out 2>&1) & echo $! > /tmp/sr.pid");
	for (int i = 0; i < rounds_n; i++) {
		int fd = bpf_program__fd(skel->progs.mb_plain_rx);

		xm_sh("echo \"$(stat -L -c %%i /proc/self/ns/net) %d %s\" > " DBGFS "mb_policy",
		      if_nametoindex("xrc"), policies[i % 3]);
		switch (i % 4) {
		case 0:	/* strict is refused while the plain receiver is attached */
			if (xm_sh("echo strict > " PARAMS "mb_mode 2> /dev/null"))
				busy++;
			xm_sh("echo compat > " PARAMS "mb_mode");
			break;
		case 1:	/* off: the shim steps aside; then back */
			xm_sh("echo off > " PARAMS "mb_mode; echo compat > " PARAMS "mb_mode");
			break;
		case 2:	/* the plain receiver's veth refuses a big peer MTU */
			if (xm_sh("ip link set xrc mtu 9000 2> /dev/null"))
				refused_mtu++;
			else
				mtu_ok++;
			xm_sh("ip link set xrc mtu 3506");
			break;
		case 3:	/* detach and attach the receiver */
			detach_in("xr2", "xrd");
			if (attach_in("xr2", "xrd", fd))
				attach_fail++;
			break;
		}
	}
	xm_sh("kill -INT $(cat /tmp/sr.pid); sleep 1");
	sent = xm_sh_num("sed -n 's/^\\([0-9]*\\) packets transmitted.*/\\1/p' /tmp/sr.out");
	if (sent < 0)
		xm_sh("head -n 3 /tmp/sr.out; tail -n 3 /tmp/sr.out");
	printf("# %d rounds of policy, mode, MTU and attach switches in %ld s while %ld multi-buffer "
	       "frames were redirected (%llu received, %llu partial); strict refused %d times, "
	       "MTU 9000 refused %d times and taken %d, attach failed %d times\n",
	       rounds_n, (long)(time(NULL) - t0), sent, (unsigned long long)skel->bss->rx.frames,
	       (unsigned long long)skel->bss->rx.partial, busy, refused_mtu, mtu_ok, attach_fail);
	EXPECT_EQ(rounds_n / 4 + (rounds_n % 4 > 0), busy);
	EXPECT_EQ(0, attach_fail);
	EXPECT_GT(sent, 0);
	/* afterwards: linearize, and 20 frames all arrive whole */
	ASSERT_EQ(0, xm_sh("echo \"$(stat -L -c %%i /proc/self/ns/net) %d linearize\" > " DBGFS "mb_policy",
			   if_nametoindex("xrc")));
	f0 = skel->bss->rx.frames;
	p0 = skel->bss->rx.partial;
	xm_sh("ip netns exec xr1 ping -c 20 -i 0.05 -W 1 -s 3480 10.77.0.2 > /dev/null 2>&1; sleep 0.5");
	/* 6.1: no multi-buffer redirect into devices at all (t_mb.c) */
	EXPECT_EQ(xm_kernel_version() < 603 ? 0 : 20, skel->bss->rx.frames - f0);
	EXPECT_EQ(p0, skel->bss->rx.partial);
	mb_teardown(skel);
	EXPECT_EQ(0, xm_unload());
}

/*
 * sixteen_threads_churn_keys_while_packets_use_them: 16 threads register
 * and unregister keys, under the same and under their own names, while 2
 * more run packets (BPF_PROG_TEST_RUN of test/bpf/stress.bpf.c) that set
 * and get whatever ids are registered at the moment. Checked:
 *  - ids are never duplicated: an id returned for one name is never
 *    returned for another while the first still holds a reference (a
 *    per-id (name, holders) word, taken after a register returns and
 *    dropped before the unregister is issued, so it never undercounts);
 *  - the revision moves forward: each thread reads it after each change
 *    and sees it strictly above what it saw before its own change, and at
 *    the end it moved by exactly the number of changes that succeeded;
 *  - the data path sees only the outcomes documented for keys that are
 *    re-registered meanwhile (-ENOKEY, -EMSGSIZE, -EBADMSG), never other
 *    bytes than it wrote nor another errno;
 *  - at the end the registry holds what it held before (debugfs keys).
 */
#define REG_THREADS	16
#define PKT_THREADS	2
#define NAMES		(4 + REG_THREADS)	/* 4 shared, one own per thread */

static int rounds(void)
{
	return full() ? 300 : 30;
}

/* per id: (name index + 1) << 32 | holders; 0 when no thread holds it */
static _Atomic __u64 owner[XDPMETA_MAX_KEYS];
static atomic_int stop;

struct reg_thr {
	struct xdpmeta_ctl *ctl;
	int idx;
	long changes, refused, dups, rev_back, other;
	char why[160];
};

static const char *name_of(int n, char *buf, size_t len)
{
	if (n < 4)
		snprintf(buf, len, "stress_shared%d", n);
	else
		snprintf(buf, len, "stress_own%d", n - 4);
	return buf;
}

/* a register of name @n returned @id: take a hold; false on a duplicate */
static bool hold(int id, int n)
{
	__u64 w = atomic_load(&owner[id]), nw;

	do {
		if (w && (w >> 32) != (__u64)n + 1)
			return false;
		nw = ((__u64)n + 1) << 32 | ((w & 0xffffffff) + 1);
	} while (!atomic_compare_exchange_weak(&owner[id], &w, nw));
	return true;
}

static void unhold(int id)
{
	__u64 w = atomic_load(&owner[id]), nw;

	do {
		nw = (w & 0xffffffff) == 1 ? 0 : w - 1;
	} while (!atomic_compare_exchange_weak(&owner[id], &w, nw));
}

static void *reg_main(void *arg)
{
	struct reg_thr *t = arg;
	unsigned int seed = t->idx * 7919 + 1;
	__u64 seen = 0, rev = 0;
	int held[NAMES], n_rounds = rounds();
	char name[40];

	for (int n = 0; n < NAMES; n++)
		held[n] = -1;
	for (int r = 0; r < n_rounds; r++) {
		/* the shared names (sizes fixed), then our own, whose size
		 * changes every round: its id is freed and reused with
		 * another size while packets use it */
		int mine[2] = { rand_r(&seed) % 4, 4 + t->idx };

		for (int k = 0; k < 2; k++) {
			int n = mine[k];
			__u32 size = n < 4 ? 4u << (n % 2) : 4u << (r % 2);
			int id = xm_key_req(t->ctl, true, name_of(n, name, sizeof(name)),
					    size, XDPMETA_KEY_CREATE, 0, &rev);

			if (id < 0) {
				t->other++;
				snprintf(t->why, sizeof(t->why), "add %s: %d", name, id);
				continue;
			}
			t->changes++;
			if (rev <= seen)
				t->rev_back++;
			seen = rev;
			if (!hold(id, n)) {
				t->dups++;
				snprintf(t->why, sizeof(t->why), "%s got id %d, held by name %llu",
					 name, id, (unsigned long long)(atomic_load(&owner[id]) >> 32) - 1);
				continue;
			}
			held[n] = id;
		}
		for (int k = 1; k >= 0; k--) {
			int n = mine[k], err;

			if (held[n] < 0)
				continue;
			unhold(held[n]);
			held[n] = -1;
			err = xm_key_req(t->ctl, false, name_of(n, name, sizeof(name)), 0, 0, 0, &rev);
			if (err) {
				t->other++;
				snprintf(t->why, sizeof(t->why), "del %s: %d", name, err);
				continue;
			}
			t->changes++;
			if (rev <= seen)
				t->rev_back++;
			seen = rev;
		}
	}
	return NULL;
}

struct pkt_thr {
	struct stress *skel;
	int idx;
	long runs, errors;
	int first_err, first_retval;
};

static void *pkt_main(void *arg)
{
	struct pkt_thr *t = arg;
	unsigned int seed = t->idx * 104729 + 3;
	struct stress_pkt pkt = {};

	int err;

	while (!atomic_load(&stop)) {
		/* fresh options: the kernel writes data_size_out back */
		LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = &pkt, .data_size_in = sizeof(pkt));

		for (int i = 0; i < STRESS_KEYS_PER_PKT; i++) {
			/* distinct ids among the ones the registry threads use */
			pkt.key[i] = XDPMETA_KEY_FIRST_FREE + (rand_r(&seed) % 6) * 4 + i;
			pkt.size[i] = rand_r(&seed) % 2 ? 8 : 4;
		}
		pkt.val = ((__u64)t->idx << 48) | (__u64)t->runs << 8;
		err = bpf_prog_test_run_opts(bpf_program__fd(t->skel->progs.stress_kv), &topts);
		if (err || topts.retval != 2 /* XDP_PASS */) {
			if (!t->errors++) {
				t->first_err = err ? -errno : 0;
				t->first_retval = topts.retval;
			}
		}
		t->runs++;
	}
	return NULL;
}

/* the debugfs keys table without its revision line */
static int keys_table(char *buf, size_t len)
{
	char *nl;
	int n = xm_read(KEYS, buf, len);

	if (n < 0 || !(nl = strchr(buf, '\n')))
		return -1;
	memmove(buf, nl + 1, strlen(nl + 1) + 1);
	return 0;
}

TEST_F_TIMEOUT(stress, sixteen_threads_churn_keys_while_packets_use_them, STRESS_TIMEOUT)
{
	struct reg_thr rt[REG_THREADS] = {};
	struct pkt_thr pt[PKT_THREADS] = {};
	pthread_t rth[REG_THREADS], pth[PKT_THREADS];
	static char before[8192], after[8192];
	struct xdpmeta_ctl *ctl;
	__u64 counts[STRESS_NR] = {}, rev0, rev1;
	long changes = 0, dups = 0, back = 0, other = 0, runs = 0, perr = 0;
	struct stress *skel;
	int ncpu = libbpf_num_possible_cpus();
	time_t t0 = time(NULL);

	ASSERT_EQ(0, xm_load());
	ctl = xm_ctl_open();
	ASSERT_NE(NULL, ctl);
	skel = stress__open_and_load();
	ASSERT_NE(NULL, skel);
	ASSERT_EQ(0, keys_table(before, sizeof(before)));
	rev0 = xm_key_rev(ctl);

	for (int i = 0; i < PKT_THREADS; i++) {
		pt[i] = (struct pkt_thr){ .skel = skel, .idx = i };
		ASSERT_EQ(0, pthread_create(&pth[i], NULL, pkt_main, &pt[i]));
	}
	for (int i = 0; i < REG_THREADS; i++) {
		rt[i] = (struct reg_thr){ .ctl = ctl, .idx = i };
		ASSERT_EQ(0, pthread_create(&rth[i], NULL, reg_main, &rt[i]));
	}
	for (int i = 0; i < REG_THREADS; i++)
		pthread_join(rth[i], NULL);
	atomic_store(&stop, 1);
	for (int i = 0; i < PKT_THREADS; i++)
		pthread_join(pth[i], NULL);
	rev1 = xm_key_rev(ctl);

	for (int i = 0; i < REG_THREADS; i++) {
		changes += rt[i].changes;
		dups += rt[i].dups;
		back += rt[i].rev_back;
		other += rt[i].other;
		if (rt[i].why[0])
			TH_LOG("thread %d: %s", i, rt[i].why);
	}
	for (int i = 0; i < PKT_THREADS; i++) {
		runs += pt[i].runs;
		perr += pt[i].errors;
		if (pt[i].errors)
			TH_LOG("packet thread %d: %ld failed runs, first: %d, retval %d", i,
			       pt[i].errors, pt[i].first_err, pt[i].first_retval);
	}
	for (__u32 k = 0; k < STRESS_NR; k++) {
		__u64 v[ncpu];

		ASSERT_EQ(0, bpf_map_lookup_elem(bpf_map__fd(skel->maps.stress_counts), &k, v));
		for (int c = 0; c < ncpu; c++)
			counts[k] += v[c];
	}
	printf("# %d threads x %d rounds: %ld registry changes, revision %llu -> %llu; "
	       "%ld packets (%d keys each): %llu ok, %llu refused, %llu raced, %llu mismatched, "
	       "%llu other; %ld s\n", REG_THREADS, rounds(), changes,
	       (unsigned long long)rev0, (unsigned long long)rev1, runs, STRESS_KEYS_PER_PKT,
	       (unsigned long long)counts[STRESS_OK], (unsigned long long)counts[STRESS_REFUSED],
	       (unsigned long long)counts[STRESS_RACED], (unsigned long long)counts[STRESS_MISMATCH],
	       (unsigned long long)counts[STRESS_OTHER], (long)(time(NULL) - t0));

	EXPECT_EQ(0, dups);
	EXPECT_EQ(0, back);
	EXPECT_EQ(0, other);
	EXPECT_EQ((long)(2 * 2 * REG_THREADS * rounds()), changes);
	EXPECT_EQ(rev0 + changes, rev1);
	EXPECT_EQ(0, perr);
	EXPECT_EQ(0, counts[STRESS_MISMATCH]);
	EXPECT_EQ(0, counts[STRESS_OTHER]) TH_LOG("last other: %d", skel->bss->stress_last_other);
	/* the stress reached both sides of the data path's checks */
	EXPECT_GT(counts[STRESS_OK], 0);
	EXPECT_GT(counts[STRESS_REFUSED], 0);
	ASSERT_EQ(0, keys_table(after, sizeof(after)));
	EXPECT_STREQ(before, after);

	stress__destroy(skel);
	xdpmeta_ctl__destroy(ctl);
	EXPECT_EQ(0, xm_unload());
}

/* the checker itself: the per-id word takes holds of one name, refuses
 * another name's while held, and frees with the last hold (without this,
 * "0 duplicates" above could be a checker that never objects) */
TEST(duplicate_checker_objects)
{
	int id = XDPMETA_MAX_KEYS - 1;

	atomic_store(&owner[id], 0);
	EXPECT_TRUE(hold(id, 3));
	EXPECT_TRUE(hold(id, 3));
	EXPECT_FALSE(hold(id, 4));
	unhold(id);
	EXPECT_FALSE(hold(id, 4));
	unhold(id);
	EXPECT_EQ(0, atomic_load(&owner[id]));
	EXPECT_TRUE(hold(id, 4));
	unhold(id);
}

TEST_HARNESS_MAIN

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the kselftest-harness VM tests (t_*.c): the key
 * registry through the xdpmeta_ctl SYSCALL programs (what the CLI and any
 * application use), shell commands, and store scripts.
 */
#ifndef XM_TEST_H
#define XM_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <linux/types.h>
#include <linux/btf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpf/btf.h>

/* bpf/xdpmeta.h's constants and request structs, without its BPF side */
#define XDPMETA_UAPI_ONLY
#include "xdpmeta.h"

#include "xdpmeta_ctl.skel.h"

static inline int xm_sh(const char *fmt, ...)
{
	/* busybox sh prefers its own applets: use iproute2's ip */
	static const char pre[] = "ip() { /usr/local/sbin/ip \"$@\"; }; ";
	char cmd[2048];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	strcpy(cmd, pre);
	vsnprintf(cmd + sizeof(pre) - 1, sizeof(cmd) - sizeof(pre) + 1, fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

/* insmod xdpmeta.ko unless loaded; 0 or the insmod exit code */
/*
 * What the running stock kernel is, for tests whose subject a kernel
 * cannot have: they assert its refusal there instead (README, "Kernels").
 */
static inline int xm_kernel_version(void)	/* e.g. 601 for 6.1.x, 612 */
{
	struct utsname u;
	int maj = 0, min = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &maj, &min) != 2)
		return 0;
	return maj * 100 + min;
}

/* does vmlinux's BTF have @name of @kind (BTF_KIND_FUNC, _STRUCT)? */
static inline bool xm_kernel_btf_has(const char *name, int kind)
{
	struct btf *btf = btf__load_vmlinux_btf();
	bool r;

	if (!btf)
		return false;
	r = btf__find_by_name_kind(btf, name, kind) > 0;
	btf__free(btf);
	return r;
}

/* struct xdp_metadata_ops (6.3): drivers' RX hint ops, which import needs */
static inline bool xm_kernel_has_hint_ops(void)
{
	return xm_kernel_btf_has("xdp_metadata_ops", BTF_KIND_STRUCT);
}

/* bpf_dynptr_from_xdp() and the slices a program can pass to kfuncs (6.3) */
static inline bool xm_kernel_has_dynptr_slices(void)
{
	return xm_kernel_btf_has("bpf_dynptr_from_xdp", BTF_KIND_FUNC);
}

/*
 * An attach refusal in @file (ip's or bpftool's output) carries xdpmeta's
 * @words ("xdpmeta: ..."), after @pre ("", "Kernel error message: ").
 * 6.1's extack holds only a static text (kmod/compat/compat.h): there the
 * file has that text and the kernel log the words. 0 when it does.
 */
static inline int xm_refusal_says(const char *words, const char *file, const char *pre)
{
	const char *w = strncmp(words, "xdpmeta: ", 9) ? words : words + 9;

	if (xm_kernel_version() < 603)
		return xm_sh("grep -qF '%sxdpmeta: refused: a declared requirement is unmet (the kernel log says which)' %s && "
			     "dmesg | grep -qF '[extack: %s'", pre, file, w);
	return xm_sh("grep -qF '%s%s' %s", pre, words, file);
}

static inline int xm_load(void)
{
	return xm_sh("grep -q '^xdpmeta ' /proc/modules || insmod /xdpmeta/xdpmeta.ko");
}

static inline int xm_unload(void)
{
	return xm_sh("for i in $(seq 30); do rmmod xdpmeta 2>/dev/null && exit 0; "
		     "grep -q '^xdpmeta ' /proc/modules || exit 0; sleep 0.1; done; exit 1");
}

static inline struct xdpmeta_ctl *xm_ctl_open(void)
{
	return xdpmeta_ctl__open_and_load();
}

/* Run one registry program: returns req.ret (id or -errno), *rev_out. */
static inline int xm_key_req(struct xdpmeta_ctl *ctl, bool add, const char *name,
			     __u32 size, __u32 flags, __u64 expected_rev, __u64 *rev_out)
{
	struct xdpmeta_key_req req = {};
	/* SYSCALL programs write their context back into ctx_in */
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.ctx_in = &req, .ctx_size_in = sizeof(req));
	struct bpf_program *p = add ? ctl->progs.xdpmeta_key_add : ctl->progs.xdpmeta_key_del;
	int err;

	/* may be unterminated on purpose (tests of -EINVAL) */
	memcpy(req.name, name, strlen(name) < sizeof(req.name) ? strlen(name) : sizeof(req.name));
	req.size = size;
	req.flags = flags;
	req.expected_rev = expected_rev;
	err = bpf_prog_test_run_opts(bpf_program__fd(p), &opts);
	if (err)
		return -10000 - errno;
	if (rev_out)
		*rev_out = req.rev;
	return req.ret;
}

static inline int xm_key_add(struct xdpmeta_ctl *ctl, const char *name, __u32 size)
{
	return xm_key_req(ctl, true, name, size, XDPMETA_KEY_CREATE, 0, NULL);
}

static inline int xm_key_del(struct xdpmeta_ctl *ctl, const char *name)
{
	return xm_key_req(ctl, false, name, 0, 0, 0, NULL);
}

/* the registry's revision: a del with an empty name changes nothing */
static inline __u64 xm_key_rev(struct xdpmeta_ctl *ctl)
{
	__u64 rev = 0;

	xm_key_req(ctl, false, "", 0, 0, 0, &rev);
	return rev;
}

/* Enter netns @name (made by `ip netns add`); *saved is where we were. */
static inline int xm_in_netns(const char *name, int *saved)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	*saved = open("/proc/self/ns/net", O_RDONLY);
	fd = open(path, O_RDONLY);
	if (fd < 0 || *saved < 0)
		return -1;
	if (setns(fd, CLONE_NEWNET)) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static inline void xm_back_netns(int saved)
{
	setns(saved, CLONE_NEWNET);
	close(saved);
}

/*
 * The two-veth redirect topology of t_redirect and t_mb:
 *   netns xr1          init netns                    netns xr2
 *   xra ---- xrb [sender] =devmap=> xrc ---- xrd [receiver]
 * 10.77.0.1 on xra, 10.77.0.2 on xrd, a static neighbour on xra (the
 * receivers drop, so ARP would never resolve). @mtu_in: xra/xrb,
 * @mtu_out: xrc/xrd.
 */
static inline int xm_redirect_topology(int mtu_in, int mtu_out)
{
	return xm_sh(
		"set -e; ip netns add xr1; ip netns add xr2;"
		"ip link add xra type veth peer name xrb; ip link add xrc type veth peer name xrd;"
		"ip link set xra netns xr1; ip link set xrd netns xr2;"
		"ip -n xr1 link set xra mtu %d; ip link set xrb mtu %d;"
		"ip link set xrc mtu %d; ip -n xr2 link set xrd mtu %d;"
		"ip -n xr1 addr add 10.77.0.1/24 dev xra; ip -n xr2 addr add 10.77.0.2/24 dev xrd;"
		"ip -n xr1 link set xra up; ip -n xr2 link set xrd up; ip link set xrb up; ip link set xrc up;"
		"ip -n xr1 neigh add 10.77.0.2 lladdr $(ip -n xr2 -br link show xrd | awk '{print $3}') dev xra",
		mtu_in, mtu_in, mtu_out, mtu_out);
}

static inline void xm_redirect_topology_del(void)
{
	xm_sh("{ ip netns del xr1; ip netns del xr2; ip link del xrb; ip link del xrc; } 2> /dev/null; true");
}

/* Read a debugfs file into buf (NUL-terminated); bytes or -errno. */
static inline int xm_read(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

/* A count from debugfs "objects" (leak accounting), or -1. */
static inline long long xm_object(const char *name)
{
	char buf[512], *p;
	size_t n = strlen(name);

	if (xm_read("/sys/kernel/debug/xdpmeta/objects", buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, n) && p[n] == ' ')
			return strtoll(p + n + 1, NULL, 10);
	return -1;
}

/*
 * Column @field of device @dev (by name, any netns) in debugfs "devices":
 * the value, or -1 if there is no such device or column.
 */
/* The first line a shell command prints, newline cut, in out ("" if none). */
static inline void xm_sh_line(char *out, size_t len, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	out[0] = '\0';
	p = popen(cmd, "r");
	if (!p)
		return;
	if (!fgets(out, len, p))
		out[0] = '\0';
	pclose(p);
	out[strcspn(out, "\n")] = '\0';
}

/* The non-negative integer a shell command prints first, or -1. */
#define xm_sh_num(...) ({						\
	char __out[64];							\
	xm_sh_line(__out, sizeof(__out), __VA_ARGS__);			\
	__out[0] >= '0' && __out[0] <= '9' ? atoll(__out) : -1LL;	\
})

/* The cell of column field of <debugfs>/devices for device dev ("-1": none). */
static inline void xm_dev_text(const char *dev, const char *field, char *out,
			       size_t len)
{
	xm_sh_line(out, len,
		   "awk -v d=%s -v f=%s 'NR==1{for(i=1;i<=NF;i++)c[$i]=i;next} $c[\"name\"]==d{print ((f in c) ? $c[f] : -1)}' "
		   "/sys/kernel/debug/xdpmeta/devices", dev, field);
}

/* The same as a counter: -1 when the column is missing or not a number. */
static inline long long xm_dev_counter(const char *dev, const char *field)
{
	char out[64];

	xm_dev_text(dev, field, out, sizeof(out));
	return out[0] >= '0' && out[0] <= '9' ? atoll(out) : -1;
}

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * ctl.c - the SYSCALL programs of bpf/xdpmeta_ctl.bpf.c (key registry,
 * chains), shared by `xdpmeta key add|del`, `xdpmeta prog` and `xdpmeta
 * check`: loading them, saying in the CLI's words why they did not load,
 * running one, and the chain requests of xdpmeta_chain.
 *
 * They run with BPF_PROG_RUN and a request struct as their context. For
 * SYSCALL programs the kernel copies the context back into ctx_in after
 * the run and rejects a ctx_out (-EINVAL), so ctx_in is both input and
 * output.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "cli.h"
#include "xdpmeta_ctl.skel.h"

/* bpftool before v7.2 names the skeleton after the file: xdpmeta_ctl_bpf. */
#ifdef __XDPMETA_CTL_BPF_SKEL_H__
#define xdpmeta_ctl			xdpmeta_ctl_bpf
#define xdpmeta_ctl__open_and_load	xdpmeta_ctl_bpf__open_and_load
#define xdpmeta_ctl__destroy		xdpmeta_ctl_bpf__destroy
#endif

#define XDPMETA_SYSFS_BTF	"/sys/kernel/btf/xdpmeta"

struct xdpmeta_ctl_progs {
	struct xdpmeta_ctl *skel;
};

/*
 * The kfuncs the programs call, with what the message calls them: a
 * module that lacks one (built before it existed) fails the whole load.
 */
static const struct {
	const char *kfunc;
	const char *what;
} xdpmeta_ctl_kfuncs[] = {
	{ "bpf_xdpmeta_key_register", "the key registry kfuncs" },
	{ "bpf_xdpmeta_chain_ctl", "the chain kfunc bpf_xdpmeta_chain_ctl" },
};

/*
 * What of xdpmeta_ctl_kfuncs the loaded module's BTF lacks: the first
 * one's description, "" when it has them all, NULL when the module has no
 * BTF (then the kernel registered no kfunc at all).
 */
static const char *xdpmeta_ctl_kfunc_missing(void)
{
	const char *missing = "";
	struct btf *vmlinux, *mod;
	size_t i;

	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		return NULL;
	mod = btf__parse_split(XDPMETA_SYSFS_BTF, vmlinux);
	if (!mod) {
		btf__free(vmlinux);
		return NULL;
	}
	for (i = 0; i < sizeof(xdpmeta_ctl_kfuncs) / sizeof(xdpmeta_ctl_kfuncs[0]); i++)
		if (btf__find_by_name_kind(mod, xdpmeta_ctl_kfuncs[i].kfunc,
					   BTF_KIND_FUNC) < 0) {
			missing = xdpmeta_ctl_kfuncs[i].what;
			break;
		}
	btf__free(mod);
	btf__free(vmlinux);
	return missing;
}

/* Why the programs did not load (errno err). */
static void xdpmeta_ctl_load_why(int err, char *why, size_t len)
{
	const char *missing;

	if (!xdpmeta_module_loaded()) {
		snprintf(why, len, "xdpmeta is not loaded (insmod kmod/xdpmeta.ko)");
		return;
	}
	if (err == EPERM || err == EACCES) {
		snprintf(why, len, "permission denied (run as root)");
		return;
	}
	missing = xdpmeta_ctl_kfunc_missing();
	if (!missing)
		snprintf(why, len,
			 "the loaded xdpmeta.ko has no BTF, so no kfuncs (rebuild it with CONFIG_DEBUG_INFO_BTF_MODULES and reload)");
	else if (missing[0])
		snprintf(why, len,
			 "the loaded xdpmeta.ko lacks %s (rebuild and reload kmod/xdpmeta.ko)",
			 missing);
	else
		snprintf(why, len,
			 "loading the xdpmeta_ctl BPF programs failed: %s (--verbose shows why)",
			 strerror(err));
}

struct xdpmeta_ctl_progs *xdpmeta_ctl_load(char *why, size_t why_len)
{
	struct xdpmeta_ctl_progs *ctl = calloc(1, sizeof(*ctl));

	if (!ctl) {
		snprintf(why, why_len, "%s", strerror(ENOMEM));
		return NULL;
	}
	ctl->skel = xdpmeta_ctl__open_and_load();
	if (!ctl->skel) {
		xdpmeta_ctl_load_why(errno, why, why_len);
		free(ctl);
		return NULL;
	}
	return ctl;
}

int xdpmeta_ctl_run(struct xdpmeta_ctl_progs *ctl, const char *name,
		    void *ctx, size_t ctx_size, char *why, size_t why_len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		    .ctx_in = ctx,
		    .ctx_size_in = ctx_size);
	struct bpf_program *prog;
	int err;

	prog = bpf_object__find_program_by_name(ctl->skel->obj, name);
	if (!prog) {
		snprintf(why, why_len, "the xdpmeta_ctl BPF object has no program %s (rebuild xdpmeta)",
			 name);
		return -1;
	}
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	if (!err)
		return 0;
	err = errno;
	if (err == EPERM || err == EACCES)
		snprintf(why, why_len, "permission denied (run as root)");
	else
		snprintf(why, why_len, "running %s failed: %s", name,
			 strerror(err));
	return -1;
}

void xdpmeta_ctl_unload(struct xdpmeta_ctl_progs *ctl)
{
	if (!ctl)
		return;
	xdpmeta_ctl__destroy(ctl->skel);
	free(ctl);
}

void xdpmeta_chain_req_init(struct xdpmeta_chain_req *req, uint32_t op,
			    uint32_t ifindex)
{
	memset(req, 0, sizeof(*req));
	req->size = sizeof(*req);
	req->op = op;
	req->ifindex = ifindex;
	req->prog_fd = -1;
}

int xdpmeta_chain_send(struct xdpmeta_ctl_progs *ctl,
		       struct xdpmeta_chain_req *req, char *why, size_t why_len)
{
	if (xdpmeta_ctl_run(ctl, "xdpmeta_chain", req, sizeof(*req), why,
			    why_len))
		return -1;
	/* The module's text: printed, so never trusted to be terminated. */
	req->msg[sizeof(req->msg) - 1] = '\0';
	return 0;
}

void xdpmeta_chain_strerror(int ret, const char *msg, char *buf, size_t len)
{
	int err = ret == INT32_MIN ? EINVAL : -ret;

	if (msg[0])
		snprintf(buf, len, "%s: %s", strerror(err), msg);
	else
		snprintf(buf, len, "%s", strerror(err));
}

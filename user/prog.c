// SPDX-License-Identifier: GPL-2.0
/*
 * prog.c - `xdpmeta prog attach|detach|list`: the module's multi-program
 * XDP chains (kmod/chain.h).
 *
 * A chained device runs xdpmeta's dispatcher (bpf/xdpmeta_dispatch.bpf.c)
 * as its native XDP program, and the module runs the device's chain from
 * it. The chain is changed and read through the SYSCALL program
 * xdpmeta_chain (ctl.c) with a struct xdpmeta_chain_req as its context.
 * The module takes an attached program from the calling process's fd
 * table, so the program is loaded (or its pin opened) here, in the
 * process that runs xdpmeta_chain, and its fd goes in the request.
 *
 * The module never loads or attaches programs itself: the CLI attaches
 * the dispatcher (netlink, native mode) before the first program and
 * removes it after the last one, so that a device without programs runs
 * no XDP program at all, as before.
 *
 * The ordering rules (before/after/replace, first/last pins, revisions:
 * kmod/order.h) are the module's: the CLI passes what the command line
 * says and reports the module's errno and message. The one exception is
 * a detach by position, which the CLI turns into a detach by id (see
 * xdpmeta_prog_detach_once()) so that it can say which program went.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <json-c/json.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/magic.h>

#include "cli.h"
#include "xdpmeta_dispatch.skel.h"

/*
 * bpftool before v7.2 names the skeleton after the file:
 * xdpmeta_dispatch_bpf. Its progs member is named after the program
 * (xdpmeta_dispatch either way, which the first #define would rename), so
 * the program is taken from the object instead: xdpmeta_prog_dispatch_fd().
 */
#ifdef __XDPMETA_DISPATCH_BPF_SKEL_H__
#define xdpmeta_dispatch			xdpmeta_dispatch_bpf
#define xdpmeta_dispatch__open_and_load	xdpmeta_dispatch_bpf__open_and_load
#define xdpmeta_dispatch__destroy		xdpmeta_dispatch_bpf__destroy
#endif

#define XDPMETA_PROG_NAME_LEN	128
/* Retries of a detach by position that lost a race (its revision moved). */
#define XDPMETA_PROG_DETACH_TRIES	3

/* Bit n: XDP action n (XDP_ABORTED 0 ... XDP_REDIRECT 4). */
static const char *const xdpmeta_prog_actions[] = {
	"aborted", "drop", "pass", "tx", "redirect"
};

/* XDPMETA_CHAIN_MB_* */
static const char *const xdpmeta_prog_mb_words[] = {
	"pull", "drop", "pass", "skip"
};

#define XDPMETA_PROG_N(a)	(sizeof(a) / sizeof((a)[0]))

/* What a command works on, and the words of its "Couldn't" messages. */
struct xdpmeta_prog_ctx {
	const char *verb;	/* "attach" */
	const char *what;	/* "fw.o" */
	const char *prep;	/* "to" 'veth0', or NULL: what is the device */
	const char *dev;
	uint32_t ifindex;
	struct xdpmeta_ctl_progs *ctl;
};

/* A program on the command line: an id, or a pin on bpffs. */
struct xdpmeta_prog_ref {
	const char *arg;	/* as given; NULL: not given */
	bool pin;		/* arg is a path, resolved to id later */
	uint32_t id;
};

/* What attach and detach were asked, besides DEV and the program. */
struct xdpmeta_prog_args {
	uint32_t flags;			/* XDPMETA_CHAIN_* */
	struct xdpmeta_prog_ref rel;	/* --before / --after */
	struct xdpmeta_prog_ref old;	/* --replace */
	struct xdpmeta_prog_ref id;	/* detach: the program */
	uint32_t cont;
	uint32_t mb;
	uint64_t rev;			/* --expected-revision, 0: any */
	const char *sec;		/* attach: --sec */
};

/* The program to attach: loaded from an object file (obj), or a pin. */
struct xdpmeta_prog_src {
	struct bpf_object *obj;
	int fd;			/* obj's own when obj is set */
	uint32_t id;
	char name[XDPMETA_PROG_NAME_LEN];
};

static int xdpmeta_prog_fail(const struct xdpmeta_prog_ctx *c,
			     const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int xdpmeta_prog_fail(const struct xdpmeta_prog_ctx *c,
			     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vfail_at(c->verb, c->what, c->prep, c->dev, fmt, ap);
	va_end(ap);
	return CLI_EXIT_ERR;
}

/* ---- command line ------------------------------------------------------ */

/*
 * Parses a program reference: digits are an id (0, "none" or the front or
 * back, only where zero_ok), anything else a pinned path, resolved once
 * the syntax is known to be right. Returns -1 to go on, or a usage error.
 */
static int xdpmeta_prog_ref_parse(const struct cli_cmd *cmd, const char *opt,
				  const char *arg, bool zero_ok,
				  struct xdpmeta_prog_ref *r)
{
	uint64_t v;

	memset(r, 0, sizeof(*r));
	r->arg = arg;
	if (!arg)
		return -1;
	if (arg[0] && strspn(arg, "0123456789") != strlen(arg)) {
		r->pin = true;
		return -1;
	}
	if (!cli_parse_u64(arg, &v) || v > UINT32_MAX || (!v && !zero_ok))
		return cli_usage_error(cmd,
				       "%s needs a program id%s or a pinned program, not '%s'",
				       opt, zero_ok ? " (0: the front or back)" : "",
				       arg);
	r->id = v;
	return -1;
}

/* --continue: a comma list of XDP actions, or none. */
static int xdpmeta_prog_parse_cont(const struct cli_cmd *cmd, const char *s,
				   uint32_t *cont)
{
	const char *p = s;
	size_t len, i;

	*cont = 0;
	if (!strcmp(s, "none"))
		return -1;
	for (;;) {
		len = strcspn(p, ",");
		for (i = 0; i < XDPMETA_PROG_N(xdpmeta_prog_actions); i++)
			if (strlen(xdpmeta_prog_actions[i]) == len &&
			    !strncmp(p, xdpmeta_prog_actions[i], len))
				break;
		if (i == XDPMETA_PROG_N(xdpmeta_prog_actions))
			return cli_usage_error(cmd,
					       "--continue takes a comma list of aborted, drop, pass, tx, redirect, or none: not '%.*s' in '%s'",
					       (int)len, p, s);
		*cont |= 1U << i;
		if (!p[len])
			return -1;
		p += len + 1;
	}
}

static int xdpmeta_prog_parse_mb(const struct cli_cmd *cmd, const char *s,
				 uint32_t *mb)
{
	uint32_t i;

	for (i = 0; i < XDPMETA_PROG_N(xdpmeta_prog_mb_words); i++)
		if (!strcmp(s, xdpmeta_prog_mb_words[i])) {
			*mb = i;
			return -1;
		}
	return cli_usage_error(cmd, "--mb takes pull, drop, pass or skip, not '%s'",
			       s);
}

/* --before, --after and --expected-revision, which attach and detach share. */
static int xdpmeta_prog_parse_position(const struct cli_cmd *cmd,
				       const char *before, const char *after,
				       const char *rev,
				       struct xdpmeta_prog_args *a)
{
	struct xdpmeta_prog_ref other;
	int ret;

	if (rev && !cli_parse_u64(rev, &a->rev))
		return cli_usage_error(cmd,
				       "--expected-revision needs a revision number, not '%s'",
				       rev);
	/* Both: one relative cannot say both; the module refuses (-ERANGE). */
	ret = xdpmeta_prog_ref_parse(cmd, "--after", after, true, &other);
	if (ret >= 0)
		return ret;
	ret = xdpmeta_prog_ref_parse(cmd, "--before", before, true, &a->rel);
	if (ret >= 0)
		return ret;
	if (before)
		a->flags |= XDPMETA_CHAIN_BEFORE;
	if (after)
		a->flags |= XDPMETA_CHAIN_AFTER;
	if (!before)
		a->rel = other;
	return -1;
}

static int xdpmeta_prog_attach_args(const struct cli_cmd *cmd, int argc,
				    char **argv, char **pos,
				    struct xdpmeta_prog_args *a)
{
	const char *before = NULL, *after = NULL, *replace = NULL;
	const char *cont = NULL, *mb = NULL, *rev = NULL;
	bool first = false, last = false;
	const struct cli_opt opts[] = {
		{ "--sec", &a->sec, NULL },
		{ "--before", &before, NULL },
		{ "--after", &after, NULL },
		{ "--first", NULL, &first },
		{ "--last", NULL, &last },
		{ "--replace", &replace, NULL },
		{ "--continue", &cont, NULL },
		{ "--mb", &mb, NULL },
		{ "--expected-revision", &rev, NULL },
		{}
	};
	int ret;

	memset(a, 0, sizeof(*a));
	ret = cli_parse_args(cmd, argc, argv, opts, pos, 2, 2);
	if (ret >= 0)
		return ret;
	ret = xdpmeta_prog_parse_position(cmd, before, after, rev, a);
	if (ret >= 0)
		return ret;
	ret = xdpmeta_prog_ref_parse(cmd, "--replace", replace, false, &a->old);
	if (ret >= 0)
		return ret;
	if (replace)
		a->flags |= XDPMETA_CHAIN_REPLACE;
	if (first)
		a->flags |= XDPMETA_CHAIN_FIRST;
	if (last)
		a->flags |= XDPMETA_CHAIN_LAST;
	if (cont) {
		ret = xdpmeta_prog_parse_cont(cmd, cont, &a->cont);
		if (ret >= 0)
			return ret;
		a->flags |= XDPMETA_CHAIN_CONT;
	}
	if (mb) {
		ret = xdpmeta_prog_parse_mb(cmd, mb, &a->mb);
		if (ret >= 0)
			return ret;
		a->flags |= XDPMETA_CHAIN_MB;
	}
	return -1;
}

/* ---- programs and pins ------------------------------------------------- */

/*
 * The name of program fd. The kernel keeps 15 characters; a name cut there
 * is completed from the program's BTF, as bpftool does (the first
 * func_info record is the program's own function). "" when unknown.
 */
static void xdpmeta_prog_name(int fd, char *buf, size_t len)
{
	struct bpf_prog_info info;
	struct bpf_func_info finfo;
	uint32_t info_len = sizeof(info), btf_id;
	const struct btf_type *t;
	const char *name;
	struct btf *btf;

	memset(&info, 0, sizeof(info));
	buf[0] = '\0';
	if (bpf_obj_get_info_by_fd(fd, &info, &info_len))
		return;
	snprintf(buf, len, "%s", info.name);
	if (strlen(info.name) < BPF_OBJ_NAME_LEN - 1 || !info.btf_id ||
	    !info.nr_func_info)
		return;
	btf_id = info.btf_id;
	memset(&info, 0, sizeof(info));
	info_len = sizeof(info);
	info.nr_func_info = 1;
	info.func_info_rec_size = sizeof(finfo);
	info.func_info = (uint64_t)(uintptr_t)&finfo;
	if (bpf_obj_get_info_by_fd(fd, &info, &info_len))
		return;
	btf = btf__load_from_kernel_by_id(btf_id);
	if (!btf)
		return;
	t = btf__type_by_id(btf, finfo.type_id);
	name = t ? btf__name_by_offset(btf, t->name_off) : NULL;
	if (name && name[0])
		snprintf(buf, len, "%s", name);
	btf__free(btf);
}

static void xdpmeta_prog_name_by_id(uint32_t id, char *buf, size_t len)
{
	int fd = bpf_prog_get_fd_by_id(id);

	buf[0] = '\0';
	if (fd < 0)
		return;
	xdpmeta_prog_name(fd, buf, len);
	close(fd);
}

static bool xdpmeta_prog_on_bpffs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == BPF_FS_MAGIC;
}

/*
 * Opens the program pinned at path: its fd, or -1 with why filled. A pin
 * may hold a map or a link too: /proc/self/fd tells them apart (bpftool's
 * way), bpf_obj_get_info_by_fd() would fill a program's info with theirs.
 */
static int xdpmeta_prog_open_pin(const char *path, char *why, size_t len)
{
	char link[64], target[64];
	ssize_t n;
	int fd;

	if (!xdpmeta_prog_on_bpffs(path)) {
		struct stat st;

		if (stat(path, &st))
			snprintf(why, len, "%s", strerror(errno));
		else
			snprintf(why, len, "not a program id, nor pinned on a BPF file system (bpffs)");
		return -1;
	}
	fd = bpf_obj_get(path);
	if (fd < 0) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0) {
		snprintf(why, len, "cannot tell what it pins: %s: %s", link,
			 strerror(errno));
		close(fd);
		return -1;
	}
	target[n] = '\0';
	if (strcmp(target, "anon_inode:bpf-prog")) {
		snprintf(why, len, "it pins no program (%s)",
			 strncmp(target, "anon_inode:", 11) ? target : target + 11);
		close(fd);
		return -1;
	}
	return fd;
}

/* The id of a pinned reference: 0, or an exit status after a message. */
static int xdpmeta_prog_ref_resolve(struct xdpmeta_prog_ref *r)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	char why[CLI_WHY_LEN];
	int fd, err;

	if (!r->pin)
		return 0;
	fd = xdpmeta_prog_open_pin(r->arg, why, sizeof(why));
	if (fd < 0)
		return cli_fail("find program", r->arg, "%s", why);
	memset(&info, 0, sizeof(info));
	err = bpf_obj_get_info_by_fd(fd, &info, &len) ? errno : 0;
	close(fd);
	if (err)
		return cli_fail("find program", r->arg, "%s", strerror(err));
	r->id = info.id;
	return 0;
}

/*
 * Loads the XDP program of the object file c->what that --sec names (a
 * function or section name), or its only one; the others are not loaded.
 * libbpf 1.1 crashes on some malformed objects (check reads them in a
 * child, bpfobj.c), but the module takes the program from this process's
 * fd table: it is loaded here, before anything on the device changed.
 */
static int xdpmeta_prog_load_obj(const struct cli_cmd *cmd,
				 const struct xdpmeta_prog_ctx *c,
				 const char *sec, struct xdpmeta_prog_src *src)
{
	struct bpf_program *p, *q;
	char why[CLI_WHY_LEN];
	bool several;
	struct stat st;
	int err;

	if (stat(c->what, &st))
		return xdpmeta_prog_fail(c, "%s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return xdpmeta_prog_fail(c, "neither a BPF object file nor a program pinned on bpffs");
	src->obj = bpf_object__open_file(c->what, NULL);
	if (!src->obj) {
		/* libbpf's own errnos (4000 and up: not an ELF file, ...) */
		libbpf_strerror(errno, why, sizeof(why));
		return xdpmeta_prog_fail(c, "libbpf cannot open it: %s (--verbose shows why)",
					 why);
	}
	p = xdpmeta_bpfobj_pick(src->obj, sec, true, &several, why, sizeof(why));
	if (!p && several && sec)
		return cli_usage_error(cmd,
				       "%s has several XDP programs in section %s (%s): choose one by its name with --sec NAME",
				       c->what, sec, why);
	if (!p && several)
		return cli_usage_error(cmd,
				       "%s has several XDP programs (%s): choose one with --sec NAME",
				       c->what, why);
	if (!p)
		return xdpmeta_prog_fail(c, "%s", why);
	bpf_object__for_each_program(q, src->obj)
		bpf_program__set_autoload(q, q == p);
	err = bpf_object__load(src->obj);
	if (err) {
		libbpf_strerror(err, why, sizeof(why));
		return xdpmeta_prog_fail(c, "loading it failed: %s (--verbose shows why)",
					 why);
	}
	src->fd = bpf_program__fd(p);
	return 0;
}

/* Opens the program to attach, and checks that it is an XDP program. */
static int xdpmeta_prog_open_src(const struct cli_cmd *cmd,
				 const struct xdpmeta_prog_ctx *c,
				 const char *sec, struct xdpmeta_prog_src *src)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	char why[CLI_WHY_LEN];
	int ret;

	if (!xdpmeta_prog_on_bpffs(c->what)) {
		ret = xdpmeta_prog_load_obj(cmd, c, sec, src);
		if (ret)
			return ret;
	} else {
		if (sec)
			return cli_usage_error(cmd,
					       "--sec picks a program of an object file, and %s is pinned on bpffs",
					       c->what);
		src->fd = xdpmeta_prog_open_pin(c->what, why, sizeof(why));
		if (src->fd < 0)
			return xdpmeta_prog_fail(c, "%s", why);
	}
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(src->fd, &info, &len))
		return xdpmeta_prog_fail(c, "reading its program info failed: %s",
					 strerror(errno));
	if (info.type != BPF_PROG_TYPE_XDP) {
		const char *type = libbpf_bpf_prog_type_str(info.type);

		return xdpmeta_prog_fail(c, "not an XDP program (%s)",
					 type ? type : "unknown type");
	}
	src->id = info.id;
	xdpmeta_prog_name(src->fd, src->name, sizeof(src->name));
	return 0;
}

/* ---- requests ---------------------------------------------------------- */

/*
 * Runs req through xdpmeta_chain. Returns 0 when the module answered
 * (req->ret says how it went), else an exit status after a message.
 */
static int xdpmeta_chain_run(const struct xdpmeta_prog_ctx *c,
			     struct xdpmeta_chain_req *req)
{
	char why[CLI_WHY_LEN];

	if (xdpmeta_chain_send(c->ctl, req, why, sizeof(why)))
		return xdpmeta_prog_fail(c, "%s", why);
	return 0;
}

/* "<strerror>[: <the module's reason>]" for a request the module refused. */
static int xdpmeta_chain_fail(const struct xdpmeta_prog_ctx *c,
			      const struct xdpmeta_chain_req *req)
{
	char why[CLI_WHY_LEN];

	xdpmeta_chain_strerror(req->ret, req->msg, why, sizeof(why));
	return xdpmeta_prog_fail(c, "%s", why);
}

/* Runs req and fails unless the module did it: 0, or an exit status. */
static int xdpmeta_chain_do(const struct xdpmeta_prog_ctx *c,
			    struct xdpmeta_chain_req *req)
{
	int ret = xdpmeta_chain_run(c, req);

	if (ret)
		return ret;
	return req->ret < 0 ? xdpmeta_chain_fail(c, req) : 0;
}

static int xdpmeta_chain_query(const struct xdpmeta_prog_ctx *c,
			       struct xdpmeta_chain_req *q)
{
	xdpmeta_chain_req_init(q, XDPMETA_CHAIN_OP_QUERY, c->ifindex);
	return xdpmeta_chain_do(c, q);
}

/* The entries a query returned: never more than the array holds. */
static uint32_t xdpmeta_chain_count(const struct xdpmeta_chain_req *q)
{
	return q->count < XDPMETA_CHAIN_MAX ? q->count : XDPMETA_CHAIN_MAX;
}

/* DEV to ifindex, in this process's netns (the module's view too). */
static int xdpmeta_prog_find_dev(struct xdpmeta_prog_ctx *c)
{
	c->ifindex = if_nametoindex(c->dev);
	if (!c->ifindex)
		return cli_fail("find device", c->dev, "%s", strerror(ENODEV));
	return 0;
}

static int xdpmeta_prog_ctl_load(struct xdpmeta_prog_ctx *c)
{
	char why[CLI_WHY_LEN];

	c->ctl = xdpmeta_ctl_load(why, sizeof(why));
	return c->ctl ? 0 : xdpmeta_prog_fail(c, "%s", why);
}

/* ---- the dispatcher ---------------------------------------------------- */

static int xdpmeta_prog_dispatch_fd(const struct xdpmeta_dispatch *d)
{
	return bpf_program__fd(bpf_object__next_program(d->obj, NULL));
}

/*
 * A device's own XDP program: the chain would replace it, and only its
 * owner knows whether that is fine. (A generic-mode one keeps a native
 * attach from working at all.) `check --chain` predicts this refusal too.
 */
int xdpmeta_prog_foreign_why(uint32_t ifindex, const char *dev, char *why,
			     size_t why_len)
{
	static const struct {
		int flags;
		const char *mode;
	} modes[] = {
		{ XDP_FLAGS_DRV_MODE, "" },
		{ XDP_FLAGS_SKB_MODE, " in generic mode" },
	};
	char name[XDPMETA_PROG_NAME_LEN];
	size_t i;
	int err;

	for (i = 0; i < XDPMETA_PROG_N(modes); i++) {
		uint32_t id = 0;

		err = bpf_xdp_query_id(ifindex, modes[i].flags, &id);
		if (err) {
			snprintf(why, why_len, "querying its XDP program failed: %s",
				 strerror(-err));
			return -1;
		}
		if (!id)
			continue;
		xdpmeta_prog_name_by_id(id, name, sizeof(name));
		snprintf(why, why_len,
			 "it runs XDP program %u (%s)%s, not xdpmeta's dispatcher: detach it first (ip link set dev %s xdp off)",
			 id, name[0] ? name : "?", modes[i].mode, dev);
		return 1;
	}
	return 0;
}

/* Fails, naming it, when the device runs an XDP program of its own. */
static int xdpmeta_prog_foreign(const struct xdpmeta_prog_ctx *c)
{
	char why[CLI_WHY_LEN];

	if (xdpmeta_prog_foreign_why(c->ifindex, c->dev, why, sizeof(why)))
		return xdpmeta_prog_fail(c, "%s", why);
	return 0;
}

/*
 * Makes sure the device q describes runs a dispatcher: attaches one,
 * natively, when it has none and runs no other program. Returns 0 with *d
 * set when this call attached it (NULL when there was one, or another
 * attach's got in first), or an exit status after a message.
 */
static int xdpmeta_prog_add_dispatcher(const struct xdpmeta_prog_ctx *c,
				       struct xdpmeta_chain_req *q,
				       struct xdpmeta_dispatch **d)
{
	int ret, err;

	*d = NULL;
	if (q->dispatcher_id)
		return 0;
	ret = xdpmeta_prog_foreign(c);
	if (ret)
		return ret;
	*d = xdpmeta_dispatch__open_and_load();
	if (!*d)
		return xdpmeta_prog_fail(c, "loading the dispatcher failed: %s (--verbose shows why)",
					 strerror(errno));
	/* UPDATE_IF_NOEXIST: never replace what got attached meanwhile. */
	err = bpf_xdp_attach(c->ifindex, xdpmeta_prog_dispatch_fd(*d),
			     XDP_FLAGS_DRV_MODE | XDP_FLAGS_UPDATE_IF_NOEXIST,
			     NULL);
	if (!err)
		return 0;
	xdpmeta_dispatch__destroy(*d);
	*d = NULL;
	if (err == -EBUSY) {
		/* Someone came first: another attach's dispatcher serves. */
		ret = xdpmeta_chain_query(c, q);
		if (ret || q->dispatcher_id)
			return ret;
		ret = xdpmeta_prog_foreign(c);
		if (ret)
			return ret;
	}
	return xdpmeta_prog_fail(c, "attaching the dispatcher failed: %s (--verbose shows the kernel's message)",
				 strerror(-err));
}

/*
 * Detaches the dispatcher fd from the device; XDP_FLAGS_REPLACE: only if
 * the device still runs it. 0, or an exit status after a message.
 */
static int xdpmeta_prog_detach_dispatcher(const struct xdpmeta_prog_ctx *c,
					  int fd)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = fd);
	int err;

	err = bpf_xdp_detach(c->ifindex, XDP_FLAGS_DRV_MODE | XDP_FLAGS_REPLACE,
			     &opts);
	if (err)
		return cli_fail("remove the dispatcher from", c->dev,
				"%s (--verbose shows the kernel's message)",
				strerror(-err));
	return 0;
}

/* ---- output ------------------------------------------------------------ */

/* A JSON object that starts with the device: {"dev", "ifindex"}, or NULL. */
static struct json_object *xdpmeta_prog_json_dev(const char *dev,
						 uint32_t ifindex)
{
	struct json_object *obj = json_object_new_object();

	if (obj) {
		json_object_object_add(obj, "dev", json_object_new_string(dev));
		json_object_object_add(obj, "ifindex",
				       json_object_new_int64(ifindex));
	}
	return obj;
}

/* ---- prog attach ------------------------------------------------------- */

static int xdpmeta_prog_attach_print(const struct xdpmeta_prog_ctx *c,
				     const struct xdpmeta_prog_src *src,
				     const struct xdpmeta_chain_req *req)
{
	const char *name = src->name[0] ? src->name : "?";
	struct json_object *obj;

	if (!cli_json) {
		printf("attached %s (id %u) to %s at position %d, revision %llu\n",
		       name, src->id, c->dev, req->ret,
		       (unsigned long long)req->revision);
		return CLI_EXIT_OK;
	}
	obj = xdpmeta_prog_json_dev(c->dev, c->ifindex);
	if (obj) {
		json_object_object_add(obj, "id", json_object_new_int64(src->id));
		json_object_object_add(obj, "name", json_object_new_string(name));
		json_object_object_add(obj, "position",
				       json_object_new_int(req->ret));
		json_object_object_add(obj, "revision",
				       json_object_new_uint64(req->revision));
	}
	return cli_print_json(obj);
}

/*
 * After a failed attach that started the chain: the device goes back to
 * running no XDP program, unless another attach got a program into the
 * new chain meanwhile (removing the dispatcher would release it with the
 * chain). The failed request cannot tell: the module reports count 0 for
 * any failure, so the chain is queried again. Not sure: the dispatcher
 * stays (an empty chain passes every frame).
 */
static void xdpmeta_prog_rollback(const struct xdpmeta_prog_ctx *c,
				  const struct xdpmeta_dispatch *d)
{
	struct xdpmeta_chain_req q;

	xdpmeta_chain_req_init(&q, XDPMETA_CHAIN_OP_QUERY, c->ifindex);
	if (xdpmeta_chain_run(c, &q) || q.ret < 0 || q.count)
		return;
	xdpmeta_prog_detach_dispatcher(c, xdpmeta_prog_dispatch_fd(d));
}

/* Everything before the attach request: 0, or an exit status. */
static int xdpmeta_prog_attach_prepare(const struct cli_cmd *cmd,
				       struct xdpmeta_prog_ctx *c,
				       struct xdpmeta_prog_args *a,
				       struct xdpmeta_prog_src *src,
				       struct xdpmeta_dispatch **d)
{
	struct xdpmeta_chain_req q;
	int ret;

	ret = xdpmeta_prog_find_dev(c);
	if (!ret)
		ret = xdpmeta_prog_ctl_load(c);
	if (!ret)
		ret = xdpmeta_prog_ref_resolve(&a->rel);
	if (!ret)
		ret = xdpmeta_prog_ref_resolve(&a->old);
	/* Loaded before the device changes: a bad object changes nothing. */
	if (!ret)
		ret = xdpmeta_prog_open_src(cmd, c, a->sec, src);
	if (!ret)
		ret = xdpmeta_chain_query(c, &q);
	if (!ret)
		ret = xdpmeta_prog_add_dispatcher(c, &q, d);
	return ret;
}

int xdpmeta_cmd_prog_attach(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct xdpmeta_prog_ctx c = { .verb = "attach", .prep = "to" };
	struct xdpmeta_prog_src src = { .fd = -1 };
	struct xdpmeta_dispatch *d = NULL;
	struct xdpmeta_prog_args a;
	struct xdpmeta_chain_req req;
	char *pos[2];
	int ret;

	ret = xdpmeta_prog_attach_args(cmd, argc, argv, pos, &a);
	if (ret >= 0)
		return ret;
	c.dev = pos[0];
	c.what = pos[1];
	ret = xdpmeta_prog_attach_prepare(cmd, &c, &a, &src, &d);
	if (ret)
		goto out;

	xdpmeta_chain_req_init(&req, XDPMETA_CHAIN_OP_ATTACH, c.ifindex);
	req.prog_fd = src.fd;
	req.flags = a.flags;
	req.rel_id = a.rel.id;
	req.old_id = a.old.id;
	req.cont = a.cont;
	req.mb = a.mb;
	req.expected_revision = a.rev;
	ret = xdpmeta_chain_run(&c, &req);
	if (!ret && req.ret >= 0) {
		ret = xdpmeta_prog_attach_print(&c, &src, &req);
		goto out;
	}
	if (!ret)
		ret = xdpmeta_chain_fail(&c, &req);
	if (d)
		xdpmeta_prog_rollback(&c, d);
out:
	/* The device holds its own reference to an attached dispatcher. */
	if (d)
		xdpmeta_dispatch__destroy(d);
	if (src.obj)
		bpf_object__close(src.obj);
	else if (src.fd >= 0)
		close(src.fd);
	xdpmeta_ctl_unload(c.ctl);
	return ret;
}

/* ---- prog detach ------------------------------------------------------- */

/*
 * The id that a detach without one removes (kmod/order.h): the entry just
 * BEFORE / AFTER rel (relative 0: the first / the last), or without a
 * position the last. 0 when there is none: the module then says why.
 */
static uint32_t xdpmeta_prog_detach_target(const struct xdpmeta_chain_req *q,
					   uint32_t flags, uint32_t rel)
{
	uint32_t n = xdpmeta_chain_count(q), i;
	bool before = flags & XDPMETA_CHAIN_BEFORE;
	int t = -1;

	if (!n || (before && (flags & XDPMETA_CHAIN_AFTER)))
		return 0;
	if (!(flags & (XDPMETA_CHAIN_BEFORE | XDPMETA_CHAIN_AFTER)) || !rel)
		return before ? q->e[0].id : q->e[n - 1].id;
	for (i = 0; i < n; i++)
		if (q->e[i].id == rel)
			t = (int)i;
	if (t < 0)
		return 0;
	t += before ? -1 : 1;
	return t < 0 || t >= (int)n ? 0 : q->e[t].id;
}

/*
 * One detach request. The module's answer to a detach by position does
 * not say which program went, so the position is first resolved here to
 * an id, from a query, and sent with it: the module checks that both
 * agree, and at the revision queried, so a change in between is -ESTALE
 * rather than the wrong program gone (*own_rev: retry, the command line
 * gave no revision).
 */
static int xdpmeta_prog_detach_once(const struct xdpmeta_prog_ctx *c,
				    const struct xdpmeta_prog_args *a,
				    struct xdpmeta_chain_req *req, bool *own_rev)
{
	struct xdpmeta_chain_req q;
	int ret;

	*own_rev = false;
	xdpmeta_chain_req_init(req, XDPMETA_CHAIN_OP_DETACH, c->ifindex);
	req->id = a->id.id;
	req->flags = a->flags;
	req->rel_id = a->rel.id;
	req->expected_revision = a->rev;
	if (!req->id) {
		ret = xdpmeta_chain_query(c, &q);
		if (ret)
			return ret;
		req->id = xdpmeta_prog_detach_target(&q, a->flags, a->rel.id);
		if (req->id && !req->expected_revision) {
			req->expected_revision = q.revision;
			*own_rev = true;
		}
	}
	return xdpmeta_chain_run(c, req);
}

/*
 * After the last program went: removes the dispatcher, so that the device
 * runs no XDP program, as before the first attach. Queried again first: a
 * program attached meanwhile keeps it.
 */
static int xdpmeta_prog_remove_dispatcher(const struct xdpmeta_prog_ctx *c,
					  bool *removed)
{
	struct xdpmeta_prog_ctx rc = {
		.verb = "remove the dispatcher from", .what = c->dev,
		.dev = c->dev, .ifindex = c->ifindex, .ctl = c->ctl,
	};
	struct xdpmeta_chain_req q;
	int fd, ret;

	*removed = false;
	ret = xdpmeta_chain_query(&rc, &q);
	if (ret || q.count || !q.dispatcher_id)
		return ret;
	fd = bpf_prog_get_fd_by_id(q.dispatcher_id);
	if (fd < 0)
		return xdpmeta_prog_fail(&rc, "its program %u: %s", q.dispatcher_id,
					 strerror(errno));
	ret = xdpmeta_prog_detach_dispatcher(&rc, fd);
	close(fd);
	*removed = !ret;
	return ret;
}

static int xdpmeta_prog_detach_print(const struct xdpmeta_prog_ctx *c,
				     const struct xdpmeta_chain_req *req,
				     bool removed)
{
	struct json_object *obj;

	if (!cli_json) {
		printf("detached program %u from %s, revision %llu%s\n", req->id,
		       c->dev, (unsigned long long)req->revision,
		       removed ? ", chain empty: dispatcher removed" : "");
		return CLI_EXIT_OK;
	}
	obj = xdpmeta_prog_json_dev(c->dev, c->ifindex);
	if (obj) {
		json_object_object_add(obj, "id", json_object_new_int64(req->id));
		json_object_object_add(obj, "revision",
				       json_object_new_uint64(req->revision));
		json_object_object_add(obj, "count",
				       json_object_new_int64(req->count));
		json_object_object_add(obj, "dispatcher_removed",
				       json_object_new_boolean(removed));
	}
	return cli_print_json(obj);
}

static int xdpmeta_prog_detach_args(const struct cli_cmd *cmd, int argc,
				    char **argv, char **pos,
				    struct xdpmeta_prog_args *a)
{
	const char *before = NULL, *after = NULL, *rev = NULL;
	const struct cli_opt opts[] = {
		{ "--before", &before, NULL },
		{ "--after", &after, NULL },
		{ "--expected-revision", &rev, NULL },
		{}
	};
	int ret;

	memset(a, 0, sizeof(*a));
	pos[1] = NULL;
	ret = cli_parse_args(cmd, argc, argv, opts, pos, 1, 2);
	if (ret >= 0)
		return ret;
	ret = xdpmeta_prog_ref_parse(cmd, "ID", pos[1], false, &a->id);
	if (ret >= 0)
		return ret;
	return xdpmeta_prog_parse_position(cmd, before, after, rev, a);
}

int xdpmeta_cmd_prog_detach(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct xdpmeta_prog_ctx c = { .verb = "detach" };
	struct xdpmeta_prog_args a;
	struct xdpmeta_chain_req req;
	bool own_rev, detached, removed = false;
	char *pos[2];
	int ret, tries;

	ret = xdpmeta_prog_detach_args(cmd, argc, argv, pos, &a);
	if (ret >= 0)
		return ret;
	c.dev = pos[0];
	/* "detach '42' from 'veth0'", or without an id "detach from 'veth0'" */
	if (pos[1]) {
		c.what = pos[1];
		c.prep = "from";
	} else {
		c.verb = "detach from";
		c.what = pos[0];
	}
	ret = xdpmeta_prog_find_dev(&c);
	if (!ret)
		ret = xdpmeta_prog_ctl_load(&c);
	if (!ret)
		ret = xdpmeta_prog_ref_resolve(&a.id);
	if (!ret)
		ret = xdpmeta_prog_ref_resolve(&a.rel);
	for (tries = 1; !ret; tries++) {
		ret = xdpmeta_prog_detach_once(&c, &a, &req, &own_rev);
		if (ret || req.ret != -ESTALE || !own_rev ||
		    tries == XDPMETA_PROG_DETACH_TRIES)
			break;
	}
	if (!ret && req.ret < 0)
		ret = xdpmeta_chain_fail(&c, &req);
	detached = !ret;
	if (detached && !req.count)
		ret = xdpmeta_prog_remove_dispatcher(&c, &removed);
	/* The program went even when the dispatcher could not: say so. */
	if (detached && xdpmeta_prog_detach_print(&c, &req, removed))
		ret = CLI_EXIT_ERR;
	xdpmeta_ctl_unload(c.ctl);
	return ret;
}

/* ---- prog list --------------------------------------------------------- */

static const char *xdpmeta_prog_pin_word(uint8_t pin)
{
	if (pin == XDPMETA_CHAIN_PIN_FIRST)
		return "first";
	if (pin == XDPMETA_CHAIN_PIN_LAST)
		return "last";
	return NULL;
}

static const char *xdpmeta_prog_mb_word(uint8_t mb)
{
	return mb < XDPMETA_PROG_N(xdpmeta_prog_mb_words) ?
	       xdpmeta_prog_mb_words[mb] : NULL;
}

/* "pass,tx", or "none" */
static void xdpmeta_prog_cont_text(uint32_t cont, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < XDPMETA_PROG_N(xdpmeta_prog_actions); i++)
		if (cont & (1U << i) && used < len)
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "," : "", xdpmeta_prog_actions[i]);
	if (!buf[0])
		snprintf(buf, len, "none");
}

static const char *xdpmeta_prog_list_titles[] = {
	"POS", "ID", "NAME", "PIN", "CONTINUE", "MB", "FRAGS",
	"PULLED", "DROPPED", "PASSED", "SKIPPED"
};

static int xdpmeta_prog_list_row(struct cli_grid *g, uint32_t pos,
				 const struct xdpmeta_chain_info *e)
{
	char name[XDPMETA_PROG_NAME_LEN], cont[64];
	const char *pin = xdpmeta_prog_pin_word(e->pin);
	const char *mb = xdpmeta_prog_mb_word(e->mb);

	xdpmeta_prog_name_by_id(e->id, name, sizeof(name));
	xdpmeta_prog_cont_text(e->cont, cont, sizeof(cont));
	if (cli_grid_add_row(g) ||
	    cli_grid_set(g, 0, "%u", pos) || cli_grid_set(g, 1, "%u", e->id) ||
	    cli_grid_set(g, 2, "%s", name[0] ? name : "?") ||
	    cli_grid_set(g, 3, "%s", pin ? pin : "-") ||
	    cli_grid_set(g, 4, "%s", cont) ||
	    cli_grid_set(g, 5, "%s", mb ? mb : "?") ||
	    cli_grid_set(g, 6, "%s", e->frags ? "yes" : "no") ||
	    cli_grid_set(g, 7, "%llu", (unsigned long long)e->mb_pulled) ||
	    cli_grid_set(g, 8, "%llu", (unsigned long long)e->mb_dropped) ||
	    cli_grid_set(g, 9, "%llu", (unsigned long long)e->mb_passed) ||
	    cli_grid_set(g, 10, "%llu", (unsigned long long)e->mb_skipped))
		return -1;
	return 0;
}

static int xdpmeta_prog_list_text(const char *dev,
				  const struct xdpmeta_chain_req *q)
{
	static const int right[] = { 0, 1, 7, 8, 9, 10 };
	uint32_t n = xdpmeta_chain_count(q), i;
	struct cli_grid g;
	int ret = 0;

	if (!q->dispatcher_id) {
		printf("%s: no chain (no dispatcher attached)\n", dev);
		return CLI_EXIT_OK;
	}
	printf("%s: dispatcher id %u, revision %llu, %u program%s, runs %llu, recursions %llu\n",
	       dev, q->dispatcher_id, (unsigned long long)q->revision,
	       q->count, q->count == 1 ? "" : "s",
	       (unsigned long long)q->runs, (unsigned long long)q->recursions);
	if (!n) {
		printf("(no programs)\n");
		return CLI_EXIT_OK;
	}
	if (cli_grid_init(&g, XDPMETA_PROG_N(xdpmeta_prog_list_titles),
			  xdpmeta_prog_list_titles))
		return cli_fail("print", "programs", "out of memory");
	for (i = 0; i < XDPMETA_PROG_N(right); i++)
		g.right[right[i]] = true;
	for (i = 0; i < n && !ret; i++)
		ret = xdpmeta_prog_list_row(&g, i, &q->e[i]);
	if (!ret)
		cli_grid_print(&g, stdout);
	cli_grid_free(&g);
	return ret ? cli_fail("print", "programs", "out of memory") : CLI_EXIT_OK;
}

static struct json_object *xdpmeta_prog_entry_json(uint32_t pos,
						   const struct xdpmeta_chain_info *e)
{
	struct json_object *obj = json_object_new_object();
	struct json_object *cont = json_object_new_array();
	char name[XDPMETA_PROG_NAME_LEN];
	const char *pin = xdpmeta_prog_pin_word(e->pin);
	const char *mb = xdpmeta_prog_mb_word(e->mb);
	size_t i;

	if (!obj || !cont) {
		json_object_put(obj);
		json_object_put(cont);
		return NULL;
	}
	xdpmeta_prog_name_by_id(e->id, name, sizeof(name));
	for (i = 0; i < XDPMETA_PROG_N(xdpmeta_prog_actions); i++)
		if (e->cont & (1U << i))
			json_object_array_add(cont, json_object_new_string(xdpmeta_prog_actions[i]));
	json_object_object_add(obj, "position", json_object_new_int64(pos));
	json_object_object_add(obj, "id", json_object_new_int64(e->id));
	json_object_object_add(obj, "name",
			       name[0] ? json_object_new_string(name) : NULL);
	json_object_object_add(obj, "pin", pin ? json_object_new_string(pin) : NULL);
	json_object_object_add(obj, "continue", cont);
	json_object_object_add(obj, "mb", mb ? json_object_new_string(mb) : NULL);
	json_object_object_add(obj, "frags", json_object_new_boolean(e->frags));
	json_object_object_add(obj, "mb_pulled", json_object_new_uint64(e->mb_pulled));
	json_object_object_add(obj, "mb_dropped", json_object_new_uint64(e->mb_dropped));
	json_object_object_add(obj, "mb_passed", json_object_new_uint64(e->mb_passed));
	json_object_object_add(obj, "mb_skipped", json_object_new_uint64(e->mb_skipped));
	return obj;
}

/* Adds DEV's object to the array arr: 0, or -1 when out of memory. */
static int xdpmeta_prog_list_json(struct json_object *arr, const char *dev,
				  uint32_t ifindex,
				  const struct xdpmeta_chain_req *q)
{
	struct json_object *obj = xdpmeta_prog_json_dev(dev, ifindex);
	struct json_object *entries = json_object_new_array();
	uint32_t n = xdpmeta_chain_count(q), i;

	if (!obj || !entries) {
		json_object_put(obj);
		json_object_put(entries);
		return -1;
	}
	json_object_object_add(obj, "dispatcher_id",
			       json_object_new_int64(q->dispatcher_id));
	json_object_object_add(obj, "revision", json_object_new_uint64(q->revision));
	json_object_object_add(obj, "count", json_object_new_int64(q->count));
	json_object_object_add(obj, "runs", json_object_new_uint64(q->runs));
	json_object_object_add(obj, "recursions",
			       json_object_new_uint64(q->recursions));
	json_object_object_add(obj, "entries", entries);
	json_object_array_add(arr, obj);
	for (i = 0; i < n; i++) {
		struct json_object *e = xdpmeta_prog_entry_json(i, &q->e[i]);

		if (!e)
			return -1;
		json_object_array_add(entries, e);
	}
	return 0;
}

/* One device's chain, as text or into arr. */
static int xdpmeta_prog_list_dev(struct json_object *arr, bool *first,
				 const struct xdpmeta_prog_ctx *c,
				 const struct xdpmeta_chain_req *q)
{
	if (arr)
		return xdpmeta_prog_list_json(arr, c->dev, c->ifindex, q) ?
		       cli_fail("print", "JSON", "%s", strerror(ENOMEM)) : 0;
	if (!*first)
		putchar('\n');
	*first = false;
	return xdpmeta_prog_list_text(c->dev, q);
}

/*
 * Every device of this netns with a chain: the others (not hooked, so
 * -ENODEV or -EOPNOTSUPP, or no dispatcher) are left out without a word.
 */
static int xdpmeta_prog_list_all(struct xdpmeta_prog_ctx *c,
				 struct json_object *arr, bool *first)
{
	struct if_nameindex *ifs, *i;
	struct xdpmeta_chain_req q;
	int ret = 0;

	ifs = if_nameindex();
	if (!ifs)
		return cli_fail("list", "network devices", "%s", strerror(errno));
	for (i = ifs; i->if_index && !ret; i++) {
		c->dev = i->if_name;
		c->what = i->if_name;
		c->ifindex = i->if_index;
		xdpmeta_chain_req_init(&q, XDPMETA_CHAIN_OP_QUERY, c->ifindex);
		ret = xdpmeta_chain_run(c, &q);
		if (ret || q.ret == -ENODEV || q.ret == -EOPNOTSUPP ||
		    (q.ret >= 0 && !q.dispatcher_id))
			continue;
		if (q.ret < 0)
			ret = xdpmeta_chain_fail(c, &q);
		else
			ret = xdpmeta_prog_list_dev(arr, first, c, &q);
	}
	if_freenameindex(ifs);
	return ret;
}

int xdpmeta_cmd_prog_list(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct xdpmeta_prog_ctx c = { .verb = "list the programs of" };
	struct json_object *arr = NULL;
	struct xdpmeta_chain_req q;
	bool first = true;
	char *pos[1] = { NULL };
	int ret;

	ret = cli_parse_args(cmd, argc, argv, NULL, pos, 0, 1);
	if (ret >= 0)
		return ret;
	c.dev = pos[0];
	c.what = pos[0] ? pos[0] : "all devices";
	ret = pos[0] ? xdpmeta_prog_find_dev(&c) : 0;
	if (!ret)
		ret = xdpmeta_prog_ctl_load(&c);
	if (ret)
		goto out;
	if (cli_json) {
		arr = json_object_new_array();
		if (!arr) {
			ret = cli_print_json(NULL);
			goto out;
		}
	}
	if (pos[0]) {
		ret = xdpmeta_chain_query(&c, &q);
		if (!ret)
			ret = xdpmeta_prog_list_dev(arr, &first, &c, &q);
	} else {
		ret = xdpmeta_prog_list_all(&c, arr, &first);
		if (!ret && !arr && first)
			printf("no chained devices\n");
	}
	if (arr && !ret) {
		ret = cli_print_json(arr);
		arr = NULL;
	}
out:
	json_object_put(arr);
	xdpmeta_ctl_unload(c.ctl);
	return ret;
}

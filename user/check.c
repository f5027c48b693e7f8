// SPDX-License-Identifier: GPL-2.0
/*
 * check.c - `xdpmeta check PROG.o DEV [--netns N] [--prog NAME] [--chain]`:
 * the verdict xdpmeta would give when the program is attached to DEV, or
 * with --chain added to DEV's chain (`xdpmeta prog attach DEV PROG.o`),
 * without attaching it (or loading it).
 *
 * What the program requires comes from the object (bpfobj.c): its
 * XDPMETA_REQUIRE() declaration and the kfuncs it calls. What DEV and the
 * declared redirect target (looked up in DEV's netns) offer comes from
 * <debugfs>/features. The verdict and its words come from kmod/req.c, the
 * module's own code, so the lines printed here are the ones the module
 * would give: the brief one is its extack message (what `ip link` and
 * bpftool print), the full one its log line.
 *
 * Chains (kmod/chain.h): while DEV's chain has entries, the module refuses
 * a plain attach of anything but a dispatcher, before it looks at the
 * requirements. The chain comes from the module (the SYSCALL program
 * xdpmeta_chain, ctl.c), which answers for a device of this process's
 * netns only. With --chain the verdict is `prog attach`'s, in the order it
 * meets them: a device running a program of its own (the CLI does not
 * install the dispatcher over it), a program that cannot be an entry
 * (devmap/cpumap, a dispatcher; device-bound is a load flag, not in the
 * object), the requirements without the multi-buffer mode's (the chain
 * keeps plain entries from partial frames), a full chain. The module's
 * words that kmod/req.c does not have are restated from kmod/chain.c.
 *
 * Exit status: 0 when the attach would be accepted, 3 when refused, 1 when
 * the check itself failed (bad object, device not hooked, ...), 2 for a
 * usage error. Only xdpmeta's verdict is predicted: the driver may still
 * refuse for its own reasons (MTU, queues: see `xdpmeta dev features`).
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>
#include <linux/bpf.h>

#include "cli.h"

/* Columns the verdict reads; hint_hash_off is newer and optional. */
static const char *const xdpmeta_check_cols[] = {
	"name", "netns", "driver", "basic", "redirect", "rx_sg", "ndo_xmit",
	"hint_hash", "hint_vlan", "hint_timestamp", "store", "mb_mode", NULL
};

static bool xdpmeta_check_flag(const struct xdpmeta_table *t, int row,
			       const char *col)
{
	const char *s = xdpmeta_table_get(t, row, col);

	return s && !strcmp(s, "1");
}

/* Whether netns (an inode number) is this process's network namespace. */
static bool xdpmeta_check_own_netns(const char *netns)
{
	struct stat st;
	uint64_t ns;

	return cli_parse_u64(netns, &ns) && !stat("/proc/self/ns/net", &st) &&
	       (uint64_t)st.st_ino == ns;
}

/*
 * Fills the redirect target's state from its row in DEV's netns. A device
 * that is not hooked has no row: when DEV's netns is this process's and a
 * device of that name exists, its XDP target support cannot be told from
 * here. Return: 0, or an exit status after a message.
 */
static int xdpmeta_check_target(const struct xdpmeta_table *t, const char *netns,
				const char *obj, struct xdpmeta_req_in *in)
{
	const char *target = in->decl.redirect_target;
	int row;

	for (row = 0; row < t->nrows; row++) {
		if (strcmp(xdpmeta_table_get(t, row, "name"), target) ||
		    strcmp(xdpmeta_table_get(t, row, "netns"), netns))
			continue;
		in->target_exists = true;
		in->target_ndo_xmit = xdpmeta_check_flag(t, row, "ndo_xmit");
		in->target_has_peer = !strcmp(xdpmeta_table_get(t, row, "driver"), "veth");
		return 0;
	}
	if (xdpmeta_check_own_netns(netns) && if_nametoindex(target))
		return cli_fail("check", obj,
				"its redirect target %s is not a device xdpmeta hooked: whether it accepts XDP_REDIRECT frames is known at attach only",
				target);
	return 0;
}

/* The module's reason in a chain request: cut there (kmod/chain.c). */
#define XDPMETA_CHECK_MSG_LEN	sizeof(((struct xdpmeta_chain_req *)0)->msg)
/* kmod/chain.c's words for a full chain (-ERANGE) */
#define XDPMETA_CHECK_FULL	"the chain is full (64 programs): detach one first"

/* What the module says of DEV's chain. */
struct xdpmeta_check_chain {
	bool known;			/* else why says why not */
	bool foreign;			/* --chain, no dispatcher: DEV runs a
					 * program of its own (why: prog
					 * attach's words) */
	uint32_t dispatcher_id;		/* 0: no chain */
	uint32_t count;
	uint64_t revision;
	char why[CLI_WHY_LEN];
};

/* The first refusal the attach would meet, in the words it would get. */
struct xdpmeta_check_verdict {
	bool refused;
	int err;			/* --chain: the module's errno; 0: the CLI's */
	char brief[XDPMETA_REQ_BRIEF_LEN];	/* plain: the extack, no "xdpmeta: " */
	char full[XDPMETA_REQ_FULL_LEN];	/* plain: the log's; --chain: the
						 * <why> prog attach prints */
};

/* One check: what it read and what it found. */
struct xdpmeta_check {
	const char *obj;		/* PROG.o as given */
	struct xdpmeta_bpfobj o;
	struct xdpmeta_req_in in;
	const char *netns;		/* DEV's, an inode number */
	const char *driver;
	bool chained;			/* --chain */
	struct xdpmeta_check_chain chain;
	int first;			/* the first unmet requirement, or -1 */
	struct xdpmeta_req_msg first_msg;
	int entry_err;			/* --chain: why it cannot be an entry */
	char entry[CLI_WHY_LEN];	/* ... in prog attach's words */
	struct xdpmeta_check_verdict v;
};

/*
 * Asks the module for DEV's chain (with --chain also whether DEV runs a
 * program of its own, when it has no dispatcher). Without the module there
 * is no chain: it went with the module after the features file was read
 * (and test trees have no module). Not being known is no failure: the
 * output says why.
 */
static void xdpmeta_check_chain_query(struct xdpmeta_check *x)
{
	struct xdpmeta_check_chain *ch = &x->chain;
	struct xdpmeta_ctl_progs *ctl;
	struct xdpmeta_chain_req q;
	uint32_t ifindex;
	int ret;

	memset(ch, 0, sizeof(*ch));
	if (!xdpmeta_module_loaded()) {
		ch->known = true;
		return;
	}
	if (!xdpmeta_check_own_netns(x->netns)) {
		snprintf(ch->why, sizeof(ch->why),
			 "%s is in netns %s, not this process's: the module tells its chain there only (nsenter --net)",
			 x->in.dev, x->netns);
		return;
	}
	ifindex = if_nametoindex(x->in.dev);
	if (!ifindex) {
		snprintf(ch->why, sizeof(ch->why), "%s: %s", x->in.dev,
			 strerror(errno));
		return;
	}
	ctl = xdpmeta_ctl_load(ch->why, sizeof(ch->why));
	if (!ctl)
		return;
	xdpmeta_chain_req_init(&q, XDPMETA_CHAIN_OP_QUERY, ifindex);
	ret = xdpmeta_chain_send(ctl, &q, ch->why, sizeof(ch->why));
	xdpmeta_ctl_unload(ctl);
	if (ret)
		return;
	if (q.ret < 0) {
		xdpmeta_chain_strerror(q.ret, q.msg, ch->why, sizeof(ch->why));
		return;
	}
	ch->dispatcher_id = q.dispatcher_id;
	ch->count = q.count;
	ch->revision = q.revision;
	ret = x->chained && !ch->dispatcher_id ?
	      xdpmeta_prog_foreign_why(ifindex, x->in.dev, ch->why, sizeof(ch->why)) : 0;
	ch->known = ret >= 0;
	ch->foreign = ret > 0;
}

static bool xdpmeta_check_chain_full(const struct xdpmeta_check_chain *ch)
{
	return ch->known && ch->dispatcher_id && ch->count >= XDPMETA_CHAIN_MAX;
}

/*
 * Whether a plain attach meets DEV's chain: kmod/chain.c's
 * __xdpmeta_chain_setup() refuses anything but a dispatcher (which takes
 * the chain over) while the chain has entries.
 */
static bool xdpmeta_check_chain_blocks(const struct xdpmeta_check *x)
{
	return !x->chained && x->chain.known && x->chain.dispatcher_id &&
	       x->chain.count && !x->o.dispatcher;
}

/*
 * Whether the program may be an entry, as kmod/chain.c's
 * xdpmeta_chain_prog_usable() says: 0, or its errno with x->entry filled.
 */
static int xdpmeta_check_entry(struct xdpmeta_check *x)
{
	char msg[XDPMETA_CHECK_MSG_LEN];
	int err = 0;

	if (x->o.attach_type == BPF_XDP_DEVMAP || x->o.attach_type == BPF_XDP_CPUMAP) {
		err = EINVAL;
		snprintf(msg, sizeof(msg), "%s is a devmap/cpumap program: chains run at ingress (load it as SEC(\"xdp\"))",
			 x->o.kname);
	} else if (x->o.dispatcher) {
		err = ELOOP;
		snprintf(msg, sizeof(msg), "%s is a dispatcher (calls bpf_xdpmeta_chain_run)",
			 x->o.kname);
	}
	if (err)
		xdpmeta_chain_strerror(-err, msg, x->entry, sizeof(x->entry));
	return err;
}

/* A refusal by the module's errno err and reason msg: prog attach's words. */
static void xdpmeta_check_refuse(struct xdpmeta_check_verdict *v, int err,
				 const char *msg)
{
	v->refused = true;
	v->err = err;
	xdpmeta_chain_strerror(-err, msg, v->full, sizeof(v->full));
}

/* --chain: the first refusal, in the order prog attach meets them. */
static void xdpmeta_check_verdict_chained(struct xdpmeta_check *x)
{
	struct xdpmeta_check_verdict *v = &x->v;
	char msg[XDPMETA_CHECK_MSG_LEN];

	if (x->chain.foreign) {
		v->refused = true;
		snprintf(v->full, sizeof(v->full), "%s", x->chain.why);
	} else if (x->entry_err) {
		v->refused = true;
		v->err = x->entry_err;
		snprintf(v->full, sizeof(v->full), "%s", x->entry);
	} else if (x->first >= 0) {
		/* __xdpmeta_features_check_entry(): the full sentence, cut to msg */
		snprintf(msg, sizeof(msg), "%.*s", (int)sizeof(msg) - 1,
			 x->first_msg.full);
		xdpmeta_check_refuse(v, EOPNOTSUPP, msg);
	} else if (xdpmeta_check_chain_full(&x->chain)) {
		xdpmeta_check_refuse(v, ERANGE, XDPMETA_CHECK_FULL);
	}
}

/* A plain attach: the chain's refusal (its extack and log line), or req.c's. */
static void xdpmeta_check_verdict_plain(struct xdpmeta_check *x)
{
	struct xdpmeta_check_verdict *v = &x->v;

	if (xdpmeta_check_chain_blocks(x)) {
		v->refused = true;
		snprintf(v->brief, sizeof(v->brief),
			 "chain installed: add with 'xdpmeta prog attach DEV PROG'");
		snprintf(v->full, sizeof(v->full),
			 "the device runs an xdpmeta chain of %u programs; add it with 'xdpmeta prog attach %s PROG', or detach the chain's programs first ('xdpmeta prog list %s')",
			 x->chain.count, x->in.dev, x->in.dev);
	} else if (x->first >= 0) {
		v->refused = true;
		snprintf(v->brief, sizeof(v->brief), "%s", x->first_msg.brief);
		snprintf(v->full, sizeof(v->full), "%s", x->first_msg.full);
	}
}

/* The needs of a declaration as a list of item ids (JSON). */
static struct json_object *xdpmeta_check_json_needs(const struct xdpmeta_req_in *in)
{
	struct json_object *arr = json_object_new_array();
	struct xdpmeta_req_in only = *in;
	int item;

	only.calls = 0;
	for (item = XDPMETA_REQ_VERSION + 1; arr && item < XDPMETA_REQ_TARGET; item++)
		if (xdpmeta_req_applies(&only, item))
			json_object_array_add(arr, json_object_new_string(xdpmeta_req_item_id(item)));
	return arr;
}

/* A list of {id, what, met[, brief, message]}, one per requirement. */
static struct json_object *xdpmeta_check_json_reqs(const struct xdpmeta_req_in *in)
{
	struct json_object *items = json_object_new_array();
	struct xdpmeta_req_msg msg;
	int item;

	for (item = 0; items && item < __XDPMETA_REQ_MAX; item++) {
		struct json_object *r;
		bool met;

		if (!xdpmeta_req_applies(in, item))
			continue;
		met = xdpmeta_req_item_met(in, item, &msg);
		r = json_object_new_object();
		if (!r)
			break;
		json_object_object_add(r, "id", json_object_new_string(xdpmeta_req_item_id(item)));
		json_object_object_add(r, "what", json_object_new_string(xdpmeta_req_item_label(item)));
		json_object_object_add(r, "met", json_object_new_boolean(met));
		if (!met) {
			json_object_object_add(r, "brief", json_object_new_string(msg.brief));
			json_object_object_add(r, "message", json_object_new_string(msg.full));
		}
		json_object_array_add(items, r);
	}
	return items;
}

/* {known, why} or {known, dispatcher_id, count, revision} */
static struct json_object *xdpmeta_check_json_chain(const struct xdpmeta_check_chain *ch)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	json_object_object_add(obj, "known", json_object_new_boolean(ch->known));
	if (!ch->known) {
		json_object_object_add(obj, "why", json_object_new_string(ch->why));
		return obj;
	}
	json_object_object_add(obj, "dispatcher_id", json_object_new_int64(ch->dispatcher_id));
	json_object_object_add(obj, "count", json_object_new_int64(ch->count));
	json_object_object_add(obj, "revision", json_object_new_uint64(ch->revision));
	return obj;
}

/* What only --chain has: the dispatcher's install, the entry's verdict. */
static void xdpmeta_check_json_chained(struct json_object *root,
				       const struct xdpmeta_check *x)
{
	const struct xdpmeta_check_chain *ch = &x->chain;

	json_object_object_add(root, "installs_dispatcher",
			       json_object_new_boolean(ch->known && !ch->dispatcher_id &&
						       !ch->foreign));
	json_object_object_add(root, "entry_ok", json_object_new_boolean(!x->entry_err));
	if (x->entry_err)
		json_object_object_add(root, "entry_error", json_object_new_string(x->entry));
}

/* The verdict: extack and log (plain), or error and errno (--chain). */
static void xdpmeta_check_json_verdict(struct json_object *root,
				       const struct xdpmeta_check *x)
{
	const struct xdpmeta_check_verdict *v = &x->v;
	char extack[96];

	json_object_object_add(root, "accepted", json_object_new_boolean(!v->refused));
	if (!v->refused)
		return;
	if (x->chained) {
		json_object_object_add(root, "error", json_object_new_string(v->full));
		if (v->err)
			json_object_object_add(root, "errno", json_object_new_int(v->err));
		return;
	}
	snprintf(extack, sizeof(extack), "xdpmeta: %s", v->brief);
	json_object_object_add(root, "extack", json_object_new_string(extack));
	json_object_object_add(root, "log", json_object_new_string(v->full));
}

static int xdpmeta_check_json(const struct xdpmeta_check *x)
{
	const struct xdpmeta_bpfobj *o = &x->o;
	struct json_object *root, *kf;
	uint64_t ns = 0;
	int i;

	cli_parse_u64(x->netns, &ns);
	root = json_object_new_object();
	kf = json_object_new_array();
	if (!root || !kf) {
		json_object_put(root);
		json_object_put(kf);
		return cli_print_json(NULL);
	}
	json_object_object_add(root, "object", json_object_new_string(x->obj));
	json_object_object_add(root, "program", json_object_new_string(o->name));
	json_object_object_add(root, "section", json_object_new_string(o->section));
	json_object_object_add(root, "device", json_object_new_string(x->in.dev));
	json_object_object_add(root, "driver", json_object_new_string(x->driver));
	json_object_object_add(root, "netns", json_object_new_int64((int64_t)ns));
	json_object_object_add(root, "mode", json_object_new_string(x->chained ? "chain" : "attach"));
	json_object_object_add(root, "declared", json_object_new_boolean(o->declared));
	if (o->declared) {
		json_object_object_add(root, "version", json_object_new_int64(o->decl.version));
		json_object_object_add(root, "needs", xdpmeta_check_json_needs(&x->in));
		json_object_object_add(root, "redirect_target",
				       json_object_new_string(o->decl.redirect_target));
	}
	for (i = 0; i < o->nkfuncs; i++)
		json_object_array_add(kf, json_object_new_string(o->kfuncs[i]));
	json_object_object_add(root, "kfuncs", kf);
	json_object_object_add(root, "dispatcher", json_object_new_boolean(o->dispatcher));
	json_object_object_add(root, "chain", xdpmeta_check_json_chain(&x->chain));
	if (x->chained)
		xdpmeta_check_json_chained(root, x);
	json_object_object_add(root, "requirements", xdpmeta_check_json_reqs(&x->in));
	xdpmeta_check_json_verdict(root, x);
	return cli_print_json(root);
}

/* The item's label, with the target's name for the redirect target. */
static void xdpmeta_check_label(const struct xdpmeta_req_in *in, int item,
				char *buf, size_t len)
{
	if (item == XDPMETA_REQ_TARGET)
		snprintf(buf, len, "%s %s:", xdpmeta_req_item_label(item),
			 in->decl.redirect_target);
	else
		snprintf(buf, len, "%s:", xdpmeta_req_item_label(item));
}

/* What was found of DEV's chain: as prog attach would find it, or why not. */
static void xdpmeta_check_chain_state(const struct xdpmeta_check_chain *ch,
				      char *buf, size_t len)
{
	char full[CLI_WHY_LEN];

	if (!ch->known) {
		snprintf(buf, len, "unknown: %s", ch->why);
	} else if (ch->foreign) {
		snprintf(buf, len, "no: %s", ch->why);
	} else if (!ch->dispatcher_id) {
		snprintf(buf, len, "none yet: the attach installs xdpmeta's dispatcher");
	} else if (xdpmeta_check_chain_full(ch)) {
		xdpmeta_chain_strerror(-ERANGE, XDPMETA_CHECK_FULL, full, sizeof(full));
		snprintf(buf, len, "no: %s", full);
	} else {
		snprintf(buf, len, "ok: %u program%s, revision %llu (dispatcher id %u)",
			 ch->count, ch->count == 1 ? "" : "s",
			 (unsigned long long)ch->revision, ch->dispatcher_id);
	}
}

/*
 * The chain's lines: with --chain always, for a plain attach when the
 * chain refuses it or is not known. Their labels are narrower than the
 * least w ("requirements:"), so they take no part in it.
 */
static void xdpmeta_check_text_chain(const struct xdpmeta_check *x, int w)
{
	char state[CLI_WHY_LEN + 16];

	if (x->chained || !x->chain.known) {
		xdpmeta_check_chain_state(&x->chain, state, sizeof(state));
		printf("  %-*s %s\n", w, "chain:", state);
	} else if (xdpmeta_check_chain_blocks(x)) {
		printf("  %-*s no: %s\n", w, "chain:", x->v.brief);
		printf("  %-*s %s\n", w, "", x->v.full);
	}
	if (!x->chained)
		return;
	if (x->entry_err)
		printf("  %-*s no: %s\n", w, "chain entry:", x->entry);
	else
		printf("  %-*s ok\n", w, "chain entry:");
}

/*
 * A line per requirement, "ok" or "no: " and the brief message (the
 * extack the attach would get, without "xdpmeta: ") with the full one
 * under it; a readable declaration is not worth a line. The chain's lines
 * come first, as the module looks at the chain first. Then the verdict.
 */
static void xdpmeta_check_text(const struct xdpmeta_check *x)
{
	const struct xdpmeta_req_in *in = &x->in;
	const struct xdpmeta_bpfobj *o = &x->o;
	struct xdpmeta_req_msg msg;
	int item, n = 0, i, w = 14;	/* "requirements:" */
	bool met[__XDPMETA_REQ_MAX];
	char label[64];

	for (item = 0; item < __XDPMETA_REQ_MAX; item++) {
		met[item] = !xdpmeta_req_applies(in, item) ||
			    xdpmeta_req_item_met(in, item, &msg);
		if (!xdpmeta_req_applies(in, item) ||
		    (item == XDPMETA_REQ_VERSION && met[item]))
			continue;
		xdpmeta_check_label(in, item, label, sizeof(label));
		if ((int)strlen(label) > w)
			w = strlen(label);
	}
	printf("%s (%s) on %s (%s, netns %s)%s\n", o->name, o->section, in->dev,
	       x->driver, x->netns, x->chained ? " as a chain entry" : "");
	if (o->nkfuncs) {
		printf("  %-*s ", w, "kfuncs:");
		for (i = 0; i < o->nkfuncs; i++)
			printf("%s%s", i ? ", " : "", o->kfuncs[i]);
		putchar('\n');
	}
	xdpmeta_check_text_chain(x, w);
	for (item = 0; item < __XDPMETA_REQ_MAX; item++) {
		if (!xdpmeta_req_applies(in, item) ||
		    (item == XDPMETA_REQ_VERSION && met[item]))
			continue;
		n++;
		xdpmeta_check_label(in, item, label, sizeof(label));
		if (met[item]) {
			printf("  %-*s ok\n", w, label);
			continue;
		}
		xdpmeta_req_item_met(in, item, &msg);
		printf("  %-*s no: %s\n", w, label, msg.brief);
		printf("  %-*s %s\n", w, "", msg.full);
	}
	if (!n)
		printf("  %-*s none (no XDPMETA_REQUIRE(), no kfunc call that implies one)\n",
		       w, "requirements:");
	if (!x->v.refused)
		printf("ok\n");
	else if (x->chained)
		printf("refused: %s\n", x->v.full);
	else
		printf("refused: xdpmeta: %s\n", x->v.brief);
}

/*
 * The device's side of the verdict from its features row; the multi-buffer
 * mode does not apply to a chain entry (kmod/features.c, chained).
 */
static void xdpmeta_check_fill(struct xdpmeta_check *x,
			       const struct xdpmeta_table *t, int row)
{
	struct xdpmeta_req_in *in = &x->in;

	x->driver = xdpmeta_table_get(t, row, "driver");
	x->netns = xdpmeta_table_get(t, row, "netns");
	in->prog = x->o.kname;
	in->veth = !strcmp(x->driver, "veth");
	in->basic = xdpmeta_check_flag(t, row, "basic");
	in->redirect = xdpmeta_check_flag(t, row, "redirect");
	in->rx_sg = xdpmeta_check_flag(t, row, "rx_sg");
	in->hint_hash = xdpmeta_check_flag(t, row, "hint_hash");
	in->hint_vlan = xdpmeta_check_flag(t, row, "hint_vlan");
	in->hint_timestamp = xdpmeta_check_flag(t, row, "hint_timestamp");
	in->hint_hash_off = xdpmeta_check_flag(t, row, "hint_hash_off");
	in->store = xdpmeta_check_flag(t, row, "store");
	in->mb_strict = !x->chained &&
			!strcmp(xdpmeta_table_get(t, row, "mb_mode"), "strict");
	in->frags = x->o.frags;
	in->declared = x->o.declared;
	in->decl = x->o.decl;
	in->calls = x->o.calls;
}

/*
 * The row of DEV in the features table t: -1 after a message (*ret the
 * exit status) when DEV is not hooked (in netns, when given).
 */
static int xdpmeta_check_find(const struct cli_cmd *cmd,
			      const struct xdpmeta_table *t, const char *path,
			      const char *obj, const char *dev,
			      const char *netns, int *ret)
{
	uint64_t want = 0, ns;
	int row, n = 0;

	if (netns)
		cli_parse_u64(netns, &want);
	for (row = 0; row < t->nrows; row++)
		if (!strcmp(xdpmeta_table_get(t, row, "name"), dev) &&
		    (!netns || (cli_parse_u64(xdpmeta_table_get(t, row, "netns"), &ns) &&
				ns == want)))
			n++;
	if (!n) {
		*ret = cli_fail("check", obj,
				"%s is not a device xdpmeta hooked%s%s (it hooks veth and virtio_net devices: see xdpmeta dev)",
				dev, netns ? " in netns " : "", netns ? netns : "");
		return -1;
	}
	return xdpmeta_find_dev(cmd, t, path, dev, netns, "check", obj, ret);
}

/* Everything after the device was found: 0, 3 (refused) or 1. */
static int xdpmeta_check_run(struct xdpmeta_check *x,
			     const struct xdpmeta_table *t, int row)
{
	int ret;

	xdpmeta_check_fill(x, t, row);
	if (xdpmeta_req_applies(&x->in, XDPMETA_REQ_TARGET)) {
		ret = xdpmeta_check_target(t, x->netns, x->obj, &x->in);
		if (ret)
			return ret;
	}
	xdpmeta_check_chain_query(x);
	x->first = xdpmeta_req_eval(&x->in, &x->first_msg);
	if (x->chained) {
		x->entry_err = xdpmeta_check_entry(x);
		xdpmeta_check_verdict_chained(x);
	} else {
		xdpmeta_check_verdict_plain(x);
	}
	if (cli_json) {
		ret = xdpmeta_check_json(x);
		/* an error printing JSON is the check's failure, not a verdict */
		if (ret)
			return ret;
	} else {
		xdpmeta_check_text(x);
	}
	return x->v.refused ? CLI_EXIT_REFUSED : CLI_EXIT_OK;
}

int xdpmeta_cmd_check(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *netns = NULL, *prog = NULL;
	struct xdpmeta_check x;
	const struct cli_opt opts[] = {
		{ "--netns", &netns, NULL }, { "--prog", &prog, NULL },
		{ "--chain", NULL, &x.chained }, {}
	};
	struct xdpmeta_table t;
	char *pos[2] = { NULL, NULL };
	int ret, row;
	char path[4096];
	uint64_t want;
	char *text;

	memset(&x, 0, sizeof(x));
	ret = cli_parse_args(cmd, argc, argv, opts, pos, 2, 2);
	if (ret >= 0)
		return ret;
	if (netns && !cli_parse_u64(netns, &want))
		return cli_usage_error(cmd,
				       "--netns needs a namespace inode number, not '%s'",
				       netns);

	x.obj = pos[0];
	x.in.dev = pos[1];
	ret = xdpmeta_bpfobj_read(cmd, pos[0], prog, &x.o);
	if (ret)
		return ret;
	ret = xdpmeta_debugfs_table_read("features", &t, &text, path, sizeof(path));
	if (ret)
		return ret;
	if (xdpmeta_need_cols(&t, path, xdpmeta_check_cols))
		ret = CLI_EXIT_ERR;
	else if ((row = xdpmeta_check_find(cmd, &t, path, pos[0], pos[1], netns, &ret)) >= 0)
		ret = xdpmeta_check_run(&x, &t, row);
	xdpmeta_table_free(&t);
	free(text);
	return ret;
}

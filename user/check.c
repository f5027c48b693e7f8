// SPDX-License-Identifier: GPL-2.0
/*
 * check.c - `xdpmeta check PROG.o DEV [--netns N] [--prog NAME]`: the
 * verdict xdpmeta would give when the program is attached to DEV, without
 * attaching it (or loading it).
 *
 * What the program requires comes from the object (bpfobj.c): its
 * XDPMETA_REQUIRE() declaration and the kfuncs it calls. What DEV and the
 * declared redirect target (looked up in DEV's netns) offer comes from
 * <debugfs>/features. The verdict and its words come from kmod/req.c, the
 * module's own code, so the lines printed here are the ones the module
 * would give: the brief one is its extack message (what `ip link` and
 * bpftool print), the full one its log line.
 *
 * Exit status: 0 when the attach would be accepted, 3 when refused, 1 when
 * the check itself failed (bad object, device not hooked, ...), 2 for a
 * usage error. Only xdpmeta's verdict is predicted: the driver may still
 * refuse for its own reasons (MTU, queues: see `xdpmeta dev features`).
 */
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

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

static int xdpmeta_check_json(const char *obj, const struct xdpmeta_bpfobj *o,
			      const struct xdpmeta_req_in *in, const char *netns,
			      const char *driver, int first,
			      const struct xdpmeta_req_msg *first_msg)
{
	struct json_object *root, *items, *kf;
	struct xdpmeta_req_msg msg;
	uint64_t ns = 0;
	int item, i;

	cli_parse_u64(netns, &ns);
	root = json_object_new_object();
	items = json_object_new_array();
	kf = json_object_new_array();
	if (!root || !items || !kf) {
		json_object_put(root);
		json_object_put(items);
		json_object_put(kf);
		return cli_print_json(NULL);
	}
	json_object_object_add(root, "object", json_object_new_string(obj));
	json_object_object_add(root, "program", json_object_new_string(o->name));
	json_object_object_add(root, "section", json_object_new_string(o->section));
	json_object_object_add(root, "device", json_object_new_string(in->dev));
	json_object_object_add(root, "driver", json_object_new_string(driver));
	json_object_object_add(root, "netns", json_object_new_int64((int64_t)ns));
	json_object_object_add(root, "declared", json_object_new_boolean(o->declared));
	if (o->declared) {
		json_object_object_add(root, "version", json_object_new_int64(o->decl.version));
		json_object_object_add(root, "needs", xdpmeta_check_json_needs(in));
		json_object_object_add(root, "redirect_target",
				       json_object_new_string(o->decl.redirect_target));
	}
	for (i = 0; i < o->nkfuncs; i++)
		json_object_array_add(kf, json_object_new_string(o->kfuncs[i]));
	json_object_object_add(root, "kfuncs", kf);
	for (item = 0; item < __XDPMETA_REQ_MAX; item++) {
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
	json_object_object_add(root, "requirements", items);
	json_object_object_add(root, "accepted", json_object_new_boolean(first < 0));
	if (first >= 0) {
		char extack[96];

		snprintf(extack, sizeof(extack), "xdpmeta: %s", first_msg->brief);
		json_object_object_add(root, "extack", json_object_new_string(extack));
		json_object_object_add(root, "log", json_object_new_string(first_msg->full));
	}
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

/*
 * A line per requirement, "ok" or "no: " and the brief message (the
 * extack the attach would get, without "xdpmeta: ") with the full one
 * under it; a readable declaration is not worth a line. Then the verdict.
 */
static void xdpmeta_check_text(const struct xdpmeta_bpfobj *o,
			       const struct xdpmeta_req_in *in, const char *netns,
			       const char *driver, int first,
			       const struct xdpmeta_req_msg *first_msg)
{
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
	printf("%s (%s) on %s (%s, netns %s)\n", o->name, o->section, in->dev,
	       driver, netns);
	if (o->nkfuncs) {
		printf("  %-*s ", w, "kfuncs:");
		for (i = 0; i < o->nkfuncs; i++)
			printf("%s%s", i ? ", " : "", o->kfuncs[i]);
		putchar('\n');
	}
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
	if (first < 0)
		printf("ok\n");
	else
		printf("refused: xdpmeta: %s\n", first_msg->brief);
}

int xdpmeta_cmd_check(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *netns = NULL, *prog = NULL;
	const struct cli_opt opts[] = {
		{ "--netns", &netns, NULL }, { "--prog", &prog, NULL }, {}
	};
	struct xdpmeta_req_msg first_msg;
	struct xdpmeta_req_in in;
	struct xdpmeta_bpfobj o;
	struct xdpmeta_table t;
	char *pos[2] = { NULL, NULL };
	const char *driver, *dev_netns;
	int ret, row, n = 0, first;
	char path[4096];
	uint64_t want;
	char *text;

	ret = cli_parse_args(cmd, argc, argv, opts, pos, 2, 2);
	if (ret >= 0)
		return ret;
	if (netns && !cli_parse_u64(netns, &want))
		return cli_usage_error(cmd,
				       "--netns needs a namespace inode number, not '%s'",
				       netns);

	ret = xdpmeta_bpfobj_read(cmd, pos[0], prog, &o);
	if (ret)
		return ret;
	ret = xdpmeta_debugfs_table_read("features", &t, &text, path, sizeof(path));
	if (ret)
		return ret;
	if (xdpmeta_need_cols(&t, path, xdpmeta_check_cols)) {
		ret = CLI_EXIT_ERR;
		goto out;
	}
	for (row = 0; row < t.nrows; row++) {
		uint64_t ns;

		if (!strcmp(xdpmeta_table_get(&t, row, "name"), pos[1]) &&
		    (!netns || (cli_parse_u64(xdpmeta_table_get(&t, row, "netns"), &ns) &&
				ns == want)))
			n++;
	}
	if (!n) {
		ret = cli_fail("check", pos[0],
			       "%s is not a device xdpmeta hooked%s%s (it hooks veth and virtio_net devices: see xdpmeta dev)",
			       pos[1], netns ? " in netns " : "", netns ? netns : "");
		goto out;
	}
	row = xdpmeta_find_dev(cmd, &t, path, pos[1], netns, "check", pos[0], &ret);
	if (row < 0)
		goto out;
	ret = 0;

	memset(&in, 0, sizeof(in));
	in.prog = o.kname;
	in.dev = pos[1];
	driver = xdpmeta_table_get(&t, row, "driver");
	dev_netns = xdpmeta_table_get(&t, row, "netns");
	in.veth = !strcmp(driver, "veth");
	in.basic = xdpmeta_check_flag(&t, row, "basic");
	in.redirect = xdpmeta_check_flag(&t, row, "redirect");
	in.rx_sg = xdpmeta_check_flag(&t, row, "rx_sg");
	in.hint_hash = xdpmeta_check_flag(&t, row, "hint_hash");
	in.hint_vlan = xdpmeta_check_flag(&t, row, "hint_vlan");
	in.hint_timestamp = xdpmeta_check_flag(&t, row, "hint_timestamp");
	in.hint_hash_off = xdpmeta_check_flag(&t, row, "hint_hash_off");
	in.store = xdpmeta_check_flag(&t, row, "store");
	in.mb_strict = !strcmp(xdpmeta_table_get(&t, row, "mb_mode"), "strict");
	in.frags = o.frags;
	in.declared = o.declared;
	in.decl = o.decl;
	in.calls = o.calls;
	if (xdpmeta_req_applies(&in, XDPMETA_REQ_TARGET)) {
		ret = xdpmeta_check_target(&t, dev_netns, pos[0], &in);
		if (ret)
			goto out;
	}

	first = xdpmeta_req_eval(&in, &first_msg);
	if (cli_json)
		ret = xdpmeta_check_json(pos[0], &o, &in, dev_netns, driver, first,
					 &first_msg);
	else
		xdpmeta_check_text(&o, &in, dev_netns, driver, first, &first_msg);
	/* an error printing JSON is the check's failure, not a verdict */
	if (!ret)
		ret = first < 0 ? CLI_EXIT_OK : CLI_EXIT_REFUSED;
out:
	xdpmeta_table_free(&t);
	free(text);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * features.c - `xdpmeta dev features [DEV] [--netns N]`: what each
 * hooked device can do with XDP, from <debugfs>/features (see
 * kmod/features.c).
 *
 * The file is a column-header table like devices: netns ifindex name driver
 * xdp_features (the kernel's NETDEV_XDP_ACT_* bits, in hex) basic redirect
 * ndo_xmit rx_sg ndo_xmit_sg xsk_zerocopy (those bits as 0/1)
 * max_mtu_plain mtu hint_hash hint_vlan hint_timestamp store mb_mode
 * prog_id prog_frags hint_hash_off (the driver has the hash hint, but it
 * is switched off: virtio_net's has no value without rxhash). max_mtu_plain is the largest MTU at which a program
 * that is not frags-aware can be attached; for a veth it applies to the
 * peer's MTU, and mtu is then the peer's (0 without a peer).
 *
 * Columns are found by name: one the module lacks shows as -, one this
 * version does not know is kept in the JSON output. The text names the
 * program; the file has no prog_name column, so it comes from the devices
 * file when that has one (and is left out when not).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"

/* Columns that hold text even when every value looks like a number. */
static const char *const xdpmeta_feat_text_cols[] = {
	"name", "driver", "xdp_features", "mb_mode", "prog_name",
	"xdp_features_from", "derived_xdp_features", "hints_from", NULL
};

/* The NETDEV_XDP_ACT_* masks, in hex: JSON integers. */
static const char *const xdpmeta_feat_hex_cols[] = {
	"xdp_features", "derived_xdp_features", NULL
};

/* The 0/1 columns: JSON booleans. */
static const char *const xdpmeta_feat_flag_cols[] = {
	"basic", "redirect", "ndo_xmit", "rx_sg", "ndo_xmit_sg",
	"xsk_zerocopy", "hint_hash", "hint_vlan", "hint_timestamp", "store",
	"prog_frags", "hint_hash_off", NULL
};

/* Labels are padded to this width: the values line up after them. */
#define FEAT_LABEL_W	19

static const char *xdpmeta_feat_cell(const struct xdpmeta_table *t, int row,
				     const char *col)
{
	const char *s = xdpmeta_table_get(t, row, col);

	return s ? s : "-";
}

/* 1, 0, or -1 when the module lacks the column or it holds something else. */
static int xdpmeta_feat_flag(const struct xdpmeta_table *t, int row,
			     const char *col)
{
	const char *s = xdpmeta_table_get(t, row, col);

	if (!s)
		return -1;
	if (!strcmp(s, "1"))
		return 1;
	if (!strcmp(s, "0"))
		return 0;
	return -1;
}

static const char *xdpmeta_feat_yn(int flag)
{
	return flag > 0 ? "yes" : flag == 0 ? "no" : "-";
}

static void xdpmeta_feat_vline(const char *label, const char *fmt, va_list ap)
{
	printf("  %-*s", FEAT_LABEL_W, label);
	vprintf(fmt, ap);
	putchar('\n');
}

/* "  LABEL:            text" */
static void xdpmeta_feat_line(const char *label, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void xdpmeta_feat_line(const char *label, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xdpmeta_feat_vline(label, fmt, ap);
	va_end(ap);
}

/* A further line of the value above: what a "no" means. */
static void xdpmeta_feat_more(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void xdpmeta_feat_more(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xdpmeta_feat_vline("", fmt, ap);
	va_end(ap);
}

/* A hex number as the kernel's %#x prints it: "0x3f", or "0". */
static bool xdpmeta_feat_parse_hex(const char *s, uint64_t *val)
{
	unsigned long long v;
	char *end;

	if (!strcmp(s, "0")) {
		*val = 0;
		return true;
	}
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') ||
	    !strchr("0123456789abcdefABCDEF", s[2]) || !s[2])
		return false;
	errno = 0;
	v = strtoull(s + 2, &end, 16);
	if (errno || *end)
		return false;
	*val = v;
	return true;
}

/* ---- the program's name ------------------------------------------------- */

struct xdpmeta_feat_progs {
	struct xdpmeta_table t;	/* the devices file, or empty */
	char *text;
};

/* Reads the devices file for the program names, quietly: they are extra. */
static void xdpmeta_feat_progs_load(struct xdpmeta_feat_progs *p)
{
	char path[4096], err[256];

	memset(p, 0, sizeof(*p));
	p->text = xdpmeta_debugfs_read_quiet("devices", path, sizeof(path));
	if (p->text && xdpmeta_table_parse(&p->t, p->text, 1, err,
					   sizeof(err))) {
		free(p->text);
		p->text = NULL;
	}
}

static void xdpmeta_feat_progs_free(struct xdpmeta_feat_progs *p)
{
	xdpmeta_table_free(&p->t);
	free(p->text);
}

/* The name of the program on row's device, or NULL. */
static const char *xdpmeta_feat_prog_name(const struct xdpmeta_table *t,
					  int row,
					  const struct xdpmeta_feat_progs *p)
{
	const char *netns = xdpmeta_feat_cell(t, row, "netns");
	const char *ifindex = xdpmeta_feat_cell(t, row, "ifindex");
	const char *id = xdpmeta_feat_cell(t, row, "prog_id");
	const char *name = xdpmeta_table_get(t, row, "prog_name");
	int r;

	if (!name) {
		for (r = 0; r < p->t.nrows; r++) {
			const char *s;

			s = xdpmeta_table_get(&p->t, r, "netns");
			if (!s || strcmp(s, netns))
				continue;
			s = xdpmeta_table_get(&p->t, r, "ifindex");
			if (!s || strcmp(s, ifindex))
				continue;
			s = xdpmeta_table_get(&p->t, r, "prog_id");
			/* Another program by now: no name rather than a wrong one. */
			if (!s || strcmp(s, id))
				break;
			name = xdpmeta_table_get(&p->t, r, "prog_name");
			break;
		}
	}
	return name && strcmp(name, "-") ? name : NULL;
}

/* ---- text ---------------------------------------------------------------- */

static void xdpmeta_feat_print_actions(const struct xdpmeta_table *t, int row,
				       bool veth)
{
	static const struct {
		const char *col;
		const char *what;
	} acts[] = {
		{ "basic", "basic (drop, pass, tx)" },
		{ "redirect", "redirect" },
		{ "ndo_xmit", "redirect target (ndo_xmit)" },
	};
	char list[128] = "";
	size_t i;

	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		int f = xdpmeta_feat_flag(t, row, acts[i].col);

		if (!f)
			continue;
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s%s", list[0] ? ", " : "", acts[i].what,
			 f < 0 ? " -" : "");
	}
	xdpmeta_feat_line("XDP actions:", "%s", list[0] ? list : "none");
	if (!xdpmeta_feat_flag(t, row, "basic"))
		xdpmeta_feat_more("basic (drop, pass, tx) no: the driver runs no XDP program natively%s",
				  veth ? " (veth: it needs a peer, with no more TX queues than it has RX queues)" : "");
	if (!xdpmeta_feat_flag(t, row, "redirect"))
		xdpmeta_feat_more("redirect no: its programs cannot use XDP_REDIRECT");
	/* A veth without XDP at all has a peer to fix first: said above. */
	if (!xdpmeta_feat_flag(t, row, "ndo_xmit"))
		xdpmeta_feat_more("redirect target (ndo_xmit) no: the device cannot receive XDP_REDIRECT frames%s",
				  veth && xdpmeta_feat_flag(t, row, "basic") ?
				  " (veth: attach an XDP program to its peer)" : "");
}

static void xdpmeta_feat_print_mtu(const struct xdpmeta_table *t, int row,
				   bool veth)
{
	const char *limit = xdpmeta_feat_cell(t, row, "max_mtu_plain");
	const char *mtu = xdpmeta_feat_cell(t, row, "mtu");
	uint64_t l, m;
	bool over;

	over = cli_parse_u64(limit, &l) && cli_parse_u64(mtu, &m) && m > l;
	if (veth && !strcmp(mtu, "0")) {
		xdpmeta_feat_line("non-frags program:", "up to peer MTU %s (no peer)",
				  limit);
		return;
	}
	xdpmeta_feat_line("non-frags program:", "up to %sMTU %s (now %s%s)",
			  veth ? "peer " : "", limit, mtu,
			  over ? ": only frags-aware programs can be attached" : "");
}

static void xdpmeta_feat_print_dev(const struct xdpmeta_table *t, int row,
				   const struct xdpmeta_feat_progs *p)
{
	const char *driver = xdpmeta_feat_cell(t, row, "driver");
	const char *id = xdpmeta_feat_cell(t, row, "prog_id");
	const char *name;
	bool veth = !strcmp(driver, "veth");
	int rx_sg, xmit_sg, f, frags;

	printf("%s (%s, netns %s, ifindex %s)\n",
	       xdpmeta_feat_cell(t, row, "name"), driver,
	       xdpmeta_feat_cell(t, row, "netns"),
	       xdpmeta_feat_cell(t, row, "ifindex"));

	xdpmeta_feat_print_actions(t, row, veth);
	if (!strcmp(xdpmeta_feat_cell(t, row, "xdp_features_from"), "derived"))
		xdpmeta_feat_more("derived by xdpmeta from the driver and its set-up: this kernel keeps no xdp_features (6.3+)");

	rx_sg = xdpmeta_feat_flag(t, row, "rx_sg");
	xmit_sg = xdpmeta_feat_flag(t, row, "ndo_xmit_sg");
	xdpmeta_feat_line("multi-buffer:", "rx %s, as redirect target %s",
			  xdpmeta_feat_yn(rx_sg), xdpmeta_feat_yn(xmit_sg));
	if (!rx_sg)
		xdpmeta_feat_more("rx no: the driver cannot build multi-buffer frames, even for a frags-aware program");
	/* Without ndo_xmit nothing is redirected into it: said above. */
	if (!xmit_sg && xdpmeta_feat_flag(t, row, "ndo_xmit") > 0)
		xdpmeta_feat_more("as redirect target no: multi-buffer frames redirected into it are dropped");

	f = xdpmeta_feat_flag(t, row, "xsk_zerocopy");
	xdpmeta_feat_line("AF_XDP zero-copy:", "%s%s", xdpmeta_feat_yn(f),
			  f ? "" : ": AF_XDP sockets on it work in copy mode");

	xdpmeta_feat_print_mtu(t, row, veth);

	xdpmeta_feat_line("RX hints:", "hash %s, vlan %s, timestamp %s",
			  xdpmeta_feat_yn(xdpmeta_feat_flag(t, row, "hint_hash")),
			  xdpmeta_feat_yn(xdpmeta_feat_flag(t, row, "hint_vlan")),
			  xdpmeta_feat_yn(xdpmeta_feat_flag(t, row,
							    "hint_timestamp")));
	if (!strcmp(xdpmeta_feat_cell(t, row, "hints_from"), "none"))
		xdpmeta_feat_more("no: this kernel has no RX hint ops (xdp_metadata_ops, 6.3+): bpf_xdpmeta_import_hints returns -EOPNOTSUPP");
	else if (!xdpmeta_feat_flag(t, row, "hint_hash") ||
		 !xdpmeta_feat_flag(t, row, "hint_vlan") ||
		 !xdpmeta_feat_flag(t, row, "hint_timestamp"))
		xdpmeta_feat_more("no: programs cannot read that hint (bpf_xdp_metadata_rx_* returns -EOPNOTSUPP)");
	if (xdpmeta_feat_flag(t, row, "hint_hash_off") > 0)
		xdpmeta_feat_more("hash no: the driver has it, switched off (ethtool -K %s rxhash on)",
				  xdpmeta_feat_cell(t, row, "name"));

	f = xdpmeta_feat_flag(t, row, "store");
	xdpmeta_feat_line("xdpmeta store:", "%s%s", xdpmeta_feat_yn(f),
			  f ? "" : ": its frames carry no xdpmeta store");
	xdpmeta_feat_line("mb mode:", "%s", xdpmeta_feat_cell(t, row, "mb_mode"));

	if (!strcmp(id, "0")) {
		xdpmeta_feat_line("program:", "none");
		return;
	}
	name = xdpmeta_feat_prog_name(t, row, p);
	frags = xdpmeta_feat_flag(t, row, "prog_frags");
	xdpmeta_feat_line("program:", "%s%s%s%s", id, name ? " " : "",
			  name ? name : "",
			  frags > 0 ? " (frags-aware)" :
			  frags == 0 ? " (not frags-aware)" : "");
}

static int xdpmeta_feat_print_text(const struct xdpmeta_table *t,
				   const bool *keep, const char *netns)
{
	struct xdpmeta_feat_progs p;
	int row, n = 0;

	memset(&p, 0, sizeof(p));
	if (xdpmeta_table_col(t, "prog_name") < 0)
		xdpmeta_feat_progs_load(&p);
	for (row = 0; row < t->nrows; row++) {
		if (!keep[row])
			continue;
		if (n++)
			putchar('\n');
		xdpmeta_feat_print_dev(t, row, &p);
	}
	if (!n && netns)
		printf("no hooked devices in netns %s\n", netns);
	else if (!n)
		printf("no hooked devices\n");
	xdpmeta_feat_progs_free(&p);
	return CLI_EXIT_OK;
}

/* ---- JSON ---------------------------------------------------------------- */

/* True when every cell of col is "0" or "1" (and there is such a column). */
static bool xdpmeta_feat_col_is_flag(const struct xdpmeta_table *t, int col)
{
	int row;

	if (col < 0)
		return false;
	for (row = 0; row < t->nrows; row++) {
		const char *s = t->cells[(size_t)row * t->ncols + col];

		if (strcmp(s, "0") && strcmp(s, "1"))
			return false;
	}
	return true;
}

static bool xdpmeta_feat_col_is_hex(const struct xdpmeta_table *t, int col)
{
	uint64_t v;
	int row;

	if (col < 0)
		return false;
	for (row = 0; row < t->nrows; row++)
		if (!xdpmeta_feat_parse_hex(t->cells[(size_t)row * t->ncols +
						     col], &v))
			return false;
	return true;
}

/* Sets key of every object in arr (one per row) to make(cell). */
static int xdpmeta_feat_json_retype(struct json_object *arr,
				    const struct xdpmeta_table *t, int col)
{
	int row;

	for (row = 0; row < t->nrows; row++) {
		const char *s = t->cells[(size_t)row * t->ncols + col];
		struct json_object *obj = json_object_array_get_idx(arr, row);
		struct json_object *val;
		uint64_t v = 0;

		if (!strcmp(t->cols[col], "xdp_features") ||
		    !strcmp(t->cols[col], "derived_xdp_features")) {
			xdpmeta_feat_parse_hex(s, &v);
			val = json_object_new_int64((int64_t)v);
		} else {
			val = json_object_new_boolean(!strcmp(s, "1"));
		}
		if (!obj || !val ||
		    json_object_object_add(obj, t->cols[col], val)) {
			json_object_put(val);
			return -1;
		}
	}
	return 0;
}

/*
 * The table as the array xdpmeta_table_json() makes, with the flag columns
 * as booleans and xdp_features as an integer (when every row's value is
 * one; else as the module wrote it).
 */
static struct json_object *xdpmeta_feat_json(const struct xdpmeta_table *t)
{
	const char *const *c;
	struct json_object *arr;
	int col;

	arr = xdpmeta_table_json(t, xdpmeta_feat_text_cols);
	if (!arr)
		return NULL;
	for (c = xdpmeta_feat_flag_cols; *c; c++) {
		col = xdpmeta_table_col(t, *c);
		if (xdpmeta_feat_col_is_flag(t, col) &&
		    xdpmeta_feat_json_retype(arr, t, col))
			goto fail;
	}
	for (c = xdpmeta_feat_hex_cols; *c; c++) {
		col = xdpmeta_table_col(t, *c);
		if (xdpmeta_feat_col_is_hex(t, col) &&
		    xdpmeta_feat_json_retype(arr, t, col))
			goto fail;
	}
	return arr;

fail:
	json_object_put(arr);
	return NULL;
}

/* An array of the kept rows' objects, or the one object of row one. */
static int xdpmeta_feat_print_json(const struct xdpmeta_table *t,
				   const bool *keep, int one)
{
	struct json_object *all, *out;
	int row;

	all = xdpmeta_feat_json(t);
	if (!all)
		return cli_print_json(NULL);
	if (one >= 0) {
		out = json_object_get(json_object_array_get_idx(all, one));
		json_object_put(all);
		return cli_print_json(out);
	}
	out = json_object_new_array();
	for (row = 0; out && row < t->nrows; row++) {
		struct json_object *obj;

		if (!keep[row])
			continue;
		obj = json_object_get(json_object_array_get_idx(all, row));
		if (json_object_array_add(out, obj)) {
			json_object_put(obj);
			json_object_put(out);
			out = NULL;
		}
	}
	json_object_put(all);
	return cli_print_json(out);
}

/* ---- dev features --------------------------------------------------------- */

static const char *const xdpmeta_feat_netns_col[] = { "netns", NULL };

int xdpmeta_cmd_dev_features(const struct cli_cmd *cmd, int argc,
			     char **argv)
{
	const char *netns = NULL;
	const struct cli_opt opts[] = { { "--netns", &netns, NULL }, {} };
	struct xdpmeta_table t;
	char path[4096];
	char *pos[1] = { NULL };
	int ret, row, one = -1;
	uint64_t want = 0, ns;
	bool *keep;
	char *text;

	ret = cli_parse_args(cmd, argc, argv, opts, pos, 0, 1);
	if (ret >= 0)
		return ret;
	if (netns && !cli_parse_u64(netns, &want))
		return cli_usage_error(cmd,
				       "--netns needs a namespace inode number, not '%s'",
				       netns);

	ret = xdpmeta_debugfs_table_read("features", &t, &text, path,
					 sizeof(path));
	if (ret)
		return ret;
	keep = calloc(t.nrows ? t.nrows : 1, sizeof(*keep));
	if (!keep) {
		ret = cli_fail("print", "features", "out of memory");
		goto out;
	}
	if (pos[0]) {
		one = xdpmeta_find_dev(cmd, &t, path, pos[0], netns,
				       "show features of", pos[0], &ret);
		if (one < 0)
			goto out;
		keep[one] = true;
	} else if (netns) {
		if (xdpmeta_need_cols(&t, path, xdpmeta_feat_netns_col)) {
			ret = CLI_EXIT_ERR;
			goto out;
		}
		for (row = 0; row < t.nrows; row++)
			keep[row] = cli_parse_u64(xdpmeta_table_get(&t, row,
								    "netns"),
						  &ns) && ns == want;
	} else {
		for (row = 0; row < t.nrows; row++)
			keep[row] = true;
	}

	if (cli_json)
		ret = xdpmeta_feat_print_json(&t, keep, one);
	else
		ret = xdpmeta_feat_print_text(&t, keep, netns);
out:
	free(keep);
	xdpmeta_table_free(&t);
	free(text);
	return ret;
}

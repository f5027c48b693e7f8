// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c - `xdpmeta dev [show]`: the devices the module has hooked, from
 * <debugfs>/devices (see xdpmeta_hook_devices_show() in kmod/hook.c); and
 * what the other commands share about that file and the like: reading a
 * table, required columns, finding a device by name (`dev features` is in
 * features.c).
 *
 * Columns are found by name; a column this version does not know is kept
 * in the JSON output, a column it expects but the module lacks shows as -.
 *
 * The MB column is the device's multi-buffer redirect policy (mb_policy),
 * with a * when peer_plain is 1: the veth's peer runs a program that is not
 * frags-aware, so in mb mode compat the redirect shim applies the policy to
 * multi-buffer frames sent into it (see mb.c).
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"

/* Columns that hold text even when every value looks like a number. */
static const char *const xdpmeta_dev_text_cols[] = {
	"name", "driver", "prog_name", "mb_policy", NULL
};

enum {
	DEV_NETNS, DEV_IFINDEX, DEV_NAME, DEV_DRIVER, DEV_MTU, DEV_PROG,
	DEV_MB, DEV_ATTACH, DEV_DETACH, DEV_REFUSED, DEV_XMIT_FRAMES,
	DEV_XMIT_ERRORS, DEV_SKB_HINTS, DEV_NCOLS
};

static const char *xdpmeta_dev_titles[DEV_NCOLS] = {
	"NETNS", "IFINDEX", "NAME", "DRIVER", "MTU", "PROG", "MB",
	"ATTACH", "DETACH", "REFUSED", "XMIT_FRAMES", "XMIT_ERRORS",
	"SKB_HINTS",
};

/* The source column of each grid column (DEV_PROG and DEV_MB are built). */
static const char *xdpmeta_dev_src[DEV_NCOLS] = {
	"netns", "ifindex", "name", "driver", "mtu", NULL, NULL,
	"attach", "detach", "refused", "xmit_frames", "xmit_errors",
	"skb_hints",	/* skbs that got hints applied (absent: older module) */
};

static const char *xdpmeta_dev_cell(const struct xdpmeta_table *t, int row,
				    const char *col)
{
	const char *s = xdpmeta_table_get(t, row, col);

	return s ? s : "-";
}

/* "17 xdp_prog frags", or "-" without a program. */
static int xdpmeta_dev_set_prog(struct cli_grid *g,
				const struct xdpmeta_table *t, int row)
{
	const char *id = xdpmeta_dev_cell(t, row, "prog_id");
	const char *name = xdpmeta_dev_cell(t, row, "prog_name");
	const char *frags = xdpmeta_dev_cell(t, row, "prog_frags");
	bool has_frags = strcmp(frags, "-") && strcmp(frags, "0");

	if (!strcmp(id, "0") || !strcmp(id, "-"))
		return cli_grid_set(g, DEV_PROG, "-");
	return cli_grid_set(g, DEV_PROG, "%s%s%s%s", id,
			    strcmp(name, "-") ? " " : "",
			    strcmp(name, "-") ? name : "",
			    has_frags ? " frags" : "");
}

static bool xdpmeta_dev_peer_plain(const struct xdpmeta_table *t, int row)
{
	const char *s = xdpmeta_table_get(t, row, "peer_plain");

	return s && !strcmp(s, "1");
}

/* "linearize", "drop*" (the shim is active), or "-" for an older module. */
static int xdpmeta_dev_set_mb(struct cli_grid *g,
			      const struct xdpmeta_table *t, int row)
{
	return cli_grid_set(g, DEV_MB, "%s%s",
			    xdpmeta_dev_cell(t, row, "mb_policy"),
			    xdpmeta_dev_peer_plain(t, row) ? "*" : "");
}

static int xdpmeta_dev_print_text(const struct xdpmeta_table *t)
{
	struct cli_grid g;
	bool star = false;
	int row, col;

	if (!t->nrows) {
		printf("no hooked devices\n");
		return CLI_EXIT_OK;
	}
	if (cli_grid_init(&g, DEV_NCOLS, xdpmeta_dev_titles))
		goto nomem;
	for (col = 0; col < DEV_NCOLS; col++)
		g.right[col] = col != DEV_NAME && col != DEV_DRIVER &&
			       col != DEV_PROG && col != DEV_MB;
	for (row = 0; row < t->nrows; row++) {
		if (cli_grid_add_row(&g))
			goto nomem_grid;
		for (col = 0; col < DEV_NCOLS; col++) {
			int err;

			if (col == DEV_PROG)
				err = xdpmeta_dev_set_prog(&g, t, row);
			else if (col == DEV_MB)
				err = xdpmeta_dev_set_mb(&g, t, row);
			else
				err = cli_grid_set(&g, col, "%s",
						   xdpmeta_dev_cell(t, row,
							xdpmeta_dev_src[col]));
			if (err)
				goto nomem_grid;
		}
		star |= xdpmeta_dev_peer_plain(t, row);
	}
	cli_grid_print(&g, stdout);
	cli_grid_free(&g);
	if (star)
		printf("*: the peer runs a program that is not frags-aware: in mb mode compat,\n"
		       "   multi-buffer frames sent into the device get the MB policy\n");
	return CLI_EXIT_OK;

nomem_grid:
	cli_grid_free(&g);
nomem:
	return cli_fail("print", "devices", "out of memory");
}

int xdpmeta_debugfs_table_read(const char *name, struct xdpmeta_table *t,
			       char **text, char *path, size_t path_len)
{
	char err[256];

	*text = xdpmeta_debugfs_read(name, path, path_len);
	if (!*text)
		return CLI_EXIT_ERR;
	if (xdpmeta_table_parse(t, *text, 1, err, sizeof(err))) {
		free(*text);
		*text = NULL;
		return cli_fail("parse", path,
				"%s (xdpmeta.ko and this xdpmeta do not match: rebuild both)",
				err);
	}
	return 0;
}

int xdpmeta_devices_read(struct xdpmeta_table *t, char **text, char *path,
			 size_t path_len)
{
	return xdpmeta_debugfs_table_read("devices", t, text, path, path_len);
}

int xdpmeta_need_cols(const struct xdpmeta_table *t, const char *path,
		      const char *const *cols)
{
	for (; *cols; cols++)
		if (xdpmeta_table_col(t, *cols) < 0)
			return cli_fail("parse", path,
					"no column '%s' (xdpmeta.ko and this xdpmeta do not match: rebuild both)",
					*cols);
	return 0;
}

static const char *const xdpmeta_find_dev_cols[] = {
	"name", "netns", "ifindex", NULL
};

int xdpmeta_find_dev(const struct cli_cmd *cmd, const struct xdpmeta_table *t,
		     const char *path, const char *dev, const char *netns,
		     const char *verb, const char *what, int *status)
{
	char list[256] = "";
	int row, found = -1, n = 0;
	uint64_t want = 0, ns;

	*status = CLI_EXIT_ERR;
	if (xdpmeta_need_cols(t, path, xdpmeta_find_dev_cols))
		return -1;
	if (netns)
		cli_parse_u64(netns, &want);	/* checked by the caller */
	for (row = 0; row < t->nrows; row++) {
		const char *s = xdpmeta_table_get(t, row, "netns");

		if (strcmp(xdpmeta_table_get(t, row, "name"), dev))
			continue;
		if (netns && (!cli_parse_u64(s, &ns) || ns != want))
			continue;
		if (strlen(list) + strlen(s) + 3 < sizeof(list)) {
			if (n)
				strcat(list, ", ");
			strcat(list, s);
		}
		found = row;
		n++;
	}
	if (n == 1)
		return found;
	if (n == 0) {
		if (netns)
			cli_fail(verb, what, "no such hooked device in netns %s",
				 netns);
		else
			cli_fail(verb, what, "no such hooked device");
		return -1;
	}
	*status = cli_usage_error(cmd,
				  "%s is hooked in several network namespaces (%s): choose one with --netns N",
				  dev, list);
	return -1;
}

int xdpmeta_cmd_dev(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct xdpmeta_table t;
	char path[4096];
	char *text;
	int ret;

	ret = cli_parse_args(cmd, argc, argv, NULL, NULL, 0, 0);
	if (ret >= 0)
		return ret;

	ret = xdpmeta_devices_read(&t, &text, path, sizeof(path));
	if (ret)
		return ret;
	if (cli_json)
		ret = cli_print_json(xdpmeta_table_json(&t,
						xdpmeta_dev_text_cols));
	else
		ret = xdpmeta_dev_print_text(&t);
	xdpmeta_table_free(&t);
	free(text);
	return ret;
}

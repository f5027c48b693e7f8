// SPDX-License-Identifier: GPL-2.0
/*
 * mb.c - `xdpmeta mb [show]|mode|policy`: how the module treats
 * multi-buffer (frags) frames.
 *
 * The mode is the module parameter mb_mode:
 *   strict  attaching an XDP program that is not frags-aware to a hooked
 *           device fails; setting strict fails with EBUSY while such
 *           programs are attached (the "blockers": prog_id != 0 and
 *           prog_frags == 0 in <debugfs>/devices);
 *   compat  a shim around veth's ndo_xdp_xmit applies the device's policy
 *           to multi-buffer frames redirected into a veth whose peer runs
 *           a program that is not frags-aware (peer_plain = 1);
 *   off     stock kernel behaviour.
 * A policy is linearize, drop or pass. The parameter mb_policy is the
 * default for new devices; a line "NETNS IFINDEX POLICY" written to
 * <debugfs>/mb_policy sets one device's. The devices file shows each
 * device's mb_policy, peer_plain and the counters mb_linearized,
 * mb_dropped and mb_passed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"
#include "parse.h"

/* The words are kmod/parse.c's: the module parses them with the same file. */

#define XDPMETA_MB_REFUSED \
	"xdpmeta.ko refused it (xdpmeta.ko and this xdpmeta do not match: rebuild both)"

static bool xdpmeta_mb_in(const char *s, const char *const *names)
{
	return xdpmeta_parse_word(names, s, strlen(s)) >= 0;
}

/* ---- blockers ---------------------------------------------------------- */

static const char *const xdpmeta_mb_blocker_cols[] = {
	"prog_id", "prog_frags", "name", "netns", NULL
};

/*
 * The devices that keep strict from being set: a program is attached
 * (prog_id != 0) and it is not frags-aware (prog_frags == 0). Sets
 * keep[row]; returns their count, or -1 after a message.
 */
static int xdpmeta_mb_blockers(const struct xdpmeta_table *t,
			       const char *path, bool *keep)
{
	int row, n = 0;

	if (xdpmeta_need_cols(t, path, xdpmeta_mb_blocker_cols))
		return -1;
	for (row = 0; row < t->nrows; row++) {
		keep[row] = strcmp(xdpmeta_table_get(t, row, "prog_id"), "0") &&
			    !strcmp(xdpmeta_table_get(t, row, "prog_frags"),
				    "0");
		n += keep[row];
	}
	return n;
}

/* "  prog ID NAME on DEV (netns N)" per blocker. */
static void xdpmeta_mb_print_blockers(FILE *f, const struct xdpmeta_table *t,
				      const bool *keep)
{
	int row;

	for (row = 0; row < t->nrows; row++) {
		const char *name = xdpmeta_table_get(t, row, "prog_name");

		if (!keep[row])
			continue;
		fprintf(f, "  prog %s %s on %s (netns %s)\n",
			xdpmeta_table_get(t, row, "prog_id"), name ? name : "-",
			xdpmeta_table_get(t, row, "name"),
			xdpmeta_table_get(t, row, "netns"));
	}
}

/* ---- mb show ------------------------------------------------------------ */

static const char *const xdpmeta_mb_dev_cols[] = {
	"name", "netns", "ifindex", "driver", "mb_policy", "peer_plain",
	"mb_linearized", "mb_dropped", "mb_passed", NULL
};

static const char *xdpmeta_mb_dev_titles[] = {
	"NAME", "NETNS", "IFINDEX", "DRIVER", "POLICY", "PEER_PLAIN",
	"LINEARIZED", "DROPPED", "PASSED",
};

#define MB_NCOLS	((int)(sizeof(xdpmeta_mb_dev_titles) / \
			       sizeof(xdpmeta_mb_dev_titles[0])))

static const char *const xdpmeta_mb_text_cols[] = {
	"name", "driver", "mb_policy", "prog_name", "dev", NULL
};

static int xdpmeta_mb_print_devices(const struct xdpmeta_table *t)
{
	struct cli_grid g;
	int row, col;

	if (!t->nrows) {
		printf("no hooked devices\n");
		return CLI_EXIT_OK;
	}
	if (cli_grid_init(&g, MB_NCOLS, xdpmeta_mb_dev_titles))
		goto nomem;
	for (col = 0; col < MB_NCOLS; col++)
		g.right[col] = col != 0 && col != 3 && col != 4;
	for (row = 0; row < t->nrows; row++) {
		if (cli_grid_add_row(&g))
			goto nomem_grid;
		for (col = 0; col < MB_NCOLS; col++) {
			const char *s = xdpmeta_table_get(t, row,
						xdpmeta_mb_dev_cols[col]);

			if (cli_grid_set(&g, col, "%s", s ? s : "-"))
				goto nomem_grid;
		}
	}
	cli_grid_print(&g, stdout);
	cli_grid_free(&g);
	return CLI_EXIT_OK;

nomem_grid:
	cli_grid_free(&g);
nomem:
	return cli_fail("print", "devices", "out of memory");
}

static int xdpmeta_mb_print_text(const char *mode, const char *policy,
				 const struct xdpmeta_table *t,
				 const bool *keep, int nblockers)
{
	int ret;

	printf("mode            %s\n"
	       "default policy  %s\n"
	       "\n", mode, policy);
	ret = xdpmeta_mb_print_devices(t);
	if (ret)
		return ret;
	printf("\n");
	if (!nblockers) {
		printf("no blockers: strict can be set\n");
		return CLI_EXIT_OK;
	}
	printf("strict would be refused by:\n");
	xdpmeta_mb_print_blockers(stdout, t, keep);
	return CLI_EXIT_OK;
}

static int xdpmeta_mb_print_json(const char *mode, const char *policy,
				 const struct xdpmeta_table *t,
				 const bool *keep)
{
	static const char *const blocker_names[] = {
		"prog_id", "prog_name", "dev", "netns", NULL
	};
	static const char *const blocker_src[] = {
		"prog_id", "prog_name", "name", "netns", NULL
	};
	struct json_object *obj, *devs = NULL, *blockers = NULL;
	struct xdpmeta_table v;

	obj = json_object_new_object();
	if (!obj)
		return cli_print_json(NULL);
	if (!xdpmeta_table_select(&v, t, xdpmeta_mb_dev_cols, NULL, NULL)) {
		devs = xdpmeta_table_json(&v, xdpmeta_mb_text_cols);
		xdpmeta_table_free(&v);
	}
	if (!xdpmeta_table_select(&v, t, blocker_src, blocker_names, keep)) {
		blockers = xdpmeta_table_json(&v, xdpmeta_mb_text_cols);
		xdpmeta_table_free(&v);
	}
	if (!devs || !blockers) {
		json_object_put(devs);
		json_object_put(blockers);
		json_object_put(obj);
		return cli_print_json(NULL);
	}
	json_object_object_add(obj, "mode", json_object_new_string(mode));
	json_object_object_add(obj, "default_policy",
			       json_object_new_string(policy));
	json_object_object_add(obj, "devices", devs);
	json_object_object_add(obj, "blockers", blockers);
	return cli_print_json(obj);
}

int xdpmeta_cmd_mb_show(const struct cli_cmd *cmd, int argc, char **argv)
{
	char mode[64], policy[64], path[4096];
	struct xdpmeta_table t;
	bool *keep;
	char *text;
	int ret, n;

	ret = cli_parse_args(cmd, argc, argv, NULL, NULL, 0, 0);
	if (ret >= 0)
		return ret;
	if (xdpmeta_param_read("mb_mode", mode, sizeof(mode)) ||
	    xdpmeta_param_read("mb_policy", policy, sizeof(policy)))
		return CLI_EXIT_ERR;
	ret = xdpmeta_devices_read(&t, &text, path, sizeof(path));
	if (ret)
		return ret;

	keep = calloc(t.nrows ? t.nrows : 1, sizeof(*keep));
	if (!keep) {
		ret = cli_fail("print", "mb", "out of memory");
		goto out;
	}
	n = xdpmeta_mb_blockers(&t, path, keep);
	if (n < 0)
		ret = CLI_EXIT_ERR;
	else if (cli_json)
		ret = xdpmeta_mb_print_json(mode, policy, &t, keep);
	else
		ret = xdpmeta_mb_print_text(mode, policy, &t, keep, n);
out:
	free(keep);
	xdpmeta_table_free(&t);
	free(text);
	return ret;
}

/* ---- mb mode -------------------------------------------------------------- */

/* Setting strict failed with EBUSY: say which programs are in the way. */
static int xdpmeta_mb_busy(const char *what)
{
	struct xdpmeta_table t;
	char path[4096];
	bool *keep;
	char *text;
	int n;

	cli_fail("set", what,
		 "programs that are not frags-aware are attached (detach them, or load them with SEC(\"xdp.frags\") / BPF_F_XDP_HAS_FRAGS):");
	if (xdpmeta_devices_read(&t, &text, path, sizeof(path)))
		return CLI_EXIT_ERR;
	keep = calloc(t.nrows ? t.nrows : 1, sizeof(*keep));
	if (!keep)
		n = -1;
	else
		n = xdpmeta_mb_blockers(&t, path, keep);
	if (n == 0)
		fprintf(stderr, "  (none left in %s: try again)\n", path);
	else if (n > 0)
		xdpmeta_mb_print_blockers(stderr, &t, keep);
	free(keep);
	xdpmeta_table_free(&t);
	free(text);
	return CLI_EXIT_ERR;
}

int xdpmeta_cmd_mb_mode(const struct cli_cmd *cmd, int argc, char **argv)
{
	char what[64];
	char *pos[1];
	int ret, err;

	ret = cli_parse_args(cmd, argc, argv, NULL, pos, 1, 1);
	if (ret >= 0)
		return ret;
	if (!xdpmeta_mb_in(pos[0], xdpmeta_mb_mode_names))
		return cli_usage_error(cmd,
				       "MODE must be strict, compat or off, not '%s'",
				       pos[0]);
	snprintf(what, sizeof(what), "mb mode %s", pos[0]);

	err = xdpmeta_param_write("mb_mode", pos[0]);
	if (err == EBUSY && !strcmp(pos[0], "strict"))
		return xdpmeta_mb_busy(what);
	if (err == EINVAL)
		return cli_fail("set", what, XDPMETA_MB_REFUSED);
	if (err)
		return xdpmeta_param_fail("set", what, "mb_mode", err);

	if (cli_json) {
		struct json_object *obj = json_object_new_object();

		if (obj)
			json_object_object_add(obj, "mode",
					       json_object_new_string(pos[0]));
		return cli_print_json(obj);
	}
	printf("mb mode %s\n", pos[0]);
	return CLI_EXIT_OK;
}

/* ---- mb policy ------------------------------------------------------------ */

static int xdpmeta_mb_policy_default(const char *policy, const char *what)
{
	int err;

	err = xdpmeta_param_write("mb_policy", policy);
	if (err == EINVAL)
		return cli_fail("set", what, XDPMETA_MB_REFUSED);
	if (err)
		return xdpmeta_param_fail("set", what, "mb_policy", err);
	if (cli_json) {
		struct json_object *obj = json_object_new_object();

		if (obj)
			json_object_object_add(obj, "default_policy",
					       json_object_new_string(policy));
		return cli_print_json(obj);
	}
	printf("default: mb policy %s\n", policy);
	return CLI_EXIT_OK;
}

static int xdpmeta_mb_policy_dev(const struct cli_cmd *cmd, const char *dev,
				 const char *netns, const char *policy,
				 const char *what)
{
	char path[4096], wpath[4096], line[128];
	uint64_t ns, ifindex;
	struct xdpmeta_table t;
	char *text;
	int ret, row, err;

	ret = xdpmeta_devices_read(&t, &text, path, sizeof(path));
	if (ret)
		return ret;
	row = xdpmeta_find_dev(cmd, &t, path, dev, netns, "set", what, &ret);
	if (row < 0)
		goto out;
	if (!cli_parse_u64(xdpmeta_table_get(&t, row, "netns"), &ns) ||
	    !cli_parse_u64(xdpmeta_table_get(&t, row, "ifindex"), &ifindex)) {
		ret = cli_fail("parse", path,
			       "netns or ifindex of %s is not a number (xdpmeta.ko and this xdpmeta do not match: rebuild both)",
			       dev);
		goto out;
	}
	snprintf(line, sizeof(line), "%llu %llu %s\n", (unsigned long long)ns,
		 (unsigned long long)ifindex, policy);

	err = xdpmeta_debugfs_write("mb_policy", line, wpath, sizeof(wpath));
	switch (err) {
	case 0:
		ret = CLI_EXIT_OK;
		break;
	case -1:
		ret = CLI_EXIT_ERR;
		break;
	case ENODEV:
		ret = cli_fail("set", what, "no such hooked device");
		break;
	case EOPNOTSUPP:
		ret = cli_fail("set", what,
			       "only veth devices have a redirect policy (the shim wraps veth's ndo_xdp_xmit)");
		break;
	case EINVAL:
	case ERANGE:	/* the devices file gave a netns or ifindex out of range */
		ret = cli_fail("set", what, XDPMETA_MB_REFUSED);
		break;
	case EACCES:
	case EPERM:
		ret = cli_fail("set", what, "permission denied (run as root)");
		break;
	default:
		ret = cli_fail("set", what, "%s: %s", wpath, strerror(err));
	}
	if (ret)
		goto out;

	if (cli_json) {
		struct json_object *obj = json_object_new_object();

		if (obj) {
			json_object_object_add(obj, "dev",
					       json_object_new_string(dev));
			json_object_object_add(obj, "netns",
					       json_object_new_uint64(ns));
			json_object_object_add(obj, "ifindex",
					       json_object_new_uint64(ifindex));
			json_object_object_add(obj, "mb_policy",
					       json_object_new_string(policy));
		}
		ret = cli_print_json(obj);
	} else {
		printf("%s: mb policy %s\n", dev, policy);
	}
out:
	xdpmeta_table_free(&t);
	free(text);
	return ret;
}

int xdpmeta_cmd_mb_policy(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *netns = NULL;
	const struct cli_opt opts[] = { { "--netns", &netns, NULL }, {} };
	char what[128];
	char *pos[2];
	uint64_t ns;
	int ret;

	ret = cli_parse_args(cmd, argc, argv, opts, pos, 2, 2);
	if (ret >= 0)
		return ret;
	if (!xdpmeta_mb_in(pos[1], xdpmeta_mb_policy_names))
		return cli_usage_error(cmd,
				       "POLICY must be linearize, drop or pass, not '%s'",
				       pos[1]);
	if (netns && !cli_parse_u64(netns, &ns))
		return cli_usage_error(cmd,
				       "--netns needs a namespace inode number, not '%s'",
				       netns);
	snprintf(what, sizeof(what), "mb policy %s %s", pos[0], pos[1]);

	/* With --netns, "default" is a device's name. */
	if (!strcmp(pos[0], "default") && !netns)
		return xdpmeta_mb_policy_default(pos[1], what);
	return xdpmeta_mb_policy_dev(cmd, pos[0], netns, pos[1], what);
}

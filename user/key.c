// SPDX-License-Identifier: GPL-2.0
/*
 * key.c - `xdpmeta key list|add|del`: the module's key registry.
 *
 * list reads <debugfs>/keys: a line "revision N", then a column-header
 * table (id name size reserved refs comm pid registered_s ...).
 *
 * add and del run the SYSCALL programs of bpf/xdpmeta_ctl.bpf.c (ctl.c)
 * with a struct xdpmeta_key_req as their context.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"

/* Columns that hold text even when every value looks like a number. */
static const char *const xdpmeta_key_text_cols[] = {
	"name", "comm", "registered_s", NULL
};

/* ---- key list ------------------------------------------------------- */

/* Splits "revision N\n" off text; returns the rest, or NULL. */
static char *xdpmeta_key_revision(char *text, uint64_t *rev)
{
	char *nl = strchr(text, '\n');
	char *p = text;

	if (nl)
		*nl = '\0';
	if (strncmp(p, "revision", 8) || !isblank((unsigned char)p[8]))
		return NULL;
	p += 8;
	while (isblank((unsigned char)*p))
		p++;
	nl = nl ? nl + 1 : p + strlen(p);
	/* Trailing blanks are allowed. */
	p[strcspn(p, " \t\r")] = '\0';
	if (!cli_parse_u64(p, rev))
		return NULL;
	return nl;
}

static int xdpmeta_key_print_text(const struct xdpmeta_table *t,
				  uint64_t rev)
{
	const char **titles;
	struct cli_grid g;
	int row, col, ret = CLI_EXIT_ERR;

	printf("revision %llu\n", (unsigned long long)rev);
	if (!t->nrows) {
		printf("no registered keys\n");
		return CLI_EXIT_OK;
	}
	titles = calloc(t->ncols, sizeof(*titles));
	if (!titles || cli_grid_init(&g, t->ncols, titles)) {
		free(titles);
		return cli_fail("print", "keys", "out of memory");
	}
	for (col = 0; col < t->ncols; col++) {
		char *title = strdup(t->cols[col]);
		char *c;

		if (!title)
			goto out;
		for (c = title; *c; c++)
			*c = toupper((unsigned char)*c);
		titles[col] = title;
		g.right[col] = xdpmeta_table_col_is_int(t, col) &&
			       strcmp(t->cols[col], "name") &&
			       strcmp(t->cols[col], "comm");
	}
	for (row = 0; row < t->nrows; row++) {
		if (cli_grid_add_row(&g))
			goto out;
		for (col = 0; col < t->ncols; col++)
			if (cli_grid_set(&g, col, "%s",
					 t->cells[(size_t)row * t->ncols + col]))
				goto out;
	}
	cli_grid_print(&g, stdout);
	ret = CLI_EXIT_OK;
out:
	if (ret)
		cli_fail("print", "keys", "out of memory");
	cli_grid_free(&g);
	for (col = 0; col < t->ncols; col++)
		free((char *)titles[col]);
	free(titles);
	return ret;
}

static int xdpmeta_key_print_json(const struct xdpmeta_table *t,
				  uint64_t rev)
{
	struct json_object *obj, *keys;

	obj = json_object_new_object();
	keys = xdpmeta_table_json(t, xdpmeta_key_text_cols);
	if (!obj || !keys) {
		json_object_put(obj);
		json_object_put(keys);
		return cli_print_json(NULL);
	}
	json_object_object_add(obj, "revision", json_object_new_uint64(rev));
	json_object_object_add(obj, "keys", keys);
	return cli_print_json(obj);
}

int xdpmeta_cmd_key_list(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct xdpmeta_table t;
	char path[4096], err[256];
	char *text, *rest;
	uint64_t rev;
	int ret;

	ret = cli_parse_args(cmd, argc, argv, NULL, NULL, 0, 0);
	if (ret >= 0)
		return ret;

	text = xdpmeta_debugfs_read("keys", path, sizeof(path));
	if (!text)
		return CLI_EXIT_ERR;
	rest = xdpmeta_key_revision(text, &rev);
	if (!rest) {
		free(text);
		return cli_fail("parse", path,
				"line 1 is not 'revision N' (xdpmeta.ko and this xdpmeta do not match: rebuild both)");
	}
	if (xdpmeta_table_parse(&t, rest, 2, err, sizeof(err))) {
		free(text);
		return cli_fail("parse", path,
				"%s (xdpmeta.ko and this xdpmeta do not match: rebuild both)",
				err);
	}
	if (cli_json)
		ret = xdpmeta_key_print_json(&t, rev);
	else
		ret = xdpmeta_key_print_text(&t, rev);
	xdpmeta_table_free(&t);
	free(text);
	return ret;
}

/* ---- key add / del ---------------------------------------------------- */

static bool xdpmeta_key_size_ok(uint64_t size)
{
	return size == 0 || size == 2 || size == 4 || size == 8 || size == 16;
}

/* Fills name and expected_rev of req; returns -1 or a usage error. */
static int xdpmeta_key_req_init(const struct cli_cmd *cmd,
				struct xdpmeta_key_req *req, const char *name,
				const char *rev)
{
	size_t len = strlen(name);

	memset(req, 0, sizeof(*req));
	if (len == 0 || len >= XDPMETA_KEY_NAME_LEN)
		return cli_usage_error(cmd,
				       "NAME must have 1 to %d characters, not %zu",
				       XDPMETA_KEY_NAME_LEN - 1, len);
	memcpy(req->name, name, len);
	if (rev) {
		uint64_t v;	/* __u64 is unsigned long long, uint64_t is not */

		if (!cli_parse_u64(rev, &v))
			return cli_usage_error(cmd,
					       "--rev needs a revision number, not '%s'",
					       rev);
		req->expected_rev = v;
	}
	return -1;
}

/* Runs xdpmeta_key_add or xdpmeta_key_del on req: 0, or an exit status. */
static int xdpmeta_key_run(const char *verb, bool add,
			   struct xdpmeta_key_req *req)
{
	struct xdpmeta_ctl_progs *ctl;
	char why[CLI_WHY_LEN];
	int err;

	ctl = xdpmeta_ctl_load(why, sizeof(why));
	if (!ctl)
		return cli_fail(verb, req->name, "%s", why);
	err = xdpmeta_ctl_run(ctl, add ? "xdpmeta_key_add" : "xdpmeta_key_del",
			      req, sizeof(*req), why, sizeof(why));
	xdpmeta_ctl_unload(ctl);
	if (err)
		return cli_fail(verb, req->name, "%s", why);
	return 0;
}

/* The message for a negative req->ret. */
static int xdpmeta_key_ret_fail(const char *verb,
				const struct xdpmeta_key_req *req)
{
	const char *name = req->name;

	switch (-req->ret) {
	case ENOSPC:
		return cli_fail(verb, name,
				"all %d key ids are in use (xdpmeta key del an unused key)",
				XDPMETA_MAX_KEYS);
	case EEXIST:
	case EMSGSIZE:
		return cli_fail(verb, name,
				"already registered with another size (use the same size, or delete it first)");
	case ESTALE:
		return cli_fail(verb, name,
				"the registry changed since revision %llu (list keys again and retry)",
				(unsigned long long)req->expected_rev);
	case ENOENT:
		return cli_fail(verb, name, "no such key");
	case EPERM:
		return cli_fail(verb, name, "reserved key, cannot be deleted");
	case EINVAL:
		return cli_fail(verb, name, "invalid name or size");
	default:
		return cli_fail(verb, name, "%s", strerror(-req->ret));
	}
}

int xdpmeta_cmd_key_add(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *rev = NULL;
	const struct cli_opt opts[] = { { "--rev", &rev, NULL }, {} };
	struct xdpmeta_key_req req;
	char *pos[2];
	uint64_t size;
	int ret;

	ret = cli_parse_args(cmd, argc, argv, opts, pos, 2, 2);
	if (ret >= 0)
		return ret;
	ret = xdpmeta_key_req_init(cmd, &req, pos[0], rev);
	if (ret >= 0)
		return ret;
	if (!cli_parse_u64(pos[1], &size) || !xdpmeta_key_size_ok(size))
		return cli_usage_error(cmd,
				       "SIZE must be 0, 2, 4, 8 or 16, not '%s'",
				       pos[1]);
	req.size = size;
	req.flags = XDPMETA_KEY_CREATE;

	ret = xdpmeta_key_run("add key", true, &req);
	if (ret)
		return ret;
	if (req.ret < 0)
		return xdpmeta_key_ret_fail("add key", &req);

	if (cli_json) {
		struct json_object *obj = json_object_new_object();

		if (obj) {
			json_object_object_add(obj, "name",
					       json_object_new_string(req.name));
			json_object_object_add(obj, "id",
					       json_object_new_int(req.ret));
			json_object_object_add(obj, "size",
					       json_object_new_int64(req.size));
			json_object_object_add(obj, "revision",
					       json_object_new_uint64(req.rev));
		}
		return cli_print_json(obj);
	}
	printf("key %s: id %d, size %u (revision %llu)\n", req.name, req.ret,
	       req.size, (unsigned long long)req.rev);
	return CLI_EXIT_OK;
}

int xdpmeta_cmd_key_del(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *rev = NULL;
	const struct cli_opt opts[] = { { "--rev", &rev, NULL }, {} };
	struct xdpmeta_key_req req;
	char *pos[1];
	int ret;

	ret = cli_parse_args(cmd, argc, argv, opts, pos, 1, 1);
	if (ret >= 0)
		return ret;
	ret = xdpmeta_key_req_init(cmd, &req, pos[0], rev);
	if (ret >= 0)
		return ret;

	ret = xdpmeta_key_run("delete key", false, &req);
	if (ret)
		return ret;
	if (req.ret < 0)
		return xdpmeta_key_ret_fail("delete key", &req);

	if (cli_json) {
		struct json_object *obj = json_object_new_object();

		if (obj) {
			json_object_object_add(obj, "name",
					       json_object_new_string(req.name));
			json_object_object_add(obj, "deleted",
					       json_object_new_boolean(1));
			json_object_object_add(obj, "revision",
					       json_object_new_uint64(req.rev));
		}
		return cli_print_json(obj);
	}
	printf("key %s deleted (revision %llu)\n", req.name,
	       (unsigned long long)req.rev);
	return CLI_EXIT_OK;
}

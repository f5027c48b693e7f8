/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h - what the files of the xdpmeta command-line tool share: the
 * command table, the global options, error reporting, the debugfs access
 * and the column-header table parser.
 *
 * bpf/xdpmeta.h is written for the module and for BPF programs (it pulls in
 * vmlinux.h): user space mirrors the few constants and the one struct it
 * needs here, and the _Static_asserts keep the mirror honest.
 */
#ifndef XDPMETA_CLI_H
#define XDPMETA_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json_object;

#define XDPMETA_VERSION		"0.1"

#define XDPMETA_MAX_KEYS	64
#define XDPMETA_KEY_NAME_LEN	32	/* including the NUL */
#define XDPMETA_KEY_CREATE	(1U << 0)

/* Mirror of struct xdpmeta_key_req in bpf/xdpmeta.h. */
struct xdpmeta_key_req {
	char name[XDPMETA_KEY_NAME_LEN];
	uint32_t size;
	uint32_t flags;
	uint64_t expected_rev;
	int32_t ret;
	uint32_t pad;
	uint64_t rev;
};

_Static_assert(sizeof(struct xdpmeta_key_req) == 64,
	       "struct xdpmeta_key_req must match bpf/xdpmeta.h");
_Static_assert(offsetof(struct xdpmeta_key_req, ret) == 48,
	       "struct xdpmeta_key_req must match bpf/xdpmeta.h");

/* Exit statuses */
#define CLI_EXIT_OK	0
#define CLI_EXIT_ERR	1	/* the operation failed */
#define CLI_EXIT_USAGE	2	/* the command line is wrong */

/* ---- commands (main.c) ------------------------------------------------- */

struct cli_cmd {
	const char *name;
	/* A leaf runs; a group has a NULL-terminated table of subcommands. */
	int (*run)(const struct cli_cmd *cmd, int argc, char **argv);
	const struct cli_cmd *sub;
	const char *args;	/* e.g. "NAME SIZE [--rev N]" */
	const char *summary;	/* one line for the command list */
	const char *details;	/* more lines for `help CMD`, or NULL */
	const char *path;	/* full name, e.g. "key add" (set by main.c) */
};

extern bool cli_json;		/* --json */
extern bool cli_verbose;	/* --verbose */

int xdpmeta_cmd_dev(const struct cli_cmd *cmd, int argc, char **argv);
int xdpmeta_cmd_key_list(const struct cli_cmd *cmd, int argc, char **argv);
int xdpmeta_cmd_key_add(const struct cli_cmd *cmd, int argc, char **argv);
int xdpmeta_cmd_key_del(const struct cli_cmd *cmd, int argc, char **argv);

/* ---- arguments and messages (args.c) ----------------------------------- */

/* A leaf's option with an argument, e.g. { "--rev", &rev_str }. */
struct cli_opt {
	const char *name;
	const char **val;
};

/*
 * Splits argv (argv[0] is the command's name) into options and positional
 * arguments (at most max_pos of them, at least min_pos) and handles -h and
 * --help. Returns -1 when the caller should go on, else the exit status.
 */
int cli_parse_args(const struct cli_cmd *cmd, int argc, char **argv,
		   const struct cli_opt *opts, char **pos, int min_pos,
		   int max_pos);
int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cli_print_usage(FILE *f, const struct cli_cmd *cmd);
void cli_print_help(const struct cli_cmd *cmd);
int cli_fail(const char *verb, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool cli_parse_u64(const char *s, uint64_t *val);
int cli_print_json(struct json_object *obj);

/* ---- debugfs (debugfs.c) ----------------------------------------------- */

#define XDPMETA_DEBUGFS_DEFAULT	"/sys/kernel/debug/xdpmeta"
#define XDPMETA_DEBUGFS_ENV	"XDPMETA_DEBUGFS"
/*
 * With XDPMETA_DEBUGFS set, a file of this name in the parent of that
 * directory stands in for a debugfs mount (host tests use fake trees).
 */
#define XDPMETA_DEBUGFS_MARKER	".xdpmeta-fake-debugfs"

const char *xdpmeta_debugfs_dir(void);
/*
 * Reads <debugfs>/name into a NUL-terminated malloc'ed buffer. On failure
 * prints "Couldn't read '<path>': <why>" and returns NULL.
 */
char *xdpmeta_debugfs_read(const char *name, char *path, size_t path_len);
bool xdpmeta_module_loaded(void);

/* ---- column-header tables (table.c) ------------------------------------ */

struct xdpmeta_table {
	int ncols;
	int nrows;
	char **cols;		/* column names, point into the text */
	char **cells;		/* nrows * ncols, row-major, into the text */
};

/*
 * Parses text in place: its first line names the columns (whitespace
 * separated), every further non-empty line is one row with exactly that
 * many fields. first_line numbers text's first line in error messages.
 * Returns 0, or -1 with a message in err.
 */
int xdpmeta_table_parse(struct xdpmeta_table *t, char *text, int first_line,
			char *err, size_t err_len);
void xdpmeta_table_free(struct xdpmeta_table *t);
int xdpmeta_table_col(const struct xdpmeta_table *t, const char *name);
/* The cell, or NULL when the table has no such column. */
const char *xdpmeta_table_get(const struct xdpmeta_table *t, int row,
			      const char *name);
bool xdpmeta_table_col_is_int(const struct xdpmeta_table *t, int col);
/*
 * An array with one object per row, keys the column names. Integer columns
 * become JSON integers, except those named in text_cols (NULL-terminated,
 * may be NULL), which stay strings whatever their values look like.
 */
struct json_object *xdpmeta_table_json(const struct xdpmeta_table *t,
				       const char *const *text_cols);

/* ---- aligned text output (print.c) ------------------------------------- */

struct cli_grid {
	int ncols;
	int nrows;
	const char **titles;
	bool *right;		/* right-align this column */
	char **cells;		/* nrows * ncols, owned */
};

int cli_grid_init(struct cli_grid *g, int ncols, const char **titles);
/* Appends a row; printf-style per cell through cli_grid_set(). */
int cli_grid_add_row(struct cli_grid *g);
int cli_grid_set(struct cli_grid *g, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cli_grid_print(const struct cli_grid *g, FILE *f);
void cli_grid_free(struct cli_grid *g);

#endif /* XDPMETA_CLI_H */

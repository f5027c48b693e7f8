/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h - what the files of the xdpmeta command-line tool share: the
 * command table, the global options, error reporting, the SYSCALL
 * programs, the debugfs access and the column-header table parser.
 * The request structs and constants are bpf/xdpmeta.h's own (included in
 * its user-space mode, XDPMETA_UAPI_ONLY).
 */
#ifndef XDPMETA_CLI_H
#define XDPMETA_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "req.h"	/* kmod/req.h: the verdict the module gives at attach */

struct json_object;
struct xdpmeta_table;

#define XDPMETA_VERSION		"0.1"

/* bpf/xdpmeta.h's constants and request structs, without its BPF side */
#define XDPMETA_UAPI_ONLY
#include "xdpmeta.h"

#define CLI_EXIT_OK	0
#define CLI_EXIT_ERR	1	/* the operation failed */
#define CLI_EXIT_USAGE	2	/* the command line is wrong */
#define CLI_EXIT_REFUSED 3	/* check: the attach would be refused */

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
	const char *dflt;	/* a group: the subcommand run without one */
};

extern bool cli_json;		/* --json */
extern bool cli_verbose;	/* --verbose */

int xdpmeta_cmd_dev(const struct cli_cmd *cmd, int argc, char **argv);
int xdpmeta_cmd_dev_features(const struct cli_cmd *cmd, int argc,
			     char **argv);
int xdpmeta_cmd_check(const struct cli_cmd *cmd, int argc, char **argv);
int xdpmeta_cmd_key_list(const struct cli_cmd *cmd, int argc, char **argv);
int xdpmeta_cmd_key_add(const struct cli_cmd *cmd, int argc, char **argv);
int xdpmeta_cmd_key_del(const struct cli_cmd *cmd, int argc, char **argv);
int xdpmeta_cmd_mb_show(const struct cli_cmd *cmd, int argc, char **argv);
int xdpmeta_cmd_mb_mode(const struct cli_cmd *cmd, int argc, char **argv);
int xdpmeta_cmd_mb_policy(const struct cli_cmd *cmd, int argc, char **argv);
int xdpmeta_cmd_prog_attach(const struct cli_cmd *cmd, int argc,
			    char **argv);
int xdpmeta_cmd_prog_detach(const struct cli_cmd *cmd, int argc,
			    char **argv);
int xdpmeta_cmd_prog_list(const struct cli_cmd *cmd, int argc, char **argv);

/* ---- arguments and messages (args.c) ----------------------------------- */

/*
 * A leaf's option: with an argument, e.g. { "--rev", &rev_str }, or a flag
 * without one, e.g. { "--first", NULL, &first } (set to true when given).
 */
struct cli_opt {
	const char *name;
	const char **val;
	bool *flag;
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
/*
 * "Couldn't <verb> '<what>' <prep> '<where>': <why>", e.g. attach 'fw.o'
 * to 'veth0'; without prep (NULL) the same as cli_fail(). Exit status 1.
 */
int cli_fail_at(const char *verb, const char *what, const char *prep,
		const char *where, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
int cli_vfail_at(const char *verb, const char *what, const char *prep,
		 const char *where, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));
/*
 * One line of a command list: "  HEAD SUMMARY" with the summary at column
 * width + 3, or on the next line there when HEAD (name and args) is wider.
 */
void cli_print_cmd_line(const char *name, const char *args, int width,
			const char *summary);
bool cli_parse_u64(const char *s, uint64_t *val);
int cli_print_json(struct json_object *obj);

/* ---- the SYSCALL programs of bpf/xdpmeta_ctl.bpf.c (ctl.c) -------------- */

/* Room for a reason, the <why> of "Couldn't <verb> '<what>': <why>". */
#define CLI_WHY_LEN	320

struct xdpmeta_ctl_progs;

/*
 * Loads the xdpmeta_ctl programs. Returns them, or NULL with why filled
 * (xdpmeta not loaded, permissions, a module without BTF or the kfuncs).
 */
struct xdpmeta_ctl_progs *xdpmeta_ctl_load(char *why, size_t why_len);
/*
 * Runs the program name with ctx (in and out: the kernel copies it back)
 * as its context. Returns 0, or -1 with why filled.
 */
int xdpmeta_ctl_run(struct xdpmeta_ctl_progs *ctl, const char *name,
		    void *ctx, size_t ctx_size, char *why, size_t why_len);
void xdpmeta_ctl_unload(struct xdpmeta_ctl_progs *ctl);

/* A request to xdpmeta_chain: op on the device ifindex, no program fd. */
void xdpmeta_chain_req_init(struct xdpmeta_chain_req *req, uint32_t op,
			    uint32_t ifindex);
/*
 * Runs req through xdpmeta_chain. Returns 0 when the module answered
 * (req->ret says how it went; req->msg is terminated), or -1 with why
 * filled.
 */
int xdpmeta_chain_send(struct xdpmeta_ctl_progs *ctl,
		       struct xdpmeta_chain_req *req, char *why, size_t why_len);
/*
 * "<strerror>[: <msg>]", the words for a refused request (ret < 0, msg the
 * module's reason): what `prog attach` prints after "Couldn't ...: ".
 */
void xdpmeta_chain_strerror(int ret, const char *msg, char *buf, size_t len);

/* ---- chains (prog.c) ---------------------------------------------------- */

/*
 * Whether the device ifindex (named dev) runs an XDP program of its own,
 * natively or in generic mode, which keeps `prog attach` from installing
 * the dispatcher. Returns 0 when it runs none, 1 when it does (why names
 * it and the fix), -1 when the query failed (why says so).
 */
int xdpmeta_prog_foreign_why(uint32_t ifindex, const char *dev, char *why,
			     size_t why_len);

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
/* The same without a message: for what the output can do without. */
char *xdpmeta_debugfs_read_quiet(const char *name, char *path,
				 size_t path_len);
bool xdpmeta_module_loaded(void);
/*
 * Writes text to path with a single write(), as the shell's > would but
 * without creating the file. Returns 0 or an errno; *opened tells whether
 * the error came from write() (or close()) rather than open().
 */
int xdpmeta_write_file(const char *path, const char *text, bool *opened);
/*
 * Writes text to <debugfs>/name. Returns 0; -1 when the file could not be
 * opened, after printing "Couldn't write '<path>': <why>"; or the errno of
 * the write, which the module chose: the caller says what it means.
 */
int xdpmeta_debugfs_write(const char *name, const char *text, char *path,
			  size_t path_len);

/* ---- the devices file (dev.c) ----------------------------------------- */

/*
 * Reads and parses the column-header table <debugfs>/name into t; its
 * cells point into *text (free both). Returns 0, or CLI_EXIT_ERR after
 * printing why not.
 */
int xdpmeta_debugfs_table_read(const char *name, struct xdpmeta_table *t,
			       char **text, char *path, size_t path_len);
/* The same for <debugfs>/devices. */
int xdpmeta_devices_read(struct xdpmeta_table *t, char **text, char *path,
			 size_t path_len);
/*
 * Fails, after "Couldn't parse '<path>': no column ..." (module and tool do
 * not match), unless t has every column in cols (NULL-terminated).
 */
int xdpmeta_need_cols(const struct xdpmeta_table *t, const char *path,
		      const char *const *cols);
/*
 * The row of the hooked device dev in a table with the columns name, netns
 * and ifindex (path names its file); with netns (an inode number the caller
 * checked) only in that namespace. Returns the row, or -1 after a message:
 * "Couldn't <verb> '<what>': no such hooked device[ in netns N]" (exit
 * status 1 in *status), or, when several namespaces have such a device, a
 * usage error of cmd telling to choose one with --netns N (exit status 2).
 */
int xdpmeta_find_dev(const struct cli_cmd *cmd, const struct xdpmeta_table *t,
		     const char *path, const char *dev, const char *netns,
		     const char *verb, const char *what, int *status);

/* ---- BPF object files (bpfobj.c) ----------------------------------------- */

#define XDPMETA_BPFOBJ_MAX_KFUNCS	32

/* What an object file says about one of its XDP programs. */
struct xdpmeta_bpfobj {
	char name[64];			/* the program (function) name */
	char kname[16];			/* ... as the kernel names it (15 chars) */
	char section[64];
	bool frags;			/* BPF_F_XDP_HAS_FRAGS (SEC("xdp.frags")) */
	bool declared;			/* XDPMETA_REQUIRE() found in .rodata */
	struct xdpmeta_req_decl decl;
	uint32_t calls;			/* XDPMETA_REQ_CALL_* */
	bool dispatcher;		/* calls bpf_xdpmeta_chain_run */
	uint32_t attach_type;		/* expected: BPF_XDP_DEVMAP for xdp/devmap */
	int nkfuncs;			/* xdpmeta kfuncs it calls, by name */
	char kfuncs[XDPMETA_BPFOBJ_MAX_KFUNCS][64];
};

/*
 * Opens the BPF object file path with libbpf (nothing is loaded) and reads
 * what it says about its XDP program prog (NULL: its only one). Returns 0,
 * or an exit status after printing "Couldn't check '<path>': <why>" (or a
 * usage error of cmd when the object has several XDP programs).
 */
int xdpmeta_bpfobj_read(const struct cli_cmd *cmd, const char *path,
			const char *prog, struct xdpmeta_bpfobj *o);

struct bpf_object;
struct bpf_program;

/*
 * The XDP program of an opened object that sel names: its function name,
 * or (with by_section) the name of its section when no function has that
 * name; with sel NULL, the only XDP program. Returns it, or NULL with *why
 * filled; *several is then true when more than one program fit (the
 * caller's usage error: why lists them).
 */
struct bpf_program *xdpmeta_bpfobj_pick(struct bpf_object *obj,
					const char *sel, bool by_section,
					bool *several, char *why,
					size_t why_len);

/* ---- module parameters (params.c) -------------------------------------- */

#define XDPMETA_PARAMS_DEFAULT	"/sys/module/xdpmeta/parameters"
#define XDPMETA_PARAMS_ENV	"XDPMETA_SYSFS_PARAMS"

const char *xdpmeta_params_dir(void);
/*
 * Reads the parameter name into buf without its trailing newline. On
 * failure prints "Couldn't read '<path>': <why>" and returns -1.
 */
int xdpmeta_param_read(const char *name, char *buf, size_t len);
/* Writes value and a newline to the parameter name: 0 or an errno. */
int xdpmeta_param_write(const char *name, const char *value);
/*
 * Prints "Couldn't <verb> '<what>': <why>" for errno err of the parameter
 * name (module not loaded, no such parameter, permissions, ...).
 */
int xdpmeta_param_fail(const char *verb, const char *what, const char *name,
		       int err);

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
 * A view of src for output: the columns named in src_cols (NULL-terminated;
 * those src lacks are left out), called names[i] instead when names is not
 * NULL, and the rows whose keep[row] is true (all when keep is NULL). The
 * cells point into src's text. Returns 0, or -1 when out of memory; free it
 * with xdpmeta_table_free().
 */
int xdpmeta_table_select(struct xdpmeta_table *dst,
			 const struct xdpmeta_table *src,
			 const char *const *src_cols, const char *const *names,
			 const bool *keep);
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

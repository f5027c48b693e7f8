// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - xdpmeta, the command-line tool: global options, the one table
 * of commands, unique-prefix dispatch and help.
 *
 *	xdpmeta [--json] [--verbose] COMMAND [ARGS]
 *
 * Any unique prefix names a command (`xdpmeta d` is `xdpmeta dev`, `xdpmeta
 * k l` is `xdpmeta key list`); a full name always wins. A group with a
 * default (dev, mb, prog) runs it without a command, or before an option.
 * --json and --verbose may appear anywhere before a lone `--`.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "cli.h"

bool cli_json;
bool cli_verbose;

static int cli_cmd_help(const struct cli_cmd *cmd, int argc, char **argv);

static const struct cli_cmd cli_key_cmds[] = {
	{
		.name = "list",
		.path = "key list",
		.run = xdpmeta_cmd_key_list,
		.args = "",
		.summary = "List the registered keys and the registry revision",
		.details =
"Reads <debugfs>/keys. Columns: id, name, size (bytes, 0 = a flag),\n"
"reserved (1 for the built-in RX hint keys), refs, comm and pid of the\n"
"registering process, registered_s (seconds since boot).\n",
	},
	{
		.name = "add",
		.path = "key add",
		.run = xdpmeta_cmd_key_add,
		.args = "NAME SIZE [--rev N]",
		.summary = "Register a key, or look up its id when it exists",
		.details =
"NAME has at most 31 characters; SIZE is 0 (a flag), 2, 4, 8 or 16 bytes.\n"
"Adding an existing key with the same size returns its id. With --rev N\n"
"the call fails unless the registry is still at revision N (0 = any).\n"
"Runs the SYSCALL program xdpmeta_key_add: needs root (CAP_BPF).\n",
	},
	{
		.name = "del",
		.path = "key del",
		.run = xdpmeta_cmd_key_del,
		.args = "NAME [--rev N]",
		.summary = "Unregister a key",
		.details =
"Drops one reference; the last frees the id. Fails for the reserved keys. With --rev N the\n"
"call fails unless the registry is still at revision N (0 = any).\n"
"Runs the SYSCALL program xdpmeta_key_del: needs root (CAP_BPF).\n",
	},
	{}
};

static const struct cli_cmd cli_mb_cmds[] = {
	{
		.name = "show",
		.path = "mb show",
		.run = xdpmeta_cmd_mb_show,
		.args = "",
		.summary = "Show the multi-buffer mode, policies and blockers",
		.details =
"Also what `xdpmeta mb` alone does. Prints the mode and the default policy\n"
"(the module parameters mb_mode and mb_policy), per hooked device its\n"
"policy, peer_plain (1: the veth's peer runs a program that is not\n"
"frags-aware; in compat mode the policy applies to multi-buffer frames\n"
"sent into the device) and how many such frames were linearized, dropped\n"
"or passed; then the attached programs that are not frags-aware, which\n"
"keep strict from being set.\n",
	},
	{
		.name = "mode",
		.path = "mb mode",
		.run = xdpmeta_cmd_mb_mode,
		.args = "strict|compat|off",
		.summary = "Set the multi-buffer mode",
		.details =
"strict: attaching a program that is not frags-aware to a hooked device\n"
"fails; setting strict fails while such programs are attached (they are\n"
"listed). compat: multi-buffer frames redirected into a veth whose peer\n"
"runs a program that is not frags-aware get the device's policy. off:\n"
"the kernel's own behaviour. Writes the module parameter mb_mode.\n",
	},
	{
		.name = "policy",
		.path = "mb policy",
		.run = xdpmeta_cmd_mb_policy,
		.args = "DEV POLICY [--netns N]",
		.summary = "Set a veth's (or the default) multi-buffer policy",
		.details =
"POLICY is linearize (copy the frame into one buffer), drop or pass (hand\n"
"it on as it is). DEV is a hooked veth; when the name is hooked in several\n"
"network namespaces, --netns N (the namespace's inode number, as `xdpmeta\n"
"dev` shows) picks one. DEV `default` sets the module parameter mb_policy,\n"
"the policy of veths hooked from then on; with --netns, `default` is a\n"
"device's name.\n"
"Writes \"NETNS IFINDEX POLICY\" to <debugfs>/mb_policy.\n",
	},
	{}
};

static const struct cli_cmd cli_dev_cmds[] = {
	{
		.name = "show",
		.path = "dev show",
		.run = xdpmeta_cmd_dev,
		.args = "",
		.summary = "List the devices xdpmeta has hooked",
		.details =
"Also what `xdpmeta dev` alone does. Reads <debugfs>/devices: per device\n"
"its network namespace, ifindex, name, driver, MTU, attached XDP program\n"
"(id, name, \"frags\" when it handles multi-buffer packets), multi-buffer\n"
"policy (MB, with a * when the veth's peer runs a program that is not\n"
"frags-aware: see xdpmeta mb), how often a program was attached, detached\n"
"or refused, the frames and errors of its ndo_xdp_xmit, and the skbs built\n"
"from XDP packets whose RX hints the module applied (SKB_HINTS).\n",
	},
	{
		.name = "features",
		.path = "dev features",
		.run = xdpmeta_cmd_dev_features,
		.args = "[DEV] [--netns N]",
		.summary = "Show what hooked devices can do with XDP",
		.details =
"Reads <debugfs>/features: per device the XDP actions its driver supports\n"
"(basic, redirect, redirect target = ndo_xmit), multi-buffer support (rx,\n"
"as redirect target), AF_XDP zero-copy, the largest MTU at which a program\n"
"that is not frags-aware can be attached (a veth's limit applies to its\n"
"peer's MTU), the RX metadata hints (hash, vlan, timestamp), the xdpmeta\n"
"store, the mb mode and the attached program; \"no\" says what is missing.\n"
"DEV picks one device; when the name is hooked in several network\n"
"namespaces, --netns N (the namespace's inode number) picks one. Without\n"
"DEV, --netns shows that namespace's devices only. With --json: an array\n"
"of objects (one object with DEV), the 0/1 columns as booleans and\n"
"xdp_features as an integer.\n",
	},
	{}
};

static const struct cli_cmd cli_prog_cmds[] = {
	{
		.name = "attach",
		.path = "prog attach",
		.run = xdpmeta_cmd_prog_attach,
		.args = "DEV PROG.o|PINNED [--sec NAME] [--before ID|--after ID|--first|--last] [--replace ID] [--continue ACTIONS] [--mb pull|drop|pass|skip] [--expected-revision N]",
		.summary = "Add an XDP program to a device's chain",
		.details =
"PROG.o is a BPF object file: its XDP program that --sec NAME names (a\n"
"function or a section name), or its only one, is loaded (the others are\n"
"not). PINNED is an XDP program pinned on bpffs. A device without a chain\n"
"gets xdpmeta's dispatcher first, attached in native mode; a device that\n"
"runs another XDP program is refused (detach it first).\n"
"Position: appended without options (just inside a --last entry);\n"
"--before ID / --after ID (0: the front / the back), or pinned --first or\n"
"--last for as long as it is attached. --replace ID takes ID's place (with\n"
"--before/--after: only if ID is there). ID is a program id or a pinned\n"
"program. --continue ACTIONS: the XDP actions after which the next entry\n"
"runs, a comma list of aborted, drop, pass, tx, or none (default: pass;\n"
"redirect cannot continue: the module refuses it, the entry chose the\n"
"target); any other action ends the chain with it. --mb: what a\n"
"multi-buffer frame does to a program that is not frags-aware: pull\n"
"(default: made linear, dropped if it does not fit), drop or pass (the\n"
"chain ends so), skip (the entry is not run). --expected-revision N: fail\n"
"unless the chain is still at revision N (0 = any). Prints the position\n"
"and the chain's revision. The module's ordering rules and errors:\n"
"xdpmeta(8). Runs the SYSCALL program xdpmeta_chain: needs root.\n",
	},
	{
		.name = "detach",
		.path = "prog detach",
		.run = xdpmeta_cmd_prog_detach,
		.args = "DEV [ID|PINNED] [--before ID|--after ID] [--expected-revision N]",
		.summary = "Remove a program from a device's chain",
		.details =
"The program ID (an id, or a pinned program); without it, the entry just\n"
"before / after --before ID / --after ID (0: the first / the last), and\n"
"without a position the last one. With both, they must agree. The last\n"
"program's detach also removes the dispatcher: the device then runs no\n"
"XDP program. --expected-revision N: fail unless the chain is still at\n"
"revision N (0 = any).\n",
	},
	{
		.name = "list",
		.path = "prog list",
		.run = xdpmeta_cmd_prog_list,
		.args = "[DEV]",
		.summary = "Show the chains of programs of devices",
		.details =
"Also what `xdpmeta prog` alone does. Per chained device (DEV, or every\n"
"device of this network namespace that has a chain): the dispatcher's id,\n"
"the chain's revision, its programs, how often it ran and how many nested\n"
"calls it refused; per program its position, id, name, pin (first, last\n"
"or -), continue actions, multi-buffer policy, whether it is frags-aware\n"
"and how many multi-buffer frames were pulled, dropped, passed or skipped\n"
"for it. With --json: an array of device objects with an \"entries\" array.\n",
	},
	{}
};

static const struct cli_cmd cli_top_cmds[] = {
	{
		.name = "check",
		.path = "check",
		.run = xdpmeta_cmd_check,
		.args = "PROG.o DEV [--netns N] [--prog NAME] [--chain]",
		.summary = "Tell whether xdpmeta would accept a program on a device",
		.details =
"Without loading or attaching anything: reads the requirements the object\n"
"declares with XDPMETA_REQUIRE() and the xdpmeta kfuncs it calls (some\n"
"imply a requirement: bpf_xdpmeta_import_hints needs an RX hint; in mb\n"
"mode strict the program must be frags-aware, SEC(\"xdp.frags\")), and\n"
"checks them against <debugfs>/features of DEV and of the declared\n"
"redirect target in DEV's netns, with the module's own code. One line per\n"
"requirement, \"ok\" or \"no: \" and the module's message, then \"ok\" or\n"
"\"refused: \" and the extack message the attach would get. --prog NAME\n"
"picks one of several XDP programs; --netns N (the namespace's inode\n"
"number) one of several devices named DEV. Exit status: 0 accepted,\n"
"3 refused, 1 the check failed, 2 usage. The driver's own checks (MTU,\n"
"queues) are not predicted: see dev features.\n"
"While DEV's chain has programs, a plain attach of anything but a\n"
"dispatcher is refused: check says so, in the module's words. --chain\n"
"predicts `xdpmeta prog attach DEV PROG.o` instead: the requirements\n"
"without mb mode strict's, then what refuses an entry (a devmap or cpumap\n"
"program, a dispatcher: one that calls bpf_xdpmeta_chain_run, a full\n"
"chain, a device running a program of its own), or that the attach\n"
"installs the dispatcher. The chain is asked of the module (root), for a\n"
"device of this network namespace only.\n",
	},
	{
		.name = "dev",
		.path = "dev",
		.sub = cli_dev_cmds,
		.dflt = "show",
		.summary = "Show the hooked devices and what they can do",
		.details =
"Without a command: dev show.\n",
	},
	{
		.name = "key",
		.path = "key",
		.sub = cli_key_cmds,
		.summary = "Manage the key registry",
	},
	{
		.name = "mb",
		.path = "mb",
		.sub = cli_mb_cmds,
		.dflt = "show",
		.summary = "Show and set how multi-buffer frames are handled",
		.details =
"Without a command: mb show.\n",
	},
	{
		.name = "prog",
		.path = "prog",
		.sub = cli_prog_cmds,
		.dflt = "list",
		.summary = "Run several XDP programs on a device, in order",
		.details =
"Without a command: prog list.\n",
	},
	{
		.name = "help",
		.path = "help",
		.run = cli_cmd_help,
		.args = "[COMMAND...]",
		.summary = "Show the help, or a command's",
	},
	{}
};

static void cli_print_top_help(void)
{
	const struct cli_cmd *c, *s;

	printf("Usage: xdpmeta [--json] [--verbose] COMMAND [ARGS]\n"
	       "       xdpmeta -h | --help | help [COMMAND]\n"
	       "       xdpmeta -v | --version\n"
	       "\n"
	       "Show and control xdpmeta, the per-packet key-value store for XDP.\n"
	       "\n"
	       "Commands:\n");
	for (c = cli_top_cmds; c->name; c++) {
		if (!c->sub) {
			cli_print_cmd_line(c->path, c->args, 33, c->summary);
			continue;
		}
		for (s = c->sub; s->name; s++)
			cli_print_cmd_line(s->path, s->args, 33, s->summary);
	}
	printf("\n"
	       "Options:\n"
	       "  --json                            print JSON instead of text\n"
	       "  --verbose                         show libbpf's messages\n"
	       "  -h, --help                        show this help\n"
	       "  -v, --version                     print the version\n"
	       "\n"
	       "Any unique prefix names a command: xdpmeta d = xdpmeta dev.\n"
	       "Environment: %s, the xdpmeta debugfs directory\n"
	       "(default %s);\n"
	       "%s, its module parameters (default %s).\n",
	       XDPMETA_DEBUGFS_ENV, XDPMETA_DEBUGFS_DEFAULT,
	       XDPMETA_PARAMS_ENV, XDPMETA_PARAMS_DEFAULT);
}

/*
 * The command that word names in table: an exact name, else the only one
 * it is a prefix of. NULL after a usage error (stored in *status).
 */
static const struct cli_cmd *cli_lookup(const struct cli_cmd *table,
					const struct cli_cmd *group,
					const char *word, int *status)
{
	const struct cli_cmd *c, *found = NULL;
	size_t len = strlen(word);
	char list[256] = "";
	int n = 0;

	for (c = table; c->name; c++) {
		if (!strcmp(c->name, word))
			return c;
		if (strncmp(c->name, word, len))
			continue;
		found = c;
		if (strlen(list) + strlen(c->name) + 3 < sizeof(list)) {
			if (n)
				strcat(list, ", ");
			strcat(list, c->name);
		}
		n++;
	}
	if (n == 1)
		return found;
	if (n == 0)
		*status = cli_usage_error(group, "unknown command '%s'", word);
	else
		*status = cli_usage_error(group,
					  "ambiguous command '%s' (could be %s)",
					  word, list);
	return NULL;
}

static int cli_dispatch(const struct cli_cmd *table,
			const struct cli_cmd *group, int argc, char **argv)
{
	const struct cli_cmd *cmd;
	int status;

	cmd = cli_lookup(table, group, argv[0], &status);
	if (!cmd)
		return status;
	if (!cmd->sub)
		return cmd->run(cmd, argc, argv);
	if (argc < 2 && cmd->dflt) {
		char *dflt_argv[] = { (char *)cmd->dflt, NULL };

		return cli_dispatch(cmd->sub, cmd, 1, dflt_argv);
	}
	if (argc < 2) {
		const struct cli_cmd *c;
		char list[256] = "";

		for (c = cmd->sub; c->name; c++) {
			if (c != cmd->sub)
				strcat(list, ", ");
			strcat(list, c->name);
		}
		return cli_usage_error(cmd, "missing command (%s)", list);
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		cli_print_help(cmd);
		return CLI_EXIT_OK;
	}
	/* An option, not a command: the default's (`dev --bad` as before). */
	if (cmd->dflt && argv[1][0] == '-' && argv[1][1]) {
		argv[0] = (char *)cmd->dflt;
		return cli_dispatch(cmd->sub, cmd, argc, argv);
	}
	return cli_dispatch(cmd->sub, cmd, argc - 1, argv + 1);
}

/* help [COMMAND...]: the words are looked up like commands. */
static int cli_cmd_help(const struct cli_cmd *cmd, int argc, char **argv)
{
	const struct cli_cmd *table = cli_top_cmds, *group = NULL, *c = NULL;
	int status;
	int i;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		cli_print_top_help();
		return CLI_EXIT_OK;
	}
	for (i = 1; i < argc; i++) {
		if (!table)
			return cli_usage_error(cmd, "'%s' has no subcommands",
					       c->path);
		c = cli_lookup(table, group, argv[i], &status);
		if (!c)
			return status;
		group = c;
		table = c->sub;
	}
	if (c == cmd)
		cli_print_top_help();
	else
		cli_print_help(c);
	return CLI_EXIT_OK;
}

static int cli_libbpf_print(enum libbpf_print_level level, const char *fmt,
			    va_list ap)
{
	if (!cli_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Takes --json and --verbose out of argv, wherever they are before "--". */
static int cli_take_global_opts(int argc, char **argv)
{
	bool done = false;
	int i, n = 1;

	for (i = 1; i < argc; i++) {
		if (!done && !strcmp(argv[i], "--json")) {
			cli_json = true;
			continue;
		}
		if (!done && !strcmp(argv[i], "--verbose")) {
			cli_verbose = true;
			continue;
		}
		if (!strcmp(argv[i], "--"))
			done = true;
		argv[n++] = argv[i];
	}
	argv[n] = NULL;
	return n;
}

int main(int argc, char **argv)
{
	argc = cli_take_global_opts(argc, argv);
	libbpf_set_print(cli_libbpf_print);

	if (argc < 2)
		return cli_usage_error(NULL, "missing command");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		cli_print_top_help();
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version")) {
		printf("xdpmeta %s\n", XDPMETA_VERSION);
		return CLI_EXIT_OK;
	}
	if (argv[1][0] == '-' && argv[1][1])
		return cli_usage_error(NULL, "unknown option '%s'", argv[1]);
	return cli_dispatch(cli_top_cmds, NULL, argc - 1, argv + 1);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * args.c - a leaf command's arguments, usage and help texts, the two kinds
 * of failure (usage errors exit 2, operation errors exit 1) and JSON
 * printing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"

#define CLI_TOP_USAGE "xdpmeta [--json] [--verbose] COMMAND [ARGS]"

void cli_print_usage(FILE *f, const struct cli_cmd *cmd)
{
	const struct cli_cmd *c;

	if (!cmd) {
		fprintf(f, "Usage: %s  (xdpmeta help: the commands)\n",
			CLI_TOP_USAGE);
		return;
	}
	fprintf(f, "Usage: xdpmeta %s", cmd->path);
	if (cmd->sub) {
		fputs(cmd->dflt ? " [{" : " {", f);
		for (c = cmd->sub; c->name; c++)
			fprintf(f, "%s%s", c == cmd->sub ? "" : "|", c->name);
		fputs(cmd->dflt ? "} [ARGS]]" : "} [ARGS]", f);
	} else {
		if (cmd->args && cmd->args[0])
			fprintf(f, " %s", cmd->args);
		if (strcmp(cmd->path, "help"))
			fputs(" [--json]", f);
	}
	fputc('\n', f);
}

void cli_print_help(const struct cli_cmd *cmd)
{
	const struct cli_cmd *c;

	cli_print_usage(stdout, cmd);
	printf("\n%s.\n", cmd->summary);
	if (cmd->sub) {
		printf("\nCommands:\n");
		for (c = cmd->sub; c->name; c++)
			cli_print_cmd_line(c->name, c->args, 30, c->summary);
		printf("\nxdpmeta help %s COMMAND: more about one of them.\n",
		       cmd->path);
	}
	if (cmd->details)
		printf("\n%s", cmd->details);
}

int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xdpmeta%s%s: ", cmd ? " " : "", cmd ? cmd->path : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cli_print_usage(stderr, cmd);
	return CLI_EXIT_USAGE;
}

void cli_print_cmd_line(const char *name, const char *args, int width,
			const char *summary)
{
	bool has_args = args && args[0];
	int len = strlen(name) + (has_args ? 1 + strlen(args) : 0);

	printf("  %s%s%s", name, has_args ? " " : "", has_args ? args : "");
	/* A long synopsis (prog attach) would push the summary off screen. */
	if (len > width)
		printf("\n%*s", width + 3, "");
	else
		printf("%*s", width + 1 - len, "");
	printf("%s\n", summary);
}

int cli_vfail_at(const char *verb, const char *what, const char *prep,
		 const char *where, const char *fmt, va_list ap)
{
	fprintf(stderr, "Couldn't %s '%s'", verb, what);
	if (prep)
		fprintf(stderr, " %s '%s'", prep, where);
	fputs(": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	return CLI_EXIT_ERR;
}

int cli_fail_at(const char *verb, const char *what, const char *prep,
		const char *where, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vfail_at(verb, what, prep, where, fmt, ap);
	va_end(ap);
	return CLI_EXIT_ERR;
}

int cli_fail(const char *verb, const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vfail_at(verb, what, NULL, NULL, fmt, ap);
	va_end(ap);
	return CLI_EXIT_ERR;
}

static bool cli_is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

/* Matches "--rev" and "--rev=N"; sets *inline_val for the latter. */
static const struct cli_opt *cli_find_opt(const struct cli_opt *opts,
					  const char *arg,
					  const char **inline_val)
{
	const struct cli_opt *o;

	for (o = opts; o && o->name; o++) {
		size_t len = strlen(o->name);

		if (strncmp(arg, o->name, len))
			continue;
		if (arg[len] == '\0') {
			*inline_val = NULL;
			return o;
		}
		if (arg[len] == '=') {
			*inline_val = arg + len + 1;
			return o;
		}
	}
	return NULL;
}

int cli_parse_args(const struct cli_cmd *cmd, int argc, char **argv,
		   const struct cli_opt *opts, char **pos, int min_pos,
		   int max_pos)
{
	bool options_done = false;
	int npos = 0;
	int i;

	for (i = 1; i < argc; i++) {
		char *arg = argv[i];

		/* "-4" is a (bad) number, not an option. */
		if (!options_done && arg[0] == '-' && arg[1] &&
		    !(arg[1] >= '0' && arg[1] <= '9')) {
			const struct cli_opt *o;
			const char *val;

			if (!strcmp(arg, "--")) {
				options_done = true;
				continue;
			}
			if (cli_is_help(arg)) {
				cli_print_help(cmd);
				return CLI_EXIT_OK;
			}
			o = cli_find_opt(opts, arg, &val);
			if (!o)
				return cli_usage_error(cmd, "unknown option '%s'",
						       arg);
			if (o->flag) {
				if (val)
					return cli_usage_error(cmd,
						"option %s takes no value",
						o->name);
				*o->flag = true;
				continue;
			}
			if (!val) {
				if (i + 1 >= argc)
					return cli_usage_error(cmd,
						"option %s needs a value",
						o->name);
				val = argv[++i];
			}
			*o->val = val;
			continue;
		}
		if (npos == max_pos)
			return cli_usage_error(cmd, "unexpected argument '%s'",
					       arg);
		pos[npos++] = arg;
	}
	if (npos < min_pos)
		return cli_usage_error(cmd, "missing argument%s (%s)",
				       min_pos - npos > 1 ? "s" : "",
				       cmd->args);
	return -1;
}

/* Strict: decimal digits only, no sign, no overflow. */
bool cli_parse_u64(const char *s, uint64_t *val)
{
	unsigned long long v;
	char *end;

	if (!s[0] || s[0] < '0' || s[0] > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*val = v;
	return true;
}

/* Prints obj on one line and drops the reference. */
int cli_print_json(struct json_object *obj)
{
	const char *s;

	if (!obj)
		return cli_fail("print", "JSON", "%s", strerror(ENOMEM));
	s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s) {
		json_object_put(obj);
		return cli_fail("print", "JSON", "%s", strerror(ENOMEM));
	}
	puts(s);
	json_object_put(obj);
	return CLI_EXIT_OK;
}

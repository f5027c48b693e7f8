/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse.h - the text users write to the module: the module parameters
 * mb_mode and mb_policy, and lines written to <debugfs>/mb_policy.
 *
 * Pure C with no kernel dependency, like kv.h and req.h: the module builds
 * it (mb.c, debugfs.c), the CLI builds it (the same words, by
 * construction), and test/host builds it for parse_test and parse_fuzz.
 * Nothing here allocates or sleeps; every input is bounded by a length.
 *
 * Strict by design: a line is accepted only when every byte of it is
 * understood, and a number only when it fits its field. A write the module
 * half-understood would change a device's policy that the user did not
 * name (a netns inode above 2^32 used to wrap, "drop junk" was "drop").
 */
#ifndef XDPMETA_PARSE_H
#define XDPMETA_PARSE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

enum xdpmeta_mb_mode {
	XDPMETA_MB_STRICT,
	XDPMETA_MB_COMPAT,
	XDPMETA_MB_OFF,
	__XDPMETA_MB_NMODES,
};

enum xdpmeta_mb_policy {
	XDPMETA_MB_LINEARIZE,
	XDPMETA_MB_DROP,
	XDPMETA_MB_PASS,
	__XDPMETA_MB_NPOLICIES,
};

/* Indexed by the enums above, NULL-terminated. */
extern const char *const xdpmeta_mb_mode_names[];
extern const char *const xdpmeta_mb_policy_names[];

/*
 * xdpmeta_parse_word - which of names the len bytes at s are, exactly.
 * Return: the index, or -EINVAL when s is none of them.
 */
int xdpmeta_parse_word(const char *const *names, const char *s, size_t len);

/*
 * xdpmeta_parse_param - a module parameter's value: one of names, with at
 * most one trailing newline (what `echo` writes). val is NUL-terminated.
 * Return: the index, or -EINVAL when val is none of them.
 */
int xdpmeta_parse_param(const char *const *names, const char *val);

/* The longest line <debugfs>/mb_policy takes, newline included. */
#define XDPMETA_MB_POLICY_LINE_MAX	63

struct xdpmeta_mb_policy_cmd {
	uint32_t netns;		/* the netns inode number, >= 1 */
	int32_t ifindex;	/* >= 1 */
	int policy;		/* enum xdpmeta_mb_policy */
};

/*
 * xdpmeta_parse_mb_policy_cmd - a line written to <debugfs>/mb_policy:
 * "NETNS_INUM IFINDEX POLICY", fields separated by spaces or tabs, with
 * at most one trailing newline. Numbers are decimal digits only (no sign,
 * no base prefix); buf need not be NUL-terminated and may hold NULs.
 * Return: 0 and *cmd filled in;
 *  -EINVAL when the line is longer than XDPMETA_MB_POLICY_LINE_MAX, does
 *   not have exactly three fields, a number has anything but digits, or
 *   the policy is not linearize, drop or pass;
 *  -ERANGE when NETNS_INUM is 0 or above 4294967295, or IFINDEX is 0 or
 *   above 2147483647.
 */
int xdpmeta_parse_mb_policy_cmd(const char *buf, size_t len,
				struct xdpmeta_mb_policy_cmd *cmd);

#endif /* XDPMETA_PARSE_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - the text users write to the module. See parse.h; the module,
 * the CLI and the host fuzzer build this same file.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include "parse.h"

const char *const xdpmeta_mb_mode_names[] = {
	[XDPMETA_MB_STRICT] = "strict",
	[XDPMETA_MB_COMPAT] = "compat",
	[XDPMETA_MB_OFF] = "off",
	[__XDPMETA_MB_NMODES] = NULL,
};

const char *const xdpmeta_mb_policy_names[] = {
	[XDPMETA_MB_LINEARIZE] = "linearize",
	[XDPMETA_MB_DROP] = "drop",
	[XDPMETA_MB_PASS] = "pass",
	[__XDPMETA_MB_NPOLICIES] = NULL,
};

int xdpmeta_parse_word(const char *const *names, const char *s, size_t len)
{
	int i;

	for (i = 0; names[i]; i++)
		if (strlen(names[i]) == len && !memcmp(names[i], s, len))
			return i;
	return -EINVAL;
}

int xdpmeta_parse_param(const char *const *names, const char *val)
{
	size_t len = strlen(val);

	if (len && val[len - 1] == '\n')
		len--;
	return xdpmeta_parse_word(names, val, len);
}

/* Decimal digits only, at most max; -EINVAL or -ERANGE as parse.h says. */
static int xdpmeta_parse_num(const char *s, size_t len, uint64_t max,
			     uint64_t *val)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	for (i = 0; i < len; i++) {
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)	/* max < 2^32: v * 10 cannot overflow */
			return -ERANGE;
	}
	if (v == 0)
		return -ERANGE;
	*val = v;
	return 0;
}

static int xdpmeta_is_sep(char c)
{
	return c == ' ' || c == '\t';
}

int xdpmeta_parse_mb_policy_cmd(const char *buf, size_t len,
				struct xdpmeta_mb_policy_cmd *cmd)
{
	const char *field[3];
	size_t flen[3], i = 0;
	uint64_t netns, ifindex;
	int n = 0, e1, e2, policy;

	if (len > XDPMETA_MB_POLICY_LINE_MAX)
		return -EINVAL;
	if (len && buf[len - 1] == '\n')
		len--;
	for (;;) {
		while (i < len && xdpmeta_is_sep(buf[i]))
			i++;
		if (i == len)
			break;
		if (n == 3)
			return -EINVAL;
		field[n] = buf + i;
		while (i < len && !xdpmeta_is_sep(buf[i]))
			i++;
		flen[n] = (size_t)(buf + i - field[n]);
		n++;
	}
	if (n != 3)
		return -EINVAL;
	/* form before range: "x 0 drop" is malformed, not out of range */
	policy = xdpmeta_parse_word(xdpmeta_mb_policy_names, field[2], flen[2]);
	if (policy < 0)
		return policy;
	e1 = xdpmeta_parse_num(field[0], flen[0], 4294967295ULL, &netns);
	e2 = xdpmeta_parse_num(field[1], flen[1], 2147483647, &ifindex);
	if (e1 == -EINVAL || e2 == -EINVAL)
		return -EINVAL;
	if (e1 || e2)
		return -ERANGE;
	cmd->netns = (uint32_t)netns;
	cmd->ifindex = (int32_t)ifindex;
	cmd->policy = policy;
	return 0;
}

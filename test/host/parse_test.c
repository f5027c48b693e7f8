// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of kmod/parse.c: the lines <debugfs>/mb_policy takes and the
 * words of the mb_mode and mb_policy module parameters. Each case is one
 * input and what the module must make of it; the cases marked "was:" are
 * ones the module's old sscanf("%u %d %15s") got wrong.
 *
 * Output: "ok - <name>" or "FAIL - <name>: <why>", then "N passed, N failed".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"

static int passed, failed;

static void result(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("ok - %s\n", name);
		passed++;
	} else {
		printf("FAIL - %s: %s\n", name, why);
		failed++;
	}
}

/* len < 0: strlen(line) */
static void line(const char *name, const char *text, int len, int want,
		 unsigned int netns, int ifindex, int policy)
{
	struct xdpmeta_mb_policy_cmd cmd = { 0, 0, -1 };
	char why[160];
	int r = xdpmeta_parse_mb_policy_cmd(text, len < 0 ? strlen(text) : (size_t)len,
					    &cmd);

	if (r != want)
		snprintf(why, sizeof(why), "returned %d, expected %d", r, want);
	else if (!r && (cmd.netns != netns || cmd.ifindex != ifindex ||
			cmd.policy != policy))
		snprintf(why, sizeof(why), "got %u %d %d, expected %u %d %d",
			 cmd.netns, cmd.ifindex, cmd.policy, netns, ifindex,
			 policy);
	else if (r && cmd.policy != -1)
		snprintf(why, sizeof(why), "refused, but wrote its output");
	else
		why[0] = '\0';
	result(name, !why[0], why);
}

static void param(const char *name, const char *const *names, const char *val,
		  int want)
{
	char why[80];
	int r = xdpmeta_parse_param(names, val);

	snprintf(why, sizeof(why), "returned %d, expected %d", r, want);
	result(name, r == want, why);
}

int main(void)
{
	static const char nul[] = "1 2 drop\0";
	char longest[XDPMETA_MB_POLICY_LINE_MAX + 2];
	const int L = XDPMETA_MB_LINEARIZE, D = XDPMETA_MB_DROP,
		  P = XDPMETA_MB_PASS;

	line("line_as_the_cli_writes_it", "4026531840 7 drop\n", -1, 0, 4026531840U, 7, D);
	line("line_without_newline", "1 2 pass", -1, 0, 1, 2, P);
	line("line_tabs_and_runs_of_blanks", " \t1\t\t2  linearize \n", -1, 0, 1, 2, L);
	line("line_largest_numbers", "4294967295 2147483647 drop", -1, 0,
	     4294967295U, 2147483647, D);
	line("line_leading_zeros_are_decimal", "010 08 drop", -1, 0, 10, 8, D);
	line("line_trailing_word_refused (was: accepted as drop)",
	     "1 2 drop junk", -1, -EINVAL, 0, 0, 0);
	line("line_glued_suffix_refused", "1 2 dropped", -1, -EINVAL, 0, 0, 0);
	line("line_netns_above_32_bits_refused (was: wrapped to netns 1)",
	     "4294967297 2 drop", -1, -ERANGE, 0, 0, 0);
	line("line_huge_netns_refused", "99999999999999999999999 2 drop", -1, -ERANGE, 0, 0, 0);
	line("line_ifindex_above_int_refused", "1 2147483648 drop", -1, -ERANGE, 0, 0, 0);
	line("line_negative_ifindex_refused (was: parsed as -5)", "1 -5 drop", -1, -EINVAL, 0, 0, 0);
	line("line_zero_netns_refused", "0 2 drop", -1, -ERANGE, 0, 0, 0);
	line("line_zero_ifindex_refused", "1 0 drop", -1, -ERANGE, 0, 0, 0);
	line("line_malformed_beats_range", "0 x drop", -1, -EINVAL, 0, 0, 0);
	line("line_plus_sign_refused", "+1 2 drop", -1, -EINVAL, 0, 0, 0);
	line("line_hex_refused", "0x1 2 drop", -1, -EINVAL, 0, 0, 0);
	line("line_policy_is_case_sensitive", "1 2 DROP", -1, -EINVAL, 0, 0, 0);
	line("line_policy_prefix_refused", "1 2 lin", -1, -EINVAL, 0, 0, 0);
	line("line_two_fields_refused", "1 drop", -1, -EINVAL, 0, 0, 0);
	line("line_empty_refused", "", -1, -EINVAL, 0, 0, 0);
	line("line_only_newline_refused", "\n", -1, -EINVAL, 0, 0, 0);
	line("line_two_newlines_refused", "1 2 drop\n\n", -1, -EINVAL, 0, 0, 0);
	line("line_newline_inside_refused", "1 2\ndrop", -1, -EINVAL, 0, 0, 0);
	line("line_nul_byte_refused", nul, sizeof(nul) - 1, -EINVAL, 0, 0, 0);
	line("line_nul_not_an_end (bytes after it count)", "1 2 drop\0 junk", 14,
	     -EINVAL, 0, 0, 0);

	memset(longest, ' ', sizeof(longest));
	memcpy(longest, "1 2 drop", 8);
	line("line_of_the_longest_length", longest, XDPMETA_MB_POLICY_LINE_MAX, 0, 1, 2, D);
	line("line_one_byte_too_long", longest, XDPMETA_MB_POLICY_LINE_MAX + 1,
	     -EINVAL, 0, 0, 0);

	param("param_mode_word", xdpmeta_mb_mode_names, "strict", XDPMETA_MB_STRICT);
	param("param_mode_from_echo", xdpmeta_mb_mode_names, "off\n", XDPMETA_MB_OFF);
	param("param_mode_two_newlines", xdpmeta_mb_mode_names, "off\n\n", -EINVAL);
	param("param_mode_prefix", xdpmeta_mb_mode_names, "stric", -EINVAL);
	param("param_mode_empty", xdpmeta_mb_mode_names, "", -EINVAL);
	param("param_mode_is_not_a_policy", xdpmeta_mb_mode_names, "drop", -EINVAL);
	param("param_policy_word", xdpmeta_mb_policy_names, "pass\n", XDPMETA_MB_PASS);
	param("param_policy_blank_refused", xdpmeta_mb_policy_names, " pass", -EINVAL);

	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

# SPDX-License-Identifier: GPL-2.0
# Sourced by cli_test.sh (its helpers are defined there): the tests of
# prog attach|detach|list. No host has the module loaded, so these cover
# the command line, help, device lookup and the "not loaded" messages;
# the chains themselves are tested in the VM (test/vm/t_chain.c).
# ---- prog

# A name no device has (at most 15 characters).
PROG_NODEV=xdpmeta-nodev0

t_prog_help()
{
	run help
	expect_rc 0 || return 1
	expect_out_has "  prog attach DEV PROG.o|PINNED [--sec NAME] [--before ID|--after ID|--first|--last] [--replace ID] [--continue ACTIONS] [--mb pull|drop|pass|skip] [--expected-revision N]"$'\n'"                                    Add an XDP program to a device's chain" || return 1
	expect_out_has "  prog list [DEV]                   Show the chains of programs of devices" || return 1
	run help prog attach
	expect_rc 0 || return 1
	expect_out_has "Usage: xdpmeta prog attach DEV PROG.o|PINNED [--sec NAME] [--before ID|--after ID|--first|--last] [--replace ID] [--continue ACTIONS] [--mb pull|drop|pass|skip] [--expected-revision N] [--json]" || return 1
	expect_out_has "--continue ACTIONS" || return 1
	run prog detach --help
	expect_rc 0 || return 1
	expect_out_has "Usage: xdpmeta prog detach DEV [ID|PINNED] [--before ID|--after ID] [--expected-revision N] [--json]" || return 1
	run prog -h
	expect_rc 0 || return 1
	expect_out_has "Usage: xdpmeta prog [{attach|detach|list} [ARGS]]" || return 1
	expect_out_has "  attach DEV PROG.o|PINNED" || return 1
	expect_out_has "  detach DEV [ID|PINNED]" || return 1
	expect_out_has "  list [DEV]" || return 1
	run help p l
	expect_rc 0 || return 1
	expect_out_has "Usage: xdpmeta prog list [DEV] [--json]"
}

# prog_usage ERROR ARGS...: exit status 2, ERROR and the command's usage.
prog_usage()
{
	local want=$1

	shift
	run "$@"
	expect_rc 2 || { WHY="'$*': $WHY"; return 1; }
	expect_err_has "$want" || { WHY="'$*': $WHY"; return 1; }
	expect_err_has "Usage: xdpmeta prog $2 " || { WHY="'$*': $WHY"; return 1; }
	[ -z "$OUT" ] || { WHY="'$*': stdout '$OUT'"; return 1; }
}

t_prog_usage()
{
	prog_usage "xdpmeta prog attach: missing arguments" prog attach || return 1
	prog_usage "xdpmeta prog attach: missing argument (" prog attach lo || return 1
	prog_usage "unexpected argument 'more'" prog attach lo x.o more || return 1
	prog_usage "unknown option '--bogus'" prog attach lo x.o --bogus || return 1
	prog_usage "option --sec needs a value" prog attach lo x.o --sec || return 1
	prog_usage "option --first takes no value" prog attach lo x.o --first=1 || return 1
	prog_usage "--continue takes a comma list of aborted, drop, pass, tx, redirect, or none: not 'bogus' in 'pass,bogus'" \
		prog attach lo x.o --continue pass,bogus || return 1
	prog_usage "not '' in 'pass,'" prog attach lo x.o --continue pass, || return 1
	prog_usage "not 'none' in 'none,pass'" prog attach lo x.o --continue none,pass || return 1
	prog_usage "--mb takes pull, drop, pass or skip, not 'linearize'" \
		prog attach lo x.o --mb linearize || return 1
	prog_usage "--before needs a program id (0: the front or back) or a pinned program, not '4294967296'" \
		prog attach lo x.o --before 4294967296 || return 1
	prog_usage "--replace needs a program id or a pinned program, not '0'" \
		prog attach lo x.o --replace 0 || return 1
	prog_usage "--expected-revision needs a revision number, not '-1'" \
		prog attach lo x.o --expected-revision -1 || return 1
	prog_usage "xdpmeta prog detach: missing argument" prog detach || return 1
	prog_usage "ID needs a program id or a pinned program, not '0'" prog detach lo 0 || return 1
	prog_usage "unexpected argument '8'" prog detach lo 7 8 || return 1
	prog_usage "unknown option '--first'" prog detach lo --first || return 1
	prog_usage "--after needs a program id (0: the front or back) or a pinned program, not '99999999999'" \
		prog detach lo --after 99999999999 || return 1
	prog_usage "unexpected argument 'lo'" prog list eth0 lo || return 1
	# an option after the group: the default command's (prog list)
	prog_usage "xdpmeta prog list: unknown option '--x'" prog list --x || return 1
	run prog --x
	expect_rc 2 || return 1
	expect_err_has "xdpmeta prog list: unknown option '--x'" || return 1
	run prog nosuch
	expect_rc 2 || return 1
	expect_err_has "xdpmeta prog: unknown command 'nosuch'"
}

t_prog_no_device()
{
	run prog attach "$PROG_NODEV" x.o --first --continue none --mb skip
	expect_rc 1 || return 1
	expect_err "Couldn't find device '$PROG_NODEV': No such device" || return 1
	run prog detach "$PROG_NODEV" 5 --before 0
	expect_rc 1 || return 1
	expect_err "Couldn't find device '$PROG_NODEV': No such device" || return 1
	run --json prog list "$PROG_NODEV"
	expect_rc 1 || return 1
	expect_err "Couldn't find device '$PROG_NODEV': No such device" || return 1
	[ -z "$OUT" ] || { WHY="stdout '$OUT'"; return 1; }
}

t_prog_not_loaded()
{
	local why="xdpmeta is not loaded (insmod kmod/xdpmeta.ko)"

	run prog attach lo fw.o --before 0 --continue pass,tx --mb pull --expected-revision 3
	expect_rc 1 || return 1
	expect_err "Couldn't attach 'fw.o' to 'lo': $why" || return 1
	run prog detach lo 42
	expect_rc 1 || return 1
	expect_err "Couldn't detach '42' from 'lo': $why" || return 1
	run prog detach lo --after 0
	expect_rc 1 || return 1
	expect_err "Couldn't detach from 'lo': $why" || return 1
	run prog list lo
	expect_rc 1 || return 1
	expect_err "Couldn't list the programs of 'lo': $why" || return 1
	run --json prog
	expect_rc 1 || return 1
	expect_err "Couldn't list the programs of 'all devices': $why" || return 1
	[ -z "$OUT" ] || { WHY="stdout '$OUT'"; return 1; }
	# a prefix of each word, and the default command
	run p l lo
	expect_rc 1 || return 1
	expect_err "Couldn't list the programs of 'lo': $why"
}

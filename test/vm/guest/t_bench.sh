# SPDX-License-Identifier: GPL-2.0
# Smoke tests of `make bench`: every benchmark runs with tiny parameters and
# prints a sane table. Never a timing: TCG timings mean nothing here.

# every CSV row: a case name and a positive value
sane_csv() {
	grep '^csv:' /tmp/b.csv > /tmp/b.rows || die "no csv rows"
	awk -F, '$2 == "" || !($3 > 0) { bad = 1; print "bad row: " $0 } END { exit bad }' /tmp/b.rows ||
		die "insane csv rows"
}

test_store_bench_prints_table() {
	xm_load
	ok sh -c "store_bench 200 2> /tmp/b.csv"
	cat /tmp/ok.out
	for c in empty meta1 meta4 kv1 kv4 kv16; do
		grep -qE "^$c +[0-9]+ " /tmp/ok.out || die "no row for $c"
	done
	expect_grep '^pull: .* ns per KB pulled' /tmp/ok.out "pull line"
	sane_csv
}

# every kfunc case ran (kfunc_bench fails a run whose program did not
# return PASS, i.e. whose call did not give its documented result:
# bpf_xdpmeta_nop() 0, a get of an absent key -ENOENT, ...)
test_kfunc_bench_prints_table() {
	xm_load
	ok sh -c "kfunc_bench 50 5 2> /tmp/b.csv"
	cat /tmp/ok.out
	for c in empty base nop get_hit get_hit16 get_miss is_set base_seq set_over set_same \
		 set_over16 ins_del pair get_einval get_emsgsize set_eexist s_empty s_get_nostore s_create s_insert s_delete \
		 t_empty t_get_nostore; do
		grep -qE "^$c +[0-9]+ " /tmp/ok.out || die "no row for $c"
	done
	sane_csv
}

test_chain_bench_prints_table() {
	xm_load
	ok sh -c "chain_bench 2000 2> /tmp/b.csv"
	cat /tmp/ok.out
	for c in direct chain0 chain1 chain2 chain4 chain8 chain64; do
		grep -qE "^$c +[0-9]+ " /tmp/ok.out || die "no row for $c"
	done
	# a chain of 64 costs more than one of 1: the programs did run
	a=$(awk '$1 == "chain1" {print $2}' /tmp/ok.out)
	b=$(awk '$1 == "chain64" {print $2}' /tmp/ok.out)
	[ "$b" -gt "$a" ] || die "chain64 ($b) not above chain1 ($a)"
	sane_csv
}

test_mb_bench_prints_table() {
	ok sh -c "mb_bench 0.3 2> /tmp/b.csv"
	cat /tmp/ok.out
	if kernel_is 6.1; then	# no multi-buffer redirect into devices (t_mb.c asserts it)
		expect_grep '^mb redirect shim: n/a on this kernel: it redirects no multi-buffer frame into a device' /tmp/ok.out "6.1 line"
		return 0
	fi
	expect_grep '^pass +[0-9]+ pps' /tmp/ok.out "pass row"
	expect_grep '^linearize +[0-9]+ pps .* ratio [0-9.]+' /tmp/ok.out "linearize row"
	sane_csv
}

test_dp_bench_prints_table() {
	ok sh -c "dp_bench 2000 2> /tmp/b.csv"
	cat /tmp/ok.out
	expect_grep '^\(a\) not loaded +[0-9]+ pps' /tmp/ok.out "(a) row"
	expect_grep '^\(c\) store set\+get +[0-9]+ pps' /tmp/ok.out "(c) row"
	expect_grep '^\(e\) skb path, loaded +[0-9]+ pps' /tmp/ok.out "(e) row"
	# the store crossed the redirect for every generated frame
	sane_csv
	m=$(sed -n 's/.*store reads that matched: \([0-9]*\) of \([0-9]*\).*/\1 \2/p' /tmp/ok.out)
	set -- $m
	[ -n "$1" ] && [ "$1" -gt 0 ] && [ "$1" = "$2" ] || die "store reads matched: '$m'"
}

test_hints_bench_prints_table() {
	ok sh -c "hints_bench 500 2> /tmp/b.csv"
	cat /tmp/ok.out
	if kernel_is 6.1; then	# no hint ops: the import case is refused, and says so
		expect_grep '^import \(ii\) import_hints: refused at attach on this kernel \(no RX hint ops\)' /tmp/ok.out "6.1 import line"
		rows="(i) plain|(p) no store|(q) store, no hints|(r) 3 hints applied"
	else
		rows="(i) plain|(ii) import_hints|(p) no store|(q) store, no hints|(r) 3 hints applied"
		expect_grep '^imported .hash and VLAN.: [1-9][0-9]* packets' /tmp/ok.out "imports"
	fi
	IFS='|'; for c in $rows; do
		grep -qF "$c" /tmp/ok.out || die "no row for $c"
	done; unset IFS
	sane_csv
	# imports found hash and VLAN; the (q) and (r) skbs had a store, only
	# the (r) ones hints. Bounds, not exact totals: live frames redirected
	# into a veth are dropped when its ring is full (veth_xdp_xmit), so N
	# frames generated per case and round are at most N skbs. More than
	# half lost, or more counted than generated ((p) frames have no store),
	# fails.
	set -- $(sed -n 's/^hints: \([0-9]*\) packets per case and round, \([0-9]*\) rounds$/\1 \2/p' /tmp/ok.out)
	[ -n "${2:-}" ] || die "no 'hints: N packets per case and round, R rounds' line"
	per_case=$(($1 * $2))
	set -- $(sed -n 's/^skbs with a store at xrd: \([0-9]*\), with hints applied: \([0-9]*\)/\1 \2/p' /tmp/ok.out)
	[ -n "${2:-}" ] || die "no 'skbs with a store' line"
	log "stores $1 (generated $((2 * per_case))), hints $2 (generated $per_case)"
	[ "$1" -le $((2 * per_case)) ] && [ "$1" -ge "$per_case" ] ||
		die "skbs with a store at xrd: $1, expected $per_case..$((2 * per_case))"
	[ "$2" -le "$per_case" ] && [ "$2" -ge $((per_case / 2)) ] ||
		die "skbs with hints at xrd: $2, expected $((per_case / 2))..$per_case"
	[ "$2" -lt "$1" ] || die "hints applied to $2 skbs, not fewer than the $1 with a store ((q) has none)"
}

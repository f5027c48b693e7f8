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

test_mb_bench_prints_table() {
	ok sh -c "mb_bench 0.3 2> /tmp/b.csv"
	cat /tmp/ok.out
	expect_grep '^pass +[0-9]+ pps' /tmp/ok.out "pass row"
	expect_grep '^linearize +[0-9]+ pps .* ratio [0-9.]+' /tmp/ok.out "linearize row"
	sane_csv
}

test_dp_bench_prints_table() {
	ok sh -c "dp_bench 2000 2> /tmp/b.csv"
	cat /tmp/ok.out
	expect_grep '^\(a\) not loaded +[0-9]+ pps' /tmp/ok.out "(a) row"
	expect_grep '^\(c\) store set\+get +[0-9]+ pps' /tmp/ok.out "(c) row"
	# the store crossed the redirect for every generated frame
	sane_csv
	m=$(sed -n 's/.*store reads that matched: \([0-9]*\) of \([0-9]*\).*/\1 \2/p' /tmp/ok.out)
	set -- $m
	[ -n "$1" ] && [ "$1" -gt 0 ] && [ "$1" = "$2" ] || die "store reads matched: '$m'"
}

test_hints_bench_prints_table() {
	ok sh -c "hints_bench 500 2> /tmp/b.csv"
	cat /tmp/ok.out
	for c in '(i) plain' '(ii) import_hints' '(p) no store' '(q) store, no hints' '(r) 3 hints applied'; do
		grep -qF "$c" /tmp/ok.out || die "no row for $c"
	done
	sane_csv
	# every import found hash and VLAN; every (q) and (r) skb had a store
	expect_grep '^imported .hash and VLAN.: [1-9][0-9]* packets' /tmp/ok.out "imports"
	set -- $(sed -n 's/^skbs with a store at xrd: \([0-9]*\), with hints applied: \([0-9]*\)/\1 \2/p' /tmp/ok.out)
	[ -n "${2:-}" ] && [ "$2" -ge 2500 ] && [ "$1" -ge 5000 ] || die "stores/hints at xrd: '$*'"
}

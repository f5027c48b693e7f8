// SPDX-License-Identifier: GPL-2.0
/*
 * stress_kv: sets and gets the ids a test-run packet names, while other
 * threads register and unregister keys (test/vm/t_stress_keys.c). Every
 * outcome is counted; the only acceptable ones are those the kfuncs
 * document for a key that is (re-)registered meanwhile.
 */
#include "xdpmeta.h"
#include "stress.h"

#define ENOKEY		126
#define EMSGSIZE	90
#define EBADMSG		74

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STRESS_NR);
	__type(key, __u32);
	__type(value, __u64);
} stress_counts SEC(".maps");

__s32 stress_last_other;

static __always_inline void stress_count(__u32 i)
{
	__u64 *c = bpf_map_lookup_elem(&stress_counts, &i);

	if (c)
		(*c)++;
}

static __always_inline int stress_raced(int r)
{
	return r == -ENOKEY || r == -EMSGSIZE || r == -EBADMSG;
}

SEC("xdp")
int stress_kv(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct stress_pkt *p = data;
	__u64 val, out;
	int i, r, g;

	if ((void *)(p + 1) > end)
		return XDP_ABORTED;
	val = p->val;
	for (i = 0; i < STRESS_KEYS_PER_PKT; i++) {
		__u32 key = p->key[i];
		__u32 sz = p->size[i] == 8 ? 8 : 4;

		out = 0;
		r = bpf_xdpmeta_set(ctx, key, &val, sz, 0);
		if (r == 0) {
			g = bpf_xdpmeta_get(ctx, key, &out, sz);
			if (g == (int)sz) {
				if (sz == 8 ? out == val : (__u32)out == (__u32)val)
					stress_count(STRESS_OK);
				else
					stress_count(STRESS_MISMATCH);
			} else if (stress_raced(g)) {
				stress_count(STRESS_RACED);
			} else {
				stress_last_other = g;
				stress_count(STRESS_OTHER);
			}
		} else if (stress_raced(r)) {
			stress_count(STRESS_REFUSED);
		} else {
			stress_last_other = r;
			stress_count(STRESS_OTHER);
		}
		/* bpf_xdp_adjust_head() and friends invalidate p */
		data = (void *)(long)ctx->data;
		end = (void *)(long)ctx->data_end;
		p = data;
		if ((void *)(p + 1) > end)
			return XDP_ABORTED;
		val++;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

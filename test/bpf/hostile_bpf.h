/* SPDX-License-Identifier: GPL-2.0 */
/* BPF side of the hostile corpus: what every hostile_*.bpf.c needs. */
#ifndef HOSTILE_BPF_H
#define HOSTILE_BPF_H

#include "xdpmeta.h"
#include "hostile.h"
#include <bpf/bpf_endian.h>

/* the kernel's dynptr kfuncs (bpftool 7.1's vmlinux.h has no prototypes) */
extern int bpf_dynptr_from_xdp(struct xdp_md *x, __u64 flags,
			       struct bpf_dynptr *ptr__uninit) __ksym __weak;
extern int bpf_dynptr_from_skb(struct __sk_buff *s, __u64 flags,
			       struct bpf_dynptr *ptr__uninit) __ksym __weak;
extern void *bpf_dynptr_slice(const struct bpf_dynptr *p, __u32 offset,
			      void *buffer__opt, __u32 buffer__szk) __ksym __weak;
extern void *bpf_dynptr_slice_rdwr(const struct bpf_dynptr *p, __u32 offset,
				   void *buffer__opt, __u32 buffer__szk) __ksym __weak;

#define TC_ACT_OK	0
#define ETH_P_IP	0x0800

/* errnos (vmlinux.h has none) */
#define EPERM		1
#define ENOENT		2
#define EEXIST		17
#define EINVAL		22
#define ENOSPC		28
#define ENODATA		61
#define EBADMSG		74
#define EMSGSIZE	90
#define EOPNOTSUPP	95
#define ESTALE		116
#define ENOKEY		126

/* results, in call order (hostile.h) */
__s64 r[H_NR];
__u32 nr;
struct h_keys keys;

/* the call first, always; then its result into the next slot */
#define R(x)	do { __s64 _v = (x); __u32 _i = nr; r[_i & (H_NR - 1)] = _v; nr = _i + 1; } while (0)

/* a hash map that stays empty: every lookup is NULL at run time */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8[32]);
} empty_hash SEC(".maps");

/* an array: its value is a valid map-value buffer */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8[48]);
} arr SEC(".maps");

/* a ring buffer too small for the reservations that must fail */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

#define RB_TOO_BIG	8192	/* > the ring: bpf_ringbuf_reserve() is NULL */

static __always_inline void *h_null_lookup(void)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&empty_hash, &k);	/* not checked: hostile */
}

/* fill @p with the value pattern of an @n-byte key */
static __always_inline void h_fill(__u8 *p, int n)
{
	for (int i = 0; i < 16; i++)
		p[i] = H_VAL_BYTE(n, i);
}

static __always_inline int h_check(const __u8 *p, int n)
{
	for (int i = 0; i < 16 && i < n; i++)
		if (p[i] != H_VAL_BYTE(n, i))
			return 0;
	return 1;
}

#endif

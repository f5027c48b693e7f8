/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reference model of the xdpmeta key/value store (kmod/kv.h), shared by
 * kv_test.c and kv_fuzz.c.
 *
 * Written to be obviously right rather than fast: a code and the stored slot
 * bytes per key, per-key loops instead of bit tricks, and the byte image of
 * a store built key by key.  It implements the documented semantics,
 * including the order in which errors are checked.
 */
#ifndef KV_MODEL_H
#define KV_MODEL_H

#include <errno.h>
#include <stdint.h>
#include <string.h>

#define KVM_KEYS	64
#define KVM_HDR		16
#define KVM_MAX_LEN	(KVM_HDR + 8 * KVM_KEYS)

struct kvm {
	unsigned char code[KVM_KEYS];		/* 0 absent, 1 flag, 2, 3 */
	unsigned char slot[KVM_KEYS][8];	/* slot bytes, as stored */
};

/* value bytes in the store for a key code */
static inline unsigned int kvm_code_bytes(unsigned int code)
{
	return code == 2 ? 4 : code == 3 ? 8 : 0;
}

/*
 * How an API size is stored: the code each key gets and how many keys
 * (2 for 16 bytes).  Returns 0 for an invalid key/size pair.
 */
static inline int kvm_layout(unsigned int key, unsigned int size,
			     unsigned int *code, unsigned int *nkeys)
{
	unsigned int c, n;

	switch (size) {
	case 0:
		c = 1, n = 1;
		break;
	case 2:
	case 4:
		c = 2, n = 1;
		break;
	case 8:
		c = 3, n = 1;
		break;
	case 16:
		c = 3, n = 2;
		break;
	default:
		return 0;
	}
	if (key >= KVM_KEYS || key + n > KVM_KEYS)
		return 0;
	*code = c;
	*nkeys = n;
	return 1;
}

static inline unsigned int kvm_slot_len(unsigned int size)
{
	unsigned int c, n;

	if (!kvm_layout(0, size, &c, &n))
		return 0;
	return n * kvm_code_bytes(c);
}

static inline void kvm_init(struct kvm *m)
{
	memset(m, 0, sizeof(*m));
}

static inline unsigned int kvm_len(const struct kvm *m)
{
	unsigned int k, len = KVM_HDR;

	for (k = 0; k < KVM_KEYS; k++)
		len += kvm_code_bytes(m->code[k]);
	return len;
}

/* presence and layout match of the key(s) for size: any present, all match */
static inline void kvm_probe(const struct kvm *m, unsigned int key,
			     unsigned int code, unsigned int n, int *any,
			     int *all)
{
	unsigned int i;

	*any = 0;
	*all = 1;
	for (i = 0; i < n; i++) {
		if (m->code[key + i])
			*any = 1;
		if (m->code[key + i] != code)
			*all = 0;
	}
}

static inline int kvm_get(const struct kvm *m, unsigned int key, void *val,
			  unsigned int size)
{
	unsigned char *out = val;
	unsigned int code, n;
	int any, all;

	if (!kvm_layout(key, size, &code, &n))
		return -EINVAL;
	kvm_probe(m, key, code, n, &any, &all);
	if (!any)
		return -ENOENT;
	if (!all)
		return -EBADMSG;
	if (size == 16) {
		memcpy(out, m->slot[key], 8);
		memcpy(out + 8, m->slot[key + 1], 8);
	} else {
		memcpy(out, m->slot[key], size);
	}
	return (int)size;
}

static inline int kvm_set(struct kvm *m, unsigned int room, unsigned int key,
			  const void *val, unsigned int size,
			  unsigned int flags)
{
	const unsigned char *in = val;
	unsigned int code, n, i;
	int any, all;

	if (!kvm_layout(key, size, &code, &n))
		return -EINVAL;
	if (flags & ~3U)
		return -EINVAL;
	if (flags == 3)
		return -EINVAL;
	kvm_probe(m, key, code, n, &any, &all);
	if (any && (flags & 1))
		return -EEXIST;
	if (!any && (flags & 2))
		return -ENOENT;
	if (any && !all)
		return -EBADMSG;
	if (!any && kvm_len(m) + kvm_slot_len(size) > room)
		return -ENOSPC;
	for (i = 0; i < n; i++) {
		m->code[key + i] = (unsigned char)code;
		memset(m->slot[key + i], 0, 8);
	}
	if (size == 16) {
		memcpy(m->slot[key], in, 8);
		memcpy(m->slot[key + 1], in + 8, 8);
	} else {
		memcpy(m->slot[key], in, size);	/* 2: pad stays zero */
	}
	return 0;
}

static inline int kvm_del(struct kvm *m, unsigned int key, unsigned int size)
{
	unsigned int code, n, i;
	int any, all;

	if (!kvm_layout(key, size, &code, &n))
		return -EINVAL;
	kvm_probe(m, key, code, n, &any, &all);
	if (!any)
		return -ENOENT;
	if (!all)
		return -EBADMSG;
	for (i = 0; i < n; i++) {
		m->code[key + i] = 0;
		memset(m->slot[key + i], 0, 8);
	}
	return 0;
}

/* The byte image of the store (kvm_len() bytes, at most KVM_MAX_LEN). */
static inline unsigned int kvm_serialize(const struct kvm *m, void *out)
{
	unsigned char *p = out;
	uint64_t lo = 0, hi = 0;
	unsigned int k, pos = KVM_HDR, nb;

	for (k = 0; k < KVM_KEYS; k++) {
		if (m->code[k] & 1)
			lo |= (uint64_t)1 << k;
		if (m->code[k] & 2)
			hi |= (uint64_t)1 << k;
		nb = kvm_code_bytes(m->code[k]);
		memcpy(p + pos, m->slot[k], nb);
		pos += nb;
	}
	memcpy(p, &lo, 8);
	memcpy(p + 8, &hi, 8);
	return pos;
}

/*
 * Load the model from a store image: the header and then, in key order, the
 * values.  @avail is how many bytes of @in can be read; returns the store
 * length, or 0 if the store does not fit in @avail (the model is then only
 * partly loaded).
 */
static inline unsigned int kvm_load(struct kvm *m, const void *in,
				    unsigned int avail)
{
	const unsigned char *p = in;
	uint64_t lo, hi;
	unsigned int k, pos = KVM_HDR, nb;

	kvm_init(m);
	if (avail < KVM_HDR)
		return 0;
	memcpy(&lo, p, 8);
	memcpy(&hi, p + 8, 8);
	for (k = 0; k < KVM_KEYS; k++) {
		m->code[k] = (unsigned char)(((hi >> k) & 1) << 1 |
					     ((lo >> k) & 1));
		nb = kvm_code_bytes(m->code[k]);
		if (pos + nb > avail)
			return 0;
		memcpy(m->slot[k], p + pos, nb);
		pos += nb;
	}
	return pos;
}

#endif /* KV_MODEL_H */

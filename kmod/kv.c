// SPDX-License-Identifier: GPL-2.0
/*
 * xdpmeta per-packet key/value store encoding.  See kv.h for the layout.
 *
 * Pure C without kernel dependencies beyond memcpy/memmove and popcount, so
 * the same file builds into the module and into the host tests.
 */
#include "kv.h"

#ifndef __KERNEL__	/* what the kernel has; glibc has __always_inline */
typedef uint8_t u8;
typedef uint64_t u64;
#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif
#ifndef noinline
#define noinline __attribute__((__noinline__))
#endif
#endif

/*
 * The helpers below take the value size as a parameter but are always
 * inlined with a constant size: each public function dispatches on the size
 * to an out-of-line instance for that size (XDPMETA_KV_INSTANCE), so the
 * layout of a size folds into immediates and a value copy into plain moves.
 * That keeps get/set/del at a few dozen instructions (bench/kv-callgrind.sh).
 */

/* Header bits per key taken by a value of @size: 3 (k, k + 1) for 16 bytes */
static __always_inline unsigned int xdpmeta_kv_mask(unsigned int size)
{
	return size == 16 ? 3 : 1;
}

/* Expected lo bits of a value of @size, relative to its key */
static __always_inline unsigned int xdpmeta_kv_want_lo(unsigned int size)
{
	return size == 0 || size >= 8 ? xdpmeta_kv_mask(size) : 0;
}

/* Expected hi bits of a value of @size, relative to its key */
static __always_inline unsigned int xdpmeta_kv_want_hi(unsigned int size)
{
	return size ? xdpmeta_kv_mask(size) : 0;
}

/*
 * Whether @key holds a value laid out for @size: its lo and hi bits (both
 * keys' for 16 bytes) are the expected ones.  One AND of two words, each
 * inverted when the expected bit is 0, then a test of the key's bits.
 */
static __always_inline bool xdpmeta_kv_match(u64 lo, u64 hi,
					     unsigned int key,
					     unsigned int size)
{
	u64 t = (xdpmeta_kv_want_lo(size) ? lo : ~lo) &
		     (xdpmeta_kv_want_hi(size) ? hi : ~hi);
	unsigned int mask = xdpmeta_kv_mask(size);

	return ((t >> key) & mask) == mask;
}

/* Whether @key (or @key + 1 for 16 bytes) is present in any layout */
static __always_inline bool xdpmeta_kv_present(u64 lo, u64 hi,
					       unsigned int key,
					       unsigned int size)
{
	return ((lo | hi) >> key) & xdpmeta_kv_mask(size);
}

/* Error for a key that does not match @size: -ENOENT or -EBADMSG */
static __always_inline int xdpmeta_kv_nomatch(u64 lo, u64 hi,
					      unsigned int key,
					      unsigned int size)
{
	return xdpmeta_kv_present(lo, hi, key, size) ? -EBADMSG : -ENOENT;
}

/* Bytes a value of @size takes in the store */
static __always_inline unsigned int xdpmeta_kv_slot(unsigned int size)
{
	return size == 2 ? 4 : size;
}

/* Keys must be below this for a value of @size */
static __always_inline unsigned int xdpmeta_kv_key_lim(unsigned int size)
{
	return size == 16 ? XDPMETA_KV_MAX_KEYS - 1 : XDPMETA_KV_MAX_KEYS;
}

static __always_inline u64 xdpmeta_kv_ld64(const void *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static __always_inline void xdpmeta_kv_st64(void *p, u64 v)
{
	memcpy(p, &v, sizeof(v));
}

/*
 * Value bytes of the keys whose hi bits are set in @h (a masked hi word):
 * 4 per set hi bit, 4 more per key whose lo bit is set too.
 */
static __always_inline unsigned int xdpmeta_kv_bytes(u64 lo, u64 h)
{
	return 4 * (xdpmeta_kv_popcount(h) + xdpmeta_kv_popcount(h & lo));
}

/* Hi bits of the keys below @key; @key < 64, so the shift is defined */
static __always_inline u64 xdpmeta_kv_below(u64 hi, unsigned int key)
{
	return hi & ((1ULL << key) - 1);
}

/* Offset of @key's value from the store start */
static __always_inline unsigned int xdpmeta_kv_off(u64 lo, u64 hi,
						   unsigned int key)
{
	return XDPMETA_KV_HDR_LEN +
	       xdpmeta_kv_bytes(lo, xdpmeta_kv_below(hi, key));
}

static __always_inline int xdpmeta_kv_get_sz(const void *store,
					     unsigned int key, void *val,
					     unsigned int size)
{
	const u8 *p = store;
	u64 lo, hi;

	if (key >= xdpmeta_kv_key_lim(size))
		return -EINVAL;
	lo = xdpmeta_kv_ld64(p);
	hi = xdpmeta_kv_ld64(p + 8);
	if (!xdpmeta_kv_match(lo, hi, key, size))
		return xdpmeta_kv_nomatch(lo, hi, key, size);
	if (size)
		memcpy(val, p + xdpmeta_kv_off(lo, hi, key), size);
	return size;
}

/* Write a value of @size into its slot at @dst, zeroing 2-byte pads */
static __always_inline void xdpmeta_kv_put(u8 *dst, const void *val,
					   unsigned int size)
{
	if (size == 2)
		memset(dst + 2, 0, 2);
	if (size)
		memcpy(dst, val, size);
}

/*
 * Make room for a value of @size at @dst by moving the @tail bytes there up
 * by its slot length, then write the value.  Kept out of line and reached by
 * a tail call, so that the set paths need no registers saved across the
 * memmove() call; memmove()'s return value gives back @dst for the same
 * reason.
 */
static __always_inline int xdpmeta_kv_insert_sz(u8 *dst,
						unsigned int tail,
						const void *val,
						unsigned int size)
{
	const unsigned int slot = xdpmeta_kv_slot(size);

	dst = (u8 *)memmove(dst + slot, dst, tail) - slot;
	xdpmeta_kv_put(dst, val, size);
	return 0;
}

#define XDPMETA_KV_INSERT(size)						\
static noinline int xdpmeta_kv_insert##size(u8 *dst,		\
					    unsigned int tail,		\
					    const void *val)		\
{									\
	return xdpmeta_kv_insert_sz(dst, tail, val, size);		\
}

XDPMETA_KV_INSERT(2)
XDPMETA_KV_INSERT(4)
XDPMETA_KV_INSERT(8)
XDPMETA_KV_INSERT(16)

static __always_inline int xdpmeta_kv_insert(u8 *dst, unsigned int tail,
					     const void *val, unsigned int size)
{
	switch (size) {
	case 2:
		return xdpmeta_kv_insert2(dst, tail, val);
	case 4:
		return xdpmeta_kv_insert4(dst, tail, val);
	case 8:
		return xdpmeta_kv_insert8(dst, tail, val);
	default:
		return xdpmeta_kv_insert16(dst, tail, val);
	}
}

static __always_inline int xdpmeta_kv_set_sz(void *store, unsigned int room,
					     unsigned int key, const void *val,
					     unsigned int size,
					     unsigned int flags)
{
	u8 *p = store;
	u64 lo, hi;
	unsigned int head, tail, all;

	if (key >= xdpmeta_kv_key_lim(size))
		return -EINVAL;
	lo = xdpmeta_kv_ld64(p);
	hi = xdpmeta_kv_ld64(p + 8);
	if (xdpmeta_kv_present(lo, hi, key, size)) {
		if (flags & XDPMETA_KV_NOEXIST)
			return -EEXIST;
		if (!xdpmeta_kv_match(lo, hi, key, size))
			return -EBADMSG;
		p += xdpmeta_kv_off(lo, hi, key);
		/* unchanged: the value's bytes, and a 2-byte value's zero pad */
		if (!size || (!memcmp(p, val, size) && (size != 2 || !(p[2] | p[3]))))
			return XDPMETA_KV_UNCHANGED;
		xdpmeta_kv_put(p, val, size);
		return 0;
	}
	if (flags & XDPMETA_KV_EXIST)
		return -ENOENT;
	/* value bytes of all keys, of the keys before @key, from @key on */
	all = xdpmeta_kv_bytes(lo, hi);
	if (XDPMETA_KV_HDR_LEN + all + xdpmeta_kv_slot(size) > room)
		return -ENOSPC;
	head = xdpmeta_kv_bytes(lo, xdpmeta_kv_below(hi, key));
	tail = all - head;
	/*
	 * The key's bits are clear, so ^ is |; the different operators keep
	 * compilers from bouncing the header through a vector register.
	 */
	xdpmeta_kv_st64(p, lo ^ (u64)xdpmeta_kv_want_lo(size) << key);
	xdpmeta_kv_st64(p + 8, hi | (u64)xdpmeta_kv_want_hi(size) << key);
	p += XDPMETA_KV_HDR_LEN + head;
	if (size && tail)
		return xdpmeta_kv_insert(p, tail, val, size);
	xdpmeta_kv_put(p, val, size);
	return 0;
}

static __always_inline int xdpmeta_kv_del_sz(void *store, unsigned int key,
					     unsigned int size)
{
	u8 *p = store;
	u64 lo, hi, hm;
	unsigned int head, tail;

	if (key >= xdpmeta_kv_key_lim(size))
		return -EINVAL;
	lo = xdpmeta_kv_ld64(p);
	hi = xdpmeta_kv_ld64(p + 8);
	if (!xdpmeta_kv_match(lo, hi, key, size))
		return xdpmeta_kv_nomatch(lo, hi, key, size);
	/* the header first, so that nothing is live across memmove() */
	/* as in xdpmeta_kv_set_sz(): ^ clears the lo bits known to be set */
	xdpmeta_kv_st64(p, lo ^ (u64)xdpmeta_kv_want_lo(size) << key);
	xdpmeta_kv_st64(p + 8, hi & ~((u64)xdpmeta_kv_mask(size) << key));
	if (!size)
		return 0;
	/* value bytes of the keys before @key and after it (or @key + 1) */
	hm = xdpmeta_kv_below(hi, key);
	head = xdpmeta_kv_bytes(lo, hm);
	tail = xdpmeta_kv_bytes(lo, hi ^ hm) - xdpmeta_kv_slot(size);
	p += XDPMETA_KV_HDR_LEN + head;
	if (tail)
		memmove(p, p + xdpmeta_kv_slot(size), tail);
	return 0;
}

/*
 * One out-of-line instance per size: each gets its own register allocation
 * (an inlined 16-byte path would make every size save registers), and the
 * public functions reach them with a compare and a tail call.  They take
 * the public functions' parameters in the same order, minus the size, so
 * that the tail call needs (almost) no register moves.
 */
#define XDPMETA_KV_INSTANCE(size)					\
static noinline int xdpmeta_kv_get##size(const void *store,		\
					 unsigned int key, void *val)	\
{									\
	return xdpmeta_kv_get_sz(store, key, val, size);		\
}									\
static noinline int xdpmeta_kv_set##size(void *store, unsigned int room, \
					 unsigned int key,		\
					 const void *val,		\
					 unsigned int flags)		\
{									\
	return xdpmeta_kv_set_sz(store, room, key, val, size, flags);	\
}									\
static noinline int xdpmeta_kv_del##size(void *store, unsigned int key) \
{									\
	return xdpmeta_kv_del_sz(store, key, size);			\
}

XDPMETA_KV_INSTANCE(0)
XDPMETA_KV_INSTANCE(2)
XDPMETA_KV_INSTANCE(4)
XDPMETA_KV_INSTANCE(8)
XDPMETA_KV_INSTANCE(16)

/**
 * xdpmeta_kv_init() - Make an empty store.
 * @store: the store, at least %XDPMETA_KV_HDR_LEN bytes
 *
 * Zeroes the header; no key is present and the length is the header's.
 */
void xdpmeta_kv_init(void *store)
{
	memset(store, 0, XDPMETA_KV_HDR_LEN);
}

/**
 * xdpmeta_kv_len() - Length of a store.
 * @store: the store; its 16-byte header is read
 *
 * Return: the length in bytes of the header plus all values, between
 * %XDPMETA_KV_HDR_LEN and %XDPMETA_KV_MAX_LEN.
 */
unsigned int xdpmeta_kv_len(const void *store)
{
	u64 lo = xdpmeta_kv_ld64(store);
	u64 hi = xdpmeta_kv_ld64((const u8 *)store + 8);

	return XDPMETA_KV_HDR_LEN + xdpmeta_kv_bytes(lo, hi);
}

/**
 * xdpmeta_kv_valid() - Check that a store fits its buffer.
 * @store: the store
 * @room:  bytes available from @store on
 *
 * Nothing is read when @room is smaller than the header.  Any header is
 * well formed, so this only checks the length; get/set/del rely on it.
 *
 * Return: true if @room holds the header and the store's length is <= @room,
 * false otherwise.
 */
bool xdpmeta_kv_valid(const void *store, unsigned int room)
{
	if (room < XDPMETA_KV_HDR_LEN)
		return false;
	return xdpmeta_kv_len(store) <= room;
}

/**
 * xdpmeta_kv_get() - Read a value.
 * @store: a store checked with xdpmeta_kv_valid()
 * @key:   key id, 0..63
 * @val:   receives the @size bytes of the value; untouched on error
 * @size:  value size, one of 0, 2, 4, 8 and 16 (16 uses keys @key and
 *         @key + 1); sizes 2 and 4 share a layout, so a 4-byte value can be
 *         read as its first 2 bytes
 *
 * Return: @size (0 for a flag) on success;
 * -EINVAL if @key >= 64, @size is not one of 0, 2, 4, 8 and 16, or @size is
 * 16 and @key is 63;
 * -ENOENT if the key is absent (for @size 16: both @key and @key + 1 are);
 * -EBADMSG if the key is present with a layout that does not match @size.
 */
int xdpmeta_kv_get(const void *store, unsigned int key, void *val,
		   unsigned int size)
{
	/*
	 * A compare chain, most common sizes first: cheaper than the jump
	 * table a switch would become.
	 */
	if (size == 4)
		return xdpmeta_kv_get4(store, key, val);
	if (size == 8)
		return xdpmeta_kv_get8(store, key, val);
	if (size > 2) {
		if (size == 16)
			return xdpmeta_kv_get16(store, key, val);
		return -EINVAL;
	}
	if (size == 2)
		return xdpmeta_kv_get2(store, key, val);
	if (size == 0)
		return xdpmeta_kv_get0(store, key, val);
	return -EINVAL;
}

/**
 * xdpmeta_kv_set() - Insert or overwrite a value.
 * @store: a store checked with xdpmeta_kv_valid() for @room
 * @room:  bytes available from @store on, header included
 * @key:   key id, 0..63
 * @val:   the @size bytes of the value (not read for @size 0)
 * @size:  value size, one of 0, 2, 4, 8 and 16 (16 uses keys @key and
 *         @key + 1)
 * @flags: 0, %XDPMETA_KV_NOEXIST or %XDPMETA_KV_EXIST
 *
 * An absent key is inserted: the values after it move up by its slot length
 * and the store grows.  A present key whose layout matches @size is
 * overwritten in place.  A 2-byte value's 2 pad bytes are written as zero.
 * Checks are made in the order of the errors below; on error the store is
 * unchanged.
 *
 * Return: 0 on success;
 * -EINVAL if @key >= 64, @size is not one of 0, 2, 4, 8 and 16, @size is 16
 * and @key is 63, @flags has unknown bits, or @flags has both
 * %XDPMETA_KV_NOEXIST and %XDPMETA_KV_EXIST;
 * -EEXIST if %XDPMETA_KV_NOEXIST is set and the key is present (for @size
 * 16: @key or @key + 1 is, whatever its layout);
 * -ENOENT if %XDPMETA_KV_EXIST is set and the key is absent;
 * -EBADMSG if the key is present with a layout that does not match @size;
 * -ENOSPC if inserting would make the store longer than @room.
 */
int xdpmeta_kv_set(void *store, unsigned int room, unsigned int key,
		   const void *val, unsigned int size, unsigned int flags)
{
	int err = xdpmeta_kv_update(store, room, key, val, size, flags);

	return err > 0 ? 0 : err;
}

/**
 * xdpmeta_kv_update() - xdpmeta_kv_set(), saying whether anything changed.
 * @store: as xdpmeta_kv_set()
 * @room:  as xdpmeta_kv_set()
 * @key:   as xdpmeta_kv_set()
 * @val:   as xdpmeta_kv_set()
 * @size:  as xdpmeta_kv_set()
 * @flags: as xdpmeta_kv_set()
 *
 * For callers that keep something derived from the store's bytes (store.c:
 * the packet's sum and seal) and need not redo it when they are the same.
 *
 * Return: 0 if the store changed (an insert, or an overwrite with other
 * bytes); %XDPMETA_KV_UNCHANGED if @key was present, matching @size, with
 * exactly these bytes (for @size 0: present as a flag), so that nothing
 * was written; otherwise the errors of xdpmeta_kv_set(), in its order.
 */
int xdpmeta_kv_update(void *store, unsigned int room, unsigned int key,
		      const void *val, unsigned int size, unsigned int flags)
{
	if (flags > XDPMETA_KV_EXIST)	/* 3 = both, > 3 = unknown bits */
		return -EINVAL;
	/*
	 * A compare chain, most common sizes first: cheaper than the jump
	 * table a switch would become.
	 */
	if (size == 4)
		return xdpmeta_kv_set4(store, room, key, val, flags);
	if (size == 8)
		return xdpmeta_kv_set8(store, room, key, val, flags);
	if (size > 2) {
		if (size == 16)
			return xdpmeta_kv_set16(store, room, key, val, flags);
		return -EINVAL;
	}
	if (size == 2)
		return xdpmeta_kv_set2(store, room, key, val, flags);
	if (size == 0)
		return xdpmeta_kv_set0(store, room, key, val, flags);
	return -EINVAL;
}

/**
 * xdpmeta_kv_del() - Remove a value.
 * @store: a store checked with xdpmeta_kv_valid()
 * @key:   key id, 0..63
 * @size:  value size the key was set with, one of 0, 2, 4, 8 and 16 (16
 *         removes keys @key and @key + 1)
 *
 * The values after the key move down by its slot length and the store
 * shrinks; the bytes it shrinks away from are left as they are.  On error
 * the store is unchanged.
 *
 * Return: 0 on success;
 * -EINVAL if @key >= 64, @size is not one of 0, 2, 4, 8 and 16, or @size is
 * 16 and @key is 63;
 * -ENOENT if the key is absent (for @size 16: both @key and @key + 1 are);
 * -EBADMSG if the key is present with a layout that does not match @size.
 */
int xdpmeta_kv_del(void *store, unsigned int key, unsigned int size)
{
	/*
	 * A compare chain, most common sizes first: cheaper than the jump
	 * table a switch would become.
	 */
	if (size == 4)
		return xdpmeta_kv_del4(store, key);
	if (size == 8)
		return xdpmeta_kv_del8(store, key);
	if (size > 2) {
		if (size == 16)
			return xdpmeta_kv_del16(store, key);
		return -EINVAL;
	}
	if (size == 2)
		return xdpmeta_kv_del2(store, key);
	if (size == 0)
		return xdpmeta_kv_del0(store, key);
	return -EINVAL;
}

/**
 * xdpmeta_kv_code() - The 2-bit code of a key.
 * @store: the store; its 16-byte header is read
 * @key:   key id, 0..63
 *
 * Return: the code, %XDPMETA_KV_ABSENT (0), %XDPMETA_KV_FLAG (1),
 * %XDPMETA_KV_SLOT4 (2) or %XDPMETA_KV_SLOT8 (3);
 * -EINVAL if @key >= 64.
 */
int xdpmeta_kv_code(const void *store, unsigned int key)
{
	u64 lo, hi;

	if (key >= XDPMETA_KV_MAX_KEYS)
		return -EINVAL;
	lo = xdpmeta_kv_ld64(store);
	hi = xdpmeta_kv_ld64((const u8 *)store + 8);
	return (int)(((hi >> key) & 1) << 1 | ((lo >> key) & 1));
}

/**
 * xdpmeta_kv_slot_len() - Bytes a value of a given size takes in a store.
 * @size: value size
 *
 * Return: 0 for size 0 (a flag), 4 for sizes 2 and 4, 8 for size 8 and 16
 * for size 16; 0 also for every invalid size, so use
 * xdpmeta_kv_size_valid() to tell a flag from an invalid size.
 */
unsigned int xdpmeta_kv_slot_len(unsigned int size)
{
	switch (size) {
	case 2:
	case 4:
		return 4;
	case 8:
	case 16:
		return size;
	}
	return 0;
}

/**
 * xdpmeta_kv_size_valid() - Check a key and value size pair.
 * @key:  key id
 * @size: value size
 *
 * Return: true if @key < 64, @size is one of 0, 2, 4, 8 and 16, and
 * @key <= 62 when @size is 16; false otherwise.
 */
bool xdpmeta_kv_size_valid(unsigned int key, unsigned int size)
{
	switch (size) {
	case 0:
	case 2:
	case 4:
	case 8:
		return key < XDPMETA_KV_MAX_KEYS;
	case 16:
		return key < XDPMETA_KV_MAX_KEYS - 1;
	}
	return false;
}

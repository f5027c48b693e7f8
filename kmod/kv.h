/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdpmeta per-packet key/value store encoding.
 *
 * Layout
 * ------
 * A store is a 16-byte header made of two 64-bit words, ``lo`` at offset 0
 * and ``hi`` at offset 8 (native endianness), followed immediately by the
 * values of the present keys, sorted by key id ascending, packed, no gaps:
 *
 *   +--------+--------+---------+---------+-----+
 *   |   lo   |   hi   | value a | value b | ... |     a < b < ...
 *   +--------+--------+---------+---------+-----+
 *   0        8        16
 *
 * There are 64 keys, ids 0..63.  Key k has a 2-bit code made of bit k of hi
 * (high bit) and bit k of lo (low bit):
 *
 *   code = ((hi >> k) & 1) << 1 | ((lo >> k) & 1)
 *
 *   code  meaning   value bytes in the store
 *   0     absent    0
 *   1     flag      0
 *   2     4-byte    4
 *   3     8-byte    8
 *
 * Value sizes seen by the API and how they are stored:
 *
 *   size  stored as
 *   0     code 1 (flag, presence only)
 *   2     code 2, value in the first 2 bytes of the slot, the 2 pad bytes
 *         are written as zero
 *   4     code 2
 *   8     code 3
 *   16    keys k and k + 1 both code 3 (so k <= 62); the value fills the two
 *         8-byte slots, which are adjacent because values are sorted by key
 *
 * Code 2 and 3 keys take 4 bytes for every set hi bit plus 4 more for every
 * bit set in both hi and lo, so with m = (1 << k) - 1 (m = 0 for k = 0):
 *
 *   offset(k) = 16 + 4 * (popcount(hi & m) + popcount(hi & lo & m))
 *   length    = 16 + 4 * (popcount(hi) + popcount(hi & lo))
 *
 * which makes a lookup O(1).  The largest store (64 keys of 8 bytes) is
 * XDPMETA_KV_MAX_LEN = 528 bytes.  Every header is well formed; a store is
 * usable in a buffer of @room bytes iff its length is <= @room, which is what
 * xdpmeta_kv_valid() checks.  get/set/del trust the header: callers must have
 * checked xdpmeta_kv_valid() for the buffer first.
 *
 * Insertion and deletion move the values that follow with memmove().  Values
 * are only 4-byte aligned inside the store (and the store itself need not be
 * 8-byte aligned), so everything is accessed with memcpy().  Nothing beyond
 * the store's length is written except the bytes an insertion grows it into,
 * and nothing at or beyond @room is ever written.
 *
 * Size validity, as checked by xdpmeta_kv_size_valid(): key < 64 and size in
 * {0, 2, 4, 8, 16}, and size 16 needs key <= 62.
 *
 * Presence and layout, as used by get, set and del: a key is "present" if
 * its code is not 0 (for size 16: if key k or key k + 1 is not 0).  A present
 * key "matches" @size if its code is the one @size is stored as (for size 16:
 * both k and k + 1 are code 3).  Present but not matching is -EBADMSG: a
 * value stored with one layout is never read, overwritten or deleted with
 * another; delete it with its own size first.
 */
#ifndef XDPMETA_KV_H
#define XDPMETA_KV_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/bitops.h>
#define xdpmeta_kv_popcount(x)	hweight64(x)
#else
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>
#define xdpmeta_kv_popcount(x)	((unsigned int)__builtin_popcountll(x))
#ifndef __always_inline		/* glibc's <sys/cdefs.h> has it */
#define __always_inline inline __attribute__((__always_inline__))
#endif
#if !defined(__cplusplus) && !defined(bool)	/* same as <stdbool.h> */
#define bool	_Bool
#define true	1
#define false	0
#endif
#endif

#define XDPMETA_KV_HDR_LEN	16
#define XDPMETA_KV_MAX_KEYS	64
#define XDPMETA_KV_MAX_LEN	(XDPMETA_KV_HDR_LEN + 8 * XDPMETA_KV_MAX_KEYS)

/* xdpmeta_kv_set() flags */
#define XDPMETA_KV_NOEXIST	(1U << 0)	/* -EEXIST if present */
#define XDPMETA_KV_EXIST	(1U << 1)	/* -ENOENT if absent */

/* 2-bit key codes */
#define XDPMETA_KV_ABSENT	0
#define XDPMETA_KV_FLAG		1
#define XDPMETA_KV_SLOT4	2
#define XDPMETA_KV_SLOT8	3

/* xdpmeta_kv_update(): an overwrite that found the same bytes */
#define XDPMETA_KV_UNCHANGED	1

/*
 * The length of a store whose header words are @lo and @hi (the formula
 * above), inline: for callers that load the header themselves to check
 * the length against their room before anything else (store.c).
 */
static __always_inline unsigned int xdpmeta_kv_hdr_len(unsigned long long lo,
					      unsigned long long hi)
{
	return XDPMETA_KV_HDR_LEN +
	       4 * (xdpmeta_kv_popcount(hi) + xdpmeta_kv_popcount(hi & lo));
}

void xdpmeta_kv_init(void *store);
unsigned int xdpmeta_kv_len(const void *store);
bool xdpmeta_kv_valid(const void *store, unsigned int room);
int xdpmeta_kv_get(const void *store, unsigned int key, void *val,
		   unsigned int size);
int xdpmeta_kv_set(void *store, unsigned int room, unsigned int key,
		   const void *val, unsigned int size, unsigned int flags);
int xdpmeta_kv_update(void *store, unsigned int room, unsigned int key,
		      const void *val, unsigned int size, unsigned int flags);
int xdpmeta_kv_del(void *store, unsigned int key, unsigned int size);
int xdpmeta_kv_code(const void *store, unsigned int key);
unsigned int xdpmeta_kv_slot_len(unsigned int size);
bool xdpmeta_kv_size_valid(unsigned int key, unsigned int size);

#endif /* XDPMETA_KV_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between test/bpf/store_redirect.bpf.c and test/vm/t_redirect.c. */
#ifndef STORE_REDIRECT_H
#define STORE_REDIRECT_H

struct redirect_stats {
	__u64 tagged;		/* sender: set succeeded */
	__u64 untagged;		/* sender: deliberately no set */
	__u64 set_errors;
	__u64 rx;		/* receiver: echo requests seen */
	__u64 match;		/* value present and right */
	__u64 absent_ok;	/* -ENOENT where no set was done */
	__u64 wrong;		/* anything else */
	__s64 last_wrong;	/* its return value */
	__u64 big;		/* receiver: frames over 1000 bytes */
	__u64 whole;		/* ... seen whole (linear == total) */
	__u64 stale;		/* receiver: untagged frames whose headroom
				 * held an earlier store with the key */
};

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between test/bpf/safety.bpf.c and test/vm/t_safety.c. */
#ifndef SAFETY_TEST_H
#define SAFETY_TEST_H

#define SAFETY_PORT	4790		/* UDP destination port of test packets */
#define SAFETY_MAGIC	0x5afe5afe5afe5afeULL	/* value of the 8-byte key */
#define SAFETY_HASH	0x5eed0042u	/* hash hint set on marked packets */
#define SAFETY_FORGED	0x41414141u	/* hash a program writes by hand */
#define SAFETY_PAYLOAD	'P'		/* every payload byte */

/* What xdp_mark does to each test packet */
enum safety_mode {
	SM_STORE,	/* set the 8-byte key and the hash hint; XDP_PASS */
	SM_FORGE,	/* as SM_STORE, then rewrite the hash's bytes in the
			 * store by hand (adjust_head + adjust_meta), no kfunc */
	SM_HINT_ODD,	/* hash hint on every second packet; XDP_PASS */
};

/* Context of the SYSCALL program reg_many */
struct safety_reg {
	char name[32];
	__u32 n;	/* in: calls to make (at most 1024) */
	__u32 del;	/* in: unregister instead */
	__s32 ret;	/* out: the last call's return */
	__u32 done;	/* out: successful calls */
};

#endif

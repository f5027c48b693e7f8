/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MB_REDIRECT_H
#define MB_REDIRECT_H
struct mb_rx_stats {
	__u64 frames;		/* frames >= 1000 bytes seen by the plain program */
	__u64 partial;		/* ... of which it saw only the linear part */
	__u64 max_linear;
	__u64 max_total;
};
#endif

// SPDX-License-Identifier: GPL-2.0
/* page_pool_return_skb_page(page): a page_pool page back to its pool (6.1) */
#include <linux/skbuff.h>
#include <net/page_pool.h>
bool probe(struct page *page);
bool probe(struct page *page) { return page_pool_return_skb_page(page); }

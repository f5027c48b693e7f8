// SPDX-License-Identifier: GPL-2.0
/* napi_pp_put_page(netmem_ref): a page_pool page back to its pool (6.12) */
#include <linux/skbuff.h>
#if __has_include(<linux/skbuff_ref.h>)
#include <linux/skbuff_ref.h>
#endif
bool probe(struct page *page);
bool probe(struct page *page) { return napi_pp_put_page(page_to_netmem(page)); }

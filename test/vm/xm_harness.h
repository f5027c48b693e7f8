/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xm_harness.h - the kselftest harness as the VM tests use it. Its own
 * per-test alarm (30 s) would cut tests short on the debug kernel (KASAN +
 * lockdep, ~9x slower): the runner's per-test timeout (runner.sh,
 * XDPMETA_TEST_TIMEOUT: 240 s, 900 s for check-debug) is the one that
 * decides, so the harness's is set far above it. TEST_F_TIMEOUT still sets
 * a longer one where a test needs it (stress).
 */
#ifndef XM_HARNESS_H
#define XM_HARNESS_H

#include "kselftest_harness.h"

#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 3600

#endif

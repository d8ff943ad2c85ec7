/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xsmigrate's minimal XTF-compatible runtime: umbrella header.
 *
 * Tests include only <xtf.h>, define test_title[] and test_main(), and
 * report with xtf_success()/xtf_failure(), exactly as in an XTF tree.  The
 * names and semantics follow XTF's; the implementation in ../runtime is our
 * own (64-bit PV only).
 */
#ifndef XTF_H
#define XTF_H

#include <xtf/types.h>
#include <xtf/lib.h>
#include <xtf/hypercall.h>
#include <xtf/report.h>
#include <xtf/xenstore.h>
#include <xtf/platform.h>
#include <xtf/pv.h>
#include <xtf/pvh.h>

extern const char test_title[];
void test_main(void);

#endif /* XTF_H */

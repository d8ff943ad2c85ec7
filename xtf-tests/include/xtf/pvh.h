/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * PVH-guest specifics of the runtime (runtime/pvh.c).  A PVH guest built
 * with it never maps shared_info and never sets HVM_PARAM_CALLBACK_IRQ: it
 * keeps time with the TSC and waits by halting until its local APIC timer
 * ticks, which is all state Xen migrates with the vCPU.
 */
#ifndef XTF_PVH_H
#define XTF_PVH_H

#include <xtf/types.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

/* Interval of the local APIC timer that paces every wait. */
#define PVH_TICK_NS 5000000ULL

/* HVMOP_get_param for this domain: 0 or a negative Xen errno. */
long hvm_get_param(unsigned int index, uint64_t *value);

/* Halt until the next timer tick (at most PVH_TICK_NS). */
void pvh_sleep_tick(void);

#endif

/* SPDX-License-Identifier: LGPL-2.1-only */
/* PV-guest specifics of the runtime (start_info, shared_info, suspend). */
#ifndef XTF_PV_H
#define XTF_PV_H

#include <xtf/types.h>

extern start_info_t *pv_start_info;
extern shared_info_t *shared_info;     /* mapped by the runtime */

unsigned long virt_to_mfn(const void *va);
void *pfn_to_virt(unsigned long pfn);
unsigned long mfn_to_pfn(unsigned long mfn);

/* Clear @port's pending bit; returns whether it was set. */
bool evtchn_clear_pending(evtchn_port_t port);

/*
 * Suspend the domain (SCHEDOP_shutdown/SHUTDOWN_suspend, start_info MFN in
 * %rdx as the toolstack requires).  Returns the hypercall's return value:
 * 0 when resumed in a new domain (xl restore / migrate), 1 when the suspend
 * was cancelled and the domain continues where it was.  The runtime has
 * re-established shared_info, the p2m frame lists, console and xenstore
 * ring before returning.
 */
int xtf_pv_suspend(void);

#endif

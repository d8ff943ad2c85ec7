/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * What each platform's runtime provides to the shared code (common.c,
 * xenstore.c): runtime/setup.c for PV, runtime/pvh.c for PVH.
 */
#ifndef XTF_PLATFORM_H
#define XTF_PLATFORM_H

#include <xtf/types.h>

/* The PV console ring and its port (NULL: none); set by the platform. */
extern struct xencons_interface *xtf_cons_ring;
extern evtchn_port_t xtf_cons_port;

/* Write to the hypervisor's console, where the platform has one. */
void arch_console_write(const char *buf, size_t len);

/* The xenstore ring (NULL: none) and its event channel in @port. */
void *arch_xenstore_ring(evtchn_port_t *port);

/*
 * Wait until @port may have fired or the clock of xtf_now_ns() reaches
 * @deadline_ns, whichever is first.  May return early: callers re-check.
 */
void evtchn_wait(evtchn_port_t port, uint64_t deadline_ns);

/* Print the banner, connect to xenstore, run test_main(), xtf_exit(). */
void __noreturn xtf_start(const char *environment);

#endif

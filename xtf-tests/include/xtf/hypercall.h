/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Hypercall wrappers, 64-bit PV and PVH (same registers): call into the
 * hypercall page Xen filled in (PV: XEN_ELFNOTE_HYPERCALL_PAGE, PVH: the
 * MSR of the Xen CPUID leaves).  Names follow XTF's.
 */
#ifndef XTF_HYPERCALL_H
#define XTF_HYPERCALL_H

#include <xtf/types.h>

extern uint8_t hypercall_page[PAGE_SIZE];

#define _hypercall64_1(type, nr, a1)                                    \
({                                                                      \
    long res_, a1_ = (long)(a1);                                        \
    __asm__ __volatile__ ("call hypercall_page + %c[off]"               \
        : "=a" (res_), "+D" (a1_)                                       \
        : [off] "i" ((nr) * 32) : "memory", "rcx", "r11");             \
    (type)res_;                                                         \
})
#define _hypercall64_2(type, nr, a1, a2)                                \
({                                                                      \
    long res_, a1_ = (long)(a1), a2_ = (long)(a2);                      \
    __asm__ __volatile__ ("call hypercall_page + %c[off]"               \
        : "=a" (res_), "+D" (a1_), "+S" (a2_)                           \
        : [off] "i" ((nr) * 32) : "memory", "rcx", "r11");             \
    (type)res_;                                                         \
})
#define _hypercall64_3(type, nr, a1, a2, a3)                            \
({                                                                      \
    long res_, a1_ = (long)(a1), a2_ = (long)(a2), a3_ = (long)(a3);    \
    __asm__ __volatile__ ("call hypercall_page + %c[off]"               \
        : "=a" (res_), "+D" (a1_), "+S" (a2_), "+d" (a3_)               \
        : [off] "i" ((nr) * 32) : "memory", "rcx", "r11");             \
    (type)res_;                                                         \
})

static inline long hypercall_sched_op(unsigned int cmd, void *arg)
{
    return _hypercall64_2(long, __HYPERVISOR_sched_op, cmd, arg);
}

static inline long hypercall_event_channel_op(unsigned int cmd, void *arg)
{
    return _hypercall64_2(long, __HYPERVISOR_event_channel_op, cmd, arg);
}

static inline long hypercall_console_io(unsigned int cmd, unsigned int count,
                                        const char *str)
{
    return _hypercall64_3(long, __HYPERVISOR_console_io, cmd, count, str);
}

static inline long hypercall_update_va_mapping(unsigned long linear,
                                               uint64_t npte,
                                               unsigned int flags)
{
    return _hypercall64_3(long, __HYPERVISOR_update_va_mapping,
                          linear, npte, flags);
}

static inline long hypercall_xen_version(unsigned int cmd, void *arg)
{
    return _hypercall64_2(long, __HYPERVISOR_xen_version, cmd, arg);
}

static inline long hypercall_memory_op(unsigned int cmd, void *arg)
{
    return _hypercall64_2(long, __HYPERVISOR_memory_op, cmd, arg);
}

static inline long hypercall_hvm_op(unsigned int cmd, void *arg)
{
    return _hypercall64_2(long, __HYPERVISOR_hvm_op, cmd, arg);
}

/* Higher level helpers, as XTF's. */
static inline void hypercall_console_write(const char *buf, unsigned long count)
{
    (void)hypercall_console_io(CONSOLEIO_write, count, buf);
}

static inline long hypercall_shutdown(unsigned int reason)
{
    struct sched_shutdown s = { .reason = reason };
    return hypercall_sched_op(SCHEDOP_shutdown, &s);
}

static inline void hypercall_yield(void)
{
    (void)hypercall_sched_op(SCHEDOP_yield, NULL);
}

static inline long hypercall_poll_timeout(evtchn_port_t port, uint64_t timeout)
{
    struct sched_poll p = { .nr_ports = 1, .timeout = timeout };
    set_xen_guest_handle(p.ports, &port);
    return hypercall_sched_op(SCHEDOP_poll, &p);
}

static inline long hypercall_poll(evtchn_port_t port)
{
    return hypercall_poll_timeout(port, 0);
}

static inline long hypercall_evtchn_send(evtchn_port_t port)
{
    struct evtchn_send s = { .port = port };
    return hypercall_event_channel_op(EVTCHNOP_send, &s);
}

#endif

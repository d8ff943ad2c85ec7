/* SPDX-License-Identifier: LGPL-2.1-only */
#ifndef XTF_TYPES_H
#define XTF_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

#define __XEN_INTERFACE_VERSION__ 0x00040d00
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/memory.h>
#include <xen/io/console.h>

#ifndef PAGE_SHIFT
#define PAGE_SHIFT 12
#endif
#ifndef PAGE_SIZE
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#endif

#define __aligned(x)  __attribute__((__aligned__(x)))
#define __noreturn    __attribute__((__noreturn__))
#define __printf(a,b) __attribute__((__format__(__printf__, a, b)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define barrier() __asm__ __volatile__ ("" ::: "memory")
#define smp_mb()  __asm__ __volatile__ ("mfence" ::: "memory")
#define smp_rmb() barrier()   /* x86 is TSO */
#define smp_wmb() barrier()
#define ACCESS_ONCE(x) (*(volatile __typeof__(x) *)&(x))

#endif

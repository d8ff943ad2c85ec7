/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * 64-bit PVH guest runtime: start of day after head-pvh.S, the hypercall
 * page through Xen's CPUID leaves, console and xenstore rings from HVM
 * params, time from the TSC and waits on the local APIC timer (the
 * <xtf/platform.h> hooks; common.c has what PV and PVH share).
 *
 * Nothing here depends on state a toolstack must re-create after a move:
 * no shared_info, no event channel upcall.  Xen system time and the
 * pending bits of shared_info are per host, so a guest that is never told
 * it moved could not use them; the TSC (kept running by the migration
 * stream) and the emulated local APIC (part of the vCPU's saved state)
 * keep working.
 */
#include <xtf.h>

#define MSR_APIC_BASE      0x1b
#define APIC_BASE_ENABLE   (1u << 11)
#define LAPIC_MMIO         0xfee00000UL
#define APIC_EOI           0x0b0
#define APIC_SVR           0x0f0
#define APIC_SVR_ENABLE    0x100
#define APIC_LVTT          0x320
#define APIC_LVTT_PERIODIC (1u << 17)
#define APIC_TMICT         0x380
#define APIC_TDCR          0x3e0
#define APIC_TDCR_DIV_1    0xb
/* Xen's emulated APIC timer counts at 1 GHz (vlapic.c APIC_BUS_CYCLE_NS). */
#define APIC_TIMER_HZ      1000000000ULL

#define TIMER_VECTOR       0x20
#define SPURIOUS_VECTOR    0xff

#define XEN_HVM_START_MAGIC 0x336ec578

struct idt_entry {
    uint16_t off0, sel;
    uint8_t ist, attr;
    uint16_t off1;
    uint32_t off2, rsvd;
};

static struct idt_entry idt[256] __aligned(16);
extern const char pvh_exception_stubs[];
extern void pvh_lapic_timer_entry(void), pvh_spurious_entry(void);
extern uint32_t pvh_start_info_pa;

static uint32_t xen_leaves;
static uint64_t tsc_khz, tsc_at_start;
static uint64_t ns_per_tick_32; /* ns per TSC tick, 32.32 fixed point */
static void *store_ring;
static evtchn_port_t store_port;

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ __volatile__ ("cpuid"
                          : "=a" (r[0]), "=b" (r[1]), "=c" (r[2]), "=d" (r[3])
                          : "a" (leaf), "c" (sub));
}

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ __volatile__ ("rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr));
    return ((uint64_t)hi << 32) | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ __volatile__ ("wrmsr" :: "c" (msr), "a" ((uint32_t)v),
                          "d" ((uint32_t)(v >> 32)));
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__ ("rdtsc" : "=a" (lo), "=d" (hi));
    return ((uint64_t)hi << 32) | lo;
}

/* The base of Xen's CPUID leaves ("XenVMMXenVMM"), 0 if none. */
static uint32_t find_xen_leaves(void)
{
    uint32_t base, r[4];

    for ( base = 0x40000000; base < 0x40010000; base += 0x100 )
    {
        cpuid(base, 0, r);
        if ( r[1] == 0x566e6558 && r[2] == 0x65584d4d && r[3] == 0x4d4d566e &&
             r[0] - base >= 3 )
            return base;
    }
    return 0;
}

long hvm_get_param(unsigned int index, uint64_t *value)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
    long rc = hypercall_hvm_op(HVMOP_get_param, &p);

    *value = rc ? 0 : p.value;
    return rc;
}

uint64_t xtf_now_ns(void)
{
    return (uint64_t)(((unsigned __int128)(rdtsc() - tsc_at_start) * ns_per_tick_32) >> 32);
}

static void lapic_write(unsigned int reg, uint32_t v)
{
    *(volatile uint32_t *)(LAPIC_MMIO + reg) = v;
}

static void set_gate(unsigned int vec, const void *entry)
{
    unsigned long a = (unsigned long)entry;

    idt[vec] = (struct idt_entry){
        .off0 = a, .sel = 0x08, .attr = 0x8e, /* present, ring 0, interrupt gate */
        .off1 = a >> 16, .off2 = a >> 32,
    };
}

/*
 * A periodic tick: every wait halts until the next one, so the guest
 * polls its rings every PVH_TICK_NS without spinning (e2e hosts are nested
 * TCG on two cores).  Periodic rather than one-shot, so that no wake-up
 * depends on a timer armed on the host the guest left.
 */
static void setup_interrupts(void)
{
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr = {
        sizeof(idt) - 1, (uint64_t)idt,
    };
    unsigned int v;

    for ( v = 0; v < 32; v++ )
        set_gate(v, pvh_exception_stubs + 16 * v);
    for ( ; v < 256; v++ )
        set_gate(v, pvh_lapic_timer_entry);
    set_gate(SPURIOUS_VECTOR, pvh_spurious_entry);
    __asm__ __volatile__ ("lidt %0" :: "m" (idtr));

    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
    lapic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_VECTOR);
    lapic_write(APIC_TDCR, APIC_TDCR_DIV_1);
    lapic_write(APIC_LVTT, APIC_LVTT_PERIODIC | TIMER_VECTOR);
    lapic_write(APIC_TMICT, PVH_TICK_NS * APIC_TIMER_HZ / 1000000000ULL);
}

void pvh_sleep_tick(void)
{
    /* sti's one-instruction shadow: the tick cannot slip in before hlt. */
    __asm__ __volatile__ ("sti; hlt; cli" ::: "memory");
}

void evtchn_wait(evtchn_port_t port, uint64_t deadline_ns)
{
    if ( xtf_now_ns() < deadline_ns )
        pvh_sleep_tick();
}

void __noreturn pvh_exception(unsigned long vector);
void pvh_exception(unsigned long vector)
{
    panic("exception %lu", vector);
}

void arch_console_write(const char *buf, size_t len)
{
    /* A release Xen refuses console_io from a domU: the PV ring only. */
}

void *arch_xenstore_ring(evtchn_port_t *port)
{
    /* As at start of day: a non-cooperative guest never looks again. */
    *port = store_port;
    return store_ring;
}

static void *param_page(unsigned int index)
{
    uint64_t pfn;

    return hvm_get_param(index, &pfn) || !pfn ? NULL : (void *)(pfn << PAGE_SHIFT);
}

static evtchn_port_t param_port(unsigned int index)
{
    uint64_t port;

    return hvm_get_param(index, &port) ? 0 : port;
}

void __noreturn xtf_pvh_main(uint32_t start_info_pa);
void xtf_pvh_main(uint32_t start_info_pa)
{
    uint32_t r[4];
    const uint32_t *magic = (const uint32_t *)(unsigned long)start_info_pa;

    xen_leaves = find_xen_leaves();
    if ( !xen_leaves )
        for ( ;; )  /* no Xen, no hypercalls: nobody to tell */
            __asm__ __volatile__ ("cli; hlt");
    cpuid(xen_leaves + 2, 0, r);
    wrmsr(r[1], (unsigned long)hypercall_page);

    xtf_cons_ring = param_page(HVM_PARAM_CONSOLE_PFN);
    xtf_cons_port = param_port(HVM_PARAM_CONSOLE_EVTCHN);
    store_ring = param_page(HVM_PARAM_STORE_PFN);
    store_port = param_port(HVM_PARAM_STORE_EVTCHN);

    cpuid(xen_leaves + 3, 0, r);
    tsc_khz = r[2];
    if ( !tsc_khz )
        panic("Xen's CPUID time leaf gives no TSC frequency");
    ns_per_tick_32 = (1000000ULL << 32) / tsc_khz;
    tsc_at_start = rdtsc();
    setup_interrupts();

    if ( !start_info_pa || *magic != XEN_HVM_START_MAGIC )
        printk("warning: no hvm_start_info at 0x%x\n", start_info_pa);
    printk("TSC %lu kHz, store port %u, console port %u\n",
           (unsigned long)tsc_khz, store_port, xtf_cons_port);
    xtf_start("PVH 64bit (Long mode 4 levels)");
}

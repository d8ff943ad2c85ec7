/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * 64-bit PV guest runtime: start of day, shared_info, p2m frame lists for
 * the toolstack's save code, time, event channel polling, suspend/resume
 * and where the consoles and the xenstore ring are (the <xtf/platform.h>
 * hooks; common.c has what PV and PVH share).
 *
 * Written for xsmigrate against Xen's public headers; follows the PV ABI
 * as documented in xen/include/public/xen.h.
 */
#include <xtf.h>

start_info_t *pv_start_info;
shared_info_t *shared_info;

/* Page whose PTE is pointed at the shared_info frame. */
static uint8_t shinfo_page[PAGE_SIZE] __aligned(PAGE_SIZE);

/* p2m frame list (MFNs of the p2m pages) and its top level, for save. */
static unsigned long p2m_fl[PAGE_SIZE / sizeof(unsigned long)] __aligned(PAGE_SIZE);
static unsigned long p2m_fll[PAGE_SIZE / sizeof(unsigned long)] __aligned(PAGE_SIZE);


#define PTE_FLAGS 0x7 /* present, rw, user: 64-bit PV kernels run in ring 3 */

static unsigned long *p2m(void)
{
    return (unsigned long *)pv_start_info->mfn_list;
}

unsigned long virt_to_mfn(const void *va)
{
    return p2m()[(unsigned long)va >> PAGE_SHIFT];
}

void *pfn_to_virt(unsigned long pfn)
{
    return (void *)(pfn << PAGE_SHIFT);
}

unsigned long mfn_to_pfn(unsigned long mfn)
{
    return ((unsigned long *)MACH2PHYS_VIRT_START)[mfn];
}

static void map_shared_info(void)
{
    long rc = hypercall_update_va_mapping((unsigned long)shinfo_page,
                                          pv_start_info->shared_info | PTE_FLAGS,
                                          UVMF_INVLPG);
    if ( rc )
        panic("update_va_mapping(shared_info) failed: %ld", rc);
    shared_info = (shared_info_t *)shinfo_page;
    /* We take no upcalls; SCHEDOP_poll requires them masked. */
    shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
}

static void setup_p2m_lists(void)
{
    unsigned long nr = pv_start_info->nr_pages;
    unsigned long per_page = PAGE_SIZE / sizeof(unsigned long);
    unsigned long i, pages = (nr + per_page - 1) / per_page;

    if ( pages > per_page )
        panic("guest too large for a one-page p2m frame list");
    memset(p2m_fl, 0, sizeof(p2m_fl));
    memset(p2m_fll, 0, sizeof(p2m_fll));
    for ( i = 0; i < pages; i++ )
        p2m_fl[i] = virt_to_mfn(&p2m()[i * per_page]);
    p2m_fll[0] = virt_to_mfn(p2m_fl);
    shared_info->arch.max_pfn = nr;
    shared_info->arch.pfn_to_mfn_frame_list_list = virt_to_mfn(p2m_fll);
}

static void setup_console(void)
{
    xtf_cons_ring = NULL;
    xtf_cons_port = pv_start_info->console.domU.evtchn;
    if ( pv_start_info->console.domU.mfn )
        xtf_cons_ring = pfn_to_virt(mfn_to_pfn(pv_start_info->console.domU.mfn));
}

uint64_t xtf_now_ns(void)
{
    volatile struct vcpu_time_info *t = &shared_info->vcpu_info[0].time;
    uint32_t ver;
    uint64_t ns;

    do {
        uint32_t lo, hi;
        uint64_t delta;

        ver = t->version;
        smp_rmb();
        __asm__ __volatile__ ("rdtsc" : "=a" (lo), "=d" (hi));
        delta = (((uint64_t)hi << 32) | lo) - t->tsc_timestamp;
        if ( t->tsc_shift < 0 )
            delta >>= -t->tsc_shift;
        else
            delta <<= t->tsc_shift;
        ns = t->system_time +
             (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
        smp_rmb();
    } while ( (ver & 1) || ver != t->version );

    return ns;
}

bool evtchn_clear_pending(evtchn_port_t port)
{
    unsigned long bit = 1UL << (port % 64);
    unsigned long old = __atomic_fetch_and(&shared_info->evtchn_pending[port / 64],
                                           ~bit, __ATOMIC_SEQ_CST);
    return old & bit;
}

void evtchn_wait(evtchn_port_t port, uint64_t deadline_ns)
{
    if ( evtchn_clear_pending(port) )
        return;
    hypercall_poll_timeout(port, deadline_ns);
    evtchn_clear_pending(port);
}

int xtf_pv_suspend(void)
{
    start_info_t *si = pv_start_info;
    unsigned long si_mfn = virt_to_mfn(si);
    struct sched_shutdown r = { .reason = SHUTDOWN_suspend };
    long rc;

    /* The tools expect PFNs in these fields while we are suspended. */
    si->store_mfn = mfn_to_pfn(si->store_mfn);
    si->console.domU.mfn = mfn_to_pfn(si->console.domU.mfn);

    /* Nothing may map a frame outside our p2m when the tools look. */
    if ( hypercall_update_va_mapping((unsigned long)shinfo_page, 0, UVMF_INVLPG) )
        panic("cannot unmap shared_info for suspend");
    shared_info = NULL;

    rc = _hypercall64_3(long, __HYPERVISOR_sched_op, SCHEDOP_shutdown, &r, si_mfn);

    if ( rc )
    {
        /* Cancelled: same domain, start_info untouched by the tools. */
        si->store_mfn = p2m()[si->store_mfn];
        si->console.domU.mfn = p2m()[si->console.domU.mfn];
    }
    map_shared_info();
    setup_p2m_lists();
    setup_console();
    xenstore_reconnect();

    return rc;
}

void arch_console_write(const char *buf, size_t len)
{
    hypercall_console_write(buf, len);
}

void *arch_xenstore_ring(evtchn_port_t *port)
{
    *port = pv_start_info->store_evtchn;
    return pv_start_info->store_mfn ? pfn_to_virt(mfn_to_pfn(pv_start_info->store_mfn))
                                    : NULL;
}

void __noreturn xtf_pv_main(start_info_t *si);
void xtf_pv_main(start_info_t *si)
{
    pv_start_info = si;
    map_shared_info();
    setup_p2m_lists();
    setup_console();
    xtf_start("PV 64bit (Long mode 4 levels)");
}

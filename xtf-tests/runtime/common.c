/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The parts of the runtime that PV and PVH guests share: the PV console
 * ring writer, printk, XTF-style result reporting and the start of a test.
 * Each platform (setup.c for PV, pvh.c for PVH) provides the hooks of
 * <xtf/platform.h>: where the console and xenstore rings are, time and
 * waiting.
 */
#include <xtf.h>

struct xencons_interface *xtf_cons_ring;
evtchn_port_t xtf_cons_port;

static void cons_ring_write(const char *s, size_t len)
{
    struct xencons_interface *r = xtf_cons_ring;
    size_t i;

    if ( !r )
        return;
    for ( i = 0; i < len; i++ )
    {
        XENCONS_RING_IDX prod = ACCESS_ONCE(r->out_prod);

        smp_mb();
        if ( prod - ACCESS_ONCE(r->out_cons) >= sizeof(r->out) )
            break; /* full: never block on the console */
        r->out[MASK_XENCONS_IDX(prod, r->out)] = s[i];
        smp_wmb();
        r->out_prod = prod + 1;
    }
    hypercall_evtchn_send(xtf_cons_port);
}

void vprintk(const char *fmt, va_list args)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, args);

    if ( n > (int)sizeof(buf) - 1 )
        n = sizeof(buf) - 1;
    arch_console_write(buf, n);
    cons_ring_write(buf, n);
}

void printk(const char *fmt, ...)
{
    va_list a;

    va_start(a, fmt);
    vprintk(fmt, a);
    va_end(a);
}

/* ---------------------------------------------------------------------- */
/* Reporting, as XTF: the worst status wins.                              */

enum { ST_RUNNING, ST_SUCCESS, ST_SKIP, ST_ERROR, ST_FAILURE };
static const char *const st_names[] = {
    "RUNNING", "SUCCESS", "SKIP", "ERROR", "FAILURE",
};
static int status = ST_RUNNING;

static void report(int st, const char *fmt, va_list a)
{
    if ( fmt )
        vprintk(fmt, a);
    if ( st > status )
        status = st;
}

#define REPORT_FN(name, st)                     \
void name(const char *fmt, ...)                 \
{                                               \
    va_list a;                                  \
    va_start(a, fmt);                           \
    report(st, fmt, a);                         \
    va_end(a);                                  \
}
REPORT_FN(xtf_success, ST_SUCCESS)
REPORT_FN(xtf_skip, ST_SKIP)
REPORT_FN(xtf_error, ST_ERROR)
REPORT_FN(xtf_failure, ST_FAILURE)

void xtf_warning(const char *fmt, ...)
{
    va_list a;

    va_start(a, fmt);
    vprintk(fmt, a);
    va_end(a);
}

bool xtf_status_reported(void)
{
    return status != ST_RUNNING;
}

const char *xtf_status_string(void)
{
    return st_names[status];
}

void xtf_exit(void)
{
    if ( status == ST_RUNNING )
        status = ST_ERROR;
    printk("Test result: %s\n", st_names[status]);
    /* The harness runs us with on_poweroff="preserve" and reads this. */
    xenstore_write("data/xtf/result", st_names[status]);
    for ( ;; )
        hypercall_shutdown(SHUTDOWN_poweroff);
}

void panic(const char *fmt, ...)
{
    va_list a;

    printk("PANIC: ");
    va_start(a, fmt);
    vprintk(fmt, a);
    va_end(a);
    printk("\n");
    for ( ;; )
        hypercall_shutdown(SHUTDOWN_crash);
}

void xtf_start(const char *environment)
{
    printk("--- Xen Test Framework (xsmigrate runtime) ---\n");
    printk("Environment: %s\n", environment);
    printk("%s\n", test_title);

    if ( xenstore_init() )
        xtf_error("Error: xenstore_init() failed\n");
    else
        test_main();
    xtf_exit();
}

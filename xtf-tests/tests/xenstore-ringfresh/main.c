/* SPDX-License-Identifier: LGPL-2.1-only */
/**
 * @file tests/xenstore-ringfresh/main.c
 * @ref test-xenstore-ringfresh
 *
 * @page test-xenstore-ringfresh xenstore-ringfresh
 *
 * A PV guest that leaves its xenstore ring page alone while it is being
 * migrated, so that the only writes to that page during the migration are
 * xenstored's (through its grant mapping, which log-dirty mode records
 * only when the mapping goes away).
 *
 * Before: register a watch on data/ringfresh/watched, offer a suspend
 * event channel (device/suspend/event-channel, so that the toolstack asks
 * for the suspend without xenstore), write data/state = "quiet".  From
 * then on the guest does not touch the xenstore ring: it only polls the
 * suspend event channel (bounded), then suspends.  The harness writes the
 * watched node while the migration copies memory, so xenstored puts the
 * watch event into the ring after that page was copied.
 *
 * After (in the new domain): the event must be on the ring.  The verdict
 * goes to data/ringfresh/result ("PASS" / "FAIL: facts").
 */
#include <xtf.h>

const char test_title[] = "Test xenstore-ringfresh";

#define SEC 1000000000ULL
#define TOKEN "fresh-tok"
#define WATCHED "data/ringfresh/watched"

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);

    return a >= b && !strcmp(s + a - b, suffix);
}

static void result(bool ok, const char *fmt, ...)
{
    char why[200] = "", val[240];
    va_list a;

    va_start(a, fmt);
    vsnprintf(why, sizeof(why), fmt, a);
    va_end(a);
    if ( ok )
        snprintf(val, sizeof(val), "PASS");
    else
        snprintf(val, sizeof(val), "FAIL: %s", why);
    xenstore_write("data/ringfresh/result", val);
    if ( ok )
        xtf_success("  ring-fresh: PASS\n");
    else
        xtf_failure("  ring-fresh: FAIL: %s\n", why);
}

void test_main(void)
{
    evtchn_alloc_unbound_t eu = { .dom = DOMID_SELF, .remote_dom = 0 };
    char before[16], after[16], path[128], tok[64], v[32];
    uint64_t end;
    bool asked = false, got = false, ok = false;
    int rc;

    if ( xenstore_init() )
        return xtf_error("Error: no xenstore\n");
    xenstore_read_copy("domid", before, sizeof(before));

    rc = xenstore_write(WATCHED, "initial");
    rc = rc ?: xenstore_watch(WATCHED, TOKEN);
    if ( rc )
        return xtf_error("Error: setup failed: %s\n", xenstore_strerror(rc));
    if ( !xenstore_wait_watch(path, sizeof(path), tok, sizeof(tok), 5 * SEC) )
        return xtf_error("Error: no initial watch event\n");
    xenstore_drain_watches();

    if ( hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &eu) )
        return xtf_error("Error: no event channel for suspend requests\n");
    snprintf(v, sizeof(v), "%u", eu.port);
    rc = xenstore_write("device/suspend/event-channel", v);
    snprintf(v, sizeof(v), "%lu", mfn_to_pfn(pv_start_info->store_mfn));
    rc = rc ?: xenstore_write("data/ringfresh/ring-pfn", v);
    /* The last use of the ring before the move. */
    rc = rc ?: xenstore_write("data/state", "quiet");
    if ( rc )
        return xtf_error("Error: cannot announce: %s\n", xenstore_strerror(rc));

    /* Only the suspend event channel from here on, never the ring. */
    end = xtf_now_ns() + 240 * SEC;
    while ( !asked && xtf_now_ns() < end )
    {
        asked = evtchn_clear_pending(eu.port);
        if ( !asked )
            hypercall_poll_timeout(eu.port, xtf_now_ns() + SEC);
    }
    if ( !asked )
        return xtf_error("Error: no suspend request within 240s\n");
    rc = xtf_pv_suspend();

    /* The event must have come with the ring: wait for it first. */
    while ( !ok && xenstore_wait_watch(path, sizeof(path), tok, sizeof(tok), 15 * SEC) )
    {
        got = true;
        ok = !strcmp(tok, TOKEN) && ends_with(path, WATCHED);
    }
    xenstore_read_copy("domid", after, sizeof(after));
    printk("  resumed (%d), domain %s -> %s, event %s\n", rc, before, after,
           ok ? "seen" : "missing");
    if ( rc != 0 )
        result(false, "suspend returned %d: not resumed in a new domain", rc);
    else
        result(ok, "%s on the ring 15s after the move (%s now '%s')",
               got ? "no event of the watch" : "no watch event",
               WATCHED, xenstore_read(WATCHED) ?: "<missing>");
    xenstore_write("data/state", "done");
}

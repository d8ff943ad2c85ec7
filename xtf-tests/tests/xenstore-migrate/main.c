/* SPDX-License-Identifier: LGPL-2.1-only */
/**
 * @file tests/xenstore-migrate/main.c
 * @ref test-xenstore-migrate
 *
 * @page test-xenstore-migrate xenstore-migrate
 *
 * Xenstore state of a guest that does NOT re-register anything across
 * save/restore (or migration), i.e. a non-cooperating PV guest.
 *
 * Before: create nodes (one with explicit permissions), register a watch,
 * open a transaction and write in it, write data/state = "ready-for-save"
 * and wait (bounded) for the toolstack's suspend request on
 * control/shutdown.  The harness runs `xl save` + `xl restore`.
 *
 * After: write data/state = "resumed", wait for data/go, then check
 *  - txn-eagain:  TRANSACTION_END of the pre-save transaction -> EAGAIN
 *  - nodes:       the nodes written before are still there
 *  - perms:       their permissions are intact (owner = our new domid)
 *  - watch:       a change dom0 makes to the watched node (on request,
 *                 data/state = "want-change") fires the old watch
 * Each check is recorded in data/check/<name> ("PASS" / "FAIL: facts").
 *
 * Then, only if the harness wrote data/serve before data/go, the guest
 * stays up to be migrated again (until data/finish, bounded):
 *  - liveness:    each new value of data/ping is echoed to data/pong
 *  - suspends:    every suspend request is honoured; data/suspends counts
 *                 the ones that resumed in a new domain
 *  - watch count: every event of the old watch on data/mig/watched is
 *                 counted in data/events, so the harness can tell "exactly
 *                 once per change" from "lost" or "duplicated"
 * Without data/serve the guest ends as before (the stock baseline).
 */
#include <xtf.h>

const char test_title[] = "Test xenstore-migrate";

#define SEC 1000000000ULL
#define TOKEN "mig-tok"

static void check(const char *name, bool ok, const char *fmt, ...)
{
    char why[200] = "", node[64], val[240];
    va_list a;

    va_start(a, fmt);
    vsnprintf(why, sizeof(why), fmt, a);
    va_end(a);
    snprintf(node, sizeof(node), "data/check/%s", name);
    if ( ok )
        snprintf(val, sizeof(val), "PASS");
    else
        snprintf(val, sizeof(val), "FAIL: %s", why);
    xenstore_write(node, val);
    if ( ok )
        printk("  %s: PASS\n", name);
    else
        xtf_failure("  %s: FAIL: %s\n", name, why);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);

    return a >= b && !strcmp(s + a - b, suffix);
}

/* Poll (bounded) until @key reads as @want (NULL: exists at all). */
static bool wait_for(const char *key, const char *want, uint64_t timeout)
{
    uint64_t end = xtf_now_ns() + timeout;

    do {
        const char *v = xenstore_read(key);

        if ( v && (!want || !strcmp(v, want)) )
            return true;
        evtchn_wait(pv_start_info->store_evtchn, xtf_now_ns() + SEC / 5);
    } while ( xtf_now_ns() < end );
    return false;
}

/* Wait for the toolstack's suspend request and suspend; -1 on timeout. */
static int wait_for_suspend(uint64_t timeout)
{
    uint64_t end = xtf_now_ns() + timeout;

    do {
        const char *v = xenstore_read("control/shutdown");

        if ( v && !strcmp(v, "suspend") )
        {
            /* Acknowledge, as the toolstack waits for this. */
            xenstore_write("control/shutdown", "");
            printk("  suspending\n");
            return xtf_pv_suspend();
        }
        evtchn_wait(pv_start_info->store_evtchn, xtf_now_ns() + SEC / 5);
    } while ( xtf_now_ns() < end );
    return -1;
}

/* Suspend as the toolstack asked; true if resumed in a new domain. */
static bool honour_suspend(void)
{
    int rc;

    xenstore_write("control/shutdown", "");
    printk("  suspending\n");
    rc = xtf_pv_suspend();
    printk("  resumed (%d)\n", rc);
    return rc == 0;
}

static void write_count(const char *key, unsigned int n)
{
    char v[16];

    snprintf(v, sizeof(v), "%u", n);
    xenstore_write(key, v);
}

/* Stay up for further migrations: see the file comment. */
static void serve(uint64_t timeout)
{
    uint64_t end = xtf_now_ns() + timeout;
    unsigned int events = 0, suspends = 0;
    char ping[64] = "", path[128], tok[64];

    write_count("data/events", events);
    write_count("data/suspends", suspends);
    xenstore_write("data/state", "serving");
    printk("  serving: ping/pong, suspend, watch count\n");
    while ( xtf_now_ns() < end && !xenstore_read("data/finish") )
    {
        const char *v = xenstore_read("control/shutdown");

        if ( v && !strcmp(v, "suspend") )
        {
            if ( honour_suspend() )
                write_count("data/suspends", ++suspends);
            xenstore_write("data/state", "serving");
            continue;
        }
        v = xenstore_read("data/ping");
        if ( v && strcmp(v, ping) )
        {
            snprintf(ping, sizeof(ping), "%s", v);
            xenstore_write("data/pong", ping);
        }
        if ( xenstore_wait_watch(path, sizeof(path), tok, sizeof(tok), SEC / 5) &&
             !strcmp(tok, TOKEN) && ends_with(path, "data/mig/watched") )
            write_count("data/events", ++events);
    }
    printk("  served: %u watch events, %u suspends\n", events, suspends);
}

void test_main(void)
{
    char before[16], after[16], perms_before[64], perms_after[64];
    char a[64], b[64], path[128], tok[64], facts[200];
    uint32_t tx;
    int rc;
    bool got, ok;

    if ( xenstore_init() )
        return xtf_error("Error: no xenstore\n");

    xenstore_read_copy("domid", before, sizeof(before));

    /* --- state to carry across ------------------------------------------- */
    rc = xenstore_write("data/mig/a", "alpha");
    rc = rc ?: xenstore_write("data/mig/b", "beta");
    rc = rc ?: xenstore_write("data/mig/watched", "initial");
    snprintf(perms_before, sizeof(perms_before), "n%s,r0", before);
    rc = rc ?: xenstore_set_perms("data/mig/b", perms_before);
    rc = rc ?: xenstore_watch("data/mig/watched", TOKEN);
    if ( rc )
        return xtf_error("Error: setup failed: %s\n", xenstore_strerror(rc));
    if ( !xenstore_wait_watch(path, sizeof(path), tok, sizeof(tok), 5 * SEC) )
        return xtf_error("Error: no initial watch event\n");
    xenstore_drain_watches();

    rc = xenstore_transaction_start(&tx);
    rc = rc ?: xenstore_write_tx(tx, "data/mig/in-tx", "pending");
    if ( rc )
        return xtf_error("Error: transaction setup: %s\n", xenstore_strerror(rc));
    printk("  domain %s: watch on data/mig/watched, transaction %u open\n",
           before, tx);

    /* --- hand over to the harness: xl save / xl restore ------------------ */
    xenstore_write("data/state", "ready-for-save");
    rc = wait_for_suspend(240 * SEC);
    if ( rc < 0 )
        return xtf_error("Error: no suspend request within 240s\n");

    xenstore_read_copy("domid", after, sizeof(after));
    printk("  resumed: suspend hypercall returned %d, domain %s -> %s\n",
           rc, before, after);
    if ( rc == 1 )
        xtf_warning("  suspend was cancelled: same domain, not a restore\n");

    xenstore_write("data/state", "resumed");
    if ( !wait_for("data/go", NULL, 120 * SEC) )
        return xtf_error("Error: harness never wrote data/go\n");

    /* --- checks ---------------------------------------------------------- */
    rc = xenstore_transaction_end(tx, true);
    check("txn-eagain", rc == -XS_ERRNO_EAGAIN,
          "TRANSACTION_END(tx %u) returned %s, want EAGAIN", tx,
          xenstore_strerror(rc));

    xenstore_read_copy("data/mig/a", a, sizeof(a));
    xenstore_read_copy("data/mig/b", b, sizeof(b));
    check("nodes", !strcmp(a, "alpha") && !strcmp(b, "beta"),
          "data/mig/a=%s data/mig/b=%s (want alpha, beta)", a, b);

    snprintf(perms_after, sizeof(perms_after), "n%s,r0", after);
    rc = xenstore_get_perms("data/mig/b", facts, sizeof(facts));
    check("perms", !rc && !strcmp(facts, perms_after),
          "perms of data/mig/b: %s (before save %s, want %s)",
          rc ? xenstore_strerror(rc) : facts, perms_before, perms_after);

    /* Anything queued so far (e.g. a re-registration's initial event) is
     * not evidence that dom0's change fires the watch. */
    xenstore_drain_watches();
    xenstore_write("data/state", "want-change");
    got = false;
    ok = false;
    while ( !ok && xenstore_wait_watch(path, sizeof(path), tok, sizeof(tok), 20 * SEC) )
    {
        got = true;
        ok = !strcmp(tok, TOKEN) && ends_with(path, "data/mig/watched");
    }
    if ( got )
        snprintf(facts, sizeof(facts), "last event path '%s' token '%s'", path, tok);
    else
        snprintf(facts, sizeof(facts),
                 "no watch event within 20s of asking dom0 to write data/mig/watched"
                 " (now '%s')", xenstore_read("data/mig/watched") ?: "<missing>");
    check("watch", ok, "%s", facts);

    if ( xenstore_read("data/serve") )
        serve(600 * SEC);

    xenstore_write("data/state", "done");
    if ( !xtf_status_reported() )
        xtf_success(NULL);
}

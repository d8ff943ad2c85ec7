/* SPDX-License-Identifier: LGPL-2.1-only */
/**
 * @file tests/xenstore-noncoop/main.c
 * @ref test-xenstore-noncoop
 *
 * @page test-xenstore-noncoop xenstore-noncoop
 *
 * A PVH guest that does not cooperate with a move (save/restore or
 * migration): it has no suspend handler, never sets
 * HVM_PARAM_CALLBACK_IRQ, never re-registers anything and is never told
 * that it moved.  Its xenstore state must simply still be there.
 *
 * Round r (r = 1, 2, ...; all paths relative to the guest's home):
 *  arm:   nodes data/nc/n1 (+ n1/child) and data/nc/n2 with permissions the
 *         guest sets itself, a watch on data/nc/w (token "nc"), a
 *         transaction that reads data/nc/w and writes data/nc/t, then
 *         data/nc/state = ready-<r>, then an XS_WRITE of data/nc/partial
 *         left half-written on the ring (header and part of its payload).
 *  wait:  from then on no request (the byte stream is mid-request): only
 *         watch events are read from the ring, each change counted, until
 *         the event of data/nc/w/go (its value K = number of changes
 *         data/nc/w/1..K the harness made before and after the move).
 *  check: complete the half-written request, then record in
 *         data/check/<name> and on the console ("nc-check <r> <name> ...")
 *         - txn-eagain: committing the transaction gives EAGAIN (it read
 *           data/nc/w, which the harness changed) and its write stays unseen
 *         - nodes, perms: the round's nodes and permission lists unchanged
 *         - watch: w/1..w/K each seen exactly once, nothing else
 *         - partial-request: the completed request got its reply "OK" and
 *           data/nc/partial holds its value
 *         - domid-port: the domid node and HVM_PARAM_STORE_EVTCHN are what
 *           they were at start of day
 *         then data/nc/state = checked-<r>, clean up, arm round r+1.
 *
 * A toolstack that rewrites the ring page (stock libxc zeroes it on
 * restore) is seen through the ring indices only the guest writes; the
 * guest then records that fact, adopts the ring as it is (the partial
 * request is lost) and, having no watch left to tell it, reads
 * data/nc/w/go every half second, so that even a stock move yields facts.
 */
#include <xtf.h>

const char test_title[] = "Test xenstore-noncoop";

#define MS          1000000ULL
#define SEC         1000000000ULL
#define TOKEN       "nc"
#define MAX_CHANGES 32
#define MAX_ROUNDS  1000
/* The harness may take long to move us (nested TCG, two hosts). */
#define GO_TIMEOUT  (900 * SEC)
#define FACTS       200

static char start_domid[16];
static uint64_t start_port;

struct round {
    unsigned int r;
    uint32_t tx;
    char n1[24], child[24], n2[24], perms1[32], perms2[32], partial[24];
    unsigned int seen[MAX_CHANGES + 1];  /* events of data/nc/w/<i> */
    char unexpected[FACTS];              /* any other event */
    bool ring_reset, go_seen;
    char reset_facts[FACTS];
};

static struct round rd;

static void pause_ns(uint64_t ns)
{
    uint64_t end = xtf_now_ns() + ns;

    while ( xtf_now_ns() < end )
        pvh_sleep_tick();
}

/* Append to a facts string, "; "-separated. */
static void add_fact(char *facts, const char *fmt, ...)
{
    size_t n = strlen(facts);
    va_list a;

    if ( n + 3 >= FACTS )
        return;
    if ( n )
    {
        strcpy(facts + n, "; ");
        n += 2;
    }
    va_start(a, fmt);
    vsnprintf(facts + n, FACTS - n, fmt, a);
    va_end(a);
}

static void record(const char *name, const char *facts)
{
    char node[48], val[FACTS + 8];

    snprintf(node, sizeof(node), "data/check/%s", name);
    if ( facts[0] )
        snprintf(val, sizeof(val), "FAIL: %s", facts);
    else
        snprintf(val, sizeof(val), "PASS");
    xenstore_write(node, val);
    printk("nc-check %u %s %s\n", rd.r, name, val);
}

static void set_state(const char *what)
{
    char v[32];

    snprintf(v, sizeof(v), "%s-%u", what, rd.r);
    xenstore_write("data/nc/state", v);
    printk("%s\n", v);
}

/* Set up round @r; returns NULL or what went wrong. */
static const char *arm(unsigned int r)
{
    static char why[FACTS];
    char path[128], tok[64];
    int rc;

    memset(&rd, 0, sizeof(rd));
    rd.r = r;
    snprintf(rd.n1, sizeof(rd.n1), "one-%u", r);
    snprintf(rd.child, sizeof(rd.child), "child-%u", r);
    snprintf(rd.n2, sizeof(rd.n2), "two-%u", r);
    snprintf(rd.partial, sizeof(rd.partial), "done-%u", r);
    /* First entry = owner = us (and everybody unlisted): nothing a guest
     * could not set itself, nothing the restore rule must refuse. */
    snprintf(rd.perms1, sizeof(rd.perms1), "n%s,r0", start_domid);
    snprintf(rd.perms2, sizeof(rd.perms2), "r%s,b0", start_domid);

    rc = xenstore_write("data/nc/n1", rd.n1);
    rc = rc ?: xenstore_write("data/nc/n1/child", rd.child);
    rc = rc ?: xenstore_write("data/nc/n2", rd.n2);
    rc = rc ?: xenstore_set_perms("data/nc/n1", rd.perms1);
    rc = rc ?: xenstore_set_perms("data/nc/n2", rd.perms2);
    rc = rc ?: xenstore_write("data/nc/w", "");
    if ( rc )
        return snprintf(why, sizeof(why), "nodes: %s", xenstore_strerror(rc)), why;

    xenstore_drain_watches();
    if ( (rc = xenstore_watch("data/nc/w", TOKEN)) )
        return snprintf(why, sizeof(why), "watch: %s", xenstore_strerror(rc)), why;
    if ( !xenstore_wait_watch(path, sizeof(path), tok, sizeof(tok), 10 * SEC) )
        return "no registration event of the watch on data/nc/w within 10s";
    if ( strcmp(path, "data/nc/w") || strcmp(tok, TOKEN) )
        return snprintf(why, sizeof(why), "registration event '%s' token '%s'", path, tok), why;

    rc = xenstore_transaction_start(&rd.tx);
    rc = rc ?: xenstore_read_tx(rd.tx, "data/nc/w", path, sizeof(path));
    rc = rc ?: xenstore_write_tx(rd.tx, "data/nc/t", "in-transaction");
    if ( rc )
        return snprintf(why, sizeof(why), "transaction: %s", xenstore_strerror(rc)), why;

    set_state("ready");
    /* Header and "data/nc/pa": the rest only after the move. */
    if ( (rc = xenstore_write_partial_start("data/nc/partial", rd.partial, 10)) )
        return snprintf(why, sizeof(why), "half-written request: %s", xenstore_strerror(rc)), why;
    printk("nc-armed %u: transaction %u open, request half-written\n", r, rd.tx);
    return NULL;
}

static void count_event(const char *path, const char *tok)
{
    const char *w = "data/nc/w/";
    size_t wl = strlen(w);
    unsigned int i = 0;
    const char *p;

    if ( !strcmp(tok, TOKEN) && !strncmp(path, w, wl) )
    {
        if ( !strcmp(path + wl, "go") )
        {
            rd.go_seen = true;
            return;
        }
        for ( p = path + wl; *p >= '0' && *p <= '9' && i <= MAX_CHANGES; p++ )
            i = i * 10 + (*p - '0');
        if ( !*p && p != path + wl && i >= 1 && i <= MAX_CHANGES )
        {
            rd.seen[i]++;
            return;
        }
    }
    add_fact(rd.unexpected, "event '%s' token '%s'", path, tok);
}

/* Until the go event: read watch events, send nothing. */
static void wait_for_go(void)
{
    uint64_t end = xtf_now_ns() + GO_TIMEOUT;
    char path[128], tok[64];

    while ( !rd.go_seen && xtf_now_ns() < end )
    {
        if ( !rd.ring_reset && !xenstore_ring_intact(rd.reset_facts, sizeof(rd.reset_facts)) )
        {
            rd.ring_reset = true;
            printk("nc-ring-reset %u: %s\n", rd.r, rd.reset_facts);
            xenstore_reconnect();
        }
        if ( rd.ring_reset )
        {
            /* No watch is left to tell us: look for go ourselves. */
            if ( xenstore_read("data/nc/w/go") )
                rd.go_seen = true;
            else
                pause_ns(500 * MS);
            continue;
        }
        if ( xenstore_wait_watch(path, sizeof(path), tok, sizeof(tok), 200 * MS) )
            count_event(path, tok);
    }
}

static void check_partial(void)
{
    char facts[FACTS] = "", v[64];
    int rc;

    if ( rd.ring_reset )
        add_fact(facts, "the ring page was rewritten under the guest (%s): "
                 "the half-written request is lost", rd.reset_facts);
    else if ( (rc = xenstore_write_partial_finish(10 * SEC)) )
        add_fact(facts, rc == -XS_ERRNO_ETIMEDOUT
                 ? "no reply to the completed request in 10s"
                 : "the completed request's reply was %s, not OK", xenstore_strerror(rc));
    xenstore_read_copy("data/nc/partial", v, sizeof(v));
    if ( strcmp(v, rd.partial) )
        add_fact(facts, "data/nc/partial=%s (want %s)", v, rd.partial);
    record("partial-request", facts);
}

static void check_txn(void)
{
    char facts[FACTS] = "";
    int rc = xenstore_transaction_end(rd.tx, true);

    if ( rc != -XS_ERRNO_EAGAIN )
        add_fact(facts, "TRANSACTION_END(tx %u) returned %s, not EAGAIN", rd.tx,
                 xenstore_strerror(rc));
    if ( xenstore_read("data/nc/t") )
        add_fact(facts, "the transaction's write is visible: data/nc/t=%s",
                 xenstore_read("data/nc/t"));
    record("txn-eagain", facts);
}

static void check_node(char *facts, const char *key, const char *want)
{
    char v[64];

    xenstore_read_copy(key, v, sizeof(v));
    if ( strcmp(v, want) )
        add_fact(facts, "%s=%s (want %s)", key, v, want);
}

static void check_nodes(void)
{
    char facts[FACTS] = "";

    check_node(facts, "data/nc/n1", rd.n1);
    check_node(facts, "data/nc/n1/child", rd.child);
    check_node(facts, "data/nc/n2", rd.n2);
    record("nodes", facts);
}

static void check_perm(char *facts, const char *key, const char *want)
{
    char v[64];
    int rc = xenstore_get_perms(key, v, sizeof(v));

    if ( rc )
        add_fact(facts, "%s: %s (want %s)", key, xenstore_strerror(rc), want);
    else if ( strcmp(v, want) )
        add_fact(facts, "%s: %s (want %s)", key, v, want);
}

static void check_perms(void)
{
    char facts[FACTS] = "";

    check_perm(facts, "data/nc/n1", rd.perms1);
    check_perm(facts, "data/nc/n2", rd.perms2);
    record("perms", facts);
}

static void check_watch(void)
{
    char facts[FACTS] = "", kv[16];
    unsigned int i, k = 0;
    const char *p;

    if ( !rd.go_seen )
        add_fact(facts, "no go within %us", (unsigned int)(GO_TIMEOUT / SEC));
    else if ( rd.ring_reset )
        add_fact(facts, "no watch event after the ring page was rewritten; go found by reading");
    xenstore_read_copy("data/nc/w/go", kv, sizeof(kv));
    for ( p = kv; *p >= '0' && *p <= '9'; p++ )
        k = k * 10 + (*p - '0');
    if ( *p || !k || k > MAX_CHANGES )
        add_fact(facts, "data/nc/w/go=%s, not a count 1..%u", kv, MAX_CHANGES);
    else
        for ( i = 1; i <= MAX_CHANGES; i++ )
            if ( rd.seen[i] != (i <= k) )
                add_fact(facts, "w/%u seen %u times", i, rd.seen[i]);
    if ( rd.unexpected[0] )
        add_fact(facts, "unexpected: %s", rd.unexpected);
    record("watch", facts);
}

static void check_domid_port(void)
{
    char facts[FACTS] = "", now[16];
    uint64_t port = 0;
    long rc;

    xenstore_read_copy("domid", now, sizeof(now));
    if ( strcmp(now, start_domid) )
        add_fact(facts, "domid %s -> %s", start_domid, now);
    rc = hvm_get_param(HVM_PARAM_STORE_EVTCHN, &port);
    if ( rc )
        add_fact(facts, "HVMOP_get_param(STORE_EVTCHN) failed: %ld", rc);
    else if ( port != start_port )
        add_fact(facts, "store port %lu -> %lu", (unsigned long)start_port,
                 (unsigned long)port);
    record("domid-port", facts);
}

static void clean_up(void)
{
    xenstore_unwatch("data/nc/w", TOKEN);
    xenstore_rm("data/nc/n1");
    xenstore_rm("data/nc/n2");
    xenstore_rm("data/nc/w");
    xenstore_rm("data/nc/t");
    xenstore_rm("data/nc/partial");
    xenstore_drain_watches();
}

void test_main(void)
{
    unsigned int r;

    xenstore_read_copy("domid", start_domid, sizeof(start_domid));
    if ( hvm_get_param(HVM_PARAM_STORE_EVTCHN, &start_port) )
        return xtf_error("Error: cannot read HVM_PARAM_STORE_EVTCHN\n");
    printk("nc-start domid %s store port %lu\n", start_domid, (unsigned long)start_port);

    for ( r = 1; r <= MAX_ROUNDS; r++ )
    {
        const char *why = arm(r);

        if ( why )
        {
            char v[FACTS + 32];

            snprintf(v, sizeof(v), "arm-failed-%u: %s", r, why);
            xenstore_write("data/nc/state", v);
            return xtf_error("Error: %s\n", v);
        }
        wait_for_go();
        check_partial();
        check_txn();
        check_nodes();
        check_perms();
        check_watch();
        check_domid_port();
        set_state("checked");
        clean_up();
    }
    xtf_success(NULL);
}

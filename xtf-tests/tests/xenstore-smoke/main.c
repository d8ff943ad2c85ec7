/* SPDX-License-Identifier: LGPL-2.1-only */
/**
 * @file tests/xenstore-smoke/main.c
 * @ref test-xenstore-smoke
 *
 * @page test-xenstore-smoke xenstore-smoke
 *
 * Basic xenstore operations on the guest's own nodes, over its ring:
 * read, write, directory, permissions, a watch and a transaction.
 * Each check is printed and recorded under data/check/<name> ("PASS" or
 * "FAIL: why") for the harness; the verdict goes to data/xtf/result.
 */
#include <xtf.h>

const char test_title[] = "Test xenstore-smoke";

static char domid[16];

static void check(const char *name, bool ok, const char *fmt, ...)
{
    char why[160] = "", node[64], val[200];
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

void test_main(void)
{
    const char *v;
    char buf[256], exp[64], path[128], tok[64];
    int rc, len, i;
    bool found;
    uint32_t tx;

    if ( xenstore_init() )
        return xtf_error("Error: no xenstore\n");

    v = xenstore_read("domid");
    /* xenstore_read()'s buffer lasts until the next operation: copy. */
    snprintf(domid, sizeof(domid), "%s", v ? v : "?");
    check("read-domid", v && domid[0] >= '0' && domid[0] <= '9',
          "read(domid): %s", v ? domid : xenstore_strerror(xenstore_last_error()));
    printk("  running as domain %s\n", domid);

    rc = xenstore_write("data/smoke/a", "hello");
    v = rc ? NULL : xenstore_read("data/smoke/a");
    check("write-read", v && !strcmp(v, "hello"), "write rc=%s, read back '%s'",
          xenstore_strerror(rc), v ? v : "(none)");

    xenstore_write("data/smoke/b", "world");
    len = xenstore_directory("data/smoke", buf, sizeof(buf));
    found = false;
    for ( i = 0; len > 0 && i < len; i += strlen(&buf[i]) + 1 )
        if ( !strcmp(&buf[i], "b") )
            found = true;
    check("directory", len > 0 && found, "directory(data/smoke) rc=%d, 'b' %s",
          len, found ? "found" : "missing");

    snprintf(exp, sizeof(exp), "n%s,r0", domid);
    rc = xenstore_set_perms("data/smoke/a", exp);
    buf[0] = '\0';
    if ( !rc )
        rc = xenstore_get_perms("data/smoke/a", buf, sizeof(buf));
    check("permissions", !rc && !strcmp(buf, exp), "set/get perms rc=%s got '%s' want '%s'",
          xenstore_strerror(rc), buf, exp);

    v = xenstore_read("vm");   /* not ours to write: libxl made it r/o */
    rc = v ? xenstore_write("vm", "x") : -1;
    check("permission-denied", rc == -XS_ERRNO_EACCES,
          "write(vm) returned %s, want EACCES", xenstore_strerror(rc));

    rc = xenstore_watch("data/smoke/w", "smoke-tok");
    found = !rc && xenstore_wait_watch(path, sizeof(path), tok, sizeof(tok),
                                       5000000000ULL);
    check("watch-initial", found && !strcmp(tok, "smoke-tok"),
          "watch rc=%s, initial event %s", xenstore_strerror(rc),
          found ? tok : "not received in 5s");
    xenstore_drain_watches();
    xenstore_write("data/smoke/w", "1");
    found = xenstore_wait_watch(path, sizeof(path), tok, sizeof(tok), 5000000000ULL);
    check("watch-fires", found && ends_with(path, "data/smoke/w") &&
          !strcmp(tok, "smoke-tok"), "event %s path '%s' token '%s'",
          found ? "received" : "not received in 5s", found ? path : "", found ? tok : "");
    xenstore_unwatch("data/smoke/w", "smoke-tok");

    rc = xenstore_transaction_start(&tx);
    if ( !rc )
        rc = xenstore_write_tx(tx, "data/smoke/tx", "committed");
    if ( !rc )
        rc = xenstore_transaction_end(tx, true);
    v = rc ? NULL : xenstore_read("data/smoke/tx");
    check("transaction", v && !strcmp(v, "committed"), "rc=%s value '%s'",
          xenstore_strerror(rc), v ? v : "(none)");

    rc = xenstore_rm("data/smoke/b");
    v = rc ? "x" : xenstore_read("data/smoke/b");
    check("rm", !rc && !v && xenstore_last_error() == -XS_ERRNO_ENOENT,
          "rm rc=%s, read afterwards %s", xenstore_strerror(rc),
          v ? "still present" : xenstore_strerror(xenstore_last_error()));

    if ( !xtf_status_reported() )
        xtf_success(NULL);
}

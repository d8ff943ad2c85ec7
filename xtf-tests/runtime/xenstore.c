/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Xenstore client for the runtime: speaks the xenstore wire protocol
 * (docs/misc/xenstore.txt, xen/include/public/io/xs_wire.h) over the
 * shared ring the platform names (arch_xenstore_ring()).  Every wait is
 * bounded.
 */
#include <xtf.h>

enum xs_type {
    XS_CONTROL, XS_DIRECTORY, XS_READ, XS_GET_PERMS, XS_WATCH, XS_UNWATCH,
    XS_TRANSACTION_START, XS_TRANSACTION_END, XS_INTRODUCE, XS_RELEASE,
    XS_GET_DOMAIN_PATH, XS_WRITE, XS_MKDIR, XS_RM, XS_SET_PERMS,
    XS_WATCH_EVENT, XS_ERROR,
};

struct xsd_sockmsg { uint32_t type, req_id, tx_id, len; };

#define XS_RING_SIZE 1024
#define XS_PAYLOAD_MAX 4096
struct xs_ring {
    char req[XS_RING_SIZE];
    char rsp[XS_RING_SIZE];
    uint32_t req_cons, req_prod;
    uint32_t rsp_cons, rsp_prod;
    uint32_t server_features, connection, error;
};

#define XS_OP_TIMEOUT_NS (20ULL * 1000000000ULL)

static struct xs_ring *ring;
static evtchn_port_t port;
static uint32_t next_req_id = 1;
static bool connected;
static int last_error;

/*
 * The ring indices only we write (req_prod, rsp_cons), as we last wrote
 * them.  xenstored never writes these, so a difference means somebody
 * else rewrote the page, e.g. a toolstack that zeroed it on restore.
 */
static uint32_t my_req_prod, my_rsp_cons;

/* A request whose payload is only partly on the ring (see xtf/xenstore.h). */
static struct {
    bool pending;
    uint32_t type, req_id, len, sent;
    char payload[256];
} partial;

static char reply[XS_PAYLOAD_MAX + 1];

#define NR_QUEUED 16
static struct { char path[128]; char token[64]; } wq[NR_QUEUED];
static unsigned int wq_head, wq_count;

static const struct { const char *name; int err; } errs[] = {
    { "EPERM", XS_ERRNO_EPERM }, { "ENOENT", XS_ERRNO_ENOENT },
    { "EIO", XS_ERRNO_EIO }, { "E2BIG", XS_ERRNO_E2BIG },
    { "EAGAIN", XS_ERRNO_EAGAIN }, { "ENOMEM", XS_ERRNO_ENOMEM },
    { "EACCES", XS_ERRNO_EACCES }, { "EEXIST", XS_ERRNO_EEXIST },
    { "EISDIR", XS_ERRNO_EISDIR }, { "EINVAL", XS_ERRNO_EINVAL },
    { "ENOSPC", XS_ERRNO_ENOSPC }, { "EROFS", XS_ERRNO_EROFS },
    { "ENOSYS", XS_ERRNO_ENOSYS }, { "ENOTEMPTY", XS_ERRNO_ENOTEMPTY },
    { "EQUOTA", XS_ERRNO_EQUOTA }, { "ETIMEDOUT", XS_ERRNO_ETIMEDOUT },
    { "EBUSY", XS_ERRNO_EBUSY },
};

const char *xenstore_strerror(int rc)
{
    unsigned int i;

    if ( rc == 0 )
        return "OK";
    for ( i = 0; i < ARRAY_SIZE(errs); i++ )
        if ( errs[i].err == -rc )
            return errs[i].name;
    return "E?";
}

static int name_to_errno(const char *s)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(errs); i++ )
        if ( !strcmp(errs[i].name, s) )
            return -errs[i].err;
    return -XS_ERRNO_EIO;
}

void xenstore_reconnect(void)
{
    ring = arch_xenstore_ring(&port);
    connected = ring != NULL;
    partial.pending = false;
    if ( connected )
    {
        my_req_prod = ACCESS_ONCE(ring->req_prod);
        my_rsp_cons = ACCESS_ONCE(ring->rsp_cons);
    }
}

bool xenstore_ring_intact(char *facts, size_t len)
{
    uint32_t req_prod, rsp_cons;

    if ( !connected )
        return true;
    req_prod = ACCESS_ONCE(ring->req_prod);
    rsp_cons = ACCESS_ONCE(ring->rsp_cons);
    if ( req_prod == my_req_prod && rsp_cons == my_rsp_cons )
        return true;
    snprintf(facts, len, "req_prod %u -> %u, rsp_cons %u -> %u, req_cons %u, rsp_prod %u",
             my_req_prod, req_prod, my_rsp_cons, rsp_cons,
             ACCESS_ONCE(ring->req_cons), ACCESS_ONCE(ring->rsp_prod));
    return false;
}

int xenstore_init(void)
{
    if ( !connected )
        xenstore_reconnect();
    return connected ? 0 : -XS_ERRNO_ENOSYS;
}

static int ring_write(const void *data, size_t len, uint64_t deadline)
{
    const char *p = data;

    while ( len )
    {
        uint32_t cons = ACCESS_ONCE(ring->req_cons);
        uint32_t prod = ACCESS_ONCE(ring->req_prod);
        uint32_t space, off, n;

        smp_mb();
        space = XS_RING_SIZE - (prod - cons);
        if ( !space )
        {
            hypercall_evtchn_send(port);
            if ( xtf_now_ns() > deadline )
                return -XS_ERRNO_ETIMEDOUT;
            evtchn_wait(port, deadline);
            continue;
        }
        off = prod & (XS_RING_SIZE - 1);
        n = XS_RING_SIZE - off;
        if ( n > space ) n = space;
        if ( n > len ) n = len;
        memcpy(&ring->req[off], p, n);
        smp_wmb();
        ring->req_prod = my_req_prod = prod + n;
        p += n;
        len -= n;
    }
    hypercall_evtchn_send(port);
    return 0;
}

static bool rsp_avail(void)
{
    return ACCESS_ONCE(ring->rsp_prod) != ACCESS_ONCE(ring->rsp_cons);
}

static int ring_read(void *data, size_t len, uint64_t deadline)
{
    char *p = data;

    while ( len )
    {
        uint32_t cons = ACCESS_ONCE(ring->rsp_cons);
        uint32_t prod = ACCESS_ONCE(ring->rsp_prod);
        uint32_t avail, off, n;

        smp_rmb();
        avail = prod - cons;
        if ( !avail )
        {
            if ( xtf_now_ns() > deadline )
                return -XS_ERRNO_ETIMEDOUT;
            evtchn_wait(port, deadline);
            continue;
        }
        off = cons & (XS_RING_SIZE - 1);
        n = XS_RING_SIZE - off;
        if ( n > avail ) n = avail;
        if ( n > len ) n = len;
        memcpy(p, &ring->rsp[off], n);
        smp_mb();
        ring->rsp_cons = my_rsp_cons = cons + n;
        p += n;
        len -= n;
        hypercall_evtchn_send(port);
    }
    return 0;
}

/* Read one whole message into @hdr/reply[] (NUL-terminated). */
static int recv_msg(struct xsd_sockmsg *hdr, uint64_t deadline)
{
    int rc = ring_read(hdr, sizeof(*hdr), deadline);

    if ( rc )
        return rc;
    if ( hdr->len > XS_PAYLOAD_MAX )
        panic("xenstore: oversized message (%u bytes)", hdr->len);
    /* A message has started: give its body the full timeout. */
    rc = ring_read(reply, hdr->len, xtf_now_ns() + XS_OP_TIMEOUT_NS);
    if ( rc )
        return rc;
    reply[hdr->len] = '\0';
    return 0;
}

static void queue_watch_event(unsigned int len)
{
    unsigned int slot, plen = strnlen(reply, len);
    const char *tok = plen < len ? reply + plen + 1 : "";

    if ( wq_count == NR_QUEUED )
    {
        printk("xenstore: watch queue full, dropping an event\n");
        return;
    }
    slot = (wq_head + wq_count++) % NR_QUEUED;
    snprintf(wq[slot].path, sizeof(wq[slot].path), "%s", reply);
    snprintf(wq[slot].token, sizeof(wq[slot].token), "%s", tok);
}

/*
 * One request/reply.  @parts are concatenated as the payload; each is sent
 * with its terminating NUL unless it is the last one and @last_nul is false
 * (XS_WRITE's value).  Returns the reply length or -errno.
 */
static int wait_reply(uint32_t type, uint32_t req_id, uint64_t deadline);

static int xs_talk(enum xs_type type, uint32_t tx, const char *const *parts,
                   unsigned int nr, bool last_nul)
{
    struct xsd_sockmsg hdr = { .type = type, .req_id = next_req_id++, .tx_id = tx };
    uint64_t deadline = xtf_now_ns() + XS_OP_TIMEOUT_NS;
    unsigned int i;
    int rc;

    if ( !connected )
        return -XS_ERRNO_ENOSYS;
    if ( partial.pending )
        return -XS_ERRNO_EBUSY; /* the byte stream is mid-request */
    for ( i = 0; i < nr; i++ )
        hdr.len += strlen(parts[i]) + (i + 1 < nr || last_nul);
    if ( hdr.len > XS_PAYLOAD_MAX )
        return -XS_ERRNO_E2BIG;
    if ( (rc = ring_write(&hdr, sizeof(hdr), deadline)) )
        return rc;
    for ( i = 0; i < nr; i++ )
        if ( (rc = ring_write(parts[i], strlen(parts[i]) + (i + 1 < nr || last_nul),
                              deadline)) )
            return rc;
    return wait_reply(type, hdr.req_id, deadline);
}

/* The reply to request @req_id (watch events meanwhile are queued). */
static int wait_reply(uint32_t type, uint32_t req_id, uint64_t deadline)
{
    for ( ;; )
    {
        struct xsd_sockmsg r;
        int rc;

        if ( (rc = recv_msg(&r, deadline)) )
            return rc;
        if ( r.type == XS_WATCH_EVENT )
        {
            queue_watch_event(r.len);
            continue;
        }
        if ( r.req_id != req_id )
        {
            printk("xenstore: dropping reply to unknown req %u\n", r.req_id);
            continue;
        }
        if ( r.type == XS_ERROR )
            return name_to_errno(reply);
        if ( r.type != type )
            return -XS_ERRNO_EIO;
        return r.len;
    }
}

int xenstore_write_partial_start(const char *key, const char *value, size_t first)
{
    size_t klen = strlen(key) + 1, vlen = strlen(value);
    struct xsd_sockmsg hdr = { .type = XS_WRITE, .req_id = next_req_id++ };
    uint64_t deadline = xtf_now_ns() + XS_OP_TIMEOUT_NS;
    int rc;

    if ( !connected )
        return -XS_ERRNO_ENOSYS;
    if ( partial.pending )
        return -XS_ERRNO_EBUSY;
    if ( klen + vlen > sizeof(partial.payload) || first >= klen + vlen )
        return -XS_ERRNO_EINVAL;
    memcpy(partial.payload, key, klen);
    memcpy(partial.payload + klen, value, vlen);
    hdr.len = klen + vlen;
    if ( (rc = ring_write(&hdr, sizeof(hdr), deadline)) ||
         (rc = ring_write(partial.payload, first, deadline)) )
        return rc;
    partial.pending = true;
    partial.type = hdr.type;
    partial.req_id = hdr.req_id;
    partial.len = hdr.len;
    partial.sent = first;
    return 0;
}

int xenstore_write_partial_finish(uint64_t timeout_ns)
{
    uint64_t deadline = xtf_now_ns() + timeout_ns;
    int rc;

    if ( !partial.pending )
        return -XS_ERRNO_EINVAL;
    partial.pending = false;
    rc = ring_write(partial.payload + partial.sent, partial.len - partial.sent, deadline);
    if ( rc )
        return rc;
    rc = wait_reply(partial.type, partial.req_id, deadline);
    if ( rc >= 0 && strcmp(reply, "OK") )
        return -XS_ERRNO_EIO;
    return rc < 0 ? rc : 0;
}

const char *xenstore_read(const char *key)
{
    const char *p[] = { key };
    int rc = xs_talk(XS_READ, 0, p, 1, true);

    last_error = rc < 0 ? rc : 0;
    return rc < 0 ? NULL : reply;
}

void xenstore_read_copy(const char *key, char *buf, size_t len)
{
    const char *v = xenstore_read(key);

    if ( v )
        snprintf(buf, len, "%s", v);
    else
        snprintf(buf, len, "<%s>", xenstore_strerror(xenstore_last_error()));
}

int xenstore_last_error(void)
{
    return last_error;
}

int xenstore_read_tx(uint32_t tx, const char *key, char *buf, size_t len)
{
    const char *p[] = { key };
    int rc = xs_talk(XS_READ, tx, p, 1, true);

    if ( rc >= 0 )
        snprintf(buf, len, "%s", reply);
    return rc < 0 ? rc : 0;
}

int xenstore_write_tx(uint32_t tx, const char *key, const char *value)
{
    const char *p[] = { key, value };
    int rc = xs_talk(XS_WRITE, tx, p, 2, false);

    return rc < 0 ? rc : 0;
}

int xenstore_write(const char *key, const char *value)
{
    return xenstore_write_tx(0, key, value);
}

int xenstore_rm(const char *key)
{
    const char *p[] = { key };
    int rc = xs_talk(XS_RM, 0, p, 1, true);

    return rc < 0 ? rc : 0;
}

int xenstore_directory(const char *key, char *buf, size_t len)
{
    const char *p[] = { key };
    int rc = xs_talk(XS_DIRECTORY, 0, p, 1, true);

    if ( rc < 0 )
        return rc;
    if ( (size_t)rc > len )
        return -XS_ERRNO_E2BIG;
    memcpy(buf, reply, rc);
    return rc;
}

int xenstore_get_perms(const char *key, char *buf, size_t len)
{
    const char *p[] = { key };
    int i, rc = xs_talk(XS_GET_PERMS, 0, p, 1, true);

    if ( rc < 0 )
        return rc;
    /* "n5\0r0\0" -> "n5,r0" */
    for ( i = 0; i < rc && (size_t)i + 1 < len; i++ )
        buf[i] = reply[i] ? reply[i] : ',';
    while ( i > 0 && buf[i - 1] == ',' )
        i--;
    buf[i] = '\0';
    return 0;
}

int xenstore_set_perms(const char *key, const char *perms)
{
    char tmp[128];
    const char *p[8];
    unsigned int n = 0, i;
    int rc;

    snprintf(tmp, sizeof(tmp), "%s", perms);
    p[n++] = key;
    p[n++] = tmp;
    for ( i = 0; tmp[i] && n < ARRAY_SIZE(p); i++ )
        if ( tmp[i] == ',' )
        {
            tmp[i] = '\0';
            p[n++] = &tmp[i + 1];
        }
    rc = xs_talk(XS_SET_PERMS, 0, p, n, true);
    return rc < 0 ? rc : 0;
}

int xenstore_watch(const char *path, const char *token)
{
    const char *p[] = { path, token };
    int rc = xs_talk(XS_WATCH, 0, p, 2, true);

    return rc < 0 ? rc : 0;
}

int xenstore_unwatch(const char *path, const char *token)
{
    const char *p[] = { path, token };
    int rc = xs_talk(XS_UNWATCH, 0, p, 2, true);

    return rc < 0 ? rc : 0;
}

int xenstore_transaction_start(uint32_t *tx)
{
    const char *p[] = { "" };
    int rc = xs_talk(XS_TRANSACTION_START, 0, p, 1, true);
    uint32_t v = 0;
    const char *s;

    if ( rc < 0 )
        return rc;
    for ( s = reply; *s >= '0' && *s <= '9'; s++ )
        v = v * 10 + (*s - '0');
    *tx = v;
    return 0;
}

int xenstore_transaction_end(uint32_t tx, bool commit)
{
    const char *p[] = { commit ? "T" : "F" };
    int rc = xs_talk(XS_TRANSACTION_END, tx, p, 1, true);

    return rc < 0 ? rc : 0;
}

static bool pop_watch(char *path, size_t plen, char *token, size_t tlen)
{
    if ( !wq_count )
        return false;
    snprintf(path, plen, "%s", wq[wq_head].path);
    snprintf(token, tlen, "%s", wq[wq_head].token);
    wq_head = (wq_head + 1) % NR_QUEUED;
    wq_count--;
    return true;
}

bool xenstore_wait_watch(char *path, size_t plen, char *token, size_t tlen,
                         uint64_t timeout_ns)
{
    uint64_t deadline = xtf_now_ns() + timeout_ns;

    while ( !pop_watch(path, plen, token, tlen) )
    {
        struct xsd_sockmsg r;

        if ( !connected )
            return false;
        while ( !rsp_avail() )
        {
            if ( xtf_now_ns() > deadline )
                return false;
            evtchn_wait(port, deadline);
        }
        if ( recv_msg(&r, xtf_now_ns() + XS_OP_TIMEOUT_NS) )
            return false;
        if ( r.type == XS_WATCH_EVENT )
            queue_watch_event(r.len);
        else
            printk("xenstore: unexpected message type %u while idle\n", r.type);
    }
    return true;
}

unsigned int xenstore_drain_watches(void)
{
    char p[128], t[64];
    unsigned int n = 0;

    while ( xenstore_wait_watch(p, sizeof(p), t, sizeof(t), 0) )
        n++;
    return n;
}

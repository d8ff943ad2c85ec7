/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xensim guest DIR DOMID: the xenstore client of a guest kernel, speaking
 * the ring protocol of xen/io/xs_wire.h on the domain's ring page.
 *
 * The connection's state (watches, transactions) lives in xenstored and on
 * the ring page, so it outlives this process, as it outlives nothing on
 * real Xen.  What a guest kernel would keep in its own memory, watch events
 * read off the ring but not reported yet, is kept in HOST/hv/dom/N/
 * guest-events between processes.  One process per domain at a time.
 *
 * Commands, one per stdin line, one result line each (see docs/xensim.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "xensim.h"
#include "guest.h"

static void mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Wait for an event or a short slice: lost events only cost a slice. */
static void wait_slice(struct guest *g, int64_t deadline, const char *what)
{
	int left = deadline - now_ms();

	if (left <= 0)
		die("domain %u: timed out waiting for %s (ring req %u/%u rsp "
		    "%u/%u error %u)", g->domid, what, g->intf->req_cons,
		    g->intf->req_prod, g->intf->rsp_cons, g->intf->rsp_prod,
		    g->intf->error);
	if (hv_rx_wait(g->rxfd, left < 20 ? left : 20) > 0)
		while (hv_rx_pending(g->rxfd) >= 0)
			;
}

static void notify(struct guest *g)
{
	int lk = hv_lock(&g->host);

	if (lk < 0 || hv_notify(&g->host, g->domid, g->port))
		die("domain %u: notify port %u: %s", g->domid, g->port,
		    strerror(errno));
	hv_unlock(lk);
}

static void ring_write(struct guest *g, const void *data, size_t len,
		       int64_t deadline)
{
	struct xenstore_domain_interface *intf = g->intf;
	const char *p = data;

	while (len) {
		XENSTORE_RING_IDX cons = intf->req_cons, prod = intf->req_prod;
		size_t space, chunk;

		mb();
		if (prod - cons > XENSTORE_RING_SIZE)
			die("domain %u: corrupt request ring", g->domid);
		space = XENSTORE_RING_SIZE - (prod - cons);
		if (!space) {
			wait_slice(g, deadline, "request ring space");
			continue;
		}
		chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
		if (chunk > space)
			chunk = space;
		if (chunk > len)
			chunk = len;
		memcpy(intf->req + MASK_XENSTORE_IDX(prod), p, chunk);
		mb();	/* data before index, as xenstored reads it */
		intf->req_prod = prod + chunk;
		notify(g);
		p += chunk;
		len -= chunk;
	}
}

/* Read exactly len bytes of responses. */
static void ring_read(struct guest *g, void *data, size_t len,
		      int64_t deadline)
{
	struct xenstore_domain_interface *intf = g->intf;
	char *p = data;

	while (len) {
		XENSTORE_RING_IDX cons = intf->rsp_cons, prod = intf->rsp_prod;
		size_t avail, chunk;

		mb();
		if (prod - cons > XENSTORE_RING_SIZE)
			die("domain %u: corrupt response ring", g->domid);
		avail = prod - cons;
		if (!avail) {
			wait_slice(g, deadline, "a response");
			continue;
		}
		chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);
		if (chunk > avail)
			chunk = avail;
		if (chunk > len)
			chunk = len;
		memcpy(p, intf->rsp + MASK_XENSTORE_IDX(cons), chunk);
		mb();	/* data copied before the space is given back */
		intf->rsp_cons = cons + chunk;
		notify(g);
		p += chunk;
		len -= chunk;
	}
}

static bool rsp_pending(struct guest *g)
{
	mb();
	return g->intf->rsp_prod != g->intf->rsp_cons;
}

static void queue_event(struct guest *g, const struct xs_msg *m)
{
	struct guest_event *ev;

	ev = malloc(sizeof(*ev) + m->hdr.len + 1);
	if (!ev)
		die("out of memory");
	ev->len = m->hdr.len;
	memcpy(ev->body, m->body, m->hdr.len + 1);
	ev->next = NULL;
	*g->events_tail = ev;
	g->events_tail = &ev->next;
}

/* One message off the ring; watch events are queued, not returned. */
static bool read_msg(struct guest *g, struct xs_msg *m, int64_t deadline)
{
	ring_read(g, &m->hdr, sizeof(m->hdr), deadline);
	if (m->hdr.len > XENSTORE_PAYLOAD_MAX)
		die("domain %u: response of %u bytes", g->domid, m->hdr.len);
	ring_read(g, m->body, m->hdr.len, deadline);
	m->body[m->hdr.len] = 0;
	if (m->hdr.type != XS_WATCH_EVENT)
		return true;
	queue_event(g, m);
	return false;
}

/* Read whatever the ring holds now, queueing its watch events. */
void guest_poll(struct guest *g)
{
	struct xs_msg m;

	while (hv_rx_pending(g->rxfd) >= 0)
		;
	while (rsp_pending(g))
		if (read_msg(g, &m, now_ms() + xensim_timeout_ms()))
			fprintf(stderr, "xensim: domain %u: dropping reply to "
				"request %u left on the ring\n", g->domid,
				m.hdr.req_id);
}

uint32_t guest_send_part(struct guest *g, uint32_t type, uint32_t tx,
			 const void *body, size_t len, size_t sent)
{
	struct xsd_sockmsg hdr = { .type = type, .req_id = g->next_req++,
				   .tx_id = tx, .len = len };
	int64_t deadline = now_ms() + xensim_timeout_ms();

	ring_write(g, &hdr, sizeof(hdr), deadline);
	ring_write(g, body, sent, deadline);
	return hdr.req_id;
}

uint32_t guest_send(struct guest *g, uint32_t type, uint32_t tx,
		    const void *body, size_t len)
{
	return guest_send_part(g, type, tx, body, len, len);
}

/* Returns 0 or the errno of an XS_ERROR reply. */
int guest_request(struct guest *g, uint32_t type, uint32_t tx,
		  const void *body, size_t len, struct xs_msg *reply)
{
	uint32_t id = guest_send(g, type, tx, body, len);
	int64_t deadline = now_ms() + xensim_timeout_ms();
	unsigned int i;

	for (;;) {
		if (!read_msg(g, reply, deadline))
			continue;
		if (reply->hdr.req_id == id)
			break;
		fprintf(stderr, "xensim: domain %u: dropping reply to request "
			"%u left on the ring\n", g->domid, reply->hdr.req_id);
	}
	if (reply->hdr.type != XS_ERROR)
		return 0;
	for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		if (!strcmp(reply->body, xsd_errors[i].errstring))
			return xsd_errors[i].errnum;
	return EIO;
}

/* Wait until n events are queued or the timeout runs out. */
unsigned int guest_wait_events(struct guest *g, unsigned int n, int timeout)
{
	int64_t deadline = now_ms() + timeout;
	struct guest_event *ev;
	unsigned int have;

	for (;;) {
		guest_poll(g);
		for (have = 0, ev = g->events; ev; ev = ev->next)
			have++;
		if (have >= n || now_ms() >= deadline)
			return have;
		hv_rx_wait(g->rxfd, 20);
	}
}

static void spool_path(struct guest *g, char *p)
{
	if (hv_path(&g->host, p, "dom/%u/guest-events", g->domid))
		die("path too long");
}

static void spool_load(struct guest *g)
{
	struct xs_msg m;
	char p[PATH_MAX];
	FILE *f;

	spool_path(g, p);
	f = fopen(p, "r");
	if (!f)
		return;
	while (fread(&m.hdr.len, sizeof(m.hdr.len), 1, f) == 1 &&
	       m.hdr.len <= XENSTORE_PAYLOAD_MAX &&
	       fread(m.body, 1, m.hdr.len, f) == m.hdr.len) {
		m.body[m.hdr.len] = 0;
		queue_event(g, &m);
	}
	fclose(f);
	unlink(p);
}

static void spool_save(struct guest *g)
{
	struct guest_event *ev;
	char p[PATH_MAX];
	FILE *f;

	if (!g->events)
		return;
	spool_path(g, p);
	f = fopen(p, "w");
	if (!f)
		die("cannot keep watch events in %s: %s", p, strerror(errno));
	for (ev = g->events; ev; ev = ev->next)
		if (fwrite(&ev->len, sizeof(ev->len), 1, f) != 1 ||
		    fwrite(ev->body, 1, ev->len, f) != ev->len)
			die("cannot write %s", p);
	if (fclose(f))
		die("cannot write %s", p);
}

/* Become the listener on (or stop listening to) the store port. */
static void attach(struct guest *g, bool on)
{
	struct hv_port pt;
	int lk = hv_lock(&g->host);

	if (lk < 0 || hv_dom_read_uint(&g->host, g->domid, "store-port",
				       &g->port) ||
	    hv_port_get(&g->host, g->domid, g->port, &pt)) {
		if (!on)
			goto out;	/* domain destroyed meanwhile */
		die("domain %u has no store port: %s", g->domid,
		    strerror(errno));
	}
	if (on)
		strcpy(pt.rx, g->rx);
	else if (!strcmp(pt.rx, g->rx))
		pt.rx[0] = 0;
	hv_port_put(&g->host, g->domid, g->port, &pt);
 out:
	hv_unlock(lk);
}

void guest_open(struct guest *g, const struct hv_host *h, unsigned int domid)
{
	int64_t deadline = now_ms() + xensim_timeout_ms();
	char p[PATH_MAX];

	memset(g, 0, sizeof(*g));
	g->host = *h;
	g->domid = domid;
	g->events_tail = &g->events;
	/* Different high bits per process: stale replies never match. */
	g->next_req = (uint32_t)getpid() << 12;

	if (hv_path(h, p, "dom/%u/guest.lock", domid))
		die("path too long");
	g->lockfd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (g->lockfd < 0)
		die("no domain %u on %s", domid, h->dir);
	while (flock(g->lockfd, LOCK_EX | LOCK_NB)) {
		if (now_ms() > deadline)
			die("domain %u: another guest process holds it", domid);
		usleep(10000);
	}
	g->intf = hv_ring_map(h, domid);
	if (!g->intf)
		die("domain %u: cannot map ring: %s", domid, strerror(errno));
	g->rxfd = hv_rx_open(h, true, g->rx, sizeof(g->rx));
	if (g->rxfd < 0)
		die("event socket: %s", strerror(errno));
	attach(g, true);
	spool_load(g);
}

void guest_close(struct guest *g)
{
	struct guest_event *ev;

	/*
	 * Leave the ring alone: what is on it (replies to raw requests,
	 * events) stays there for the next process, as it would for a
	 * guest that is not looking.
	 */
	spool_save(g);
	attach(g, false);
	close(g->rxfd);
	unlink(g->rx);
	while ((ev = g->events)) {
		g->events = ev->next;
		free(ev);
	}
	close(g->lockfd);
}

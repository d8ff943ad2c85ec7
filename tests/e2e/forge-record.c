/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * forge-record: turn an `xl save --xenstore-state` file into one a
 * compromised sender could have written, for xs-forged-record-refused
 * and the record group's xs-record-*-refused.
 *
 *   forge-record IN OUT PATH
 *   forge-record --domid N IN OUT
 *   forge-record --before-libxc IN OUT
 *
 * PATH is a node of the saved domain ("/local/domain/<id>/data/mig/a").
 * Its last occurrence in IN (NUL-terminated, as in the NODE_DATA record of
 * the xenstore stream inside the DOMAIN_XENSTORE_DATA record, the last
 * record before libxl's END) is renamed to a path of the same length under
 * /local/domain/0, i.e. a node the guest could never have created.  The
 * new path goes to stdout.
 *
 * --domid writes N as the domid of the DOMAIN_XENSTORE_DATA record's
 * header; --before-libxc moves the whole record to just before the
 * LIBXC_CONTEXT record (the first after libxl's stream header).  The
 * record is found as the one of type 6 which ends where libxl's END
 * record (the file's last 8 octets, all zero) begins.
 *
 * Byte-level on purpose, like
 * tests/integration/forge.py: it must not depend on the code under test.
 * Runs in the e2e dom0, hence C and static.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *slurp(const char *name, size_t *len)
{
    FILE *f = fopen(name, "rb");
    unsigned char *buf = NULL;
    size_t cap = 0, n;

    if ( !f )
        return NULL;
    *len = 0;
    do {
        if ( *len == cap )
        {
            cap = cap ? cap * 2 : 1 << 20;
            buf = realloc(buf, cap);
            if ( !buf )
                exit(2);
        }
        n = fread(buf + *len, 1, cap - *len, f);
        *len += n;
    } while ( n );
    fclose(f);
    return buf;
}

static unsigned int get32(const unsigned char *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (unsigned int)p[3] << 24;
}

static void put32(unsigned char *p, unsigned int v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

static int write_out(const char *name, const unsigned char *buf, size_t len)
{
    FILE *f = fopen(name, "wb");

    if ( !f || fwrite(buf, 1, len, f) != len || fclose(f) )
    {
        perror(name);
        return 1;
    }
    return 0;
}

/* The xenstore record: offset of its header, and its padded size. */
static int find_record(const unsigned char *buf, size_t len, size_t *at,
                       size_t *size)
{
    static const unsigned char end[8];
    size_t p;

    if ( len < 16 || memcmp(buf + len - 8, end, 8) )
        return 0;
    for ( p = len - 16; p > 0; p-- )
    {
        size_t body = ((size_t)get32(buf + p + 4) + 7) & ~(size_t)7;

        if ( get32(buf + p) == 6 && p + 8 + body == len - 8 )
        {
            *at = p;
            *size = 8 + body;
            return 1;
        }
    }
    return 0;
}

static int forge_header(int argc, char **argv)
{
    unsigned char *buf, *out;
    size_t len, at, size, q;
    int before = !strcmp(argv[1], "--before-libxc");
    const char *in, *name;

    if ( argc != (before ? 4 : 5) )
    {
        fprintf(stderr, "usage: forge-record --domid N IN OUT |"
                " --before-libxc IN OUT\n");
        return 2;
    }
    in = argv[before ? 2 : 3];
    name = argv[before ? 3 : 4];
    buf = slurp(in, &len);
    if ( !buf )
    {
        perror(in);
        return 1;
    }
    if ( !find_record(buf, len, &at, &size) || size < 16 )
    {
        fprintf(stderr, "forge-record: no xenstore record before END in %s\n",
                in);
        return 1;
    }
    if ( !before )
    {
        put32(buf + at + 8, strtoul(argv[2], NULL, 0));
        return write_out(name, buf, len);
    }

    for ( q = 0; q + 24 <= at; q++ )
        if ( !memcmp(buf + q, "LibxlFmt", 8) )
            break;
    if ( q + 24 > at || get32(buf + q + 16) != 1 || get32(buf + q + 20) )
    {
        fprintf(stderr, "forge-record: no LIBXC_CONTEXT record after"
                " libxl's header in %s\n", in);
        return 1;
    }
    q += 16;
    out = malloc(len);
    if ( !out )
        return 2;
    memcpy(out, buf, q);
    memcpy(out + q, buf + at, size);
    memcpy(out + q + size, buf + q, at - q);
    memcpy(out + at + size, buf + at + size, len - at - size);
    return write_out(name, out, len);
}

int main(int argc, char **argv)
{
    const char *prefix = "/local/domain/";
    unsigned char *buf, *hit = NULL;
    size_t len, plen, i;
    char *forged;
    const char *rest;
    FILE *f;

    if ( argc > 1 && (!strcmp(argv[1], "--domid") ||
                      !strcmp(argv[1], "--before-libxc")) )
        return forge_header(argc, argv);
    if ( argc != 4 || strncmp(argv[3], prefix, strlen(prefix)) )
    {
        fprintf(stderr, "usage: forge-record IN OUT /local/domain/<id>/PATH\n");
        return 2;
    }
    buf = slurp(argv[1], &len);
    if ( !buf )
    {
        perror(argv[1]);
        return 1;
    }
    plen = strlen(argv[3]) + 1;
    for ( i = 0; i + plen <= len; i++ )
        if ( !memcmp(buf + i, argv[3], plen) )
            hit = buf + i;
    if ( !hit )
    {
        fprintf(stderr, "forge-record: %s not in %s\n", argv[3], argv[1]);
        return 1;
    }

    /* "/local/domain/<id>/rest" -> "/local/domain/0/rest" + 'x' padding */
    rest = strchr(argv[3] + strlen(prefix), '/');
    if ( !rest )
        return 2;
    forged = calloc(1, plen);
    if ( !forged )
        return 2;
    snprintf(forged, plen, "%s0%s", prefix, rest);
    memset(forged + strlen(forged), 'x', plen - 1 - strlen(forged));
    memcpy(hit, forged, plen);

    f = fopen(argv[2], "wb");
    if ( !f || fwrite(buf, 1, len, f) != len || fclose(f) )
    {
        perror(argv[2]);
        return 1;
    }
    printf("%s\n", forged);
    return 0;
}

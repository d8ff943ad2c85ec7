/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * forge-record: turn an `xl save --xenstore-state` file into one a
 * compromised sender could have written, for xs-forged-record-refused.
 *
 *   forge-record IN OUT PATH
 *
 * PATH is a node of the saved domain ("/local/domain/<id>/data/mig/a").
 * Its last occurrence in IN (NUL-terminated, as in the NODE_DATA record of
 * the xenstore stream inside the DOMAIN_XENSTORE_DATA record, the last
 * record before libxl's END) is renamed to a path of the same length under
 * /local/domain/0, i.e. a node the guest could never have created.  The
 * new path goes to stdout.  Byte-level on purpose, like
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

int main(int argc, char **argv)
{
    const char *prefix = "/local/domain/";
    unsigned char *buf, *hit = NULL;
    size_t len, plen, i;
    char *forged;
    const char *rest;
    FILE *f;

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

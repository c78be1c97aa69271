/*
 * sha256.h - SHA-256 (FIPS 180-4), for the checksums of revision files and
 * the keys of the dev-database cache.
 *
 * Small enough to carry ourselves rather than link a crypto library for
 * one function; checked against the NIST test vectors in
 * tests/unit/test_sha256.c.
 */
#ifndef AUTOGEN_SHA256_H
#define AUTOGEN_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct ag_sha256 {
    uint32_t h[8];
    uint64_t nbytes;
    unsigned char block[64];
    size_t fill;
} ag_sha256;

void ag_sha256_init(ag_sha256 *s);
void ag_sha256_update(ag_sha256 *s, const void *data, size_t len);
void ag_sha256_final(ag_sha256 *s, unsigned char digest[32]);
/* The digest of data[0..len) as 64 lowercase hex digits and a NUL. */
void ag_sha256_hex(const void *data, size_t len, char out[65]);

#endif

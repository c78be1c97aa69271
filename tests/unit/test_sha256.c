/* Unit tests for src/base/sha256.c: the FIPS 180-4 / NIST test vectors,
 * the padding boundaries (55, 56, 63, 64 ... bytes) and incremental
 * updates in uneven pieces. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autogen/sha256.h"

static void
expect_hex(const void *data, size_t len, const char *want)
{
    char got[65];
    ag_sha256_hex(data, len, got);
    cr_expect_str_eq(got, want, "sha256 of %zu bytes", len);
}

Test(sha256, nist_vectors)
{
    expect_hex("", 0,
               "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect_hex("abc", 3,
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    expect_hex(m448, strlen(m448),
               "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                       "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    expect_hex(m896, strlen(m896),
               "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

Test(sha256, one_million_a)
{
    size_t n = 1000000;
    char *a = malloc(n);
    memset(a, 'a', n);
    expect_hex(a, n,
               "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

/* Lengths around the 56-byte padding limit and the block size, where a
 * padding bug shows (values from an independent implementation). */
Test(sha256, padding_boundaries)
{
    static const struct {
        size_t n;
        const char *hex;
    } v[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
    };
    char a[128];
    memset(a, 'a', sizeof a);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        expect_hex(a, v[i].n, v[i].hex);
}

Test(sha256, incremental_equals_one_shot)
{
    char text[1000];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (char)('a' + (i * 7) % 26);
    char want[65];
    ag_sha256_hex(text, sizeof text, want);
    static const size_t pieces[] = {1, 3, 63, 64, 65, 127};
    for (size_t p = 0; p < sizeof pieces / sizeof pieces[0]; p++) {
        ag_sha256 s;
        ag_sha256_init(&s);
        for (size_t at = 0; at < sizeof text; at += pieces[p]) {
            size_t n = sizeof text - at < pieces[p] ? sizeof text - at : pieces[p];
            ag_sha256_update(&s, text + at, n);
        }
        unsigned char d[32];
        ag_sha256_final(&s, d);
        char got[65];
        for (int i = 0; i < 32; i++)
            snprintf(got + 2 * i, 3, "%02x", d[i]);
        cr_expect_str_eq(got, want, "pieces of %zu bytes", pieces[p]);
    }
}

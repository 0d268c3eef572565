/*
** sha256: SHA-256 (FIPS 180-4) of a buffer, and its base64 form — what a
** Content-Security-Policy 'sha256-…' source names (the HTML pages hash their
** inline script and style at write time). Owns nothing.
*/
#ifndef KSIFT_SHA256_H
#define KSIFT_SHA256_H

#include <stddef.h>
#include <stdint.h>

void sha256(const void *data, size_t len, uint8_t out[32]);
/* base64 (RFC 4648, padded) of the digest into out: 45 bytes with the NUL. */
void sha256_base64(const void *data, size_t len, char out[45]);

#endif

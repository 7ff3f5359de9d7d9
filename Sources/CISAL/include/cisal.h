// ISA-L's streaming gzip inflate, loaded with dlopen at run time (Debian: libisal2; the
// header from libisal-dev at build time). Without either, kaiyuan_isal_new() returns NULL and
// kaiyuan reads gzip through zlib: the build never needs ISA-L, the fast path uses it when
// the machine has it.
#ifndef KAIYUAN_CISAL_H
#define KAIYUAN_CISAL_H
#include <stdint.h>

typedef struct kaiyuan_isal kaiyuan_isal;

/// 1 when libisal.so.2 was found and its inflate functions resolved (and the header was there
/// at build time), else 0. Loaded once.
int kaiyuan_isal_available(void);
/// A gzip inflater (multi-member aware through kaiyuan_isal_reset), or NULL when ISA-L is absent.
kaiyuan_isal *kaiyuan_isal_new(void);
void kaiyuan_isal_free(kaiyuan_isal *state);
/// Starts the next gzip member, keeping the unread input.
void kaiyuan_isal_reset(kaiyuan_isal *state);
void kaiyuan_isal_set_input(kaiyuan_isal *state, const uint8_t *input, uint32_t count);
uint32_t kaiyuan_isal_avail_in(const kaiyuan_isal *state);
const uint8_t *kaiyuan_isal_next_in(const kaiyuan_isal *state);
/// Inflates into `output`; `*produced` is set to the bytes written. Returns ISA-L's code
/// (0 ok, negative an error: -1 invalid block, -2 symbol, -3 lookback, -4 wrapper,
/// -5 unsupported method, -6 checksum).
int kaiyuan_isal_inflate(kaiyuan_isal *state, uint8_t *output, uint32_t capacity, uint32_t *produced);
/// 1 when the current member ended (its trailer checked).
int kaiyuan_isal_member_finished(const kaiyuan_isal *state);

/// The CRC-32 of gzip and zlib's crc32(), continued from `crc` (0 to start), with ISA-L's
/// carry-less multiply. Only call when kaiyuan_isal_available() is 1.
uint32_t kaiyuan_isal_crc32(uint32_t crc, const uint8_t *bytes, uint64_t count);

#endif

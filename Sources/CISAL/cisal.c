#include "cisal.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>

#if __has_include(<isa-l/igzip_lib.h>)
#include <isa-l/igzip_lib.h>

struct kaiyuan_isal { struct inflate_state state; };

static void (*p_init)(struct inflate_state *);
static void (*p_reset)(struct inflate_state *);
static int (*p_inflate)(struct inflate_state *);
static uint32_t (*p_crc32)(uint32_t, const unsigned char *, uint64_t);
static int loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    void *lib = dlopen("libisal.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return;
    p_init = (void (*)(struct inflate_state *))dlsym(lib, "isal_inflate_init");
    p_reset = (void (*)(struct inflate_state *))dlsym(lib, "isal_inflate_reset");
    p_inflate = (int (*)(struct inflate_state *))dlsym(lib, "isal_inflate");
    p_crc32 = (uint32_t (*)(uint32_t, const unsigned char *, uint64_t))dlsym(lib, "crc32_gzip_refl");
    loaded = p_init && p_reset && p_inflate && p_crc32;
}

int kaiyuan_isal_available(void) { pthread_once(&once, load); return loaded; }

kaiyuan_isal *kaiyuan_isal_new(void) {
    if (!kaiyuan_isal_available()) return NULL;
    kaiyuan_isal *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    p_init(&s->state);
    s->state.crc_flag = ISAL_GZIP;   // parse the gzip header, check CRC-32 and length
    return s;
}

void kaiyuan_isal_free(kaiyuan_isal *s) { free(s); }

void kaiyuan_isal_reset(kaiyuan_isal *s) {
    uint8_t *next = s->state.next_in;
    uint32_t avail = s->state.avail_in;
    p_reset(&s->state);
    s->state.crc_flag = ISAL_GZIP;
    s->state.next_in = next;
    s->state.avail_in = avail;
}

void kaiyuan_isal_set_input(kaiyuan_isal *s, const uint8_t *input, uint32_t count) {
    s->state.next_in = (uint8_t *)input;
    s->state.avail_in = count;
}

uint32_t kaiyuan_isal_avail_in(const kaiyuan_isal *s) { return s->state.avail_in; }
const uint8_t *kaiyuan_isal_next_in(const kaiyuan_isal *s) { return s->state.next_in; }

int kaiyuan_isal_inflate(kaiyuan_isal *s, uint8_t *output, uint32_t capacity, uint32_t *produced) {
    s->state.next_out = output;
    s->state.avail_out = capacity;
    int rc = p_inflate(&s->state);
    *produced = capacity - s->state.avail_out;
    return rc;
}

int kaiyuan_isal_member_finished(const kaiyuan_isal *s) { return s->state.block_state == ISAL_BLOCK_FINISH; }

uint32_t kaiyuan_isal_crc32(uint32_t crc, const uint8_t *bytes, uint64_t count) { return p_crc32(crc, bytes, count); }

#else  // built without ISA-L's header: zlib only.

int kaiyuan_isal_available(void) { return 0; }
kaiyuan_isal *kaiyuan_isal_new(void) { return NULL; }
void kaiyuan_isal_free(kaiyuan_isal *s) { (void)s; }
void kaiyuan_isal_reset(kaiyuan_isal *s) { (void)s; }
void kaiyuan_isal_set_input(kaiyuan_isal *s, const uint8_t *i, uint32_t n) { (void)s; (void)i; (void)n; }
uint32_t kaiyuan_isal_avail_in(const kaiyuan_isal *s) { (void)s; return 0; }
const uint8_t *kaiyuan_isal_next_in(const kaiyuan_isal *s) { (void)s; return NULL; }
int kaiyuan_isal_inflate(kaiyuan_isal *s, uint8_t *o, uint32_t c, uint32_t *p) { (void)s; (void)o; (void)c; *p = 0; return -9; }
int kaiyuan_isal_member_finished(const kaiyuan_isal *s) { (void)s; return 0; }
uint32_t kaiyuan_isal_crc32(uint32_t crc, const uint8_t *b, uint64_t n) { (void)crc; (void)b; (void)n; return 0; }

#endif

/* Byte strings -> dense ids, in order of first sight: the subtree structures and token
 * texts of analyse.c, the tokens of counts.c. Memory comes from CPython's allocator. */
#ifndef POLYGLOT_INTERN_H
#define POLYGLOT_INTERN_H
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    uint64_t *hash; int32_t *slot;   /* open addressing: slot = id + 1, 0 empty */
    size_t cap;
    char *arena; size_t used, room; /* every string, one after another */
    size_t *at, n, at_room;          /* id -> offset in arena; the next id's offset ends it */
} KeyTable;

static inline void kt_free(KeyTable *t) {
    PyMem_Free(t->hash); PyMem_Free(t->slot); PyMem_Free(t->arena); PyMem_Free(t->at);
    memset(t, 0, sizeof *t);
}

static inline uint64_t bytes_hash(const char *v, size_t n) {
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n, w;
    for (; n >= 8; v += 8, n -= 8) { memcpy(&w, v, 8); h ^= w; h *= 0xff51afd7ed558ccdULL; h ^= h >> 32; }
    if (n) { w = 0; memcpy(&w, v, n); h ^= w; h *= 0xff51afd7ed558ccdULL; h ^= h >> 32; }
    return h;
}

static inline int kt_grow(KeyTable *t) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    uint64_t *hash = PyMem_Calloc(cap, sizeof *hash);
    int32_t *slot = PyMem_Calloc(cap, sizeof *slot);
    if (!hash || !slot) { PyMem_Free(hash); PyMem_Free(slot); return -1; }
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slot[i]) continue;
        size_t j = t->hash[i] & (cap - 1);
        while (slot[j]) j = (j + 1) & (cap - 1);
        hash[j] = t->hash[i]; slot[j] = t->slot[i];
    }
    PyMem_Free(t->hash); PyMem_Free(t->slot);
    t->hash = hash; t->slot = slot; t->cap = cap;
    return 0;
}

/* the string with id ``id`` */
static inline const char *kt_string(const KeyTable *t, size_t id, size_t *n) {
    size_t a = t->at[id];
    *n = (id + 1 < t->n ? t->at[id + 1] : t->used) - a;
    return t->arena + a;
}

/* the id of the n bytes at v; -1 if they have none */
static inline long kt_find(const KeyTable *t, const void *v, size_t n, uint64_t h, size_t *where) {
    size_t j = h & (t->cap - 1);
    while (t->slot[j]) {
        if (t->hash[j] == h) {
            size_t id = (size_t)t->slot[j] - 1, len;
            const char *s = kt_string(t, id, &len);
            if (len == n && !memcmp(s, v, n)) return (long)id;
        }
        j = (j + 1) & (t->cap - 1);
    }
    *where = j;
    return -1;
}

/* the id of the n bytes at v, a new one when unseen; -1 with a Python error set when ids
 * or memory run out */
static inline long kt_intern(KeyTable *t, const void *v, size_t n) {
    if (2 * (t->n + 1) > t->cap && kt_grow(t) < 0) { PyErr_NoMemory(); return -1; }
    uint64_t h = bytes_hash(v, n);
    size_t j = 0;
    long found = kt_find(t, v, n, h, &j);
    if (found >= 0) return found;
    if (t->n >= INT32_MAX - 1) { PyErr_SetString(PyExc_OverflowError, "too many distinct strings"); return -1; }
    if (!t->arena || t->used + n > t->room) {  /* an arena even for an empty first string */
        size_t room = 2 * t->room > t->used + n ? 2 * t->room : t->used + n + 256;
        char *grown = PyMem_Realloc(t->arena, room);
        if (!grown) { PyErr_NoMemory(); return -1; }
        t->arena = grown; t->room = room;
    }
    if (t->n == t->at_room) {
        size_t room = t->at_room ? 2 * t->at_room : 64;
        size_t *grown = PyMem_Realloc(t->at, room * sizeof *grown);
        if (!grown) { PyErr_NoMemory(); return -1; }
        t->at = grown; t->at_room = room;
    }
    memcpy(t->arena + t->used, v, n);
    t->at[t->n] = t->used;
    t->used += n;
    t->hash[j] = h; t->slot[j] = (int32_t)(t->n + 1);
    return (long)t->n++;
}

/* the id of the n bytes at v, or -1 if they were never interned */
static inline long kt_lookup(const KeyTable *t, const void *v, size_t n) {
    size_t j;
    return t->cap ? kt_find(t, v, n, bytes_hash(v, n), &j) : -1;
}

#endif

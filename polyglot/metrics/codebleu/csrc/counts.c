/* CodeBLEU's per-pair statistics in C.
 *
 * One analysed text becomes a `Segment`: its 1..4-grams, subtree keys and dataflow edges
 * as multisets of small integer ids (a `Counts` table interns them), each kept in order
 * of first occurrence. Scoring a pair is then a few passes over arrays: a clipped match
 * `sum(min(a[g], b[g]))` fills a dense scratch array from one side and reads it from the
 * other. This file mirrors ngram.py, syntax.py and multiset.py function by function, and
 * sums floats in the same order they do, so its statistics are identical
 * (tests/metrics/codebleu/test_native.py holds them equal). */
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "intern.h"
#include "pyspace.h"

#define MAX_ORDER 4
#define STATS (2 * MAX_ORDER + 2)
#define KEYWORD_WEIGHT 1.0
#define OTHER_WEIGHT 0.2
#define COMPAT_WEIGHTED_REF_LEN 2

/* ---- multisets ---------------------------------------------------------------------- */

typedef struct {
    int32_t *id, *count;  /* distinct items, in order of first occurrence */
    Py_ssize_t n;         /* distinct items */
    int64_t total;        /* all copies */
} Bag;

static void bag_free(Bag *b) { PyMem_Free(b->id); PyMem_Free(b->count); memset(b, 0, sizeof *b); }

/* ---- the id tables ------------------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    KeyTable keywords;       /* UTF-8 of the words weighted 1.0 in the weighted n-gram match */
    KeyTable tokens;         /* UTF-8 of a token -> token id */
    int ready;
    PyObject *edge_ids;      /* dataflow edge -> id */
    uint64_t *gram_keys;     /* n-gram table: (prefix gram id + 1, token id) -> gram id */
    int32_t *gram_vals;
    size_t gram_cap, grams;
    char *keyword_gram;      /* gram id -> a keyword unigram */
    size_t keyword_cap;
    int32_t *unigram;        /* token id -> the gram id of that token alone */
    size_t unigram_cap, unigrams;
    int32_t *scratch;        /* id -> a count or a position + 1; all zero between uses */
    size_t scratch_cap;
    uint64_t generation;     /* bumped by clear(): a segment of another generation is refused */
} Counts;

typedef struct {
    PyObject_HEAD
    Counts *owner;
    uint64_t generation;
    Py_ssize_t length;       /* tokens */
    Bag grams[MAX_ORDER];
    double weighted_total;   /* unigrams, keywords 1.0 and others 0.2, in first-occurrence order */
    Bag keys, edges;
} Segment;

static PyTypeObject SegmentType;

static int grow_scratch(Counts *c, size_t need) {
    if (need <= c->scratch_cap) return 0;
    size_t cap = c->scratch_cap ? c->scratch_cap : 1024;
    while (cap < need) cap *= 2;
    int32_t *s = PyMem_Realloc(c->scratch, cap * sizeof *s);
    if (!s) { PyErr_NoMemory(); return -1; }
    memset(s + c->scratch_cap, 0, (cap - c->scratch_cap) * sizeof *s);
    c->scratch = s; c->scratch_cap = cap;
    return 0;
}

static size_t mix(uint64_t k) {  /* splitmix64's finaliser */
    k ^= k >> 30; k *= 0xbf58476d1ce4e5b9ULL; k ^= k >> 27; k *= 0x94d049bb133111ebULL;
    return (size_t)(k ^ (k >> 31));
}

static int grow_grams(Counts *c) {
    size_t cap = c->gram_cap ? c->gram_cap * 2 : 4096;
    uint64_t *keys = PyMem_Calloc(cap, sizeof *keys);
    int32_t *vals = PyMem_Malloc(cap * sizeof *vals);
    if (!keys || !vals) { PyMem_Free(keys); PyMem_Free(vals); PyErr_NoMemory(); return -1; }
    for (size_t i = 0; i < c->gram_cap; i++) {
        if (!c->gram_keys[i]) continue;
        size_t j = mix(c->gram_keys[i]) & (cap - 1);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = c->gram_keys[i]; vals[j] = c->gram_vals[i];
    }
    PyMem_Free(c->gram_keys); PyMem_Free(c->gram_vals);
    c->gram_keys = keys; c->gram_vals = vals; c->gram_cap = cap;
    return 0;
}

/* the id of the n-gram `prefix` + `token` (prefix -1: a unigram) */
static int32_t gram_id(Counts *c, int32_t prefix, int32_t token, int keyword) {
    if (2 * (c->grams + 1) > c->gram_cap && grow_grams(c) < 0) return -1;
    uint64_t key = ((uint64_t)(uint32_t)(prefix + 1) << 32 | (uint32_t)token) + 1;  /* never 0 */
    size_t j = mix(key) & (c->gram_cap - 1);
    while (c->gram_keys[j]) {
        if (c->gram_keys[j] == key) return c->gram_vals[j];
        j = (j + 1) & (c->gram_cap - 1);
    }
    if (c->grams >= INT32_MAX) { PyErr_SetString(PyExc_OverflowError, "too many n-grams"); return -1; }
    int32_t id = (int32_t)c->grams++;
    c->gram_keys[j] = key; c->gram_vals[j] = id;
    if ((size_t)id >= c->keyword_cap) {
        size_t cap = c->keyword_cap ? c->keyword_cap * 2 : 4096;
        char *k = PyMem_Realloc(c->keyword_gram, cap);
        if (!k) { PyErr_NoMemory(); return -1; }
        c->keyword_gram = k; c->keyword_cap = cap;
    }
    c->keyword_gram[id] = (char)keyword;
    return id;
}

/* the id of `item` in `table` (a dict), added when new */
static int32_t object_id(PyObject *table, PyObject *item) {
    PyObject *found = PyDict_GetItemWithError(table, item);
    if (found) return (int32_t)PyLong_AsLong(found);
    if (PyErr_Occurred()) return -1;
    Py_ssize_t n = PyDict_GET_SIZE(table);
    if (n >= INT32_MAX) { PyErr_SetString(PyExc_OverflowError, "too many distinct items"); return -1; }
    PyObject *v = PyLong_FromSsize_t(n);
    int rc = v ? PyDict_SetItem(table, item, v) : -1;
    Py_XDECREF(v);
    return rc < 0 ? -1 : (int32_t)n;
}

/* forget every id: tokens, n-grams, edges (a segment made before is refused from now on) */
static void forget(Counts *c) {
    kt_free(&c->tokens);
    PyDict_Clear(c->edge_ids);
    if (c->gram_keys) memset(c->gram_keys, 0, c->gram_cap * sizeof *c->gram_keys);
    c->grams = c->unigrams = 0;
    c->generation++;
}

/* the id of the token spelled by the n UTF-8 bytes at s; a new token's unigram (keyword or
 * not) gets its gram id at once, so the segments read it by token id */
static int32_t token_id(Counts *c, const char *s, size_t n) {
    long id = kt_lookup(&c->tokens, s, n);
    if (id >= 0) return (int32_t)id;
    if (c->unigrams == c->unigram_cap) {
        size_t cap = c->unigram_cap ? c->unigram_cap * 2 : 1024;
        int32_t *u = PyMem_Realloc(c->unigram, cap * sizeof *u);
        if (!u) { PyErr_NoMemory(); return -1; }
        c->unigram = u; c->unigram_cap = cap;
    }
    int32_t gram = gram_id(c, -1, (int32_t)c->tokens.n, kt_lookup(&c->keywords, s, n) >= 0);
    if (gram < 0 || kt_intern(&c->tokens, s, n) < 0) { forget(c); return -1; }  /* keep the tables in step */
    c->unigram[c->unigrams++] = gram;
    return (int32_t)c->unigrams - 1;
}

/* a token given as str; one with a lone surrogate (no UTF-8) is spelled as surrogatepass writes it */
static int32_t str_token_id(Counts *c, PyObject *t) {
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(t, &n);
    if (s) return token_id(c, s, (size_t)n);
    PyErr_Clear();
    PyObject *b = PyUnicode_AsEncodedString(t, "utf-8", "surrogatepass");
    if (!b) return -1;
    int32_t id = token_id(c, PyBytes_AS_STRING(b), (size_t)PyBytes_GET_SIZE(b));
    Py_DECREF(b);
    return id;
}

/* `text.split()`'s tokens as ids, into a PyMem_Malloc'd *ids; -2 when the text is no UTF-8 */
static Py_ssize_t split_ids(Counts *c, PyObject *text, int32_t **ids) {
    Py_ssize_t len;
    const char *s = PyUnicode_AsUTF8AndSize(text, &len);
    if (!s) { PyErr_Clear(); return -2; }
    *ids = PyMem_Malloc((len / 2 + 1) * sizeof(int32_t));  /* a token and a space at least */
    if (!*ids) { PyErr_NoMemory(); return -1; }
    Py_ssize_t n = 0;
    size_t i = 0, size;
    while (i < (size_t)len) {
        while (i < (size_t)len && py_isspace_utf8((const unsigned char *)s + i, len - i, &size)) i += size;
        size_t start = i;
        while (i < (size_t)len && !py_isspace_utf8((const unsigned char *)s + i, len - i, &size)) i += size;
        if (i == start) break;
        if (((*ids)[n++] = token_id(c, s + start, i - start)) < 0) return -1;
    }
    return n;
}

/* `Counter(ids)`: distinct ids in order of first occurrence, with their counts */
static int bag_of(Counts *c, const int32_t *ids, Py_ssize_t n, Bag *out) {
    memset(out, 0, sizeof *out);
    out->total = n;
    if (!n) return 0;
    int32_t top = 0;
    for (Py_ssize_t i = 0; i < n; i++) if (ids[i] > top) top = ids[i];
    if (grow_scratch(c, (size_t)top + 1) < 0) return -1;
    out->id = PyMem_Malloc(n * sizeof(int32_t));
    out->count = PyMem_Malloc(n * sizeof(int32_t));
    if (!out->id || !out->count) { bag_free(out); PyErr_NoMemory(); return -1; }
    int32_t *at = c->scratch;
    for (Py_ssize_t i = 0; i < n; i++) {
        int32_t k = at[ids[i]];
        if (k) out->count[k - 1]++;
        else { out->id[out->n] = ids[i]; out->count[out->n] = 1; at[ids[i]] = (int32_t)++out->n; }
    }
    for (Py_ssize_t i = 0; i < out->n; i++) at[out->id[i]] = 0;
    return 0;
}

/* ---- matching (multiset.py, ngram.py) ------------------------------------------------------ */

static void fill(Counts *c, const Bag *b) { for (Py_ssize_t i = 0; i < b->n; i++) c->scratch[b->id[i]] = b->count[i]; }
static void unfill(Counts *c, const Bag *b) { for (Py_ssize_t i = 0; i < b->n; i++) c->scratch[b->id[i]] = 0; }

/* `Bag.clipped`: sum(min(a[g], b[g])) */
static int64_t clipped(Counts *c, const Bag *a, const Bag *b) {
    fill(c, b);
    int64_t m = 0;
    for (Py_ssize_t i = 0; i < a->n; i++) {
        int32_t have = c->scratch[a->id[i]];
        m += a->count[i] < have ? a->count[i] : have;
    }
    unfill(c, b);
    return m;
}

/* `Bag.present_in`: the copies of a's items that b has at all */
static int64_t present_in(Counts *c, const Bag *a, const Bag *b) {
    fill(c, b);
    int64_t m = 0;
    for (Py_ssize_t i = 0; i < a->n; i++) if (c->scratch[a->id[i]]) m += a->count[i];
    unfill(c, b);
    return m;
}

/* `ngram.unigram_overlap`: clipped unigram matches weighted as keywords, summed in the
 * order of the side with fewer distinct unigrams (a on a tie) */
static double unigram_overlap(Counts *c, const Bag *a, const Bag *b) {
    const Bag *small = b->n < a->n ? b : a, *big = small == a ? b : a;
    fill(c, big);
    double m = 0.0;
    for (Py_ssize_t i = 0; i < small->n; i++) {
        int32_t have = c->scratch[small->id[i]];
        if (!have) continue;
        int32_t k = small->count[i] < have ? small->count[i] : have;
        m += k * (c->keyword_gram[small->id[i]] ? KEYWORD_WEIGHT : OTHER_WEIGHT);
    }
    unfill(c, big);
    return m;
}

/* `ngram.union`: each item with its largest count, in order of first appearance */
static int bag_union(Counts *c, Segment **refs, Py_ssize_t nrefs, int order, Bag *out) {
    memset(out, 0, sizeof *out);
    Py_ssize_t room = 0;
    for (Py_ssize_t r = 0; r < nrefs; r++) room += refs[r]->grams[order].n;
    if (!room) return 0;
    out->id = PyMem_Malloc(room * sizeof(int32_t));
    out->count = PyMem_Malloc(room * sizeof(int32_t));
    if (!out->id || !out->count) { bag_free(out); PyErr_NoMemory(); return -1; }
    int32_t *at = c->scratch;
    for (Py_ssize_t r = 0; r < nrefs; r++) {
        const Bag *b = &refs[r]->grams[order];
        for (Py_ssize_t i = 0; i < b->n; i++) {
            int32_t k = at[b->id[i]];
            if (!k) { out->id[out->n] = b->id[i]; out->count[out->n] = b->count[i]; at[b->id[i]] = (int32_t)++out->n; }
            else if (b->count[i] > out->count[k - 1]) out->count[k - 1] = b->count[i];
        }
    }
    for (Py_ssize_t i = 0; i < out->n; i++) { at[out->id[i]] = 0; out->total += out->count[i]; }
    return 0;
}

static Py_ssize_t closest_length(Segment **refs, Py_ssize_t nrefs, Py_ssize_t hyp_len) {
    Py_ssize_t best = refs[0]->length;
    for (Py_ssize_t r = 1; r < nrefs; r++) {
        Py_ssize_t len = refs[r]->length;
        Py_ssize_t d = len > hyp_len ? len - hyp_len : hyp_len - len;
        Py_ssize_t bd = best > hyp_len ? best - hyp_len : hyp_len - best;
        if (d < bd || (d == bd && len < best)) best = len;
    }
    return best;
}

/* `(matched, total)` of the reference's items: summed over references (compat), or the
 * reference matched best by rate, then size (the first on a tie) */
enum { KEYS, EDGES };
static const Bag *part(const Segment *s, int which) { return which == KEYS ? &s->keys : &s->edges; }

static void structure(Counts *c, const Segment *hyp, Segment **refs, Py_ssize_t nrefs, int compat,
                      int which, int clip, double *out) {
    int64_t best_m = 0, best_t = 0;
    double best_rate = 0.0;
    for (Py_ssize_t r = 0; r < nrefs; r++) {
        const Bag *ref = part(refs[r], which), *have = part(hyp, which);
        int64_t m = clip ? clipped(c, ref, have) : present_in(c, ref, have), t = ref->total;
        double rate = t ? (double)m / (double)t : -1.0;
        if (compat) { best_m += m; best_t += t; }
        else if (r == 0 || rate > best_rate || (rate == best_rate && t > best_t)) {
            best_m = m; best_t = t; best_rate = rate;
        }
    }
    out[0] = (double)best_m; out[1] = (double)best_t;
}

/* ---- the Python types ---------------------------------------------------------------------- */

static void segment_dealloc(Segment *s) {
    for (int n = 0; n < MAX_ORDER; n++) bag_free(&s->grams[n]);
    bag_free(&s->keys); bag_free(&s->edges);
    Py_XDECREF(s->owner);
    PyObject_Free(s);
}

static PyObject *segment_length(Segment *s, void *Py_UNUSED(closure)) { return PyLong_FromSsize_t(s->length); }

static PyGetSetDef segment_getset[] = {
    {"length", (getter)segment_length, NULL, "Tokens in the text.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject SegmentType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "polyglot.metrics.codebleu._counts.Segment",
    .tp_basicsize = sizeof(Segment),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "One analysed text as CodeBLEU compares it; made by Counts.segment().",
    .tp_dealloc = (destructor)segment_dealloc,
    .tp_getset = segment_getset,
};

static int counts_init(Counts *c, PyObject *args, PyObject *kw) {
    static char *names[] = {"keywords", NULL};
    PyObject *keywords;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O:Counts", names, &keywords)) return -1;
    if (c->ready) { PyErr_SetString(PyExc_RuntimeError, "Counts is initialised once"); return -1; }
    PyObject *words = PyObject_GetIter(keywords);
    if (!words) return -1;
    for (PyObject *word; (word = PyIter_Next(words));) {
        Py_ssize_t n;
        const char *w = PyUnicode_Check(word) ? PyUnicode_AsUTF8AndSize(word, &n) : NULL;
        if (!w && !PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "keywords are str");
        long id = w ? kt_intern(&c->keywords, w, (size_t)n) : -1;
        Py_DECREF(word);
        if (id < 0) { Py_DECREF(words); return -1; }
    }
    Py_DECREF(words);
    if (PyErr_Occurred() || !(c->edge_ids = PyDict_New())) return -1;
    c->ready = 1;
    return 0;
}

static void counts_dealloc(Counts *c) {
    kt_free(&c->keywords); kt_free(&c->tokens); Py_XDECREF(c->edge_ids);
    PyMem_Free(c->gram_keys); PyMem_Free(c->gram_vals); PyMem_Free(c->keyword_gram); PyMem_Free(c->unigram);
    PyMem_Free(c->scratch);
    Py_TYPE(c)->tp_free((PyObject *)c);
}

/* segment(tokens, keys, edges): the multisets of one text */
static PyObject *counts_segment(Counts *c, PyObject *args) {
    PyObject *tokens, *keys, *edges;
    if (!PyArg_ParseTuple(args, "OO!O!:segment", &tokens, &PyList_Type, &keys, &PyList_Type, &edges))
        return NULL;
    if (!PyList_Check(tokens) && !PyUnicode_Check(tokens)) {
        PyErr_SetString(PyExc_TypeError, "tokens are a list of str, or a str to split on whitespace"); return NULL;
    }
    if (!c->ready) { PyErr_SetString(PyExc_RuntimeError, "Counts is not initialised"); return NULL; }
    Segment *s = PyObject_New(Segment, &SegmentType);
    if (!s) return NULL;
    memset((char *)s + sizeof(PyObject), 0, sizeof(Segment) - sizeof(PyObject));
    Py_INCREF(c); s->owner = c;
    int32_t *ids = NULL, *prev = NULL;
    PyObject *split = NULL;
    Py_ssize_t n = -2;
    /* token ids, then each order's gram ids from the order below */
    if (PyUnicode_Check(tokens) && (n = split_ids(c, tokens, &prev)) == -1) goto fail;
    if (n == -2) {  /* a list, or a text with a lone surrogate: split by Python */
        if (PyUnicode_Check(tokens) && !(tokens = split = PyUnicode_Split(tokens, NULL, -1))) goto fail;
        n = PyList_GET_SIZE(tokens);
        if (!(prev = PyMem_Malloc((n ? n : 1) * sizeof(int32_t)))) { PyErr_NoMemory(); goto fail; }
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *t = PyList_GET_ITEM(tokens, i);
            if (!PyUnicode_Check(t)) { PyErr_SetString(PyExc_TypeError, "tokens are str"); goto fail; }
            if ((prev[i] = str_token_id(c, t)) < 0) goto fail;
        }
    }
    s->generation = c->generation;  /* after the tokens: a table reset on the way would show */
    Py_ssize_t ne = PyList_GET_SIZE(edges), nk = PyList_GET_SIZE(keys);
    s->length = n;
    Py_ssize_t room = n > ne ? n : ne;
    room = room > nk ? room : nk;
    if (!(ids = PyMem_Malloc((room ? room : 1) * sizeof(int32_t)))) { PyErr_NoMemory(); goto fail; }
    for (int order = 0; order < MAX_ORDER; order++) {
        Py_ssize_t m = n - order;
        if (m < 0) m = 0;
        for (Py_ssize_t i = 0; i < m; i++) {
            int32_t token = prev[i + order];
            if (!order) ids[i] = c->unigram[token];
            /* prev holds token ids; ids[i] the gram of order-1 at i */
            else if ((ids[i] = gram_id(c, ids[i], token, 0)) < 0) goto fail;
        }
        if (bag_of(c, ids, m, &s->grams[order]) < 0) goto fail;
    }
    double total = 0.0;
    for (Py_ssize_t i = 0; i < s->grams[0].n; i++)
        total += s->grams[0].count[i] * (c->keyword_gram[s->grams[0].id[i]] ? KEYWORD_WEIGHT : OTHER_WEIGHT);
    s->weighted_total = total;
    for (Py_ssize_t i = 0; i < nk; i++) {
        long k = PyLong_AsLong(PyList_GET_ITEM(keys, i));
        if (k == -1 && PyErr_Occurred()) goto fail;
        if (k < 0 || k > INT32_MAX - 1) { PyErr_SetString(PyExc_ValueError, "subtree keys are small non-negative ints"); goto fail; }
        ids[i] = (int32_t)k;
    }
    if (bag_of(c, ids, nk, &s->keys) < 0) goto fail;
    for (Py_ssize_t i = 0; i < ne; i++)
        if ((ids[i] = object_id(c->edge_ids, PyList_GET_ITEM(edges, i))) < 0) goto fail;
    if (bag_of(c, ids, ne, &s->edges) < 0) goto fail;
    PyMem_Free(ids); PyMem_Free(prev); Py_XDECREF(split);
    return (PyObject *)s;
fail:
    PyMem_Free(ids); PyMem_Free(prev); Py_XDECREF(split);
    Py_DECREF(s);
    return NULL;
}

/* statistics(hyp, refs, compat): `CodeBLEU._compute_segment_statistics` */
static PyObject *counts_statistics(Counts *c, PyObject *args) {
    PyObject *hyp_obj, *ref_list;
    int compat;
    if (!PyArg_ParseTuple(args, "O!O!p:statistics", &SegmentType, &hyp_obj, &PyList_Type, &ref_list, &compat))
        return NULL;
    Segment *hyp = (Segment *)hyp_obj;
    Py_ssize_t nrefs = PyList_GET_SIZE(ref_list);
    if (!nrefs) { PyErr_SetString(PyExc_ValueError, "no references"); return NULL; }
    Segment **refs = PyMem_Malloc(nrefs * sizeof *refs);
    if (!refs) return PyErr_NoMemory();
    for (Py_ssize_t r = 0; r <= nrefs; r++) {
        PyObject *o = r < nrefs ? PyList_GET_ITEM(ref_list, r) : hyp_obj;
        if (!PyObject_TypeCheck(o, &SegmentType)) {
            PyMem_Free(refs); PyErr_SetString(PyExc_TypeError, "references are Segments"); return NULL;
        }
        Segment *s = (Segment *)o;
        if (s->owner != c || s->generation != c->generation) {
            PyMem_Free(refs);
            PyErr_SetString(PyExc_ValueError, "a segment from another Counts, or from before clear()");
            return NULL;
        }
        if (r < nrefs) refs[r] = s;
    }
    double out[2 * STATS + 4];
    Bag unions[MAX_ORDER];
    memset(unions, 0, sizeof unions);
    const Bag *best[MAX_ORDER];
    for (int n = 0; n < MAX_ORDER; n++) {
        if (nrefs == 1) best[n] = &refs[0]->grams[n];
        else if (bag_union(c, refs, nrefs, n, &unions[n]) < 0) goto fail;
        else best[n] = &unions[n];
    }
    Py_ssize_t closest = closest_length(refs, nrefs, hyp->length);
    /* ngram.bleu_statistics */
    for (int n = 0; n < MAX_ORDER; n++) {
        out[n] = (double)clipped(c, &hyp->grams[n], best[n]);
        int64_t t = hyp->grams[n].total;
        out[MAX_ORDER + n] = (double)(compat && t < 1 ? 1 : t);
    }
    out[2 * MAX_ORDER] = (double)hyp->length;
    out[2 * MAX_ORDER + 1] = (double)closest;
    /* ngram.weighted_statistics */
    double *w = out + STATS;
    for (int n = 0; n < MAX_ORDER; n++) {
        if (compat) {
            double m = 0.0, t = 0.0;
            for (Py_ssize_t r = 0; r < nrefs; r++) {
                const Bag *ref = &refs[r]->grams[n];
                m += n ? (double)clipped(c, ref, &hyp->grams[n]) : unigram_overlap(c, ref, &hyp->grams[n]);
                double total = n ? (double)ref->total : refs[r]->weighted_total;
                t += total > 1 ? total : 1;
            }
            w[n] = m; w[MAX_ORDER + n] = t;
        } else {
            w[n] = n ? (double)clipped(c, &hyp->grams[n], best[n]) : unigram_overlap(c, &hyp->grams[n], best[n]);
            w[MAX_ORDER + n] = n ? (double)hyp->grams[n].total : hyp->weighted_total;
        }
    }
    w[2 * MAX_ORDER] = (double)hyp->length;
    w[2 * MAX_ORDER + 1] = compat ? COMPAT_WEIGHTED_REF_LEN : (double)closest;
    /* syntax.match_counts and dataflow.match_counts */
    structure(c, hyp, refs, nrefs, compat, KEYS, !compat, out + 2 * STATS);
    structure(c, hyp, refs, nrefs, compat, EDGES, 1, out + 2 * STATS + 2);
    for (int n = 0; n < MAX_ORDER; n++) bag_free(&unions[n]);
    PyMem_Free(refs);
    PyObject *list = PyList_New(2 * STATS + 4);
    if (!list) return NULL;
    for (int i = 0; i < 2 * STATS + 4; i++) {
        PyObject *v = PyFloat_FromDouble(out[i]);
        if (!v) { Py_DECREF(list); return NULL; }
        PyList_SET_ITEM(list, i, v);
    }
    return list;
fail:
    for (int n = 0; n < MAX_ORDER; n++) bag_free(&unions[n]);
    PyMem_Free(refs);
    return NULL;
}

static PyObject *counts_size(Counts *c, PyObject *Py_UNUSED(ignored)) {
    return PyLong_FromSize_t(c->grams + (size_t)PyDict_GET_SIZE(c->edge_ids) + c->tokens.n);
}

static PyObject *counts_clear(Counts *c, PyObject *Py_UNUSED(ignored)) {
    forget(c);
    Py_RETURN_NONE;
}

static PyMethodDef counts_methods[] = {
    {"segment", (PyCFunction)counts_segment, METH_VARARGS,
     "segment(tokens: list[str] | str, keys: list[int], edges: list) -> Segment; a str is split "
     "on whitespace, as str.split() splits it"},
    {"statistics", (PyCFunction)counts_statistics, METH_VARARGS,
     "statistics(hyp: Segment, refs: list[Segment], compat: bool) -> list[float]: "
     "[BLEU x10, weighted x10, syntax matched/total, dataflow matched/total]"},
    {"size", (PyCFunction)counts_size, METH_NOARGS, "Distinct tokens, n-grams and edges interned."},
    {"clear", (PyCFunction)counts_clear, METH_NOARGS, "Forget every id; older segments are refused."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject CountsType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "polyglot.metrics.codebleu._counts.Counts",
    .tp_basicsize = sizeof(Counts),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Counts(keywords): the id tables of one metric's segments, and their statistics.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)counts_init,
    .tp_dealloc = (destructor)counts_dealloc,
    .tp_methods = counts_methods,
};

static struct PyModuleDef counts_module = {
    PyModuleDef_HEAD_INIT, "_counts", "CodeBLEU's per-pair statistics over interned multisets.", -1, NULL,
};

PyMODINIT_FUNC PyInit__counts(void) {
    if (PyType_Ready(&SegmentType) < 0 || PyType_Ready(&CountsType) < 0) return NULL;
    PyObject *m = PyModule_Create(&counts_module);
    if (!m) return NULL;
    Py_INCREF(&CountsType);
    if (PyModule_AddObject(m, "Counts", (PyObject *)&CountsType) < 0) { Py_DECREF(&CountsType); Py_DECREF(m); return NULL; }
    Py_INCREF(&SegmentType);
    if (PyModule_AddObject(m, "Segment", (PyObject *)&SegmentType) < 0) { Py_DECREF(&SegmentType); Py_DECREF(m); return NULL; }
    return m;
}

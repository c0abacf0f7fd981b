/* CodeBLEU's per-text analysis in C: parse, strip comments, reparse, scan (subtree keys
 * and leaves), read the dataflow query's captures, walk the dataflow and normalise it.
 * Each part mirrors a Python module function by function (source.py, scan.py,
 * dataflow.py, pyset.py), so both give identical results; see native.py. */
#include <Python.h>
#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "intern.h"
#include "pystrip.h"
#include "slashstrip.h"

/* tree-sitter's own (tree_cursor.c, compiled into this module, not in api.h): the field and
 * the hidden supertypes of a cursor's node, as its query cursor reads them */
void ts_tree_cursor_current_status(const TSTreeCursor *, TSFieldId *, bool *, bool *, bool *,
                                   TSSymbol *, unsigned *);

/* CPython's allocator for small blocks is much faster than the C library's for the many
 * small nodes, stacks and arrays a parse makes; everything here runs with the GIL held. */
#define malloc PyMem_Malloc
#define calloc PyMem_Calloc
#define realloc PyMem_Realloc
#define free PyMem_Free

/* ---- growable arrays ------------------------------------------------------------ */

#define VEC(T) struct { T *v; size_t n, cap; }
#define VEC_PUSH(vec, x) do { \
    if ((vec).n == (vec).cap) { size_t c_ = (vec).cap ? (vec).cap * 2 : 8; \
        void *p_ = realloc((vec).v, c_ * sizeof(*(vec).v)); if (!p_) abort(); \
        (vec).v = p_; (vec).cap = c_; } \
    (vec).v[(vec).n++] = (x); } while (0)
#define VEC_FREE(vec) do { free((vec).v); (vec).v = NULL; (vec).n = (vec).cap = 0; } while (0)

typedef VEC(int32_t) IntVec;
typedef VEC(TSNode) NodeVec;

static void intvec_extend(IntVec *a, const int32_t *src, size_t n) {
    for (size_t i = 0; i < n; i++) VEC_PUSH(*a, src[i]);
}

/* ---- pointer-keyed hash map (node ids) ------------------------------------------- */

typedef struct { uintptr_t *keys; int32_t *vals; size_t cap, n; } PtrMap;

static size_t ptr_hash(uintptr_t k) {
    uint64_t x = (uint64_t)k; x ^= x >> 33; x *= 0xff51afd7ed558ccdULL; x ^= x >> 33;
    return (size_t)x;
}
static void pm_free(PtrMap *m) { free(m->keys); free(m->vals); memset(m, 0, sizeof *m); }
static int32_t pm_get(const PtrMap *m, const void *key) {
    if (!m->n) return -1;
    uintptr_t k = (uintptr_t)key; size_t mask = m->cap - 1, i = ptr_hash(k) & mask;
    while (m->keys[i]) { if (m->keys[i] == k) return m->vals[i]; i = (i + 1) & mask; }
    return -1;
}
static int pm_has(const PtrMap *m, const void *key) { return pm_get(m, key) >= 0; }
static void pm_put(PtrMap *m, const void *key, int32_t val);
static void pm_grow(PtrMap *m) {
    size_t old = m->cap; uintptr_t *ok = m->keys; int32_t *ov = m->vals;
    m->cap = old ? old * 2 : 16;
    m->keys = calloc(m->cap, sizeof(uintptr_t)); m->vals = calloc(m->cap, sizeof(int32_t));
    if (!m->keys || !m->vals) abort();
    m->n = 0;
    for (size_t i = 0; i < old; i++) if (ok[i]) pm_put(m, (void *)ok[i], ov[i]);
    free(ok); free(ov);
}
static void pm_put(PtrMap *m, const void *key, int32_t val) {
    if ((m->n + 1) * 2 > m->cap) pm_grow(m);
    uintptr_t k = (uintptr_t)key; size_t mask = m->cap - 1, i = ptr_hash(k) & mask;
    while (m->keys[i]) { if (m->keys[i] == k) { m->vals[i] = val; return; } i = (i + 1) & mask; }
    m->keys[i] = k; m->vals[i] = val; m->n++;
}
/* room for n keys without growing (a map filled in a loop of known length) */
static void pm_reserve(PtrMap *m, size_t n) {
    if (m->cap >= 2 * n) return;
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    PtrMap grown = {calloc(cap, sizeof(uintptr_t)), calloc(cap, sizeof(int32_t)), cap, 0};
    if (!grown.keys || !grown.vals) abort();
    for (size_t i = 0; i < m->cap; i++) if (m->keys[i]) pm_put(&grown, (void *)m->keys[i], m->vals[i]);
    pm_free(m);
    *m = grown;
}

static void pm_del(PtrMap *m, const void *key) {  /* backward-shift deletion */
    if (!m->n) return;
    uintptr_t k = (uintptr_t)key; size_t mask = m->cap - 1, i = ptr_hash(k) & mask;
    while (m->keys[i] && m->keys[i] != k) i = (i + 1) & mask;
    if (!m->keys[i]) return;
    m->keys[i] = 0; m->n--;
    size_t j = (i + 1) & mask;
    while (m->keys[j]) {
        uintptr_t kj = m->keys[j]; int32_t vj = m->vals[j];
        m->keys[j] = 0; m->n--; pm_put(m, (void *)kj, vj);
        j = (j + 1) & mask;
    }
}

/* ---- queries ---------------------------------------------------------------------- */

enum { P_EQ_STR, P_EQ_CAP, P_MATCH, P_ANYOF };
typedef struct {
    int type, positive, any;
    uint32_t cap1, cap2;
    char *str; uint32_t len;           /* eq string */
    char **values; uint32_t *lens; uint32_t nvalues;  /* any-of */
    regex_t re; int has_re;
} Pred;

enum { STYLE_UNSET = -1, STYLE_PAIRS = 0, STYLE_LIST = 1, STYLE_ZIP = 2 };
enum { KEEP_UNSET = -1, KEEP_OTHER = 0, KEEP_ALWAYS = 1, KEEP_NEVER = 2 };

typedef struct {
    Pred *preds; uint32_t npreds;
    int has_settings, def_parent, style, keep;
} Pattern;

/* what a capture name means to read_captures */
enum {
    C_IGNORE, C_PART_TARGET, C_PART_VALUE, C_PART_BODY, C_PART_AGAIN, C_PART_ONCE,
    C_FLOW_DEFINE, C_FLOW_ASSIGN, C_FLOW_UPDATE, C_FLOW_BRANCH, C_FLOW_LOOP, C_FLOW_SKIP,
    C_ALTERNATIVE, C_ELSE, C_FIRST, C_SCOPE, C_DEFINITION, C_LOCAL_IGNORE, C_REFERENCE,
    C_TRANSPARENT, C_WRAP, C_RENAME, C_UNTOKEN, C_STRIP,
};

/* a scan plan (plan.py): patterns of one node and its direct children, matched during the scan */
enum { MAX_STEP_CAPTURES = 8, MAX_SUPERTYPES = 8 };
typedef struct {
    TSSymbol symbol, supertype; TSFieldId field;  /* supertype: (expression) matches what it wraps */
    uint8_t wildcard, named, optional, ncaps;
    uint16_t caps[MAX_STEP_CAPTURES];
} Step;

typedef struct {
    Step root;                 /* its captures; which symbols it roots at is in Query.rooted */
    TSFieldId *negated; uint32_t nnegated;
    Step *kids; uint32_t nkids;
} Shallow;

typedef struct {
    TSQuery *q;
    Pattern *patterns; uint32_t npatterns;
    int *cap_kind; int32_t *cap_label; uint32_t ncaps;
    Shallow *shallow;          /* NULL: no plan, tree-sitter's cursor runs */
    uint32_t *rooted_at, *rooted, nsymbols;  /* symbol s roots patterns rooted[rooted_at[s]..rooted_at[s+1]) */
} Query;

/* the scan plan's tables; the query then runs through tree-sitter's cursor */
static void plan_free(Query *q) {
    if (q->shallow)
        for (uint32_t p = 0; p < q->npatterns; p++) { free(q->shallow[p].negated); free(q->shallow[p].kids); }
    free(q->shallow); free(q->rooted_at); free(q->rooted);
    q->shallow = NULL; q->rooted_at = q->rooted = NULL;
}

static void query_free(Query *q) {
    if (!q->q) return;
    for (uint32_t i = 0; i < q->npatterns; i++) {
        for (uint32_t j = 0; j < q->patterns[i].npreds; j++) {
            Pred *p = &q->patterns[i].preds[j];
            free(p->str);
            for (uint32_t k = 0; k < p->nvalues; k++) free(p->values[k]);
            free(p->values); free(p->lens);
            if (p->has_re) regfree(&p->re);
        }
        free(q->patterns[i].preds);
    }
    plan_free(q);
    free(q->patterns); free(q->cap_kind); free(q->cap_label);
    ts_query_delete(q->q);
    memset(q, 0, sizeof *q);
}

static char *dup_n(const char *s, uint32_t n) {
    char *d = malloc(n + 1); if (!d) abort(); memcpy(d, s, n); d[n] = 0; return d;
}

/* ---- engine ----------------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    PyObject *capsule;
    const TSLanguage *lang;
    TSParser *parser;
    PyObject *owner;          /* set by fresh(): the engine whose queries and tables these are */
    Query flow, strip;
    char *strip_prefix;
    int compat;
    uint32_t nkinds;          /* slots: 0..nkinds-2 = kind ids, nkinds-1 = ERROR */
    int32_t *kind_label;      /* slot -> label id */
    char *kind_named, *kind_whole, *kind_comment;
    int32_t label_identifier, label_comma;
    PyObject *labels;         /* str -> label id */
    PyObject *label_names;    /* list of str */
    KeyTable keys;            /* subtree structure -> key; each engine its own */
    PyObject *vars;           /* list: "var_0", ... */
    PyObject *rel_comes, *rel_computed;
} Engine;

static uint32_t slot_of(const Engine *e, TSSymbol s) {
    if (s == 0xFFFF) return e->nkinds - 1;
    return s < e->nkinds - 1 ? s : e->nkinds - 1;
}

static int32_t label_id(Engine *e, PyObject *name) {
    PyObject *found = PyDict_GetItemWithError(e->labels, name);
    if (found) return (int32_t)PyLong_AsLong(found);
    if (PyErr_Occurred()) return -1;
    Py_ssize_t n = PyList_GET_SIZE(e->label_names);
    PyObject *num = PyLong_FromSsize_t(n);
    if (!num || PyDict_SetItem(e->labels, name, num) < 0) { Py_XDECREF(num); return -1; }
    Py_DECREF(num);
    if (PyList_Append(e->label_names, name) < 0) return -1;
    return (int32_t)n;
}

static int32_t label_of_c(Engine *e, const char *s, size_t n) {
    PyObject *name = PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "replace");
    if (!name) return -1;
    int32_t id = label_id(e, name);
    Py_DECREF(name);
    return id;
}

static int starts_with(const char *s, uint32_t n, const char *prefix) {
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}
static int is_name(const char *s, uint32_t n, const char *name) {
    return n == strlen(name) && memcmp(s, name, n) == 0;
}

static int classify(Engine *e, Query *q, uint32_t id, const char *s, uint32_t n, const char *strip_prefix) {
    q->cap_label[id] = -1;
    if (strip_prefix) {
        size_t k = strlen(strip_prefix);
        return (n == k && !memcmp(s, strip_prefix, k)) || (n > k && !memcmp(s, strip_prefix, k) && s[k] == '.')
            ? C_STRIP : C_IGNORE;
    }
    static const struct { const char *name; int kind; } exact[] = {
        {"flow.target", C_PART_TARGET}, {"flow.value", C_PART_VALUE}, {"flow.body", C_PART_BODY},
        {"flow.again", C_PART_AGAIN}, {"flow.once", C_PART_ONCE}, {"flow.define", C_FLOW_DEFINE},
        {"flow.assign", C_FLOW_ASSIGN}, {"flow.update", C_FLOW_UPDATE}, {"flow.branch", C_FLOW_BRANCH},
        {"flow.loop", C_FLOW_LOOP}, {"flow.skip", C_FLOW_SKIP}, {"flow.alternative", C_ALTERNATIVE},
        {"flow.else", C_ELSE}, {"flow.first", C_FIRST}, {"local.scope", C_SCOPE},
        {"local.ignore", C_LOCAL_IGNORE}, {"local.reference", C_REFERENCE},
        {"compat.transparent", C_TRANSPARENT}, {"compat.untoken", C_UNTOKEN},
    };
    for (size_t i = 0; i < sizeof exact / sizeof *exact; i++)
        if (is_name(s, n, exact[i].name)) return exact[i].kind;
    if (starts_with(s, n, "local.definition")) return C_DEFINITION;
    if (starts_with(s, n, "compat.wrap.")) {
        q->cap_label[id] = label_of_c(e, s + 12, n - 12);
        return q->cap_label[id] < 0 ? -1 : C_WRAP;
    }
    if (starts_with(s, n, "compat.rename.")) {
        q->cap_label[id] = label_of_c(e, s + 14, n - 14);
        return q->cap_label[id] < 0 ? -1 : C_RENAME;
    }
    return C_IGNORE;
}

static int query_compile(Engine *e, Query *q, PyObject *source, const char *strip_prefix) {
    if (source == Py_None) return 0;
    Py_ssize_t len;
    const char *src = PyUnicode_AsUTF8AndSize(source, &len);
    if (!src) return -1;
    uint32_t offset; TSQueryError err;
    q->q = ts_query_new(e->lang, src, (uint32_t)len, &offset, &err);
    if (!q->q) {
        PyErr_Format(PyExc_ValueError, "query error %d at byte %u", (int)err, offset);
        return -1;
    }
    q->ncaps = ts_query_capture_count(q->q);
    q->cap_kind = calloc(q->ncaps + 1, sizeof(int));
    q->cap_label = calloc(q->ncaps + 1, sizeof(int32_t));
    q->npatterns = ts_query_pattern_count(q->q);
    q->patterns = calloc(q->npatterns + 1, sizeof(Pattern));
    if (!q->cap_kind || !q->cap_label || !q->patterns) { PyErr_NoMemory(); return -1; }
    for (uint32_t i = 0; i < q->ncaps; i++) {
        uint32_t n; const char *name = ts_query_capture_name_for_id(q->q, i, &n);
        q->cap_kind[i] = classify(e, q, i, name, n, strip_prefix);
        if (q->cap_kind[i] < 0) return -1;
    }
    for (uint32_t p = 0; p < q->npatterns; p++) {
        Pattern *pat = &q->patterns[p];
        pat->style = STYLE_UNSET; pat->keep = KEEP_UNSET;
        uint32_t nsteps; const TSQueryPredicateStep *steps = ts_query_predicates_for_pattern(q->q, p, &nsteps);
        uint32_t i = 0;
        while (i < nsteps) {
            uint32_t j = i;
            while (j < nsteps && steps[j].type != TSQueryPredicateStepTypeDone) j++;
            uint32_t argc = j - i;  /* including the name */
            if (argc == 0 || steps[i].type != TSQueryPredicateStepTypeString) { i = j + 1; continue; }
            uint32_t nl; const char *name = ts_query_string_value_for_id(q->q, steps[i].value_id, &nl);
            const TSQueryPredicateStep *a = steps + i + 1;
            Pred pr; memset(&pr, 0, sizeof pr);
            int keep_pred = 0;
            if (is_name(name, nl, "eq?") || is_name(name, nl, "not-eq?") || is_name(name, nl, "any-eq?")
                || is_name(name, nl, "any-not-eq?")) {
                if (argc != 3 || a[0].type != TSQueryPredicateStepTypeCapture) {
                    PyErr_Format(PyExc_ValueError, "#%.*s expects 2 arguments", (int)nl, name); return -1;
                }
                pr.any = starts_with(name, nl, "any-");
                pr.positive = is_name(name, nl, "eq?") || is_name(name, nl, "any-eq?");
                pr.cap1 = a[0].value_id;
                if (a[1].type == TSQueryPredicateStepTypeCapture) { pr.type = P_EQ_CAP; pr.cap2 = a[1].value_id; }
                else {
                    uint32_t l; const char *v = ts_query_string_value_for_id(q->q, a[1].value_id, &l);
                    pr.type = P_EQ_STR; pr.str = dup_n(v, l); pr.len = l;
                }
                keep_pred = 1;
            } else if (is_name(name, nl, "match?") || is_name(name, nl, "not-match?")
                       || is_name(name, nl, "any-match?") || is_name(name, nl, "any-not-match?")) {
                if (argc != 3 || a[0].type != TSQueryPredicateStepTypeCapture
                    || a[1].type != TSQueryPredicateStepTypeString) {
                    PyErr_Format(PyExc_ValueError, "#%.*s expects a capture and a regex", (int)nl, name); return -1;
                }
                pr.type = P_MATCH;
                pr.any = starts_with(name, nl, "any-");
                pr.positive = is_name(name, nl, "match?") || is_name(name, nl, "any-match?");
                pr.cap1 = a[0].value_id;
                uint32_t l; const char *v = ts_query_string_value_for_id(q->q, a[1].value_id, &l);
                char *pattern = dup_n(v, l);
                int rc = regcomp(&pr.re, pattern, REG_EXTENDED | REG_NOSUB);
                free(pattern);
                if (rc) { PyErr_Format(PyExc_ValueError, "bad regex in #%.*s", (int)nl, name); return -1; }
                pr.has_re = 1;
                keep_pred = 1;
            } else if (is_name(name, nl, "any-of?") || is_name(name, nl, "not-any-of?")) {
                if (argc < 3 || a[0].type != TSQueryPredicateStepTypeCapture) {
                    PyErr_Format(PyExc_ValueError, "#%.*s expects at least 2 arguments", (int)nl, name); return -1;
                }
                pr.type = P_ANYOF;
                pr.positive = nl == 7;
                pr.cap1 = a[0].value_id;
                pr.nvalues = argc - 2;
                pr.values = calloc(pr.nvalues, sizeof(char *)); pr.lens = calloc(pr.nvalues, sizeof(uint32_t));
                for (uint32_t k = 0; k < pr.nvalues; k++) {
                    uint32_t l; const char *v = ts_query_string_value_for_id(q->q, a[1 + k].value_id, &l);
                    pr.values[k] = dup_n(v, l); pr.lens[k] = l;
                }
                keep_pred = 1;
            } else if (is_name(name, nl, "set!")) {
                pat->has_settings = 1;
                if (argc >= 2 && a[0].type == TSQueryPredicateStepTypeString) {
                    uint32_t kl; const char *key = ts_query_string_value_for_id(q->q, a[0].value_id, &kl);
                    const char *val = NULL; uint32_t vl = 0;
                    if (argc >= 3 && a[1].type == TSQueryPredicateStepTypeString)
                        val = ts_query_string_value_for_id(q->q, a[1].value_id, &vl);
                    if (is_name(key, kl, "definition.scope")) pat->def_parent = val && is_name(val, vl, "parent");
                    else if (is_name(key, kl, "flow.style"))
                        pat->style = val && is_name(val, vl, "pairs") ? STYLE_PAIRS
                                   : val && is_name(val, vl, "zip") ? STYLE_ZIP : STYLE_LIST;
                    else if (is_name(key, kl, "flow.keep"))
                        pat->keep = val && is_name(val, vl, "always") ? KEEP_ALWAYS
                                  : val && is_name(val, vl, "never") ? KEEP_NEVER : KEEP_OTHER;
                }
            }
            if (keep_pred) {
                Pred *grown = realloc(pat->preds, (pat->npreds + 1) * sizeof(Pred));
                if (!grown) abort();
                pat->preds = grown; pat->preds[pat->npreds++] = pr;
            }
            i = j + 1;
        }
    }
    return 0;
}

/* ---- the scan plan ------------------------------------------------------------------ */

/* 1 with the id of capture @name, 0 if the query has none, -1 with a Python error */
static int capture_id(const Query *q, PyObject *name, uint16_t *out) {
    Py_ssize_t n;
    const char *s = PyUnicode_Check(name) ? PyUnicode_AsUTF8AndSize(name, &n) : NULL;
    if (!s) { if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "scan plan: capture names are str"); return -1; }
    for (uint32_t i = 0; i < q->ncaps; i++) {
        uint32_t len; const char *c = ts_query_capture_name_for_id(q->q, i, &len);
        if (len == (uint32_t)n && !memcmp(c, s, len)) { *out = (uint16_t)i; return 1; }
    }
    return 0;
}

/* a kind name as tree-sitter's query parser reads it; 0 for one a plan cannot match (ERROR,
 * or a supertype at the root), *supertype set for one that is a supertype */
static TSSymbol plan_symbol(Engine *e, PyObject *name, int named, int *supertype) {
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(name, &n);
    if (!s) return 0;
    TSSymbol sym = ts_language_symbol_for_name(e->lang, s, (uint32_t)n, named);
    if (sym == (TSSymbol)-1) return 0;
    *supertype = ts_language_symbol_type(e->lang, sym) == TSSymbolTypeSupertype;
    return sym;
}

/* 1, or 0 where the plan cannot stand in (more captures on one step than it keeps) */
static int plan_captures(const Query *q, PyObject *names, Step *step) {
    if (!PyTuple_Check(names)) { PyErr_SetString(PyExc_TypeError, "scan plan: captures are a tuple"); return -1; }
    if (PyTuple_GET_SIZE(names) > MAX_STEP_CAPTURES) return 0;
    step->ncaps = (uint8_t)PyTuple_GET_SIZE(names);
    for (uint8_t i = 0; i < step->ncaps; i++) {
        int rc = capture_id(q, PyTuple_GET_ITEM(names, i), &step->caps[i]);
        if (rc <= 0) return rc;
    }
    return 1;
}

/* 1: a plan; 0: none after all (an unknown kind, a supertype root, a bad field, more captures
 * on one step than a plan keeps): the cursor runs */
static int plan_pattern(Engine *e, Query *q, PyObject *item, Shallow *p, IntVec *roots) {
    PyObject *kinds, *caps, *negated, *kids;
    if (!PyArg_ParseTuple(item, "O!O!O!O!", &PyTuple_Type, &kinds, &PyTuple_Type, &caps,
                          &PyTuple_Type, &negated, &PyTuple_Type, &kids)) return -1;
    roots->n = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kinds); i++) {
        int supertype;
        TSSymbol sym = plan_symbol(e, PyTuple_GET_ITEM(kinds, i), 1, &supertype);
        if (!sym || supertype) return PyErr_Occurred() ? -1 : 0;
        VEC_PUSH(*roots, sym);
    }
    int rc = plan_captures(q, caps, &p->root);
    if (rc <= 0) return rc;
    p->nnegated = (uint32_t)PyTuple_GET_SIZE(negated);
    p->negated = calloc(p->nnegated + 1, sizeof(TSFieldId));
    p->nkids = (uint32_t)PyTuple_GET_SIZE(kids);
    p->kids = calloc(p->nkids + 1, sizeof(Step));
    if (!p->negated || !p->kids) { PyErr_NoMemory(); return -1; }
    for (uint32_t i = 0; i < p->nnegated; i++) {
        Py_ssize_t n; const char *f = PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(negated, i), &n);
        if (!f) return -1;
        if (!(p->negated[i] = ts_language_field_id_for_name(e->lang, f, (uint32_t)n))) return 0;
    }
    for (uint32_t i = 0; i < p->nkids; i++) {
        const char *field; Py_ssize_t nf; PyObject *kind, *names; int named, optional;
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(kids, i), "s#UppO", &field, &nf, &kind, &named, &optional, &names))
            return -1;
        Step *step = &p->kids[i];
        if (nf && !(step->field = ts_language_field_id_for_name(e->lang, field, (uint32_t)nf))) return 0;
        step->named = (uint8_t)named; step->optional = (uint8_t)optional;
        step->wildcard = PyUnicode_GET_LENGTH(kind) == 0;
        if (!step->wildcard) {
            int supertype;
            if (!(step->symbol = plan_symbol(e, kind, named, &supertype))) return PyErr_Occurred() ? -1 : 0;
            if (supertype) {  /* as tree-sitter reads it: any node, with this supertype around it */
                step->supertype = step->symbol; step->symbol = 0;
                step->wildcard = 1; step->named = 0;
            }
        }
        if ((rc = plan_captures(q, names, step)) <= 0) return rc;
    }
    return 1;
}

/* `plan.scan_plan`'s data for the compiled query ``q``; None leaves the cursor to run */
static int plan_compile(Engine *e, Query *q, PyObject *plan) {
    if (plan == Py_None || !q->q) return 0;
    if (!PyList_Check(plan) || PyList_GET_SIZE(plan) != (Py_ssize_t)q->npatterns) {
        PyErr_SetString(PyExc_ValueError, "scan plan: one entry a pattern of the query"); return -1;
    }
    q->nsymbols = ts_language_symbol_count(e->lang);
    q->shallow = calloc(q->npatterns + 1, sizeof(Shallow));
    q->rooted_at = calloc(q->nsymbols + 2, sizeof(uint32_t));
    IntVec roots = {0}, pairs = {0};  /* pairs: (symbol, pattern), in pattern order */
    if (!q->shallow || !q->rooted_at) { PyErr_NoMemory(); return -1; }
    int rc = 1;
    for (uint32_t p = 0; p < q->npatterns && rc == 1; p++) {
        rc = plan_pattern(e, q, PyList_GET_ITEM(plan, p), &q->shallow[p], &roots);
        for (size_t i = 0; rc == 1 && i < roots.n; i++) {
            VEC_PUSH(pairs, roots.v[i]); VEC_PUSH(pairs, (int32_t)p);
            q->rooted_at[roots.v[i] + 1]++;
        }
    }
    if (rc == 1) {  /* counts -> offsets, then each symbol's patterns in pattern order */
        for (uint32_t s = 0; s < q->nsymbols; s++) q->rooted_at[s + 1] += q->rooted_at[s];
        q->rooted = calloc(pairs.n / 2 + 1, sizeof(uint32_t));
        uint32_t *fill = calloc(q->nsymbols + 1, sizeof(uint32_t));
        if (!q->rooted || !fill) abort();
        for (size_t i = 0; i < pairs.n; i += 2) {
            uint32_t s = (uint32_t)pairs.v[i];
            q->rooted[q->rooted_at[s] + fill[s]++] = (uint32_t)pairs.v[i + 1];
        }
        free(fill);
    } else plan_free(q);  /* no plan: free what was built */
    VEC_FREE(roots); VEC_FREE(pairs);
    return rc < 0 ? -1 : 0;
}

/* ---- predicates --------------------------------------------------------------------- */

typedef struct { const char *src; uint32_t len; } Source;

static int text_eq(Source s, TSNode n, const char *v, uint32_t vl) {
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (b > s.len) b = s.len;
    if (a > b) a = b;
    return b - a == vl && memcmp(s.src + a, v, vl) == 0;
}

#define PRED_BREAK(p, r) if (((r) != 1 && !(p)->any) || ((r) == 1 && (p)->any)) break

static int satisfies(const Query *q, const TSQueryMatch *m, Source s) {
    const Pattern *pat = &q->patterns[m->pattern_index];
    for (uint32_t i = 0; i < pat->npreds; i++) {
        const Pred *p = &pat->preds[i];
        int ok = 1;
        if (p->type == P_EQ_STR || p->type == P_MATCH) {
            int r = 1;
            for (uint16_t c = 0; c < m->capture_count; c++) {
                if (m->captures[c].index != p->cap1) continue;
                TSNode n = m->captures[c].node;
                if (p->type == P_EQ_STR) r = text_eq(s, n, p->str, p->len) == p->positive;
                else {
                    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
                    if (b > s.len) b = s.len;
                    if (a > b) a = b;
                    char *t = dup_n(s.src + a, b - a);
                    r = (regexec(&p->re, t, 0, NULL, 0) == 0) == p->positive;
                    free(t);
                }
                PRED_BREAK(p, r);
            }
            ok = r == 1;
        } else if (p->type == P_EQ_CAP) {
            NodeVec n1 = {0}, n2 = {0};
            for (uint16_t c = 0; c < m->capture_count; c++) {
                if (m->captures[c].index == p->cap1) VEC_PUSH(n1, m->captures[c].node);
                if (m->captures[c].index == p->cap2) VEC_PUSH(n2, m->captures[c].node);
            }
            int r = 1;
            size_t l = n1.n < n2.n ? n1.n : n2.n;
            for (size_t k = 0; k < l; k++) {
                uint32_t a = ts_node_start_byte(n2.v[k]), b = ts_node_end_byte(n2.v[k]);
                if (b > s.len) b = s.len;
                if (a > b) a = b;
                r = text_eq(s, n1.v[k], s.src + a, b - a) == p->positive;
                PRED_BREAK(p, r);
            }
            VEC_FREE(n1); VEC_FREE(n2);
            ok = r == 1;
        } else {  /* any-of */
            for (uint16_t c = 0; c < m->capture_count && ok; c++) {
                if (m->captures[c].index != p->cap1) continue;
                int found = 0;
                for (uint32_t k = 0; k < p->nvalues && !found; k++)
                    found = text_eq(s, m->captures[c].node, p->values[k], p->lens[k]) == p->positive;
                if (!found) ok = 0;
            }
        }
        if (!ok) return 0;
    }
    return 1;
}

/* ---- one text's analysis ------------------------------------------------------------ */

typedef struct {
    int kind;  /* C_FLOW_* */
    NodeVec targets, values, body, again;
    TSNode once; int has_once;
    int style, keep;
} Flow;

typedef struct { uint32_t start, end, slot; } Leaf;
typedef struct {  /* match_at's */
    TSNode node; TSSymbol symbol; TSFieldId field; uint8_t named, error, nsupertypes;
    TSSymbol supertypes[MAX_SUPERTYPES];
} Kid;
typedef struct { uint32_t start, end; int32_t code, kind; int kw; } Token;  /* kind: label (compat), 1 def / 0 ref */
typedef struct { int32_t name, idx; int rel; IntVec names, idxs; } Entry;
typedef VEC(Entry) EntryVec;
typedef VEC(Flow) FlowVec;
typedef VEC(Leaf) LeafVec;
typedef VEC(Token) TokenVec;

enum { REL_COMES = 0, REL_COMPUTED = 1 };

typedef struct {
    Engine *e;
    Source src;
    FlowVec flows; PtrMap flow_of;
    PtrMap alternatives, elses, first, scopes, in_parent, ignored;
    NodeVec defs; PtrMap def_of;
    NodeVec refs; PtrMap ref_of;
    PtrMap transparent, wrap, rename, hidden;
    LeafVec leaves;
    TokenVec tokens;
    IntVec starts, live;
    PtrMap by_span;
    KeyTable codes;       /* token text (UTF-8, newlines dropped) -> code id */
    VEC(uint64_t) hashes; VEC(char) hashed;
    IntVec first_pos;
    PtrMap scope_index; IntVec scope_stack;
    PtrMap skip;
    TSTreeCursor cursor;
    NodeVec kids; PtrMap kids_at; IntVec kids_span;  /* each node's children, recorded by scan */
    TSTreeCursor plan_cursor; int plan_cursor_live; VEC(Kid) plan_kids;  /* match_at's */
    PyObject *listed; int failed;  /* `Engine.matches` lists the matches here instead */
} W;

static void entry_free(Entry *x) { VEC_FREE(x->names); VEC_FREE(x->idxs); }

static void flow_free(Flow *f) { VEC_FREE(f->targets); VEC_FREE(f->values); VEC_FREE(f->body); VEC_FREE(f->again); }

static void w_free(W *w) {
    for (size_t i = 0; i < w->flows.n; i++) flow_free(&w->flows.v[i]);
    VEC_FREE(w->flows); pm_free(&w->flow_of);
    pm_free(&w->alternatives); pm_free(&w->elses); pm_free(&w->first); pm_free(&w->scopes);
    pm_free(&w->in_parent); pm_free(&w->ignored);
    VEC_FREE(w->defs); pm_free(&w->def_of); VEC_FREE(w->refs); pm_free(&w->ref_of);
    pm_free(&w->transparent); pm_free(&w->wrap); pm_free(&w->rename); pm_free(&w->hidden);
    VEC_FREE(w->leaves); VEC_FREE(w->tokens); VEC_FREE(w->starts); VEC_FREE(w->live);
    pm_free(&w->by_span);
    kt_free(&w->codes);
    VEC_FREE(w->hashes); VEC_FREE(w->hashed); VEC_FREE(w->first_pos);
    pm_free(&w->scope_index); VEC_FREE(w->scope_stack); pm_free(&w->skip);
    VEC_FREE(w->kids); pm_free(&w->kids_at); VEC_FREE(w->kids_span);
    if (w->plan_cursor_live) ts_tree_cursor_delete(&w->plan_cursor);
    VEC_FREE(w->plan_kids);
}

/* ---- read_captures ------------------------------------------------------------------ */

static void gather(const TSQueryMatch *m, const Query *q, int kind, NodeVec *out) {
    for (uint16_t c = 0; c < m->capture_count; c++)
        if (q->cap_kind[m->captures[c].index] == kind) VEC_PUSH(*out, m->captures[c].node);
}

static void record(W *w, const Query *q, const TSQueryMatch *m, int kind, int32_t label,
                   const NodeVec *nodes, const Pattern *pat) {
    if (kind >= C_FLOW_DEFINE && kind <= C_FLOW_SKIP) {
        NodeVec once = {0};
        gather(m, q, C_PART_ONCE, &once);
        for (size_t i = 0; i < nodes->n; i++) {
            TSNode node = nodes->v[i];
            int32_t fi = pm_get(&w->flow_of, node.id);
            if (fi < 0) {
                Flow f; memset(&f, 0, sizeof f);
                f.kind = kind; f.style = STYLE_PAIRS; f.keep = KEEP_OTHER;
                fi = (int32_t)w->flows.n;
                VEC_PUSH(w->flows, f);
                pm_put(&w->flow_of, node.id, fi);
            }
            Flow *f = &w->flows.v[fi];
            gather(m, q, C_PART_TARGET, &f->targets);
            gather(m, q, C_PART_VALUE, &f->values);
            gather(m, q, C_PART_BODY, &f->body);
            gather(m, q, C_PART_AGAIN, &f->again);
            if (once.n) {
                TSNode best = f->has_once ? f->once : once.v[0];
                for (size_t k = f->has_once ? 0 : 1; k < once.n; k++)
                    if (ts_node_start_byte(once.v[k]) < ts_node_start_byte(best)) best = once.v[k];
                f->once = best; f->has_once = 1;
            }
            if (pat->has_settings) {
                if (pat->style != STYLE_UNSET) f->style = pat->style;
                if (pat->keep != KEEP_UNSET) f->keep = pat->keep;
            }
        }
        VEC_FREE(once);
        return;
    }
    for (size_t i = 0; i < nodes->n; i++) {
        const void *id = nodes->v[i].id;
        switch (kind) {
        case C_ALTERNATIVE: pm_put(&w->alternatives, id, 1); break;
        case C_ELSE: pm_put(&w->elses, id, 1); break;
        case C_FIRST: pm_put(&w->first, id, 1); break;
        case C_SCOPE: pm_put(&w->scopes, id, 1); break;
        case C_DEFINITION:
            if (!pm_has(&w->def_of, id)) { pm_put(&w->def_of, id, (int32_t)w->defs.n); VEC_PUSH(w->defs, nodes->v[i]); }
            if (pat->def_parent) pm_put(&w->in_parent, id, 1);
            break;
        case C_LOCAL_IGNORE: pm_put(&w->ignored, id, 1); break;
        case C_REFERENCE:
            if (!pm_has(&w->ref_of, id)) { pm_put(&w->ref_of, id, (int32_t)w->refs.n); VEC_PUSH(w->refs, nodes->v[i]); }
            break;
        case C_TRANSPARENT: if (w->e->compat) pm_put(&w->transparent, id, 1); break;
        case C_WRAP: if (w->e->compat) pm_put(&w->wrap, id, label); break;
        case C_RENAME: if (w->e->compat) pm_put(&w->rename, id, label); break;
        case C_UNTOKEN: if (w->e->compat) pm_put(&w->hidden, id, 1); break;
        default: break;
        }
    }
}

/* `Engine.matches`: ``(pattern, ((capture, start byte, end byte), ...))`` */
static void list_match(W *w, const TSQueryMatch *m) {
    PyObject *caps = PyTuple_New(m->capture_count);
    for (uint16_t c = 0; caps && c < m->capture_count; c++) {
        TSNode n = m->captures[c].node;
        PyObject *t = Py_BuildValue("(III)", m->captures[c].index, ts_node_start_byte(n), ts_node_end_byte(n));
        if (!t) { Py_CLEAR(caps); break; }
        PyTuple_SET_ITEM(caps, c, t);
    }
    PyObject *item = caps ? Py_BuildValue("(HN)", m->pattern_index, caps) : NULL;
    if (!item || PyList_Append(w->listed, item) < 0) w->failed = 1;
    Py_XDECREF(item);
}

/* one match of the flow query: its captures, each name once with all its nodes */
static void take_match(W *w, const Query *q, const TSQueryMatch *m, NodeVec *nodes) {
    if (!satisfies(q, m, w->src)) return;
    if (w->listed) { list_match(w, m); return; }
    const Pattern *pat = &q->patterns[m->pattern_index];
    for (uint16_t c = 0; c < m->capture_count; c++) {
        uint32_t index = m->captures[c].index;
        int seen = 0;
        for (uint16_t k = 0; k < c && !seen; k++) seen = m->captures[k].index == index;
        if (seen) continue;
        int kind = q->cap_kind[index];
        if (kind == C_IGNORE || (kind >= C_PART_TARGET && kind <= C_PART_ONCE)) continue;
        nodes->n = 0;
        for (uint16_t k = c; k < m->capture_count; k++)
            if (m->captures[k].index == index) VEC_PUSH(*nodes, m->captures[k].node);
        record(w, q, m, kind, q->cap_label[index], nodes, pat);
    }
}

/* the flow query's matches by tree-sitter's cursor (a query without a scan plan) */
static void read_captures(W *w, TSNode root) {
    const Query *q = &w->e->flow;
    if (!q->q || q->shallow) return;
    TSQueryCursor *qc = ts_query_cursor_new();
    ts_query_cursor_exec(qc, q->q, root);
    TSQueryMatch m;
    NodeVec nodes = {0};
    while (ts_query_cursor_next_match(qc, &m)) take_match(w, q, &m, &nodes);
    VEC_FREE(nodes);
    ts_query_cursor_delete(qc);
}

/* ---- matching a scan plan ------------------------------------------------------------ */

typedef VEC(TSQueryCapture) CaptureVec;
typedef struct { size_t at, n; } Span32;

typedef struct {
    const Shallow *p;
    const Kid *kids; size_t nkids;
    CaptureVec stack;                 /* the captures of the fit being built */
    CaptureVec found; VEC(Span32) fits;  /* every complete fit */
} Fit;

static int step_fits(const Step *s, const Kid *k) {
    if (s->field && s->field != k->field) return 0;
    if (s->supertype) {
        int has = 0;
        for (uint8_t i = 0; i < k->nsupertypes && !has; i++) has = k->supertypes[i] == s->supertype;
        if (!has) return 0;
    }
    if (s->wildcard) return !k->error && (k->named || !s->named);
    return k->symbol == s->symbol;
}

static void push_captures(CaptureVec *v, const Step *s, TSNode node) {
    for (uint8_t i = 0; i < s->ncaps; i++) { TSQueryCapture c = {node, s->caps[i]}; VEC_PUSH(*v, c); }
}

/* every way steps step.. fit the children from ``from`` on, in order (tree-sitter's cursor
 * follows each of them too), a ``?`` step possibly left out */
static void fit(Fit *f, uint32_t step, size_t from) {
    if (step == f->p->nkids) {
        Span32 sp = {f->found.n, f->stack.n};
        for (size_t i = 0; i < f->stack.n; i++) VEC_PUSH(f->found, f->stack.v[i]);
        VEC_PUSH(f->fits, sp);
        return;
    }
    const Step *s = &f->p->kids[step];
    if (s->optional) fit(f, step + 1, from);
    for (size_t k = from; k < f->nkids; k++) {
        if (!step_fits(s, &f->kids[k])) continue;
        size_t mark = f->stack.n;
        push_captures(&f->stack, s, f->kids[k].node);
        fit(f, step + 1, k + 1);
        f->stack.n = mark;
    }
}

static int holds(const TSQueryCapture *a, size_t na, const TSQueryCapture *b, size_t nb) {  /* b within a */
    for (size_t j = 0; j < nb; j++) {
        int in = 0;
        for (size_t i = 0; i < na && !in; i++) in = a[i].index == b[j].index && a[i].node.id == b[j].node.id;
        if (!in) return 0;
    }
    return 1;
}

/* the visible children of ``node`` with their fields, as the cursor sees them */
static void children_of(W *w, TSNode node) {
    w->plan_kids.n = 0;
    if (w->plan_cursor_live) ts_tree_cursor_reset(&w->plan_cursor, node);
    else { w->plan_cursor = ts_tree_cursor_new(node); w->plan_cursor_live = 1; }
    if (!ts_tree_cursor_goto_first_child(&w->plan_cursor)) return;
    do {
        Kid k; memset(&k, 0, sizeof k);
        k.node = ts_tree_cursor_current_node(&w->plan_cursor);
        k.symbol = ts_node_symbol(k.node);
        k.named = ts_node_is_named(k.node);
        k.error = k.symbol == (TSSymbol)-1;
        bool later, later_named, later_field;
        unsigned count = MAX_SUPERTYPES;
        ts_tree_cursor_current_status(&w->plan_cursor, &k.field, &later, &later_named, &later_field,
                                      k.supertypes, &count);
        k.nsupertypes = (uint8_t)count;
        VEC_PUSH(w->plan_kids, k);
    } while (ts_tree_cursor_goto_next_sibling(&w->plan_cursor));
}

/* the plan's matches rooted at ``node``, recorded as the cursor's would be: of two fits of
 * one pattern, one whose captures the other holds is dropped (tree-sitter keeps the longest) */
static void match_at(W *w, TSNode node) {
    const Query *q = &w->e->flow;
    TSSymbol sym = ts_node_symbol(node);
    if (sym >= q->nsymbols || q->rooted_at[sym] == q->rooted_at[sym + 1]) return;
    int have_kids = 0;
    Fit f; memset(&f, 0, sizeof f);
    NodeVec nodes = {0};
    for (uint32_t r = q->rooted_at[sym]; r < q->rooted_at[sym + 1]; r++) {
        uint32_t index = q->rooted[r];
        const Shallow *p = &q->shallow[index];
        int negated = 0;
        for (uint32_t i = 0; i < p->nnegated && !negated; i++)
            negated = ts_node_child_by_field_id(node, p->negated[i]).id != NULL;
        if (negated) continue;
        if (p->nkids && !have_kids) { children_of(w, node); have_kids = 1; }
        f.p = p; f.kids = w->plan_kids.v; f.nkids = w->plan_kids.n;
        f.stack.n = f.found.n = f.fits.n = 0;
        push_captures(&f.stack, &p->root, node);
        fit(&f, 0, 0);
        for (size_t i = 0; i < f.fits.n; i++) {
            const TSQueryCapture *a = f.found.v + f.fits.v[i].at;
            size_t na = f.fits.v[i].n, dropped = 0;
            for (size_t j = 0; j < f.fits.n && !dropped; j++) {
                if (j == i) continue;
                const TSQueryCapture *b = f.found.v + f.fits.v[j].at;
                size_t nb = f.fits.v[j].n;
                dropped = (nb > na || (nb == na && j < i)) && holds(b, nb, a, na);
            }
            if (dropped) continue;
            TSQueryMatch m = {0, (uint16_t)index, (uint16_t)na, a};
            take_match(w, q, &m, &nodes);
        }
    }
    VEC_FREE(f.stack); VEC_FREE(f.found); VEC_FREE(f.fits); VEC_FREE(nodes);
}

/* ---- scan ---------------------------------------------------------------------------- */

static long intern(Engine *e, const IntVec *buf, size_t base) {
    return kt_intern(&e->keys, buf->v + base, (buf->n - base) * sizeof(int32_t));
}

typedef struct { uint32_t slot; uint16_t field; size_t base, kids; const void *id; } Frame;

/* the children of the node closing now are the last ones seen since it opened */
static void keep_children(W *w, NodeVec *pending, const Frame *f) {
    pm_put(&w->kids_at, f->id, (int32_t)(w->kids_span.n / 2));
    VEC_PUSH(w->kids_span, (int32_t)w->kids.n);
    VEC_PUSH(w->kids_span, (int32_t)(pending->n - f->kids));
    for (size_t i = f->kids; i < pending->n; i++) VEC_PUSH(w->kids, pending->v[i]);
    pending->n = f->kids;
}

static long intern_one(Engine *e, IntVec *tmp, int32_t label, int32_t field, int32_t key) {
    tmp->n = 0;
    VEC_PUSH(*tmp, label);
    if (key >= 0) { VEC_PUSH(*tmp, field); VEC_PUSH(*tmp, key); }
    return intern(e, tmp, 0);
}

static int scan(W *w, TSNode root, IntVec *keys) {
    Engine *e = w->e;
    int compat = e->compat;
    int planned = e->flow.shallow != NULL;  /* captures are then read here, node by node */
    int64_t skip_until = -1;
    IntVec entries = {0}, tmp = {0};
    VEC(Frame) stack = {0};
    NodeVec pending = {0};
    TSTreeCursor *cur = &w->cursor;
    ts_tree_cursor_reset(cur, root);
    TSNode node = root;
    int rc = 0;
    pm_reserve(&w->kids_at, w->src.len / 16 + 16);  /* about one node with children in 16 bytes */
    for (;;) {
        if (stack.n) VEC_PUSH(pending, node);
        /* a node's captures come from patterns rooted at it or at its parent: known by now */
        if (planned) match_at(w, node);
        int hidden = compat && w->hidden.n > 0;
        int shims = compat && (w->transparent.n || w->wrap.n || w->rename.n);
        uint32_t slot = slot_of(e, ts_node_symbol(node));
        int named = e->kind_named[slot];
        uint16_t field = named ? ts_tree_cursor_current_field_id(cur) : 0;
        int taken = 0;
        if (compat && (e->kind_whole[slot] || hidden)) {
            uint32_t start = ts_node_start_byte(node);
            if ((int64_t)start >= skip_until) {
                if (hidden && pm_has(&w->hidden, node.id)) {
                    skip_until = ts_node_end_byte(node); taken = 1;
                } else if (e->kind_whole[slot]) {
                    uint32_t end = ts_node_end_byte(node);
                    Leaf l = {start, end, slot}; VEC_PUSH(w->leaves, l);
                    taken = 1;
                    if (ts_node_child_count(node)) skip_until = end;
                }
            }
        }
        if (ts_tree_cursor_goto_first_child(cur)) {
            Frame f = {slot, field, entries.n, pending.n, node.id};
            VEC_PUSH(stack, f);
            node = ts_tree_cursor_current_node(cur);
            continue;
        }
        uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
        if ((int64_t)start >= skip_until && !taken) { Leaf l = {start, end, slot}; VEC_PUSH(w->leaves, l); }
        int missing = start == end && ts_node_is_missing(node);
        if (named || missing) {
            if (missing && !named) field = ts_tree_cursor_current_field_id(cur);
            if (!(shims && pm_has(&w->transparent, node.id))) {
                int32_t label = shims ? pm_get(&w->rename, node.id) : -1;
                if (label < 0) label = e->kind_label[slot];
                if (missing) label = -(label + 1);
                long key = intern_one(e, &tmp, label, 0, -1);
                if (key < 0) { rc = -1; goto done; }
                if (!stack.n) VEC_PUSH(*keys, (int32_t)key);
                int32_t wrap = shims ? pm_get(&w->wrap, node.id) : -1;
                if (wrap >= 0) {
                    key = intern_one(e, &tmp, wrap, 0, (int32_t)key);
                    if (key < 0) { rc = -1; goto done; }
                    VEC_PUSH(*keys, (int32_t)key);
                }
                if (stack.n) { VEC_PUSH(entries, field); VEC_PUSH(entries, (int32_t)key); }
            }
        }
        while (!ts_tree_cursor_goto_next_sibling(cur)) {
            if (!ts_tree_cursor_goto_parent(cur)) goto done;
            Frame f = stack.v[--stack.n];
            keep_children(w, &pending, &f);
            shims = compat && (w->transparent.n || w->wrap.n || w->rename.n);
            if (!e->kind_named[f.slot]) { entries.n = f.base; continue; }
            if (shims && pm_has(&w->transparent, f.id)) continue;
            int32_t label = shims ? pm_get(&w->rename, f.id) : -1;
            if (label < 0) label = e->kind_label[f.slot];
            tmp.n = 0;
            VEC_PUSH(tmp, label);
            intvec_extend(&tmp, entries.v + f.base, entries.n - f.base);
            entries.n = f.base;
            long key = intern(e, &tmp, 0);
            if (key < 0) { rc = -1; goto done; }
            VEC_PUSH(*keys, (int32_t)key);
            int32_t wrap = shims ? pm_get(&w->wrap, f.id) : -1;
            if (wrap >= 0) {
                key = intern_one(e, &tmp, wrap, 0, (int32_t)key);
                if (key < 0) { rc = -1; goto done; }
                VEC_PUSH(*keys, (int32_t)key);
            }
            if (stack.n) { VEC_PUSH(entries, f.field); VEC_PUSH(entries, (int32_t)key); }
        }
        node = ts_tree_cursor_current_node(cur);
    }
done:
    VEC_FREE(entries); VEC_FREE(tmp); VEC_FREE(stack); VEC_FREE(pending);
    return rc;
}

/* ---- text and tokens -------------------------------------------------------------------- */

static PyObject *decode(Source s, uint32_t a, uint32_t b) {
    if (b > s.len) b = s.len;
    if (a > b) a = b;
    return PyUnicode_DecodeUTF8(s.src + a, (Py_ssize_t)(b - a), "replace");
}

/* the code of `_text`, the span's text without its newlines (UTF-8 bytes compare as the
 * decoded strings do: the engine's texts are encoded from str) */
static int32_t code_id(W *w, uint32_t a, uint32_t b) {
    if (b > w->src.len) b = w->src.len;
    if (a > b) a = b;
    const char *text = w->src.src + a;
    size_t n = b - a;
    long code;
    if (!memchr(text, '\n', n)) code = kt_intern(&w->codes, text, n);
    else {
        char *kept = malloc(n ? n : 1);
        if (!kept) abort();
        size_t k = 0;
        for (size_t i = 0; i < n; i++) if (text[i] != '\n') kept[k++] = text[i];
        code = kt_intern(&w->codes, kept, k);
        free(kept);
    }
    if (code < 0) return -1;
    if ((size_t)code == w->hashes.n) {
        uint64_t zero = 0; VEC_PUSH(w->hashes, zero);
        char no = 0; VEC_PUSH(w->hashed, no);
    }
    return (int32_t)code;
}

static PyObject *code_tokens(W *w, TSNode root) {
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    uint32_t last = ts_node_start_byte(root);
    for (size_t i = 0; i <= w->leaves.n; i++) {
        uint32_t start, end;
        if (i == w->leaves.n) { start = ts_node_end_byte(root); end = start; }
        else { start = w->leaves.v[i].start; end = w->leaves.v[i].end; if (start == end) continue; }
        if (start > last || i == w->leaves.n) {
            PyObject *gap = decode(w->src, last, start > last ? start : last);
            PyObject *parts = gap ? PyUnicode_Split(gap, NULL, -1) : NULL;
            Py_XDECREF(gap);
            if (!parts) goto fail;
            Py_ssize_t np = PyList_GET_SIZE(parts);
            for (Py_ssize_t k = 0; k < np; k++)
                if (PyList_Append(out, PyList_GET_ITEM(parts, k)) < 0) { Py_DECREF(parts); goto fail; }
            Py_DECREF(parts);
        }
        if (i == w->leaves.n) break;
        PyObject *t = decode(w->src, start, end);
        if (!t || PyList_Append(out, t) < 0) { Py_XDECREF(t); goto fail; }
        Py_DECREF(t);
        if (end > last) last = end;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static int add_token(W *w, uint32_t start, uint32_t end, int32_t kind) {
    int32_t code = code_id(w, start, end);
    if (code < 0) return -1;
    Token t = {start, end, code, kind, 0};
    if (w->e->compat) {  /* a token spelled as its kind: a keyword or punctuation */
        Py_ssize_t nl; size_t nc;
        const char *label = PyUnicode_AsUTF8AndSize(PyList_GET_ITEM(w->e->label_names, kind), &nl);
        if (!label) return -1;
        const char *text = kt_string(&w->codes, (size_t)code, &nc);
        t.kw = (size_t)nl == nc && !memcmp(label, text, nc);
    }
    VEC_PUSH(w->tokens, t);
    return 0;
}

typedef struct { uint32_t start, end; int def; size_t seq; TSNode node; } Cand;
static int cand_cmp(const void *a, const void *b) {
    const Cand *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end > y->end ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int make_tokens(W *w) {
    Engine *e = w->e;
    if (e->compat) {
        for (size_t i = 0; i < w->leaves.n; i++) {
            Leaf l = w->leaves.v[i];
            if (e->kind_comment[l.slot]) continue;
            if (add_token(w, l.start, l.end, e->kind_label[l.slot]) < 0) return -1;
        }
    } else {
        VEC(Cand) c = {0};
        size_t seq = 0;
        for (size_t i = 0; i < w->defs.n; i++) {
            TSNode n = w->defs.v[i];
            Cand x = {ts_node_start_byte(n), ts_node_end_byte(n), 1, seq++, n}; VEC_PUSH(c, x);
        }
        for (size_t i = 0; i < w->refs.n; i++) {
            TSNode n = w->refs.v[i];
            if (pm_has(&w->def_of, n.id) || pm_has(&w->ignored, n.id)) continue;
            Cand x = {ts_node_start_byte(n), ts_node_end_byte(n), 0, seq++, n}; VEC_PUSH(c, x);
        }
        if (c.n) qsort(c.v, c.n, sizeof(Cand), cand_cmp);
        for (size_t i = 0; i < c.n; i++) {
            if (w->tokens.n && c.v[i].start < w->tokens.v[w->tokens.n - 1].end) continue;
            if (add_token(w, c.v[i].start, c.v[i].end, c.v[i].def) < 0) {
                VEC_FREE(c); return -1;
            }
        }
        VEC_FREE(c);
    }
    size_t ncodes = w->codes.n;
    for (size_t i = 0; i < ncodes; i++) VEC_PUSH(w->first_pos, -1);
    pm_reserve(&w->by_span, w->tokens.n);
    for (size_t i = 0; i < w->tokens.n; i++) {
        Token *t = &w->tokens.v[i];
        VEC_PUSH(w->starts, (int32_t)t->start);
        if (!(e->compat && t->kw)) VEC_PUSH(w->live, (int32_t)t->start);
        pm_put(&w->by_span, (void *)((((uintptr_t)t->start) << 32 | t->end) + 1), (int32_t)i);
        if (w->first_pos.v[t->code] < 0) w->first_pos.v[t->code] = (int32_t)i;
    }
    return 0;
}

/* ---- pyset: CPython's set order under PYTHONHASHSEED=0 ------------------------------ */

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define HALF_ROUND(a, b, c, d, s, t) a += b; c += d; b = ROTL(b, s) ^ a; d = ROTL(d, t) ^ c; a = ROTL(a, 32);
#define SIP_ROUND(v0, v1, v2, v3) HALF_ROUND(v0, v1, v2, v3, 13, 16); HALF_ROUND(v2, v1, v0, v3, 17, 21);

static uint64_t siphash13(const uint8_t *data, size_t len) {
    uint64_t v0 = 0x736F6D6570736575ULL, v1 = 0x646F72616E646F6DULL;
    uint64_t v2 = 0x6C7967656E657261ULL, v3 = 0x7465646279746573ULL;
    size_t full = len - len % 8;
    for (size_t i = 0; i < full; i += 8) {
        uint64_t m = 0;
        for (int k = 7; k >= 0; k--) m = (m << 8) | data[i + k];
        v3 ^= m; SIP_ROUND(v0, v1, v2, v3); v0 ^= m;
    }
    uint64_t b = ((uint64_t)(len & 0xFF)) << 56;
    for (size_t k = len - full; k > 0; k--) b |= ((uint64_t)data[full + k - 1]) << (8 * (k - 1));
    v3 ^= b; SIP_ROUND(v0, v1, v2, v3); v0 ^= b;
    v2 ^= 0xFF;
    SIP_ROUND(v0, v1, v2, v3); SIP_ROUND(v0, v1, v2, v3); SIP_ROUND(v0, v1, v2, v3);
    return (v0 ^ v1) ^ (v2 ^ v3);
}

/* CPython's hash of the token's str: siphash13 of its canonical form, which for ASCII is
 * the UTF-8 bytes themselves */
static uint64_t code_hash(W *w, int32_t code) {
    if (w->hashed.v[code]) return w->hashes.v[code];
    size_t n;
    const char *text = kt_string(&w->codes, (size_t)code, &n);
    int ascii = 1;
    for (size_t i = 0; i < n && ascii; i++) ascii = (unsigned char)text[i] < 0x80;
    uint64_t h = 0;
    if (ascii && n) h = siphash13((const uint8_t *)text, n);
    else if (n) {
        PyObject *s = PyUnicode_DecodeUTF8(text, (Py_ssize_t)n, "replace");
        if (!s) abort();  /* no memory */
        h = siphash13((const uint8_t *)PyUnicode_DATA(s), (size_t)PyUnicode_GET_LENGTH(s) * PyUnicode_KIND(s));
        Py_DECREF(s);
    }
    if (h == UINT64_MAX) h = UINT64_MAX - 1;
    w->hashes.v[code] = h; w->hashed.v[code] = 1;
    return h;
}

typedef struct { uint64_t h; int32_t item; int used; } Slot;

static int set_insert(Slot *table, size_t size, int32_t item, uint64_t h) {
    size_t mask = size - 1, i = h & mask;
    uint64_t perturb = h;
    for (;;) {
        size_t probes = i + 9 <= mask ? 9 : 0;
        size_t j = i;
        for (size_t k = 0; k <= probes; k++, j++) {
            if (!table[j].used) { table[j].used = 1; table[j].h = h; table[j].item = item; return 1; }
            if (table[j].h == h && table[j].item == item) return 0;
        }
        perturb >>= 5;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static void set_order(W *w, const int32_t *items, size_t n, IntVec *out) {
    out->n = 0;
    if (n < 2 || (n == 2 && items[0] == items[1])) { if (n) VEC_PUSH(*out, items[0]); return; }
    size_t size = 8, used = 0;
    Slot *table = calloc(size, sizeof(Slot));
    if (!table) abort();
    for (size_t i = 0; i < n; i++) {
        uint64_t h = code_hash(w, items[i]);
        if (!set_insert(table, size, items[i], h)) continue;
        used++;
        if (used * 5 >= (size - 1) * 3) {
            size_t ns = 8;
            while (ns <= used * 4) ns <<= 1;
            Slot *nt = calloc(ns, sizeof(Slot));
            if (!nt) abort();
            for (size_t k = 0; k < size; k++) if (table[k].used) set_insert(nt, ns, table[k].item, table[k].h);
            free(table); table = nt; size = ns;
        }
    }
    for (size_t k = 0; k < size; k++) if (table[k].used) VEC_PUSH(*out, table[k].item);
    free(table);
}

/* ---- the dataflow walk ---------------------------------------------------------------- */

static int cmp_i32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b; return (x > y) - (x < y);
}

static void sorted_unique(IntVec *v) {
    if (v->n < 2) return;
    if (v->n <= 16) {  /* the usual few positions: insertion sort, no call per comparison */
        for (size_t i = 1; i < v->n; i++) {
            int32_t x = v->v[i];
            size_t j = i;
            for (; j > 0 && v->v[j - 1] > x; j--) v->v[j] = v->v[j - 1];
            v->v[j] = x;
        }
    } else qsort(v->v, v->n, sizeof(int32_t), cmp_i32);
    size_t k = 1;
    for (size_t i = 1; i < v->n; i++) if (v->v[i] != v->v[k - 1]) v->v[k++] = v->v[i];
    v->n = k;
}

/* `_Walk.union`: distinct names in CPython's set order (compat) or first appearance */
static void name_union(W *w, const int32_t *names, size_t n, IntVec *out) {
    if (w->e->compat) { set_order(w, names, n, out); return; }
    IntVec pos = {0};
    for (size_t i = 0; i < n; i++) VEC_PUSH(pos, w->first_pos.v[names[i]]);
    sorted_unique(&pos);
    out->n = 0;
    for (size_t i = 0; i < pos.n; i++) VEC_PUSH(*out, w->tokens.v[pos.v[i]].code);
    VEC_FREE(pos);
}

static void sort_entries(Entry *a, size_t n) {  /* stable, by position */
    size_t i = 1;
    while (i < n && a[i - 1].idx <= a[i].idx) i++;
    if (i >= n) return;
    Entry *tmp = malloc(n * sizeof(Entry));
    if (!tmp) abort();
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t x = lo, y = mid, k = lo;
            while (x < mid && y < hi) tmp[k++] = a[y].idx < a[x].idx ? a[y++] : a[x++];
            while (x < mid) tmp[k++] = a[x++];
            while (y < hi) tmp[k++] = a[y++];
        }
        memcpy(a, tmp, n * sizeof(Entry));
    }
    free(tmp);
}

static void push_entry(EntryVec *out, int32_t name, int32_t idx, int rel,
                       const int32_t *names, size_t nn, const int32_t *idxs, size_t ni) {
    Entry x; memset(&x, 0, sizeof x);
    x.name = name; x.idx = idx; x.rel = rel;
    intvec_extend(&x.names, names, nn);
    intvec_extend(&x.idxs, idxs, ni);
    VEC_PUSH(*out, x);
}

/* States: the Python definition's dict of name keys -> positions. Branches share one
 * until one of them writes: `dict(states)` before a write, which a map no one else holds
 * can skip, since no one can see the difference. */
typedef struct {
    int refs;
    PtrMap at;             /* key + 1 -> index in keys/vals */
    VEC(int64_t) keys;     /* in order of insertion, as a dict keeps them */
    VEC(IntVec) vals;
} States;

static States *states_new(void) {
    States *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->refs = 1;
    return s;
}

static States *states_hold(States *s) { s->refs++; return s; }

static void states_drop(States *s) {
    if (--s->refs > 0) return;
    for (size_t i = 0; i < s->vals.n; i++) VEC_FREE(s->vals.v[i]);
    VEC_FREE(s->vals); VEC_FREE(s->keys); pm_free(&s->at);
    free(s);
}

static const IntVec *states_get(const States *s, int64_t key) {
    int32_t i = pm_get(&s->at, (void *)(uintptr_t)(key + 1));
    return i < 0 ? NULL : &s->vals.v[i];
}

static void states_set(States *s, int64_t key, const int32_t *v, size_t n) {
    int32_t i = pm_get(&s->at, (void *)(uintptr_t)(key + 1));
    if (i < 0) {
        i = (int32_t)s->keys.n;
        pm_put(&s->at, (void *)(uintptr_t)(key + 1), i);
        VEC_PUSH(s->keys, key);
        IntVec empty = {0};
        VEC_PUSH(s->vals, empty);
    }
    s->vals.v[i].n = 0;
    intvec_extend(&s->vals.v[i], v, n);
}

/* `dict(states)` before a write */
static void copy_states(States **st) {
    if ((*st)->refs == 1) return;
    States *c = states_new();
    pm_reserve(&c->at, (*st)->keys.n);
    for (size_t i = 0; i < (*st)->keys.n; i++)
        states_set(c, (*st)->keys.v[i], (*st)->vals.v[i].v, (*st)->vals.v[i].n);
    states_drop(*st); *st = c;
}

static int64_t state_key(W *w, int64_t scope, int32_t code) {
    return w->e->compat ? code : (scope << 32) | code;
}

static int64_t scope_top(W *w, int back) { return w->scope_stack.v[w->scope_stack.n - 1 - back]; }

/* `lookup`: the key of the visible ``code``, or -1 */
static int64_t lookup(W *w, const States *states, int32_t code) {
    size_t depth = w->e->compat ? 1 : w->scope_stack.n;
    for (size_t i = 0; i < depth; i++) {
        int64_t key = state_key(w, w->e->compat ? 0 : scope_top(w, (int)i), code);
        if (states_get(states, key)) return key;
    }
    return -1;
}

static int64_t key_for_definition(W *w, const Token *t, const void *node_id) {
    int parent = node_id && pm_has(&w->in_parent, node_id) && w->scope_stack.n > 1;
    return state_key(w, w->e->compat ? 0 : scope_top(w, parent), t->code);
}

static int64_t key_for_target(W *w, const States *states, const Token *t) {
    if (!w->e->compat && t->kind == 0) {
        int64_t found = lookup(w, states, t->code);
        if (found >= 0) return found;
    }
    return state_key(w, w->e->compat ? 0 : scope_top(w, 0), t->code);
}

typedef struct { const TSNode *v; size_t n; } NodeSpan;

static NodeSpan node_children(W *w, TSNode node) {  /* as scan saw them, where it keeps them */
    int32_t k = pm_get(&w->kids_at, node.id);
    NodeSpan none = {NULL, 0};
    if (k < 0) return none;
    NodeSpan kids = {w->kids.v + w->kids_span.v[2 * k], (size_t)w->kids_span.v[2 * k + 1]};
    return kids;
}

static size_t bisect_left(const IntVec *a, int64_t x) {
    size_t lo = 0, hi = a->n;
    while (lo < hi) { size_t mid = (lo + hi) / 2; if (a->v[mid] < x) lo = mid + 1; else hi = mid; }
    return lo;
}
static size_t bisect_right(const IntVec *a, int64_t x) {
    size_t lo = 0, hi = a->n;
    while (lo < hi) { size_t mid = (lo + hi) / 2; if (x < a->v[mid]) hi = mid; else lo = mid + 1; }
    return lo;
}

static const Token *token_of(W *w, TSNode node, uint32_t start, uint32_t end) {
    Engine *e = w->e;
    if (e->compat) {
        uint32_t slot = slot_of(e, ts_node_symbol(node));
        if (!e->kind_whole[slot] && ts_node_child_count(node)) return NULL;
        if (e->kind_comment[slot]) return NULL;
    } else if (!pm_has(&w->def_of, node.id) && (!pm_has(&w->ref_of, node.id) || pm_has(&w->ignored, node.id))) {
        return NULL;
    }
    int32_t i = pm_get(&w->by_span, (void *)((((uintptr_t)start) << 32 | end) + 1));
    return i < 0 ? NULL : &w->tokens.v[i];
}

/* `tokens_in`: token indices inside ``node`` */
static void tokens_in(W *w, TSNode node, IntVec *out) {
    uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
    size_t lo = bisect_left(&w->starts, start), hi = bisect_right(&w->starts, end);
    for (size_t i = lo; i < hi; i++) {
        const Token *t = &w->tokens.v[i];
        if (t->end > end) continue;
        if (w->e->compat && t->kw) continue;
        VEC_PUSH(*out, (int32_t)i);
    }
}

static int walk(W *w, TSNode node, States **st, EntryVec *out);

static int walk_all(W *w, const TSNode *nodes, size_t n, States **st, EntryVec *out) {
    for (size_t i = 0; i < n; i++) if (walk(w, nodes[i], st, out) < 0) return -1;
    return 0;
}

static int leaf(W *w, const void *node_id, const Token *t, States **st, EntryVec *out) {
    int32_t idx = (int32_t)(t - w->tokens.v);
    if (w->e->compat) {
        if (t->kw) return 0;
        int64_t key = state_key(w, 0, t->code);
        const IntVec *where = states_get(*st, key);
        if (where) {
            push_entry(out, t->code, idx, REL_COMES, &t->code, 1, where->v, where->n);
            return 0;
        }
        if (t->kind == w->e->label_identifier) { copy_states(st); states_set(*st, key, &idx, 1); }
        push_entry(out, t->code, idx, REL_COMES, NULL, 0, NULL, 0);
        return 0;
    }
    if (t->kind == 1) {
        copy_states(st);
        states_set(*st, key_for_definition(w, t, node_id), &idx, 1);
        push_entry(out, t->code, idx, REL_COMES, NULL, 0, NULL, 0);
        return 0;
    }
    int64_t key = lookup(w, *st, t->code);
    if (key < 0) return 0;
    const IntVec *where = states_get(*st, key);
    push_entry(out, t->code, idx, REL_COMES, &t->code, 1, where->v, where->n);
    return 0;
}

static int sequence(W *w, TSNode node, States **st, EntryVec *out) {
    NodeSpan ch = node_children(w, node);
    int rc = 0, any_first = 0;
    if (w->first.n) for (size_t i = 0; i < ch.n && !any_first; i++) any_first = pm_has(&w->first, ch.v[i].id);
    if (any_first) {
        size_t base = out->n;
        for (int pass = 1; pass >= 0 && rc == 0; pass--)
            for (size_t i = 0; i < ch.n && rc == 0; i++)
                if (pm_has(&w->first, ch.v[i].id) == pass) rc = walk(w, ch.v[i], st, out);
        if (rc == 0) sort_entries(out->v + base, out->n - base);
    } else {
        rc = walk_all(w, ch.v, ch.n, st, out);
    }
   
    return rc;
}

/* `_sources`: distinct (name, position) of the entries from ``base``, by position */
static void sources_of(const EntryVec *v, size_t base, IntVec *names, IntVec *idxs) {
    size_t n = v->n - base;
    IntVec order = {0};
    for (size_t i = 0; i < n; i++) VEC_PUSH(order, v->v[base + i].idx);
    sorted_unique(&order);
    for (size_t k = 0; k < order.n; k++) {
        int32_t name = -1;
        for (size_t i = base; i < v->n; i++) if (v->v[i].idx == order.v[k]) name = v->v[i].name;
        VEC_PUSH(*names, name); VEC_PUSH(*idxs, order.v[k]);
    }
    VEC_FREE(order);
}

static int assign(W *w, TSNode node, const Flow *f, States **st, EntryVec *out, int rel);

static int zip_pairs(W *w, const Flow *f, NodeVec *left, NodeVec *right) {
    int32_t comma = w->e->label_comma;
    for (int side = 0; side < 2; side++) {
        const NodeVec *src = side ? &f->values : &f->targets;
        NodeVec *dst = side ? right : left;
        for (size_t i = 0; i < src->n; i++) {
            NodeSpan ch = node_children(w, src->v[i]);
            for (size_t k = 0; k < ch.n; k++)
                if (w->e->kind_label[slot_of(w->e, ts_node_symbol(ch.v[k]))] != comma) VEC_PUSH(*dst, ch.v[k]);
           
        }
    }
    if (left->n != right->n || !left->n) {
        left->n = right->n = 0;
        for (size_t i = 0; i < f->targets.n; i++) VEC_PUSH(*left, f->targets.v[i]);
        for (size_t i = 0; i < f->values.n; i++) VEC_PUSH(*right, f->values.v[i]);
    }
    size_t n = left->n < right->n ? left->n : right->n;
    left->n = right->n = n;
    return 0;
}

static int bind_pair(W *w, const TSNode *targets, size_t nt, const TSNode *values, size_t nv,
                     int style, int rel, States *states, EntryVec *out) {
    IntVec src = {0}, tgt = {0}, sn = {0}, si = {0};
    for (size_t i = 0; i < nv; i++) tokens_in(w, values[i], &src);
    for (size_t i = 0; i < nt; i++) tokens_in(w, targets[i], &tgt);
    for (size_t i = 0; i < src.n; i++) { VEC_PUSH(sn, w->tokens.v[src.v[i]].code); VEC_PUSH(si, src.v[i]); }
    int rc = 0;
    for (size_t k = 0; k < tgt.n && rc == 0; k++) {
        const Token *t = &w->tokens.v[tgt.v[k]];
        if (style == STYLE_PAIRS) {
            for (size_t i = 0; i < src.n; i++) push_entry(out, t->code, tgt.v[k], rel, &sn.v[i], 1, &si.v[i], 1);
        } else {
            push_entry(out, t->code, tgt.v[k], rel, sn.v, sn.n, si.v, si.n);
        }
        states_set(states, state_key(w, 0, t->code), &tgt.v[k], 1);
    }
    VEC_FREE(src); VEC_FREE(tgt); VEC_FREE(sn); VEC_FREE(si);
    return rc;
}

static int assign_default(W *w, const Flow *f, States **st, EntryVec *out, int rel) {
    size_t base = out->n;
    if (walk_all(w, f->values.v, f->values.n, st, out) < 0) return -1;
    IntVec sn = {0}, si = {0}, targets = {0}, names = {0};
    sources_of(out, base, &sn, &si);
    int rc = 0;
    for (size_t i = 0; i < f->targets.n && rc == 0; i++) {
        TSNode target = f->targets.v[i];
        const Token *t = token_of(w, target, ts_node_start_byte(target), ts_node_end_byte(target));
        if (t) { VEC_PUSH(targets, (int32_t)(t - w->tokens.v)); continue; }
        IntVec inner = {0}, all = {0};
        tokens_in(w, target, &all);
        for (size_t k = 0; k < all.n; k++) if (w->tokens.v[all.v[k]].kind == 1) VEC_PUSH(inner, all.v[k]);
        intvec_extend(&targets, inner.v, inner.n);
        EntryVec found = {0};
        NodeSpan ch = node_children(w, target);
        rc = walk_all(w, ch.v, ch.n, st, &found);
        for (size_t k = 0; k < found.n; k++) {
            int skip = 0;
            for (size_t j = 0; j < inner.n && !skip; j++) skip = inner.v[j] == found.v[k].idx;
            if (skip) entry_free(&found.v[k]); else VEC_PUSH(*out, found.v[k]);
        }
        VEC_FREE(found); VEC_FREE(inner); VEC_FREE(all);
    }
    if (rc == 0) {
        copy_states(st);
        name_union(w, sn.v, sn.n, &names);
        for (size_t k = 0; k < targets.n; k++) {
            const Token *t = &w->tokens.v[targets.v[k]];
            push_entry(out, t->code, targets.v[k], rel, names.v, names.n, si.v, si.n);
            int64_t key = t->kind == 1 ? key_for_definition(w, t, NULL) : key_for_target(w, *st, t);
            states_set(*st, key, &targets.v[k], 1);
        }
        sort_entries(out->v + base, out->n - base);
    }
    VEC_FREE(sn); VEC_FREE(si); VEC_FREE(targets); VEC_FREE(names);
    return rc;
}

static int assign(W *w, TSNode node, const Flow *f, States **st, EntryVec *out, int rel) {
    (void)node;
    if (!w->e->compat) return assign_default(w, f, st, out, rel);
    if (f->style == STYLE_ZIP && !f->values.n) return 0;
    size_t base = out->n;
    NodeVec left = {0}, right = {0};
    if (f->style == STYLE_ZIP) zip_pairs(w, f, &left, &right);
    int rc = 0;
    if (f->style == STYLE_ZIP) { for (size_t i = 0; i < right.n && rc == 0; i++) rc = walk(w, right.v[i], st, out); }
    else rc = walk_all(w, f->values.v, f->values.n, st, out);
    if (rc == 0) copy_states(st);
    if (f->style == STYLE_ZIP) {
        for (size_t i = 0; i < left.n && rc == 0; i++)
            rc = bind_pair(w, &left.v[i], 1, &right.v[i], 1, f->style, rel, *st, out);
    } else if (rc == 0) {
        rc = bind_pair(w, f->targets.v, f->targets.n, f->values.v, f->values.n, f->style, rel, *st, out);
    }
    if (rc == 0) sort_entries(out->v + base, out->n - base);
    VEC_FREE(left); VEC_FREE(right);
    return rc;
}

static int define(W *w, TSNode node, const Flow *f, States **st, EntryVec *out) {
    if (w->e->compat && !f->values.n) {
        copy_states(st);
        IntVec toks = {0};
        for (size_t i = 0; i < f->targets.n; i++) tokens_in(w, f->targets.v[i], &toks);
        for (size_t k = 0; k < toks.n; k++) {
            const Token *t = &w->tokens.v[toks.v[k]];
            push_entry(out, t->code, toks.v[k], REL_COMES, NULL, 0, NULL, 0);
            states_set(*st, state_key(w, 0, t->code), &toks.v[k], 1);
        }
        VEC_FREE(toks);
        return 0;
    }
    return assign(w, node, f, st, out, REL_COMES);
}

static int update(W *w, TSNode node, const Flow *f, States **st, EntryVec *out) {
    size_t base = out->n;
    int rc = 0;
    if (w->e->compat) {
        IntVec toks = {0};
        tokens_in(w, node, &toks);
        copy_states(st);
        for (size_t a = 0; a < toks.n; a++) {
            const Token *t1 = &w->tokens.v[toks.v[a]];
            for (size_t b = 0; b < toks.n; b++)
                push_entry(out, t1->code, toks.v[a], REL_COMPUTED, &w->tokens.v[toks.v[b]].code, 1, &toks.v[b], 1);
            states_set(*st, state_key(w, 0, t1->code), &toks.v[a], 1);
        }
        VEC_FREE(toks);
        sort_entries(out->v + base, out->n - base);
        return 0;
    }
    NodeSpan ch = node_children(w, node);
    rc = walk_all(w, ch.v, ch.n, st, out);
   
    if (rc < 0) return -1;
    IntVec sn = {0}, si = {0}, targets = {0}, names = {0};
    sources_of(out, base, &sn, &si);
    for (size_t i = 0; i < f->targets.n; i++) tokens_in(w, f->targets.v[i], &targets);
    if (!targets.n) tokens_in(w, node, &targets);
    copy_states(st);
    name_union(w, sn.v, sn.n, &names);
    for (size_t k = 0; k < targets.n; k++) {
        const Token *t = &w->tokens.v[targets.v[k]];
        push_entry(out, t->code, targets.v[k], REL_COMPUTED, names.v, names.n, si.v, si.n);
        states_set(*st, key_for_target(w, *st, t), &targets.v[k], 1);
    }
    sort_entries(out->v + base, out->n - base);
    VEC_FREE(sn); VEC_FREE(si); VEC_FREE(targets); VEC_FREE(names);
    return rc;
}

static int branch(W *w, TSNode node, const Flow *f, States **st, EntryVec *out) {
    NodeSpan ch = node_children(w, node);
    VEC(States *) outcomes = {0};
    States *current = states_hold(*st);
    int has_else = 0, rc = 0;
    for (size_t i = 0; i < ch.n && rc == 0; i++) {
        has_else = has_else || pm_has(&w->elses, ch.v[i].id);
        if (pm_has(&w->alternatives, ch.v[i].id)) {
            States *after = states_hold(*st);
            rc = walk(w, ch.v[i], &after, out);
            VEC_PUSH(outcomes, after);
        } else {
            rc = walk(w, ch.v[i], &current, out);
        }
    }
    VEC_PUSH(outcomes, current);
    if (f->keep == KEEP_ALWAYS || (f->keep != KEEP_NEVER && !has_else)) VEC_PUSH(outcomes, states_hold(*st));
    States *merged = states_new();  /* each name's positions from every outcome, sorted */
    for (size_t o = 0; o < outcomes.n && rc == 0; o++) {
        const States *one = outcomes.v[o];
        for (size_t i = 0; i < one->keys.n; i++) {
            int32_t k = pm_get(&merged->at, (void *)(uintptr_t)(one->keys.v[i] + 1));
            if (k < 0) states_set(merged, one->keys.v[i], one->vals.v[i].v, one->vals.v[i].n);
            else intvec_extend(&merged->vals.v[k], one->vals.v[i].v, one->vals.v[i].n);
        }
    }
    for (size_t i = 0; i < merged->vals.n; i++) sorted_unique(&merged->vals.v[i]);
    for (size_t o = 0; o < outcomes.n; o++) states_drop(outcomes.v[o]);
    VEC_FREE(outcomes);
    if (rc < 0) { states_drop(merged); return -1; }
    states_drop(*st); *st = merged;
    return 0;
}

/* One entry's parents united with another's: names in the union's order, positions
 * sorted (`merge_loop` and the per-position merge of `extract_dataflow`). */
static void unite_parents(W *w, Entry *old, const Entry *x, IntVec *tmp) {
    tmp->n = 0;
    intvec_extend(tmp, old->names.v, old->names.n);
    intvec_extend(tmp, x->names.v, x->names.n);
    name_union(w, tmp->v, tmp->n, &old->names);
    intvec_extend(&old->idxs, x->idxs.v, x->idxs.n);
    sorted_unique(&old->idxs);
}

static void merge_loop(W *w, EntryVec *out, size_t base) {
    EntryVec merged = {0};
    PtrMap at = {0};
    IntVec tmp = {0};
    for (size_t i = base; i < out->n; i++) {
        Entry *x = &out->v[i];
        uintptr_t key = ((((uintptr_t)(uint32_t)x->idx) << 32) | (((uintptr_t)(uint32_t)x->name) << 1) | (uintptr_t)x->rel) + 1;
        int32_t k = pm_get(&at, (void *)key);
        if (k < 0) { pm_put(&at, (void *)key, (int32_t)merged.n); VEC_PUSH(merged, *x); continue; }
        Entry *old = &merged.v[k];
        unite_parents(w, old, x, &tmp);
        entry_free(x);
    }
    out->n = base;
    sort_entries(merged.v, merged.n);
    for (size_t i = 0; i < merged.n; i++) VEC_PUSH(*out, merged.v[i]);
    VEC_FREE(merged); pm_free(&at); VEC_FREE(tmp);
}

static int loop(W *w, TSNode node, const Flow *f, States **st, EntryVec *out) {
    size_t base = out->n;
    int rc = 0;
    if (f->targets.n) {
        for (int pass = 0; pass < 2 && rc == 0; pass++) {
            rc = assign(w, node, f, st, out, REL_COMPUTED);
            if (rc == 0) rc = walk_all(w, f->body.v, f->body.n, st, out);
        }
    } else {
        NodeSpan ch = node_children(w, node);
        rc = walk_all(w, ch.v, ch.n, st, out);
        if (rc == 0 && (f->has_once || f->again.n)) {
            rc = walk_all(w, f->again.v, f->again.n, st, out);
            if (rc == 0 && f->has_once) {
                pm_put(&w->skip, f->once.id, 1);
                rc = walk_all(w, ch.v, ch.n, st, out);
                pm_del(&w->skip, f->once.id);
            }
        } else if (rc == 0) {
            rc = walk_all(w, ch.v, ch.n, st, out);
        }
       
    }
    if (rc == 0) merge_loop(w, out, base);
    return rc;
}

static int walk(W *w, TSNode node, States **st, EntryVec *out) {
    const void *id = node.id;
    if (w->skip.n && pm_has(&w->skip, id)) return 0;
    uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
    const Token *t = token_of(w, node, start, end);
    if (t) return leaf(w, id, t, st, out);
    size_t i = bisect_left(&w->live, start);
    if (i == w->live.n || w->live.v[i] >= (int64_t)end) return 0;
    int32_t fi = pm_get(&w->flow_of, id);
    int scoped = !w->e->compat && pm_has(&w->scopes, id);
    if (scoped) {
        int32_t s = pm_get(&w->scope_index, id);
        if (s < 0) { s = (int32_t)w->scope_index.n; pm_put(&w->scope_index, id, s); }
        VEC_PUSH(w->scope_stack, s);
    }
    int rc;
    if (fi < 0) rc = sequence(w, node, st, out);
    else {
        const Flow *f = &w->flows.v[fi];
        switch (f->kind) {
        case C_FLOW_DEFINE: rc = define(w, node, f, st, out); break;
        case C_FLOW_ASSIGN: rc = assign(w, node, f, st, out, REL_COMPUTED); break;
        case C_FLOW_UPDATE: rc = update(w, node, f, st, out); break;
        case C_FLOW_BRANCH: rc = branch(w, node, f, st, out); break;
        case C_FLOW_LOOP: rc = loop(w, node, f, st, out); break;
        default: rc = 0; break;
        }
    }
    if (scoped) w->scope_stack.n--;
    return rc;
}

/* ---- extract_dataflow + normalize ----------------------------------------------------- */

static PyObject *var_name(Engine *e, Py_ssize_t i) {
    while (PyList_GET_SIZE(e->vars) <= i) {
        PyObject *s = PyUnicode_FromFormat("var_%zd", PyList_GET_SIZE(e->vars));
        if (!s || PyList_Append(e->vars, s) < 0) { Py_XDECREF(s); return NULL; }
        Py_DECREF(s);
    }
    PyObject *s = PyList_GET_ITEM(e->vars, i);
    Py_INCREF(s);
    return s;
}

static PyObject *dataflow(W *w, TSNode root) {
    Engine *e = w->e;
    EntryVec entries = {0};
    States *states = states_new();
    PyObject *result = NULL;
    pm_put(&w->scope_index, root.id, 0);
    VEC_PUSH(w->scope_stack, 0);
    if (walk(w, root, &states, &entries) < 0) goto done;
    sort_entries(entries.v, entries.n);
    PtrMap linked = {0}, at = {0};
    for (size_t i = 0; i < entries.n; i++) {
        Entry *x = &entries.v[i];
        if (!x->idxs.n) continue;
        pm_put(&linked, (void *)((uintptr_t)x->idx + 1), 1);
        for (size_t k = 0; k < x->idxs.n; k++) pm_put(&linked, (void *)((uintptr_t)x->idxs.v[k] + 1), 1);
    }
    EntryVec merged = {0};
    IntVec tmp = {0};
    for (size_t i = 0; i < entries.n; i++) {
        Entry *x = &entries.v[i];
        const void *key = (void *)((uintptr_t)x->idx + 1);
        if (!pm_has(&linked, key)) { entry_free(x); continue; }
        int32_t k = pm_get(&at, key);
        if (k < 0) { pm_put(&at, key, (int32_t)merged.n); VEC_PUSH(merged, *x); continue; }
        Entry *old = &merged.v[k];
        unite_parents(w, old, x, &tmp);
        old->name = x->name; old->rel = x->rel;
        entry_free(x);
    }
    entries.n = 0;
    pm_free(&linked); pm_free(&at); VEC_FREE(tmp);
    /* normalize: each name becomes var_<n>, n counting names in order of first use */
    IntVec var_of = {0};  /* code -> n + 1, 0 while unnamed */
    for (size_t i = 0; i < w->codes.n; i++) VEC_PUSH(var_of, 0);
    int32_t named = 0;
    result = PyList_New(0);
    for (size_t i = 0; result && i < merged.n; i++) {
        Entry *x = &merged.v[i];
        PyObject *parents = PyTuple_New((Py_ssize_t)x->names.n);
        if (!parents) { Py_CLEAR(result); break; }
        for (size_t k = 0; k <= x->names.n && result; k++) {
            int32_t code = k < x->names.n ? x->names.v[k] : x->name;
            if (!var_of.v[code]) var_of.v[code] = ++named;
            PyObject *var = var_name(e, var_of.v[code] - 1);
            if (!var) { Py_CLEAR(result); break; }
            if (k < x->names.n) PyTuple_SET_ITEM(parents, k, var);
            else {
                PyObject *rel = x->rel == REL_COMES ? e->rel_comes : e->rel_computed;
                PyObject *t = PyTuple_Pack(3, var, rel, parents);
                Py_DECREF(var);
                if (!t || PyList_Append(result, t) < 0) Py_CLEAR(result);
                Py_XDECREF(t);
            }
        }
        Py_DECREF(parents);
    }
    VEC_FREE(var_of);
    for (size_t i = 0; i < merged.n; i++) entry_free(&merged.v[i]);
    VEC_FREE(merged);
done:
    for (size_t i = 0; i < entries.n; i++) entry_free(&entries.v[i]);
    VEC_FREE(entries);
    states_drop(states);
    return result;
}

/* ---- parse and strip -------------------------------------------------------------------- */

typedef struct { uint32_t a, b; } Span;
static int span_cmp(const void *x, const void *y) {
    const Span *p = x, *q = y;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* the row and byte column of ``offset``, given the offsets of every newline */
static TSPoint point_at(const IntVec *lines, uint32_t offset) {
    size_t lo = 0, hi = lines->n;
    while (lo < hi) { size_t mid = (lo + hi) / 2; if ((uint32_t)lines->v[mid] < offset) lo = mid + 1; else hi = mid; }
    TSPoint p = {(uint32_t)lo, lo ? offset - (uint32_t)lines->v[lo - 1] - 1 : offset};
    return p;
}

/* `parse_stripped`: the final tree; *stripped is set to a malloc'd copy when stripping happened */
static TSTree *parse_stripped(Engine *e, const char *src, uint32_t len, char **stripped, uint32_t *slen) {
    *stripped = NULL; *slen = len;

    TSTree *tree = ts_parser_parse_string(e->parser, NULL, src, len);
    if (!tree || !e->strip.q) return tree;
    VEC(Span) spans = {0};
    TSQueryCursor *qc = ts_query_cursor_new();
    ts_query_cursor_exec(qc, e->strip.q, ts_tree_root_node(tree));
    TSQueryMatch m;
    Source s = {src, len};
    while (ts_query_cursor_next_match(qc, &m)) {
        if (!satisfies(&e->strip, &m, s)) continue;
        for (uint16_t c = 0; c < m.capture_count; c++) {
            if (e->strip.cap_kind[m.captures[c].index] != C_STRIP) continue;
            Span sp = {ts_node_start_byte(m.captures[c].node), ts_node_end_byte(m.captures[c].node)};
            VEC_PUSH(spans, sp);
        }
    }
    ts_query_cursor_delete(qc);
    if (!spans.n) { VEC_FREE(spans); return tree; }
    qsort(spans.v, spans.n, sizeof(Span), span_cmp);
    size_t k = 0;
    for (size_t i = 0; i < spans.n; i++) {
        if (k && spans.v[i].a == spans.v[k - 1].a && spans.v[i].b == spans.v[k - 1].b) continue;  /* the set */
        if (k && spans.v[i].a < spans.v[k - 1].b) {
            if (spans.v[i].b > spans.v[k - 1].b) spans.v[k - 1].b = spans.v[i].b;
        } else spans.v[k++] = spans.v[i];
    }
    char *out = malloc(len + k + 1);
    if (!out) abort();
    uint32_t n = 0, last = 0;
    for (size_t i = 0; i < k; i++) {
        uint32_t a = spans.v[i].a, b = spans.v[i].b;
        if (a > last) { memcpy(out + n, src + last, a - last); n += a - last; }
        out[n++] = ' ';
        last = b > last ? b : last;
    }
    if (len > last) { memcpy(out + n, src + last, len - last); n += len - last; }
    /* Tell the first tree what changed, last span first (the earlier offsets still hold),
     * and parse again from it: tree-sitter reuses every subtree the edits leave alone. */
    IntVec lines = {0};
    for (uint32_t i = 0; i < len; i++) if (src[i] == '\n') VEC_PUSH(lines, (int32_t)i);
    for (size_t i = k; i-- > 0;) {
        uint32_t a = spans.v[i].a, b = spans.v[i].b;
        TSInputEdit edit = {a, b, a + 1, point_at(&lines, a), point_at(&lines, b), point_at(&lines, a)};
        edit.new_end_point.column++;
        ts_tree_edit(tree, &edit);
    }
    VEC_FREE(lines);
    VEC_FREE(spans);
    *stripped = out; *slen = n;
    TSTree *again = ts_parser_parse_string(e->parser, tree, out, n);
    ts_tree_delete(tree);
    return again;
}

/* ---- the Python type ------------------------------------------------------------------------- */

static PyObject *engine_analyse(Engine *e, PyObject *arg) {
    if (!e->parser) { PyErr_SetString(PyExc_RuntimeError, "Engine is not initialised"); return NULL; }
    if (!PyBytes_Check(arg)) { PyErr_SetString(PyExc_TypeError, "analyse() takes UTF-8 bytes"); return NULL; }
    const char *src = PyBytes_AS_STRING(arg);
    Py_ssize_t len0 = PyBytes_GET_SIZE(arg);
    if (len0 > (Py_ssize_t)UINT32_MAX / 2) { PyErr_SetString(PyExc_ValueError, "text too long"); return NULL; }
    char *stripped; uint32_t len;
    TSTree *tree = parse_stripped(e, src, (uint32_t)len0, &stripped, &len);
    if (!tree) { free(stripped); PyErr_SetString(PyExc_RuntimeError, "tree-sitter could not parse"); return NULL; }
    TSNode root = ts_tree_root_node(tree);
    W w; memset(&w, 0, sizeof w);
    w.e = e;
    w.src.src = stripped ? stripped : src; w.src.len = len;
    w.cursor = ts_tree_cursor_new(root);
    PyObject *keys = NULL, *tokens = NULL, *edges = NULL, *result = NULL;
    IntVec kv = {0};
    read_captures(&w, root);
    if (scan(&w, root, &kv) < 0) goto done;
    keys = PyList_New((Py_ssize_t)kv.n);
    if (!keys) goto done;
    for (size_t i = 0; i < kv.n; i++) {
        PyObject *k = PyLong_FromLong(kv.v[i]);
        if (!k) goto done;
        PyList_SET_ITEM(keys, (Py_ssize_t)i, k);
    }
    if (e->compat) { tokens = Py_None; Py_INCREF(tokens); }
    else if (!(tokens = code_tokens(&w, root))) goto done;
    if (make_tokens(&w) < 0) goto done;
    if (!(edges = dataflow(&w, root))) goto done;
    result = PyTuple_Pack(3, tokens, keys, edges);
done:
    Py_XDECREF(keys); Py_XDECREF(tokens); Py_XDECREF(edges);
    VEC_FREE(kv);
    ts_tree_cursor_delete(&w.cursor);
    w_free(&w);
    ts_tree_delete(tree);
    free(stripped);
    if (!result && !PyErr_Occurred()) PyErr_SetString(PyExc_RuntimeError, "native analysis failed");
    return result;
}

/* matches(source): the flow query's matches in the final tree, found as analyse() finds them
 * (by the scan plan, or by tree-sitter's cursor), sorted; for the tests */
static PyObject *engine_matches(Engine *e, PyObject *arg) {
    if (!e->parser) { PyErr_SetString(PyExc_RuntimeError, "Engine is not initialised"); return NULL; }
    if (!PyBytes_Check(arg)) { PyErr_SetString(PyExc_TypeError, "matches() takes UTF-8 bytes"); return NULL; }
    if (PyBytes_GET_SIZE(arg) > (Py_ssize_t)UINT32_MAX / 2) { PyErr_SetString(PyExc_ValueError, "text too long"); return NULL; }
    char *stripped; uint32_t len;
    TSTree *tree = parse_stripped(e, PyBytes_AS_STRING(arg), (uint32_t)PyBytes_GET_SIZE(arg), &stripped, &len);
    if (!tree) { free(stripped); PyErr_SetString(PyExc_RuntimeError, "tree-sitter could not parse"); return NULL; }
    W w; memset(&w, 0, sizeof w);
    w.e = e;
    w.src.src = stripped ? stripped : PyBytes_AS_STRING(arg); w.src.len = len;
    w.listed = PyList_New(0);
    if (w.listed && e->flow.q && !e->flow.shallow) read_captures(&w, ts_tree_root_node(tree));
    else if (w.listed && e->flow.shallow) {  /* every node, in the scan's order */
        TSTreeCursor cur = ts_tree_cursor_new(ts_tree_root_node(tree));
        for (;;) {
            match_at(&w, ts_tree_cursor_current_node(&cur));
            if (ts_tree_cursor_goto_first_child(&cur)) continue;
            while (!ts_tree_cursor_goto_next_sibling(&cur))
                if (!ts_tree_cursor_goto_parent(&cur)) goto walked;
        }
    walked:
        ts_tree_cursor_delete(&cur);
    }
    PyObject *result = w.listed;
    if (result && (w.failed || PyList_Sort(result) < 0)) Py_CLEAR(result);
    w.listed = NULL;
    w_free(&w);
    ts_tree_delete(tree);
    free(stripped);
    return result;
}

static void engine_dealloc(Engine *e) {
    if (e->owner) Py_DECREF(e->owner);
    else {
        query_free(&e->flow); query_free(&e->strip);
        free(e->strip_prefix); free(e->kind_label); free(e->kind_named); free(e->kind_whole); free(e->kind_comment);
    }
    if (e->parser) ts_parser_delete(e->parser);
    Py_XDECREF(e->capsule); Py_XDECREF(e->labels); Py_XDECREF(e->label_names);
    kt_free(&e->keys);
    Py_XDECREF(e->vars); Py_XDECREF(e->rel_comes); Py_XDECREF(e->rel_computed);
    PyTypeObject *tp = Py_TYPE(e);
    tp->tp_free((PyObject *)e);
}

/* Engine(language_capsule, compat, flow_source|None, strip_source|None, strip_prefix, names, named, whole,
 *        flow_plan=None)
 * names/named: the language's kinds (`Kinds`) by kind id, ERROR (0xFFFF) last;
 * whole: the names of the kinds taken as one token (compat);
 * flow_plan: `plan.scan_plan` of the flow query, matched during the scan instead of by a cursor. */
static int engine_init(Engine *e, PyObject *args, PyObject *kw) {
    PyObject *capsule, *flow_src, *strip_src, *names, *named, *whole, *flow_plan = Py_None;
    const char *prefix; int compat;
    if (!PyArg_ParseTuple(args, "OpOOsO!O!O|O", &capsule, &compat, &flow_src, &strip_src, &prefix,
                          &PyList_Type, &names, &PyList_Type, &named, &whole, &flow_plan)) return -1;
    if (e->parser) { PyErr_SetString(PyExc_RuntimeError, "Engine is initialised once"); return -1; }
    e->lang = PyCapsule_GetPointer(capsule, "tree_sitter.Language");
    if (!e->lang) return -1;
    Py_INCREF(capsule); e->capsule = capsule;
    e->compat = compat;
    e->strip_prefix = dup_n(prefix, (uint32_t)strlen(prefix));
    e->labels = PyDict_New(); e->label_names = PyList_New(0); e->vars = PyList_New(0);
    e->rel_comes = PyUnicode_InternFromString("comesFrom");
    e->rel_computed = PyUnicode_InternFromString("computedFrom");
    if (!e->labels || !e->label_names || !e->vars || !e->rel_comes || !e->rel_computed) return -1;
    Py_ssize_t n = PyList_GET_SIZE(names);
    if (n < 1 || PyList_GET_SIZE(named) != n) { PyErr_SetString(PyExc_ValueError, "bad kind tables"); return -1; }
    e->nkinds = (uint32_t)n;
    e->kind_label = calloc(n, sizeof(int32_t));
    e->kind_named = calloc(n, 1); e->kind_whole = calloc(n, 1); e->kind_comment = calloc(n, 1);
    if (!e->kind_label || !e->kind_named || !e->kind_whole || !e->kind_comment) { PyErr_NoMemory(); return -1; }
    PyObject *comment = PyUnicode_FromString("comment");
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *name = PyList_GET_ITEM(names, i);
        if (!PyUnicode_Check(name)) { Py_XDECREF(comment); PyErr_SetString(PyExc_TypeError, "kind names are str"); return -1; }
        if ((e->kind_label[i] = label_id(e, name)) < 0) { Py_XDECREF(comment); return -1; }
        e->kind_named[i] = (char)PyObject_IsTrue(PyList_GET_ITEM(named, i));
        int w = PySequence_Contains(whole, name);
        if (w < 0) { Py_XDECREF(comment); return -1; }
        e->kind_whole[i] = (char)w;
        e->kind_comment[i] = PyUnicode_Compare(name, comment) == 0;
    }
    Py_XDECREF(comment);
    PyObject *ident = PyUnicode_FromString("identifier"), *comma = PyUnicode_FromString(",");
    e->label_identifier = ident ? label_id(e, ident) : -1;
    e->label_comma = comma ? label_id(e, comma) : -1;
    Py_XDECREF(ident); Py_XDECREF(comma);
    if (e->label_identifier < 0 || e->label_comma < 0) return -1;
    e->parser = ts_parser_new();
    if (!ts_parser_set_language(e->parser, e->lang)) {
        PyErr_SetString(PyExc_ValueError, "incompatible tree-sitter language version"); return -1;
    }
    if (query_compile(e, &e->flow, flow_src, NULL) < 0) return -1;
    if (plan_compile(e, &e->flow, flow_plan) < 0) return -1;
    if (query_compile(e, &e->strip, strip_src, e->strip_prefix) < 0) return -1;
    return 0;
}

static PyObject *engine_planned(Engine *e, PyObject *Py_UNUSED(ignored)) {
    return PyBool_FromLong(e->flow.shallow != NULL);
}

static PyObject *engine_interned(Engine *e, PyObject *Py_UNUSED(ignored)) {
    return PyLong_FromSize_t(e->keys.n);
}

static PyObject *engine_clear(Engine *e, PyObject *Py_UNUSED(ignored)) {
    kt_free(&e->keys);
    Py_RETURN_NONE;
}

/* fresh(): a new engine with an empty interner that shares this one's compiled queries and
 * kind tables (compiling the queries is most of the cost of making an engine). */
static PyObject *engine_fresh(Engine *e, PyObject *Py_UNUSED(ignored)) {
    if (!e->parser) { PyErr_SetString(PyExc_RuntimeError, "Engine is not initialised"); return NULL; }
    Engine *copy = (Engine *)PyType_GenericNew(Py_TYPE(e), NULL, NULL);
    if (!copy) return NULL;
    TSParser *parser = ts_parser_new();
    if (!parser || !ts_parser_set_language(parser, e->lang)) {
        if (parser) ts_parser_delete(parser);
        Py_DECREF(copy);
        return PyErr_Occurred() ? NULL : PyErr_NoMemory();
    }
    memcpy((char *)copy + sizeof(PyObject), (char *)e + sizeof(PyObject), sizeof(Engine) - sizeof(PyObject));
    PyObject *owner = e->owner ? e->owner : (PyObject *)e;
    Py_INCREF(owner); copy->owner = owner;
    copy->parser = parser;
    memset(&copy->keys, 0, sizeof copy->keys);
    Py_XINCREF(copy->capsule); Py_XINCREF(copy->labels); Py_XINCREF(copy->label_names);
    Py_XINCREF(copy->vars); Py_XINCREF(copy->rel_comes); Py_XINCREF(copy->rel_computed);
    return (PyObject *)copy;
}

static PyMethodDef engine_methods[] = {
    {"fresh", (PyCFunction)engine_fresh, METH_NOARGS,
     "fresh() -> Engine: an empty interner, this engine's compiled queries and tables."},
    {"analyse", (PyCFunction)engine_analyse, METH_O,
     "analyse(source: bytes) -> (tokens | None, subtree keys, dataflow edges)"},
    {"matches", (PyCFunction)engine_matches, METH_O,
     "matches(source: bytes) -> sorted [(pattern, ((capture, start, end), ...))] of the flow query"},
    {"planned", (PyCFunction)engine_planned, METH_NOARGS,
     "Whether the flow query is matched during the scan (a scan plan) rather than by a cursor."},
    {"interned", (PyCFunction)engine_interned, METH_NOARGS, "Number of distinct subtree keys."},
    {"clear", (PyCFunction)engine_clear, METH_NOARGS, "Forget every subtree key."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject EngineType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "polyglot.metrics.codebleu._native.Engine",
    .tp_basicsize = sizeof(Engine),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "One language's CodeBLEU analysis, in C.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)engine_init,
    .tp_dealloc = (destructor)engine_dealloc,
    .tp_methods = engine_methods,
};

/* strip_python(text): codebleu 0.7.0's tokenize-based stripping of Python source, or None
 * where tokenize would raise (pystrip.c) */
static PyObject *strip_python(PyObject *module, PyObject *arg) {
    (void)module;
    if (!PyUnicode_Check(arg)) { PyErr_SetString(PyExc_TypeError, "strip_python() takes a str"); return NULL; }
    Py_ssize_t n;
    const char *src = PyUnicode_AsUTF8AndSize(arg, &n);
    if (!src) return NULL;  /* a lone surrogate: the caller falls back to tokenize itself */
    char *out; size_t len;
    int rc = py_tokenize_strip(src, (size_t)n, &out, &len);
    if (rc < 0) return NULL;
    if (rc > 0) Py_RETURN_NONE;
    PyObject *r = PyUnicode_DecodeUTF8(out, (Py_ssize_t)len, "strict");
    PyMem_Free(out);
    return r;
}

/* strip_slash_comments(text): codebleu 0.7.0's comment-removing expression for its C-family
 * languages (slashstrip.c) */
static PyObject *strip_slash_comments(PyObject *module, PyObject *arg) {
    (void)module;
    if (!PyUnicode_Check(arg)) { PyErr_SetString(PyExc_TypeError, "strip_slash_comments() takes a str"); return NULL; }
    Py_ssize_t n;
    const char *src = PyUnicode_AsUTF8AndSize(arg, &n);
    if (!src) return NULL;  /* a lone surrogate: the caller falls back to `re` */
    char *out; size_t len;
    if (slash_comment_strip(src, (size_t)n, &out, &len) < 0) return NULL;
    PyObject *r = PyUnicode_DecodeUTF8(out, (Py_ssize_t)len, "strict");
    PyMem_Free(out);
    return r;
}

static PyMethodDef native_functions[] = {
    {"strip_python", strip_python, METH_O,
     "strip_python(text: str) -> str | None: codebleu 0.7.0's tokenize loop over Python source; "
     "None where tokenize raises"},
    {"strip_slash_comments", strip_slash_comments, METH_O,
     "strip_slash_comments(text: str) -> str: codebleu 0.7.0's comment-removing expression for "
     "its C-family languages, with the lines it leaves blank dropped"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef native_module = {
    PyModuleDef_HEAD_INIT, "_native", "CodeBLEU's per-text analysis over the tree-sitter C API.", -1,
    native_functions,
};

PyMODINIT_FUNC PyInit__native(void) {
    ts_set_allocator(PyMem_Malloc, PyMem_Calloc, PyMem_Realloc, PyMem_Free);
    if (PyType_Ready(&EngineType) < 0) return NULL;
    PyObject *m = PyModule_Create(&native_module);
    if (!m) return NULL;
    Py_INCREF(&EngineType);
    if (PyModule_AddObject(m, "Engine", (PyObject *)&EngineType) < 0) {
        Py_DECREF(&EngineType); Py_DECREF(m); return NULL;
    }
    return m;
}

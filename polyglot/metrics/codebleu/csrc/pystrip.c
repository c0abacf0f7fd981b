/* codebleu 0.7.0 strips Python source with a loop over the standard library's `tokenize`
 * (`remove_comments_and_docstrings`, run under CPython 3.11): it writes every token back
 * at its column, leaves out comments and each string that opens a logical line or
 * starts at column 0 (a "docstring"), then drops the lines left blank; when tokenize
 * raises, the text is kept whole. This file replays that loop over UTF-8 bytes, token
 * rule by token rule (Lib/tokenize.py `_tokenize`), without making token objects: what
 * reaches the output is only each token's text, its position and whether it is a
 * comment, a string, a newline, an indent or something else.
 *
 * `source.TokenizeStripper` runs the real loop; tests/metrics/codebleu/test_native.py
 * holds the two equal on every test text, cut short at many places too. */
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "pystrip.h"

enum { T_OTHER, T_COMMENT, T_STRING, T_NL, T_NEWLINE, T_INDENT, T_DEDENT };
#define TABSIZE 8

typedef struct { char *v; size_t n, cap; } Buf;

static int buf_add(Buf *b, const char *s, size_t n) {
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n) cap *= 2;
        char *v = PyMem_Realloc(b->v, cap);
        if (!v) return -1;
        b->v = v; b->cap = cap;
    }
    memcpy(b->v + b->n, s, n);
    b->n += n;
    return 0;
}

static int buf_spaces(Buf *b, size_t n) {
    static const char spaces[64] = "                                                                ";
    for (; n > 64; n -= 64) if (buf_add(b, spaces, 64) < 0) return -1;
    return buf_add(b, spaces, n);
}

/* the loop's own state: the text so far, the last token's type and where it ended */
typedef struct { Buf out; int prev; long last_line; size_t last_col; int failed; } Loop;

static void emit(Loop *l, int type, long line, size_t col, long end_line, size_t end_col,
                 const char *text, size_t len) {
    if (line > l->last_line) l->last_col = 0;
    if (col > l->last_col && buf_spaces(&l->out, col - l->last_col) < 0) l->failed = 1;
    int keep = type != T_COMMENT
        && (type != T_STRING || (l->prev != T_INDENT && l->prev != T_NEWLINE && col > 0));
    if (keep && buf_add(&l->out, text, len) < 0) l->failed = 1;
    l->prev = type; l->last_col = end_col; l->last_line = end_line;
}

/* ---- characters ----------------------------------------------------------------------- */

static uint32_t decode(const char *s, size_t n, size_t *width) {  /* one UTF-8 code point */
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c = u[0];
    size_t w = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (w > n) w = 1;
    if (w > 1) {
        c &= 0x7F >> w;
        for (size_t i = 1; i < w; i++) c = (c << 6) | (u[i] & 0x3F);
    }
    *width = w;
    return c;
}

static size_t word_char(const char *s, size_t n) {  /* re's \w: width of the character, or 0 */
    size_t w;
    uint32_t c = decode(s, n, &w);
    return (c == '_' || Py_UNICODE_ISALNUM(c)) ? w : 0;
}

static int blank(const char *s, size_t n) {  /* str.strip() leaves nothing */
    for (size_t i = 0, w; i < n; i += w)
        if (!Py_UNICODE_ISSPACE(decode(s + i, n - i, &w))) return 0;
    return 1;
}

static int is_prefix(const char *s, size_t n) {  /* a string prefix: b r u f br rb fr rf, any case */
    char a = n > 0 ? (char)(s[0] | 0x20) : 0, b = n > 1 ? (char)(s[1] | 0x20) : 0;
    if (n == 0) return 1;
    if (n == 1) return a == 'b' || a == 'r' || a == 'u' || a == 'f';
    return n == 2 && ((a == 'r' && (b == 'b' || b == 'f')) || ((a == 'b' || a == 'f') && b == 'r'));
}

/* ---- string bodies ---------------------------------------------------------------------- */

/* the end of a triple-quoted string's body in s[0..n) (`Single3`/`Double3`), or -1 */
static long triple_end(const char *s, size_t n, char q) {
    for (size_t i = 0; i < n;) {
        if (s[i] == q) {
            if (i + 2 < n && s[i + 1] == q && s[i + 2] == q) return (long)(i + 3);
            i++;
        } else if (s[i] == '\\') {
            if (i + 1 >= n || s[i + 1] == '\n') return -1;
            i += 2;
        } else i++;
    }
    return -1;
}

/* the end of a continued one-line string's rest (`Single`/`Double`), or -1 */
static long single_end(const char *s, size_t n, char q) {
    for (size_t i = 0; i < n;) {
        if (s[i] == q) return (long)(i + 1);
        if (s[i] == '\\') {
            if (i + 1 >= n || s[i + 1] == '\n') return -1;
            i += 2;
        } else i++;
    }
    return -1;
}

/* `ContStr` from the quote at s[0]: 1 and *end for a closed string, 2 for one continued by
 * a backslash at the end of the line, 0 when neither */
static int one_line_string(const char *s, size_t n, size_t *end) {
    char q = s[0];
    for (size_t i = 1; i < n;) {
        char c = s[i];
        if (c == q) { *end = i + 1; return 1; }
        if (c == '\n') return 0;
        if (c == '\\') {
            if (i + 1 < n && s[i + 1] == '\n') { *end = i + 2; return 2; }
            if (i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n') { *end = i + 3; return 2; }
            if (i + 1 >= n) return 0;
            i += 2;
        } else i++;
    }
    return 0;
}

static int ends_continued(const char *line, size_t n) {
    return (n >= 2 && line[n - 2] == '\\' && line[n - 1] == '\n')
        || (n >= 3 && line[n - 3] == '\\' && line[n - 2] == '\r' && line[n - 1] == '\n');
}

static int is_operator(const char *s, size_t n) {  /* a character `Special` starts a token with */
    char c = s[0];
    if (c == '!') return n > 1 && s[1] == '=';
    return c && strchr("%&()*+,-./:;<=>@[]^{|}~", c) != NULL;
}

/* ---- the loop ------------------------------------------------------------------------------ */

int py_tokenize_strip(const char *src, size_t len, char **out, size_t *out_len) {
    Loop l = {{0}, T_INDENT, -1, 0, 0};
    long *indents = PyMem_Malloc(64 * sizeof(long)); size_t depth = 1, room = 64;
    if (!indents) { PyErr_NoMemory(); return -1; }
    indents[0] = 0;
    long lnum = 0, parenlev = 0;
    int continued = 0;
    /* a string running over lines: where it started, how it ends */
    int in_string = 0, needcont = 0, triple = 0; char quote = 0;
    long str_line = 0; size_t str_col = 0; const char *str_at = NULL;
    const char *last_line = NULL; size_t last_len = 0;
    const char *line = NULL; size_t max = 0;
    size_t at = 0;
    int error = 0;
    for (;;) {
        last_line = line; last_len = max;
        const char *nl = at < len ? memchr(src + at, '\n', len - at) : NULL;
        line = src + at;
        max = at < len ? (nl ? (size_t)(nl - line) + 1 : len - at) : 0;
        at += max;
        lnum++;
        size_t pos = 0;
        if (in_string) {
            if (!max) { error = 1; break; }                       /* EOF in multi-line string */
            long end = triple ? triple_end(line, max, quote) : single_end(line, max, quote);
            if (end >= 0) {
                pos = (size_t)end;
                emit(&l, T_STRING, str_line, str_col, lnum, pos, str_at, (size_t)(line + pos - str_at));
                in_string = needcont = 0;
            } else if (needcont && !ends_continued(line, max)) {
                emit(&l, T_OTHER, str_line, str_col, lnum, max, str_at, (size_t)(line + max - str_at));
                in_string = 0;
                continue;
            } else {
                continue;
            }
        } else if (parenlev == 0 && !continued) {                 /* a new statement */
            if (!max) break;
            long column = 0;
            for (; pos < max; pos++) {
                if (line[pos] == ' ') column++;
                else if (line[pos] == '\t') column = (column / TABSIZE + 1) * TABSIZE;
                else if (line[pos] == '\f') column = 0;
                else break;
            }
            if (pos == max) break;
            char c = line[pos];
            if (c == '#' || c == '\r' || c == '\n') {               /* a comment or blank line */
                if (c == '#') {
                    size_t clen = max - pos;
                    while (clen && (line[pos + clen - 1] == '\r' || line[pos + clen - 1] == '\n')) clen--;
                    emit(&l, T_COMMENT, lnum, pos, lnum, pos + clen, line + pos, clen);
                    pos += clen;
                }
                emit(&l, T_NL, lnum, pos, lnum, max, line + pos, max - pos);
                continue;
            }
            if (column > indents[depth - 1]) {
                if (depth == room) {
                    long *more = PyMem_Realloc(indents, 2 * room * sizeof(long));
                    if (!more) { l.failed = 1; break; }
                    indents = more; room *= 2;
                }
                indents[depth++] = column;
                emit(&l, T_INDENT, lnum, 0, lnum, pos, line, pos);
            }
            while (column < indents[depth - 1]) {
                int known = 0;
                for (size_t k = 0; k < depth && !known; k++) known = indents[k] == column;
                if (!known) { error = 1; break; }                 /* IndentationError */
                depth--;
                emit(&l, T_DEDENT, lnum, pos, lnum, pos, "", 0);
            }
            if (error) break;
        } else {                                                  /* a continued statement */
            if (!max) { error = 1; break; }                       /* EOF in multi-line statement */
            continued = 0;
        }
        while (pos < max) {
            size_t p = pos;
            while (p < max && (line[p] == ' ' || line[p] == '\f' || line[p] == '\t')) p++;
            const char *s = line + p;
            size_t n = max - p, end = 0;
            int type = T_OTHER, matched = 1;
            if (!n) { pos = p; continue; }                        /* \Z */
            size_t run = 0;                                       /* a word (and maybe a prefix) */
            for (size_t w; run < n && (w = word_char(s + run, n - run)); run += w) {}
            size_t k = run <= 2 && run < n && (s[run] == '\'' || s[run] == '"') && is_prefix(s, run) ? run : SIZE_MAX;
            if (s[0] == '\\' && ((n > 1 && s[1] == '\n') || (n > 2 && s[1] == '\r' && s[2] == '\n'))) {
                continued = 1;
                pos = max;
                continue;
            } else if (s[0] == '#') {
                for (end = 1; end < n && s[end] != '\r' && s[end] != '\n'; end++) {}
                type = T_COMMENT;
            } else if (k != SIZE_MAX && k + 2 < n && s[k + 1] == s[k] && s[k + 2] == s[k]) {
                quote = s[k];
                long close = triple_end(s + k + 3, n - k - 3, quote);
                if (close < 0) {  /* runs over lines; `needcont` stays as a string left it (so in tokenize) */
                    in_string = 1; triple = 1;
                    str_line = lnum; str_col = p; str_at = s;
                    break;
                }
                end = k + 3 + (size_t)close;
                type = T_STRING;
            } else if ((s[0] >= '0' && s[0] <= '9') || (s[0] == '.' && n > 1 && s[1] >= '0' && s[1] <= '9')) {
                for (end = 1; end < n && (word_char(s + end, n - end) == 1 || s[end] == '.'); end++) {}
            } else if (s[0] == '\n' || (s[0] == '\r' && n > 1 && s[1] == '\n')) {
                end = s[0] == '\n' ? 1 : 2;
                type = parenlev > 0 ? T_NL : T_NEWLINE;
            } else if (is_operator(s, n)) {
                end = s[0] == '!' ? 2 : 1;
                if (strchr("([{", s[0])) parenlev++;
                else if (strchr(")]}", s[0])) parenlev--;
            } else {
                int found = 0;
                if (k != SIZE_MAX) {
                    size_t close;
                    found = one_line_string(s + k, n - k, &close);
                    if (found == 2) {                             /* continued by a backslash */
                        quote = s[k];
                        in_string = 1; triple = 0; needcont = 1;
                        str_line = lnum; str_col = p; str_at = s;
                        break;
                    }
                    if (found) { end = k + close; type = T_STRING; }
                }
                if (!found) {
                    if (run) end = run;
                    else matched = 0;
                }
            }
            if (!matched) {                                       /* ERRORTOKEN: one character */
                size_t w;
                decode(line + pos, max - pos, &w);
                emit(&l, T_OTHER, lnum, pos, lnum, pos + w, line + pos, w);
                pos += w;
                continue;
            }
            emit(&l, type, lnum, p, lnum, p + end, s, end);
            pos = p + end;
        }
        if (in_string) continue;
    }
    if (!error && !l.failed) {
        if (last_line && last_len && last_line[last_len - 1] != '\r' && last_line[last_len - 1] != '\n') {
            size_t i = 0;
            for (size_t w; i < last_len && Py_UNICODE_ISSPACE(decode(last_line + i, last_len - i, &w)); i += w) {}
            if (i >= last_len || last_line[i] != '#')
                emit(&l, T_NEWLINE, lnum - 1, last_len, lnum - 1, last_len + 1, "", 0);
        }
    }
    PyMem_Free(indents);
    if (error || l.failed) {
        PyMem_Free(l.out.v);
        if (l.failed) { PyErr_NoMemory(); return -1; }
        return 1;
    }
    /* the lines left blank go */
    Buf kept = {0};
    int first = 1, failed = 0;
    for (size_t i = 0; i <= l.out.n && !failed;) {
        const char *e = i < l.out.n ? memchr(l.out.v + i, '\n', l.out.n - i) : NULL;
        size_t n = e ? (size_t)(e - (l.out.v + i)) : l.out.n - i;
        if (!blank(l.out.v + i, n)) {
            if (!first) failed |= buf_add(&kept, "\n", 1) < 0;
            failed |= buf_add(&kept, l.out.v + i, n) < 0;
            first = 0;
        }
        if (!e) break;
        i += n + 1;
    }
    PyMem_Free(l.out.v);
    if (failed) { PyMem_Free(kept.v); PyErr_NoMemory(); return -1; }
    *out = kept.v; *out_len = kept.n;
    return 0;
}

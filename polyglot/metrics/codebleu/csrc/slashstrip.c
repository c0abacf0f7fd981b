/* codebleu 0.7.0's comment removal for its C-family languages, in C (compat mode).
 *
 * The package applies one regular expression with re.DOTALL | re.MULTILINE,
 *
 *     //.*?$|/\*.*?\*\/|'(?:\\.|[^\\'])*'|"(?:\\.|[^\\"])*"
 *
 * replacing each comment with one space and keeping each literal, then drops the lines
 * whose str.strip() is empty. `source.RegexStripper` does exactly that with `re`; this is
 * the same scan without a Python call per match. At each position the alternatives are
 * tried in order, as `re` tries them; where none matches (an unclosed comment or quote),
 * the position is kept and the scan moves on one byte. Bytes are UTF-8: every character
 * the expression names is ASCII, and the others pass through whole. */
#include <Python.h>
#include <string.h>

#include "pyspace.h"
#include "slashstrip.h"

/* the end of a match at src[i], or 0 if no alternative matches there */
static size_t match_end(const char *src, size_t len, size_t i, int *comment) {
    *comment = 0;
    if (src[i] == '/' && i + 1 < len && src[i + 1] == '/') {  /* //.*?$ : to the line's end */
        const char *nl = memchr(src + i, '\n', len - i);
        *comment = 1;
        return nl ? (size_t)(nl - src) : len;
    }
    if (src[i] == '/' && i + 1 < len && src[i + 1] == '*') {  /* /\*.*?\*\/ : to the first */
        for (size_t j = i + 2; j + 1 < len; j++)
            if (src[j] == '*' && src[j + 1] == '/') { *comment = 1; return j + 2; }
        return 0;
    }
    if (src[i] == '\'' || src[i] == '"') {  /* a literal: escapes, then its closing quote */
        char quote = src[i];
        for (size_t j = i + 1; j < len;) {
            if (src[j] == '\\') { if (j + 1 >= len) return 0; j += 2; }
            else if (src[j] == quote) return j + 1;
            else j++;
        }
    }
    return 0;
}

static int blank(const char *line, size_t n) {
    for (size_t i = 0, size; i < n; i += size)
        if (!py_isspace_utf8((const unsigned char *)line + i, n - i, &size)) return 0;
    return 1;
}

int slash_comment_strip(const char *src, size_t len, char **out, size_t *out_len) {
    char *subbed = PyMem_Malloc(len + 1), *kept = PyMem_Malloc(len + 1);
    if (!subbed || !kept) { PyMem_Free(subbed); PyMem_Free(kept); PyErr_NoMemory(); return -1; }
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        int comment;
        size_t end = match_end(src, len, i, &comment);
        if (!end) { subbed[n++] = src[i++]; continue; }
        if (comment) subbed[n++] = ' ';
        else { memcpy(subbed + n, src + i, end - i); n += end - i; }
        i = end;
    }
    size_t k = 0;  /* "\n".join(line for line in subbed.split("\n") if line.strip()) */
    for (size_t a = 0; a <= n;) {
        const char *nl = memchr(subbed + a, '\n', n - a);
        size_t b = nl ? (size_t)(nl - subbed) : n;
        if (!blank(subbed + a, b - a)) {
            if (k) kept[k++] = '\n';
            memcpy(kept + k, subbed + a, b - a); k += b - a;
        }
        a = b + 1;
    }
    PyMem_Free(subbed);
    *out = kept; *out_len = k;
    return 0;
}

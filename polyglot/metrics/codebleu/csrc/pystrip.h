/* codebleu 0.7.0's tokenize-based stripping of Python source (pystrip.c). */
#ifndef POLYGLOT_PYSTRIP_H
#define POLYGLOT_PYSTRIP_H
#include <stddef.h>

/* Strip `src` as the package does. Returns 0 with a PyMem_Malloc'd *out (the caller frees
 * it), 1 when tokenize would raise (the package then keeps the text whole), or -1 with a
 * Python exception set. */
int py_tokenize_strip(const char *src, size_t len, char **out, size_t *out_len);

#endif

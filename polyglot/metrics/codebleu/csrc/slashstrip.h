/* codebleu 0.7.0's regex-based comment removal for C-family source (slashstrip.c). */
#ifndef POLYGLOT_SLASHSTRIP_H
#define POLYGLOT_SLASHSTRIP_H
#include <stddef.h>

/* Strip UTF-8 `src` as the package's expression does. Returns 0 with a PyMem_Malloc'd
 * *out (the caller frees it), or -1 with a Python exception set. */
int slash_comment_strip(const char *src, size_t len, char **out, size_t *out_len);

#endif

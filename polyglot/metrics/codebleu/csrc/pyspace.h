/* Python's str.isspace() over UTF-8: what str.split() and str.strip() take for blank. */
#ifndef POLYGLOT_PYSPACE_H
#define POLYGLOT_PYSPACE_H
#include <stddef.h>

/* whether the character at s (n > 0 bytes left) is whitespace; *size set to its length */
static inline int py_isspace_utf8(const unsigned char *s, size_t n, size_t *size) {
    unsigned c = s[0], cp;
    *size = 1;
    if (c < 0x80) return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
    if ((c & 0xE0) == 0xC0 && n >= 2) { cp = (c & 0x1F) << 6 | (s[1] & 0x3F); *size = 2; }
    else if ((c & 0xF0) == 0xE0 && n >= 3) { cp = (c & 0x0F) << 12 | (s[1] & 0x3F) << 6 | (s[2] & 0x3F); *size = 3; }
    else if ((c & 0xF8) == 0xF0 && n >= 4) { *size = 4; return 0; }
    else return 0;
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028
        || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

#endif

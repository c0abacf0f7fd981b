; JavaScript comments, stripped before CodeBLEU compares code.
; typescript/comments.scm inherits this file.

; // note    /* note */    /** JSDoc. */
(comment) @comment

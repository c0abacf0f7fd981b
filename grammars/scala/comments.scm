; Scala comments, stripped before CodeBLEU compares code.

; // note    /* note */    /** Scaladoc. */
(comment) @comment
(block_comment) @comment

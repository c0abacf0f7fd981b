; PHP comments, stripped before CodeBLEU compares code.

; // note    # note    /* note */    /** PHPDoc. */
(comment) @comment

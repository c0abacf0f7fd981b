; Java comments, stripped before CodeBLEU compares code.

; // note
(line_comment) @comment
; /* note */    /** Javadoc. */
(block_comment) @comment

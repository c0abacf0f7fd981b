; Kotlin comments, stripped before CodeBLEU compares code.

; // note
(line_comment) @comment
; /* note */    /** KDoc. */
(multiline_comment) @comment

; Rust comments, stripped before CodeBLEU compares code.

; // note    /// doc
(line_comment) @comment
; /* note */
(block_comment) @comment

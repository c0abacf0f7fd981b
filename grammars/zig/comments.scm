; Zig comments, stripped before CodeBLEU compares code.

; // note    /// doc    //! module doc
(line_comment) @comment
(doc_comment) @comment
(container_doc_comment) @comment

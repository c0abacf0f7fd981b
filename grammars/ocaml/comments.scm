; OCaml comments, stripped before CodeBLEU compares code.

; (* note *)    (** odoc *)
(comment) @comment

; R comments, stripped before CodeBLEU compares code.

; # note    #' roxygen
(comment) @comment

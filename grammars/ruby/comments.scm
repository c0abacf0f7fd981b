; Ruby comments, stripped before CodeBLEU compares code.

; # note    =begin ... =end
(comment) @comment

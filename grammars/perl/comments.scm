; Perl comments and POD, stripped before CodeBLEU compares code.

; # note
(comment) @comment
; =pod ... =cut
(pod) @comment

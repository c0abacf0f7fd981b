; Elixir comments, stripped before CodeBLEU compares code.

; # note
(comment) @comment

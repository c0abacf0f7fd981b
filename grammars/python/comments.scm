; Python comments and docstrings, stripped before CodeBLEU compares code.

; x = 1  # note
(comment) @comment
; """Module docstring."""
(module . (string) @comment.documentation)
; def f():
;     """Function docstring."""
(function_definition body: (block . (string) @comment.documentation))
; class A:
;     """Class docstring."""
(class_definition body: (block . (string) @comment.documentation))

; codebleu 0.7.0, DFG_python, as captures. Compat mode only.

; Comments and docstrings are stripped before parsing by the package's tokenize loop
; (strip.toml).

; --- the older grammar wrapped expression statements ------------------------------
; x = 1        (module (expression_statement (assignment ...)))
(module (expression_statement) @compat.wrap.expression_statement)
; def f(): g()
(block (expression_statement) @compat.wrap.expression_statement)

; --- dataflow ---------------------------------------------------------------------
; a, b = b, a         element-wise; x = y + z  whole sides
((assignment left: (_) @flow.target right: (_) @flow.value) @flow.assign
  (#set! flow.style "zip"))
; x: int              no value: the package skips the statement
((assignment !right) @flow.skip)
; total += x
((augmented_assignment left: (_) @flow.target right: (_) @flow.value) @flow.assign
  (#set! flow.style "zip"))
; [y for y in xs]     the clause is read before the element
((for_in_clause left: (_) @flow.target right: (_) @flow.value) @flow.assign @flow.first
  (#set! flow.style "list"))
; def f(a, b=1): ...
(default_parameter name: (_) @flow.target value: (_) @flow.value) @flow.define
; if a: ... elif b: ... else: ...
(if_statement) @flow.branch
; elif b: ...
(if_statement alternative: (elif_clause) @flow.alternative)
; else: ...
(if_statement alternative: (else_clause) @flow.alternative @flow.else)
; for x in xs: body   (twice; the body only when no `else:` follows)
((for_statement left: (_) @flow.target right: (_) @flow.value body: (_) @flow.body
  !alternative) @flow.loop (#set! flow.style "zip"))
; for x in xs: ... else: ...
((for_statement left: (_) @flow.target right: (_) @flow.value alternative: (_)) @flow.loop
  (#set! flow.style "zip"))
; while n > 0: n -= 1
(while_statement) @flow.loop

; codebleu 0.7.0, DFG_ruby, as captures. Compat mode only.
; The package strips nothing from Ruby code: no @compat.strip here.

; --- dataflow -------------------------------------------------------------------
; a, b = b, a    element-wise; x = y + z  whole sides
((assignment left: (_) @flow.target right: (_) @flow.value) @flow.assign
  (#set! flow.style "zip"))
; total += x
((operator_assignment left: (_) @flow.target right: (_) @flow.value) @flow.assign
  (#set! flow.style "list"))
; def f(a, b: 1)
(keyword_parameter name: (_) @flow.target value: (_)? @flow.value) @flow.define
; if c then a elsif d then b else e end    The walker's branch node types are
; if/elsif/else/unless/when, and every child of one of those types -- the keyword
; token included -- starts from the state before the branch.
[(if) (elsif) (unless) (when)] @flow.branch
((else) @flow.branch (#set! flow.keep "never"))
(if "if" @flow.alternative)
(elsif "elsif" @flow.alternative)
(unless "unless" @flow.alternative)
(when "when" @flow.alternative)
(else "else" @flow.alternative)
(_ alternative: (elsif) @flow.alternative)
(_ alternative: (else) @flow.alternative @flow.else)
; for x in xs do body end
((for pattern: (_) @flow.target value: (_) @flow.value body: (_) @flow.body) @flow.loop
  (#set! flow.style "list"))
; x += 1 while x < 9    until done do ... end    (a plain `while` is not a loop to it)
[(while_modifier) (until)] @flow.loop

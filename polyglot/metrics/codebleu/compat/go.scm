; codebleu 0.7.0, DFG_go, as captures. Compat mode only.
; `x := y` is not among the walker's assignments, so it makes no edge.

; Comments are stripped before parsing by the package's regex (strip.toml).

; --- the older grammar had no statement_list inside a block -----------------------
; { a := 1; b := 2 }
(statement_list) @compat.transparent

; --- dataflow -------------------------------------------------------------------
; x = y + z    x += y
(assignment_statement left: (_) @flow.target right: (_) @flow.value) @flow.assign
; var x int = y    var x int    (the first name only)
(var_spec . name: (_) @flow.target value: (_)? @flow.value) @flow.define
; i++
(inc_statement) @flow.update
; if c { a } else { b }    the state before the `if` is always kept
((if_statement) @flow.branch (#set! flow.keep "always"))
(if_statement "else" @flow.alternative alternative: (_) @flow.alternative)
; for i := 0; i < n; i++ { body }    the second pass: the update, then the body
(for_statement (for_clause update: (_) @flow.again) @flow.once) @flow.loop
(for_statement (for_clause !update) @flow.once) @flow.loop

; --- the older grammar had no node for a string's contents ------------------------
; s = "positive"      only the quotes were tokens, so no value flows from a string
[(interpreted_string_literal_content) (raw_string_literal_content)] @compat.untoken

; Elixir: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/elixir/ checks each one.
; Elixir is all calls: `def`, `if` and `for` are calls whose target names them.

; ---- scopes --------------------------------------------------------------------
; defmodule M do ... end    def f(x) do ... end    fn x -> x end
[
  (source)
  (do_block)
  (stab_clause)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; def sum(xs, k \\ 2) do ... end     (the name lives in the enclosing module)
((call target: (identifier) @_def (arguments (call target: (identifier) @local.definition.function)))
  (#set! definition.scope "parent")
  (#any-of? @_def "def" "defp"))
((call target: (identifier) @_def (arguments (call (arguments (identifier) @local.definition.parameter))))
  (#any-of? @_def "def" "defp"))
((call target: (identifier) @_def (arguments (call (arguments (binary_operator left: (identifier) @local.definition.parameter)))))
  (#any-of? @_def "def" "defp"))
; fn x, acc -> acc + x end
(stab_clause left: (arguments (identifier) @local.definition.parameter))
; total = Enum.sum(xs)    {a, b} = pair
((binary_operator left: (identifier) @local.definition.variable operator: "="))
(binary_operator left: (tuple (identifier) @local.definition.variable) operator: "=")
; for x <- xs, do: x + 1
((call target: (identifier) @_for (arguments (binary_operator left: (identifier) @local.definition.variable operator: "<-")))
  (#eq? @_for "for"))

; ---- neither -------------------------------------------------------------------
; Enum.reduce    def / if / for themselves
(dot right: (identifier) @local.ignore)
(call target: (identifier) @local.ignore)

; ---- references ----------------------------------------------------------------
; acc + x
(identifier) @local.reference

; ---- flow ----------------------------------------------------------------------
; total = Enum.sum(xs)
(binary_operator left: (_) @flow.target operator: "=" right: (_) @flow.value) @flow.assign
; def f(k \\ 2)
(binary_operator left: (_) @flow.target operator: "\\\\" right: (_) @flow.value) @flow.define
; if c, do: a, else: b     if c do a else b end
((call target: (identifier) @_if) @flow.branch (#any-of? @_if "if" "unless" "case" "cond"))
((call target: (identifier) @_if (do_block (else_block) @flow.alternative @flow.else)) (#any-of? @_if "if" "unless"))
((call target: (identifier) @_if (arguments (keywords (pair key: (keyword) @_k) @flow.alternative @flow.else))) (#any-of? @_if "if" "unless") (#match? @_k "^else"))
; for x <- xs, do: ...
((call target: (identifier) @_for (arguments (binary_operator left: (_) @flow.target operator: "<-" right: (_) @flow.value))) @flow.loop
  (#eq? @_for "for"))

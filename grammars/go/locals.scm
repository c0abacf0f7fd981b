; Go: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/go/ checks each one.

; ---- scopes --------------------------------------------------------------------
; func f() { ... }    func() { ... }    { ... }    for ... { }    if x := f(); x > 0 { }
[
  (source_file)
  (function_declaration)
  (method_declaration)
  (func_literal)
  (block)
  (for_statement)
  (if_statement)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; func Area(r float64) float64 { ... }     (the name lives in the enclosing scope)
((function_declaration name: (identifier) @local.definition.function)
  (#set! definition.scope "parent"))
; func (c *Cart) Total() float64 { ... }   the receiver and the parameters
(parameter_declaration name: (identifier) @local.definition.parameter)
(variadic_parameter_declaration name: (identifier) @local.definition.parameter)
; x := 1    a, b := f()
(short_var_declaration left: (expression_list (identifier) @local.definition.variable))
; var x int = 1    const n = 3
(var_spec name: (identifier) @local.definition.variable)
(const_spec name: (identifier) @local.definition.constant)
; for i, v := range xs { ... }
(range_clause left: (expression_list (identifier) @local.definition.variable))
; import "fmt"    import str "strings"
(import_spec name: (package_identifier) @local.definition.import)

; ---- references ----------------------------------------------------------------
; return total + x      (fields are `field_identifier`s, never references)
(identifier) @local.reference

; ---- flow ----------------------------------------------------------------------
; x = y + 1    a, b = b, a
(assignment_statement left: (_) @flow.target operator: "=" right: (_) @flow.value) @flow.assign
; total += x
(assignment_statement
  left: (_) @flow.target
  operator: ["+=" "-=" "*=" "/=" "%=" "&=" "|=" "^=" "<<=" ">>=" "&^="]) @flow.update
; x := y
(short_var_declaration left: (_) @flow.target right: (_) @flow.value) @flow.define
; var x int = y
(var_spec name: (_) @flow.target value: (_) @flow.value) @flow.define
(const_spec name: (_) @flow.target value: (_) @flow.value) @flow.define
; i++    i--
(inc_statement) @flow.update
(dec_statement) @flow.update
; if c { ... } else { ... }
(if_statement) @flow.branch
(if_statement alternative: (_) @flow.alternative @flow.else)
; for i := 0; i < n; i++ { ... }    for c { ... }    (the initializer runs once)
(for_statement) @flow.loop
(for_statement (for_clause initializer: (_) @flow.once)) @flow.loop
; for i, v := range xs { ... }
(for_statement (range_clause left: (_) @flow.target right: (_) @flow.value) body: (_) @flow.body) @flow.loop

; Scala: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/scala/ checks each one.

; ---- scopes --------------------------------------------------------------------
; object M { ... }    def f = { ... }    (a: Int) => a    for (x <- xs) ...    case x => ...
[
  (compilation_unit)
  (object_definition)
  (class_definition)
  (trait_definition)
  (function_definition)
  (block)
  (lambda_expression)
  (for_expression)
  (case_clause)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; def area(r: Double): Double = ...       (the name lives in the enclosing scope)
((function_definition name: (identifier) @local.definition.function)
  (#set! definition.scope "parent"))
; object M { }    class Cart { }    trait Shape { }
(object_definition name: (identifier) @local.definition.type)
(class_definition name: (identifier) @local.definition.type)
(trait_definition name: (identifier) @local.definition.type)
; def f(a: Int, b: Int = 1)    class P(x: Int)
(parameter name: (identifier) @local.definition.parameter)
(class_parameter name: (identifier) @local.definition.parameter)
; (a: Int) => a + 1
(binding name: (identifier) @local.definition.parameter)
; val x = 1    var y = 2
(val_definition pattern: (identifier) @local.definition.variable)
(var_definition pattern: (identifier) @local.definition.variable)
; for (x <- xs) ...
(enumerator . (identifier) @local.definition.variable)

; ---- neither -------------------------------------------------------------------
; point.x    list.size
(field_expression field: (identifier) @local.ignore)

; ---- references ----------------------------------------------------------------
; total + x
(identifier) @local.reference

; ---- flow ----------------------------------------------------------------------
; val x = y + 1    var x = y
(val_definition pattern: (_) @flow.target value: (_) @flow.value) @flow.define
(var_definition pattern: (_) @flow.target value: (_) @flow.value) @flow.define
; def f(b: Int = 1)
(parameter name: (_) @flow.target default_value: (_) @flow.value) @flow.define
; x = y + 1
(assignment_expression left: (_) @flow.target right: (_) @flow.value) @flow.assign
; total += x
((infix_expression left: (_) @flow.target operator: (operator_identifier) @_op) @flow.update
  (#any-of? @_op "+=" "-=" "*=" "/=" "%="))
; if (c) { ... } else { ... }
(if_expression) @flow.branch
(if_expression alternative: (_) @flow.alternative @flow.else)
; x match { case 1 => a; case _ => b }
(match_expression) @flow.branch
(case_block (case_clause) @flow.alternative)
; for (x <- xs) { ... }
(for_expression (enumerators (enumerator . (_) @flow.target . (_) @flow.value)) body: (_) @flow.body) @flow.loop
; while (c) { ... }    do { ... } while (c)
(while_expression) @flow.loop
(do_while_expression) @flow.loop

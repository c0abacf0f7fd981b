; Kotlin: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/kotlin/ checks each one.

; ---- scopes --------------------------------------------------------------------
; fun f() { ... }    class A { ... }    { a -> a + 1 }    for (x in xs) ...
[
  (source_file)
  (function_declaration)
  (class_declaration)
  (object_declaration)
  (lambda_literal)
  (anonymous_function)
  (for_statement)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; fun area(r: Double): Double { ... }      (the name lives in the enclosing scope)
((function_declaration (simple_identifier) @local.definition.function)
  (#set! definition.scope "parent"))
; class Cart(val discount: Double) { ... }
(class_declaration (type_identifier) @local.definition.type)
; fun f(a: Int, b: Int = 1)
(parameter (simple_identifier) @local.definition.parameter)
(class_parameter (simple_identifier) @local.definition.parameter)
; val x = 1    var y: Int = 2    for (x in xs)    { a: Int -> a }
(variable_declaration (simple_identifier) @local.definition.variable)

; ---- neither -------------------------------------------------------------------
; point.x    list.size
(navigation_suffix (simple_identifier) @local.ignore)

; ---- references ----------------------------------------------------------------
; return total + x
(simple_identifier) @local.reference

; ---- flow ----------------------------------------------------------------------
; val x = y + 1
(property_declaration (variable_declaration) @flow.target "=" . (_) @flow.value) @flow.define
; x = y + 1
(assignment (directly_assignable_expression) @flow.target "=" . (_) @flow.value) @flow.assign
; total += x
(assignment (directly_assignable_expression) @flow.target ["+=" "-=" "*=" "/=" "%="]) @flow.update
; i++    --i
(postfix_expression (simple_identifier) @flow.target ["++" "--"]) @flow.update
(prefix_expression ["++" "--"] (simple_identifier) @flow.target) @flow.update
; if (c) { ... } else { ... }
(if_expression) @flow.branch
(if_expression alternative: (_) @flow.alternative @flow.else)
; when (x) { 1 -> a; else -> b }      each entry starts from the state before the `when`
(when_expression) @flow.branch
(when_expression (when_entry) @flow.alternative)
; for (x in xs) { ... }
(for_statement (variable_declaration) @flow.target . (_) @flow.value (control_structure_body) @flow.body) @flow.loop
; while (c) { ... }    do { ... } while (c)
(while_statement) @flow.loop
(do_while_statement) @flow.loop

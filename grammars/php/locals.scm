; PHP: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/php/ checks each one.
; A variable is the whole `$name` node, so `$x` and `x` never meet.

; ---- scopes --------------------------------------------------------------------
; function f() { ... }    function ($x) use ($a) { ... }    fn ($y) => $y    class A { }
[
  (program)
  (function_definition)
  (method_declaration)
  (anonymous_function)
  (arrow_function)
  (class_declaration)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; function area($r) { ... }     (the name lives in the enclosing scope)
((function_definition name: (name) @local.definition.function)
  (#set! definition.scope "parent"))
; class Cart { ... }
(class_declaration name: (name) @local.definition.type)
; function f($a, $b = 1, ...$rest)
(simple_parameter name: (variable_name) @local.definition.parameter)
(variadic_parameter name: (variable_name) @local.definition.parameter)
; function ($x) use ($a) { ... }    (the outer $a is read into the closure's own $a)
(anonymous_function_use_clause (variable_name) @local.reference)
; $x = 1;    [$a, $b] = $pair;
(assignment_expression left: (variable_name) @local.definition.variable)
(list_literal (variable_name) @local.definition.variable)
; foreach ($xs as $x) ...    foreach ($xs as $k => $v) ...
(foreach_statement (pair (variable_name) @local.definition.variable))
(foreach_statement (variable_name) (variable_name) @local.definition.variable)
; catch (Exception $e) { ... }
(catch_clause name: (variable_name) @local.definition.variable)

; ---- references ----------------------------------------------------------------
; return $total + $x;    area($r)
(variable_name) @local.reference
(function_call_expression function: (name) @local.reference)

; ---- flow ----------------------------------------------------------------------
; $x = $y + 1;
(assignment_expression left: (_) @flow.target right: (_) @flow.value) @flow.assign
; $total += $x;
(augmented_assignment_expression left: (_) @flow.target) @flow.update
; function f($b = 1) {}
(simple_parameter name: (_) @flow.target default_value: (_) @flow.value) @flow.define
; $i++    --$i
(update_expression) @flow.update
; if ($c) { } elseif ($d) { } else { }
(if_statement) @flow.branch
(if_statement alternative: (else_if_clause) @flow.alternative)
(if_statement alternative: (else_clause) @flow.alternative @flow.else)
; for ($i = 0; $i < $n; $i++) { ... }    (the initializer runs once)
(for_statement) @flow.loop
(for_statement initialize: (_) @flow.once) @flow.loop
; foreach ($xs as $x) { ... }
(foreach_statement . (_) @flow.value . (_) @flow.target body: (_) @flow.body) @flow.loop
; while ($c) { ... }    do { ... } while ($c);
(while_statement) @flow.loop
(do_statement) @flow.loop

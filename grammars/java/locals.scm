; Java: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/java/ checks each one.

; ---- scopes --------------------------------------------------------------------
; class A { ... }    void f() { ... }    { ... }    for (...) ...    x -> x + 1
[
  (program)
  (class_body)
  (interface_body)
  (enum_body)
  (method_declaration)
  (constructor_declaration)
  (block)
  (for_statement)
  (enhanced_for_statement)
  (catch_clause)
  (lambda_expression)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; int area(int r) { ... }       (the name lives in the enclosing class)
((method_declaration name: (identifier) @local.definition.method)
  (#set! definition.scope "parent"))
; class Cart { ... }    interface Shape { ... }    enum Color { ... }    record P(int x) {}
(class_declaration name: (identifier) @local.definition.type)
(interface_declaration name: (identifier) @local.definition.type)
(enum_declaration name: (identifier) @local.definition.type)
(record_declaration name: (identifier) @local.definition.type)
; void f(int a, String... rest)
(formal_parameter name: (identifier) @local.definition.parameter)
(spread_parameter (variable_declarator name: (identifier) @local.definition.parameter))
; int x = 1, y;    private int count;
(variable_declarator name: (identifier) @local.definition.variable)
; for (int v : values) ...
(enhanced_for_statement name: (identifier) @local.definition.variable)
; catch (IOException e) { ... }
(catch_formal_parameter name: (identifier) @local.definition.variable)
; x -> x + 1    (a, b) -> a + b
(lambda_expression parameters: (identifier) @local.definition.parameter)
(inferred_parameters (identifier) @local.definition.parameter)

; ---- neither -------------------------------------------------------------------
; point.x    list.size()
(field_access field: (identifier) @local.ignore)
(method_invocation name: (identifier) @local.ignore)

; ---- references ----------------------------------------------------------------
; return total + x;
(identifier) @local.reference

; ---- flow ----------------------------------------------------------------------
; x = y + 1;
(assignment_expression left: (_) @flow.target operator: "=" right: (_) @flow.value) @flow.assign
; total += x;
(assignment_expression
  left: (_) @flow.target
  operator: ["+=" "-=" "*=" "/=" "%=" "&=" "|=" "^=" "<<=" ">>=" ">>>="]) @flow.update
; int x = y;
(variable_declarator name: (_) @flow.target value: (_) @flow.value) @flow.define
; i++    --i
(update_expression) @flow.update
; if (c) { ... } else { ... }
(if_statement) @flow.branch
(if_statement alternative: (_) @flow.alternative @flow.else)
; for (int i = 0; i < n; i++) { ... }    (the initializer runs once)
(for_statement) @flow.loop
(for_statement init: (_) @flow.once) @flow.loop
; for (int v : values) { ... }
(enhanced_for_statement name: (_) @flow.target value: (_) @flow.value body: (_) @flow.body) @flow.loop
; while (c) { ... }    do { ... } while (c);
(while_statement) @flow.loop
(do_statement) @flow.loop

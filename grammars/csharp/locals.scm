; C#: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/csharp/ checks each one.

; ---- scopes --------------------------------------------------------------------
; class A { ... }    void F() { ... }    { ... }    foreach (...) ...    x => x + 1
[
  (compilation_unit)
  (class_declaration)
  (struct_declaration)
  (method_declaration)
  (constructor_declaration)
  (local_function_statement)
  (block)
  (for_statement)
  (foreach_statement)
  (catch_clause)
  (lambda_expression)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; int Area(int r) { ... }       (the name lives in the enclosing class)
((method_declaration name: (identifier) @local.definition.method)
  (#set! definition.scope "parent"))
((local_function_statement name: (identifier) @local.definition.function)
  (#set! definition.scope "parent"))
; class Cart { ... }    struct P { ... }    interface IShape { ... }
(class_declaration name: (identifier) @local.definition.type)
(struct_declaration name: (identifier) @local.definition.type)
(interface_declaration name: (identifier) @local.definition.type)
; void F(int a, params int[] rest)
(parameter name: (identifier) @local.definition.parameter)
; var x = 1;    int x, y;
(variable_declarator name: (identifier) @local.definition.variable)
; foreach (var v in values) ...
(foreach_statement left: (identifier) @local.definition.variable)
; catch (IOException e) { ... }
(catch_declaration name: (identifier) @local.definition.variable)
; x => x + 1
(lambda_expression parameters: (implicit_parameter) @local.definition.parameter)

; ---- neither -------------------------------------------------------------------
; point.X    list.Count
(member_access_expression name: (identifier) @local.ignore)

; ---- references ----------------------------------------------------------------
; return total + x;
(identifier) @local.reference

; ---- flow ----------------------------------------------------------------------
; x = y + 1;
(assignment_expression left: (_) @flow.target operator: "=" right: (_) @flow.value) @flow.assign
; total += x;
(assignment_expression
  left: (_) @flow.target
  operator: ["+=" "-=" "*=" "/=" "%=" "&=" "|=" "^=" "<<=" ">>=" ">>>=" "??="]) @flow.update
; var x = y;
(variable_declarator name: (_) @flow.target "=" . (_) @flow.value) @flow.define
; i++    --i
(postfix_unary_expression) @flow.update
(prefix_unary_expression ["++" "--"]) @flow.update
; if (c) { ... } else { ... }
(if_statement) @flow.branch
(if_statement alternative: (_) @flow.alternative @flow.else)
; for (int i = 0; i < n; i++) { ... }    (the initializer runs once)
(for_statement) @flow.loop
(for_statement initializer: (_) @flow.once) @flow.loop
; foreach (var v in values) { ... }
(foreach_statement left: (_) @flow.target right: (_) @flow.value body: (_) @flow.body) @flow.loop
; while (c) { ... }    do { ... } while (c);
(while_statement) @flow.loop
(do_statement) @flow.loop

; C: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/c/ checks each one.
; cpp/locals.scm inherits this file, so patterns here use node types both grammars share.

; ---- scopes --------------------------------------------------------------------
; int f(void) { ... }    { ... }    for (int i = 0; ...) ...
[
  (translation_unit)
  (function_definition)
  (compound_statement)
  (for_statement)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; int area(int r) { ... }       (the name lives in the enclosing scope)
((function_declarator declarator: (identifier) @local.definition.function)
  (#set! definition.scope "parent"))
; void f(int a, char *s, int v[])
(parameter_declaration declarator: (identifier) @local.definition.parameter)
(parameter_declaration declarator: (pointer_declarator declarator: (identifier) @local.definition.parameter))
(parameter_declaration declarator: (array_declarator declarator: (identifier) @local.definition.parameter))
; int x;    int *p;    int v[3];
(declaration declarator: (identifier) @local.definition.variable)
(declaration declarator: (pointer_declarator declarator: (identifier) @local.definition.variable))
(declaration declarator: (array_declarator declarator: (identifier) @local.definition.variable))
; int x = 1;    char *s = "a";    int v[2] = {1, 2};
(init_declarator declarator: (identifier) @local.definition.variable)
(init_declarator declarator: (pointer_declarator declarator: (identifier) @local.definition.variable))
(init_declarator declarator: (array_declarator declarator: (identifier) @local.definition.variable))

; ---- references ----------------------------------------------------------------
; return total + x;      (field names are `field_identifier`s, never references)
(identifier) @local.reference

; ---- flow ----------------------------------------------------------------------
; x = y + 1;
(assignment_expression left: (_) @flow.target operator: "=" right: (_) @flow.value) @flow.assign
; total += x;
(assignment_expression
  left: (_) @flow.target
  operator: ["+=" "-=" "*=" "/=" "%=" "&=" "|=" "^=" "<<=" ">>="]) @flow.update
; int x = y;
(init_declarator declarator: (_) @flow.target value: (_) @flow.value) @flow.define
; i++    --i
(update_expression argument: (_) @flow.target) @flow.update
; if (c) { ... } else { ... }
(if_statement) @flow.branch
(if_statement alternative: (_) @flow.alternative @flow.else)
; for (i = 0; i < n; i++) { ... }    (the initializer runs once)
(for_statement) @flow.loop
(for_statement initializer: (_) @flow.once) @flow.loop
; while (c) { ... }    do { ... } while (c);
(while_statement) @flow.loop
(do_statement) @flow.loop

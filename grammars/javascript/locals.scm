; JavaScript: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/javascript/ checks each one.
; typescript/locals.scm inherits this file.

; ---- scopes --------------------------------------------------------------------
; function f() { ... }    () => x    class A { m() { ... } }    { ... }    for (...) ...
[
  (program)
  (function_declaration)
  (function_expression)
  (generator_function_declaration)
  (arrow_function)
  (method_definition)
  (class_body)
  (statement_block)
  (for_statement)
  (for_in_statement)
  (catch_clause)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; function area(r) { ... }      (the name lives in the enclosing scope)
((function_declaration name: (identifier) @local.definition.function)
  (#set! definition.scope "parent"))
((generator_function_declaration name: (identifier) @local.definition.function)
  (#set! definition.scope "parent"))
; class Cart { ... }
(class_declaration name: (_) @local.definition.type)
; function f(a, b = 1, ...rest)
(formal_parameters (identifier) @local.definition.parameter)
(formal_parameters (assignment_pattern left: (identifier) @local.definition.parameter))
(formal_parameters (rest_pattern (identifier) @local.definition.parameter))
; x => x + 1
(arrow_function parameter: (identifier) @local.definition.parameter)
; let x = 1;    const y = 2;    var z;
(variable_declarator name: (identifier) @local.definition.variable)
; const {a, b} = o;    const [c, d] = xs;
(object_pattern (shorthand_property_identifier_pattern) @local.definition.variable)
(array_pattern (identifier) @local.definition.variable)
; for (const x of xs) ...    for (k in o) ...
(for_in_statement left: (identifier) @local.definition.variable)
; catch (err) { ... }
(catch_clause parameter: (identifier) @local.definition.variable)
; import fs from "fs";    import { join } from "path";
(import_clause (identifier) @local.definition.import)
(import_specifier name: (identifier) @local.definition.import)

; ---- references ----------------------------------------------------------------
; return total + x;     (property names are `property_identifier`s, never references)
(identifier) @local.reference

; ---- flow ----------------------------------------------------------------------
; x = y + 1;
(assignment_expression left: (_) @flow.target right: (_) @flow.value) @flow.assign
; total += x;
(augmented_assignment_expression left: (_) @flow.target) @flow.update
; let x = y;
(variable_declarator name: (_) @flow.target value: (_) @flow.value) @flow.define
; function f(b = 1) {}
(assignment_pattern left: (_) @flow.target right: (_) @flow.value) @flow.define
; i++    --i
(update_expression argument: (_) @flow.target) @flow.update
; if (c) { ... } else { ... }
(if_statement) @flow.branch
(if_statement alternative: (_) @flow.alternative @flow.else)
; for (let i = 0; i < n; i++) { ... }    (the initializer runs once)
(for_statement) @flow.loop
(for_statement initializer: (_) @flow.once) @flow.loop
; for (const x of xs) { ... }
(for_in_statement left: (_) @flow.target right: (_) @flow.value body: (_) @flow.body) @flow.loop
; while (c) { ... }    do { ... } while (c);
(while_statement) @flow.loop
(do_statement) @flow.loop

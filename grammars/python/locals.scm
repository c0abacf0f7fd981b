; Python: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/python/ checks each one.

; ---- scopes --------------------------------------------------------------------
; def f(x): ...    lambda x: x    class A: ...    [y for y in ys]
[
  (module)
  (function_definition)
  (lambda)
  (class_definition)
  (list_comprehension)
  (set_comprehension)
  (dictionary_comprehension)
  (generator_expression)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; def area(r): ...      (the name lives in the enclosing scope)
((function_definition name: (identifier) @local.definition.function)
  (#set! definition.scope "parent"))
; class Cart: ...
((class_definition name: (identifier) @local.definition.type)
  (#set! definition.scope "parent"))
; def f(a, *rest, **opts, b=1, c: int, d: int = 2)
(parameters (identifier) @local.definition.parameter)
(list_splat_pattern (identifier) @local.definition.parameter)
(dictionary_splat_pattern (identifier) @local.definition.parameter)
(default_parameter name: (identifier) @local.definition.parameter)
(typed_parameter (identifier) @local.definition.parameter)
(typed_default_parameter name: (identifier) @local.definition.parameter)
; lambda x, y: x + y
(lambda_parameters (identifier) @local.definition.parameter)
; x = 1    x: int = 1
(assignment left: (identifier) @local.definition.variable)
; a, b = pair    (a, b) = pair    [a, b] = pair
(pattern_list (identifier) @local.definition.variable)
(tuple_pattern (identifier) @local.definition.variable)
(list_pattern (identifier) @local.definition.variable)
; for item in items: ...
(for_statement left: (identifier) @local.definition.variable)
; [y for y in ys]
(for_in_clause left: (identifier) @local.definition.variable)
; (n := len(xs))
(named_expression name: (identifier) @local.definition.variable)
; with open(p) as fh: ...
(as_pattern_target (identifier) @local.definition.variable)
; except ValueError as err: ...
(except_clause (as_pattern alias: (as_pattern_target (identifier) @local.definition.variable)))
; import os    import a.b
(import_statement name: (dotted_name . (identifier) @local.definition.import))
; import numpy as np    from a import b as c
(aliased_import alias: (identifier) @local.definition.import)
; from math import sqrt
(import_from_statement name: (dotted_name . (identifier) @local.definition.import))

; ---- neither -------------------------------------------------------------------
; point.x    f(key=1)
(attribute attribute: (identifier) @local.ignore)
(keyword_argument name: (identifier) @local.ignore)

; ---- references ----------------------------------------------------------------
; return total + x
(identifier) @local.reference

; ---- flow ----------------------------------------------------------------------
; x = y + 1    a, b = b, a
(assignment left: (_) @flow.target right: (_) @flow.value) @flow.assign
; total += x
(augmented_assignment left: (_) @flow.target) @flow.update
; (n := len(xs))
(named_expression name: (_) @flow.target value: (_) @flow.value) @flow.assign
; def f(b=1): ...    def f(b: int = 1): ...
(default_parameter name: (_) @flow.target value: (_) @flow.value) @flow.define
(typed_default_parameter name: (_) @flow.target value: (_) @flow.value) @flow.define
; [y * 2 for y in ys]     the clause runs before the element
(for_in_clause left: (_) @flow.target right: (_) @flow.value) @flow.assign @flow.first
; if a: ... elif b: ... else: ...
(if_statement) @flow.branch
(if_statement alternative: (elif_clause) @flow.alternative)
(if_statement alternative: (else_clause) @flow.alternative @flow.else)
; for x in xs: ... else: ...
(for_statement left: (_) @flow.target right: (_) @flow.value body: (_) @flow.body) @flow.loop
(for_statement alternative: (_) @flow.body) @flow.loop
; while n > 0: n -= 1
(while_statement) @flow.loop

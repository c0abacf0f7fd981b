; inherits: c
; C++ on top of C's patterns: what C++ adds.

; ---- scopes --------------------------------------------------------------------
; namespace geo { ... }    struct P { ... };    [&](int y) { ... }    for (auto x : xs) ...
[
  (namespace_definition)
  (class_specifier)
  (struct_specifier)
  (lambda_expression)
  (for_range_loop)
  (catch_clause)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; void f(const std::vector<int>& v)    void g(int&& r)
(parameter_declaration declarator: (reference_declarator (identifier) @local.definition.parameter))
; auto& x = v;
(init_declarator declarator: (reference_declarator (identifier) @local.definition.variable))
; for (auto x : xs)    for (auto& x : xs)
(for_range_loop declarator: (identifier) @local.definition.variable)
(for_range_loop declarator: (reference_declarator (identifier) @local.definition.variable))
; int area(int r) const { ... }   inside a class: the method name is a field_identifier
((function_declarator declarator: (field_identifier) @local.definition.method)
  (#set! definition.scope "parent"))
; class Stack { ... };
(class_specifier name: (type_identifier) @local.definition.type)
; catch (const std::exception& e) { ... }
(catch_clause parameters: (parameter_list (parameter_declaration declarator: (reference_declarator (identifier) @local.definition.variable))))

; ---- neither -------------------------------------------------------------------
; std::vector    geo::area(r)
(qualified_identifier name: (identifier) @local.ignore)

; ---- flow ----------------------------------------------------------------------
; for (auto x : xs) body
(for_range_loop declarator: (_) @flow.target right: (_) @flow.value body: (_) @flow.body) @flow.loop

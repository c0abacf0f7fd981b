; Ruby: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/ruby/ checks each one.

; ---- scopes --------------------------------------------------------------------
; def f ... end    class A ... end    xs.each { |x| ... }    xs.map do |x| ... end    -> (x) { x }
[
  (program)
  (method)
  (singleton_method)
  (class)
  (module)
  (block)
  (do_block)
  (lambda)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; def area(r) ... end           (the name lives in the enclosing scope)
((method name: (identifier) @local.definition.method)
  (#set! definition.scope "parent"))
; def f(a, b = 1, *rest, c:, d: 2, **opts, &blk)
(method_parameters (identifier) @local.definition.parameter)
(optional_parameter name: (identifier) @local.definition.parameter)
(splat_parameter name: (identifier) @local.definition.parameter)
(hash_splat_parameter name: (identifier) @local.definition.parameter)
(block_parameter name: (identifier) @local.definition.parameter)
(keyword_parameter name: (identifier) @local.definition.parameter)
; xs.each { |x, i| ... }    -> (x) { x }
(block_parameters (identifier) @local.definition.parameter)
(lambda_parameters (identifier) @local.definition.parameter)
; x = 1    a, b = b, a
(assignment left: (identifier) @local.definition.variable)
(left_assignment_list (identifier) @local.definition.variable)
; for x in xs ... end
(for pattern: (identifier) @local.definition.variable)
; rescue StandardError => e
(exception_variable (identifier) @local.definition.variable)

; ---- neither -------------------------------------------------------------------
; point.x    list.size
(call method: (identifier) @local.ignore)

; ---- references ----------------------------------------------------------------
; total + x
(identifier) @local.reference

; ---- flow ----------------------------------------------------------------------
; x = y + 1    a, b = b, a
(assignment left: (_) @flow.target right: (_) @flow.value) @flow.assign
; total += x
(operator_assignment left: (_) @flow.target) @flow.update
; def f(b = 1)    def f(b: 1)
(optional_parameter name: (_) @flow.target value: (_) @flow.value) @flow.define
(keyword_parameter name: (_) @flow.target value: (_) @flow.value) @flow.define
; if c ... elsif d ... else ... end    unless c ... end
[(if) (unless) (elsif)] @flow.branch
(_ alternative: (elsif) @flow.alternative)
(_ alternative: (else) @flow.alternative @flow.else)
; for x in xs ... end
(for pattern: (_) @flow.target value: (_) @flow.value body: (_) @flow.body) @flow.loop
; while c ... end    until c ... end    x += 1 while x < 9
[(while) (until) (while_modifier) (until_modifier)] @flow.loop

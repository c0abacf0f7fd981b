; Haskell: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/haskell/ checks each one.

; ---- scopes --------------------------------------------------------------------
; f x = ...    \x -> ...    let y = 1 in ...    case v of p -> ...
[
  (haskell)
  (function)
  (lambda)
  (let_in)
  (alternative)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; sumEven xs = ...      (the name lives in the enclosing scope)
((function name: (variable) @local.definition.function)
  (#set! definition.scope "parent"))
; f x (y:ys) = ...
(function patterns: (patterns (variable) @local.definition.parameter))
(patterns (parens pattern: (infix left_operand: (variable) @local.definition.parameter)))
(patterns (parens pattern: (infix right_operand: (variable) @local.definition.parameter)))
; \x -> x + 1
(lambda patterns: (patterns (variable) @local.definition.parameter))
; let z = x + 1 in ...    where z = ...
(bind name: (variable) @local.definition.variable)
; case v of Just w -> w
(alternative pattern: (variable) @local.definition.variable)
(alternative pattern: (apply argument: (variable) @local.definition.variable))

; ---- neither -------------------------------------------------------------------
; sumEven :: [Int] -> Int
(signature name: (variable) @local.ignore)

; ---- references ----------------------------------------------------------------
; go (acc + y) ys
(variable) @local.reference

; ---- flow ----------------------------------------------------------------------
; let z = x + 1
(bind name: (_) @flow.target match: (match expression: (_) @flow.value)) @flow.define
; if c then a else b
(conditional) @flow.branch
(conditional else: (_) @flow.alternative @flow.else)
; case v of A -> a; B -> b
(case) @flow.branch
(alternatives (alternative) @flow.alternative)

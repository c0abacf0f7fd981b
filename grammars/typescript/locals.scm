; inherits: javascript
; TypeScript on top of JavaScript's patterns: what TypeScript adds.

; ---- scopes --------------------------------------------------------------------
; interface Shape { ... }    namespace geo { ... }
[
  (interface_declaration)
  (internal_module)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; function f(a: number, b?: string, c = 1)
(required_parameter pattern: (identifier) @local.definition.parameter)
(optional_parameter pattern: (identifier) @local.definition.parameter)
; interface Shape { }    type Id = string;    enum Color { Red }
(interface_declaration name: (type_identifier) @local.definition.type)
(type_alias_declaration name: (type_identifier) @local.definition.type)
(enum_declaration name: (identifier) @local.definition.type)

; ---- flow ----------------------------------------------------------------------
; function f(c: number = 1) {}
(required_parameter pattern: (_) @flow.target value: (_) @flow.value) @flow.define

; Zig: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/zig/ checks each one.
; (This grammar names its nodes in PascalCase, after Zig's own PEG grammar.)

; ---- scopes --------------------------------------------------------------------
; fn f() void { ... }    { ... }    for (xs) |x| ...    while (c) ...
[
  (source_file)
  (Decl)
  (Block)
  (ForStatement)
  (WhileStatement)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; fn sum(xs: []const i32) i32 { ... }     (the name lives in the enclosing scope)
((FnProto function: (IDENTIFIER) @local.definition.function)
  (#set! definition.scope "parent"))
; fn f(a: i32, b: i32)
(ParamDecl parameter: (IDENTIFIER) @local.definition.parameter)
; var total: i32 = 0;    const y = k;
(VarDecl variable_type_function: (IDENTIFIER) @local.definition.variable)
; for (xs) |x| ...    while (it.next()) |v| ...    if (opt) |v| ...
(PtrListPayload variable: (IDENTIFIER) @local.definition.variable)
(PtrPayload variable: (IDENTIFIER) @local.definition.variable)
(Payload variable: (IDENTIFIER) @local.definition.variable)

; ---- neither -------------------------------------------------------------------
; point.x
(FieldOrFnCall field_access: (IDENTIFIER) @local.ignore)

; ---- references ----------------------------------------------------------------
; return total + y;
(IDENTIFIER) @local.reference

; ---- flow ----------------------------------------------------------------------
; var x: i32 = y + 1;
(VarDecl variable_type_function: (IDENTIFIER) @flow.target "=" . (_) @flow.value) @flow.define
; x = y + 1;
((AssignExpr . (_) @flow.target (AssignOp) @_op . (_) @flow.value) @flow.assign
  (#eq? @_op "="))
; total += x;
((AssignExpr . (_) @flow.target (AssignOp) @_op) @flow.update
  (#not-eq? @_op "="))
; if (c) { ... } else { ... }
[(IfStatement) (IfExpr)] @flow.branch
(IfStatement "else" . (_) @flow.alternative @flow.else)
(IfExpr "else" . (_) @flow.alternative @flow.else)
; for (xs) |x| { ... }
(ForStatement (ForPrefix (ForArgumentsList) @flow.value (PtrListPayload) @flow.target) . (_) @flow.body) @flow.loop
; while (c) : (i += 1) { ... }
(WhileStatement) @flow.loop

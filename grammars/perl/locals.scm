; Perl: scopes, definitions and references, and how values flow between them.
; Every pattern shows the source it matches; tests/grammars/perl/ checks each one.
; A variable is the whole `$x` / `@x` / `%x` node: `$x` and `@x` are different names.

; ---- scopes --------------------------------------------------------------------
; sub f { ... }    { ... }    sub { ... }
[
  (source_file)
  (subroutine_declaration_statement)
  (anonymous_subroutine_expression)
  (block)
  (for_statement)
  (cstyle_for_statement)
] @local.scope

; ---- definitions ---------------------------------------------------------------
; sub sum_even { ... }     (the name lives in the enclosing scope)
((subroutine_declaration_statement name: (bareword) @local.definition.function)
  (#set! definition.scope "parent"))
; my $total = 0;    my ($xs, $k) = @_;    my @list;    our %h;
(variable_declaration [(scalar) (array) (hash)] @local.definition.variable)
; foreach my $x (@xs) { ... }
(for_statement variable: (_) @local.definition.variable)

; ---- references ----------------------------------------------------------------
; $total + $x    @$xs    sum_even(...)
(scalar) @local.reference
(array) @local.reference
(hash) @local.reference
(function_call_expression function: (function) @local.reference)

; ---- flow ----------------------------------------------------------------------
; my $x = $y + 1;    $x = $y;
(assignment_expression left: (_) @flow.target operator: "=" right: (_) @flow.value) @flow.assign
; $total += $x;    $s .= "a";
(assignment_expression
  left: (_) @flow.target
  operator: ["+=" "-=" "*=" "/=" ".=" "%=" "**=" "x=" "||=" "//=" "&&=" "|=" "&=" "^=" "<<=" ">>="]) @flow.update
; $i++    ++$i    (the grammar gives `--` the same node types)
[(postinc_expression) (preinc_expression)] @flow.update
; if (c) { } elsif (d) { } else { }
(conditional_statement) @flow.branch
(conditional_statement (elsif) @flow.alternative)
(elsif (elsif) @flow.alternative)
(conditional_statement (else) @flow.alternative @flow.else)
(elsif (else) @flow.alternative @flow.else)
; foreach my $x (@xs) { ... }
(for_statement variable: (_) @flow.target list: (_) @flow.value block: (_) @flow.body) @flow.loop
; for (my $i = 0; $i < 3; $i++) { ... }    (the initializer runs once)
(cstyle_for_statement initialiser: (_) @flow.once) @flow.loop
; while (c) { ... }    until (c) { ... }
(loop_statement) @flow.loop

; Python: which functions can be lifted into body-language records, and what their
; annotations mean as body-language types (`polyglot data lift`, polyglot/data/lift.py).
; Every pattern shows the source it matches; tests/data/test_lift.py checks them.
;
; Captures the engine reads:
;   @lift.function  a function definition (every one is counted as scanned)
;   @lift.name      its name
;   @lift.parameters  its parameter list; @lift.returns  its return annotation
;   @lift.body      the one expression it returns (only when that is all it does)
;   @lift.param     one parameter, with @lift.param.name and @lift.param.type
;   @lift.ignore    a child of the parameter list that is not a parameter
;   @lift.type      a type annotation, whose body-language name is the pattern's
;                   `lift.type` setting and whose arguments are its @lift.type.arg
;                   captures, in order; @lift.type.same: the annotation means the
;                   type of its one child
; (#set! ...) comes before any text predicate in a pattern (see queries.py).

; ---- functions -------------------------------------------------------------------
; def anything(...): ...     (counted; lifted only when a pattern below also matches)
(function_definition
  name: (identifier) @lift.name
  parameters: (parameters) @lift.parameters) @lift.function

; def area(w: float, h: float) -> float:
;     return w * h
(function_definition
  name: (identifier) @lift.name
  parameters: (parameters) @lift.parameters
  return_type: (_)? @lift.returns
  body: (block . (return_statement (_) @lift.body) .)) @lift.function

; def area(w: float, h: float) -> float:
;     """The area of a w x h rectangle."""
;     return w * h
(function_definition
  name: (identifier) @lift.name
  parameters: (parameters) @lift.parameters
  return_type: (_)? @lift.returns
  body: (block . (string) . (return_statement (_) @lift.body) .)) @lift.function

; ---- parameters ------------------------------------------------------------------
; w: float
(typed_parameter (identifier) @lift.param.name type: (_) @lift.param.type) @lift.param
; sep: str = ", "     (the default is not the body's business)
(typed_default_parameter name: (identifier) @lift.param.name type: (_) @lift.param.type) @lift.param
; def f(  # a comment between parameters
(comment) @lift.ignore
; def f(x: int, /, y: int, *, z: int)    (markers, not parameters)
(positional_separator) @lift.ignore
(keyword_separator) @lift.ignore

; ---- types -----------------------------------------------------------------------
; x: int             the annotation node holds the type itself
((type (_) @lift.type.same) @lift.type)
; int   float   bool   str
((identifier) @lift.type (#set! lift.type "Int") (#eq? @lift.type "int"))
((identifier) @lift.type (#set! lift.type "Float") (#eq? @lift.type "float"))
((identifier) @lift.type (#set! lift.type "Bool") (#eq? @lift.type "bool"))
((identifier) @lift.type (#set! lift.type "String") (#eq? @lift.type "str"))
; list[int]   List[int]
((generic_type (identifier) @_name (type_parameter . (type) @lift.type.arg .)) @lift.type
  (#set! lift.type "List") (#any-of? @_name "list" "List"))
; dict[str, int]   Dict[str, int]
((generic_type (identifier) @_name
    (type_parameter . (type) @lift.type.arg . (type) @lift.type.arg .)) @lift.type
  (#set! lift.type "Map") (#any-of? @_name "dict" "Dict"))
; Optional[int]
((generic_type (identifier) @_name (type_parameter . (type) @lift.type.arg .)) @lift.type
  (#set! lift.type "Option") (#eq? @_name "Optional"))
; typing.List[int]   typing.Optional[int]
((subscript value: (attribute object: (identifier) @_module attribute: (identifier) @_name)
    subscript: (_) @lift.type.arg .) @lift.type
  (#set! lift.type "List") (#eq? @_module "typing") (#eq? @_name "List"))
((subscript value: (attribute object: (identifier) @_module attribute: (identifier) @_name)
    subscript: (_) @lift.type.arg .) @lift.type
  (#set! lift.type "Option") (#eq? @_module "typing") (#eq? @_name "Optional"))
; typing.Dict[str, int]
((subscript value: (attribute object: (identifier) @_module attribute: (identifier) @_name)
    subscript: (_) @lift.type.arg subscript: (_) @lift.type.arg .) @lift.type
  (#set! lift.type "Map") (#eq? @_module "typing") (#eq? @_name "Dict"))
; int | None
((binary_operator left: (_) @lift.type.arg operator: "|" right: (none)) @lift.type
  (#set! lift.type "Option"))
; None | int
((binary_operator left: (none) operator: "|" right: (_) @lift.type.arg) @lift.type
  (#set! lift.type "Option"))

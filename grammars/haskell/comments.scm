; Haskell comments, stripped before CodeBLEU compares code.

; -- note    {- note -}
(comment) @comment
; -- | Haddock.
(haddock) @comment

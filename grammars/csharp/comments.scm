; C# comments, stripped before CodeBLEU compares code.

; // note    /* note */    /// <summary>Doc.</summary>
(comment) @comment

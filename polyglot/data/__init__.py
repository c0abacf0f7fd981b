"""Synthetic training data: sampled bodies, said in 20 human languages, checked by running.

- `sample`: random well-typed bodies over random signatures, with test cases;
- `describe`: a body in words, through a human pack's templates;
- `augment`: renaming, reordering, other paraphrases, dropping `given`;
- `dataset`: records, the model's source format, splits and files.
"""
from polyglot.data.dataset import (Dataset, format_source, read_records, record_spec, source_text,
                                   synthesize, target_text, write_dataset)

__all__ = ["Dataset", "format_source", "read_records", "record_spec", "source_text", "synthesize",
           "target_text", "write_dataset"]

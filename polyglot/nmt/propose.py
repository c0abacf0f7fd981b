"""Words -> body: let the model propose bodies, keep only those the spec proves right.

For a behaviour that has a signature and words but no `implementation:`, the model
proposes k candidate expressions; each must parse, type-check against the signature and
pass the behaviour's test cases on the reference evaluator. The survivor the model likes
best wins. No survivor -> no body, and the caller renders the loud-failing stub.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import torch

from polyglot.body.check import BodyContext, BodyError, check_body
from polyglot.data.dataset import format_source
from polyglot.data.sample import to_json
from polyglot.errors import SpecError
from polyglot.nmt.decode import beam_search, sample
from polyglot.nmt.model import NMT
from polyglot.nmt.tokenizer import BODY, EOS_ID, Tokenizer, tag
from polyglot.spec.ir import Behavior, Body, Spec
from polyglot.spec.run import run_case
from polyglot.spec.types import Type

MODEL_FILE, TOKENIZER_FILE = "model.safetensors", "tokenizer.model"


@dataclass(frozen=True)
class Candidate:
    text: str
    logprob: float  # the model's log-probability of the candidate, per token
    verdict: str  # "chosen" | "passed" | "failed tests" | "bad body: ..."


@dataclass(frozen=True)
class Proposal:
    behavior: str
    body: Body | None
    candidates: tuple[Candidate, ...]


#: Models shipped inside the package, by name (`--model v0`).
SHIPPED = Path(__file__).resolve().parent.parent / "models"


def load_bundle(path: str | Path, device: str = "cpu") -> tuple[NMT, Tokenizer]:
    """A model folder: `model.safetensors` (weights + config) and `tokenizer.model`; or
    the name of a model shipped with polyglot (`v0`)."""
    folder = Path(path)
    if not folder.exists() and (SHIPPED / str(path)).is_dir():
        folder = SHIPPED / str(path)
    missing = [name for name in (MODEL_FILE, TOKENIZER_FILE) if not (folder / name).is_file()]
    if missing:
        raise SpecError(f"not a model folder: missing {', '.join(missing)}", file=str(folder))
    model = NMT.load(folder / MODEL_FILE, device=device).eval()
    return model, Tokenizer.load(folder / TOKENIZER_FILE)


def source_for(behavior: Behavior, spec: Spec, lang: str | None = None) -> str:
    """The model's input line for a behaviour (the training format of `polyglot.data`).

    Every constant of the spec goes in (its `consts:` segment): the model cannot know in
    advance which ones the body needs, and the training data declares unused ones too.
    """
    named = _declared_names([p.type for p in behavior.params] + [behavior.returns])
    records = [(r.name, [(f.name, str(f.type)) for f in r.fields]) for r in spec.records if r.name in named]
    enums = [(e.name, list(e.members)) for e in spec.enums if e.name in named]
    constants = [(c.name, str(c.type), to_json(c.value)) for c in spec.constants]
    return format_source(lang or spec.locale, behavior.name, [(p.name, str(p.type)) for p in behavior.params],
                         str(behavior.returns), behavior.given, behavior.when, behavior.then, records, enums,
                         constants)


def in_vocabulary(model: NMT, tokenizer: Tokenizer):
    """A decoding constraint: only ids the tokenizer has (the model's vocabulary is padded
    to a multiple of 64, and an untrained padding id must never be emitted)."""
    mask = torch.arange(model.config.vocab_size, device=next(model.parameters()).device) < tokenizer.vocab_size
    return lambda prefix: mask


def _declared_names(types: list[Type | None]) -> set[str]:
    names: set[str] = set()
    stack = [t for t in types if t is not None]
    while stack:
        t = stack.pop()
        names.add(t.name)
        stack.extend(t.args)
    return names


@torch.no_grad()
def propose(behavior: Behavior, spec: Spec, model: NMT, tokenizer: Tokenizer, *, k: int = 8,
            method: str = "sample", temperature: float = 0.8, top_p: float = 0.95, seed: int = 0,
            max_len: int = 128) -> Proposal:
    """Candidates for one behaviour's body, checked; the best survivor as `body`.

    Args:
        behavior: a behaviour with a signature (params, returns) and no body.
        spec: its spec (records, enums, constants are in scope for the body).
        model, tokenizer: from `load_bundle`.
        k: how many candidates to draw.
        method: "sample" (nucleus sampling, k draws) or "beam" (the k best of a beam).
        temperature, top_p, seed: sampling settings; the same seed gives the same result.
        max_len: longest body in tokens.

    Returns:
        A Proposal; `body` is None when no candidate type-checks and passes every test.
    """
    if behavior.returns is None:
        return Proposal(behavior.name, None, ())
    device = next(model.parameters()).device
    lang = spec.locale
    line = source_for(behavior, spec, lang).removeprefix(tag(lang)).removeprefix(" ")
    limit = model.config.max_len
    src = torch.tensor([tokenizer.encode(line, lang=lang)[:limit]], device=device)  # as training encodes it
    max_len = min(max_len, limit - 1)
    start = [tokenizer.lang_id(BODY)]
    if method == "beam":
        hyps = beam_search(model, src, beam_size=k, n_best=k, max_len=max_len, start=start,
                           constraint=in_vocabulary(model, tokenizer))
        drawn = [list(h.ids) for h in hyps]
    elif method == "sample":
        drawn = sample(model, src.expand(k, -1), max_len=max_len, temperature=temperature,
                       top_p=top_p, seed=seed, start=start, constraint=in_vocabulary(model, tokenizer))
    else:
        raise SpecError(f"unknown decoding method `{method}`", expected="sample or beam")
    texts = list(dict.fromkeys(tokenizer.decode(ids).strip() for ids in drawn))  # unique, in order
    scored = sorted(((t, _logprob(model, tokenizer, src, start, t)) for t in texts if t), key=lambda p: -p[1])
    context = BodyContext(behavior.params, spec.records, spec.enums, spec.constants)
    candidates, best = [], None
    for text, logprob in scored:
        try:
            expr = check_body(text, context, behavior.returns)
        except BodyError as err:
            candidates.append(Candidate(text, logprob, f"bad body: {err.message}"))
            continue
        body = Body(text, expr)
        trial = dataclasses.replace(behavior, body=body)
        if all(run_case(spec, trial, case).status == "passed" for case in behavior.tests):
            verdict = "chosen" if best is None else "passed"
            best = best or body
        else:
            verdict = "failed tests"
        candidates.append(Candidate(text, logprob, verdict))
    return Proposal(behavior.name, best, tuple(candidates))


def _logprob(model: NMT, tokenizer: Tokenizer, src: torch.Tensor, start: list[int], text: str) -> float:
    """Mean per-token log-probability of `text` (then eos) after `start`, given `src`;
    -inf when it is longer than the model can score (it then ranks last)."""
    ids = tokenizer.encode(text) + [EOS_ID]
    if len(start) + len(ids) > model.config.max_len:  # re-encoded longer than the model reads
        return float("-inf")
    tgt = torch.tensor([start + ids], device=src.device)
    logits, _ = model(src, tgt[:, :-1])  # (1, T, V)
    logp = logits.log_softmax(-1)[0, len(start) - 1:]  # predictions for ids
    picked = logp.gather(-1, torch.tensor(ids, device=src.device)[:, None])
    return float(picked.mean())


def fill_bodies(spec: Spec, model: NMT, tokenizer: Tokenizer, **options) -> tuple[Spec, list[Proposal]]:
    """The spec with a checked body proposed for every behaviour that has words but no body."""
    proposals, behaviors = [], []
    for behavior in spec.behaviors:
        if behavior.body is None and behavior.signature_given:
            proposal = propose(behavior, spec, model, tokenizer, **options)
            proposals.append(proposal)
            if proposal.body is not None:
                behavior = dataclasses.replace(behavior, body=proposal.body)
        behaviors.append(behavior)
    return dataclasses.replace(spec, behaviors=tuple(behaviors)), proposals

"""Decoding strategies for `polyglot.nmt.model.NMT`: greedy, sampling, beam search and
speculative decoding.

All of them run the decoder incrementally (one `decode_step` per token, the encoder once),
never generate the pad token, stop at eos or after `max_len` tokens, and accept a
*constraint*: a callable that sees the tokens generated so far and returns which tokens
may come next -- a bool mask (V,), a list of ids, or None for "anything". The body
language's grammar plugs in there, so every candidate the sampler proposes parses.

Generated sequences are lists of ids without the start tokens, ending with eos when the
model produced one. Call `model.eval()` first: dropout makes every strategy random.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F

Constraint = Callable[[list[int]], "torch.Tensor | Sequence[int] | None"]


def _allowed(logits: torch.Tensor, prefixes: list[list[int] | None], constraint, pad_id: int
             ) -> torch.Tensor:
    """Logits (N, V) with pad and every token the constraint forbids set to -inf.
    `prefixes[i]` is what row i generated so far; None skips the constraint for that row."""
    logits = logits.float().clone()
    logits[:, pad_id] = float("-inf")
    if constraint is None:
        return logits
    V = logits.size(-1)
    for row, prefix in enumerate(prefixes):
        if prefix is None:
            continue
        allowed = constraint(list(prefix))
        if allowed is None:
            continue
        allowed = torch.as_tensor(allowed, device=logits.device)
        if allowed.dtype != torch.bool:  # a list of ids -> a mask
            allowed = torch.zeros(V, dtype=torch.bool, device=logits.device).index_fill_(
                0, allowed.long().view(-1), True)
        logits[row, ~allowed] = float("-inf")
        if torch.isinf(logits[row]).all():
            raise ValueError(f"the constraint allows no token after {prefix}")
    return logits


def _start(model, src: torch.Tensor, start: Sequence[int] | None) -> torch.Tensor:
    """The decoder's first tokens, the same for every row: (B, T0)."""
    start = [model.config.bos_id] if start is None else list(start)
    if not start:
        raise ValueError("the decoder needs at least one start token")
    return torch.tensor(start, device=src.device).expand(src.size(0), -1)


@torch.no_grad()
def _generate(model, src, choose, max_len, start, constraint) -> list[list[int]]:
    """One token per step for every row until each row has emitted eos or max_len tokens."""
    pad, eos = model.config.pad_id, model.config.eos_id
    state = model.start(*model.encode(src))
    tokens = _start(model, src, start)  # (B, T0)
    out: list[list[int]] = [[] for _ in range(src.size(0))]
    done = torch.zeros(src.size(0), dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        logits, state = model.decode_step(tokens, state)  # (B, T, V)
        prefixes = [None if d else o for o, d in zip(out, done.tolist())]
        nxt = choose(_allowed(logits[:, -1], prefixes, constraint, pad))  # (B,)
        nxt = nxt.masked_fill(done, pad)  # finished rows read pads, which are masked as keys
        for row, (token, finished) in enumerate(zip(nxt.tolist(), done.tolist())):
            if not finished:
                out[row].append(token)
        done |= nxt == eos
        if done.all():
            break
        tokens = nxt.unsqueeze(1)  # (B, 1)
    return out


def greedy(model, src: torch.Tensor, *, max_len: int = 128, start: Sequence[int] | None = None,
           constraint: Constraint | None = None) -> list[list[int]]:
    """The most likely next token at every step.

    Args:
        model: an `NMT` (or anything with its `encode`/`start`/`decode_step`/`config`).
        src: source ids (B, S), padded with the pad id.
        max_len: most tokens generated per row, eos included.
        start: the decoder's first tokens (default: bos); a language tag picks the
            output language in the words direction.
        constraint: see the module docstring.

    Returns:
        One list of generated ids per row.
    """
    return _generate(model, src, lambda logits: logits.argmax(-1), max_len, start, constraint)


def sample(model, src: torch.Tensor, *, max_len: int = 128, temperature: float = 1.0,
           top_k: int | None = None, top_p: float | None = None, seed: int = 0,
           start: Sequence[int] | None = None, constraint: Constraint | None = None
           ) -> list[list[int]]:
    """Random sampling, reproducible: the same seed gives the same sequences.

    Args:
        temperature: divides the logits; below 1 sharpens, above 1 flattens.
        top_k: sample only among the k most likely tokens (1 = greedy).
        top_p: nucleus sampling: only the smallest set of most likely tokens whose
            probability reaches top_p (the most likely token is always kept).
        seed: seeds a `torch.Generator` private to this call; global RNG is untouched.
        (other arguments as in `greedy`)

    Returns:
        One list of generated ids per row.
    """
    if temperature <= 0:
        raise ValueError("temperature must be positive; use greedy() for temperature 0")
    generator = torch.Generator(device=src.device).manual_seed(seed)

    def choose(logits):  # (B, V)
        logits = logits / temperature
        if top_k is not None:
            kth = logits.topk(min(top_k, logits.size(-1)), dim=-1).values[:, -1:]  # (B, 1)
            logits = logits.masked_fill(logits < kth, float("-inf"))
        if top_p is not None:
            sorted_logits, order = logits.sort(dim=-1, descending=True)  # (B, V)
            probs = sorted_logits.softmax(-1)
            outside = probs.cumsum(-1) - probs >= top_p  # mass before this token already enough
            logits = logits.masked_fill(outside.scatter(1, order, outside), float("-inf"))
        probs = logits.softmax(-1)
        return torch.multinomial(probs, 1, generator=generator).squeeze(1)  # (B,)

    return _generate(model, src, choose, max_len, start, constraint)


@dataclass
class Hypothesis:
    ids: list[int]  # generated ids, eos included when the hypothesis finished
    logprob: float  # sum of the token log-probabilities
    score: float  # logprob / length_penalty(len(ids), alpha): what beam search ranks by


def length_penalty(length: int, alpha: float) -> float:
    """GNMT's length normaliser ((5 + length) / 6) ** alpha (Wu et al. 2016); alpha = 0
    ranks by raw log-probability, which favours short outputs."""
    return ((5 + length) / 6) ** alpha


@torch.no_grad()
def beam_search(model, src: torch.Tensor, *, beam_size: int = 4, max_len: int = 128,
                alpha: float = 0.6, early_stopping: bool = True, n_best: int = 1,
                start: Sequence[int] | None = None, constraint: Constraint | None = None
                ) -> list[Hypothesis]:
    """Beam search with length normalisation, for one source.

    Every step extends each live hypothesis by every allowed token; hypotheses ending
    in eos (or reaching max_len) are finished, the best `beam_size` others stay live.
    Early stopping is exact: it stops only when no live hypothesis can still beat the
    n_best-th finished one (its log-probability can only fall, and is divided at most by
    the penalty of max_len), so it never changes the result.

    Args:
        src: source ids (1, S).
        beam_size: live hypotheses kept per step.
        alpha: length-normalisation strength (0 = none); must be >= 0.
        early_stopping: stop as soon as the result is certain.
        n_best: how many finished hypotheses to return (<= beam_size).
        (other arguments as in `greedy`)

    Returns:
        The n_best best `Hypothesis`, best first.
    """
    if src.size(0) != 1:
        raise ValueError("beam_search decodes one source at a time")
    if alpha < 0 or not 1 <= n_best <= beam_size:
        raise ValueError("need alpha >= 0 and 1 <= n_best <= beam_size")
    eos = model.config.eos_id
    state = model.start(*model.encode(src))
    logits, state = model.decode_step(_start(model, src, start), state)
    logits = logits[:, -1]  # (n_live, V), one row per live hypothesis
    live: list[tuple[list[int], float]] = [([], 0.0)]
    finished: list[Hypothesis] = []

    def finish(ids, logprob):
        finished.append(Hypothesis(ids, logprob, logprob / length_penalty(len(ids), alpha)))

    for step in range(1, max_len + 1):
        logp = F.log_softmax(_allowed(logits, [ids for ids, _ in live], constraint,
                                      model.config.pad_id), dim=-1)
        total = logp + torch.tensor([lp for _, lp in live], device=logp.device)[:, None]
        for (ids, _), lp in zip(live, total[:, eos].tolist()):
            if lp > float("-inf"):
                finish(ids + [eos], lp)
        total[:, eos] = float("-inf")
        V = total.size(-1)
        best = total.view(-1).topk(min(beam_size, int(torch.isfinite(total).sum())))
        rows, tokens = (best.indices // V).tolist(), (best.indices % V).tolist()
        live = [(live[r][0] + [t], lp) for r, t, lp in zip(rows, tokens, best.values.tolist())]
        if step == max_len:
            for ids, lp in live:  # out of length: finished without eos
                finish(ids, lp)
            break
        if not live:
            break
        if early_stopping and len(finished) >= n_best:
            kth = sorted((h.score for h in finished), reverse=True)[n_best - 1]
            if kth >= max(lp for _, lp in live) / length_penalty(max_len, alpha):
                break
        state = state.select(torch.tensor(rows, device=src.device))
        logits, state = model.decode_step(torch.tensor(tokens, device=src.device)[:, None], state)
        logits = logits[:, -1]
    return sorted(finished, key=lambda h: h.score, reverse=True)[:n_best]


@dataclass
class SpeculativeResult:
    ids: list[int]  # generated ids: exactly what greedy() on the target returns
    proposed: int  # draft tokens offered to the target
    accepted: int  # of those, how many the target agreed with
    target_calls: int  # decoder passes of the target (greedy needs one per token)

    @property
    def acceptance_rate(self) -> float:
        return self.accepted / self.proposed if self.proposed else 0.0


@torch.no_grad()
def speculative(target, draft, src: torch.Tensor, *, k: int = 4, max_len: int = 128,
                start: Sequence[int] | None = None, constraint: Constraint | None = None
                ) -> SpeculativeResult:
    """Greedy decoding of `target`, sped up by guesses from a smaller `draft` model.

    Each round the draft proposes up to k tokens greedily; the target scores all of them
    in one decoder pass and keeps the longest prefix it agrees with, plus its own next
    token. The output is the target's greedy output token for token (Leviathan et al.
    2023, Chen et al. 2023, greedy case); a good draft only makes it cheaper.

    Args:
        target: the model whose greedy output is wanted.
        draft: a model with the same vocabulary, cheaper per step.
        src: source ids (1, S).
        k: draft tokens per round.
        (other arguments as in `greedy`)

    Returns:
        A `SpeculativeResult` with the ids and the acceptance statistics.
    """
    if src.size(0) != 1:
        raise ValueError("speculative decoding runs one source at a time")
    if target.config.vocab_size != draft.config.vocab_size:
        raise ValueError("target and draft must share one vocabulary")
    pad, eos = target.config.pad_id, target.config.eos_id
    as_tensor = lambda ids: torch.tensor([ids], device=src.device)  # noqa: E731  (1, T)
    seq = _start(target, src, start)[0].tolist()  # start tokens + output so far
    out: list[int] = []
    # Invariant: the target has consumed every token of seq but the last, the draft d_len.
    t_state = target.start(*target.encode(src))
    if len(seq) > 1:
        _, t_state = target.decode_step(as_tensor(seq[:-1]), t_state)
    d_state, d_len = draft.start(*draft.encode(src)), 0
    proposed = accepted = calls = 0
    while len(out) < max_len and not (out and out[-1] == eos):
        proposal = []
        for _ in range(min(k, max_len - len(out) - 1)):
            logits, d_state = draft.decode_step(as_tensor((seq + proposal)[d_len:]), d_state)
            d_len = len(seq) + len(proposal)
            token = int(_allowed(logits[:, -1], [out + proposal], constraint, pad).argmax())
            proposal.append(token)
            if token == eos:
                break
        # Row j of the target's logits predicts what follows out + proposal[:j].
        logits, t_state = target.decode_step(as_tensor(seq[-1:] + proposal), t_state)
        calls += 1
        prefixes = [out + proposal[:j] for j in range(len(proposal) + 1)]
        choice = _allowed(logits[0], prefixes, constraint, pad).argmax(-1).tolist()
        m = 0
        while m < len(proposal) and proposal[m] == choice[m]:
            m += 1
        proposed, accepted = proposed + len(proposal), accepted + m
        t_state = t_state.truncate(len(seq) + m)  # drop the rejected proposals
        d_len = min(d_len, len(seq) + m)
        d_state = d_state.truncate(d_len)
        new = proposal[:m] + [choice[m]]
        if eos in new:  # an accepted eos ends the output; the token after it is moot
            new = new[:new.index(eos) + 1]
        seq += new
        out += new
    return SpeculativeResult(out, proposed, accepted, calls)

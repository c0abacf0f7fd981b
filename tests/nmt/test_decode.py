import itertools
import math

import pytest
import torch
import torch.nn.functional as F

from polyglot.nmt.decode import (
    beam_search, greedy, length_penalty, sample, speculative,
)
from polyglot.nmt.model import NMT, NMTConfig

PAD, BOS, EOS = 0, 2, 3



def random_model(seed, vocab_size=40, std=0.3, **overrides) -> NMT:
    """A tiny model with large random weights, so its outputs vary from token to token
    (at the usual 0.02 init, tied embeddings make it echo its input)."""
    torch.manual_seed(seed)
    args = dict(vocab_size=vocab_size, d_model=32, n_heads=2, n_enc_layers=1, n_dec_layers=2,
                d_ff=64, dropout=0.0, max_len=64)
    model = NMT(NMTConfig(**(args | overrides))).eval()
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() == 2:
                p.normal_(0.0, std)
    return model


def sources(n=3, vocab_size=40, seed=0):
    g = torch.Generator().manual_seed(seed)
    src = torch.randint(4, vocab_size, (n, 8), generator=g)
    src[-1, 5:] = PAD
    return src


def next_logits(model, src_row, prefix, start=(BOS,)):
    """Reference: the last-position logits of a full forward pass, no cache, pad banned."""
    tgt = torch.tensor([[*start, *prefix]])
    with torch.no_grad():
        logits = model(src_row[None], tgt)[0][0, -1].clone()
    logits[PAD] = float("-inf")
    return logits


def test_greedy_matches_a_cache_free_reference():
    model = random_model(0)
    src = sources()
    out = greedy(model, src, max_len=12)
    assert [len(ids) for ids in out] == [12, 12, 12]
    for row, ids in enumerate(out):
        for t, token in enumerate(ids):
            assert token == int(next_logits(model, src[row, src[row] != PAD], ids[:t]).argmax())
    # Batched rows decode exactly as they do alone.
    assert [greedy(model, src[i:i + 1, :5 if i == 2 else 8], max_len=12)[0]
            for i in range(3)] == out


def test_greedy_stops_at_eos_and_honours_start_tokens():
    model = random_model(1)
    src = sources()
    force_eos = lambda prefix: [EOS] if len(prefix) == 3 else None  # noqa: E731
    out = greedy(model, src, max_len=10, constraint=force_eos)
    assert [len(ids) for ids in out] == [4, 4, 4] and {ids[-1] for ids in out} == {EOS}
    tagged = greedy(model, src[:1], max_len=5, start=[BOS, 7])
    assert tagged[0][0] == int(next_logits(model, src[0], [], start=(BOS, 7)).argmax())


def brute_force(model, src_row, max_len, alpha, constraint=None):
    """Every output of at most max_len tokens (eos only at the end), scored like beam search.
    The constraint must not depend on the prefix."""
    V = model.config.vocab_size
    banned = {PAD} | ({t for t in range(V) if t not in constraint([])} if constraint else set())
    body = [t for t in range(V) if t not in banned | {EOS}]
    candidates = []
    for n in range(max_len + 1):
        for prefix in itertools.product(body, repeat=n):
            candidates += [list(prefix) + [EOS]] if n < max_len else [list(prefix)]
    scored = []
    for ids in candidates:
        logprob = 0.0
        for t, token in enumerate(ids):
            logits = next_logits(model, src_row, ids[:t])
            if constraint is not None:
                allowed = torch.zeros(V, dtype=torch.bool)
                allowed[constraint(ids[:t])] = True
                logits[~allowed] = float("-inf")
            logprob += float(F.log_softmax(logits, -1)[token])
        scored.append((logprob / length_penalty(len(ids), alpha), ids))
    return sorted(scored, key=lambda s: s[0], reverse=True)


@pytest.mark.parametrize("alpha", [0.0, 0.6, 2.0])
@pytest.mark.parametrize("early_stopping", [True, False])
def test_beam_search_with_full_beam_is_exhaustive(alpha, early_stopping):
    # Vocabulary of 6 (pad, unk, bos, eos, 4, 5), pad never generated: with a beam of 6,
    # no prefix is ever pruned up to length 2, so beam search must find the true optimum.
    model = random_model(2, vocab_size=6, std=0.5)
    src = sources(1, vocab_size=6)
    expected = brute_force(model, src[0], max_len=2, alpha=alpha)
    assert len(expected) == 1 + 4 + 4 * 4  # [eos], [x, eos], [x, y]
    found = beam_search(model, src, beam_size=6, max_len=2, alpha=alpha,
                        early_stopping=early_stopping, n_best=6)
    assert [h.ids for h in found] == [ids for _, ids in expected[:6]]
    assert [h.score for h in found] == pytest.approx([s for s, _ in expected[:6]], abs=1e-5)
    best = found[0]
    assert best.logprob == pytest.approx(best.score * length_penalty(len(best.ids), alpha))


@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_constrained_beam_search_is_exhaustive(alpha):
    # Only eos, 4 and 5 allowed: at most 2 x 2 live prefixes, so a beam of 6 is exhaustive
    # up to length 3.
    allow = lambda prefix: [EOS, 4, 5]  # noqa: E731
    model = random_model(3, vocab_size=6, std=0.5)
    src = sources(1, vocab_size=6, seed=1)
    expected = brute_force(model, src[0], max_len=3, alpha=alpha, constraint=allow)
    assert len(expected) == 1 + 2 + 4 + 8
    found = beam_search(model, src, beam_size=6, max_len=3, alpha=alpha, n_best=6,
                        constraint=allow)
    assert [h.ids for h in found] == [ids for _, ids in expected[:6]]
    assert [h.score for h in found] == pytest.approx([s for s, _ in expected[:6]], abs=1e-5)


def test_beam_search_arguments():
    model = random_model(0)
    with pytest.raises(ValueError, match="one source at a time"):
        beam_search(model, sources(2))
    with pytest.raises(ValueError, match="n_best <= beam_size"):
        beam_search(model, sources(1), beam_size=2, n_best=3)
    assert length_penalty(1, 0.6) == 1.0 and length_penalty(7, 1.0) == 2.0


def noisy_copy(model, seed, scale):
    """The model with every weight matrix perturbed: a draft that is right some of the time."""
    copy = random_model(0)  # same architecture as the targets below
    copy.load_state_dict(model.state_dict())
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in copy.parameters():
            if p.dim() == 2:
                p.add_(scale * torch.randn(p.shape, generator=g))
    return copy


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_speculative_equals_greedy(seed):
    target = random_model(seed)
    drafts = {
        "self": target,
        "noisy": noisy_copy(target, seed, 0.1),
        "terrible": random_model(100 + seed, n_dec_layers=1, positions="learned"),
    }
    src = sources(3, seed=seed)
    rates = {}
    for row in range(3):
        s = src[row:row + 1]
        expected = greedy(target, s, max_len=30)[0]
        for name, draft in drafts.items():
            for k in (1, 4):
                result = speculative(target, draft, s, k=k, max_len=30)
                assert result.ids == expected, (name, k)
                assert 0 <= result.accepted <= result.proposed
                # Every target pass yields one token of its own beyond the accepted ones
                # (the last one is dropped when it follows an accepted eos).
                assert result.accepted + result.target_calls - len(result.ids) in (0, 1)
                rates.setdefault(name, []).append(result.acceptance_rate)
                if name == "self":
                    assert result.target_calls == math.ceil(len(expected) / (k + 1))
    assert set(rates["self"]) == {1.0}
    mean = {name: sum(r) / len(r) for name, r in rates.items()}
    assert mean["terrible"] < mean["noisy"] < 1.0


def test_speculative_with_eos_constraint_and_start_tokens():
    target = random_model(5)
    draft = noisy_copy(target, 5, 0.05)
    src = sources(1)
    stop_after_5 = lambda prefix: [EOS] if len(prefix) == 5 else list(range(4, 40, 3))  # noqa: E731
    for k in (2, 3, 7):
        expected = greedy(target, src, max_len=20, start=[BOS, 9], constraint=stop_after_5)[0]
        result = speculative(target, draft, src, k=k, max_len=20, start=[BOS, 9],
                             constraint=stop_after_5)
        assert result.ids == expected and len(expected) == 6 and expected[-1] == EOS
    with pytest.raises(ValueError, match="share one vocabulary"):
        speculative(target, random_model(0, vocab_size=41), src)


def test_sampling_is_reproducible_by_seed():
    model = random_model(0)
    src = sources()
    state = torch.random.get_rng_state()
    first = sample(model, src, max_len=15, seed=7)
    assert sample(model, src, max_len=15, seed=7) == first
    assert sample(model, src, max_len=15, seed=8) != first
    assert torch.equal(torch.random.get_rng_state(), state)  # global RNG untouched
    assert all(PAD not in ids for ids in first)


def test_top_k_1_and_tiny_top_p_are_greedy():
    model = random_model(4)
    src = sources()
    expected = greedy(model, src, max_len=15)
    assert sample(model, src, max_len=15, top_k=1, seed=3, temperature=5.0) == expected
    assert sample(model, src, max_len=15, top_p=1e-6, seed=3, temperature=5.0) == expected


def test_top_k_and_top_p_keep_to_their_sets():
    model = random_model(6)
    src = sources(2)
    for kwargs in (dict(top_k=3), dict(top_p=0.5)):
        for seed in range(3):
            out = sample(model, src, max_len=8, seed=seed, temperature=2.0, **kwargs)
            for row, ids in enumerate(out):
                for t, token in enumerate(ids):
                    logits = next_logits(model, src[row, src[row] != PAD], ids[:t]) / 2.0
                    order = logits.argsort(descending=True).tolist()
                    rank = order.index(token)
                    if "top_k" in kwargs:
                        assert rank < 3
                    else:  # the mass of the tokens ranked above it is below top_p
                        assert float(logits.softmax(-1)[order[:rank]].sum()) < 0.5
    with pytest.raises(ValueError, match="temperature must be positive"):
        sample(model, src, temperature=0.0)


def test_constraint_is_honoured_by_every_strategy():
    target = random_model(7)
    draft = noisy_copy(target, 7, 0.1)
    src = sources()
    allowed = {EOS, 5, 11, 17, 23}
    seen = []

    def only(prefix):
        seen.append(list(prefix))
        mask = torch.zeros(40, dtype=torch.bool)
        mask[sorted(allowed)] = True
        return mask

    outputs = (greedy(target, src, max_len=10, constraint=only)
               + sample(target, src, max_len=10, seed=0, constraint=only)
               + [h.ids for h in beam_search(target, src[:1], max_len=10, n_best=3,
                                             constraint=only)]
               + [speculative(target, draft, src[:1], max_len=10, constraint=only).ids])
    assert all(set(ids) <= allowed and ids for ids in outputs)
    assert [] in seen and any(len(p) == 9 for p in seen)  # called with every prefix length
    with pytest.raises(ValueError, match="allows no token"):
        greedy(target, src, max_len=3, constraint=lambda prefix: [PAD])


def test_early_stopping_is_exact_and_stops_early():
    model = random_model(8, std=0.5)
    src = sources(4)
    calls = {True: 0, False: 0}
    step = model.decode_step
    for row in range(4):
        for alpha in (0.0, 0.6, 2.0):
            results = {}
            for early in (True, False):
                def counting(*args, early=early):
                    calls[early] += 1
                    return step(*args)
                model.decode_step = counting
                results[early] = beam_search(model, src[row:row + 1], beam_size=3, max_len=12,
                                             alpha=alpha, early_stopping=early, n_best=2)
            assert [(h.ids, h.score) for h in results[True]] == \
                [(h.ids, h.score) for h in results[False]]
    assert calls[True] < calls[False]

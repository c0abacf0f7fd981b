import math
import sys

import pytest
import torch

from polyglot.nmt.schedule import (RangeTestResult, ScheduleConfig, exponential_lrs, lr_at,
                                   range_test, write_range_test)


def lrs(config, steps):
    return [lr_at(config, s) for s in steps]


def test_cosine_restarts_exact_values():
    c = ScheduleConfig(kind="cosine_restarts", max_lr=1.0, min_lr=0.0, period=10, t_mult=2)
    # cycles: [0, 10) of 10 steps, [10, 30) of 20, [30, 70) of 40, then 70 restarts
    assert lrs(c, [0, 5, 10, 20, 30, 50, 70]) == [1.0, 0.5, 1.0, 0.5, 1.0, 0.5, 1.0]
    assert lr_at(c, 15) == 0.8535533905932737  # (1 + cos(pi / 4)) / 2
    assert lr_at(c, 29) == 0.00615582970243117  # (1 + cos(19 pi / 20)) / 2, before the restart


def test_cosine_restarts_floor_and_decay():
    c = ScheduleConfig(kind="cosine_restarts", max_lr=1.0, min_lr=0.2, period=4, t_mult=1,
                       cycle_decay=0.5)
    # peaks 1.0, then 0.2 + 0.8 * 0.5 = 0.6, then 0.4
    assert lrs(c, [0, 2, 4, 6, 8]) == pytest.approx([1.0, 0.6, 0.6, 0.4, 0.4], abs=1e-15)
    assert lr_at(c, 3) == pytest.approx(0.2 + 0.8 * (1 + math.cos(math.pi * 3 / 4)) / 2, abs=1e-15)


def test_cosine_restarts_matches_torch():
    c = ScheduleConfig(kind="cosine_restarts", max_lr=0.1, min_lr=0.001, period=7, t_mult=3)
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=7, T_mult=3,
                                                                 eta_min=0.001)
    for step in range(120):
        assert lr_at(c, step) == pytest.approx(opt.param_groups[0]["lr"], abs=1e-12)
        opt.step()
        sched.step()


def test_cyclic_triangular_exact_values():
    c = ScheduleConfig(kind="cyclic", max_lr=1.0, min_lr=0.1, step_size=4)
    assert lrs(c, range(9)) == [0.1, 0.325, 0.55, 0.775, 1.0, 0.775, 0.55, 0.325, 0.1]
    assert lr_at(c, 12) == 1.0  # every peak is max_lr


def test_cyclic_triangular2_halves_each_cycle():
    c = ScheduleConfig(kind="cyclic", max_lr=1.0, min_lr=0.1, step_size=4, mode="triangular2")
    assert lrs(c, [4, 12, 20]) == [1.0, 0.55, 0.325]


@pytest.mark.parametrize("mode", ["triangular", "triangular2", "exp_range"])
def test_cyclic_matches_torch(mode):
    c = ScheduleConfig(kind="cyclic", max_lr=0.5, min_lr=0.01, step_size=5, mode=mode, gamma=0.97)
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.01)
    sched = torch.optim.lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.5, step_size_up=5,
                                              mode=mode, gamma=0.97, cycle_momentum=False)
    for step in range(60):
        assert lr_at(c, step) == pytest.approx(opt.param_groups[0]["lr"], abs=1e-12)
        opt.step()
        sched.step()


def test_warmup_then_cosine():
    c = ScheduleConfig(kind="cosine", max_lr=1.0, min_lr=0.1, warmup_steps=4, period=10)
    assert lrs(c, range(4)) == [0.25, 0.5, 0.75, 1.0]
    assert lr_at(c, 4) == 1.0  # the cosine starts after the warmup
    assert lr_at(c, 9) == pytest.approx(0.55, abs=1e-15)
    assert lrs(c, [14, 15, 1000]) == [0.1, 0.1, 0.1]  # then stays at the floor


def test_constant():
    assert lrs(ScheduleConfig(kind="constant", max_lr=0.3), [0, 1, 10 ** 6]) == [0.3] * 3


def test_bad_kind():
    with pytest.raises(ValueError, match="schedule kind must be one of"):
        ScheduleConfig(kind="linear")


def test_exponential_lrs():
    lrs_ = exponential_lrs(1e-6, 1.0, 7)
    assert lrs_[0] == 1e-6 and lrs_[-1] == pytest.approx(1.0, rel=1e-12)
    assert all(a < b for a, b in zip(lrs_, lrs_[1:]))
    assert lrs_[3] == pytest.approx(1e-3, rel=1e-12)


def test_range_test_stops_on_divergence_and_suggests_before_the_minimum():
    # A loss with its minimum at lr = 1e-3 that blows up beyond.
    loss = lambda lr: 1 + (math.log10(lr) + 3) ** 2 if lr < 1e-2 else 50.0  # noqa: E731
    result = range_test(loss, exponential_lrs(1e-6, 1.0, 61), smoothing=0.5)
    assert all(a < b for a, b in zip(result.lrs, result.lrs[1:]))
    assert len(result.lrs) < 61  # stopped when the smoothed loss passed 4x its best
    assert result.losses[-1] == 50.0
    assert 1e-6 < result.suggestion < 1e-3


def test_range_test_stops_on_nan():
    result = range_test(lambda lr: float("nan") if lr > 2e-3 else 1.0, exponential_lrs(1e-5, 1, 6))
    assert result.lrs == pytest.approx([1e-5, 1e-4, 1e-3], rel=1e-12)


def test_write_range_test_csv_without_matplotlib(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails
    result = RangeTestResult([1e-4, 1e-3], [2.0, 1.5], [2.0, 1.75], None)
    path = write_range_test(result, tmp_path / "lr_find")
    assert path == tmp_path / "lr_find.csv"
    assert path.read_text() == "step,lr,loss,smoothed\n0,0.0001,2.0,2.0\n1,0.001,1.5,1.75\n"


def test_write_range_test_png_with_matplotlib(tmp_path):
    pytest.importorskip("matplotlib")
    result = RangeTestResult([1e-4, 1e-3, 1e-2], [2.0, 1.5, 3.0], [2.0, 1.7, 2.2], 1e-4)
    path = write_range_test(result, tmp_path / "lr_find")
    assert path.suffix == ".png" and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

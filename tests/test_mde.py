"""What a comparison can detect (DESIGN §10): each pair's minimum detectable effect.

mde = (z_{1 - alpha_adj/2} + z_{0.8}) * sd(d) / sqrt(n), with d the pair's per-item
differences and alpha_adj = alpha / m, the level of Holm's first step for m tests
(`benchmark.stats.power`); ``benchmarks/bench_mde_power.py`` checks by simulation that
the tests reach about 80% power there. Every output says that differences below it are
not reliably detected.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from benchmark.report.compare import compare_runs
from benchmark.report.compare_view import render_result
from benchmark.report.contract import compare_json
from benchmark.stats.power import minimum_detectable_effect
from fake_runs import in_memory  # tests/ is on sys.path

Z_0975 = 1.959963984540054  # two-sided 5%
Z_080 = 0.8416212335729143  # 80% power


@pytest.mark.parametrize("differences, alpha, expected, why", [
    ([1, 2, 3, 4], 0.05, (Z_0975 + Z_080) * math.sqrt(5 / 3) / 2,
     "sd = sqrt(((1.5^2 + 0.5^2) * 2) / 3) = sqrt(5/3); sqrt(n) = 2"),
    ([0.5, 0.5, 0.5], 0.05, 0.0, "no spread: any true difference is detected"),
    ([0.0, 2.0], 0.01, (2.5758293035489004 + Z_080) * math.sqrt(2) / math.sqrt(2),
     "alpha 1%: z 2.5758; sd sqrt(2), n 2"),
])
def test_minimum_detectable_effect_golden(differences, alpha, expected, why):
    assert minimum_detectable_effect(differences, alpha=alpha) == pytest.approx(
        expected, rel=1e-12), why


def test_one_difference_has_no_mde():
    assert minimum_detectable_effect([0.3], alpha=0.05) is None


@pytest.fixture
def three_systems():
    rng = np.random.default_rng(5)
    base = rng.random(300)
    values = {"a": base, "b": np.clip(base - 0.02 + rng.normal(0, 0.05, 300), 0, 1),
              "c": np.clip(base - 0.05 + rng.normal(0, 0.08, 300), 0, 1)}
    runs = [in_memory(label, {"rouge2_f": list(v)}) for label, v in values.items()]
    return values, compare_runs(runs, ["rouge2_f"])


def test_each_pair_gets_its_mde_at_holms_first_level(three_systems):
    values, result = three_systems
    assert len(result.pairs) == 3
    z = 2.3939797998185104  # z_{1 - 0.05/(2*3)}: three tests, Holm's first step 0.05/3
    for pair in result.pairs:
        d = 100 * (values[pair.a] - values[pair.b])
        expected = (z + Z_080) * d.std(ddof=1) / math.sqrt(300)
        assert pair.mde == pytest.approx(expected, rel=1e-9)
        assert pair.mde == pytest.approx(
            100 * minimum_detectable_effect(list(values[pair.a] - values[pair.b]),
                                            alpha=0.05 / 3), rel=1e-9)


def test_every_output_says_what_is_not_reliably_detected(three_systems):
    _, result = three_systems
    mdes = sorted(p.mde for p in result.pairs)
    line = (f"mde (rouge2_f): {mdes[0]:.2f} to {mdes[-1]:.2f}; a true difference below a "
            "pair's mde is not reliably detected (80% power at alpha 0.05/3), so systems "
            "in one group may still differ by less")
    assert line in result.notes
    for fmt in ("text", "md", "html"):
        assert render_result(result, fmt).count("not reliably detected") == 1, fmt
    contract = compare_json(result)
    assert [p["mde"] for p in contract["pairs"]] == [p.mde for p in result.pairs]
    text = render_result(result, "text", pairs=True)
    header = next(line for line in text.splitlines() if line.startswith("metric"))
    assert header.split()[-1] == "mde"
    json.dumps(contract, allow_nan=False)


def test_a_pair_on_one_shared_item_is_not_tested():
    """One item: no spread, no resampling; the difference is shown, untested (it used to
    be marked significant at p = 1/(R+1))."""
    a, b = in_memory("a", {"rouge2_f": [0.4]}), in_memory("b", {"rouge2_f": [0.1]})
    result = compare_runs([a, b], ["rouge2_f"])
    (pair,) = result.pairs
    assert pair.diff == pytest.approx(30.0) and pair.n == 1
    assert (pair.low, pair.p_bootstrap, pair.significant, pair.mde) == (None, None, False,
                                                                        None)
    cells = [row.metrics["rouge2_f"] for row in result.rows]
    assert [(c.low, c.high) for c in cells] == [(None, None), (None, None)]
    assert not any(note.startswith("mde") for note in result.notes)

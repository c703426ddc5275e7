"""Bootstrap intervals, paired tests and Holm's correction on hand-checkable inputs."""

import math

import pytest

from benchmark.stats.bootstrap import bootstrap_ci
from benchmark.stats.holm import holm
from stats_oracles import approximate_randomization_p, paired_bootstrap_p  # tests/ is on sys.path


def test_constant_values_have_a_zero_width_interval():
    ci = bootstrap_ci([0.4] * 50, seed=1)
    assert (ci.mean, ci.low, ci.high, ci.n) == (pytest.approx(0.4), pytest.approx(0.4),
                                                pytest.approx(0.4), 50)


def test_interval_is_seeded_and_contains_the_mean():
    values = [i / 100 for i in range(100)]
    a, b = bootstrap_ci(values, seed=3), bootstrap_ci(values, seed=3)
    assert a == b
    assert a.low < a.mean < a.high
    # Standard error of the mean of 0..0.99 is about 0.029; a 95% interval is ~ +-0.057.
    assert 0.09 < a.high - a.low < 0.14


def test_empty_and_single():
    assert bootstrap_ci([]).n == 0 and math.isnan(bootstrap_ci([]).mean)
    assert bootstrap_ci([0.7]).low == 0.7


def test_paired_tests_see_a_consistent_difference():
    a = [0.5 + 0.01 * (i % 7) for i in range(200)]
    b = [x - 0.05 for x in a]  # b is worse on every item
    assert paired_bootstrap_p(a, b, seed=1) < 0.01
    assert approximate_randomization_p(a, b, seed=1) < 0.01


def test_paired_tests_do_not_see_noise():
    a = [(i * 37 % 100) / 100 for i in range(100)]
    b = list(reversed(a))  # same values, shuffled pairing: equal means
    assert paired_bootstrap_p(a, b, seed=1) == 1.0  # mean difference exactly 0
    assert approximate_randomization_p(a, b, seed=1) > 0.5


def test_holm_adjustment():
    # Sorted p: 0.01 (x3 = 0.03), 0.02 (x2 = 0.04), 0.04 (x1 = 0.04); input order kept.
    assert holm([0.04, 0.01, 0.02]) == pytest.approx([0.04, 0.03, 0.04])
    # Monotone: a larger raw p never gets a smaller adjusted p.
    assert holm([0.03, 0.02]) == pytest.approx([0.04, 0.04])
    assert math.isnan(holm([math.nan, 0.5])[0])


def test_approximate_randomization_matches_exact_enumeration():
    """With 10 pairs all 2^10 sign patterns can be enumerated: the exact two-sided
    p-value is the share of patterns whose |mean difference| reaches the observed one.
    1,000 random patterns estimate it within a few standard errors (SE <= 0.016)."""
    import itertools

    a = [0.9, 0.8, 0.75, 0.6, 0.55, 0.5, 0.45, 0.4, 0.3, 0.2]
    b = [0.7, 0.85, 0.6, 0.5, 0.6, 0.35, 0.5, 0.3, 0.25, 0.1]
    diff = [x - y for x, y in zip(a, b)]
    observed = abs(sum(diff) / 10)
    hits = sum(abs(sum(s * d for s, d in zip(signs, diff)) / 10) >= observed - 1e-12
               for signs in itertools.product((-1, 1), repeat=10))
    exact = hits / 1024
    assert 0.05 < exact < 0.5  # a case where the test is informative, not 0 or 1
    assert approximate_randomization_p(a, b, seed=5) == pytest.approx(exact, abs=0.05)


def test_paired_bootstrap_agrees_with_the_normal_approximation():
    """For 400 pairs with mean difference 0.01 and SD 0.1, the mean's SE is 0.005 (z = 2):
    a two-sided normal p-value of about 0.046. The bootstrap estimate lands near it."""
    import numpy as np

    rng = np.random.default_rng(0)
    noise = rng.normal(0, 0.1, 400)
    noise = (noise - noise.mean()) / noise.std() * 0.1  # exactly SD 0.1, mean 0
    b = [0.5] * 400
    a = list(0.51 + noise)
    assert paired_bootstrap_p(a, b, seed=2, n_resamples=2000) == pytest.approx(0.046, abs=0.02)

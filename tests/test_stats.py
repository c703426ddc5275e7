"""Bootstrap intervals, paired tests and Holm's correction on hand-checkable inputs."""

import math

import pytest

from benchmark.stats import approximate_randomization_p, bootstrap_ci, holm, paired_bootstrap_p


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

"""Resampling statistics over stored per-item values (ground floor: numpy only).

- `bootstrap`: the one bootstrap. Resamples are index draws from a seeded generator;
  a few columns are averaged exactly (a run's intervals, a win rate), many columns at
  once through count vectors (compare, with sign flips for the randomization test).
- `paired`: paired bootstrap and approximate-randomization tests of two columns.
- `holm`: Holm's correction and the resamples a family of tests needs.
- `signature`: the one statistics signature.

Every function takes an explicit seed; the seed and the number of resamples go into
the signature of whatever is reported.
"""

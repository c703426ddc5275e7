"""Metrics: per-item statistics, then aggregation (DESIGN §6).

`base` holds the `Metric` protocol, `registry` the names usable in ``--metrics``; each
other module is one metric. Nothing is imported here, so that naming one metric does not
load the others.
"""

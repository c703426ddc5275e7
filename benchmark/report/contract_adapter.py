"""TEMPORARY: the DESIGN §10 JSON contract built from today's `report.compare` table.

REPLACE THIS MODULE with the comparison function of the reworked ``bench compare``
(issue 7, parts 1 to 5), which selects runs by label, tests all pairs and forms groups.
The report, the plots and the diff read only the contract dict this module returns, so
swapping it is a change of import in `benchmark.cli.report` and `benchmark.cli.compare`.

What this stand-in does not do yet: groups (``group`` is ``""``), ``--baseline`` for the
pairs (every pair of real systems is tested, Holm per metric, with today's 1,000-resample
tests), pair CIs (``low``/``high`` are None).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from benchmark.report.compare import (ALPHA, LoadedRun, Table, build_table, check_compatible,
                                      find_runs, load_runs)
from benchmark.report.stats import (DEFAULT_SEED, N_RESAMPLES, approximate_randomization_p,
                                    holm, paired_bootstrap_p)

UPPER_BOUND_MARK = "upper bound"


def select_and_compare(run_paths: Sequence[Path] | None, *, results: Path,
                       dataset: str | None = None, metrics: Sequence[str] | None = None,
                       baseline: str | None = None, force: bool = False,
                       seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Select runs as ``bench compare`` does and return the §10 contract dict."""
    notes: list[str] = []
    if run_paths:
        runs = load_runs(run_paths)
    else:
        found = find_runs(results, dataset)
        runs = found.runs
        if found.left_out:
            notes.append(f"{len(found.left_out)} run(s) on other datasets not shown: "
                         + "; ".join(found.left_out))
    if not force:
        check_compatible(runs)
    table = build_table(runs, metrics, baseline=baseline, seed=seed)
    return contract_from_table(table, runs, notes=notes, seed=seed,
                               main=metrics[0] if metrics else None)


def contract_from_table(table: Table, runs: Sequence[LoadedRun], *,
                        notes: Sequence[str] = (), seed: int = DEFAULT_SEED,
                        main: str | None = None, pairs: bool = True) -> dict[str, Any]:
    """Today's `Table` as the §10 contract: x100 scale, rows ranked by ``main`` (default
    rouge2_f), upper bounds last."""
    first = runs[0].record
    rows = []
    for run, cells in zip(runs, table.cells):
        rows.append({
            "label": run.model, "model": run.model, "run_dir": str(run.run_dir.path),
            "upper_bound": UPPER_BOUND_MARK in run.label, "group": "",
            "metrics": {key: {"mean": _pct(c.mean), "low": _pct(c.low), "high": _pct(c.high),
                              "n": c.n} for key, c in cells.items()},
        })
    if main is None:
        main = "rouge2_f" if "rouge2_f" in table.keys else (table.keys or [None])[0]
    rows.sort(key=lambda row: (row["upper_bound"], -_sort_mean(row, main)))
    pairs = _all_pairs(runs, table.keys, alpha=ALPHA, seed=seed) if pairs else []
    signatures = dict(first["metrics"].get("signatures", {}))
    signatures["statistics"] = (f"paired-bootstrap+randomization|n:{N_RESAMPLES}|seed:{seed}"
                                f"|correction:holm|alpha:{ALPHA}")
    return {
        "dataset": {"name": first["dataset"]["name"],
                    "identity": first["dataset"]["identity"]},
        "stats": {"resamples": N_RESAMPLES, "seed": seed,
                  "tests": ["paired_bootstrap", "approximate_randomization"],
                  "correction": "holm", "alpha": ALPHA},
        "rows": rows, "pairs": pairs, "notes": list(notes), "signatures": signatures,
    }


def _all_pairs(runs: Sequence[LoadedRun], keys: Sequence[str], *, alpha: float,
               seed: int) -> list[dict[str, Any]]:
    """Paired tests of every pair of real systems on their shared items, Holm per metric."""
    real = [run for run in runs if UPPER_BOUND_MARK not in run.label]
    pairs = []
    for key in keys:
        if runs[0].record["aggregates"][key].get("direction") == "neither":
            continue
        found = []
        for i, run_a in enumerate(real):
            for run_b in real[i + 1:]:
                va, vb = run_a.values(key), run_b.values(key)
                shared = sorted(set(va) & set(vb))
                a, b = [va[s] for s in shared], [vb[s] for s in shared]
                if not shared:
                    continue
                found.append({"metric": key, "a": run_a.model, "b": run_b.model,
                              "diff": 100 * (sum(a) - sum(b)) / len(shared),
                              "low": None, "high": None,
                              "p_bootstrap": paired_bootstrap_p(a, b, seed=seed),
                              "p_randomization": approximate_randomization_p(a, b, seed=seed)})
        boot = holm([pair["p_bootstrap"] for pair in found])
        rand = holm([pair["p_randomization"] for pair in found])
        for pair, p_boot, p_rand in zip(found, boot, rand):
            pair["p_adjusted"] = max(p_boot, p_rand)
            pair["significant"] = pair["p_adjusted"] < alpha
        pairs += found
    return pairs


def _pct(value: float | None) -> float | None:
    return None if value is None else 100 * value


def _sort_mean(row: dict[str, Any], key: str | None) -> float:
    mean = row["metrics"].get(key, {}).get("mean") if key else None
    return float("-inf") if mean is None else mean

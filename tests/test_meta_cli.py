"""`bench meta` on a simulated study: human scores are a known function of a latent
quality plus noise, metrics are that quality with little noise (good), much noise
(weak) or none of it (random). The table must recover that ordering, rank the systems
as their quality does, and print the numbers scipy and krippendorff compute."""

from __future__ import annotations

import json

import krippendorff
import numpy as np
import pytest
import scipy.stats
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.report.meta_ratings import read_ratings
from fake_runs import on_disk

runner = CliRunner()
N_ITEMS, N_SYSTEMS, ANNOTATORS = 60, 8, ("p", "q", "r")
EFFECTS = np.linspace(0.15, 0.85, N_SYSTEMS)  # system quality, well apart


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    root = tmp_path_factory.mktemp("meta")
    rng = np.random.default_rng(2024)
    quality = np.clip(EFFECTS[None, :] + rng.normal(0, 0.12, (N_ITEMS, N_SYSTEMS)), 0, 1)
    bias = rng.normal(0, 0.2, N_SYSTEMS)  # the weak metric misjudges whole systems too
    metrics = {"good": quality + rng.normal(0, 0.03, quality.shape),
               "weak": quality + bias + rng.normal(0, 0.25, quality.shape),
               "random": rng.random(quality.shape)}
    runs = [on_disk(root, f"run{s}", f"sys{s}",
                    {key: np.clip(values[:, s], 0, 1).tolist() for key, values in metrics.items()})
            for s in range(N_SYSTEMS)]
    lines = []
    for i in range(N_ITEMS):
        for s in range(N_SYSTEMS):
            for annotator in ANNOTATORS:
                score = int(np.clip(np.rint(1 + 4 * quality[i, s] + rng.normal(0, 0.4)), 1, 5))
                lines.append({"item_id": f"i{i}", "system": f"sys{s}", "annotator": annotator,
                              "criterion": "overall", "score": score})
    ratings = root / "ratings.jsonl"
    ratings.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = runner.invoke(app, ["meta", "--ratings", str(ratings), *map(str, runs),
                                 "--format", "json", "--resamples", "400"])
    assert result.exit_code == 0, result.output
    return {"runs": runs, "ratings": ratings, "meta": json.loads(result.stdout),
            "lines": lines}


def row(meta, metric, level, criterion="overall"):
    (found,) = [r for r in meta["correlations"] if r["metric"] == metric
                and r["level"] == level and r["criterion"] == criterion]
    return found


def test_the_json_has_the_contract_of_design_12(study):
    meta = study["meta"]
    assert set(meta) >= {"ratings", "agreement", "correlations", "comparisons", "stats"}
    assert set(meta["ratings"]) >= {"file", "items", "systems", "annotators", "criteria"}
    assert meta["ratings"]["items"] == N_ITEMS
    assert meta["ratings"]["annotators"] == list(ANNOTATORS)
    assert meta["stats"]["resampling"] == "items+systems" and meta["stats"]["resamples"] == 400
    assert set(meta["agreement"][0]) >= {"criterion", "alpha", "low", "high", "level",
                                         "n_items", "n_annotators"}
    assert set(meta["correlations"][0]) >= {"metric", "criterion", "level", "kendall",
                                            "spearman", "pearson", "low", "high", "n"}
    assert set(meta["comparisons"][0]) >= {"criterion", "level", "metric_a", "metric_b",
                                           "diff", "p"}
    assert len(meta["correlations"]) == 3 * 2  # metrics x levels (one criterion)


def test_the_known_ordering_of_the_metrics_is_recovered(study):
    meta = study["meta"]
    for level in ("summary", "system"):
        taus = {m: row(meta, m, level)["kendall"] for m in ("good", "weak", "random")}
        assert taus["good"] > taus["weak"] > taus["random"], (level, taus)
        good = row(meta, "good", level)
        assert good["low"] <= good["kendall"] <= good["high"]
    summary_random = row(meta, "random", "summary")
    assert summary_random["low"] < 0 < summary_random["high"]  # no agreement, and it shows
    (versus,) = [c for c in meta["comparisons"] if c["level"] == "summary"
                 and {c["metric_a"], c["metric_b"]} == {"good", "random"}]
    assert versus["metric_a"] == "good" and versus["p_adjusted"] < 0.01


def test_the_systems_are_ranked_by_their_quality(study):
    ranking = study["meta"]["ranking"]
    assert [r["label"] for r in ranking["rows"]] == [f"sys{s}" for s in
                                                     reversed(range(N_SYSTEMS))]
    best, worst = ranking["rows"][0], ranking["rows"][-1]
    assert best["group"] == "a" and worst["group"] != "a"
    assert 1 <= worst["metrics"]["likert_overall"]["mean"] < best["metrics"][
        "likert_overall"]["mean"] <= 5  # shown 1-5, not x100


def test_numbers_equal_scipys_and_krippendorffs(study):
    meta, lines = study["meta"], study["lines"]
    human = np.zeros((N_ITEMS, N_SYSTEMS))
    for line in lines:  # integer sums first: the mean of equal scores is then exact
        human[int(line["item_id"][1:]), int(line["system"][3:])] += line["score"]
    human /= len(ANNOTATORS)
    runs = [[json.loads(x) for x in (run / "items.jsonl").open()] for run in study["runs"]]
    for metric in ("good", "weak", "random"):
        x = np.array([[runs[s][i][metric] for s in range(N_SYSTEMS)] for i in range(N_ITEMS)])
        for name, function in (("kendall", scipy.stats.kendalltau),
                               ("spearman", scipy.stats.spearmanr),
                               ("pearson", scipy.stats.pearsonr)):
            per_item = np.mean([function(x[i], human[i]).statistic for i in range(N_ITEMS)])
            assert row(meta, metric, "summary")[name] == pytest.approx(per_item, abs=1e-12)
            system = function(x.mean(axis=0), human.mean(axis=0)).statistic
            assert row(meta, metric, "system")[name] == pytest.approx(system, abs=1e-12)
    table = np.full((N_ITEMS * N_SYSTEMS, 3), np.nan)
    for line in lines:
        unit = int(line["item_id"][1:]) * N_SYSTEMS + int(line["system"][3:])
        table[unit, ANNOTATORS.index(line["annotator"])] = line["score"]
    expected = krippendorff.alpha(reliability_data=table.T, level_of_measurement="ordinal")
    (agreement,) = meta["agreement"]
    assert agreement["level"] == "ordinal"
    assert agreement["alpha"] == pytest.approx(expected, abs=1e-12)
    assert agreement["low"] < agreement["alpha"] < agreement["high"]


def test_text_markdown_and_html(study):
    args = ["meta", "--ratings", str(study["ratings"]), *map(str, study["runs"]),
            "--resamples", "200"]
    text = runner.invoke(app, args)
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    header = lines.index("overall: summary-level correlation of each metric with people")
    assert lines[header + 3].split()[0] == "good" and lines[header + 3].endswith("best")
    assert "sys7" in text.stdout and "Krippendorff" in text.stdout
    md = runner.invoke(app, args + ["--format", "md"])
    assert md.exit_code == 0 and "| good |" in md.stdout
    html = runner.invoke(app, args + ["--format", "html"])
    assert html.exit_code == 0
    page = html.stdout
    assert '<section id="agreement-with-people"' in page and "<script" not in page
    assert page.count('<td style="') >= 6 and page.count("data-metric=") == 6


def test_pairwise_wins_golden():
    """Three systems, one item, one annotator: A beats B, A ties C, C beats B. Shares
    won: A (1 + 0.5) / 2, B 0, C (0.5 + 1) / 2."""
    from benchmark.report.meta_ratings import Judgment, Ratings

    ratings = Ratings("x", "pairwise", [
        Judgment("i", "p", "overall", ("A", "B"), "a"),
        Judgment("i", "p", "overall", ("C", "A"), "tie"),
        Judgment("i", "p", "overall", ("B", "C"), "b")])
    assert ratings.scores(["i"], ["A", "B", "C"])[0, 0].tolist() == [0.75, 0.0, 0.75]
    table, items = ratings.reliability("overall")
    # units (pairs in sorted order): (A,B) first won, (A,C) tie, (B,C) second won
    assert table[:, 0].tolist() == [0.0, 2.0, 1.0] and items.tolist() == ["i"] * 3


@pytest.mark.parametrize("lines, message", [
    ([{"item_id": "i0", "system": "nobody", "annotator": "p", "criterion": "c", "score": 3}],
     "system 'nobody' is rated but no run given is labelled so"),
    ([{"item_id": "i0", "system": "sys0", "annotator": "p", "criterion": "c", "score": "3"}],
     ":1: score '3': expected a number"),
    ([{"item_id": "i0", "system": "sys0", "annotator": "p", "criterion": "c"}],
     ":1: no 'score' in this likert rating"),
    ([{"item_id": "i0", "system": "sys0", "annotator": "p", "criterion": "c", "score": 3},
      {"item_id": "i0", "system": "sys0", "annotator": "p", "criterion": "c", "score": 4}],
     ":2: 'p' rated 'c' of sys0 on item 'i0' again (first on line 1)"),
    ([{"item_id": "i0", "system": "sys0", "annotator": "p", "criterion": "c", "score": 3},
      {"item_id": "i0", "system_a": "sys0", "system_b": "sys1", "annotator": "p",
       "criterion": "c", "winner": "a"}],
     ":2: a pairwise rating in a file of likert ratings"),
    ([{"item_id": "i0", "system_a": "sys0", "system_b": "sys1", "annotator": "p",
       "criterion": "c", "winner": "left"}], ":1: winner 'left': expected a, b or tie"),
])
def test_bad_rating_files_end_in_one_line(study, tmp_path, lines, message):
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = runner.invoke(app, ["meta", "--ratings", str(path), *map(str, study["runs"][:2])])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_torn_or_damaged_line_is_named(tmp_path, study):
    path = tmp_path / "damaged.jsonl"
    path.write_text('{"item_id": "i0"\nnot json\n', encoding="utf-8")
    result = runner.invoke(app, ["meta", "--ratings", str(path), *map(str, study["runs"][:2])])
    assert result.exit_code == 2 and f"{path}:1:" in result.stderr


def test_units_ratings_use_interval_alpha(study, tmp_path):
    lines = [{"item_id": f"i{i}", "system": f"sys{s}", "annotator": a, "criterion": "content",
              "score": share, "units": []}
             for i in range(10) for s in range(2) for a, share in
             (("p", (i + s) % 4 / 3), ("q", (i + s + (i % 3 == 0)) % 4 / 3))]
    path = tmp_path / "units.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    loaded = read_ratings(path)
    assert loaded.protocol == "units" and loaded.level == "interval"
    result = runner.invoke(app, ["meta", "--ratings", str(path), *map(str, study["runs"][:2]),
                                 "--format", "json", "--resamples", "100"])
    assert result.exit_code == 0, result.output
    (agreement,) = json.loads(result.stdout)["agreement"]
    table, _ = loaded.reliability("content")
    assert agreement["alpha"] == pytest.approx(krippendorff.alpha(
        reliability_data=table.T, level_of_measurement="interval"), abs=1e-12)


def test_the_report_section_escapes_names_and_colours_by_tau():
    from benchmark.report.meta_html import agreement_section, heat_color

    assert heat_color(None) == "#eeeeee"  # undefined: grey
    assert heat_color(0.0) == "rgb(255,255,255)"  # no correlation: white
    assert heat_color(1.0) == "rgb(65,128,255)"  # strong positive: blue
    assert heat_color(-1.0) == "rgb(255,65,65)"  # strong negative: red
    evil = '<img src=x onerror=alert(1)>'
    meta = {"ratings": {"file": evil, "protocol": "likert", "items": 1, "systems": [evil, "b"],
                        "annotators": ["p"], "criteria": [evil]},
            "agreement": [{"criterion": evil, "alpha": None, "low": None, "high": None,
                           "level": "ordinal", "n_items": 0, "n_annotators": 1}],
            "correlations": [{"metric": evil, "criterion": evil, "level": "summary",
                              "kendall": 0.5, "spearman": 0.5, "pearson": 0.5, "low": 0.1,
                              "high": 0.9, "n": 1}],
            "comparisons": [], "ranking": None, "notes": [evil]}
    section = agreement_section(meta)
    assert section.startswith('<section id="agreement-with-people"')
    assert section.endswith("</section>") and "<img" not in section
    assert "&lt;img src=x onerror=alert(1)&gt;" in section

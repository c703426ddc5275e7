"""Two annotators rate a 6-item study of real BBC runs in a real Chromium (Debian's,
driven by Playwright), by keyboard only; then `bench meta` reads their ratings.

Each annotator follows a rule the test knows (it reads which system sits in which
position from the study file): faithfulness is the system's rank by ROUGE-1 on the item,
conciseness its rank by shortness (the second annotator one point kinder to the first
summary shown). So ROUGE-1 must correlate perfectly with faithfulness, the annotators
must agree perfectly on it and imperfectly on conciseness, and every number must be
scipy's and krippendorff's. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import krippendorff
import numpy as np
import pytest
import scipy.stats
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.cli.human import _agreement
from benchmark.human.store import Study
from human_server import running_app
from report_runs import make_run
from headless import CHROMIUM_FLAGS, chromium_or_skip

runner = CliRunner()
MODELS = ("lead-1", "lead-3", "textrank")
CRITERIA = ("faithfulness", "conciseness")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    chromium = chromium_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        flags = [flag for flag in CHROMIUM_FLAGS if flag != "--headless"]
        browser = playwright.chromium.launch(executable_path=chromium, args=flags)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def study(shared_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("human")
    corpus = folder / "bbc12.jsonl"
    with (shared_dir / "corpora" / "ant_bbc.jsonl").open(encoding="utf-8") as source:
        corpus.write_text("".join(next(source) for _ in range(12)), encoding="utf-8")
    runs = [make_run(folder / "results", corpus, model, "--metrics", "rouge,length")
            for model in MODELS]
    path = folder / "study.sqlite"
    result = runner.invoke(app, ["human", "new", str(path), *map(str, runs), "--items", "6",
                                 "--annotators", "ann,bob", "--per-item", "2",
                                 "--criteria", ",".join(CRITERIA)])
    assert result.exit_code == 0, result.output
    values = {model: {json.loads(line)["id"]: json.loads(line)
                      for line in (run / "items.jsonl").open()}
              for model, run in zip(MODELS, runs)}
    return {"path": path, "runs": runs, "values": values, "folder": folder}


def rule(study, name: str, item_id: str, shown: tuple[int, ...]) -> list[int]:
    """The keys the annotator presses on a page, in the page's question order (each
    summary shown, then each criterion)."""
    rows = [study["values"][MODELS[s]][item_id] for s in shown]
    keys = []
    for position, row in enumerate(rows):
        faithful = 1 + sum(other["rouge1_f"] < row["rouge1_f"] for other in rows)
        concise = 1 + sum(other["len_tokens"] > row["len_tokens"] for other in rows)
        if name == "bob" and position == 0:
            concise = min(5, concise + 1)
        keys += [faithful, concise]
    return keys


def rate_page(page, study, opened: Study, name: str, task) -> None:
    item_id = opened.item(task.item)["id"]
    for key in rule(study, name, item_id, task.shown):
        page.keyboard.press(str(key))


def wait_done(page, done: int) -> None:
    """Wait until the page says `done` pages are complete (a locator: the page's
    Content-Security-Policy forbids evaluating script in it, as it should)."""
    from playwright.sync_api import expect

    expect(page.locator("#progress-text")).to_have_text(re.compile(rf"^{done} / "))


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"human-{name}.png"), full_page=True)


def annotate(browser, base, study, opened: Study, name: str, *, checks: bool) -> None:
    token = opened.tokens()[name]
    tasks = opened.tasks_of(name)
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/a/{token}/")
    assert page.url == f"{base}/a/{token}/page/{tasks[0].id}"  # the first page
    if checks:
        html = page.content()
        assert not any(model in html for model in MODELS)  # systems are never named
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.click("#comment")
        page.keyboard.type("12 ملاحظة")  # typing in the comment answers nothing
        page.keyboard.press("Escape")
        from playwright.sync_api import expect

        expect(page.locator("#status")).to_have_text("حُفظ")
    for number, task in enumerate(tasks, start=1):
        rate_page(page, study, opened, name, task)
        wait_done(page, number)
        if checks and number == 1:
            assert page.locator(".option.selected").count() == 6
            shot(page, f"{name}-page-1")
        if checks and number == 3:
            page.reload()  # the answers were saved: they come back
            assert page.locator(".option.selected").count() == 6
            assert page.locator("#progress-text").inner_text().startswith("3 / 6")
            page.goto(f"{base}/a/{token}/")  # resume: the first page not done
            assert page.url == f"{base}/a/{token}/page/{tasks[3].id}"
            page.keyboard.press("ArrowRight")  # back to page 3
            page.wait_for_url(f"{base}/a/{token}/page/{task.id}")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert page.url == f"{base}/a/{token}/"
    assert "شكراً" in page.inner_text("h1")
    if checks:
        assert opened.note(tasks[0].id) == ("12 ملاحظة", False)
        shot(page, f"{name}-done")
    context.close()


def test_two_annotators_rate_by_keyboard_and_meta_reads_them(browser, study, tmp_path):
    opened = Study(study["path"])
    with running_app(study["path"], agreement=_agreement) as base:
        annotate(browser, base, study, opened, "ann", checks=True)
        check_confinement(browser, base, opened)
        annotate(browser, base, study, opened, "bob", checks=False)
        check_admin(browser, base, opened)
    out = tmp_path / "ratings.jsonl"
    result = runner.invoke(app, ["human", "export", str(study["path"]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2 * 6 * 3 * 2  # annotators x items x systems x criteria
    check_meta(study, out, lines)


def check_confinement(browser, base, opened: Study) -> None:
    context = browser.new_context()
    page = context.new_page()
    ann = opened.tokens()["ann"]
    bob_page = opened.tasks_of("bob")[0].id
    assert page.goto(f"{base}/a/{ann}/page/{bob_page}").status == 403
    assert page.goto(f"{base}/admin/{ann}").status == 403
    assert page.goto(f"{base}/").status == 401
    assert page.goto(f"{base}/a/{ann}x/").status == 403
    context.close()


def check_admin(browser, base, opened: Study) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/admin/{opened.admin_token}")
    progress = {row.get_attribute("data-annotator"): row.inner_text()
                for row in page.locator("table.progress tbody tr").all()}
    assert set(progress) == {"ann", "bob"}
    assert all(re.search(r"\b6\s+6$", text) for text in progress.values()), progress
    alphas = {row.get_attribute("data-criterion"): row.locator("td.alpha").inner_text()
              for row in page.locator("table.agreement tbody tr").all()}
    assert alphas["faithfulness"] == "1.000"
    assert 0 < float(alphas["conciseness"]) < 1
    shot(page, "admin")
    context.close()


def check_meta(study, ratings: Path, lines: list[dict]) -> None:
    result = runner.invoke(app, ["meta", "--ratings", str(ratings), *map(str, study["runs"]),
                                 "--format", "json", "--metric", "rouge1_f", "--metric",
                                 "rouge2_f", "--metric", "len_tokens", "--resamples", "300"])
    assert result.exit_code == 0, result.output
    meta = json.loads(result.stdout)
    items = sorted({line["item_id"] for line in lines})
    human = {c: np.zeros((len(items), 3)) for c in CRITERIA}
    for line in lines:
        human[line["criterion"]][items.index(line["item_id"]), MODELS.index(line["system"])] \
            += line["score"] / 2
    cells = {(r["metric"], r["criterion"], r["level"]): r for r in meta["correlations"]}
    # faithfulness was ROUGE-1's rank: a perfect correlation, and the best metric
    assert cells[("rouge1_f", "faithfulness", "summary")]["kendall"] == 1.0
    for metric in ("rouge1_f", "rouge2_f", "len_tokens"):
        x = np.array([[study["values"][m][i][metric] for m in MODELS] for i in items])
        for criterion in CRITERIA:
            y = human[criterion]
            per_item = [scipy.stats.kendalltau(x[i], y[i]).statistic for i in range(len(items))
                        if np.ptp(x[i]) > 0 and np.ptp(y[i]) > 0]
            got = cells[(metric, criterion, "summary")]
            assert got["kendall"] == pytest.approx(np.mean(per_item), abs=1e-12)
            assert got["n"] == len(per_item)
            system = scipy.stats.spearmanr(x.mean(axis=0), y.mean(axis=0)).statistic
            assert cells[(metric, criterion, "system")]["spearman"] == pytest.approx(
                system, abs=1e-12, nan_ok=True)
    # the human ranking recovers the order the rule implies
    expected = [MODELS[s] for s in np.argsort(-human["faithfulness"].mean(axis=0),
                                              kind="stable")]
    assert [row["label"] for row in meta["ranking"]["rows"]] == expected
    agreement = {row["criterion"]: row for row in meta["agreement"]}
    assert agreement["faithfulness"]["alpha"] == 1.0
    for criterion in CRITERIA:
        table = np.full((len(items) * 3, 2), np.nan)
        for line in lines:
            if line["criterion"] == criterion:
                unit = items.index(line["item_id"]) * 3 + MODELS.index(line["system"])
                table[unit, ("ann", "bob").index(line["annotator"])] = line["score"]
        assert agreement[criterion]["alpha"] == pytest.approx(krippendorff.alpha(
            reliability_data=table.T, level_of_measurement="ordinal"), abs=1e-12)

"""What a study shows to whom: items sampled, content units, annotators assigned, and
the blinded, shuffled order of the systems on each page. Seeded throughout: the same
inputs and seed give the same study."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import numpy as np

from benchmark.errors import BenchmarkError
from benchmark.text.sentences import split_sentences

STRATA = 4  # article-length quartiles
UNIT_MODES = ("bullets", "sentences", "clauses")
_CLAUSE_BREAK = re.compile(r"\s*[،؛;:]\s*")


@dataclass(frozen=True)
class SystemInput:
    label: str
    run_dir: str
    predictions: dict[str, str]  # example id -> summary


@dataclass(frozen=True)
class ItemInput:
    id: str
    article: str
    bullets: tuple[str, ...]


@dataclass(frozen=True)
class PlannedItem:
    id: str
    article: str
    bullets: tuple[str, ...]
    units: tuple[str, ...]
    stratum: int
    summaries: tuple[str, ...]  # one per system, in the study's system order


@dataclass(frozen=True)
class PlannedTask:
    annotator: str
    item: int  # index into the study's items
    position: int  # the annotator's order of work, from 0
    shown: tuple[int, ...]  # system indexes in display order (two for pairwise)


@dataclass
class StudyPlan:
    protocol: str
    criteria: list[str]
    rubric: dict
    seed: int
    dataset: str
    systems: list[SystemInput]
    items: list[PlannedItem]
    annotators: list[str]
    tasks: list[PlannedTask] = field(default_factory=list)


def stratified_sample(candidates: list[ItemInput], n: int, *, seed: int | np.random.SeedSequence,
                      strata: int = STRATA) -> list[tuple[ItemInput, int]]:
    """`n` items, each with its stratum: the candidates split into `strata` groups of
    article length (quantiles of words), each group contributing in proportion to its
    size (largest remainders), items drawn without replacement within a group."""
    if n > len(candidates):
        raise BenchmarkError(f"{n} items asked, but the runs share {len(candidates)} items "
                             "with a prediction", hint="ask for fewer {items}")
    ordered = sorted(candidates, key=lambda item: item.id)
    words = np.array([len(item.article.split()) for item in ordered], dtype=float)
    ranks = np.argsort(np.argsort(words, kind="stable"), kind="stable")
    stratum = (ranks * strata) // max(len(ordered), 1)
    sizes = np.bincount(stratum, minlength=strata)
    quota = sizes * n / len(ordered)
    take = np.floor(quota).astype(int)
    for s in np.argsort(-(quota - take), kind="stable")[: n - take.sum()]:
        take[s] += 1
    rng = np.random.default_rng(seed)
    chosen: list[tuple[ItemInput, int]] = []
    for s in range(strata):
        members = np.flatnonzero(stratum == s)
        for index in sorted(rng.choice(members, size=take[s], replace=False)):
            chosen.append((ordered[index], s))
    return chosen


def content_units(bullets: tuple[str, ...], mode: str) -> tuple[str, ...]:
    """The reference's content units: its bullets (its sentences when it has one
    bullet), its sentences, or its clauses (sentences cut at ، ؛ ; :)."""
    if mode not in UNIT_MODES:
        raise BenchmarkError(f"units {mode!r}: expected one of {', '.join(UNIT_MODES)}")
    if mode == "bullets" and len(bullets) > 1:
        return tuple(bullets)
    sentences = [s for bullet in bullets for s in split_sentences(bullet) if s.strip()]
    if mode != "clauses":
        return tuple(sentences)
    return tuple(c for s in sentences for c in _CLAUSE_BREAK.split(s) if len(c.split()) >= 2)


def assign_annotators(n_items: int, annotators: list[str], per_item: int, *,
                      rng: np.random.Generator) -> list[list[str]]:
    """For each item, `per_item` distinct annotators, spreading the load evenly (the
    least loaded first, ties broken at random)."""
    if not 1 <= per_item <= len(annotators):
        raise BenchmarkError(f"{per_item} annotators per item, but {len(annotators)} "
                             "annotators", hint="give more {annotators} or a smaller {per_item}")
    load = np.zeros(len(annotators))
    out = []
    for _ in range(n_items):
        order = np.lexsort((rng.random(len(annotators)), load))[:per_item]
        load[order] += 1
        out.append([annotators[a] for a in sorted(order)])
    return out


def plan_tasks(plan: StudyPlan, per_item: int) -> list[PlannedTask]:
    """Every page of the study: one per item (likert, units) or per item and pair of
    systems (pairwise), for each of the item's annotators; systems shuffled on each
    page; each annotator's pages in an order of their own."""
    rng = np.random.default_rng(np.random.SeedSequence(plan.seed).spawn(2)[1])
    assigned = assign_annotators(len(plan.items), plan.annotators, per_item, rng=rng)
    n_systems = len(plan.systems)
    pages: dict[str, list[tuple[int, tuple[int, ...]]]] = {a: [] for a in plan.annotators}
    for item, names in enumerate(assigned):
        groups = (list(itertools.combinations(range(n_systems), 2))
                  if plan.protocol == "pairwise" else [tuple(range(n_systems))])
        for name in names:
            for group in groups:
                pages[name].append((item, tuple(int(s) for s in rng.permutation(group))))
    tasks = []
    for name in plan.annotators:
        for position, index in enumerate(rng.permutation(len(pages[name]))):
            item, shown = pages[name][index]
            tasks.append(PlannedTask(name, item, position, shown))
    return tasks


def make_plan(*, protocol: str, criteria: list[str], rubric: dict, systems: list[SystemInput],
              examples: dict[str, ItemInput], dataset: str, n_items: int,
              annotators: list[str], per_item: int, seed: int,
              units: str = "bullets") -> StudyPlan:
    """The whole study, ready to store."""
    if len(systems) < 2:
        raise BenchmarkError("a study needs the runs of two systems or more")
    if len(set(annotators)) != len(annotators) or not all(annotators):
        raise BenchmarkError("annotator names must be distinct and not empty",
                             hint="check {annotators}")
    shared = set(examples).intersection(*(set(s.predictions) for s in systems))
    candidates = [examples[i] for i in shared]
    rng_seed = np.random.SeedSequence(seed).spawn(2)[0]
    items = []
    for example, stratum in stratified_sample(candidates, n_items, seed=rng_seed):
        found = content_units(example.bullets, units) if protocol == "units" else ()
        if protocol == "units" and not found:
            raise BenchmarkError(f"item {example.id}: its reference has no content unit")
        items.append(PlannedItem(example.id, example.article, example.bullets, found, stratum,
                                 tuple(s.predictions[example.id] for s in systems)))
    plan = StudyPlan(protocol, criteria, rubric, seed, dataset, systems, items, annotators)
    plan.tasks = plan_tasks(plan, per_item)
    return plan

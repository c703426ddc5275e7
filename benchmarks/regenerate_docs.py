"""Rerun the scripts behind the figures in docs/ and write the figures back.

    python benchmarks/regenerate_docs.py [--list] [--only NAME ...] [--print]
                                         [--bbc-runs DIR] [--keep-going]

Every figure in `docs/` sits between two marks:

    <!-- figure NAME -->
    ...
    <!-- end figure -->

For each NAME this script knows the command that measures it (a script of
`benchmarks/`, or a `bench` command), runs it from the repository root with this
Python, and replaces what is between the marks with the command's output, under one
line saying what ran, when and on what machine (cores, CPU model, memory, Python,
system, load average): never "this machine". Output that is already Markdown (tables)
is written as it is; other output goes in a text block. `--print` prints the blocks
instead of writing them (to paste by hand); `--only` picks figures; `--list` names them.

Several figures need the five BBC runs of docs/comparisons.md (lead-1, lead-3,
textrank, random-3, oracle on all 3,797 articles): they are made in a temporary folder
unless `--bbc-runs DIR` names a folder holding them. Figures are measurements: rerun
them on a quiet machine for the numbers you publish; the prose around a figure may
quote its numbers and must then be read again.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PY = sys.executable
BBC = "{bbc}"  # stands for the folder of the BBC runs in a command
BBC_MODELS = ("lead-1", "lead-3", "textrank", "random-3", "oracle")


@dataclass(frozen=True)
class Figure:
    name: str
    page: str  # under docs/
    command: tuple[str, ...]
    markdown: bool = True  # the output is Markdown already; else a text block


FIGURES = (
    Figure("compare-bbc", "comparisons.md",
           ("bench", "compare", "--results", BBC, "--metric", "rouge2_f", "--metric",
            "rougeL_f", "--format", "md")),
    Figure("compare-fwer", "comparisons.md",
           (PY, "benchmarks/bench_compare_fwer.py", "--results", BBC), markdown=False),
    Figure("mde-power", "statistics.md",
           (PY, "benchmarks/bench_mde_power.py", "--results", BBC, "--trials", "300")),
    Figure("metric-suite", "metrics.md", (PY, "benchmarks/metric_suite.py")),
    Figure("profiles-ar-xlsum", "metrics.md",
           (PY, "benchmarks/profiles_ar_vs_xlsum.py", "--dataset", "ant-bbc"),
           markdown=False),
    Figure("side-by-side", "performance.md",
           (PY, "benchmarks/bench_side_by_side.py", "--rounds", "5")),
    Figure("collector", "performance.md", (PY, "benchmarks/bench_gc.py", "--rounds", "3",
                                           "--thresholds", "700", "20000", "100000")),
    Figure("exit", "performance.md", (PY, "benchmarks/bench_exit.py", "--rounds", "3")),
    Figure("blas-threads", "performance.md",
           (PY, "benchmarks/bench_blas_threads.py", "--rounds", "3")),
    Figure("analysis-store", "performance.md",
           (PY, "benchmarks/bench_analysis_store.py", "--rounds", "5")),
    Figure("ray-nodes", "scale.md",
           (PY, "benchmarks/bench_ray.py", "--limit", "1000", "--rounds", "2")),
    Figure("rouge-kernels", "performance.md",
           (PY, "benchmarks/bench_rouge.py", "--rounds", "7")),
    Figure("startup", "performance.md", (PY, "benchmarks/bench_startup.py", "--rounds", "7"),
           markdown=False),
    Figure("tests", "performance.md", (PY, "benchmarks/bench_tests.py"), markdown=False),
    Figure("entities", "performance.md", (PY, "benchmarks/bench_entities.py", "--rounds", "3"),
           markdown=False),
    Figure("compiled", "performance.md",
           (PY, "benchmarks/bench_compiled.py", "--rounds", "3")),
    Figure("run-entities", "performance.md",
           (PY, "benchmarks/bench_run.py", "--limit", "0", "--rounds", "3", "--ceiling")),
    Figure("memory", "performance.md",
           (PY, "benchmarks/bench_memory.py", "--factors", "1,4")),
    Figure("openai-concurrency", "performance.md",
           (PY, "benchmarks/bench_openai_concurrency.py", "--bench-run"), markdown=False),
    Figure("replicas", "performance.md", (PY, "benchmarks/bench_replicas.py"),
           markdown=False),
    Figure("hf-tiny", "performance.md", (PY, "benchmarks/bench_hf_tiny.py"), markdown=False),
    Figure("compare-speed", "performance.md",
           (PY, "benchmarks/bench_compare_speed.py", "--results", BBC), markdown=False),
    Figure("ner-names", "entities.md", (PY, "benchmarks/ner_figures.py")),
    Figure("ner-learned-speed", "entities.md",
           (PY, "benchmarks/bench_ner_learned.py", "--items", "300", "--rounds", "3"),
           markdown=False),
)


def machine() -> str:
    """The machine, by what it is: cores, CPU model, memory, Python, system, load."""
    model = "an unknown CPU"
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        found = re.search(r"^model name\s*:\s*(.+)$", info, re.M)
        model = found.group(1).strip() if found else model
    except OSError:
        model = platform.processor() or model
    memory = ""
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages * size / 2 ** 30:.0f} GiB"
    except (ValueError, OSError, AttributeError):
        pass
    load = f"; load average {os.getloadavg()[0]:.1f} at the start" \
        if hasattr(os, "getloadavg") else ""
    return (f"{os.cpu_count()} cores ({model}){memory}, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}{load}")


def make_bbc_runs(folder: Path) -> Path:
    """The five BBC runs of docs/comparisons.md, in `folder`."""
    for model in BBC_MODELS:
        subprocess.run(["bench", "run", "--model", model, "--dataset", "ant-bbc",
                        "--output-dir", str(folder)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    return folder


def measure(figure: Figure, *, bbc: Path | None) -> str:
    """The figure's block: what ran, where, then its output."""
    command = [str(bbc) if part == BBC else part for part in figure.command]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env["PATH"] = os.pathsep.join([str(Path(PY).parent), env.get("PATH", "")])
    began = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    where = machine()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{figure.name}: {' '.join(command)} exited {done.returncode}:\n"
                           + done.stderr[-2000:])
    shown = " ".join("DIR" if part == str(bbc) else
                     ("python" if part == PY else part) for part in command)
    output = done.stdout.strip()
    body = output if figure.markdown else f"```text\n{output}\n```"
    return f"*`{shown}`, {began}, on {where}:*\n\n{body}"


def write_back(figure: Figure, block: str) -> None:
    """Replace the figure's marked block in its page."""
    page = DOCS / figure.page
    text = page.read_text(encoding="utf-8")
    # The first end mark after the figure's own (an empty figure included: its marks on
    # consecutive lines must not reach the next figure's end).
    marked = re.compile(rf"(<!-- figure {re.escape(figure.name)} -->\n).*?"
                        r"(<!-- end figure -->)", re.S)
    if not marked.search(text):
        raise RuntimeError(f"{figure.name}: no marks <!-- figure {figure.name} --> ... "
                           f"<!-- end figure --> in docs/{figure.page}")
    page.write_text(marked.sub(lambda m: m.group(1) + block + "\n" + m.group(2), text,
                               count=1), encoding="utf-8")


def marked_names() -> dict[str, str]:
    """Figure name -> page, for every figure marked in docs/."""
    found = {}
    for page in sorted(DOCS.glob("*.md")):
        for name in re.findall(r"<!-- figure ([a-z0-9-]+) -->", page.read_text(encoding="utf-8")):
            found[name] = page.name
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="name the figures and stop")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="these figures only")
    parser.add_argument("--print", dest="print_only", action="store_true",
                        help="print the blocks instead of writing them")
    parser.add_argument("--bbc-runs", type=Path, help="a folder holding the five BBC runs")
    parser.add_argument("--keep-going", action="store_true",
                        help="go on after a figure fails (it is left as it was)")
    args = parser.parse_args()
    known = {figure.name: figure for figure in FIGURES}
    marked = marked_names()
    unknown = sorted(set(marked) - set(known))
    if unknown:
        raise SystemExit(f"figures marked in docs/ that this script does not know: {unknown}")
    if args.list:
        for figure in FIGURES:
            state = "" if figure.name in marked else "  (not marked in docs/)"
            shown = " ".join("python" if part == PY else part for part in figure.command)
            print(f"{figure.name:<20} docs/{figure.page:<18} {shown}{state}")
        return
    chosen = [known[name] for name in args.only] if args.only else list(FIGURES)
    with tempfile.TemporaryDirectory(prefix="bench-docs-") as scratch:
        bbc = args.bbc_runs
        if bbc is None and any(BBC in figure.command for figure in chosen):
            bbc = make_bbc_runs(Path(scratch) / "bbc")
        failed = []
        for figure in chosen:
            print(f"measuring {figure.name} ...", file=sys.stderr, flush=True)
            try:
                block = measure(figure, bbc=bbc)
            except RuntimeError as exc:
                if not args.keep_going:
                    raise SystemExit(str(exc)) from None
                failed.append(figure.name)
                print(exc, file=sys.stderr)
                continue
            if args.print_only:
                print(f"<!-- figure {figure.name} --> (docs/{figure.page})\n{block}\n"
                      "<!-- end figure -->\n")
            else:
                write_back(figure, block)
    if failed:
        raise SystemExit(f"not regenerated: {', '.join(failed)}")


if __name__ == "__main__":
    main()

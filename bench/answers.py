"""Answer-quality and latency benchmark of the answer engine.

Runs the project's own questions (bench/questions/own.yaml) and any set given with
`--questions FILE` (repeatable, e.g. ../shared/questions/dev.yaml) through the engine,
judges each reply with the sets' shared rules (bench/judge.py), prints strict accuracy
(answers over 600 characters count wrong) per category and per set, then times the engine
on the seed knowledge base and on one with 10,000 generated extra entries.

    .venv/bin/python bench/answers.py [--questions FILE]... [--verbose] [--entries N]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.judge import judge, load_questions  # noqa: E402
from knowledge import models  # noqa: E402
from knowledge.engine import AnswerEngine, AnswerKind  # noqa: E402
from knowledge.seed import ensure_seeded  # noqa: E402
from knowledge.selector import ENGINES  # noqa: E402
from knowledge.store import make_engine  # noqa: E402

OWN_QUESTIONS = ROOT / "bench" / "questions" / "own.yaml"
TZ = ZoneInfo("Europe/Paris")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def _share(results: list[bool]) -> str:
    if not results:
        return "    -"
    return f"{sum(results):>3}/{len(results):<3} {100 * sum(results) / len(results):6.1f} %"


def report_set(engine: AnswerEngine, path: Path, verbose: bool, failures_shown: bool = True
               ) -> list[str]:
    """Print one set's scores; return its questions (for the latency runs)."""
    items = load_questions(path)
    per_category: dict[str, list[bool]] = defaultdict(list)
    per_style: dict[str, list[bool]] = defaultdict(list)
    failures = []
    for item in items:
        answer = engine.ask(item["question"])
        ok = judge(item, answer.kind is AnswerKind.UNKNOWN, answer.text())
        per_category[item["category"]].append(ok)
        per_style["messy" if item.get("messy") else "clean"].append(ok)
        if item.get("long"):
            per_style["long/polite/two-part"].append(ok)
        if not ok:
            failures.append((item, answer))
    print(f"Answer quality on {path.name} ({len(items)} questions, strict: ≤ 600 characters)")
    for category, results in per_category.items():
        print(f"  {category:<22} {_share(results)}")
    for style, results in per_style.items():
        print(f"  {style:<22} {_share(results)}")
    in_scope = [ok for c, r in per_category.items() if c != "out_of_scope" for ok in r]
    everything = [ok for r in per_category.values() for ok in r]
    print(f"  in-scope accuracy      {_share(in_scope)}")
    print(f"  out-of-scope precision {_share(per_category.get('out_of_scope', []))}")
    print(f"  strict accuracy        {_share(everything)}")
    for item, answer in failures if failures_shown else []:
        print(f"  ✗ {item['id']} {item['question']!r} → {answer.kind}: "
              + answer.text().replace("\n", " | ")[: 400 if verbose else 160])
    return [item["question"] for item in items]


def time_engine(engine: AnswerEngine, questions: list[str], rounds: int
                ) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per question (CPU time ignores other processes
    competing for the machine's cores, which wall-clock time does not)."""
    wall, cpu = [], []
    for _ in range(rounds):
        for question in questions:
            start, start_cpu = time.perf_counter(), time.thread_time()
            engine.ask(question)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
    return wall, cpu


def latency_line(title: str, timings: tuple[list[float], list[float]]) -> str:
    wall, cpu = timings
    return (f"{title}: p50 {statistics.median(wall):.2f} ms, p99 {percentile(wall, 99):.2f} ms"
            f" (CPU time: p50 {statistics.median(cpu):.2f} ms, p99 {percentile(cpu, 99):.2f} ms)")


def generated_base(path: Path, entries: int, engine: type[AnswerEngine]) -> AnswerEngine:
    """A knowledge base of `entries` synthetic entries on top of the seed (random words)."""
    db = make_engine(f"sqlite:///{path}")
    ensure_seeded(db, TZ)
    rng = random.Random(7)
    vocabulary = re.findall(r"[a-zéèêàâîôûç]{4,}", (
        ROOT / "knowledge" / "data" / "seminaire-2021.yaml").read_text("utf-8").lower())
    vocabulary += [f"mot{i}" for i in range(5000)]

    def phrase(n: int) -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(n))

    with Session(db) as session:
        for i in range(entries):
            kind = i % 4
            if kind == 0:
                session.add(models.Priority(key=f"gen-p{i}", theme=phrase(5),
                                            items=[phrase(14), phrase(12)], axis_number=1))
            elif kind == 1:
                session.add(models.Figure(key=f"gen-f{i}", label=phrase(7),
                                          value=str(rng.randint(1, 99999)), context=phrase(10)))
            elif kind == 2:
                session.add(models.Fact(key=f"gen-x{i}", title=phrase(2), text=phrase(20)))
            else:
                session.add(models.Milestone(
                    key=f"gen-m{i}", project=phrase(3), phase=phrase(1), title=phrase(5),
                    start=datetime(2027, 1, 1, tzinfo=UTC) + timedelta(days=i % 700)))
        session.commit()
    return engine(db, TZ)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", action="append", type=Path, default=[],
                        help="another question set (repeatable); own.yaml always runs")
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--blind", action="append", type=Path, default=[],
                        help="a held-out set: scores only, its failures never printed")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--engine", choices=sorted(ENGINES), default="rules")
    args = parser.parse_args()
    sets = [OWN_QUESTIONS, *args.questions]
    kind = ENGINES[args.engine]
    print(f"Engine: {args.engine}")

    with tempfile.TemporaryDirectory() as tmp:
        db = make_engine(f"sqlite:///{tmp}/seed.db")
        ensure_seeded(db, TZ)
        engine = kind(db, TZ)
        questions = [q for path in sets for q in report_set(engine, path, args.verbose)]
        questions += [q for path in args.blind
                      for q in report_set(engine, path, args.verbose, failures_shown=False)]

        print(latency_line(f"Latency, seed knowledge base ({len(questions)} questions x 20)",
                           time_engine(engine, questions, rounds=20)))
        started = time.perf_counter()
        big = generated_base(Path(tmp) / "big.db", args.entries, kind)
        print(f"Generated knowledge base: {args.entries} extra entries, {len(big.index.docs)} "
              f"indexed pieces, built in {time.perf_counter() - started:.1f} s")
        print(latency_line(f"Latency, {args.entries}-entry knowledge base",
                           time_engine(big, questions, rounds=5)))


if __name__ == "__main__":
    main()

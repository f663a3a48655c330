"""Answer-quality and latency benchmark of the answer engine.

Runs ../shared/questions/dev.yaml (or the file given) through the engine, scores each
reply with the dev set's own rules, then times the engine on the seed knowledge base and
on a generated one of 10,000 entries.

    .venv/bin/python bench/answers.py [questions.yaml] [--verbose]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge import models  # noqa: E402
from knowledge.engine import AnswerEngine, AnswerKind  # noqa: E402
from knowledge.seed import ensure_seeded  # noqa: E402
from knowledge.store import make_engine  # noqa: E402

DEFAULT_QUESTIONS = ROOT.parent / "shared" / "questions" / "dev.yaml"
DONT_KNOW = ("je n'ai pas trouve", "je ne sais pas", "je n'ai pas cette information",
             "je ne dispose pas")
MAX_CHARS = 600


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[-‐‑‒–—―]", " ", text).replace("’", "'")
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def contains(answer: str, expected: str) -> bool:
    """The dev set's rule: from the start of a word; numbers never touch other digits."""
    pattern = re.escape(fold(expected))
    pattern = re.sub(r"(?<=\d)\\ (?=\d)", "[ ]?", pattern)
    pattern = re.sub(r"(?<=\d),(?=\d)", "[,.]", pattern)
    end = r"(?!\d)" if re.search(r"\d$", expected) else ""
    return re.search(r"(?<![a-z0-9])" + pattern + end, fold(answer)) is not None


def is_dont_know(kind: AnswerKind, text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return kind is AnswerKind.UNKNOWN or fold(first).startswith(DONT_KNOW)


def judge(item: dict, kind: AnswerKind, text: str) -> bool:
    if item.get("expect_none"):
        return is_dont_know(kind, text)
    if is_dont_know(kind, text) or len(text) > MAX_CHARS:
        return False
    if not all(contains(text, s) for s in item.get("expect_all", [])):
        return False
    anys = item.get("expect_any")
    return not anys or any(contains(text, s) for s in anys)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def time_engine(engine: AnswerEngine, questions: list[str], rounds: int) -> list[float]:
    timings = []
    for _ in range(rounds):
        for question in questions:
            start = time.perf_counter()
            engine.ask(question)
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def generated_base(path: Path, entries: int) -> AnswerEngine:
    """A knowledge base of `entries` synthetic entries on top of the seed (random words)."""
    db = make_engine(f"sqlite:///{path}")
    ensure_seeded(db, tz_paris())
    rng = random.Random(7)
    vocabulary = [w for w in re.findall(r"[a-zéèêàâîôûç]{4,}", Path(
        ROOT / "knowledge" / "data" / "seminaire-2021.yaml").read_text("utf-8").lower())]
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
    return AnswerEngine(db, tz_paris())


def tz_paris():  # noqa: ANN201
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Paris")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("questions", nargs="?", default=str(DEFAULT_QUESTIONS))
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    items = yaml.safe_load(Path(args.questions).read_text("utf-8"))

    with tempfile.TemporaryDirectory() as tmp:
        db = make_engine(f"sqlite:///{tmp}/seed.db")
        ensure_seeded(db, tz_paris())
        engine = AnswerEngine(db, tz_paris())
        per_category: dict[str, list[bool]] = defaultdict(list)
        failures = []
        for item in items:
            answer = engine.ask(item["question"])
            ok = judge(item, answer.kind, answer.text())
            per_category[item["category"]].append(ok)
            if not ok:
                failures.append((item, answer))
        print(f"Answer quality on {Path(args.questions).name} ({len(items)} questions)")
        for category, results in per_category.items():
            print(f"  {category:<14} {sum(results):>3}/{len(results):<3} "
                  f"{100 * sum(results) / len(results):6.1f} %")
        in_scope = [ok for c, r in per_category.items() if c != "out_of_scope" for ok in r]
        oos = per_category.get("out_of_scope", [])
        everything = [ok for r in per_category.values() for ok in r]
        print(f"  in-scope accuracy      {100 * sum(in_scope) / max(len(in_scope), 1):6.1f} %")
        print(f"  out-of-scope precision {100 * sum(oos) / max(len(oos), 1):6.1f} %")
        print(f"  overall accuracy       {100 * sum(everything) / len(everything):6.1f} %")
        for item, answer in failures:
            print(f"  ✗ {item['id']} {item['question']!r} → {answer.kind}: "
                  + answer.text().replace("\n", " | ")[: 400 if args.verbose else 160])

        questions = [item["question"] for item in items]
        seed_ms = time_engine(engine, questions, rounds=20)
        print(f"Latency, seed knowledge base ({len(questions)} questions x 20): "
              f"p50 {statistics.median(seed_ms):.2f} ms, p99 {percentile(seed_ms, 99):.2f} ms")
        started = time.perf_counter()
        big = generated_base(Path(tmp) / "big.db", args.entries)
        print(f"Generated knowledge base: {args.entries} extra entries, {len(big.index.docs)} "
              f"indexed pieces, built in {time.perf_counter() - started:.1f} s")
        big_ms = time_engine(big, questions, rounds=5)
        print(f"Latency, {args.entries}-entry knowledge base: "
              f"p50 {statistics.median(big_ms):.2f} ms, p99 {percentile(big_ms, 99):.2f} ms")


if __name__ == "__main__":
    main()

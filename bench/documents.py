"""How well an unseen document is served: an empty base, the seminar's text ingested as a
document (no hand-made entries), the question sets scored through the documents path alone
(the question parsed as the bot parses it, then the passages), next to the structured base.
Held-out sets: summaries only, never their failures. Also printed: out-of-scope precision
(share of the out-of-scope questions refused, and of the answers given that are right) and
the documents path's time per question.

    .venv/bin/python bench/documents.py [SHARED_FOLDER]   # default: ../shared
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.answers import percentile  # noqa: E402
from bench.judge import is_dont_know, judge, load_questions  # noqa: E402
from knowledge.admin_store.documents import add_document  # noqa: E402
from knowledge.documents import read_document  # noqa: E402
from knowledge.engine import AnswerEngine, AnswerKind  # noqa: E402
from knowledge.seed import ensure_empty, ensure_seeded  # noqa: E402
from knowledge.store import make_engine, transaction  # noqa: E402

TZ = ZoneInfo("Europe/Paris")
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"  # ../shared
SEMINAR = SHARED / "seed" / "seminaire-des-elus-2021.txt"
SETS = [ROOT / "bench/questions/own.yaml", ROOT / "bench/questions/own2.yaml",
        ROOT / "bench/questions/own3.yaml", ROOT / "bench/questions/own4.yaml",
        SHARED / "questions/dev.yaml", SHARED / "questions/dev2.yaml"]
BLIND = [ROOT / "bench/questions/holdout2.yaml", ROOT / "bench/questions/holdout3.yaml"]
OUT_OF_SCOPE = "out_of_scope"


class Tally:
    """Strict accuracy per category, and what out-of-scope precision needs."""

    def __init__(self) -> None:
        self.per_category: dict[str, list[bool]] = defaultdict(list)
        self.given: list[bool] = []  # the answers given (not « je ne sais pas »): right?

    def add(self, item: dict, unknown: bool, text: str) -> None:
        right = judge(item, unknown, text)
        self.per_category[item["category"]].append(right)
        if not is_dont_know(unknown, text):
            self.given.append(right)

    def all(self) -> list[bool]:
        return [x for results in self.per_category.values() for x in results]


def share(results: list[bool]) -> str:
    return f"{sum(results):>3}/{len(results):<3} {sum(results) / max(len(results), 1):.2f}"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        documents = make_engine(f"sqlite:///{tmp}/documents.db")
        ensure_empty(documents)
        read = read_document(SEMINAR.read_bytes(), SEMINAR.name, "Séminaire des élus 2021")
        with transaction(documents) as session:
            add_document(session, read, 0, "bench", None)
        engine = AnswerEngine(documents, TZ)
        structured_db = make_engine(f"sqlite:///{tmp}/structured.db")
        ensure_seeded(structured_db, TZ)
        structured = AnswerEngine(structured_db, TZ)
        times: list[float] = []

        def by_documents(question: str) -> tuple[bool, str]:
            start = time.perf_counter()
            answer = engine.documents.answer(engine.parse(question), engine.vocabulary)
            times.append((time.perf_counter() - start) * 1000)
            return answer is None, answer.text() if answer else ""

        def by_entries(question: str) -> tuple[bool, str]:
            answer = structured.ask(question)
            return answer.kind is AnswerKind.UNKNOWN, answer.text()

        print(f"Seminar as a document: {len(read.pages)} pages, {len(read.passages)} passages")
        tuned = [Tally(), Tally()]
        for path in [*SETS, *BLIND]:
            if not path.exists():
                continue
            docs, entries = Tally(), Tally()
            for item in load_questions(path):
                docs.add(item, *by_documents(item["question"]))
                entries.add(item, *by_entries(item["question"]))
            print(f"{path.name}: strict accuracy, documents alone | structured base")
            if path not in BLIND:
                tuned[0].per_category[path.name] = docs.all()
                tuned[0].given += docs.given
                tuned[1].per_category[path.name] = docs.per_category.get(OUT_OF_SCOPE, [])
                for category in docs.per_category:
                    print(f"  {category:<22} {share(docs.per_category[category])} | "
                          f"{share(entries.per_category[category])}")
            print(f"  {'all':<22} {share(docs.all())} | {share(entries.all())}")
        refused = tuned[1].all()
        print(f"Tuned sets, documents alone: {share(tuned[0].all())}; out of scope refused "
              f"{share(refused)}; answers given that are right {share(tuned[0].given)}")
        print(f"Documents path per question: p50 {statistics.median(times):.2f} ms, "
              f"p99 {percentile(times, 99):.2f} ms ({len(times)} questions)")


if __name__ == "__main__":
    main()

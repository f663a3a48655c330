"""How well an unseen document is served: an empty base, the seminar's text ingested as a
document (no hand-made entries), the question sets scored through the documents path alone,
next to the structured base. Held-out sets: summaries only, never their failures.

    .venv/bin/python bench/documents.py [SHARED_FOLDER]   # default: ../shared
"""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.judge import judge, load_questions  # noqa: E402
from knowledge.admin_store.documents import add_document  # noqa: E402
from knowledge.documents import read_document  # noqa: E402
from knowledge.engine import AnswerEngine, AnswerKind  # noqa: E402
from knowledge.seed import ensure_empty, ensure_seeded  # noqa: E402
from knowledge.store import make_engine, transaction  # noqa: E402

TZ = ZoneInfo("Europe/Paris")
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"  # ../shared
SEMINAR = SHARED / "seed" / "seminaire-des-elus-2021.txt"
SETS = [ROOT / "bench/questions/own.yaml", ROOT / "bench/questions/own2.yaml",
        ROOT / "bench/questions/own3.yaml", SHARED / "questions/dev.yaml",
        SHARED / "questions/dev2.yaml"]
BLIND = [ROOT / "bench/questions/holdout2.yaml", ROOT / "bench/questions/holdout3.yaml"]


def scores(ask, path: Path) -> dict[str, list[bool]]:  # noqa: ANN001 - question → (unknown, text)
    per_category: dict[str, list[bool]] = defaultdict(list)
    for item in load_questions(path):
        unknown, text = ask(item["question"])
        per_category[item["category"]].append(judge(item, unknown, text))
    return per_category


def share(results: list[bool]) -> str:
    return f"{sum(results):>3}/{len(results):<3} {sum(results) / max(len(results), 1):.2f}"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        documents = make_engine(f"sqlite:///{tmp}/documents.db")
        ensure_empty(documents)
        read = read_document(SEMINAR.read_bytes(), SEMINAR.name, "Séminaire des élus 2021")
        with transaction(documents) as session:
            add_document(session, read, 0, "bench", None)
        search = AnswerEngine(documents, TZ).documents
        structured_db = make_engine(f"sqlite:///{tmp}/structured.db")
        ensure_seeded(structured_db, TZ)
        structured = AnswerEngine(structured_db, TZ)

        def by_documents(question: str) -> tuple[bool, str]:
            answer = search.answer(question)
            return answer is None, answer.text() if answer else ""

        def by_entries(question: str) -> tuple[bool, str]:
            answer = structured.ask(question)
            return answer.kind is AnswerKind.UNKNOWN, answer.text()

        print(f"Seminar as a document: {len(read.pages)} pages, {len(read.passages)} passages")
        for path in [*SETS, *BLIND]:
            if not path.exists():
                continue
            docs, entries = scores(by_documents, path), scores(by_entries, path)
            print(f"{path.name}: strict accuracy, documents alone | structured base")
            if path not in BLIND:
                for category in docs:
                    print(f"  {category:<22} {share(docs[category])} | "
                          f"{share(entries[category])}")
            print(f"  {'all':<22} {share([x for r in docs.values() for x in r])} | "
                  f"{share([x for r in entries.values() for x in r])}")


if __name__ == "__main__":
    main()

"""Scores pipeline output against gold rows.

``reader_recall`` scores stage 1+2 (did the reader yield each gold row's cells?).
``score_document`` scores what is stored for one document (pure);
``evaluate_database`` reads gold files and the database and scores every document
(``chc eval``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from pipeline import store
from pipeline.goldfile import GoldRow, gold_document_name, load_gold, load_gold_csv
from pipeline.records import AssessmentRow
from pipeline.textnorm import normalise_space

TEXT_THRESHOLD = 95.0
# Stored-data evaluation: a stored row counts as the gold row's provision when the ids
# agree and the requirement texts agree at this rapidfuzz ratio.
REQUIREMENT_THRESHOLD = 90.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ReaderRecall:
    """How well a reader's rows cover the gold rows of one document.

    Attributes:
        gold_rows: number of gold rows.
        found: gold rows for which one yielded row matches every cell.
        missed: the gold rows not found (row number, provision id).
        spurious: yielded rows that resemble no gold row (index in the yielded rows).
        yielded: number of rows the reader yielded.
    """

    gold_rows: int
    found: int
    missed: tuple[tuple[int, str], ...]
    spurious: tuple[int, ...]
    yielded: int

    @property
    def recall(self) -> float:
        return self.found / self.gold_rows if self.gold_rows else 1.0

    @property
    def spurious_share(self) -> float:
        return len(self.spurious) / self.yielded if self.yielded else 0.0


def _same_text(a: str, b: str) -> bool:
    a, b = normalise_space(a), normalise_space(b)
    if a == b:
        return True
    if not a or not b:
        return False
    return fuzz.ratio(a, b) >= TEXT_THRESHOLD


def row_matches_gold(row: AssessmentRow, gold: GoldRow) -> bool:
    """Every cell agrees: text cells by rapidfuzz ratio >= 95, the answer exactly."""
    return (
        normalise_space(row.answer_raw) == normalise_space(gold.compliance_raw)
        and _same_text(row.requirement, gold.requirement)
        and _same_text(row.evidence, gold.evidence)
        and _same_text(row.commentary, gold.commentary)
        and _same_text(row.actions, gold.actions)
    )


def reader_recall(rows: Sequence[AssessmentRow], gold: Sequence[GoldRow]) -> ReaderRecall:
    """Match gold rows to yielded rows one-to-one, in document order.

    A yielded row is spurious when it was not matched and its requirement resembles
    no gold requirement (partial ratio < 80): a header or statistics row that leaked.
    """
    used: set[int] = set()
    missed: list[tuple[int, str]] = []
    start = 0
    for g in gold:
        hit = next(
            (
                i
                for i in [*range(start, len(rows)), *range(start)]
                if i not in used and row_matches_gold(rows[i], g)
            ),
            None,
        )
        if hit is None:
            missed.append((g.row, g.provision_id))
        else:
            used.add(hit)
            start = hit + 1
    spurious = tuple(
        i
        for i, r in enumerate(rows)
        if i not in used
        and not any(
            fuzz.partial_ratio(normalise_space(r.requirement), g.requirement) >= 80 for g in gold
        )
    )
    return ReaderRecall(
        gold_rows=len(gold),
        found=len(gold) - len(missed),
        missed=tuple(missed),
        spurious=spurious,
        yielded=len(rows),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentScore:
    """Stored data of one document against its gold file.

    Attributes:
        gold_file: the gold file's name.
        document: the stored document's file name ("" when nothing is stored).
        document_id: the stored document's id ("" when nothing is stored).
        status: the stored status, or "not_stored".
        gold_version: the Code version of the gold rows.
        stored_version: the version stored for the document (None if undecided).
        gold_rows: number of gold rows.
        stored_aligned: stored rows with a provision id.
        recalled: gold rows whose provision is stored with a matching requirement.
        precise: stored aligned rows that are a gold row's provision and requirement.
        answers_correct: gold rows whose stored compliance (same provision) is right.
    """

    gold_file: str
    document: str
    document_id: str
    status: str
    gold_version: str
    stored_version: str | None
    gold_rows: int
    stored_aligned: int
    recalled: int
    precise: int
    answers_correct: int

    @property
    def version_correct(self) -> bool:
        return self.stored_version == self.gold_version

    @property
    def recall(self) -> float:
        return self.recalled / self.gold_rows if self.gold_rows else 1.0

    @property
    def precision(self) -> float:
        return self.precise / self.stored_aligned if self.stored_aligned else 0.0

    @property
    def answer_accuracy(self) -> float:
        return self.answers_correct / self.gold_rows if self.gold_rows else 1.0

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "gold_file": self.gold_file,
            "document": self.document,
            "document_id": self.document_id,
            "status": self.status,
            "gold_version": self.gold_version,
            "stored_version": self.stored_version,
            "version_correct": self.version_correct,
            "gold_rows": self.gold_rows,
            "stored_aligned": self.stored_aligned,
            "recall": round(self.recall, 4),
            "precision": round(self.precision, 4),
            "answer_accuracy": round(self.answer_accuracy, 4),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class EvalReport:
    """Per-document scores and micro-averaged overall figures.

    Documents not stored at all are listed in ``documents`` with status "not_stored" but
    left out of the overall figures (they were not ingested); failed documents count,
    with nothing recalled.
    """

    documents: tuple[DocumentScore, ...]

    @property
    def scored(self) -> tuple[DocumentScore, ...]:
        return tuple(d for d in self.documents if d.status != "not_stored")

    def _ratio(self, num: str, den: str) -> float:
        n = sum(getattr(d, num) for d in self.scored)
        m = sum(getattr(d, den) for d in self.scored)
        return n / m if m else 0.0

    @property
    def recall(self) -> float:
        return self._ratio("recalled", "gold_rows")

    @property
    def precision(self) -> float:
        return self._ratio("precise", "stored_aligned")

    @property
    def answer_accuracy(self) -> float:
        return self._ratio("answers_correct", "gold_rows")

    def by_form(self) -> dict[str, EvalReport]:
        """The report split by the documents' form (file extension: .txt, .html, .docx,
        .pdf), for the per-form figures of ``make eval-real``."""
        forms: dict[str, list[DocumentScore]] = {}
        for d in self.documents:
            name = d.document or d.gold_file.rsplit(":", 1)[-1]
            forms.setdefault(Path(name).suffix.lower() or "(none)", []).append(d)
        return {form: EvalReport(documents=tuple(ds)) for form, ds in sorted(forms.items())}

    @property
    def version_accuracy(self) -> float:
        scored = self.scored
        return sum(d.version_correct for d in scored) / len(scored) if scored else 0.0

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (``chc eval --json``)."""
        scored = self.scored
        return {
            "documents": [d.as_dict() for d in self.documents],
            "overall": {
                "documents_scored": len(scored),
                "documents_not_stored": len(self.documents) - len(scored),
                "gold_rows": sum(d.gold_rows for d in scored),
                "version_accuracy": round(self.version_accuracy, 4),
                "recall": round(self.recall, 4),
                "precision": round(self.precision, 4),
                "answer_accuracy": round(self.answer_accuracy, 4),
            },
        }


def _requirement_matches(stored: str, gold: GoldRow) -> bool:
    if not gold.full_requirement:
        return True  # CSV gold: the provision id decides, as in real-dev/score.py
    a, b = normalise_space(stored), normalise_space(gold.requirement)
    return a == b or (bool(a) and bool(b) and fuzz.ratio(a, b) >= REQUIREMENT_THRESHOLD)


def score_document(
    gold: Sequence[GoldRow],
    rows: Sequence[store.StoredRow],
    *,
    gold_file: str,
    document: store.StoredDocument | None,
) -> DocumentScore:
    """Score one document's stored rows against its gold rows (see DocumentScore).

    A stored aligned row is precise when it is the first stored row of a gold row's
    provision (with a matching requirement): a second row for the same provision, or a
    provision the gold does not have, is not.
    """
    versions = Counter(g.code_version for g in gold)
    gold_version = versions.most_common(1)[0][0] if versions else ""
    aligned = [r for r in rows if r.provision_id is not None]
    by_id: dict[str, list[store.StoredRow]] = {}
    for r in aligned:
        by_id.setdefault(str(r.provision_id), []).append(r)
    recalled = answers = precise = 0
    for g in gold:
        same_id = by_id.get(g.provision_id, [])
        hits = [r for r in same_id if _requirement_matches(r.requirement_text, g)]
        if hits:
            recalled += 1
        if any(r.compliance == g.compliance for r in (hits or same_id)[:1]):
            answers += 1
    gold_ids = Counter(g.provision_id for g in gold)
    for pid, stored in by_id.items():
        wanted = [g for g in gold if g.provision_id == pid]
        matching = [
            r for r in stored if any(_requirement_matches(r.requirement_text, g) for g in wanted)
        ]
        precise += min(len(matching), gold_ids.get(pid, 0))
    return DocumentScore(
        gold_file=gold_file,
        document=document.file_name if document else "",
        document_id=document.document_id if document else "",
        status=document.status if document else "not_stored",
        gold_version=gold_version,
        stored_version=document.code_version if document else None,
        gold_rows=len(gold),
        stored_aligned=len(aligned),
        recalled=recalled,
        precise=precise,
        answers_correct=answers,
    )


def _gold_documents(paths: Sequence[Path]) -> list[tuple[str, str, tuple[GoldRow, ...]]]:
    """(gold file label, document name, gold rows) for every document the files describe."""
    out: list[tuple[str, str, tuple[GoldRow, ...]]] = []
    for path in paths:
        if path.suffix.lower() == ".csv":
            for name, rows in load_gold_csv(path).items():
                out.append((f"{path.name}:{name}", name, rows))
        else:
            out.append((path.name, gold_document_name(path), load_gold(path)))
    return out


def evaluate_database(db_path: Path, gold_paths: Sequence[Path]) -> EvalReport:
    """Score what the database holds against gold files (``chc eval``).

    Gold file ``X.jsonl`` describes the stored document named ``X`` (corpus/gold
    convention ``<file name>.jsonl``), else the one whose file stem is ``X``
    (../shared/gold convention); a gold ``.csv`` describes every document named in its
    ``file`` column. A document without a stored counterpart is reported with status
    "not_stored".

    Raises:
        UsageError: no database at ``db_path``.
        ChcError: a gold file is missing or malformed.
    """
    golds = _gold_documents(gold_paths)
    con = store.connect(db_path, read_only=True)
    try:
        scores: list[DocumentScore] = []
        for label, name, gold in golds:
            found = store.documents_named(con, name)
            document = found[0] if found else None
            rows = store.stored_rows(con, document.document_id) if document else ()
            scores.append(score_document(gold, rows, gold_file=label, document=document))
    finally:
        con.close()
    return EvalReport(documents=tuple(scores))

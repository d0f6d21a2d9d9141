"""Where the seeds come from: ../shared when present, else the copies already in corpus/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import GoldRow
from .seeds import SEEDS, gold_lines, parse_gold

CORPUS = Path(__file__).resolve().parents[1]


@dataclass(frozen=True, slots=True)
class SeedInputs:
    """Per seed number: text (decoded and raw bytes), gold rows and gold bytes."""

    texts: dict[str, str]
    raw_texts: dict[str, bytes]
    golds: dict[str, tuple[GoldRow, ...]]
    raw_golds: dict[str, bytes]


def load_seeds(shared: Path | None) -> SeedInputs:
    """Read the five seeds and their gold; `shared` has seeds/ and gold/ like ../shared."""
    texts, raw_texts, golds, raw_golds = {}, {}, {}, {}
    for seed in SEEDS:
        stem = seed.file.removesuffix(".txt")
        text = gold = None
        if shared is not None:
            text, gold = shared / "seeds" / seed.file, shared / "gold" / f"{stem}.jsonl"
        if text is None or gold is None or not (text.exists() and gold.exists()):
            text = CORPUS / "documents" / seed.file
            gold = CORPUS / "gold" / f"{seed.file}.jsonl"
        raw_texts[seed.number] = text.read_bytes()
        raw_golds[seed.number] = gold.read_bytes()
        texts[seed.number] = raw_texts[seed.number].decode("utf-8")
        golds[seed.number] = parse_gold(raw_golds[seed.number].decode("utf-8"))
        if gold_lines(golds[seed.number]).encode() != raw_golds[seed.number]:
            raise ValueError(f"{gold}: does not round-trip through the gold writer")
    return SeedInputs(texts, raw_texts, golds, raw_golds)

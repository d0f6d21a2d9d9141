"""The one question collect asks chc's own pipeline: is this file a self-assessment?

Recognition is not re-implemented here: the file goes through ``process_file`` exactly
as ``chc ingest`` would read it; status ``ok`` keeps it, anything else leaves it out
with the pipeline's own reason.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.collect.records import Verdict
from pipeline.process import process_file


def without_path(text: str, path: Path) -> str:
    """``text`` without a leading ``"<path>: "``: the pipeline names the temporary file
    it read, while collect's log names the URL instead."""
    prefix = f"{path}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


def recognise(path: Path) -> Verdict:
    """Read a downloaded file with chc's pipeline and say whether to keep it.

    Args:
        path: the file, named with the extension of its sniffed format.

    Returns:
        keep=True when ``process_file`` stores it as ``ok`` (a self-assessment whose
        rows align to Code provisions); otherwise keep=False with the pipeline's reason.
    """
    result = process_file(path)
    if result.status == "ok":
        return Verdict(
            keep=True,
            format=result.format,
            reason=f"a self-assessment: {result.rows_aligned} rows match provisions of "
            f"the {result.code_version} Code.",
        )
    if result.status == "failed":
        reason = result.error or "chc could not read it."
    else:
        reason = " ".join(result.notes) or "no self-assessment table found."
    return Verdict(
        keep=False,
        format=result.format,
        reason=without_path(reason, path),
        error_code=result.error_code or result.status,
    )

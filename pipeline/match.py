"""Stage 3: assessment rows -> Code version, provision per row, normalised answers.

(Interface fixed; implementation in progress.)
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.records import AssessedDocument, AssessmentRow
from pipeline.reference import Reference


def assess_document(
    rows: Sequence[AssessmentRow], reference: Reference, *, context: Sequence[str] = ()
) -> AssessedDocument:
    """Decide the document's Code version, align every row, normalise every answer.

    Args:
        rows: the document's assessment rows in document order.
        reference: provisions and crosswalk.
        context: the document's title lines and other text (dates, headings).
    """
    raise NotImplementedError("matcher not implemented yet")

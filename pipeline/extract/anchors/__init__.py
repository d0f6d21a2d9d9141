"""Reference-anchored reading: the Code's own wording located in any document's text.

Structure is a help, not a requirement. Whatever a page does to its table (one cell per
line, pipes, label/value stacks, cells fused with no separator, one section per page),
each row still quotes a provision's requirement. ``locate.py`` finds those quotations;
``segment.py`` cuts the text between them into rows; ``answer.py`` reads each row's
answer. ``anchored_rows`` turns a document's text into Rows that carry the provisions
they may be (``Row.anchors``); ``complete_rows`` adds them to the rows a reader found in
the document's table structure, where that structure missed them or fused them.
"""

from pipeline.extract.anchors.merge import anchored_rows, complete_rows

__all__ = ["anchored_rows", "complete_rows"]

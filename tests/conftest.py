"""Shared fixtures. The fake landlord web site for ``chc collect`` is built in
tests/fixtures/collect/fake_site.py and served on 127.0.0.1 only."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "collect"))
from fake_site import LiveSite, live


@pytest.fixture
def live_site() -> Iterator[LiveSite]:
    """A fresh fake landlord site for one test (a test may change its resources), with
    every address but 127.0.0.1 refused."""
    with live() as site:
        yield site

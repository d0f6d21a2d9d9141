"""How ``chc --help`` reads: no Python type names, every default, unbroken lines.

Typer shows each value's Python type (``<int>``, ``<list[Path]>``, ``<bool>`` for a
flag) and leaves defaults of ``None`` and ``False`` out; its rich help keeps the line
breaks of a docstring. ``ChcApp`` makes every command a ``ChcCommand``, which shows a
value's metavar instead of its type, nothing for a flag, a default for every option
and each docstring paragraph as one line.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

F = TypeVar("F", bound=Callable[..., Any])


class _PlainArgument(TyperArgument):
    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # the argument's name (its metavar) says what it is


def _plain_params(params: list[Any]) -> list[Any]:
    """Help without Python type names (``<int>``, ``<list[Path]>``: a value's metavar
    instead, nothing for a flag) and with every default shown."""
    for param in params:
        if isinstance(param, TyperArgument):
            param.__class__ = _PlainArgument
        elif isinstance(param, TyperOption):
            if param.metavar is None:
                param.metavar = "" if param.is_flag else (param.name or "value").upper()
            eager = param.is_eager  # --help and --version act at once; no default to show
            if (
                not eager
                and param.default in (None, False)
                and not isinstance(param.show_default, str)
            ):
                param.show_default = "off" if param.is_flag else "none"
    return params


def _one_line_paragraphs(text: str | None) -> str | None:
    """A docstring's paragraphs as single lines (rich help keeps source line breaks)."""
    if not text:
        return text
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


class ChcCommand(TyperCommand):
    """A command whose help has no type names, every default, and unbroken lines."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["help"] = _one_line_paragraphs(kwargs.get("help"))
        super().__init__(*args, **kwargs)

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_params(super().get_params(ctx))


class ChcGroup(TyperGroup):
    """The top-level command, with the same help rules as ``ChcCommand``."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_params(super().get_params(ctx))


class ChcApp(typer.Typer):
    """A Typer app whose commands all use ``ChcCommand``."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        kwargs.setdefault("cls", ChcCommand)
        decorator: Callable[[F], F] = super().command(*args, **kwargs)
        return decorator

"""engage's error vocabulary: one base, ``EngageError``, for everything engage refuses.

The compiled core defines ``InvalidInputError`` and ``InsufficientDataError`` (both ``ValueError``) and
``ConvergenceError`` (a ``RuntimeError``). This module gives them the common base ``EngageError``, so
``except engage.EngageError`` catches every error engage raises about its input, whichever layer found it, while
``except ValueError`` keeps working. ``InvalidTypeError`` is the bad-input error for an argument of the wrong
type: an ``InvalidInputError`` that is also a ``TypeError``.

The base is added to the core's classes here, when engage is imported (they are created by pybind11 with a single
built-in base); declaring ``EngageError`` in ``src/bind_errors.cpp`` and passing it as a base there would make
this step unnecessary.
"""

from __future__ import annotations

from . import _core


class EngageError(Exception):
    """Base of every error engage raises about its input or data: bad arguments, too little data, a model that
    did not converge. The message names the argument and the offending value, row or column."""

    __slots__ = ()  # no instance layout of its own, so the core's exception classes can take it as a base


def _adopt(cls: type[BaseException], builtin: type[BaseException]) -> None:
    if not issubclass(cls, EngageError):
        setattr(cls, "__bases__", (EngageError, builtin))  # layout-compatible: EngageError has no slots


_adopt(_core.InvalidInputError, ValueError)
_adopt(_core.InsufficientDataError, ValueError)
_adopt(_core.ConvergenceError, RuntimeError)

InvalidInputError = _core.InvalidInputError
InsufficientDataError = _core.InsufficientDataError
ConvergenceError = _core.ConvergenceError


class InvalidTypeError(InvalidInputError, TypeError):
    """An argument of the wrong type (a string where a number belongs, a bool where a count belongs): an
    ``InvalidInputError`` that is also a ``TypeError``."""


class ColumnError(InvalidInputError, KeyError):
    """A column named in an argument is not in the frame (or is there twice): an ``InvalidInputError`` that is
    also a ``KeyError``. Its text is the message itself, not KeyError's quoted repr."""

    def __str__(self) -> str:
        return Exception.__str__(self)

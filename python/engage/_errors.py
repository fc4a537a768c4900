"""engage's error vocabulary: one base, ``EngageError``, for everything engage refuses.

The compiled core defines ``InvalidInputError`` and ``InsufficientDataError`` (both ``ValueError``) and
``ConvergenceError`` (a ``RuntimeError``), all with the common base ``EngageError``, so
``except engage.EngageError`` catches every error engage raises about its input, whichever layer found it, while
``except ValueError`` keeps working. ``InvalidTypeError`` is the bad-input error for an argument of the wrong
type: an ``InvalidInputError`` that is also a ``TypeError``.

The classes and their common base are created by the bindings (``src/bind_errors.cpp``).
"""

from __future__ import annotations

from . import _core


EngageError = _core.EngageError
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

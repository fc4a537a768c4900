"""Warning classes of engage."""

from __future__ import annotations


class EngageWarning(RuntimeWarning):
    """Base class of every warning engage emits."""


class SmallSampleWarning(EngageWarning):
    """A figure rests on so few respondents that its interval is very wide or undefined."""

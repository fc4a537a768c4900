"""Warning classes of engage (all derive from :class:`EngageWarning`, so one filter silences them all)."""

from __future__ import annotations


class EngageWarning(RuntimeWarning):
    """Base class of every warning engage emits."""


class SmallSampleWarning(EngageWarning):
    """A figure rests on so few respondents that its interval is very wide or undefined."""


class DegenerateDataWarning(EngageWarning):
    """A bootstrap interval could not be formed (NaN), or some resamples had no defined statistic and were dropped."""


class SeparationWarning(EngageWarning):
    """The outcome is perfectly predicted (separation): the maximum-likelihood estimates do not exist."""

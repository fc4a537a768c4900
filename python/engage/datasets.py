"""Synthetic data with planted effects: an engagement survey, an HRIS extract and team customer outcomes.

The generator lives in C++ (``include/engage/datasets.hpp``) and is deterministic for a seed: it uses Boost.Random
engines and distributions, whose output does not depend on the compiler's standard library. This module turns
its columns into pandas DataFrames.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core
from ._validation import seed_value, whole_number

__all__ = ["DONT_KNOW", "ITEMS", "Organisation", "synthetic_organisation"]

#: Item code for "don't know / does not apply" in ``q01``..``q12`` (a real answer, but not on the 1-5 scale).
DONT_KNOW: int = 9

#: Names of the twelve agreement items of the survey.
ITEMS: tuple[str, ...] = tuple(f"q{k:02d}" for k in range(1, 13))

_NO_DATE = np.iinfo(np.int32).min


@dataclass(frozen=True, eq=False)
class Organisation:
    """A synthetic organisation: three tables and the true values planted in them.

    Attributes
    ----------
    survey : pandas.DataFrame
        One row per respondent per wave: ``respondent_id``, ``team``, ``department``, ``location``,
        ``tenure_band``, ``wave``, ``enps``, ``q01``..``q12``, ``intent_to_stay``.
    hris : pandas.DataFrame
        One row per person employed at any time in the observation window: ``employee_id``, ``team``,
        ``department``, ``location``, ``hire_date``, ``exit_date``, ``exit_type``.
    customers : pandas.DataFrame
        One row per team per quarter: ``team``, ``quarter``, ``csat_mean``, ``customer_nps``,
        ``customers_surveyed``.
    planted : dict
        The generating values (effect sizes, rates, codes and the calendar); see
        :func:`synthetic_organisation`.
    """

    survey: pd.DataFrame
    hris: pd.DataFrame
    customers: pd.DataFrame
    planted: dict[str, Any]

    @property
    def wave_dates(self) -> dict[int, str]:
        """Date of each survey wave (wave -> ISO date), as ``engage.churn_risk`` and the report take them."""
        return {i + 1: str(d) for i, d in enumerate(self.planted["wave_dates"])}

    def __repr__(self) -> str:
        return (
            f"Organisation(survey={len(self.survey)} rows, hris={len(self.hris)} rows, "
            f"customers={len(self.customers)} rows, seed={self.planted.get('seed')})"
        )




def _dates(days: npt.NDArray[np.int32]) -> pd.Series:
    """Day numbers (days since 1970-01-01, int32 minimum = none) as datetime64[ns] with NaT."""
    d = days.astype("datetime64[D]")
    d[days == _NO_DATE] = np.datetime64("NaT")
    return pd.Series(d.astype("datetime64[ns]"))


def _iso(day: int) -> str:
    return str(np.datetime64(int(day), "D"))


def synthetic_organisation(
    n_employees: int = 3000, n_teams: int = 100, waves: int = 2, seed: int = 2026
) -> Organisation:
    """Generate a synthetic organisation with known (planted) effects.

    Teams belong to one of ten departments and one of five locations. Each employee has a latent engagement,
    standard normal overall, made of a team part (which drifts from quarter to quarter) and a personal part
    (correlated across waves). Survey answers, exits and the team's customer outcomes all derive from it, so
    every analysis in engage has a true answer to recover. The output is identical for identical arguments.

    Parameters
    ----------
    n_employees : int, default 3000
        Headcount at the first wave (1 to 10,000,000). People hired during the observation window come on top:
        ``round(n_employees * 0.15 * window_years)`` of them.
    n_teams : int, default 100
        Number of teams (1 to ``n_employees``); every team has at least one employee at the first wave and
        sizes vary log-normally.
    waves : int, default 2
        Number of survey waves (1 to 10), six months apart from 2024-02-15 (2024Q1, 2024Q3, 2025Q1, ...).
    seed : int, default 2026
        Seed of the generator, 0 to 2**64 - 1.

    Returns
    -------
    Organisation
        ``survey``, ``hris`` and ``customers`` DataFrames and the ``planted`` dict.

        **survey**, one row per respondent per wave, ordered by wave then id:

        - ``respondent_id`` (str, ``"R00042"``): pseudonymous, stable across waves, equal to ``employee_id``.
        - ``team`` (``"T017"``), ``department``, ``location`` (str); ``tenure_band`` (str: ``"<1y"``,
          ``"1-2y"``, ``"2-5y"``, ``"5y+"``, at the wave date); ``wave`` (int64, 1..waves).
        - ``enps`` (float64): "How likely are you to recommend us as a place to work?" 0..10, NaN = skipped.
        - ``q01``..``q12`` (float64): agreement 1..5, ``9`` = don't know / does not apply (:data:`DONT_KNOW`;
          drop or recode it before averaging), NaN = skipped.
        - ``intent_to_stay`` (float64): agreement 1..5 with "I see myself working here in two years",
          NaN = skipped.

        **hris**, one row per person employed at some time in the window, ordered by id:
        ``employee_id``, ``team``, ``department``, ``location`` (str), ``hire_date`` and ``exit_date``
        (datetime64[ns]; ``exit_date`` is NaT while employed at the end of the window), ``exit_type`` (str:
        ``"voluntary"``, ``"involuntary"``, ``"none"``). Written to CSV, the dates are ISO ``YYYY-MM-DD``.

        **customers**, one row per team per quarter, ordered by team then quarter: ``team`` (str),
        ``quarter`` (str, ``"2024Q1"``; from 2024Q1 for ``max(8, 2 * waves)`` quarters), ``csat_mean``
        (float64, mean customer-satisfaction rating on a 1..5 scale), ``customer_nps`` (float64, customer
        Net Promoter Score, -100..100), ``customers_surveyed`` (int64, 50..250).

    Raises
    ------
    engage.InvalidInputError
        (a ``ValueError``) for sizes or a seed out of range, or ``n_teams > n_employees``.
    TypeError
        For arguments that are not integers.

    Notes
    -----
    The planted values (all in ``Organisation.planted``; correlations and loadings on the latent scale):

    - Team share of latent engagement variance 0.33 (so the ICC(1) of single items is about 0.12 and of the
      12-item mean about 0.27); half of it stable, half an AR(1) over quarters with coefficient 0.2. A
      person's own part correlates 0.7 between waves.
    - Response rate 0.82 per wave. Items: ordered probit with loadings 0.60-0.74 (Cronbach's alpha of
      q01..q12 about 0.88), 3% skipped per item, 0.5-4% "don't know" (item-specific). eNPS loading 0.75,
      marginally 35% detractors, 35% passives, 30% promoters; 3% skipped. Latent intent to stay correlates
      0.6 with engagement; 3% skipped.
    - Exits, observed from the first wave for two years (longer with more than four waves) and censored
      after: voluntary hazard 0.08 per year at the reference, log hazard ratio -0.5 per SD of latent
      engagement, +0.7 for low intent to stay (an answer of 1 or 2), tenure bands <1y +0.4, 1-2y +0.2,
      2-5y 0, 5y+ -0.3; involuntary hazard 0.03 per year, unrelated to engagement. Covariates are those
      of the survey cycle in force.
    - Customers: the customer latent of a team in quarter q correlates 0.4 with the team's latent
      engagement in quarter q - 1 (the one-quarter lag) and, through the team's persistence, 0.24 with
      quarter q. Observed team means carry sampling noise, so sample correlations fall a little short.

    Examples
    --------
    >>> from engage.datasets import synthetic_organisation
    >>> org = synthetic_organisation(n_employees=500, n_teams=20, seed=1)
    >>> org.survey.columns[:6].tolist()
    ['respondent_id', 'team', 'department', 'location', 'tenure_band', 'wave']
    >>> items = org.survey.loc[:, "q01":"q12"].mask(lambda d: d == 9)   # don't know -> missing
    >>> org.planted["log_hr_engagement"]
    -0.5
    """
    # The core checks the ranges of the sizes; they must first fit its int64.
    n_employees = whole_number(n_employees, "n_employees")
    n_teams = whole_number(n_teams, "n_teams")
    waves = whole_number(waves, "waves")
    seed = seed_value(seed)

    raw = _core.synthetic_organisation(n_employees=n_employees, n_teams=n_teams, waves=waves, seed=seed)
    ids = np.asarray(raw["employee_ids"], dtype=object)
    team_labels = np.asarray(raw["team_labels"], dtype=object)
    department_of_team = np.asarray(raw["department_labels"], dtype=object)[raw["team_department"]]
    location_of_team = np.asarray(raw["location_labels"], dtype=object)[raw["team_location"]]

    s = raw["survey"]
    items = s["items"]
    survey = pd.DataFrame(
        {
            "respondent_id": ids[s["employee"]],
            "team": team_labels[s["team"]],
            "department": department_of_team[s["team"]],
            "location": location_of_team[s["team"]],
            "tenure_band": np.asarray(raw["tenure_band_labels"], dtype=object)[s["tenure_band"]],
            "wave": s["wave"].astype(np.int64),
            "enps": s["enps"],
            **{name: items[:, k] for k, name in enumerate(ITEMS)},
            "intent_to_stay": s["intent_to_stay"],
        }
    )

    h = raw["hris"]
    hris = pd.DataFrame(
        {
            "employee_id": ids,
            "team": team_labels[h["team"]],
            "department": department_of_team[h["team"]],
            "location": location_of_team[h["team"]],
            "hire_date": _dates(h["hire_date"]),
            "exit_date": _dates(h["exit_date"]),
            "exit_type": np.asarray(raw["exit_type_labels"], dtype=object)[h["exit_type"]],
        }
    )

    c = raw["customers"]
    customers = pd.DataFrame(
        {
            "team": team_labels[c["team"]],
            "quarter": np.asarray(raw["quarter_labels"], dtype=object)[c["quarter"]],
            "csat_mean": c["csat_mean"],
            "customer_nps": c["customer_nps"],
            "customers_surveyed": c["customers_surveyed"].astype(np.int64),
        }
    )

    planted: dict[str, Any] = dict(raw["planted"])
    planted.update(
        {
            "seed": seed,
            "n_employees": n_employees,
            "n_teams": n_teams,
            "waves": waves,
            "dont_know_code": DONT_KNOW,
            "csat_scale": (1, 5),
            "customer_nps_scale": (-100, 100),
            "tenure_bands": tuple(raw["tenure_band_labels"]),
            "wave_dates": tuple(_iso(d) for d in raw["wave_dates"]),
            "wave_quarters": tuple(raw["quarter_labels"][q] for q in raw["wave_quarter"]),
            "quarters": tuple(raw["quarter_labels"]),
            "window_start": _iso(raw["window_start"]),
            "window_end": _iso(raw["window_end"]),  # exclusive: exits from this day on are censored
        }
    )
    for key, value in planted.items():
        if isinstance(value, list):
            planted[key] = tuple(value)
    planted["log_hr_tenure"] = dict(zip(raw["tenure_band_labels"], planted["log_hr_tenure"]))
    return Organisation(survey=survey, hris=hris, customers=customers, planted=planted)

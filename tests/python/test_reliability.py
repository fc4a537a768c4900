"""Reliability: reference values from R psych 2.2.9 / multilevel 2.7 (tests/data/reliability_reference.R),
pingouin 0.7.0 (tests/data/reliability_reference.py), the grouped table, and bad input."""

from __future__ import annotations

import math
import threading
from typing import Any

import numpy as np
import pandas as pd
import pytest

import engage
from engage.reliability import feldt_interval

REL = 1e-8


def _frame(case: dict[str, Any]) -> pd.DataFrame:
    cols = {
        name: np.array([np.nan if v is None else v for v in col], dtype=float)
        for name, col in zip(case["item_names"], case["columns"])
    }
    return pd.DataFrame(cols)


def _num(v: Any) -> float:
    return math.nan if v is None else float(v)


def _close(got: Any, expected: Any, what: str, rel: float = REL) -> None:
    got_a = np.asarray(got, dtype=float)
    exp_a = np.array([_num(v) for v in expected] if isinstance(expected, list) else _num(expected), dtype=float)
    np.testing.assert_allclose(got_a, exp_a, rtol=rel, atol=rel, equal_nan=True, err_msg=what)


def test_alpha_matches_psych(load_reference: Any) -> None:
    ref = load_reference("reliability_reference.json")
    assert len(ref["alpha"]) >= 10
    for case in ref["alpha"]:
        cid = f"{case['name']}/{case['missing']}"
        a = engage.cronbach_alpha(_frame(case), missing=case["missing"])
        assert (a.n, a.n_items, a.missing, a.rows_dropped) == (
            case["n"],
            case["n_items"],
            case["missing_cells"],
            case["rows_dropped"],
        ), cid
        assert a.missing_policy == case["missing"]
        t = case["total"]
        for ours, theirs in (
            ("statistic", "raw_alpha"),
            ("standardized", "std_alpha"),
            ("g6", "g6"),
            ("average_r", "average_r"),
            ("median_r", "median_r"),
            ("signal_to_noise", "signal_to_noise"),
            ("standard_error", "ase"),
            ("mean", "mean"),
            ("sd", "sd"),
        ):
            _close(getattr(a, ours), t[theirs], f"{cid} {ours}")
        for f in case["feldt"]:
            low, high = a.confidence_interval(f["level"])
            _close([low, high], [f["low"], f["high"]], f"{cid} feldt {f['level']}")
        s = a.item_stats
        assert list(s.index) == case["item_names"]
        for col in ("n", "raw_r", "std_r", "r_cor", "r_drop", "mean", "sd"):
            _close(s[col].to_numpy(dtype=float), case["item_stats"][col], f"{cid} item {col}")
        if "alpha_drop" in case:
            d = case["alpha_drop"]
            for ours, theirs in (
                ("alpha_if_dropped", "raw_alpha"),
                ("std_alpha_if_dropped", "std_alpha"),
                ("g6_if_dropped", "g6"),
                ("average_r_if_dropped", "average_r"),
                ("signal_to_noise_if_dropped", "signal_to_noise"),
                ("standard_error_if_dropped", "alpha_se"),
                ("var_r_if_dropped", "var_r"),
                ("median_r_if_dropped", "median_r"),
            ):
                _close(s[ours].to_numpy(), d[theirs], f"{cid} {ours}")
        else:  # 2 items: nothing is left to compute alpha on
            assert s["alpha_if_dropped"].isna().all()
        if "multilevel" in case:
            _close(a.statistic, case["multilevel"]["alpha"], f"{cid} multilevel::cronbach")
            assert a.n == case["multilevel"]["n"]


def test_methods_md_golden_values(load_reference: Any) -> None:
    """METHODS.md section 3 [REF] values for psych::alpha(attitude), printed there to 7 digits."""
    a = engage.cronbach_alpha(_frame(load_reference("reliability_reference.json")["alpha"][0]))
    expected = (0.8431428, 0.8390838, 0.8752151, 0.4269066, 5.214415, 0.0424357, 60.4381, 8.249789)
    got = (a.statistic, a.standardized, a.g6, a.average_r, a.signal_to_noise, a.standard_error, a.mean, a.sd)
    assert got == pytest.approx(expected, rel=1e-6)  # 7 significant digits
    assert a.confidence_interval() == pytest.approx((0.7393757, 0.9157731), abs=5e-8)
    assert a.item_stats["r_drop"].tolist() == pytest.approx(
        [0.6712621, 0.7421097, 0.5607111, 0.7144455, 0.7862756, 0.2650343, 0.4608105], abs=5e-8
    )
    assert feldt_interval(0.8431428, 30, 7) == pytest.approx((0.7393757, 0.9157731), abs=1e-6)


def test_pingouin_reference(load_reference: Any) -> None:
    """pingouin 0.7.0 (tests/data/reliability_reference.py; pingouin is not needed here). alpha agrees under both
    policies. pingouin's interval (rounded to 3 dp) uses n = every row of the input under both policies: for
    pairwise that is engage's n too; for listwise engage uses the complete rows (as psych on na.omit(x) and
    multilevel::cronbach), so pingouin's listwise interval is ``feldt_interval(statistic, n=<all rows>, ...)``."""
    ref = load_reference("reliability_reference_pingouin.json")
    assert len(ref["cases"]) >= 10
    for case in ref["cases"]:
        df = _frame(case)
        for policy in ("pairwise", "listwise"):
            cid = f"{case['name']}/{policy}"
            pg = case["pingouin"][policy]
            a = engage.cronbach_alpha(df, missing=policy)
            _close(a.statistic, pg["alpha"], f"{cid} alpha", rel=1e-10)
            at_all_rows = feldt_interval(a.statistic, pg["feldt_n"], a.n_items)
            _close(list(at_all_rows), pg["feldt_unrounded"], f"{cid} feldt")
            assert np.round(at_all_rows, 3).tolist() == pg["ci_rounded"], cid
            if policy == "pairwise":
                assert a.n == pg["feldt_n"] == case["n_rows"], cid
                assert np.round(a.confidence_interval(), 3).tolist() == pg["ci_rounded"], cid
            else:
                assert a.n == case["n_complete"] and a.rows_dropped == case["n_rows"] - case["n_complete"], cid
    # pingouin's docstring values (METHODS.md section 3)
    for name, by_policy in ref["docstring"].items():
        df = _frame(next(c for c in ref["cases"] if c["name"] == name))
        for policy, (value, ci) in by_policy.items():
            a = engage.cronbach_alpha(df, missing=policy)
            assert a.statistic == pytest.approx(value, rel=1e-12), (name, policy)
            assert np.round(feldt_interval(a.statistic, len(df), a.n_items), 3).tolist() == ci, (name, policy)


def test_psych_complete_obs_convention(load_reference: Any) -> None:
    """psych::alpha(x, use="complete.obs"): alpha of the complete rows (engage's listwise alpha) with n = every
    row for the ase and the Feldt interval (as pingouin's listwise)."""
    ref = load_reference("reliability_reference.json")
    assert len(ref["complete_obs"]) == 3
    for c in ref["complete_obs"]:
        data = next(a for a in ref["alpha"] if a["name"] == c["name"] and a["missing"] == "pairwise")
        a = engage.cronbach_alpha(_frame(data), missing="listwise")
        assert a.n == c["n_complete"] and a.n + a.rows_dropped == c["n_rows"]
        _close(a.statistic, c["raw_alpha"], f"{c['name']} alpha")
        _close(list(feldt_interval(a.statistic, c["n_rows"], a.n_items)), [c["feldt_low"], c["feldt_high"]], "feldt")
        _close(a.standard_error * math.sqrt(a.n / c["n_rows"]), c["ase"], f"{c['name']} ase")


def test_omega_matches_psych(load_reference: Any) -> None:
    ref = load_reference("reliability_reference.json")
    for case in ref["omega"]:
        cid = f"{case['name']}/{case['missing']}"
        o = engage.omega(_frame(case), missing=case["missing"])
        t = case["tight"]
        _close(o.loadings.to_numpy(), t["loadings"], f"{cid} loadings (exact minres)")
        _close(o.uniquenesses.to_numpy(), t["uniquenesses"], f"{cid} uniquenesses")
        _close(o.omega_total, t["omega_total"], f"{cid} omega_total")
        _close(o.omega_total_model, t["omega_total_model"], f"{cid} omega_total_model")
        _close(o.explained_variance, t["explained_variance"], f"{cid} explained variance")
        # psych's optimiser stops up to ~2.5e-6 from the minimiser
        np.testing.assert_allclose(o.loadings.to_numpy(), case["psych"]["loadings"], atol=5e-6, err_msg=cid)
        assert o.omega_total == pytest.approx(case["psych"]["omega_total"], abs=2e-7), cid
        assert list(o.loadings.index) == case["item_names"]
        assert o.n == case["n"] and not o.heywood
        assert "1'R1" in o.formula and "psych::omega" in o.formula


def _bfi_frame(ref: dict[str, Any]) -> pd.DataFrame:
    case = next(c for c in ref["alpha"] if c["name"] == "bfi_A")
    df = _frame(case)
    df["education"] = [_num(v) for v in ref["education"]]
    return df


def test_alpha_by_matches_psych_per_group(load_reference: Any) -> None:
    ref = load_reference("reliability_reference.json")
    df = _bfi_frame(ref)
    items = ["A1", "A2", "A3", "A4", "A5"]
    for policy in ("listwise", "pairwise"):
        t = engage.cronbach_alpha_by(df, items=items, by="education", missing=policy, min_group_size=1)
        assert len(t) == len(ref["grouped"][policy])
        for g in ref["grouped"][policy]:
            edu = _num(g["education"])
            row = t[t["education"].isna()] if math.isnan(edu) else t[t["education"] == edu]
            assert len(row) == 1
            r = row.iloc[0]
            assert (r["n"], r["rows_dropped"]) == (g["n"], g["rows_dropped"])
            for ours, theirs in (
                ("alpha", "alpha"),
                ("standardized", "standardized"),
                ("average_r", "average_r"),
                ("standard_error", "standard_error"),
                ("low", "low"),
                ("high", "high"),
            ):
                _close(r[ours], g[theirs], f"{policy} education {edu} {ours}")
            assert r["suppression"] == "shown" and r["note"] == ""


def test_alpha_by_agrees_with_one_sample_and_suppresses() -> None:
    rng = np.random.default_rng(5)
    n = 600
    latent = rng.normal(size=n)
    items = np.clip(np.rint(3 + 0.8 * latent[:, None] + rng.normal(size=(n, 4))), 1, 5)
    items[rng.random(items.shape) < 0.05] = np.nan
    df = pd.DataFrame(items, columns=["q1", "q2", "q3", "q4"])
    df["dept"] = np.where(np.arange(n) < 300, "x", "y")
    df["team"] = rng.integers(0, 5, size=n)
    df.loc[:2, ["dept", "team"]] = ["x", 99]  # a team of 3: hidden, plus a complementary team in dept x
    t = engage.cronbach_alpha_by(df, items=["q1", "q2", "q3", "q4"], by=["dept", "team"])
    assert list(t.columns[:2]) == ["dept", "team"]
    tiny = t[t["team"] == 99].iloc[0]
    assert tiny["suppression"] == "below_minimum" and pd.isna(tiny["n"]) and math.isnan(tiny["alpha"])
    hidden_x = t[(t["dept"] == "x") & t["suppressed"]]
    assert set(hidden_x["suppression"]) == {"below_minimum", "complementary"}
    assert not t[t["dept"] == "y"]["suppressed"].any()
    for _, r in t[~t["suppressed"]].iterrows():
        sub = df[(df["dept"] == r["dept"]) & (df["team"] == r["team"])][["q1", "q2", "q3", "q4"]]
        a = engage.cronbach_alpha(sub, missing="listwise")
        assert r["alpha"] == pytest.approx(a.statistic, rel=1e-12)
        assert r["n"] == a.n and r["rows_dropped"] == a.rows_dropped
        assert (r["low"], r["high"]) == pytest.approx(tuple(a.confidence_interval()), rel=1e-12)
    shown_n = engage.cronbach_alpha_by(df, items=["q1", "q2", "q3", "q4"], by=["dept", "team"], show_suppressed_n=True)
    assert shown_n[shown_n["team"] == 99]["n"].iloc[0] == df.loc[:2, ["q1", "q2", "q3", "q4"]].notna().all(axis=1).sum()
    assert math.isnan(shown_n[shown_n["team"] == 99]["alpha"].iloc[0])


def test_alpha_by_notes_and_bad_input() -> None:
    df = pd.DataFrame(
        {
            "g": [0, 0, 0, 1, 1, 1, 2],
            "a": [1, 2, 3, 1, 2, 3, 1],
            "b": [2, 2, 2, 1, 3, 2, 2],
            "c": [3, 4, 5, 1, 2, 3, 5],
        }
    )
    t = engage.cronbach_alpha_by(df, items=["a", "b", "c"], by="g", min_group_size=1)
    assert t["note"].iloc[0].startswith("an item does not vary")
    assert not math.isnan(t["alpha"].iloc[0]) and math.isnan(t["standardized"].iloc[0])
    assert t["note"].iloc[1] == ""
    assert t["note"].iloc[2] == "fewer than 2 usable rows" and math.isnan(t["alpha"].iloc[2])
    with pytest.raises(TypeError):
        engage.cronbach_alpha_by(df.to_numpy(), items=["a", "b"], by="g")  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        engage.cronbach_alpha_by(df, items=["a", "zz"], by="g")
    with pytest.raises(KeyError):
        engage.cronbach_alpha_by(df, items=["a", "b"], by="nope")
    with pytest.raises(TypeError):
        engage.cronbach_alpha_by(df, items="a", by="g")
    with pytest.raises(engage.InvalidInputError, match="at least 2 items"):
        engage.cronbach_alpha_by(df, items=["a"], by="g")
    with pytest.raises(ValueError, match="min_group_size"):
        engage.cronbach_alpha_by(df, items=["a", "b"], by="g", min_group_size=0)
    with pytest.raises(ValueError, match="missing"):
        engage.cronbach_alpha_by(df, items=["a", "b"], by="g", missing="complete")  # type: ignore[arg-type]
    with pytest.raises(engage.InvalidInputError, match="confidence_level"):
        engage.cronbach_alpha_by(df, items=["a", "b"], by="g", confidence_level=95)
    nan = df.assign(a=np.nan, b=np.nan, c=np.nan)
    with pytest.raises(engage.InsufficientDataError):
        engage.cronbach_alpha_by(nan, items=["a", "b", "c"], by="g")
    bad = df.assign(c=df["c"].astype(float))
    bad.loc[4, "c"] = np.inf
    with pytest.raises(engage.InvalidInputError, match=r"items\[4, 2\] \(column 'c'\) = inf"):
        engage.cronbach_alpha_by(bad, items=["a", "b", "c"], by="g")
    text = df.assign(c=["x"] * 7)
    with pytest.raises(TypeError, match="'c'"):
        engage.cronbach_alpha_by(text, items=["a", "b", "c"], by="g")


def test_bootstrap_interval() -> None:
    rng = np.random.default_rng(1)
    latent = rng.normal(size=400)
    x = 3 + 0.9 * latent[:, None] + rng.normal(size=(400, 5))
    x[rng.random(x.shape) < 0.03] = np.nan
    a = engage.cronbach_alpha(x)
    ci = a.confidence_interval(method="bootstrap", n_resamples=300, seed=7)
    assert ci == a.confidence_interval(method="bootstrap", n_resamples=300, seed=7)
    assert ci != a.confidence_interval(method="bootstrap", n_resamples=300, seed=8)
    assert ci.low < a.statistic < ci.high
    feldt = a.confidence_interval()
    assert ci == pytest.approx(tuple(feldt), abs=0.03)
    lw = engage.cronbach_alpha(x, missing="listwise").confidence_interval(0.9, "bootstrap", n_resamples=200)
    assert lw.low < lw.high
    with pytest.raises(engage.InvalidInputError):
        a.confidence_interval(method="bootstrap", n_resamples=1)
    with pytest.raises(TypeError):
        a.confidence_interval(method="bootstrap", n_resamples=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="method"):
        a.confidence_interval(method="wald")  # type: ignore[arg-type]
    with pytest.raises(engage.InvalidInputError, match="confidence_level"):
        a.confidence_interval(1.5)


def test_result_objects() -> None:
    x = [[1, 2, 2], [2, 2, 3], [4, 5, 4], [5, 4, 5], [3, 3, 2]]
    a = engage.cronbach_alpha(x)
    assert repr(a).startswith("CronbachAlphaResult(statistic=0.921569")
    assert "<table>" in a._repr_html_()
    frame = a.to_frame()
    assert frame.shape[0] == 1 and "statistic" in frame.columns and "item_stats" not in frame.columns
    assert list(a.item_stats.index) == [0, 1, 2]
    assert a.covariance.shape == (3, 3) and a.correlation.to_numpy().diagonal().tolist() == [1.0, 1.0, 1.0]
    with pytest.raises(AttributeError):
        a.statistic = 0.5  # type: ignore[misc]
    assert (frame.loc[0, "low"], frame.loc[0, "high"]) == tuple(a.confidence_interval())
    page = a._repr_html_()
    assert "item_stats" in page and "alpha_if_dropped" in page and page.count("<table") == 2
    o = engage.omega(pd.DataFrame(x + [[2, 1, 2]], columns=["p", "q", "r"]))
    assert list(o.loadings.index) == ["p", "q", "r"] and "formula" not in repr(o)
    assert o.to_frame().loc[0, "omega_total"] == o.omega_total and "loadings" not in o.to_frame().columns
    assert list(o.loadings_frame().columns) == ["loading", "uniqueness"]
    page = o._repr_html_()
    assert "loading" in page and "1&#x27;R1" in page and page.count("<table") == 2
    assert o.omega_total_model == pytest.approx(o.omega_total, abs=0.05)


def test_bad_input() -> None:
    good = np.array([[1, 2, 3], [2, 3, 4], [4, 4, 5], [3, 1, 2]], dtype=float)
    with pytest.raises(ValueError, match="two-dimensional"):
        engage.cronbach_alpha([1, 2, 3])
    with pytest.raises(ValueError, match="two-dimensional"):
        engage.cronbach_alpha(pd.Series([1, 2, 3]))
    with pytest.raises(engage.InvalidInputError, match="at least 2 items"):
        engage.cronbach_alpha(good[:, :1])
    with pytest.raises(engage.InsufficientDataError, match="no rows"):
        engage.cronbach_alpha(np.empty((0, 3)))
    with pytest.raises(engage.InsufficientDataError, match="missing"):
        engage.cronbach_alpha(np.full((4, 3), np.nan))
    with pytest.raises(engage.InsufficientDataError, match="need at least 2"):
        engage.cronbach_alpha(good[:1])
    with pytest.raises(TypeError):
        engage.cronbach_alpha([["a", "b"], ["c", "d"]])
    with pytest.raises(TypeError, match="column 'b'"):
        engage.cronbach_alpha(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}))
    with pytest.raises(ValueError, match="missing"):
        engage.cronbach_alpha(good, missing="complete")  # type: ignore[arg-type]
    constant = pd.DataFrame(good, columns=["a", "b", "c"]).assign(b=2.0)
    with pytest.raises(engage.InsufficientDataError, match=r"items\[:, 1\] \(column 'b'\) has zero variance"):
        engage.cronbach_alpha(constant)
    with pytest.raises(engage.InsufficientDataError, match=r"items\[:, 1\] has zero variance"):
        engage.cronbach_alpha(constant.to_numpy())
    gaps = good.copy()
    gaps[[0, 1], 0] = np.nan
    gaps[[2, 3], 1] = np.nan
    with pytest.raises(engage.InsufficientDataError, match="answered together"):
        engage.cronbach_alpha(gaps)
    with pytest.raises(engage.InsufficientDataError, match="complete row"):
        engage.cronbach_alpha(gaps, missing="listwise")
    inf = good.copy()
    inf[2, 1] = -np.inf
    with pytest.raises(engage.InvalidInputError, match=r"items\[2, 1\] = -inf"):
        engage.cronbach_alpha(inf)
    with pytest.raises(engage.InvalidInputError, match="at least 3 items"):
        engage.omega(good[:, :2])
    with pytest.raises(ValueError, match="whole number"):
        feldt_interval(0.8, n=-3, n_items=5)
    with pytest.raises(engage.InsufficientDataError):
        feldt_interval(0.8, n=1, n_items=5)


def test_pandas_nullable_and_booleans() -> None:
    df = pd.DataFrame(
        {"a": pd.array([1, 2, None, 4, 5], dtype="Int64"), "b": [1.0, 2.5, 3.0, 3.5, 5.0], "c": [True, False, True, True, True]}
    )
    a = engage.cronbach_alpha(df)
    assert a.missing == 1 and a.item_stats.loc["a", "n"] == 4
    ref = engage.cronbach_alpha(df.astype(float))
    assert a.statistic == ref.statistic


def test_omega_warnings() -> None:
    rng = np.random.default_rng(3)
    latent = rng.normal(size=300)
    x = latent[:, None] * np.array([0.8, 0.7, 0.6, -0.7]) + rng.normal(size=(300, 4)) * 0.6
    with pytest.warns(engage.EngageWarning, match="reverse-key"):
        o = engage.omega(x)
    assert o.loadings.iloc[3] < 0
    x[:, 3] *= -1
    o = engage.omega(x)
    assert (o.loadings > 0).all()
    # Heywood: an item almost a copy of another with a third nearly unrelated forces lambda^2 > 1
    base = rng.normal(size=500)
    h = np.column_stack([base, base + 0.05 * rng.normal(size=500), 0.3 * base + rng.normal(size=500)])
    with pytest.warns(engage.EngageWarning, match="Heywood"):
        assert engage.omega(h).heywood


def test_threads_give_identical_results() -> None:
    rng = np.random.default_rng(11)
    x = 3 + rng.normal(size=(20000, 8)) + rng.normal(size=(20000, 1))
    x[rng.random(x.shape) < 0.02] = np.nan
    expected = engage.cronbach_alpha(x).statistic
    out: list[float] = []

    def run() -> None:
        out.append(engage.cronbach_alpha(x).statistic)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert out == [expected] * 4


def test_one_pass_scales() -> None:
    """10^6 x 12 is one pass over the rows (no per-row Python): a few hundred ms, not seconds per row group."""
    rng = np.random.default_rng(2)
    x = np.rint(np.clip(3 + rng.normal(size=(200_000, 12)) + rng.normal(size=(200_000, 1)), 1, 5))
    a = engage.cronbach_alpha(x)
    c = np.cov(x, rowvar=False)
    k = 12
    assert a.statistic == pytest.approx(k / (k - 1) * (1 - np.trace(c) / c.sum()), rel=1e-11)


def test_feldt_interval_refuses_alpha_above_one() -> None:
    # Issue 13: feldt_interval(1.5, 50, 4) returned low 1.77 > high 1.31.
    with pytest.raises(engage.EngageError, match="alpha = 1.5: Cronbach's alpha is at most 1"):
        engage.feldt_interval(1.5, 50, 4)
    ci = engage.feldt_interval(-0.4, 50, 4)  # negative alphas are alphas
    assert ci.low < -0.4 < ci.high

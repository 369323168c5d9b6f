"""Measure the data judgements: for each data check, the false-alarm rate on null data (nothing planted) and the
detection rate on planted data, over many seeds, printed as a table.

    python scripts/judgement_rates_data.py [--seeds 20]

Each row names the null case, the planted case, and the number the check reports next to the planted one. Checks run
on one thread, as in an assessment. Takes a few minutes on a quiet 2-core machine.
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mlready import Settings, build_context, threads  # noqa: E402
from mlready.checks import data_quality as dq  # noqa: E402
from mlready.checks import drift as dr  # noqa: E402
from mlready.checks import interpretability as ip  # noqa: E402
from mlready.findings import Severity  # noqa: E402
from mlready.loading import table_from_frame  # noqa: E402
from mlready.modeling import LoadedModel  # noqa: E402

FAST = Settings(explain_rows=60, explain_background_rows=20, latency_repeats=20, throughput_rows=500)


def context(frame, target, **options):
    return build_context(frame, target, settings=FAST, **options)


def loan_table(seed: int, n: int = 800) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"income": rng.normal(50, 12, n).round(1), "tenure": rng.integers(0, 30, n),
                          "region": rng.choice(["north", "south", "east", "west"], n), "score": rng.normal(0, 1, n)})
    logit = 0.08 * (frame["income"] - 50) + 0.6 * frame["score"] + (frame["region"] == "south") * 0.7
    frame["outcome"] = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "yes", "no")
    return frame


def noisy_copy(frame: pd.DataFrame, flip: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed + 1000)
    yes = (frame["outcome"] == "yes").to_numpy()
    return frame.assign(status_flag=np.where(rng.random(len(frame)) < flip, ~yes, yes).astype(int))


def closing_code(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed + 2000)
    yes = frame["outcome"] == "yes"
    return frame.assign(closing_code=np.where(yes, rng.choice([f"C{i:02d}" for i in range(20)], len(frame)),
                                              rng.choice([f"C{i:02d}" for i in range(20, 40)], len(frame))))


def postcode_table(seed: int, proxy: bool, n: int = 1500) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = np.array([f"P{i:02d}" for i in range(60)])
    home = rng.integers(0, 3, 60)
    postcode = rng.choice(codes, n)
    main = home[np.searchsorted(codes, postcode)]
    group = np.where(rng.random(n) < 0.95, main, rng.integers(0, 3, n)) if proxy else rng.integers(0, 3, n)
    return pd.DataFrame({"postcode": postcode, "ethnicity": np.array(["a", "b", "c"])[group],
                         "income": rng.normal(50, 10, n), "approved": rng.choice(["yes", "no"], n)})


def drift_table(rng, n: int) -> pd.DataFrame:
    return pd.DataFrame({"amount": rng.lognormal(3, 1, n).round(2), "centred": rng.normal(0, 1, n),
                         "visits": rng.poisson(1.2, n).astype(float),
                         "region": rng.choice(list("abcdefg"), n, p=[.3, .2, .15, .15, .1, .05, .05]),
                         "flag": np.where(rng.random(n) < 0.8, 1.0, np.nan), "y": rng.choice(["no", "yes"], n)})


def survey(seed: int, n: int = 3000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    levels = np.array(["agree", "neutral", "disagree"])
    frame = pd.DataFrame({f"q{i}": rng.choice(levels, n, p=[0.5, 0.3, 0.2]) for i in range(5)})
    agree = (frame == "agree").sum(axis=1).to_numpy()
    frame["buys"] = np.where(rng.random(n) < 1 / (1 + np.exp(-(agree - 2))), "yes", "no")
    return frame


def hours_table(seed: int, n: int = 2000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    hours = np.where(rng.random(n) < 0.45, 40, np.clip(rng.normal(40, 12, n).round(), 1, 99))
    hours[rng.random(n) < 0.05] = 20
    return pd.DataFrame({"hours_per_week": hours, "age": rng.integers(18, 90, n).astype(float),
                         "balance": rng.gamma(2, 500, n).round(2), "visits": rng.poisson(3, n).astype(float),
                         "y": rng.choice(["a", "b"], n)})


def at_least(findings, code: str, severity: Severity, column: str | None = None) -> bool:
    return any(f.code == code and f.severity.rank >= severity.rank and (column is None or column in f.columns)
               for f in findings)


# ----- one function per row: (null alarm, planted detected, reported number or None) ---------------------------
def leakage_noisy(seed: int, flip: float):
    null = dq.check_target_leakage(context(loan_table(seed), "outcome")).findings
    planted = dq.check_target_leakage(context(noisy_copy(loan_table(seed), flip, seed), "outcome"))
    return (bool(null), at_least(planted.findings, "data.target_leakage", Severity.WARNING, "status_flag"),
            planted.data["single_column_scores"]["status_flag"])


def leakage_code(seed: int):
    result = dq.check_target_leakage(context(closing_code(loan_table(seed), seed), "outcome"))
    return (None, at_least(result.findings, "data.target_leakage", Severity.CRITICAL, "closing_code"),
            result.data["single_column_scores"]["closing_code"])


def leakage_random_label(seed: int):
    frame = loan_table(seed)
    frame["agent"] = np.random.default_rng(seed + 3000).choice([f"A{i}" for i in range(300)], len(frame))
    result = dq.check_target_leakage(context(frame, "outcome"))
    return (bool(result.findings), None, result.data["single_column_scores"]["agent"])


def proxy(seed: int):
    scores = []
    for planted in (False, True):
        ctx = context(postcode_table(seed, planted), "approved", sensitive=["ethnicity"])
        scores.append(ip._proxy_score(ctx, "postcode", ip.group_labels(ctx.X_train["ethnicity"])))
    line = FAST.thresholds.proxy_score_warning
    return scores[0] >= line, scores[1] >= line, scores[1]


def drift_shift(seed: int):
    rng = np.random.default_rng(seed)
    train, small = drift_table(rng, 400), drift_table(rng, 40).drop(columns="y")
    null = dr.check_drift(context(train, "y", new_data=table_from_frame(small))).findings
    moved = drift_table(rng, 300).drop(columns="y")
    moved["centred"] += 0.5
    result = dr.check_drift(context(train, "y", new_data=table_from_frame(moved)))
    return bool(null), at_least(result.findings, "data.drift", Severity.INFO, "centred"), \
        result.data["mean_shift_in_spreads"].get("centred")


def drift_empty(seed: int):
    rng = np.random.default_rng(seed)
    train, new = drift_table(rng, 400), drift_table(rng, 200).drop(columns="y")
    partly = new.copy()
    partly.loc[partly.index[:80], "amount"] = np.nan
    found_partly = at_least(dr.check_drift(context(train, "y", new_data=table_from_frame(partly))).findings,
                            "data.drift", Severity.INFO, "amount")
    empty = dr.check_drift(context(train, "y", new_data=table_from_frame(new.assign(amount=np.nan)))).findings
    return None, found_partly and at_least(empty, "data.drift", Severity.CRITICAL, "amount"), None


def unseen(seed: int):
    rng = np.random.default_rng(seed)
    train, held_out = drift_table(rng, 600), drift_table(rng, 200)
    null = dr.check_unseen_categories(context(train, "y", test=table_from_frame(held_out))).findings
    held_out.loc[held_out.index[:30], "region"] = "z"
    found = dr.check_unseen_categories(context(train, "y", test=table_from_frame(held_out))).findings
    return bool(null), at_least(found, "data.unseen_categories", Severity.WARNING, "region"), \
        found[0].evidence.get("held-out_worst_share") if found else None


def duplicates(seed: int):
    null_survey = dq.check_duplicate_rows(context(survey(seed), "buys")).findings
    frame = loan_table(seed, 1000)
    null_plain = dq.check_duplicate_rows(context(frame, "outcome")).findings
    planted = pd.concat([frame, frame.sample(50, random_state=seed)], ignore_index=True)
    found = dq.check_duplicate_rows(context(planted, "outcome")).findings
    return bool(null_survey or null_plain), at_least(found, "data.duplicate_rows", Severity.INFO), \
        found[0].evidence["duplicate_rows"] if found else None


def overlap(seed: int):
    null = dq.check_train_test_overlap(context(survey(seed), "buys")).findings
    frame = loan_table(seed, 1200).drop(columns="region")
    train, test = frame.iloc[:900], frame.iloc[900:]
    from sklearn.ensemble import RandomForestClassifier

    forest = RandomForestClassifier(n_estimators=30, random_state=seed).fit(train.drop(columns="outcome"),
                                                                             train["outcome"])
    held_out = table_from_frame(pd.concat([test.iloc[:200], train.iloc[:100]]), "holdout.csv")
    found = dq.check_train_test_overlap(context(train, "outcome", test=held_out,
                                                model=LoadedModel(forest, "forest.skops", "0" * 64, 1))).findings
    return (any(f.severity.rank >= Severity.WARNING.rank for f in null),
            at_least(found, "data.train_test_overlap", Severity.CRITICAL),
            found[0].evidence.get("score_all_held_out", np.nan) - found[0].evidence.get("score_unseen_held_out", np.nan)
            if found else None)


def conflicts(seed: int):
    null = dq.check_conflicting_labels(context(survey(seed), "buys")).findings
    frame = loan_table(seed, 1000)
    twins = frame.sample(50, random_state=seed)
    twins = twins.assign(outcome=np.where(twins["outcome"] == "yes", "no", "yes"))
    found = dq.check_conflicting_labels(context(pd.concat([frame, twins]), "outcome")).findings
    return bool(null), at_least(found, "data.conflicting_labels", Severity.INFO), \
        found[0].evidence["conflicting_rows"] if found else None


def placeholders(seed: int):
    frame = hours_table(seed)
    null = [f for f in dq.check_outliers(context(frame, "y")).findings if f.severity is Severity.WARNING]
    rng = np.random.default_rng(seed)
    frame.loc[rng.choice(frame.index, 40, replace=False), "age"] = 999
    found = dq.check_outliers(context(frame, "y")).findings
    return bool(null), at_least(found, "data.outliers", Severity.WARNING, "age"), \
        next((f.evidence["placeholder_share"] for f in found if f.columns == ("age",)), None)


ROWS = (
    ("target leakage", "loan table, no leak", "0/1 copy, 5% flipped (AUC 0.95)", lambda s: leakage_noisy(s, 0.05)),
    ("target leakage", "loan table, no leak", "0/1 copy, 10% flipped (AUC 0.90)", lambda s: leakage_noisy(s, 0.10)),
    ("target leakage", "loan table, no leak", "0/1 copy, 20% flipped (AUC 0.80)", lambda s: leakage_noisy(s, 0.20)),
    ("target leakage", "-", "40 closing codes, one outcome each: critical", leakage_code),
    ("target leakage", "300 random labels (memorisable)", "-", leakage_random_label),
    ("proxy (score >= 0.5)", "postcode unrelated to group", "postcode 95% one group each", proxy),
    ("drift", "40 new rows, same distribution", "centred column +0.5 spread, 300 rows", drift_shift),
    ("drift (empty)", "-", "40% empty found and 100% empty critical", drift_empty),
    ("unseen labels", "held-out from same labels", "15% held-out rows with a new label", unseen),
    ("repeated rows", "survey (243 patterns); loan table", "50 copied rows (4.8%)", duplicates),
    ("overlap", "survey, random split", "100 copies in held-out, memorising model: critical", overlap),
    ("contradictions", "survey", "50 copies with the outcome flipped", conflicts),
    ("placeholders", "hours with spikes at 20/40, ages, gamma", "999 in 2% of ages", placeholders),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--only", default="", help="run only rows whose check contains this text")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    seeds = range(args.seeds)
    print(f"{'check':22s} | {'null case':40s} | {'false alarms':>12s} | {'planted case':52s} | "
          f"{'detected':>8s} | reported (median over seeds)")
    print("-" * 175)
    for check, null_case, planted_case, run in ROWS:
        if args.only and args.only not in check:
            continue
        started = time.process_time()
        with threads.limited("small"):
            results = [run(seed) for seed in seeds]
        alarms = [r[0] for r in results if r[0] is not None]
        found = [r[1] for r in results if r[1] is not None]
        numbers = [r[2] for r in results if r[2] is not None and r[2] == r[2]]
        alarm_text = f"{sum(alarms)}/{len(alarms)}" if alarms else "-"
        found_text = f"{sum(found)}/{len(found)}" if found else "-"
        number_text = f"{np.median(numbers):.3g} [{min(numbers):.3g}-{max(numbers):.3g}]" if numbers else "-"
        print(f"{check:22s} | {null_case:40s} | {alarm_text:>12s} | {planted_case:52s} | {found_text:>8s} | "
              f"{number_text}  ({time.process_time() - started:.0f} cpu-s)", flush=True)


if __name__ == "__main__":
    main()

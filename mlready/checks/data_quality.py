"""Data-quality checks on the training data: gaps, repeats, useless or odd columns, rare outcomes."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency, mannwhitneyu

from .. import narrative, stats
from ..column_types import MISSING_TOKENS, number_share, parse_numbers
from ..findings import Finding, Severity
from ..profiling import ALERT_CODES
from . import CheckResult, input_checks
from .drift import check_drift, check_held_out_empty_columns, check_unseen_categories
from .leakage import check_target_leakage, check_train_test_overlap

PILLAR = "data_quality"


def _finding(code: str, severity: Severity, columns=(), evidence=None, variant=None, **facts) -> Finding:
    return narrative.finding(code, PILLAR, severity, columns, evidence, variant=variant, **facts)


def _missingness_effect(ctx, column: str, tested: int) -> dict | None:
    """How the outcome differs when `column` is missing; None when it does not clearly differ."""
    frame = ctx.train_frame
    missing = frame[column].isna().to_numpy()
    if missing.sum() < 10 or (~missing).sum() < 10:
        return None
    y = frame[ctx.target]
    t = ctx.settings.thresholds
    if ctx.positive_class is not None:
        hit = (y == ctx.positive_class).to_numpy()
        rate_missing, rate_present = hit[missing].mean(), hit[~missing].mean()
        table = np.array([[hit[missing].sum(), (~hit[missing]).sum()], [hit[~missing].sum(), (~hit[~missing]).sum()]])
        if min(rate_missing, rate_present) <= 0 or (table.sum(axis=0) == 0).any():
            return None
        ratio = rate_missing / rate_present
        p_value = min(1.0, float(chi2_contingency(table)[1]) * tested)
        if max(ratio, 1 / ratio) < t.missingness_ratio or p_value >= t.missingness_p_value:
            return None
        effect = narrative.missing_changes_rate(column, ctx.positive_class, ratio)
        return {"effect": effect, "evidence": {"outcome_rate_when_missing": rate_missing,
                                               "outcome_rate_when_present": rate_present, "p_value": p_value}}
    if ctx.task == "regression":
        values = y.astype(float).to_numpy()
        mean_missing, mean_present = values[missing].mean(), values[~missing].mean()
        spread = values.std() or 1.0
        p_value = min(1.0, float(mannwhitneyu(values[missing], values[~missing]).pvalue) * tested)
        if abs(mean_missing - mean_present) / spread < 0.3 or p_value >= t.missingness_p_value:
            return None
        effect = narrative.missing_changes_mean(column, ctx.target, mean_missing, mean_present)
        return {"effect": effect, "evidence": {"mean_when_missing": mean_missing, "mean_when_present": mean_present,
                                               "p_value": p_value}}
    return None


def check_missing_values(ctx) -> CheckResult:
    """Columns with many empty cells, whether being empty predicts the outcome, and rows with no outcome."""
    t = ctx.settings.thresholds
    frame = ctx.frame
    # cells emptied because they held impossible values (inf, '#DIV/0!') are reported by the impossible-values check
    impossible = pd.Series({c: v["positive_infinite"] + v["negative_infinite"] + v["errors"]
                            for c, v in ctx.data.reading.get("impossible", {}).items()}, dtype=float)
    emptied = impossible.reindex(frame.columns, fill_value=0.0) / max(len(ctx.data.frame), 1)
    shares = (frame.isna().mean() - emptied).clip(lower=0.0).drop(index=[ctx.target])
    findings = []
    target_share = ctx.rows_without_target / len(frame)
    if target_share > 0:
        severity = Severity.CRITICAL if target_share >= t.target_missing_critical else Severity.WARNING
        findings.append(_finding("data.missing_values", severity, [ctx.target],
                                 {"missing_share": target_share, "rows_missing": ctx.rows_without_target},
                                 variant="target", share=narrative.pct(target_share), target=ctx.target,
                                 count=ctx.rows_without_target))
    noticed = shares[shares >= t.missing_info].sort_values(ascending=False)
    informative = {}
    for column in noticed.index:
        effect = _missingness_effect(ctx, column, len(noticed))
        if effect is not None:
            informative[column] = effect
            findings.append(_finding("data.missing_values", Severity.WARNING, [column],
                                     {"missing_share": float(noticed[column]), **effect["evidence"]},
                                     variant="informative", share=narrative.pct(noticed[column]),
                                     effect=effect["effect"]))
    rest = noticed.drop(index=list(informative))
    for severity, low, high in ((Severity.WARNING, t.missing_warning, 1.01), (Severity.INFO, t.missing_info, t.missing_warning)):
        hit = rest[(rest >= low) & (rest < high)]
        if len(hit):
            evidence = {"columns_affected": len(hit), "worst_missing_share": float(hit.iloc[0])}
            findings.append(_finding("data.missing_values", severity, hit.index, evidence,
                                     worst=narrative.pct(hit.iloc[0], 1 if hit.iloc[0] < 0.1 else 0)))
    return CheckResult(tuple(findings), metrics={"missing_cell_share": float(frame.isna().mean().mean())},
                       data={"missing_share": {str(k): float(v) for k, v in frame.isna().mean().items()}})


def repeats_beyond_chance(frame: pd.DataFrame, seed: int, p_value: float, inputs: list[str] | None = None) -> dict:
    """Rows of `frame` that repeat an earlier row, against what chance gives (`stats.chance_repeat_share`): the
    observed and chance shares, the one-sided binomial p-value of the excess, and whether the repeats are copies
    (beyond chance at `p_value`, and by at least half a percent of rows). With `inputs`, chance is estimated on
    those columns alone: an upper bound for whole rows, which keeps an outcome that depends on the inputs from
    looking like a source of copies."""
    keys = stats.row_keys(frame)
    repeated = int(pd.Series(keys).duplicated().sum())
    share = repeated / max(len(frame), 1)
    if not repeated:
        return {"repeated": 0, "share": 0.0, "chance": 0.0, "p_value": 1.0, "copies": False}
    chance = stats.chance_repeat_share(frame if inputs is None else frame[inputs], seed=seed)
    p = stats.binomial_excess_p(repeated, len(frame), chance)
    return {"repeated": repeated, "share": share, "chance": chance, "p_value": p,
            "copies": p < p_value and share - chance >= 0.005}


def check_duplicate_rows(ctx) -> CheckResult:
    """Rows that appear more than once, beyond what chance gives for rows that can take few different values (a
    survey of multiple-choice answers repeats itself naturally; a table with a measured amount does not)."""
    t = ctx.settings.thresholds
    inputs = ctx.compared_features  # apart from identifiers (a new user's 'rownames' hid 27 repeated rows)
    ids = [c for c in ctx.features if c not in inputs]
    frame = ctx.sample_rows(ctx.frame[[*inputs, ctx.target]], ctx.settings.max_rows_checks)
    try:
        found = repeats_beyond_chance(frame, ctx.settings.seed, t.repeats_p_value, inputs)
    except TypeError:  # unhashable cells (lists from JSON)
        found = repeats_beyond_chance(frame.astype(str), ctx.settings.seed, t.repeats_p_value, inputs)
    metrics = {"duplicate_share": found["share"], "duplicate_chance_share": found["chance"]}
    if not found["repeated"]:
        return CheckResult(metrics=metrics)
    if not found["copies"]:
        return CheckResult(metrics=metrics, notes=(narrative.note("repeats_natural", share=narrative.pct(found["share"], 1),
                                                                  chance=narrative.pct(found["chance"], 1)),))
    excess = found["share"] - found["chance"]
    severity = Severity.WARNING if excess >= t.duplicate_warning else Severity.INFO
    count = found["repeated"] if len(frame) == len(ctx.frame) else round(found["share"] * len(ctx.frame))
    finding = _finding("data.duplicate_rows", severity, (),
                       {"duplicate_rows": count, "duplicate_share": found["share"], "chance_share": found["chance"],
                        "p_value": found["p_value"]},
                       count=f"{count:,}", share=narrative.pct(found["share"], 1), chance=narrative.pct(found["chance"], 1),
                       apart=f" (compared without {narrative.name_list(ids)}, which only numbers them)" if ids else "")
    return CheckResult((finding,), metrics=metrics)


def _value_words(value) -> str:
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        return narrative.num(float(value))
    return str(value)


def check_constant_columns(ctx) -> CheckResult:
    """Columns with a single value in every row. A single value plus empty cells is not constant: it works as a
    yes/blank flag (often the strongest signal there is), and is mentioned as such, never as one to drop."""
    t = ctx.settings.thresholds
    frame = ctx.frame.drop(columns=[ctx.target])
    single = [c for c in frame.columns if frame[c].nunique(dropna=True) == 1]  # all-empty ones are "missing"
    empty_share = {c: float(frame[c].isna().mean()) for c in single}
    constant = [c for c in single if empty_share[c] < t.missing_info]
    flags = [c for c in single if empty_share[c] >= t.missing_info]
    findings = []
    if constant:
        findings.append(_finding("data.constant_column", Severity.WARNING, constant, {"constant_columns": len(constant)}))
    for column in flags:
        value = frame[column].dropna().iloc[0]
        findings.append(_finding("data.constant_column", Severity.INFO, [column],
                                 {"constant_columns": 0, "empty_share": empty_share[column]}, variant="flag",
                                 value=f"'{_value_words(value)}'",
                                 share=narrative.pct(empty_share[column]), works_work="works"))
    return CheckResult(tuple(findings))


def check_identifiers(ctx) -> CheckResult:
    """Identifier columns (unique per row, like a customer number or a saved row index), and whether the assessed
    model reads them: a warning when the uploaded model does; information when the reference model left them out
    (it never reads identifiers) or the uploaded model does not read them."""
    columns = [c for c in ctx.features if ctx.column_types.get(c) == "identifier"]
    if not columns:
        return CheckResult()
    from ..column_types import identifier_kind, saved_index_column
    from ..narrative import inputs as words

    display = ctx.data.display_names
    index = saved_index_column(ctx.data.frame, display)
    described, unique, row_numbers = {}, {}, set()
    for column in columns:
        series = ctx.data.frame[column] if column in ctx.data.frame.columns else ctx.frame[column]
        reason = identifier_kind(series, unnamed=column == index) or "user"
        filled = series.dropna()
        facts = {}
        if reason == "row_number":
            row_numbers.add(column)
            facts = {"low": float(filled.min()), "high": float(filled.max()),
                     "ordered": bool(filled.is_monotonic_increasing or filled.is_monotonic_decreasing)}
        described[column] = words.identifier_reason(column, reason, facts, display)
        unique[column] = filled.nunique() / max(len(filled), 1)
    read = set(ctx.model_features) if ctx.uploaded_model is not None else set()
    uploaded = ctx.uploaded_model is not None and ctx.model_source == "uploaded"
    groups = {"used": [], "left_out": [], "not_read": []}
    for column in columns:
        groups["left_out" if not uploaded else "used" if column in read else "not_read"].append(column)
    findings = []
    for variant, hit in groups.items():
        if not hit:
            continue
        text = "; ".join(described[c] for c in hit)
        evidence = {"lowest_unique_share": min(unique[c] for c in hit), "identifier_columns": len(hit),
                    "row_number_columns": len(row_numbers & set(hit))}
        short = [display.get(c, f"'{c}'") for c in hit]
        findings.append(_finding("data.id_like_column", Severity.WARNING if variant == "used" else Severity.INFO,
                                 hit, evidence, variant=variant, described=text[0].upper() + text[1:],
                                 columns_short=short[0] if len(short) == 1 else ", ".join(short[:-1]) + " and " + short[-1]))
    return CheckResult(tuple(findings))


def check_high_cardinality(ctx) -> CheckResult:
    """Category columns with very many distinct values."""
    t = ctx.settings.thresholds
    hits = {}
    for column in ctx.features:
        if ctx.column_types.get(column) in ("category", "text"):
            distinct = int(ctx.frame[column].nunique())
            if distinct > t.high_cardinality_levels:
                hits[column] = distinct
    if not hits:
        return CheckResult()
    worst = max(hits, key=hits.get)
    return CheckResult((_finding("data.high_cardinality", Severity.INFO, sorted(hits, key=hits.get, reverse=True),
                                 {"most_distinct_values": hits[worst]}, most=f"{hits[worst]:,}", worst_column=worst),))


def check_mixed_types(ctx) -> CheckResult:
    """Numbers and text mixed in one column (read from the file as it was given)."""
    t = ctx.settings.thresholds
    findings = []
    raw = ctx.sample_rows(ctx.data.frame, ctx.settings.max_rows_checks)
    for column in ctx.features:
        if column not in raw.columns or pd.api.types.is_numeric_dtype(raw[column]):
            continue
        share = number_share(raw[column])
        minority = min(share, 1 - share)
        treated_as_number = ctx.column_types.get(column) == "number"
        if share == 0 or (minority < t.mixed_types_share and not (treated_as_number and share < 1)):
            continue
        filled = raw[column].dropna().astype(str).str.strip()
        filled = filled[~filled.str.lower().isin(MISSING_TOKENS)]
        is_number = parse_numbers(filled).notna()  # the column's own reading, as `number_share` counts
        examples = filled[~is_number] if share >= 0.5 else filled[is_number]
        if examples.empty:
            continue
        severity = Severity.WARNING if minority >= t.mixed_types_share else Severity.INFO
        findings.append(_finding(
            "data.mixed_types", severity, [column], {"number_share": share},
            examples=narrative.name_list(examples.drop_duplicates().head(3)),
            kind="text" if share >= 0.5 else "numbers", share=narrative.pct(minority, 1),
            treatment="they are treated as missing" if treated_as_number else "the column is treated as text"))
    return CheckResult(tuple(findings))


ORDINARY_MIN_DISTINCT = 20


def _spread(values: np.ndarray) -> float:
    """A robust spread that does not collapse when one popular value fills the middle of a column: the larger of
    the interquartile range and the 10-90% range scaled to it (divided by 1.9, their ratio for a normal curve)."""
    q10, q25, q75, q90 = np.percentile(values, [10, 25, 75, 90])
    return max(q75 - q25, (q90 - q10) / 1.9)


def placeholder_value(values: pd.Series, min_share: float, gap: float) -> tuple[float, float, str] | None:
    """A value used like a code for 'unknown' (999 in ages, -1 in a positive column, 9999), or None.

    A candidate is repeated in at least `min_share` of the filled cells and sits apart from the column's other
    values: beyond all of them by at least `gap` of their interquartile range (or 1 when that is 0) and by more than
    any two neighbouring other values are apart, or negative where every other value is zero or more. A popular round value inside the range (40 hours a week) is not one.
    Returns (value, share of filled cells, how it sits apart in words).
    """
    filled = values.dropna().astype(float)
    if len(filled) < 20:
        return None
    counts = filled.value_counts()
    negatives = counts[counts.index < 0]
    candidates = dict.fromkeys([filled.max(), filled.min(), *negatives.index[:1]])   # a code sits at an edge
    for value in candidates:
        count = int(counts[value])
        share = count / len(filled)
        if share < min_share or count < 3:
            continue
        rest = filled[filled != value].to_numpy()
        if len(rest) < 10 or len(np.unique(rest)) < 5:
            continue
        q25, q75 = np.percentile(rest, [25, 75])
        scale = (q75 - q25) or 1.0
        low, high = rest.min(), rest.max()
        widest = float(np.diff(np.unique(rest)).max())   # no natural value is further from its neighbour
        if value > high and value - high >= max(gap * scale, widest):
            return float(value), float(share), f"the largest other value is {narrative.num(float(high))}"
        if value < low and low - value >= max(gap * scale, widest):
            return float(value), float(share), f"the smallest other value is {narrative.num(float(low))}"
        if value < 0 <= low:
            return float(value), float(share), "every other value is zero or more"
    return None


def _outlier_screen(numbers: pd.DataFrame, t) -> tuple[np.ndarray, np.ndarray]:
    """For every number column at once: (may hold a placeholder, may have a tail of extreme values). Cheap,
    vectorised over columns, so only the columns that pass are examined one by one."""
    x = numbers.to_numpy(float)
    filled = (~np.isnan(x)).sum(axis=0)
    with np.errstate(invalid="ignore"):
        top, bottom = np.nanmax(x, axis=0), np.nanmin(x, axis=0)
        at_edge = np.maximum((x == top).sum(axis=0), (x == bottom).sum(axis=0))
        negative = (x < 0).sum(axis=0)
        need = np.maximum(3, t.placeholder_share * filled)
        placeholder = (at_edge >= need) | ((negative >= need) & (negative < filled))
        q10, q25, q75, q90 = np.nanpercentile(x, [10, 25, 75, 90], axis=0)
        spread = np.maximum(q75 - q25, (q90 - q10) / 1.9)
        extreme = ((x < (q25 - t.outlier_iqr_factor * spread)) | (x > (q75 + t.outlier_iqr_factor * spread))).sum(axis=0)
    tail = (spread > 0) & (extreme >= t.outlier_share_info * filled) & (extreme > 0)
    return placeholder, tail


def check_outliers(ctx) -> CheckResult:
    """Extreme values, and one value repeated like a code for 'unknown' (999, -1) apart from all the others."""
    t = ctx.settings.thresholds
    frame = ctx.sample_rows(ctx.frame, ctx.settings.max_rows_checks)
    columns = [c for c in ctx.features if ctx.column_types.get(c) == "number"
               and pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])]
    distinct = frame[columns].nunique()
    columns = [c for c in columns if distinct[c] >= 10]
    ordinary, findings = {}, []
    if not columns:
        return CheckResult()
    maybe_placeholder, maybe_tail = _outlier_screen(frame[columns], t)
    for column, check_code, check_tail in zip(columns, maybe_placeholder, maybe_tail):
        if not (check_code or check_tail):
            continue
        values = frame[column].dropna().astype(float)
        code = placeholder_value(values, t.placeholder_share, t.placeholder_gap) if check_code else None
        if code is not None:
            value, share, apart = code
            findings.append(_finding("data.outliers", Severity.WARNING, [column],
                                     {"placeholder_value": value, "placeholder_share": share},
                                     variant="placeholder", value=narrative.num(value), share=narrative.pct(share, 1),
                                     apart=apart))
            continue
        array = values.to_numpy()
        if not check_tail or len(np.unique(array)) < ORDINARY_MIN_DISTINCT:   # a few levels: no tail to judge
            continue
        q1, q3 = np.percentile(array, [25, 75])
        spread = _spread(array)
        low, high = q1 - t.outlier_iqr_factor * spread, q3 + t.outlier_iqr_factor * spread
        extreme = array[(array < low) | (array > high)]
        share = len(extreme) / len(array)
        if share >= t.outlier_share_info:
            ordinary[column] = (share, float(extreme.min()), float(extreme.max()), float(np.median(array)))
    if ordinary:
        worst = max(ordinary, key=lambda c: ordinary[c][0])
        share, low_value, high_value, median = ordinary[worst]
        findings.append(_finding("data.outliers", Severity.INFO, sorted(ordinary, key=lambda c: -ordinary[c][0]),
                                 {"worst_extreme_share": share, "columns_affected": len(ordinary)},
                                 worst=worst, share=narrative.pct(share, 1), median=narrative.num(median),
                                 high=narrative.num(high_value if abs(high_value - median) >= abs(low_value - median) else low_value)))
    notes = (narrative.note("outliers", factor=narrative.num(t.outlier_iqr_factor)),)
    return CheckResult(tuple(findings), notes=notes)


def check_class_imbalance(ctx) -> CheckResult:
    """A rare outcome class."""
    if ctx.task != "classification":
        return CheckResult()
    t = ctx.settings.thresholds
    counts = ctx.train_frame[ctx.target].value_counts()
    shares = counts / counts.sum()
    label, share = shares.index[-1], float(shares.iloc[-1])
    data = {"class_counts": {str(k): int(v) for k, v in counts.items()}}
    if share >= t.minority_info:
        return CheckResult(metrics={"minority_class_share": share}, data=data)
    severity = Severity.WARNING if share < t.minority_warning else Severity.INFO
    finding = _finding("data.class_imbalance", severity, [ctx.target],
                       {"minority_share": share, "minority_rows": int(counts.iloc[-1]), "classes": len(counts)},
                       label=label, share=narrative.pct(share, 1), count=int(counts.iloc[-1]))
    return CheckResult((finding,), metrics={"minority_class_share": share}, data=data)


def check_small_sample(ctx) -> CheckResult:
    """Too few rows for the number of columns or classes."""
    t = ctx.settings.thresholds
    rows, features = len(ctx.X_train), len(ctx.features)
    smallest_class = int(ctx.y_train.value_counts().min()) if ctx.task == "classification" else None
    too_few_rows = rows < t.rows_per_feature * features
    too_few_class = smallest_class is not None and smallest_class < t.min_rows_per_class
    if not (too_few_rows or too_few_class):
        return CheckResult()
    class_part = f", and the rarest outcome has only {smallest_class} rows" if too_few_class else ""
    evidence = {"training_rows": rows, "features": features}
    if smallest_class is not None:
        evidence["smallest_class_rows"] = smallest_class
    if too_few_class and not too_few_rows:  # rows enough in all: one outcome is what the model has seen too little of
        rarest = str(ctx.y_train.value_counts().idxmin())
        return CheckResult((_finding("data.small_sample", Severity.WARNING, (), evidence, variant="rare_outcome",
                                     rows=f"{rows:,}", count=f"{smallest_class:,}",
                                     label=rarest),))
    return CheckResult((_finding("data.small_sample", Severity.WARNING, (), evidence, rows=f"{rows:,}",
                                 features=features, class_part=class_part),))


def check_conflicting_labels(ctx) -> CheckResult:
    """Rows with identical inputs but different outcomes (classification only), a problem only when identical
    inputs are more common than chance gives (copied rows with edited outcomes); where inputs can take few
    different values, rows with the same inputs and different outcomes are the outcome's own noise."""
    if ctx.task != "classification":
        return CheckResult()
    t = ctx.settings.thresholds
    inputs = [c for c in ctx.features if ctx.column_types.get(c) != "identifier"]
    if not inputs:
        return CheckResult()
    frame = ctx.sample_rows(ctx.train_frame, ctx.settings.max_rows_checks)
    keys = stats.row_keys(frame[inputs])
    outcomes = frame[ctx.target].astype(str).to_numpy()
    outcomes_per_input = pd.Series(outcomes).groupby(keys).transform("nunique").to_numpy()
    conflicting = int((outcomes_per_input > 1).sum())
    share = conflicting / len(frame)
    metrics = {"conflicting_share": share}
    if not conflicting:
        return CheckResult(metrics=metrics)
    repeats = repeats_beyond_chance(frame[inputs], ctx.settings.seed, t.repeats_p_value)
    metrics["identical_inputs_chance_share"] = repeats["chance"]
    if not repeats["copies"]:
        return CheckResult(metrics=metrics, notes=(narrative.note("conflicts_natural", share=narrative.pct(share, 1)),))
    count = conflicting if len(frame) == len(ctx.train_frame) else round(share * len(ctx.train_frame))
    severity = Severity.WARNING if share >= t.conflict_warning else Severity.INFO
    finding = _finding("data.conflicting_labels", severity, (),
                       {"conflicting_rows": count, "conflicting_share": share,
                        "identical_inputs_share": repeats["share"], "identical_inputs_chance_share": repeats["chance"]},
                       count=f"{count:,}", share=narrative.pct(share, 1))
    return CheckResult((finding,), metrics=metrics)


def check_profile(ctx) -> CheckResult:
    """The fg-data-profiling profile: per-column statistics, and its alerts matched to our findings.

    Each alert the profiler raises for a problem one of our checks measures (see `ALERT_CODES`) is reported
    once, by that check, with our thresholds; the others are listed in the notes."""
    profile = ctx.profile
    alerts = sorted({a for a, _ in profile.alerts})
    covered = [a for a in alerts if a in ALERT_CODES]
    notes = (narrative.note("profile", mode=profile.mode, rows=narrative.rows_used(profile.rows_profiled, len(ctx.frame)),
                            alerts=", ".join(alerts) or "none",
                            covered=f" ({', '.join(covered)} reported through our own checks)" if covered else ""),)
    return CheckResult((), metrics={"profile_alerts": len(profile.alerts)},
                       data={"profile_columns": list(profile.columns), "profile_rows": profile.rows_profiled,
                             "column_types": dict(ctx.column_types)}, notes=notes)


CHECKS = (
    ("missing values", check_missing_values),
    *input_checks.CHECKS,  # how the files were read; impossible values before the extreme values, as data.outliers
    ("repeated rows", check_duplicate_rows),
    ("constant columns", check_constant_columns),
    ("identifiers", check_identifiers),
    ("many distinct values", check_high_cardinality),
    ("numbers mixed with text", check_mixed_types),
    ("extreme values", check_outliers),
    ("class balance", check_class_imbalance),
    ("sample size", check_small_sample),
    ("conflicting outcomes", check_conflicting_labels),
    ("target leakage", check_target_leakage),
    ("held-out rows seen in training", check_train_test_overlap),
    ("drift in new data", check_drift),
    ("labels never seen in training", check_unseen_categories),
    ("columns empty in the held-out file", check_held_out_empty_columns),
    ("data profile", check_profile),
)

"""SHAP explanations per input column: which columns drive the model, and in which direction."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

TREE_MODELS = ("HistGradientBoosting", "GradientBoosting", "RandomForest", "ExtraTrees", "DecisionTree")
MAX_PERMUTATION_ROWS = 60


@dataclass(frozen=True)
class Explanation:
    """SHAP values mapped back to input columns, for a sample of held-out rows.

    `values[i, j]` is how much column j moved row i's prediction (for a two-class target, towards the
    positive class; for regression, up). For more than two classes `signed` is False: values are sizes only.
    """

    method: str
    rows: pd.DataFrame
    values: np.ndarray
    signed: bool

    @property
    def columns(self) -> list[str]:
        return list(self.rows.columns)

    def importance(self) -> pd.Series:
        """Mean absolute SHAP value per input column, largest first."""
        return pd.Series(np.abs(self.values).mean(axis=0), index=self.columns).sort_values(ascending=False)


def explain_model(ctx, model=None) -> Explanation:
    """Explain the assessed model (or another model trained on the same columns) on a sample of held-out
    rows, with exact tree SHAP where possible."""
    model = ctx.model if model is None else model
    rows = ctx.sample_rows(ctx.X_test, ctx.settings.explain_rows).reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from .model_files import tree_explanation  # XGBoost and LightGBM model files: exact tree SHAP

        tree = tree_explanation(ctx, model, rows) or _tree_explanation(ctx, model, rows)
        if tree is not None:
            return tree
        rows = rows.head(MAX_PERMUTATION_ROWS)
        return _permutation_explanation(ctx, model, rows)


def _column_of(output_name: str, columns: list[str]) -> str | None:
    name = output_name.split("__", 1)[1] if "__" in output_name else output_name
    if name in columns:
        return name
    matches = [c for c in columns if name.startswith(f"{c}_")]
    return max(matches, key=len) if matches else None


def _tree_explanation(ctx, model, rows: pd.DataFrame) -> Explanation | None:
    if not isinstance(model, Pipeline) or not type(model[-1]).__name__.startswith(TREE_MODELS):
        return None
    import shap

    try:
        prepare, estimator = model[:-1], model[-1]
        names = list(prepare.get_feature_names_out())
        owners = [_column_of(n, ctx.features) for n in names]
        if None in owners:
            return None
        transformed = prepare.transform(rows)
        transformed = transformed.toarray() if hasattr(transformed, "toarray") else np.asarray(transformed, float)
        explainer = shap.TreeExplainer(estimator)
        raw = explainer.shap_values(transformed)
    except Exception:  # noqa: BLE001 - any SHAP limitation falls back to the model-agnostic method
        return None
    if not _adds_up(estimator, explainer, np.asarray(raw), transformed):
        return None
    values, signed = _positive_class_values(ctx, estimator, np.asarray(raw))
    per_column = np.zeros((len(rows), len(ctx.features)))
    for j, owner in enumerate(owners):
        per_column[:, ctx.features.index(owner)] += values[:, j]
    kind = "log-odds" if "HistGradientBoosting" in type(estimator).__name__ and ctx.task == "classification" else "model output"
    return Explanation(method=f"SHAP TreeExplainer ({kind})", rows=rows, values=per_column, signed=signed)


def _adds_up(estimator, explainer, raw: np.ndarray, transformed: np.ndarray) -> bool:
    """SHAP values plus the base value must give the model's raw output (they do not for native categorical splits)."""
    output = estimator.decision_function(transformed) if hasattr(estimator, "decision_function") else None
    if output is None and not hasattr(estimator, "predict_proba"):
        output = estimator.predict(transformed)
    if output is None or raw.ndim != 2:
        return True  # shap checks additivity itself for probability outputs
    total = raw.sum(axis=1) + np.ravel(explainer.expected_value)[0]
    scale = max(float(np.std(output)), 1e-6)
    return bool(np.max(np.abs(total - np.ravel(output))) <= 1e-3 * max(scale, 1.0))


def _positive_class_values(ctx, estimator, raw: np.ndarray) -> tuple[np.ndarray, bool]:
    if ctx.task == "regression":
        return raw, True
    classes = [str(c) for c in estimator.classes_]
    if raw.ndim == 3:  # (rows, features, classes)
        if len(classes) == 2:
            return raw[:, :, classes.index(str(ctx.positive_class))], True
        return np.abs(raw).sum(axis=2), False
    if len(classes) == 2:  # one output: the second class
        return (raw if classes[1] == str(ctx.positive_class) else -raw), True
    return np.abs(raw), False


def _permutation_explanation(ctx, model, rows: pd.DataFrame) -> Explanation:
    import shap

    columns = ctx.features
    categories = {c: pd.Categorical(ctx.X_train[c].dropna().astype(str)).categories
                  for c in columns if not pd.api.types.is_numeric_dtype(ctx.X_train[c])}

    def encode(frame: pd.DataFrame) -> np.ndarray:
        out = frame.copy()
        for c, cats in categories.items():
            codes = pd.Categorical(out[c], categories=cats).codes.astype(float)
            out[c] = np.where(codes < 0, np.nan, codes)
        return out.to_numpy(dtype=float)

    def decode(matrix: np.ndarray) -> pd.DataFrame:
        frame = pd.DataFrame(matrix, columns=columns)
        for c, cats in categories.items():
            codes = frame[c].to_numpy()
            labels = np.asarray(cats, dtype=object)
            frame[c] = [labels[int(v)] if v == v and 0 <= v < len(labels) else None for v in codes]
        return frame

    multiclass = ctx.task == "classification" and ctx.positive_class is None

    def predict(matrix: np.ndarray) -> np.ndarray:
        frame = decode(matrix)
        if multiclass:
            return np.asarray(model.predict_proba(frame)) if hasattr(model, "predict_proba") else \
                (np.asarray(model.predict(frame)).astype(str)[:, None] == np.asarray(ctx.classes, str)).astype(float)
        return ctx.predict_outcome(model, frame)

    background = encode(ctx.sample_rows(ctx.X_train, ctx.settings.explain_background_rows))
    explainer = shap.PermutationExplainer(predict, shap.maskers.Independent(background, max_samples=len(background)),
                                          seed=ctx.settings.seed)
    result = explainer(encode(rows), max_evals=2 * len(columns) + 1, silent=True)
    values = np.asarray(result.values)
    if values.ndim == 3:
        return Explanation("SHAP PermutationExplainer (class probabilities)", rows, np.abs(values).sum(axis=2), False)
    return Explanation("SHAP PermutationExplainer (model output)", rows, values, True)


def column_direction(explanation: Explanation, column: str, min_correlation: float) -> tuple[str, str | None]:
    """('raises' | 'lowers' | 'mixed', category or None): how higher values or a category move predictions."""
    if not explanation.signed:
        return "mixed", None
    j = explanation.columns.index(column)
    contribution = explanation.values[:, j]
    values = explanation.rows[column]
    if pd.api.types.is_numeric_dtype(values):
        known = values.notna().to_numpy()
        x = values.to_numpy(float)[known]
        if known.sum() < 3 or np.std(x) == 0 or np.std(contribution[known]) == 0:
            return "mixed", None
        correlation = float(np.corrcoef(x, contribution[known])[0, 1])
        if correlation >= min_correlation:
            return "raises", None
        if correlation <= -min_correlation:
            return "lowers", None
        return "mixed", None
    by_category = pd.Series(contribution).groupby(values.astype(str).to_numpy()).agg(["mean", "size"])
    by_category = by_category[by_category["size"] >= 3]
    if by_category.empty:
        return "mixed", None
    top = by_category["mean"].abs().idxmax()
    return ("raises" if by_category.loc[top, "mean"] > 0 else "lowers"), str(top)


def case_contributions(explanation: Explanation, row: int, count: int = 5) -> list[tuple[str, object, float]]:
    """For one explained row: (column, its value, contribution) for the columns that moved it most."""
    values = explanation.values[row]
    order = np.argsort(-np.abs(values))[:count]
    return [(explanation.columns[j], explanation.rows.iloc[row, j], float(values[j])) for j in order]

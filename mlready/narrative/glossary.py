"""The glossary: every exact term the method notes ("How this was checked") use, in plain words.

Findings, summaries and the verdict avoid these terms; the notes keep them so that a specialist can check the
method, and this glossary explains them to everyone else. The app's Glossary page and the PDF print it as it is:
`GLOSSARY` is a tuple of (term, definition) pairs, sorted by term.
"""
from __future__ import annotations

_TERMS: dict[str, str] = {
    "Held-out rows": "rows the model did not learn from, kept back to test it as if they were new cases.",
    "Training rows": "the rows the model learned from.",
    "ROC AUC": "the ranking score: shown one case of interest and one other case, how often the model ranks the "
               "case of interest higher. 0.5 (50 out of 100) is a coin toss, 1 (100 out of 100) is perfect.",
    "R²": "R-squared: the share of the differences in the target that the model explains. 0 is no better than "
          "always predicting the average, 1 (100%) is perfect.",
    "Balanced accuracy": "the share of cases the model gets right, averaged over the outcomes, so that a rare "
                         "outcome counts as much as a common one.",
    "Calibration": "whether the model's stated chances come true: a case given a 30% chance should have the outcome "
                   "about 30% of the time.",
    "Expected calibration error": "the average gap, in percentage points, between the chances the model states "
                                  "and how often the outcome really happens.",
    "SHAP": "SHapley Additive exPlanations: a standard way to share one prediction out among the input columns "
            "that led to it, so that the shares add up to the prediction.",
    "TreeExplainer": "the exact, fast way of computing SHAP values for tree-based models.",
    "Log-odds": "the scale on which many classification models add up their evidence: the logarithm of the chance "
                "of an outcome divided by the chance of the other outcome.",
    "Cross-validation": "retraining copies of the model on different parts of the data, each tested on the part it "
                        "did not learn from, to see how much the results move.",
    "Fold": "one of the parts the data is cut into for cross-validation.",
    "Out of fold": "computed on a part of the data that the calculation did not learn from.",
    "Resample": "a new sample drawn at random, with replacement, from the same rows, to see how much a result would "
                "move with other rows (the bootstrap).",
    "Bootstrap": "measuring how much a result can move by recomputing it on many resamples of the same rows.",
    "Seed": "the starting number of the random number generator; the same seed gives the same random split, so a "
            "result can be repeated exactly.",
    "Stratified": "split so that each part keeps the same share of each outcome as the whole.",
    "Quantile": "a cut point that splits values into equal-sized groups: the quartiles split them in four, the "
                "median in two.",
    "Percentile": "the value below which a given share of the values lie: the 95th percentile is exceeded by only "
                  "5% of values.",
    "Quartile": "one of the three cut points that split the values into four equal-sized groups.",
    "Median": "the middle value: half the values are below it, half above.",
    "Standard deviation": "the usual distance of values from their average; also called the spread.",
    "p-value": "the chance of seeing a result at least this strong if there were really nothing there; a small "
               "p-value (below 0.05) means luck alone is an unlikely explanation.",
    "Bonferroni": "a correction for making many comparisons at once: each is held to a stricter standard, so that "
                  "chance alone rarely produces a false alarm somewhere.",
    "Fisher's exact test": "a test of whether two shares (for example of empty cells) differ by more than chance, "
                           "exact even for small counts.",
    "Chi-squared": "a test of whether the shares of labels differ between two sets of rows by more than chance.",
    "Kolmogorov-Smirnov": "a test of whether two sets of numbers come from the same spread of values.",
    "Population stability index": "PSI: a measure of how much a column's spread of values changed between two "
                                  "sets of rows; below 0.1 is little change, above 0.25 a large one.",
    "PSI": "the population stability index (see there).",
    "Confidence interval": "a range that most likely holds the true value, given how many rows it was measured on; "
                           "a 95% interval misses it only 1 time in 20.",
    "Four-fifths rule": "a common test of equal treatment: a group's rate of the favourable outcome should be at "
                        "least four fifths (80%) of the rate of the group that gets it most.",
    "Equal opportunity": "people who really deserve the favourable outcome get it equally often in every group "
                         "(equal true-positive rates).",
    "Equalized odds": "equal opportunity, and also equal rates of wrongly granted favourable outcomes in every "
                      "group (equal true- and false-positive rates).",
    "True-positive rate": "of the cases that really have an outcome, the share the model predicts it for.",
    "False-positive rate": "of the cases that do not have an outcome, the share the model wrongly predicts it for.",
    "Partial dependence": "the model's average prediction as one column is swept across its values, with the "
                          "other columns as they are.",
    "Regularised": "held back from fitting the training data too closely, so that the model generalises to new "
                   "cases.",
    "Gradient-boosted trees": "a model made of many small decision trees, each correcting the errors of the ones "
                              "before; mlready's reference model.",
    "Logistic regression": "a simple linear model for outcomes: a weighted sum of the inputs turned into a chance.",
    "Ridge regression": "a simple linear model for numbers: a weighted sum of the inputs, held back from extreme "
                        "weights.",
    "Reference model": "the model mlready trains itself when no model file is given, to show what the data can "
                       "support.",
    "Latency": "how long one prediction takes.",
    "Throughput": "how many predictions can be made in a given time.",
    "Target leakage": "an input that gives the answer away because it is recorded after the outcome is known; it "
                      "will not be available, or not mean the same, when the model is used for real.",
    "Drift": "a change between the data the model learned from and the data it meets in production.",
    "Spiegelhalter's z": "a test of whether the model's stated chances, taken together, differ from what happened "
                         "by more than chance.",
    "Brier score": "the average squared difference between the stated chance and what happened (0 or 1); lower is "
                   "better.",
    "fg-data-profiling": "the open-source data profiling library mlready uses to describe each column.",
}

GLOSSARY: tuple[tuple[str, str], ...] = tuple(sorted(_TERMS.items(), key=lambda item: item[0].lower()))


def definition(term: str) -> str | None:
    """The definition of a glossary term (case-insensitive), or None."""
    wanted = term.strip().lower()
    return next((meaning for name, meaning in GLOSSARY if name.lower() == wanted), None)

"""The words of the scalability pillar: finding texts and how the measurements were made."""
from __future__ import annotations

from .base import NOTES, TEMPLATES

TEMPLATES.update({
    "scale.slow_prediction": (
        "Single predictions are slow",
        "One prediction takes {p95} ms in the slowest 5% of cases (typical: {p50} ms); the target is {target} ms.",
        "Ask for a lighter model or faster serving, or agree on a slower target with the business.",
    ),
    "scale.low_throughput": (
        "Not enough capacity for the expected volume",
        "One processor core handles about {per_day} predictions a day; the business expects {daily}. "
        "Peaks need at least {headroom} times headroom.",
        "Plan more machines or a faster model before launch.",
    ),
    "scale.large_model": (
        "The model file is very large ({size_mb} MB)",
        "Large models are slow to load, costly to host and hard to update.",
        "Ask whether a smaller model does as well.",
    ),
    "scale.high_memory": (
        "Predicting uses a lot of memory ({memory_mb} MB)",
        "Predicting {rows} rows needed {memory_mb} MB at its peak. Memory costs money and limits how many "
        "copies can run side by side.",
        "Predict in smaller batches or ask for a lighter model.",
    ),
    "scale.training_cost_growth": (
        "Training time grows faster than the data",
        "Training on {small} rows took {small_seconds} s and on {large} rows {large_seconds} s: time grows "
        "roughly with the data to the power {exponent}. With ten times the data, training would take about "
        "{tenfold} times as long.",
        "Plan retraining time and cost for the data volumes you expect, or ask for a model that scales better.",
    ),
})

NOTES.update({
    "latency": "Latency: {rounds} rounds of {repeats} single-row predictions, one at a time, after a warm-up; the "
               "calmest round counts.",
    "throughput": "Throughput: one batch of {rows} rows on one process.",
    "memory": "Memory: peak Python allocations while predicting {rows} rows.",
    "training_no_refit": "Training cost: not measured, because the model could not be retrained here.",
    "training": "Training cost: copies of the model retrained on {sizes} rows took {seconds} s.",
})

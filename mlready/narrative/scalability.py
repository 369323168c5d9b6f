"""The words of the scalability pillar: finding texts and how the measurements were made."""
from __future__ import annotations

import math

from .base import NOTES, TEMPLATES, num, readable_time

TEMPLATES.update({
    "scale.slow_prediction": (
        "Single predictions are slow",
        "One prediction takes {p95} ms in the slowest 5% of cases (typical: {p50} ms); the target is {target} ms.",
        "Ask for a lighter model or faster serving, or agree on a slower target with the business.",
    ),
    "scale.slow_prediction:processor_time": (
        "Single predictions are slow",
        "The model's own computing work for one prediction takes {p95} ms in the slowest 5% of cases (typical: "
        "{p50} ms), more than the target of {target} ms even before any waiting. (The machine was busy, so the "
        "time that passed was longer still; it is not what one prediction takes on a serving machine.)",
        "Ask for a lighter model or faster serving, or agree on a slower target with the business.",
    ),
    "scale.low_throughput": (
        "Not enough speed for the expected number of cases",
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
    "latency": "Latency: {rounds} rounds of {repeats} single-row predictions, one at a time on one thread as one "
               "serving worker makes them, after a warm-up; the calmest round counts, and the typical round was "
               "{spread} slower. Measured {conditions}.",
    "latency_busy": "The machine was busy ({conditions}): waiting for the processor stretched the time that passed "
                    "per prediction (slowest 5%: {wall} ms; rounds {spread} apart, {share} of the time spent "
                    "computing), so the latency shown is the model's own computing time, which was steady (rounds "
                    "{cpu_spread} apart): what one prediction takes on a serving machine that is not busy.",
    "latency_unreliable": "Latency could not be measured reliably ({conditions}): neither the time that passed "
                          "(rounds {spread} apart) nor the model's own computing time (rounds {cpu_spread} apart) "
                          "was steady, so it is not judged against the target of {target} ms; measure again on a "
                          "quieter machine.",
    "throughput": "Throughput: {rounds} rounds of one batch of {rows} rows on one thread; the fastest counts, and the "
                  "typical round was {spread} slower. Measured {conditions}.",
    "throughput_busy": "The machine was busy: the batch rounds' clock varied by {spread} (one core would handle "
                       "about {wall_per_day} predictions a day as measured), so the capacity shown is from the "
                       "model's own computing time, which was steady: about {own_per_day} a day.",
    "throughput_unreliable": "Throughput could not be measured reliably: neither the batch rounds' clock ({spread} "
                             "apart) nor the model's own computing time ({cpu_spread} apart) was steady, so it is not "
                             "judged against the expected volume; measure again on a quieter machine.",
    "memory": "Memory: peak Python allocations while predicting {rows} rows.",
    "training_no_refit": "Training cost: not measured, because the model could not be retrained here.",
    "training": "Training cost: copies of the model retrained on {sizes} rows took {seconds} s (timed once each, "
                "with the learning curve).",
    "training_repeated": "Training cost: because that looked like fast growth, training on {small} and {large} rows "
                         "was repeated {repeats} times; the calmest runs took {small_seconds} s and {large_seconds} s "
                         "of computing time, and the repeats differed by up to {spread}. Measured {conditions}.",
    "training_unreliable": "Training cost could not be measured reliably: repeated trainings differed by {spread} "
                           "({conditions}), so no growth is reported; measure again on a quieter machine.",
})


def machine_conditions(measured_at: str, load: float, cores: int) -> str:
    """'on 29 November 2026, 17:40 UTC, with the machine's load at 2.3 on 2 cores (busy)'."""
    if load != load or math.isinf(load):
        return f"on {readable_time(measured_at)}"
    busy = " (busy: more work waiting than cores)" if load > cores else ""
    cores_words = "1 core" if cores == 1 else f"{cores} cores"
    return f"on {readable_time(measured_at)}, with the machine's load at {num(load, 1)} on {cores_words}{busy}"


def timing_caption(measured_at: str, load: float | None, cores: int) -> str:
    """The line above timed results in the app: when and how they were measured, and that they vary."""
    load = float("nan") if load is None else float(load)
    return (f"Timings measured for you {machine_conditions(measured_at, load, cores)}. They depend on what else the "
            "machine is doing; measure again to compare.")

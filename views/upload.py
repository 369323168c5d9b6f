"""Step 1: the files and the few choices an assessment needs."""
import pandas as pd
import streamlit as st

from mlready import InputError
from mlready.loading import TABLE_SUFFIXES
from mlready.modeling import MODEL_SUFFIXES, PICKLE_SUFFIXES, infer_task
from mlready.suggest import (default_favourable_outcome, default_positive_class, suggest_sensitive, suggest_target,
                             target_by_name)
from mlready.config import Settings
from ui.components import md_escape
from ui.state import PILLAR_PAGES, Spec, context_for, current_spec, load_source, sample_spec, set_spec
from ui import upload_limit
from ui.upload_widgets import column_types, file_source, threshold_overrides

TABLE_TYPES = sorted(s.lstrip(".") for s in TABLE_SUFFIXES)
MODEL_TYPES = sorted(s.lstrip(".") for s in MODEL_SUFFIXES)

st.title("Upload")
st.caption("Your training data is required. Held-out data, recent production data and a model file are optional: "
           "without a model, mlready trains a reference model of its own.")
previous = current_spec()
banner = st.container()


left, right = st.columns(2)
with left:
    data = file_source("Training data", TABLE_TYPES, "upload_data", "The table the model learned from, with the outcome column.")
with right:
    test = file_source("Held-out data (optional)", TABLE_TYPES, "upload_test",
                       "Rows the model never saw, same columns. Without it, 20% of the training data is set aside.")
left, right = st.columns(2)
with left:
    new_data = file_source("Recent production data (optional)", TABLE_TYPES, "upload_new_data",
                           "A recent sample of what the model will see in production; the outcome may be absent.")
with right:
    model = file_source("Model file (optional)", MODEL_TYPES, "upload_model",
                        "A .skops, XGBoost (.json, .ubj), LightGBM (.txt) or ONNX file is safe to open. "
                        "Pickle/joblib files can run code and need your explicit permission.")
with banner:
    if data is None and previous is not None and previous.data == sample_spec().data:
        st.info("You are using the sample: UCI German credit data with a model trained on it. "
                "Upload files below to use your own instead.")
    elif data is None and previous is None and st.button("Try it with sample data", icon=":material/play_arrow:"):
        set_spec(sample_spec())
        st.rerun()
upload_limit.watch()  # a file over the size limit is said in words, not only as a red "!" in the picker
upload_limit.show_refusal([s.name for s in (data, test, new_data, model) if s is not None])
allow_pickle = False
if model is not None and model.name.lower().endswith(tuple(PICKLE_SUFFIXES)):  # other model formats hold no code
    allow_pickle = st.checkbox("I trust whoever made this file: open it even though pickle/joblib files can run code",
                               key="allow_pickle")

if data is None and previous is not None:
    data = previous.data
    test = test or previous.test
    new_data = new_data or previous.new_data
    model = model or previous.model
    allow_pickle = allow_pickle or previous.allow_pickle
if data is None:
    st.info("Upload your training data to continue, or try the sample data.")
    st.stop()

try:
    table = load_source(data)
except InputError as error:
    st.error(md_escape(error))
    st.stop()
frame = table.frame
numeric = sum(pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns)
st.subheader("Preview", anchor=False)
st.markdown(md_escape(f"{data.name}: {len(frame):,} rows, {frame.shape[1]} columns "
                      f"({numeric} numeric, {frame.shape[1] - numeric} text or other)."))
st.dataframe(frame.head(10), hide_index=True)

st.subheader("What should the model predict?", anchor=False)
columns = list(frame.columns)
same_data = previous is not None and previous.data.sha256 == data.sha256
default_target = previous.target if same_data and previous.target in columns else suggest_target(columns)
target = st.selectbox("Target column (the outcome)", columns, index=columns.index(default_target), key="target")
if not same_data and target == default_target and not target_by_name(columns):
    st.warning(f"No column is named like an outcome, so the last column, '{md_escape(target)}', was picked as the "
               "one to predict. Check that it is the outcome you want the model to predict.", icon=":material/help:")
try:
    inferred = infer_task(frame[target])
except InputError as error:
    st.error(md_escape(error))
    st.stop()
tasks = ["classification", "regression"]
task_default = previous.task if same_data and previous.target == target and previous.task else inferred
task = st.radio("Task", tasks, index=tasks.index(task_default), horizontal=True, key=f"task_{target}",
                help=f"Inferred from the target: {inferred}. Classification predicts a category; regression a number.")
positive = None
labels = frame[target].dropna().astype(str).value_counts()
if task == "classification" and len(labels) == 2:
    default_positive = (previous.positive_class if same_data and previous.target == target
                        and previous.positive_class in labels.index
                        else str(default_positive_class(frame[target].dropna().astype(str))))
    positive = st.selectbox("Outcome of interest (the positive class)", list(labels.index),
                            index=list(labels.index).index(default_positive), key=f"positive_{target}",
                            help="Rates and directions refer to this outcome; by default the rarer one.")
favourable = None
if task == "classification" and 2 <= len(labels) <= 50:
    not_said = "(not said: show both outcomes' rates)"
    guessed = default_favourable_outcome(list(labels.index), target)
    default_favourable = (previous.favourable_outcome if same_data and previous.target == target
                          and previous.favourable_outcome in [*labels.index, ""] else guessed)
    choices = [not_said, *labels.index]
    picked = st.selectbox("Favourable outcome (good for the person concerned)", choices,
                          index=choices.index(default_favourable) if default_favourable in choices else 0,
                          key=f"favourable_{target}",
                          help="The fairness checks compare how often each group gets this outcome (the four-fifths "
                               "rule). Guessed from the names when they say it (for 'bad'/'good', 'good').")
    favourable = "" if picked == not_said else picked  # "": the user said none is favourable (no guess)
candidates = [c for c in columns if c != target]
default_sensitive = ([c for c in previous.sensitive if c in candidates] if same_data
                     else suggest_sensitive(candidates))
sensitive = st.multiselect("Sensitive columns for the fairness check", candidates, default=default_sensitive,
                           key=f"sensitive_{target}",
                           help="Protected attributes such as sex, age, race, religion or nationality.")
with st.expander("Advanced settings"):
    latency = st.number_input("Latency target for one prediction (ms)", min_value=1.0,
                              value=float(previous.latency_target_ms if previous else 100.0), key="latency")
    daily = st.number_input("Expected predictions per day (0 = not set)", min_value=0, step=1000,
                            value=int(previous.daily_predictions or 0) if previous else 0, key="daily")
    seed = st.number_input("Random seed", min_value=0, step=1, value=int(previous.seed if previous else 0), key="seed",
                           help="The starting number for mlready's random choices, such as which rows are kept back "
                                "to test the model. The same number gives the same results.")
    thresholds = threshold_overrides()
types = column_types(frame, data.sha256 + str(data.sheet), int(seed), Settings().max_rows_checks)

if st.button("Start the checks", type="primary", icon=":material/arrow_forward:"):
    spec = Spec(data=data, test=test, new_data=new_data, model=model, target=target, task=task,
                positive_class=positive, favourable_outcome=favourable, sensitive=tuple(sensitive),
                latency_target_ms=float(latency),
                daily_predictions=int(daily) or None, seed=int(seed), allow_pickle=allow_pickle,
                column_types=types, thresholds=thresholds)
    try:
        with st.spinner("Reading the files…"):
            context_for(spec)
    except InputError as error:
        st.error(md_escape(error))
    else:
        set_spec(spec)
        st.switch_page(PILLAR_PAGES["data_quality"])

"""The words of the operations pillar: the deployment-practice questions, and what each gap means and asks for."""
from __future__ import annotations

from .base import NOTES, TEMPLATES

# question id -> the question, in plain words (answered yes / no / not sure)
QUESTIONS: dict[str, str] = {
    "reproducible_training": "Can the model be retrained from recorded data and code, and give the same result?",
    "versioning": "Are the versions of the data, the code and the model recorded together, so you can always tell "
                  "which data and code made the model in use?",
    "serving_plan": "Is the model packaged to run as a service (for example in a container), with a plan to add "
                    "capacity when demand grows?",
    "load_test": "Has the service been tested at the number of predictions expected in production?",
    "monitoring": "Once live, will changes in the incoming data and in the quality of the predictions be watched, "
                  "with an alert when they drift?",
    "rollback": "Can you quickly go back to the previous model (or the process used before) if the new one "
                "misbehaves?",
    "owner": "Is a named person or team responsible for the model, with a plan for when and how it is retrained?",
    "human_oversight": "Can a person review and override the model's decisions, and can the people affected ask for "
                       "a review? (Answer yes if the model makes no decisions about people.)",
    "documentation": "Is the model documented (what it is for, the data it learned from, its limits) for its users "
                     "and, where needed, regulators?",
}

ANSWER_WORDS = {"yes": "yes", "no": "no", "unsure": "not sure", None: "not answered"}

# code -> (title, why it matters, what to do)
_GAPS: dict[str, tuple[str, str, str]] = {
    "ops.training_not_reproducible": (
        "The model cannot be rebuilt on demand",
        "If the model cannot be retrained to the same result, nobody can check how it was made, fix a fault in it "
        "or explain a past decision to an auditor.",
        "Record the exact data, code and settings used to train it, including the start of any random draws. "
        "Before launch, show that training again gives the same model.",
    ),
    "ops.no_versioning": (
        "Data, code and model versions are not kept together",
        "Without a record of which data and code made the model in use, a problem found later cannot be traced "
        "to its cause, and an earlier model cannot be rebuilt.",
        "Keep one record per model release that names the data version, the code version and the model file "
        "(a model registry or a tagged repository does this).",
    ),
    "ops.no_serving_plan": (
        "No plan for running the model as a service",
        "A model that is not packaged to run on its own (for example in a container) is hard to deploy, test and "
        "move, and without a plan to add capacity it slows down or stops when demand grows.",
        "Package the model with everything it needs to run, and agree how capacity is added when demand grows.",
    ),
    "ops.no_load_test": (
        "Not tested at the expected volume",
        "Speed measured on one machine here says little about the full service under real demand: queues, "
        "network and other users add up.",
        "Run a load test of the packaged service at (and above) the expected number of predictions before launch.",
    ),
    "ops.no_monitoring": (
        "Nobody will notice when the model starts to go wrong",
        "Data changes after launch, and a model that was right becomes wrong without any error message. Without "
        "watching the incoming data and the quality of predictions, this is found late, by the people affected.",
        "Before launch, set up monitoring of the input data (drift) and of prediction quality once outcomes are "
        "known, with alerts and a named person who acts on them.",
    ),
    "ops.no_rollback": (
        "No quick way back if the model misbehaves",
        "If the new model causes harm, there must be a quick way back to the previous model or the old process; "
        "otherwise every bad decision continues until a fix is built.",
        "Keep the previous model (or the manual process) ready, and test switching back before launch.",
    ),
    "ops.no_owner": (
        "No named owner and no retraining plan",
        "A model without an owner is not watched, fixed or retrained, and it goes stale as the world changes.",
        "Name the person or team responsible for the model, and agree when and how it will be retrained.",
    ),
    "ops.no_human_oversight": (
        "People cannot ask for a review of decisions about them",
        "People affected by a decision made by a machine often have a right to ask a person to look at it again, "
        "and to challenge it (for example under the GDPR and the EU AI Act). Without that, a wrong decision cannot "
        "be put right.",
        "Let a person review and override the model's decisions, and give the people affected a way to ask for a "
        "review.",
    ),
    "ops.undocumented": (
        "No one has written down what the model is for",
        "If no one writes down what the model is for, what data it learned from and where it falls short (a model "
        "card), people may use it where it does not work, and regulators cannot check it.",
        "Write a short model card: what the model is for and not for, the data it learned from, how well it "
        "works and for whom, and its known limits.",
    ),
}

for _code, (_title, _why, _action) in _GAPS.items():
    TEMPLATES[_code] = (_title, "Asked “{question}”, the answer was “{answer}”. " + _why, _action)
    TEMPLATES[f"{_code}:unsure"] = (
        _title + " (not confirmed)",
        "Asked “{question}”, the answer was “{answer}”: until someone confirms it, treat it as missing. "
        + _why,
        "Find out, then: " + _action[0].lower() + _action[1:],
    )
    TEMPLATES[f"{_code}:unanswered"] = (
        _title + " (not answered)",
        "The question “{question}” was not answered: until someone confirms it, treat it as missing. " + _why,
        "Find out, then: " + _action[0].lower() + _action[1:],
    )

NOTES.update({
    "practices": "Deployment practices: {answered} of {asked} questions answered by the user; 'no', 'not sure' and "
                 "unanswered questions become findings. The answers are taken as given, not verified by mlready.",
    "practices_people": "The answers were judged for a model that decides about people (sensitive columns were "
                        "named), so missing monitoring, rollback or human review blocks a launch.",
})

"""Step 3: will the model work on data it has not seen?"""
from ui.pillar_view import next_button, show_pillar

show_pillar("generalization", "Is the model as good on new cases as on the ones it learned from? "
            "We compare it on rows it never saw, retrain it on different samples, and compare it with a trivial guess.")
next_button("generalization")

"""Step 4: is the model fast and light enough?"""
from ui.pillar_view import next_button, show_pillar

show_pillar("scalability", "How fast is one prediction, how many can it make per second, and how big is it? "
            "Measured on this machine against your latency target.")
next_button("scalability")

"""mlready: is this model and its data ready for production? Answers in plain language."""
from __future__ import annotations

__version__ = "0.1.0"

from .api import assess, assessment_from_context, build_context  # noqa: E402
from .assessment import Assessment  # noqa: E402
from .config import Settings, Thresholds  # noqa: E402
from .errors import InputError  # noqa: E402

__all__ = ["assess", "build_context", "assessment_from_context", "Assessment", "Settings", "Thresholds",
           "InputError", "__version__"]

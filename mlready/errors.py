"""The one error type the user sees: a plain sentence about their input."""


class InputError(ValueError):
    """The input or the options are wrong; the message says what to do, in one sentence."""

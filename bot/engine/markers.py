"""Marks a string as translatable for `pybabel extract` without translating it here."""


def N_(message: str) -> str:
    """Return the message unchanged; the extractor finds it by this name."""
    return message

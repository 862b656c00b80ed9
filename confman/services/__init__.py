"""Domain services: they flush, never commit, and never import Flask."""


class ConfmanError(Exception):
    """A domain rule refused an action; the message is fit to show to the user."""

"""Domain services: they flush, never commit, and never import Flask."""


def N_(message: str) -> str:  # noqa: N802 - Babel's default keyword for a msgid translated later
    """Marks a sentence for the catalogue; the web layer words it in the viewer's language (wording.error_text)."""
    return message


class ConfmanError(Exception):
    """A domain rule refused an action; the message is fit to show to the user.

    Raised with a catalogue sentence and its values, `DelegationFull(N_("The delegation of %(name)s is full."),
    name=...)`, the message reads in English (`str()`), and `msgid` and `values` let a page translate it.
    """

    def __init__(self, *args: object, **values: object):
        self.msgid = args[0] if args and isinstance(args[0], str) else None
        self.values = values
        if values and self.msgid is not None:
            args = (self.msgid % values, *args[1:])
        super().__init__(*args)

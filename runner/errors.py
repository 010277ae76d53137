"""The one error type the CLI turns into a one-line message."""


class RingWorldError(Exception):
    """A user-facing problem: bad input, a locked sim, a missing file.

    The message is one line that names the file, key or step at fault.
    """

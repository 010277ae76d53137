"""``python -m runner`` is ``rw-batch``."""

from .cli import main

main()

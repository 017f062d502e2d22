"""`python -m generator` runs the handbook CLI."""

from .cli import main

main()

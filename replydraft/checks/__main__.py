"""`python -m replydraft.checks` prints docs/finding-codes.md, made from the registry."""

from .registry import markdown

print(markdown(), end="")

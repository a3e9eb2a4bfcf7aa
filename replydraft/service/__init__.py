"""`replydraft serve`: the HTTP service and the agent sidebar."""

from .app import create_app

__all__ = ["create_app"]

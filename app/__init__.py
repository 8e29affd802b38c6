"""Lorekeeper: a local-first writing and character-chat workspace in Python."""

__all__: list[str] = []

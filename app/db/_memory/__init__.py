"""The memory backend (CPython, tests, tools): IndexedDB's behaviour over Python dicts."""

from .backend import MemoryBackend

__all__ = ["MemoryBackend"]

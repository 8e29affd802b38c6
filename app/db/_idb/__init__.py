"""The IndexedDB backend (Pyodide only).

``loop`` keeps transactions alive across ``await`` (the event-loop patch), ``bridge``
calls the JavaScript helper (``helper_js``) over the ``wire`` format, ``core`` is the
DBCore, ``backend`` opens, upgrades and deletes databases, and ``channel`` hears the
other tabs.
"""

from .backend import IndexedDBBackend

__all__ = ["IndexedDBBackend"]

"""bm25s, imported without the numba and scipy it loads whenever they are installed.

careerchat builds with bm25s's default numpy backends and scores with ``get_scores``, so neither library is
used; importing them costs ~0.23 s of every cold start (numba comes with ranx for the evals). They are hidden
only while bm25s imports, so ranx and scikit-learn still import them later in the same process.
"""

import sys

_UNUSED = ("numba", "scipy")
_hidden = [name for name in _UNUSED if name not in sys.modules]
for name in _hidden:
    sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
try:
    import bm25s
finally:
    for name in _hidden:
        del sys.modules[name]

BM25 = bm25s.BM25

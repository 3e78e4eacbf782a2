"""The synthetic records generator: realistic bundles of any size for benchmarks, tests and demos.

`generate(boards, years, seed)` gives the same canonical bundle for the same arguments; VERSION says when that changed.
"""

from .generator import VERSION, generate

__all__ = ["VERSION", "generate"]

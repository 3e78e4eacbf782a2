"""Argon2id at the cost OWASP recommends, set from the environment: a login should not cost a server a core.

Django's Argon2 parameters (102,400 KiB, 2 passes, 8 lanes) take about 0.28 s of CPU per login on both cores of a
2-CPU server; under the load test, 20 officers signing in together put every resident's page behind them. OWASP's
Password Storage Cheat Sheet recommends Argon2id with at least 19 MiB, 2 passes and 1 lane (about 0.03 s), which
is what this hasher uses unless ARGON2_MEMORY_KIB / ARGON2_TIME_COST / ARGON2_PARALLELISM say otherwise.

The algorithm name stays Django's "argon2": hashes made with other parameters still verify, and Django rehashes
them with these at their owner's next login (must_update compares the parameters).
"""

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Django's Argon2id hasher with its cost read from settings (OWASP's recommendation by default)."""

    @property
    def memory_cost(self):
        return settings.ARGON2_MEMORY_KIB

    @property
    def time_cost(self):
        return settings.ARGON2_TIME_COST

    @property
    def parallelism(self):
        return settings.ARGON2_PARALLELISM

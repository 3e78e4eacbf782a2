"""Settings for `make mutate`: the test settings with an on-disk SQLite test database that `--reuse-db` keeps.

mutmut runs pytest once per mutant; an in-memory test database would be migrated each time. Under DATABASE_URL
(PostgreSQL) Django's test database is reused as it is.
"""

from .test import *  # noqa: F403

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "mutation-test.sqlite3")}  # noqa: F405

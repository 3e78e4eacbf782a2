"""The vendor-specific full-text index of SearchRecord: SQL for PostgreSQL (tsvector + GIN) and SQLite (FTS5).

Migrations create it; `rebuild_search_index` re-creates it if missing (an SQLite table remake drops triggers).
"""

TABLE = "search_searchrecord"
FTS_TABLE = "search_searchrecord_fts"

# Title and resolution weigh A, the discussion and other text C: ts_rank scores A matches highest.
POSTGRES_CREATE = [
    f"""
    ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(resolution, '')), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
    ) STORED
    """,
    f"CREATE INDEX IF NOT EXISTS search_rec_vector_gin ON {TABLE} USING gin (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_rec_vector_gin",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
]

# An external-content FTS5 table kept in step by triggers; porter stemming so "libraries" finds "library".
SQLITE_CREATE = [
    f"""
    CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        title, resolution, body,
        content='{TABLE}', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS search_rec_fts_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, resolution, body) VALUES (new.id, new.title, new.resolution, new.body);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS search_rec_fts_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, resolution, body)
        VALUES ('delete', old.id, old.title, old.resolution, old.body);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS search_rec_fts_au AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, resolution, body)
        VALUES ('delete', old.id, old.title, old.resolution, old.body);
        INSERT INTO {FTS_TABLE}(rowid, title, resolution, body) VALUES (new.id, new.title, new.resolution, new.body);
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_rec_fts_ai",
    "DROP TRIGGER IF EXISTS search_rec_fts_ad",
    "DROP TRIGGER IF EXISTS search_rec_fts_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
SQLITE_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"


def _postgres_ready(cursor):
    cursor.execute(
        "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s) "
        "AND EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = %s)",
        [TABLE, "search_vector", "search_rec_vector_gin"],
    )
    return cursor.fetchone()[0]


def create(connection):
    """Create the full-text index for this connection's vendor (idempotent).

    On PostgreSQL an ALTER TABLE inside a transaction with pending deferred constraints fails, so it runs only
    when the column or index is actually missing.
    """
    statements = {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE}.get(connection.vendor, [])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if _postgres_ready(cursor):
                return True
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    return bool(statements)


def drop(connection):
    statements = {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)

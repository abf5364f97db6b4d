from pathlib import Path

from sqlalchemy import Engine

from landbank.store.migrate import current_revision, head_revision


def test_fresh_database_is_at_head(any_engine: Engine) -> None:
    assert current_revision(any_engine) == head_revision()


def test_a_new_ledger_has_large_pages_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    """16 KiB pages for a new SQLite ledger (a whole-table search reads a quarter of the
    pages); a ledger made with SQLite's default 4 KiB pages opens and stays as it is."""
    import sqlite3

    from landbank.store.engine import PAGE_SIZE
    from landbank.store.migrate import open_database

    new = tmp_path / "new.sqlite3"
    open_database(f"sqlite:///{new}").dispose()
    with sqlite3.connect(new) as conn:
        assert conn.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE == 16384
    old = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(old)  # a ledger begun by an older landbank: SQLite's default pages
    conn.execute("PRAGMA page_size=4096")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    engine = open_database(f"sqlite:///{old}")
    engine.dispose()
    with sqlite3.connect(old) as conn:
        assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096
        assert conn.execute("SELECT count(*) FROM parcel").fetchone()[0] == 0

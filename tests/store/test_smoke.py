from sqlalchemy import Engine

from landbank.store.migrate import current_revision, head_revision


def test_fresh_database_is_at_head(any_engine: Engine) -> None:
    assert current_revision(any_engine) == head_revision()

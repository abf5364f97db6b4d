"""SQLModel tables, engine and sessions, migrations and queries. SQLite and PostgreSQL alike."""

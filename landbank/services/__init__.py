"""Use cases: records, paste, demo data, listing. Take a session, return structured results. No Qt."""

"""Backups of the SQLite ledger as the clerk meets them: the daily one, a backup now, the list,
a restore; and the tidying of what a killed backup or export left behind (:mod:`.leftovers`)."""

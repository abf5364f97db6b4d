"""After supply (issue 16 items 4–5): a parcel's 53号 state and 低效 class from its records
(:mod:`.facts`, :mod:`.status`), the county's tallies (:mod:`.status`), and the yearly figures
of the firm on a parcel (:mod:`.yields`, the file import :mod:`.yields_import`)."""

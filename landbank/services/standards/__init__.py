"""The 标准地 indicator table stored (issue 16): rows ↔ the domain's rows and the standard of a
site (:mod:`.rows`), saving with checks, version guard and audit (:mod:`.saving`), and the
import from Excel/CSV (:mod:`.sheet` finds the table, :mod:`.importing` reads and writes it)."""

"""The gazetteer of China's county-level divisions, read as clerks write the names: the table
and its look-ups (``table``), short names (``names``: 辉县市 → 辉县), the county a title row
names (``titles``), the edit distance for a typo's nearest names (``distance``), and
:class:`lookup.Gazetteer`, which resolves a name within the ledger's city. Pure: reading
``resources/gazetteer/counties.tsv`` is the job of ``services/importing/gazetteer_data.py``."""

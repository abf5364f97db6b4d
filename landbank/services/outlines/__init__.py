"""Parcel outlines (红线) in and out (issue 15): files read (:mod:`.jzd_in` the 界址点 text,
:mod:`.gis_in` GeoJSON and shapefiles, :mod:`.reading` choosing between them), coordinates
transformed and areas computed (:mod:`.projection`), outlines matched to records and written
(:mod:`.importer`, :mod:`.plan`, :mod:`.saving`), the report (:mod:`.report`), and the export
(:mod:`.exporting`). See ``docs/outlines.md``."""

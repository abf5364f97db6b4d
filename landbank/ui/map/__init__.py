"""The 地图 tab, the printed map and the site's map excerpt (issue 15): drawn in Qt from the
outlines and positions :mod:`landbank.services.mapping` reads, with no network and no basemap."""

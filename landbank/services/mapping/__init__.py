"""The map (issue 15): outlines and points of records read under the lists' filters and
projected onto a metric plane (CGCS2000 3° Gauss-Krüger), the scale bar's round lengths, and one
site with its surroundings for the printed map excerpt. No Qt here: the drawing is
:mod:`landbank.ui.map`'s."""

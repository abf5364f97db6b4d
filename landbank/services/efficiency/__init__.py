"""亩均效益评价 (issue 16 item 6): a county's scheme (:mod:`.scheme`) and its firms rated for a
year (:mod:`.rating`), with the D-class investors matching marks."""

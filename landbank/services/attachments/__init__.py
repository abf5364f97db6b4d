"""Photos and documents held by a record (issue 15 part 5); see :mod:`.service`."""

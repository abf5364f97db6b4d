"""The record dialog's 附件 tab: thumbnails of a record's photos and documents, add (also by
dropping files), open, save a copy, remove (issue 15 part 5)."""

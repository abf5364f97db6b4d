"""The city server\x27s administrator\x27s windows (issue 14)."""

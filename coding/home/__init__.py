"""The coder's home page: the day's coding at a glance."""

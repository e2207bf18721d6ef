"""Code look-ups for coders: the search engine over code sets, its typeahead, notes and API."""

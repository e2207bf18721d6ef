"""Management commands of the coding app."""

"""Commands that load and import code sets."""

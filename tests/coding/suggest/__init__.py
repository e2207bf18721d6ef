"""Tests of coding/suggest."""

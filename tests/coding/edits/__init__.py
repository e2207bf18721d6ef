"""Tests of coding/edits."""

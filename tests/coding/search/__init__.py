"""Tests of coding/search."""

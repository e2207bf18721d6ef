"""Tests of coding/encounter."""

"""Tests of coding/worklist."""

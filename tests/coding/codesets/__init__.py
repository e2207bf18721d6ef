"""Tests of coding/codesets."""

"""Tests of coding/management."""

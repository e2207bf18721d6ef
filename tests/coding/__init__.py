"""Tests of the code sets: loading, importing and looking codes up."""

"""Tests of the clearinghouse transports."""

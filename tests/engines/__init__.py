"""Helpers that start real SPARQL engines (and a fake store) on loopback for the tests."""

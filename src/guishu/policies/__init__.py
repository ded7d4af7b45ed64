"""Stored, versioned ownership policies: the company's, and teams' overrides."""

"""Customers, their identity signals and contacts (with decision-chain roles)."""
